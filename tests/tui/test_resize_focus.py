"""After a new terminal size a form shows the field the cursor is in (and its error):
laid out again, a form kept its scroll offset or went back to its top, and what was
typed next went into a field out of view."""

from __future__ import annotations

from states import demo_app, open_edit_form, open_long_term_room_edit_form, show_account
from textual.geometry import Size
from tui_data import screen_text

from meettui.tui.screens.action import ActionFormScreen


async def resized(pilot, width: int, height: int) -> None:
    """The terminal at `width`x`height`, and the modal's focus-follow done: it scrolls
    after the refresh the resize brings, after the whole layout that follows (and the
    layouts its own scroll brings), and once more after that frame is drawn
    (`MeettuiModal._resized`, `_laid_out`). Waited for by what the modal says is still
    to come (`following_focus`) and until a refresh changes nothing in view, not by a
    count of pauses: a loaded machine ran the last pass after the test had looked."""
    await pilot.resize_terminal(width, height)
    screen = pilot.app.screen
    seen = None
    for _ in range(50):
        await pilot.pause()
        now = (screen.size, [(w.region, w.scroll_offset) for w in screen.query("*")])
        if screen.size == Size(width, height) and not screen.following_focus and now == seen:
            return
        seen = now
    raise AssertionError(f"the modal still follows the focus at {width}x{height}")


async def test_the_edit_form_keeps_the_field_and_its_error_in_view(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "24sessions-demo")
        form = await open_edit_form(pilot)
        start = form.query_one("#field-starts_at").value
        await pilot.press("tab", *"yesterday-ish", "ctrl+s")
        await pilot.pause()
        assert form.focused is form.query_one("#field-starts_at")
        for size in ((40, 12), (80, 24)):
            await resized(pilot, *size)
            text = screen_text(app)
            assert "Start *" in text and f"{start}yesterday" in text, (size, text)
        assert "Cannot read the time" in text


async def test_a_form_opened_at_its_top_stays_there_until_the_size_changes(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(60, 14)) as pilot:
        await show_account(pilot, "24sessions-demo")
        form = await open_edit_form(pilot)
        await pilot.pause()
        assert form.query_one("#form-body").scroll_y == 0
        assert form.query_one("#form-body").parent.scroll_y == 0


async def test_the_action_form_keeps_the_focused_field_in_view(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "24sessions-demo")
        app.screen.run_provider_action("cancel")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        await pilot.press("tab")
        assert form.focused is form.query_one("#action-by")
        await resized(pilot, 40, 12)
        text = screen_text(app)
        assert "Cancelled by" in text and "advisor" in text, text


async def test_a_form_opens_with_its_first_field_in_view_below_the_fold(tmp_path):
    # At 80x24 the edit form of a long-term Vonage room opened at its top, its cursor
    # in Expires below the fold: only the field's top border showed, and what was typed
    # went there unseen.
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_long_term_room_edit_form(pilot)
        expires = form.query_one("#field-ends_at")
        assert form.focused is expires
        await pilot.press("X")
        await pilot.pause()
        text = screen_text(app)
        assert "Expires" in text and f"{expires.value}" in text, text
        assert expires.value.endswith("X")
        # The top of the form (the heading, the first field's label) too: both fit.
        # (The room name is fixed once the room exists: no star on an edit.)
        assert "Edit 'Consultation" in text and "Room name" in text, text
        assert "Room name *" not in text, text


async def test_a_field_error_is_in_view_with_its_field_on_a_short_terminal(tmp_path):
    # At 40x12 the Start field of the 24sessions edit form was in view and its error cut
    # off below it, under the field's hint: the heading now scrolls away to make room.
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(40, 12)) as pilot:
        await show_account(pilot, "24sessions-demo")
        await open_edit_form(pilot)
        await pilot.press("tab", *"yesterday-ish", "ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "Start *" in text and "yesterday-is" in text, text
        assert "Cannot read the time" in text and "relative time like +2h" in text, text
        await resized(pilot, 120, 50)
        await resized(pilot, 40, 12)
        assert "relative time like +2h" in screen_text(app)


async def test_a_form_level_error_stays_in_view_with_the_field_after_a_resize(tmp_path):
    # A save's error that names no field (the provider could not be reached) sits under
    # the last field; a resize scrolled to the focused field alone and left it below.
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(40, 12)) as pilot:
        await show_account(pilot, "24sessions-demo")
        form = await open_edit_form(pilot)
        last = form.query("#form-body Input").last()
        last.focus()
        await pilot.pause()
        form.show_error(None, "Boom: no answer from the provider.")
        await pilot.pause()
        await resized(pilot, 80, 24)
        text = screen_text(app)
        assert "Boom: no answer" in text, text
