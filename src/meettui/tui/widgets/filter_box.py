"""The list's filter box: a one-line `Input` whose typing repaints it, never the screen.

Textual's `Input` sets its `virtual_size` (its text's width) on every change, and that
reactive asks for a layout of the whole screen (~3 ms, then a repaint) although the
box keeps its size: here it only repaints the box. The box's width and height are
fixed by CSS (not `auto`), which is what makes the layout useless.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterBox(Input):
    """An `Input` (same messages, bindings and styles) that lays nothing out as it is
    typed in."""

    # Same name and internal attribute as Widget's: Textual's own writes go through it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
