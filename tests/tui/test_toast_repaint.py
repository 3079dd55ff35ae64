"""What the terminal shows after a toast goes: the screen under it, not the toast.

A toast's removal was found by a lazy rebuild of the compositor's map (Textual rebuilds
it at the next look-up once a widget outside the frame, such as a part of the hidden
detail pane, was refreshed), so the layout that followed saw nothing change and
repainted nothing: at 40x12 over an empty list the toast's text stayed on the terminal
until something else drew there."""

from __future__ import annotations

from test_compositor import _cells
from textual.widgets._toast import Toast

from meettui.tui.screens.form import MeetingFormScreen

TEXT = "A message long enough to take several lines of a toast here."


def terminal_of(app) -> dict[tuple[int, int], tuple[str, object]]:
    """What reaches the terminal from `app`, cell by cell, as its driver writes it."""
    terminal: dict[tuple[int, int], tuple[str, object]] = {}
    display = app._display

    def written(screen, update) -> None:
        if update is not None:
            terminal.update(_cells(update, app.size.width))
        display(screen, update)

    app._display = written
    return terminal


async def expire_a_toast(app, pilot) -> None:
    """Show a toast, then end it as its timer would after a widget outside the frame
    was refreshed (in the app: the hidden detail pane's parts as they fill), which
    leaves Textual's map to be rebuilt at the next look-up: the removal's own. Said by
    the screen on top (over a form: the form's own doing, which shows at once)."""
    app.screen.call_later(app.notify, TEXT, title="Note", timeout=60)
    await pilot.pause()
    await pilot.pause()
    toast = app.screen.query_one(Toast)
    app.screen._compositor._full_map_invalidated = True
    toast._expire()
    await pilot.pause()
    await pilot.pause()
    assert not app.screen.query(Toast)


def stale_cells(app, terminal) -> list[tuple[int, int]]:
    """The cells where the terminal differs from a full render of the screen now."""
    screen = _cells(app.screen._compositor.render_full_update(), app.size.width)
    return sorted(xy for xy, cell in screen.items() if terminal.get(xy, (None,))[0] != cell[0])


async def test_an_expired_toast_leaves_the_list_as_it_is_under_it(make_app):
    app = make_app([], show_toasts=True)
    terminal = terminal_of(app)
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.pause()
        await expire_a_toast(app, pilot)
        assert not stale_cells(app, terminal)


async def test_an_expired_toast_over_a_form_leaves_the_form(make_app):
    app = make_app([], show_toasts=True)
    terminal = terminal_of(app)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)
        await expire_a_toast(app, pilot)
        assert not stale_cells(app, terminal)


async def test_the_terminal_shows_a_toast_while_it_lasts(make_app):
    # The check above would pass if nothing ever reached the terminal.
    app = make_app([], show_toasts=True)
    terminal = terminal_of(app)
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        app.notify(TEXT, title="Note", timeout=60)
        await pilot.pause()
        region = app.screen.query_one(Toast).region
        shown = "".join(terminal.get((x, y), (" ",))[0]
                        for y in range(region.y, region.bottom)
                        for x in range(region.x, region.right))
        assert "several" in shown and not stale_cells(app, terminal)
