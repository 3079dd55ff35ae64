"""The delete key is named as what it does to the highlighted meeting, in every place a
user reads it: the footer, the help (`?`), the command palette, and the question it
asks; and the name follows the cursor across providers and states. On a 24sessions
meeting cancelled already the footer said "d Cancel" while `d` deleted it for good; on
a meeting gone upstream it said "Delete"/"Cancel" while `d` only forgot meettui's copy.
A running eyeson permalink's "Start the meeting now" joins it: it says so."""

from __future__ import annotations

from states import demo_app, settle, show_account

from meettui.core.models import Meeting, Status
from meettui.tui.commands import MeettuiCommands
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.help import HelpScreen
from meettui.tui.widgets.footer import KeyFooter


def footer_label(app, binding_id: str = "meeting.delete") -> str:
    """The label the footer on top shows for `binding_id`'s key."""
    screen = app.screen
    key = next(b.binding.key for b in screen.active_bindings.values()
               if b.binding.id == binding_id)
    hint = next(h for h in screen.query_one(KeyFooter).hints if h.key == key)
    line = screen.query_one(KeyFooter).render_line(0).text
    assert f"{hint.display} {hint.description}" in line, line
    return hint.description


async def palette(app) -> dict[str, str]:
    """The palette's entries on the screen on top: name → help line."""
    shown: dict[str, str] = {}
    async for hit in MeettuiCommands(app.screen).discover():
        shown[str(hit.text)] = str(hit.help or "")
    return shown


async def go_to(pilot, meeting: Meeting) -> None:
    main = pilot.app.screen
    main.table.move_to(main._index_of(meeting))
    await settle(pilot)
    assert main.selected.key == meeting.key


def first(app, account: str, status: Status) -> Meeting:
    return next(m for m in app.service.window([account], "", offset=0, limit=500)
                if m.status == status and not m.missing)


async def test_d_on_a_cancelled_24sessions_meeting_is_named_delete_for_good_everywhere(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "24sessions-demo")
        cancelled = first(app, "24sessions-demo", Status.CANCELLED)
        scheduled = first(app, "24sessions-demo", Status.SCHEDULED)

        await go_to(pilot, scheduled)
        assert footer_label(app) == "Cancel"
        await go_to(pilot, cancelled)
        # The footer: what `d` does here.
        assert footer_label(app) == "Delete for good"
        # The palette: the removal listed under `d`; no cancel it can no longer do.
        entries = await palette(app)
        assert entries["Delete for good"].startswith("key d / del · "), entries
        assert "Cancel meeting" not in entries and "Cancel with a reason" not in entries
        # The help lists the key by the same name.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("d / del", "Delete for good") in app.screen._keys
        await pilot.press("escape")
        await pilot.pause()
        # The question asks what the footer said.
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert (app.screen._title, app.screen._yes) == (
            f"Delete for good: '{cancelled.title}'?", "Delete for good")
        await pilot.press("n")
        await pilot.pause()
        # And back on a scheduled one, the cancel again, in every place.
        await go_to(pilot, scheduled)
        assert footer_label(app) == "Cancel"
        entries = await palette(app)
        assert entries["Cancel meeting"].startswith("key d / del · ")
        assert "key d" not in entries["Delete for good"]
        # The full-screen detail names its `d` the same way.
        await go_to(pilot, cancelled)
        await pilot.press("i")
        await pilot.pause()
        assert footer_label(app) == "Delete for good"
        assert (await palette(app))["Delete for good"].startswith("key d · ")


async def test_d_follows_the_cursor_across_providers_and_a_meeting_gone_upstream(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions", "whereby"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        rows = app.service.window(None, "", offset=0, limit=2000)
        stops = [
            (next(m for m in rows if m.account == "whereby-demo"), "Delete"),
            (first(app, "24sessions-demo", Status.SCHEDULED), "Cancel"),
            (next(m for m in rows if m.account == "jitsi"), "Forget"),
            (first(app, "24sessions-demo", Status.CANCELLED), "Delete for good"),
            (next(m for m in rows if m.account == "whereby-demo"), "Delete"),
        ]
        for meeting, label in stops:
            await go_to(pilot, meeting)
            assert footer_label(app) == label, meeting.account

        # Gone upstream: `d` only forgets meettui's copy, whatever the provider's delete.
        app.set_scope("whereby-demo")
        await settle(pilot)
        meeting = main.selected
        app.service.cache.mark_missing(meeting.account, meeting.id)
        main.table.reload(keep=meeting)
        await settle(pilot)
        assert main.selected.missing
        assert footer_label(app) == "Forget"
        entries = await palette(app)
        assert entries["Forget meeting"].startswith("key d / del · ")
        assert "Delete meeting" not in entries
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen._title.startswith("Forget ") and app.screen._yes == "Forget meeting"


async def test_the_start_of_a_running_eyeson_permalink_is_named_as_the_join_it_is(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "eyeson-demo")
        meetings = app.service.window(["eyeson-demo"], "", offset=0, limit=500)
        running = next(m for m in meetings if m.status == Status.LIVE
                       and not m.id.startswith("room:"))
        waiting = next(m for m in meetings if m.status == Status.SCHEDULED)
        await go_to(pilot, waiting)
        entries = await palette(app)
        assert "Start the meeting now" in entries
        assert "Join the running meeting as host" not in entries
        await go_to(pilot, running)
        entries = await palette(app)
        assert "Start the meeting now" not in entries
        assert "Join the running meeting as host" in entries


async def test_edit_on_a_meeting_gone_upstream_is_greyed_and_says_why(tmp_path):
    # The form opened on a meeting gone upstream, and saving was refused only after the
    # user had typed: the key is greyed, the palette leaves it out, and `e` says why.
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        main = app.screen
        meeting = main.selected
        assert main.check_action("edit", ()) is True
        app.service.cache.mark_missing(meeting.account, meeting.id)
        main.table.reload(keep=meeting)
        await settle(pilot)
        assert main.selected.missing
        assert main.check_action("edit", ()) is None  # greyed: others here can be edited
        assert "Edit meeting" not in await palette(app)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is main  # no form
        said = [message for _, message in app.messages]
        assert any("is gone upstream" in m and "nothing to edit" in m
                   and "Press d to forget it here" in m for m in said), said
        # In the full-screen detail too.
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is not main
        assert app.screen.check_action("edit", ()) is False
