"""Textual's command palette, with the app's contrast guarantee (`tui/contrast.py`).

Its entries, help text and input are widgets, drawn through the app's line filters like
every other; the palette screen itself draws the screen below, faded on purpose, and
keeps it so (`without_contrast`), as meettui's own modals do. Imported when the palette
opens: Textual's command module is not needed for the first frame."""

from __future__ import annotations

from collections.abc import Sequence

from textual.command import CommandPalette
from textual.filter import LineFilter

from meettui.tui.contrast import without_contrast


class Palette(CommandPalette):
    """The command palette (Ctrl+P, "Change theme"), its backdrop left faded."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        return without_contrast(self)
