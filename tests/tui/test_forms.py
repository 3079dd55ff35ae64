import asyncio

from states import open_edit_form
from textual.widgets import Static

from meettui.tui.screens.form import MeetingFormScreen


def error_text(screen, field: str) -> str:
    return str(screen.query_one(f"#error-{field}", Static).render())


async def test_create_jitsi_meeting_from_the_form(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        await pilot.press(*"Board review")
        await pilot.click("#field-starts_at")
        await pilot.press(*"2026-11-24 10:00")
        await pilot.click("#field-ends_at")
        await pilot.press(*"+45m")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        main = app.screen
        created = main.selected
        assert created.title == "Board review"
        assert created.id.startswith("BoardReview-")
        assert created.starts_at.isoformat() == "2026-11-24T10:00:00+00:00"
        assert created.ends_at.isoformat() == "2026-11-24T10:45:00+00:00"
        assert main.service.cached("team", created.id) is not None
        assert main.table.row_count == 41


async def test_a_new_jitsi_room_goes_to_the_account_s_own_server(make_app):
    # The form started from meet.jit.si whatever the account's `domain`, so rooms made
    # in the app left the self-hosted server for the public one (the CLI used it).
    from tui_data import BASE_CONFIG

    app = make_app(config=BASE_CONFIG + '[accounts.settings]\ndomain = "meet.example.org"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert form.query_one("#field-domain").value == "meet.example.org"
        await pilot.press(*"On our server")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        made = app.screen.selected
        assert made.title == "On our server"
        assert made.links[0].url.startswith("https://meet.example.org/")


async def test_validation_errors_show_at_the_field(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        await pilot.press("ctrl+s")
        assert error_text(form, "title") == "Title is required."
        await pilot.press(*"Standup")
        await pilot.click("#field-starts_at")
        await pilot.press(*"next tuesday")
        await pilot.press("ctrl+s")
        assert error_text(form, "title") == ""
        assert "Cannot read the time 'next tuesday'" in error_text(form, "starts_at")
        assert isinstance(app.screen, MeetingFormScreen)


async def test_every_bad_field_is_shown_at_once_and_the_first_is_focused(make_app):
    # The form used to focus the last bad field it met, so a user with the title empty
    # and the end unreadable was put on the end, the title's error out of sight above.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#field-ends_at").value = "whenever"
        await pilot.press("ctrl+s")
        assert error_text(form, "title") == "Title is required."
        assert "Cannot read the time 'whenever'" in error_text(form, "ends_at")
        assert app.focused is form.query_one("#field-title")


async def test_provider_validation_error_lands_at_its_field(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        await pilot.press(*"Standup")
        domain = form.query_one("#field-domain")
        domain.value = "not a domain!"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "is not a domain name" in error_text(form, "domain")
        assert isinstance(app.screen, MeetingFormScreen)


async def test_edit_jitsi_keeps_the_link(make_app):
    from meettui.core.config import AccountConfig
    from meettui.core.models import MeetingSpec
    from meettui.providers.jitsi import JitsiProvider

    provider = JitsiProvider(AccountConfig(name="team", provider="jitsi"))
    original = await provider.create(MeetingSpec(title="Weekly sync"))
    app = make_app([original])
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        before = main.selected
        assert before.id == original.id
        form = await open_edit_form(pilot)
        title = form.query_one("#field-title")
        assert title.value == before.title
        title.value = "Renamed call"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        after = main.service.cached("team", before.id)
        assert after.title == "Renamed call"
        assert after.links == before.links
        assert main.selected.title == "Renamed call"


async def test_escape_cancels_without_change(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Never saved", "escape")
        assert type(app.screen).__name__ == "ConfirmScreen"  # "Discard changes?"
        await pilot.press("y")
        assert type(app.screen).__name__ == "MainScreen"
        assert app.screen.table.row_count == 40


async def test_another_account_in_the_new_form_keeps_what_was_typed(make_app):
    # Picking another account rebuilt the form empty; it then looked untouched, so Esc
    # closed it without "Discard changes?" and the next key reached the list.
    from tui_data import BASE_CONFIG

    from meettui.tui.screens.confirm import ConfirmScreen

    app = make_app(config=BASE_CONFIG + '[[accounts]]\nname = "other"\nprovider = "jitsi"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#field-title").value = "Typed first"
        form.query_one("#field-ends_at").value = "+45m"
        await pilot.pause()
        select = form.query_one("#field-account")
        select.value = "other" if select.value == "team" else "team"
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#field-title").value == "Typed first"
        assert form.query_one("#field-ends_at").value == "+45m"
        assert form.changed
        # The focus is back on the account (rebuilt, nothing had it): Tab reaches the title.
        assert app.focused is form.query_one("#field-account")
        await pilot.press("tab", *" too")
        assert form.query_one("#field-title").value == "Typed first too"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


def held_creates(service, monkeypatch) -> asyncio.Event:
    """From now on `service.create` waits until the returned event is set (a slow
    provider), then creates as before."""
    answer = asyncio.Event()
    create = service.create

    async def slow_create(account, spec):
        await answer.wait()
        return await create(account, spec)

    monkeypatch.setattr(service, "create", slow_create)
    return answer


async def test_a_save_under_way_says_so_until_it_ends(make_app, monkeypatch):
    # With a slow provider (3-30 s) the form looked as if nothing happened.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        answer = held_creates(main.service, monkeypatch)
        await pilot.press("n", *"Slow one", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert str(form.query_one("#form-title").render()).endswith(" — saving…")
        assert str(form.query_one("#save").label) == "Saving…"
        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is main and main.selected.title == "Slow one"


async def test_esc_during_a_save_waits_and_the_answer_closes_the_form(make_app, monkeypatch):
    # Esc during a slow save opened "Discard changes?"; the answer then closed that
    # question instead of the form, which stayed "saving…" for good, and a second Ctrl+S
    # made a second room.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        before = main.table.row_count
        answer = held_creates(main.service, monkeypatch)
        await pilot.press("n", *"Slow one", "ctrl+s")
        await pilot.pause()
        form = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and app.messages[-1][1].startswith("Saving: ")
        # Something over the form meanwhile (a question, the palette, help).
        from meettui.tui.screens.confirm import ConfirmScreen

        app.push_screen(ConfirmScreen("Over the form?", "Opened while it saves."))
        await pilot.pause()
        assert app.screen is not form
        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is main
        assert main.table.row_count == before + 1


async def test_a_field_error_is_scrolled_into_view_with_its_field(make_app):
    """At 120x30 an unreadable start was refused with nothing to see: the form scrolled
    to the field, and its error, two lines under it below the hint, stayed out of view
    (no toast either). The error is in view now, and the field too."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("n")
        form = app.screen
        await pilot.press(*"x", "tab", *"garbage", "ctrl+s")
        await pilot.pause()
        assert "Cannot read the time 'garbage'" in error_text(form, "starts_at")
        body = form.query_one("#form-body").region
        error = form.query_one("#error-starts_at").region
        field = form.query_one("#field-starts_at").region
        assert error.height and body.contains_region(error), (body, error)
        assert body.contains_region(field), (body, field)


async def test_a_save_under_way_is_said_in_view_on_a_short_terminal(make_app, monkeypatch):
    # At 40x12 the heading scrolls away with the fields, and the Save button is hidden:
    # the heading's "saving…" is brought back into view.
    from tui_data import screen_text

    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        answer = held_creates(app.screen.service, monkeypatch)
        await pilot.press("n", *"Slow one", "tab", "tab", "tab")
        await pilot.pause()
        assert "New meeting" not in screen_text(app)  # scrolled away with the fields
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "saving…" in screen_text(app), screen_text(app)
        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_every_tab_stop_of_a_form_is_a_field_or_a_button_in_view(make_app):
    # The scrolling body was a Tab stop of its own with nothing shown focused: a Tab
    # between Save and the first field seemed to do nothing.
    from textual.widgets import Button, Checkbox, Input, Select

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        stops = []
        for _ in range(12):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            stops.append(focused.id if focused else None)
            assert isinstance(focused, (Input, Select, Checkbox, Button)), stops
            assert form.region.contains_region(focused.region), (stops, focused.region)
        assert {"save", "cancel", "field-title"} <= set(stops), stops
