"""What the first screen builds, and what it leaves until it is asked for (issue #16):
the filter box waits for the first `/`, and the stylesheet is parsed once at start."""

from __future__ import annotations

from textual import events
from textual.color import Color
from textual.css.stylesheet import Stylesheet

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
