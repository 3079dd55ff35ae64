"""Textual's command palette, with the app's contrast guarantee (`tui/contrast.py`).

Its entries, help text and input are widgets, drawn through the app's line filters like
every other; the palette screen itself draws the screen below, faded on purpose, and
keeps it so (`without_contrast`), as meettui's own modals do. Imported when the palette
opens: Textual's command module is not needed for the first frame."""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual import events
from textual.command import CommandPalette
from textual.filter import LineFilter

from meettui.tui.contrast import without_contrast

CHOSEN_HOLD = 0.5
"""Seconds the keys typed after Enter wait for the command it chose (`holds_key`)."""


class Palette(CommandPalette):
    """The command palette (Ctrl+P, "Change theme"), its backdrop left faded."""

    _entered_at: float | None = None

    def get_line_filters(self) -> Sequence[LineFilter]:
        return without_contrast(self)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self._entered_at = time.monotonic()

    def holds_key(self, key: events.Key) -> bool:
        """For a moment after Enter, the keys typed wait (`key_hold.py`): Textual runs
        the command chosen several messages later, once the palette has closed, and the
        keys read meanwhile went into the palette closing (`Ctrl+P forget Enter y` left
        "Forget?" unanswered; `add host` Enter `Bob Lee` added "b Lee"). Bounded: an
        Enter that only highlighted an entry leaves the palette open."""
        return self._entered_at is not None and key.key != "escape" \
            and time.monotonic() - self._entered_at < CHOSEN_HOLD
