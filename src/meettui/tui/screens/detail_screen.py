"""The highlighted meeting's detail, full screen: what a narrow terminal shows instead
of the side pane (k9s's describe, lazygit's full-screen panel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding

from meettui.core.models import Meeting, SessionData
from meettui.tui.debounce import Settling
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.screens.link_keys import LINK_KEYS, LINK_MORE_KEYS
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.footer import KeyFooter


class DetailScreen(MeettuiScreen[None]):
    """Every fact, link and the QR of one meeting; it scrolls (↑ ↓ PgUp PgDn).

    The keys the pane's hints name (copy, reveal, QR, open, invitation) work here as in
    the list: they run the `source` screen's actions, which act on the meeting the list
    has highlighted, the one shown (below 100 columns this screen is the only place
    the links are seen, so they must work here)."""

    BINDINGS = [
        Binding("escape,i,q", "close", "Back", id="detail.close"),
        *LINK_KEYS,
        *LINK_MORE_KEYS,
    ]

    DEFAULT_CSS = """
    DetailScreen DetailPane { height: 1fr; width: 1fr; }
    """

    def __init__(self, meeting: Meeting, now: datetime, *, revealed: bool = False,
                 notes: tuple[str, ...] = (), session: SessionData | None = None,
                 source: Any = None) -> None:
        super().__init__()
        self.meeting = meeting
        self._shown = (now, revealed, notes, session)
        # The list screen (typed loosely: it imports this module); None shows only.
        self._source = source

    @property
    def source(self) -> Any:
        """The list screen this detail was opened from (None: it shows only)."""
        return self._source

    def compose(self) -> ComposeResult:
        yield DetailPane(id="full-detail")
        yield KeyFooter()

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

    def _relay(self, action: str, *args: str) -> None:
        if self._source is not None:
            getattr(self._source, f"action_{action}")(*args)

    def action_copy(self, role: str) -> None:
        self._relay("copy", role)

    def action_show_qr(self) -> None:
        self._relay("show_qr")

    def action_open_link(self) -> None:
        self._relay("open_link")

    def action_copy_invitation(self) -> None:
        self._relay("copy_invitation")

    def action_reveal(self) -> None:
        """Reveal (or hide again) the host links, here and in the list's pane."""
        if self._source is None:
            return
        self._source.action_reveal()
        now, _, notes, session = self._shown
        revealed = self.meeting.key in self._source.revealed
        self._shown = (now, revealed, notes, session)
        self.query_one(DetailPane).show(self.meeting, now, revealed=revealed, notes=notes,
                                        session=session)
