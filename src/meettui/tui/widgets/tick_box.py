"""A checkbox whose unticked box is empty."""

from __future__ import annotations

from textual.widgets import Checkbox

TICK = "X"
"""The mark in a ticked box (Textual's)."""


class TickBox(Checkbox):
    """Textual's Checkbox, with nothing in the box while it is not ticked.

    Textual draws an unticked box as a faint X (`$panel-darken-2` on `$panel`): the app
    raises every text to 4.5:1 (`tui/contrast.py`), and that X then looked ticked. A
    blank has no colour to raise, so the box reads as empty whatever the theme."""

    def __init__(self, label: str = "", value: bool = False, *, id: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(label, value, id=id, disabled=disabled)
        self.BUTTON_INNER = TICK if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICK if self.value else " "
        super().watch_value()
