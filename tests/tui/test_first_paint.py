"""What the first screen builds, and what it leaves until it is asked for (issue #16):
the filter box waits for the first `/`, and the stylesheet is parsed once at start."""

from __future__ import annotations

import pytest
from textual import events
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.widgets import Button, Input

from meettui.tui.widgets.filter_box import FilterBox


async def test_the_filter_box_is_built_at_the_first_slash_and_kept(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        assert not main.query("#filter")  # the first paint does without it
        await pilot.press("slash")
        box = main.query_one("#filter", FilterBox)
        assert main.focused is box and box.has_class("visible") and box.display
        await pilot.press(*"lunch", "escape")
        assert box.value == "" and not box.display and main.focused is main.table
        await pilot.press("slash")
        assert main.query_one("#filter") is box  # the same box, shown again
        assert main.focused is box


async def test_the_filter_box_says_what_fits_its_width(make_app):
    # Below 80 columns the box was cut mid-word: "…status:live (Enter keeps".
    from tui_data import screen_text

    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one("#filter", FilterBox)
        said = {}
        for width in (200, 60, 40, 16):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            said[width] = box.placeholder
            assert len(box.placeholder) < box.content_region.width
            if width >= 40:
                assert box.placeholder in screen_text(app)
        assert said == {
            200: "Filter: words, account:NAME, status:live (Enter keeps it, Esc clears)",
            60: "Filter: words, account:NAME, status:live",
            40: "Filter: words, account:, status:",
            16: "Filter",
        }


async def test_esc_and_down_before_any_filter_act_on_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        first = main.selected
        await pilot.press("escape")
        assert main.focused is main.table and main.query_text == ""
        await pilot.press("down")  # the list's own ↓, not "back from the filter"
        assert main.selected is not None and main.selected.key != first.key
        assert not main.query("#filter")


async def test_the_stylesheet_is_parsed_once_at_start_and_again_for_a_new_theme(
        make_app, monkeypatch):
    reparses: list[int] = []
    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(theme="meettui-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # The theme chosen before the first screen is in its styles, without a reparse.
        assert reparses == []
        assert app.screen.styles.background == Color.parse("#14161B")  # themes/meettui-dark
        app.theme = "meettui-light"
        await pilot.pause()
        assert reparses  # a theme changed later restyles the screen
        assert app.screen.styles.background == Color.parse("#F7F8FA")


async def test_the_first_screen_is_styled_once_and_restyled_when_asked_later(
        make_app, monkeypatch):
    from meettui.tui.screens.main import MainScreen

    restyles: list[bool] = []
    original = MainScreen.update_node_styles

    def counted(self, animate: bool = True) -> None:
        restyles.append(animate)
        original(self, animate=animate)

    monkeypatch.setattr(MainScreen, "update_node_styles", counted)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Its widgets were styled as they mounted: the first resume does not redo it.
        assert restyles == []
        # A later resume that asks for it (Textual's own, after a mode switch) restyles.
        app.screen.post_message(events.ScreenResume())
        await pilot.pause()
        assert restyles == [False]


async def test_the_first_frame_has_the_scrollbar_of_a_list_longer_than_the_terminal(
        make_app, monkeypatch):
    # Textual learns that a scrollbar shows only after its first layout, then lays the
    # screen out and renders it again: the first frame had a blank gutter.
    from textual._compositor import Compositor
    from textual.scrollbar import ScrollBar
    from tui_data import default_meetings

    frames: list[bool] = []
    original = Compositor.render_full_update

    def recording(self: Compositor, simplify: bool = False):  # type: ignore[no-untyped-def]
        frames.append(any(isinstance(w, ScrollBar) and w.parent is app.screen.table
                          for w in self.visible_widgets))
        return original(self, simplify)

    monkeypatch.setattr(Compositor, "render_full_update", recording)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        assert frames == [True]
        await pilot.pause()
        assert app.screen.table.show_vertical_scrollbar
    frames.clear()
    app = make_app(default_meetings(10))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert frames and not any(frames)
        assert not app.screen.table.show_vertical_scrollbar


async def test_the_themes_colours_are_worked_out_once_before_the_first_frame(
        make_app, monkeypatch):
    # App.__init__ builds its stylesheet with the variables of Textual's default theme,
    # which meettui replaced at once with those of the theme it chose.
    from textual.design import ColorSystem

    generated: list[int] = []
    original = ColorSystem.generate

    def counted(self: ColorSystem) -> dict[str, str]:
        generated.append(1)
        return original(self)

    monkeypatch.setattr(ColorSystem, "generate", counted)
    app = make_app(theme="meettui-dark")
    async with app.run_test(size=(120, 40)):
        assert len(generated) == 1
        assert app.screen.styles.background == Color.parse("#14161B")


async def test_textuals_default_theme_chosen_at_start_has_its_colours(make_app):
    # Choosing the theme the app already has changes nothing Textual would watch.
    app = make_app(theme="textual-dark")
    async with app.run_test(size=(120, 40)):
        assert app.theme == "textual-dark"
        expected = app.get_theme("textual-dark").to_color_system().generate()["background"]
        assert app.screen.styles.background == Color.parse(expected)


def _count_layouts(monkeypatch) -> list[bool]:
    """Grows by one for every layout of a whole screen (`Compositor.reflow`): whether
    the detail pane had its parts then (they mount when the cursor first rests)."""
    from textual._compositor import Compositor

    layouts: list[bool] = []
    original = Compositor.reflow

    def counted(self: Compositor, parent, size):  # type: ignore[no-untyped-def]
        layouts.append(bool(parent.query("#detail-title")))
        return original(self, parent, size)

    monkeypatch.setattr(Compositor, "reflow", counted)
    return layouts


async def test_the_first_screen_is_laid_out_once(make_app, monkeypatch):
    # Each widget the first layout placed asked for another layout (its `virtual_size`
    # changed), the app's two Resize events at the same size asked for two more, and
    # the list asked for one before it was placed: five layouts before the app was idle,
    # the last two after the first frame, repainting it. The pane's first rest, later,
    # lays it out with its parts.
    from tui_data import default_meetings

    layouts = _count_layouts(monkeypatch)
    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert layouts[0] is False and layouts.count(False) == 1
        table = app.screen.table
        assert table.show_vertical_scrollbar and table.size.height == 35
        assert app.screen.query_one("#detail").region.width > 0


async def test_a_new_size_is_laid_out_and_the_same_size_again_is_not(make_app, monkeypatch):
    from tui_data import default_meetings

    app = make_app(default_meetings(600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        wide = main.table.size.width
        layouts = _count_layouts(monkeypatch)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        # Narrow: the detail pane gives its columns to the list, the hint line goes.
        assert main.has_class("narrow") and main.table.size.width > wide
        assert not main.query_one("#hint").has_class("visible")
        assert main.table.size.height == 24 - 4  # title, column titles, status, keys
        assert 1 <= len(layouts) <= 2  # the new size; the classes it changed
        layouts.clear()
        main.post_message(events.Resize(app.size, app.size))
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not main.has_class("narrow") and main.table.size.width == wide
        assert main.table.size.height == 35


async def test_a_list_that_outgrows_the_view_gets_its_scrollbar(make_app):
    # The one layout that still asks for a second: a widget whose scrollbar came in it.
    from tui_data import default_meetings

    app = make_app(default_meetings(10))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.table
        assert not table.show_vertical_scrollbar
        app.service.cache.upsert_page("team", default_meetings(600))
        table.reload()
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.row_count == 600
        assert table.scrollable_content_region.width == table.size.width - 2


async def test_the_first_frame_has_the_footers_keys_as_they_stay(make_app, monkeypatch):
    # The footer worked its keys out as the screen mounted, before the list had read the
    # cache: with no meeting selected, Edit and Delete were greyed out in the first
    # frame, and a second frame after it lit them.
    from textual._compositor import Compositor

    from meettui.tui.widgets.footer import Hint, KeyFooter

    frames: list[tuple[Hint, ...]] = []
    original = Compositor.render_full_update

    def recording(self: Compositor, simplify: bool = False):  # type: ignore[no-untyped-def]
        footers = [w for w in self.visible_widgets if isinstance(w, KeyFooter)]
        frames.append(footers[0].hints if footers else ())
        return original(self, simplify)

    monkeypatch.setattr(Compositor, "render_full_update", recording)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = {hint.description: hint.enabled for hint in frames[0]}
        # (d is named as a Jitsi room is deleted: forgotten here, from the first frame.)
        assert first["Edit"] and first["Forget"] and first["Help"] and first["Quit"]
        assert frames[0] == app.screen.query_one(KeyFooter).hints


async def test_a_modal_is_laid_out_as_often_as_its_widgets_ask(make_app, monkeypatch):
    # Opening help laid it out three times: its first layout, the widgets it placed
    # asking again, and its mount's own ask after that. A resize under it, five.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        layouts = _count_layouts(monkeypatch)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert 1 <= len(layouts) <= 2
        layouts.clear()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert 1 <= len(layouts) <= 3  # help and the list under it, at the new size


async def test_the_list_changed_under_two_modals_shows_through_both(make_app):
    # A translucent modal keeps the screen under it, as rendered, in its own lines, and
    # Textual repaints only the top screen's: under "Discard changes?" over the form, the
    # form kept the list as it was before the list's last layout (after a resize: the
    # old size's columns, the pane and hint line wrong). What changes in the list
    # repaints the screens between it and the top now.
    from textual.screen import ModalScreen
    from textual.widgets import Static

    from meettui.tui.screens.form import MeetingFormScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"abc", "escape")
        await pilot.pause()
        stack = app.screen_stack
        assert len(stack) == 3 and isinstance(stack[1], MeetingFormScreen)
        assert isinstance(stack[2], ModalScreen) and not isinstance(stack[2], MeetingFormScreen)

        def shown() -> str:
            """The terminal's text: the top screen over the screens it shows through."""
            import os

            from rich.console import Console

            with open(os.devnull, "w") as sink:
                console = Console(width=app.size.width, record=True, file=sink)
                console.print(app.screen._compositor.render_update(
                    full=True, screen_stack=app._background_screens))
                return console.export_text()

        assert "Try: " in shown()  # the list's hint line, through both modals
        main.query_one("#hint").set_class(False, "visible")
        await pilot.pause()
        assert "Try: " not in shown()
        main.query_one("#hint").set_class(True, "visible")
        await pilot.pause()
        assert "Try: " in shown()
        # A repaint without a layout (the status line while a page loads) shows through
        # too.
        main.query_one("#status-line", Static).update("Loading page 7 of team", layout=False)
        await pilot.pause()
        assert "Loading page 7 of team" in shown()


async def test_every_modal_fits_a_small_terminal(make_app):
    # Help (72 wide), a confirmation (64) and the action form (70) had fixed widths: at
    # 50 or 40 columns their right border and text were cut off at the edge.
    from meettui.tui.calendar_file import save_calendar_file

    opened = {
        "help": ("question_mark",),
        "accounts": ("a",),
        "delete": ("d",),
        "paste a link": ("p",),
        "new": ("n",),
        "discard": ("n", "a", "escape"),
    }
    for size in ((50, 15), (40, 12)):
        for name, keys in [*opened.items(), ("calendar file", ())]:
            app = make_app()
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                main = app.screen
                if keys:
                    await pilot.press(*keys)
                else:
                    save_calendar_file(app, main.selected)
                await pilot.pause()
                assert app.screen is not main, name
                screen = app.screen.region
                boxes = [b for b in app.screen.children if b.display and b.region]
                for box in boxes:
                    assert screen.contains_region(box.region), (size, name, box)
                # The field the cursor is in is in view (the calendar file's path was
                # below the edge at 40x12).
                focused = app.screen.focused
                if isinstance(focused, Input) and focused.region:
                    assert any(b.content_region.contains_region(focused.region)
                               for b in boxes), (size, name, focused)
                # Every button whole inside its dialog: "Discard (y" ran past the edge at
                # 40 columns, and the calendar file's buttons below it at 50x15.
                for button in app.screen.query(Button):
                    if button.display and button.region:
                        assert any(b.content_region.contains_region(button.region)
                                   for b in boxes), (size, name, button)


async def test_the_form_keeps_its_fields_in_view_on_a_short_terminal(make_app):
    # At 40x12 the form's buttons and blank rows left its fields one blank row.
    for size, short in (((40, 12), True), ((50, 15), True), ((80, 24), False)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            assert form.has_class("-short") is short, size
            body = form.query_one("#form-body")
            first = next(w for w in body.children if w.display and w.focusable)
            assert body.region.height >= (4 if short else 10), size
            assert form.region.contains_region(first.region), size
            assert form.query_one("#form-buttons").display is not short


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (40, 12)])
async def test_the_accounts_dialog_fits_and_keeps_the_highlight_in_view(tmp_path, size):
    # At 80x24 the demo's accounts ran past the dialog: the last ones and the help line
    # were cut off, and ↓ or End picked accounts out of sight.
    from states import demo_app, settle
    from textual.containers import Vertical
    from textual.widgets import OptionList

    from meettui.demo import demo_accounts
    from meettui.tui.screens.accounts import AccountsScreen

    app = demo_app(tmp_path, providers=tuple(a.provider for a in demo_accounts(None)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AccountsScreen)
        inside = dialog.query_one(Vertical).content_region
        options = dialog.query_one(OptionList)
        assert options.option_count >= 7
        assert inside.contains_region(options.region)
        shown = [w for w in dialog.query("#accounts-title, #accounts-help") if w.display]
        assert all(inside.contains_region(w.region) for w in shown)
        await pilot.press("end")
        await pilot.pause()
        assert options.highlighted == options.option_count - 1
        # Too long for the dialog, the list scrolled to bring the last account in view.
        assert options.max_scroll_y == 0 or options.scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert options.highlighted == 0 and options.scroll_y == 0


async def test_the_accounts_dialog_fits_again_after_a_resize(tmp_path):
    # Opened at 80x24 and resized to 40x12, its list had no rows at all in a real
    # terminal (measured from the layout the resize had left), and back at 80x24 the
    # help line was cut.
    from states import demo_app, settle
    from textual.containers import Vertical
    from textual.widgets import OptionList

    from meettui.demo import demo_accounts

    app = demo_app(tmp_path, providers=tuple(a.provider for a in demo_accounts(None)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        for size in ((40, 12), (80, 24), (50, 15), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            inside = dialog.query_one(Vertical).content_region
            options = dialog.query_one(OptionList)
            assert options.region.height >= 2 and inside.contains_region(options.region), size
            for part in dialog.query("#accounts-title, #accounts-help"):
                if part.display:
                    assert inside.contains_region(part.region), (size, part.id)


@pytest.mark.parametrize("width", [120, 80, 60, 40])
async def test_the_hint_line_shows_whole_tips_and_ends_with_help(make_app, width):
    # Cut at the edge, it lost "? keys" at 80 columns and ended on a dangling "·" at 60.
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#hint", Static)
        text = str(hint.render())
        assert text.startswith("Try: ") and text.endswith("· ? keys")
        assert len(text) <= width - 2
        await pilot.resize_terminal(width + 30, 40)
        await pilot.pause()
        assert len(str(hint.render())) >= len(text)


async def test_an_order_by_a_hidden_column_is_said_in_the_status_line(make_app):
    # Sorted by End below ~145 columns, the ▲/▼ showed nowhere: End is not shown there.
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        status = str(app.screen.query_one("#status-line", Static).render())
        assert status.startswith("40 meetings, by end ▲")
        await pilot.press("E")
        await pilot.pause()
        status = str(app.screen.query_one("#status-line", Static).render())
        assert status.startswith("40 meetings, by end ▼")
        await pilot.press("S")  # Start is a column shown: its header says it
        await pilot.pause()
        status = str(app.screen.query_one("#status-line", Static).render())
        assert status.startswith("40 meetings") and ", by " not in status
