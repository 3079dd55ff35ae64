"""The detail pane: everything about the highlighted meeting, links by role, the QR."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.visual import VisualType
from textual.widgets import Static

from meettui.core.display import countdown, local_time, printable
from meettui.core.models import Meeting, Role, SessionData
from meettui.tui.widgets.qr import QRCodeView

ROLE_KEYS = {Role.GUEST: "g", Role.HOST: "h", Role.VIEWER: "v", Role.ATTENDEE: "t"}


class Block(Static):
    """A Static whose height always follows its latest content.

    Textual 8.2 caches a widget's box model under a counter that `refresh(layout=True)`
    bumps only when no layout is pending yet. When a layout of the screen runs between
    two updates (the first start does this: pages land one after another while the
    pane changes from "No meeting selected" to the first meeting), the height measured
    for the older content is found in that cache again, and the pane shows the first
    line of each block only. Bumping the counter on every update keys the cache on the
    content that is shown.
    """

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show `content`, and measure the height again at the next layout."""
        super().update(content, layout=layout)
        if layout:
            self._layout_updates += 1


class DetailPane(VerticalScroll):
    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane #detail-title { text-style: bold; color: $text; margin-bottom: 1; }
    DetailPane #detail-links { margin-top: 1; }
    DetailPane #detail-qr { height: auto; width: auto; margin-top: 1; }
    DetailPane #detail-notes { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.meeting: Meeting | None = None
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Block(id="detail-title")
        yield Block(id="detail-facts")
        yield Block(id="detail-links")
        yield QRCodeView(None, id="detail-qr")
        yield Block(id="detail-notes")

    def show(self, meeting: Meeting | None, now: datetime, *, revealed: bool = False,
             notes: tuple[str, ...] = (), session: SessionData | None = None) -> None:
        """Show `meeting` (None: nothing selected). `session` is join data an action
        returned for it: shown with its credentials masked, always (copying it is a
        palette command that asks first)."""
        self.meeting = meeting
        self.revealed = revealed
        title = self.query_one("#detail-title", Static)
        facts = self.query_one("#detail-facts", Static)
        links = self.query_one("#detail-links", Static)
        qr = self.query_one("#detail-qr", QRCodeView)
        notes_widget = self.query_one("#detail-notes", Static)
        if meeting is None:
            title.update(Text("No meeting selected"))
            facts.update(Text("Pick a meeting in the list, or press n to create one.",
                              style="dim"))
            links.update("")
            qr.data = None
            notes_widget.update("")
            return
        # Provider text is data, never markup: Text() shows it exactly as typed.
        title.update(Text(printable(meeting.title) or "(untitled)"))
        facts.update(self._facts(meeting, now))
        shown_links = self._links(meeting, revealed)
        if session is not None:
            shown_links.append("\n\n")
            shown_links.append(printable(session.label), style="bold")
            shown_links.append("  (Ctrl+P: copy as JSON; credentials masked here)\n",
                               style="dim")
            shown_links.append("\n".join(printable(line) for line in
                                          session.as_json(reveal=False).splitlines()))
            if session.help:
                shown_links.append("\n" + printable(session.help), style="dim")
        links.update(shown_links)
        shareable = meeting.shareable_link()
        qr.data = shareable.url if shareable else None
        note_lines = list(notes)
        if meeting.missing:
            note_lines.insert(0, "No longer listed by the provider (deleted or expired upstream).")
        notes_widget.update(Text("\n".join(note_lines)))

    def _facts(self, meeting: Meeting, now: datetime) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        status = meeting.effective_status(now)
        grid.add_row("Status", Text(status.value))
        grid.add_row("Account", Text(f"{printable(meeting.account)} "
                                     f"({printable(meeting.provider)})"))
        grid.add_row("Starts", Text(local_time(meeting.starts_at, "%a %d %b %Y %H:%M %Z")))
        grid.add_row("Ends", Text(local_time(meeting.ends_at, "%a %d %b %Y %H:%M %Z")))
        if meeting.expires_at:
            grid.add_row(
                "Link expires",
                Text(f"{local_time(meeting.expires_at, '%d %b %H:%M')} "
                     f"({countdown(meeting.expires_at, now)})"),
            )
        if meeting.capacity:
            grid.add_row("Capacity", Text(str(meeting.capacity)))
        grid.add_row("ID", Text(printable(meeting.id)))
        for label, value in meeting.details.items():
            grid.add_row(Text(printable(label)), Text(printable(value)))
        return grid

    def _links(self, meeting: Meeting, revealed: bool) -> Text:
        if not meeting.links:
            return Text("This meeting has no links.", style="dim")
        # One block per link: role and keys on a line, the URL on its own full-width line,
        # so a long URL wraps as a whole instead of squeezing into a column.
        text = Text()
        for index, link in enumerate(meeting.links):
            if index:
                text.append("\n")
            url = link.url if (revealed or not link.sensitive) else link.masked()
            text.append(link.role.value, style="bold")
            if link.label:
                text.append(f" · {printable(link.label)}")
            key = ROLE_KEYS.get(link.role, "")
            hints = [f"{key} copy"] if key else []
            if link.sensitive:
                hints.append("r hide" if revealed else "r reveal")
            if hints:
                text.append("  (" + ", ".join(hints) + ")", style="dim")
            text.append("\n")
            text.append(printable(url),
                        style="underline" if not link.sensitive or revealed else "dim")
        return text
