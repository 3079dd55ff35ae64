"""Where a Textual scrollbar draws its thumb, to repaint it only when that changes."""

from __future__ import annotations

from math import ceil

from textual.scrollbar import ScrollBar, ScrollBarRender

Thumb = tuple[int, int] | None
"""(start, end) of the thumb in eighths of a cell, or None when no thumb is drawn."""


def thumb(bar: ScrollBar, position: float) -> Thumb:
    """Where ``bar`` draws its thumb when scrolled to ``position`` (in rows or columns),
    at its current size: the arithmetic of Textual 8's ``ScrollBar._render_bar`` and
    ``ScrollBarRender.render_bar``, which is all the drawn bar depends on besides its
    colours. Two positions with the same thumb draw the same bar.
    """
    position = bar.validate_position(position)
    size = bar.size.height if bar.vertical else bar.size.width
    virtual_size = ceil(bar.window_virtual_size)
    window_size = ceil(bar.window_size if bar.window_size < bar.window_virtual_size else 0)
    if not (window_size and size and virtual_size and size != virtual_size):
        return None
    bars = len(ScrollBarRender.VERTICAL_BARS if bar.vertical else ScrollBarRender.HORIZONTAL_BARS)
    thumb_size = max(1, window_size / (virtual_size / size))
    offset = (size - thumb_size) * (position / (virtual_size - window_size))
    start = int(offset * bars)
    return start, start + ceil(thumb_size * bars)


def move_quietly(bar: ScrollBar, position: float) -> bool:
    """Give ``bar`` its new ``position`` without a repaint when the thumb would be drawn
    where it is (at 100,000 rows the thumb moves once every few thousand rows, and a
    repaint of a scrollbar costs about 1 ms). Returns whether it did; if not, the caller
    sets the position as usual, which repaints.

    The position is still updated, so a drag that starts from it is exact.
    """
    if bar.renderer is not ScrollBarRender:
        return False  # another renderer may draw more than the thumb
    if thumb(bar, bar.position) != thumb(bar, position):
        return False
    bar.set_reactive(ScrollBar.position, bar.validate_position(position))
    return True
