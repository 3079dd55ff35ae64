"""A Resize at a size the terminal is not (the start's guess: 80x25, Rich's default when
it cannot tell, as under TERM=dumb) lays the screen out at the app's size. The layout at
the guess and the one at the terminal's size each posted the screen a Resize of their
own size, and the screen flipped between the two layouts about 90 times a second, for
good: the list showed its 80-column layout and its real one in turn."""

from __future__ import annotations

from textual import events
from textual.geometry import Size


async def test_a_resize_at_another_size_lays_out_at_the_app_s(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.post_message(events.Resize(Size(80, 25), Size(80, 25)))
        for _ in range(5):
            await pilot.pause()
        assert screen.size == Size(120, 40) and screen._compositor.size == Size(120, 40)
        laid_out = screen._laid_out_at
        for _ in range(5):
            await pilot.pause()
        assert screen._laid_out_at == laid_out  # no layout after layout, for good
