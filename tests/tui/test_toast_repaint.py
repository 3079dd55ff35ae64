"""What the terminal shows after a toast goes: the screen under it, not the toast.

A toast's removal was found by a lazy rebuild of the compositor's map (Textual rebuilds
it on the next look-up once a widget outside the frame, such as a part of the hidden
detail pane, was refreshed), so the layout that followed saw nothing change and
repainted nothing: at 40x12 over an empty list the toast's text stayed on the terminal
until something else drew there."""

from __future__ import annotations

from textual.widgets._toast import Toast
from test_compositor import _cells


async def test_an_expired_toast_leaves_the_screen_as_it_is_under_it(make_app):
    app = make_app([], show_toasts=True)
    terminal: dict[tuple[int, int], tuple[str, object]] = {}
    display = app._display

    def written(screen, update) -> None:
        # What reaches the terminal, cell by cell, as the driver would write it.
        if update is not None:
            terminal.update(_cells(update, app.size.width))
        display(screen, update)

    app._display = written
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.pause()
        app.notify("A message long enough to take several lines of a toast here.",
                   title="Note", timeout=60)
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        toast_region = toast.region
        text = "".join(terminal.get((x, y), (" ",))[0]
                       for y in range(toast_region.y, toast_region.bottom)
                       for x in range(toast_region.x, toast_region.right))
        assert "several" in text  # the toast reached the terminal
        toast._expire()  # its timer's end, without waiting a minute for it
        await pilot.pause()
        await pilot.pause()
        assert not app.screen.query(Toast)
        screen = _cells(app.screen._compositor.render_full_update(), app.size.width)
        stale = sorted((x, y) for (x, y), cell in screen.items()
                       if terminal.get((x, y), (None,))[0] != cell[0])
        assert not stale, stale[:10]
