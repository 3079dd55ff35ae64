"""The highlighted meeting's detail, full screen: what a narrow terminal shows instead
of the side pane (k9s's describe, lazygit's full-screen panel)."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from meettui.core.models import Meeting, SessionData
from meettui.tui.debounce import Settling
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.widgets.detail import DetailPane


class DetailScreen(MeettuiScreen[None]):
    """Every fact, link and the QR of one meeting; it scrolls (↑ ↓ PgUp PgDn)."""

    BINDINGS = [
        Binding("escape,i,q", "close", "Back", id="detail.close"),
    ]

    DEFAULT_CSS = """
    DetailScreen DetailPane { height: 1fr; width: 1fr; }
    """

    def __init__(self, meeting: Meeting, now: datetime, *, revealed: bool = False,
                 notes: tuple[str, ...] = (), session: SessionData | None = None) -> None:
        super().__init__()
        self.meeting = meeting
        self._shown = (now, revealed, notes, session)

    def compose(self) -> ComposeResult:
        yield DetailPane(id="full-detail")
        yield Footer()

    def on_mount(self) -> None:
        now, revealed, notes, session = self._shown
        pane = self.query_one(DetailPane)
        pane.show(self.meeting, now, revealed=revealed, notes=notes, session=session)
        pane.focus()

    def deferred(self) -> list[Settling]:
        """The pane's QR encode."""
        return [self.query_one(DetailPane)]

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(None)
