"""Screens that know they belong to the meettui app: a typed `app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from meettui.tui.compositor import CroppingCompositor

if TYPE_CHECKING:
    from meettui.tui.app import MeettuiApp
    from meettui.tui.debounce import Settling

ResultType = TypeVar("ResultType")

FIELD_BINDINGS = [
    # Priority: the app moves focus the moment it reads Tab, before it hands on the keys
    # after it. As an ordinary binding, Tab is acted on only after it has bubbled up from
    # the focused field, and keys that arrived in the same burst (a paste, a fast typist,
    # tmux send-keys) have by then gone to the old field: `abc⇥+1h` gave "abc+1h".
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True,
            id="form.next_field"),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True,
            id="form.previous_field"),
]
"""Tab and Shift+Tab in forms."""


class MeettuiScreen(Screen[ResultType]):
    """A full screen of meettui."""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # Renders only what a partial update shows (a PgDn: the list's rows, not the
        # footer, title bar and containers too). Private API: see tui/compositor.py.
        self._compositor = CroppingCompositor()

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)

    def deferred(self) -> list[Settling]:
        """The work this screen defers to a timer or a thread (MeettuiApp.settling)."""
        return []


class MeettuiModal(ModalScreen[ResultType]):
    """A modal screen of meettui (forms, confirmations, pickers)."""

    # A modal cuts the app's bindings off, so `?` is bound here too: help on every modal
    # (a field that takes text keeps its `?`).
    BINDINGS = [Binding("question_mark", "app.help", "Help", id="app.help")]

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)
