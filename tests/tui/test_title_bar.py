"""The title line: the screen's title and sub-title centred, cut with an ellipsis when
too long, following a change of scope; its icon opens the command palette."""

from __future__ import annotations

from meettui.tui.widgets.title_bar import ICON, ICON_WIDTH, RIGHT_WIDTH, TitleBar


def _line(app) -> tuple[str, list]:
    bar = app.screen.query_one(TitleBar)
    strip = bar.render_line(0)
    return strip.text, list(strip)


async def test_the_title_and_scope_are_centred_with_the_scope_dim(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text, segments = _line(app)
        assert len(text) == 120
        assert text.startswith(f" {ICON}")
        title = "meettui — All accounts"
        start = text.index(title)
        room = 120 - ICON_WIDTH - RIGHT_WIDTH
        assert start == ICON_WIDTH + (room - len(title)) // 2
        dim = {s.text for s in segments if s.style and s.style.dim}
        assert dim == {" — ", "All accounts"}


async def test_a_scope_change_retitles_and_a_long_one_is_cut(make_app):
    app = make_app()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        app.screen.sub_title = "support " * 10
        await pilot.pause()
        text, _ = _line(app)
        middle = text[ICON_WIDTH:60 - RIGHT_WIDTH]
        assert middle.startswith("meettui — support support")
        assert middle.endswith("…") and len(text) == 60


async def test_a_click_on_the_icon_opens_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(TitleBar, offset=(60, 0))  # the title itself does nothing
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_a_narrow_line_keeps_the_demo_label_first(make_app):
    """At 25 columns the line was "meettu…": the icon and the clock's space left seven
    cells. Under 42 columns the sub-title shows alone over the whole width, so the DEMO
    label stays in view."""
    app = make_app()
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        app.screen.sub_title = "DEMO — All accounts (simulated data)"
        for width, shown in ((40, "DEMO — All accounts (simulated data)"),
                             (25, "DEMO — All accounts (sim…"),
                             (16, "DEMO — All acco…")):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            text, segments = _line(app)
            assert text.strip() == shown, width
            assert ICON not in text
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        text, _ = _line(app)
        assert text.startswith(f" {ICON}") and "meettui — DEMO" in text
