"""The highlighted meeting's detail, full screen: what a narrow terminal shows instead
of the side pane (k9s's describe, lazygit's full-screen panel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from meettui.core.models import Meeting, SessionData
from meettui.tui.app_writes import under_way_line
from meettui.tui.debounce import Settling
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.screens.link_keys import LINK_KEYS, LINK_MORE_KEYS, SHARE_ACTIONS, SHARE_BINDINGS
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.footer import KeyFooter


class DetailScreen(MeettuiScreen[None]):
    """Every fact, link and the QR of one meeting; it scrolls (↑ ↓ PgUp PgDn).

    The keys the pane's hints name (copy, reveal, QR, open, invitation) work here as in
    the list: they run the `source` screen's actions, which act on the meeting shown
    here while this screen is open (`MainScreen.acted_on`; below 100 columns this
    screen is the only place the links are seen, so they must work here). What the
    palette changes (an action, an edit, a delete) is asked and run over this screen,
    which then shows the meeting as it is (`follow`): the one that replaced it, or the
    list when it is gone."""
    HELP_TITLE = "Meeting details"

    BINDINGS = [
        Binding("escape,i,q", "close", "Back", id="detail.close"),
        *LINK_KEYS,
        *LINK_MORE_KEYS,
        # The list's own keys for them (and ids: a keymap moves both): below 100 columns
        # this screen is where a meeting is looked at, and they were in Ctrl+P only.
        Binding("e", "edit", "Edit", id="meeting.edit"),
        Binding("d,delete", "delete", "Delete", id="meeting.delete"),
    ]

    DEFAULT_CSS = """
    DetailScreen DetailPane { height: 1fr; width: 1fr; }
    DetailScreen #under-way { height: 1; padding: 0 1; display: none;
                              color: $text-warning; text-style: bold;
                              text-wrap: nowrap; text-overflow: ellipsis; }
    DetailScreen #under-way.visible { display: block; }
    """

    def __init__(self, meeting: Meeting, now: datetime, *, revealed: bool = False,
                 notes: tuple[str, ...] = (), session: SessionData | None = None,
                 source: Any = None) -> None:
        super().__init__()
        self.meeting = meeting
        self._shown = (now, revealed, notes, session)
        # The list screen (typed loosely: it imports this module); None shows only.
        self._source = source
        # The meeting shown is gone (deleted, or the list shows another account now):
        # this screen closes as soon as it is on top.
        self._gone = False

    @property
    def source(self) -> Any:
        """The list screen this detail was opened from (None: it shows only)."""
        return self._source

    def compose(self) -> ComposeResult:
        yield DetailPane(id="full-detail")
        # What is under way (a change run from the palette): there is no status line here.
        yield Static(id="under-way")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Opened without the toasts said before it (they stay in the log), as a dialog
        # opens: they covered the facts it was opened to read.
        self.app.dismiss_toasts()
        now, revealed, notes, session = self._shown
        pane = self.query_one(DetailPane)
        pane.show(self.meeting, now, revealed=revealed, notes=notes, session=session)
        pane.focus()
        self._keys_follow()
        self.writes_changed()
        # Another account's list was asked for (the palette's "Show account"): the
        # list, not this meeting, is what the user wants to see.
        self.watch(self.app, "scope", self._scope_changed, init=False)

    def _scope_changed(self, _scope: str | None) -> None:
        self._close_when_on_top()

    def writes_changed(self) -> None:
        """Say what is under way (a change run from here has no other place to show)."""
        if not self.is_mounted:
            return  # on_mount says it
        line = self.query_one("#under-way", Static)
        text = under_way_line(self.app.writes, self.app.write_activity)
        line.update(Text(text))
        line.set_class(bool(text), "visible")

    def follow(self, meeting: Meeting | None) -> None:
        """Show `meeting`: what a change made of the one shown (the same meeting as it
        is now, or the one that replaced it). None: it is gone, and this screen closes
        (once it is on top again)."""
        if meeting is None:
            self._close_when_on_top()
            return
        self.meeting = meeting
        source = self._source
        now = self.app.clock.now()
        if source is None:
            _, revealed, notes, session = self._shown
        else:
            revealed = meeting.key in source.revealed
            notes = source.notes_for(meeting)
            session = source.session_data.get(meeting.key)
        self._shown = (now, revealed, notes, session)
        self.query_one(DetailPane).show(meeting, now, revealed=revealed, notes=notes,
                                        session=session)
        self._keys_follow()

    def _close_when_on_top(self) -> None:
        self._gone = True
        if self.app.screen is self:
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        if self._gone:
            self.dismiss(None)

    def deferred(self) -> list[Settling]:
        """The pane's QR encode."""
        return [self.query_one(DetailPane)]

    def action_close(self) -> None:
        """Back to the list, the meeting's host links masked again: closing its detail is
        leaving the meeting (a link revealed here stayed whole when the detail was
        opened again, and in the side pane of a wider terminal)."""
        source = self._source
        if source is not None and self.meeting.key in source.revealed:
            source.revealed.discard(self.meeting.key)
            source.show_detail(source.selected)
        self.dismiss(None)

    def _relay(self, action: str, *args: str) -> None:
        if self._source is not None:
            getattr(self._source, f"action_{action}")(*args)

    def action_copy(self, role: str) -> None:
        self._relay("copy", role)

    def action_edit(self) -> None:
        self._relay("edit")

    def action_delete(self) -> None:
        self._relay("delete")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Edit and delete show where the meeting shown can be edited or deleted (its
        # account writable, its provider able to); pressed anyway, the list's action
        # says why (`on_key`).
        if action in ("edit", "delete"):
            return self._can_write(action)
        if action in SHARE_ACTIONS and parameters in ((), ("share",)) \
                and self.meeting.shareable_link() is None:
            return None  # greyed, as on the list: no link to give a guest (`on_key`)
        return True

    def _can_write(self, action: str) -> bool:
        source = self._source
        if source is None:
            return False
        service = source.service
        if service.is_read_only(self.meeting.account):
            return False
        return bool(source._can(action, service.capabilities_for(self.meeting),
                                self.meeting))

    def on_key(self, event: events.Key) -> None:
        # A hidden edit or delete lets its key through silently: say why instead.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.action in ("edit", "delete") and self._source is not None \
                    and not self._can_write(binding.action):
                event.stop()
                self._relay(binding.action)
                return
            if binding.action in SHARE_BINDINGS and self._source is not None \
                    and self.meeting.shareable_link() is None:
                event.stop()
                name = binding.action.partition("(")[0]
                self._relay(name, *(("share",) if name == "copy" else ()))
                return

    def _keys_follow(self) -> None:
        """Name `d` as what it does to the meeting shown (`delete_key`: "Cancel",
        "Forget", "Delete for good") and light up edit and delete where they apply."""
        if self._source is not None:
            from meettui.core.delete_key import delete_key

            self.describe_binding("meeting.delete", delete_key(
                self._source.service.capabilities_for(self.meeting), self.meeting).label)
        self.refresh_bindings()

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
