"""The main screen's actions beyond the list itself: jumping to now, remembering each
account view's cursor, switching read-only, and saying why a write key does nothing on a
read-only account. Its links (copy, the QR view, reveal, open, invitation, join data,
paste): `main_links`.

`MainScreen` inherits these (its own bindings come after these ones)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding

from meettui.core.models import Meeting, Status
from meettui.core.rowblocks import Read
from meettui.core.search import DEFAULT_ORDER
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.screens.link_keys import LINK_MORE_KEYS, SHARE_BINDINGS

# The modals, the browser and the invitation template are imported by the action that
# uses them: the first paint needs none of them.

if TYPE_CHECKING:
    from meettui.tui.screens.main import MainScreen

WRITE_ACTIONS = ("new", "edit", "delete")
"""The actions a read-only account hides (and refuses, with a reason, when pressed)."""

SELECTION_ACTIONS = frozenset({"copy", "reveal", "show_qr", "details", "open_link",
                               "copy_invitation"})
"""The list's keys that act on the selected meeting: greyed while there is none (an
empty list: `y Copy link` and `Q QR` showed lit on an account with no meetings), and
said why when pressed anyway (`on_key`)."""

SCAN_BLOCK = 512
"""Rows read at a time when looking for the first meeting not yet ended."""

_ENDED = (Status.ENDED, Status.EXPIRED, Status.CANCELLED)


PANE_KEYS = "Detail pane ↔ list (PgUp/PgDn scroll there)"
"""What Tab and Shift+Tab do where the detail pane shows."""
PANE_KEYS_NARROW = "Detail pane ↔ list (from {columns} columns on)"
"""What the help says of them below `MainScreen.NARROW` columns, where the pane gives way
to the list: it said they move to a pane there is none of (pressed, they say so)."""


class MainScreenActions(MeettuiScreen[None]):
    """Actions of the main screen that do not touch its layout (see module docstring)."""

    BINDINGS = [
        # The list and the detail pane only (the filter box is reached with `/`).
        # Priority: run before the keys read after it in one burst ('Tab /lunch' from
        # the pane), and waiting itself for the keys read before it (`n Hello Tab`:
        # the form's Tab then). See `MainScreenFilter.action_next_pane`.
        Binding("tab,shift+tab", "next_pane", PANE_KEYS, show=False, id="app.next_pane",
                priority=True),
        *LINK_MORE_KEYS,
        Binding("full_stop", "jump_now", "Jump to now", show=False, id="list.now"),
        Binding("p", "paste_link", "Paste a meeting link", show=False, id="link.import"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Each account view's own cursor: the meeting last highlighted there, by scope.
        self._cursor_by_scope: dict[str | None, Meeting] = {}
        self._shown_scope: str | None = None
        self._scope_shown_once = False

    @property
    def _main(self) -> MainScreen:
        return cast("MainScreen", self)

    # -- read-only: hidden, and refused with a reason when pressed anyway ------------------

    def cache_read_only(self, what: str = "the change") -> str | None:
        """Why nothing can be changed or fetched (`what` could not be kept) when the
        cache was opened read-only, with what to do; None when it takes writes. `L`
        cannot lift it, so the account's toggle is not offered."""
        cache = self._main.service.cache
        if cache.read_only is None:
            return None
        error = cache.read_only_error(what)
        return f"{error.message} {error.hint}"

    def write_refusal(self, action: str) -> str | None:
        """Why `action` (new, edit, delete) cannot be done because of read-only, or None."""
        main = self._main
        service = main.service
        if (said := self.cache_read_only()) is not None:
            return said
        if action == "new":
            names = main.scope
            if names and all(service.is_read_only(n) for n in names):
                return self.read_only(names[0]) if len(names) == 1 else (
                    "Every account here is read-only. "
                    f"{self._toggle_hint('each account')}")
            return None
        meeting = main.selected
        if meeting is not None and service.is_read_only(meeting.account):
            return self.read_only(meeting.account)
        return None

    def read_only(self, name: str) -> str | None:
        """Why account `name` refuses changes (read-only), and how to lift it here; None
        when it takes them. "Account 'team' is read-only." said nothing of `L`."""
        reason = self._main.service.can_write(name)
        if reason is None:
            return None
        return self.cache_read_only() or f"{reason} {self._toggle_hint('it')}"

    def _toggle_hint(self, what: str) -> str:
        """How to make `what` ("it", or "each account") writable for this session."""
        # Not `key_for`: it asks check_action, which asks this.
        key = self._main._key_shown("account.read_only")
        how = f"press {key}" if key else "choose \"Toggle read-only\" (Ctrl+P)"
        if what == "it":
            return f"To make it writable for this session, {how}."
        return f"To make {what} writable for this session, {how} on one of its meetings."

    def action_toggle_read_only(self) -> None:
        """L: the highlighted meeting's account (all in scope when none) read-only or back."""
        said = self.cache_read_only()
        if said is not None:
            # Every account is read-only while the cache is: the toggle changes nothing.
            self.app.notify(said, title="Read-only cache", severity="warning")
            return
        meeting = self._main.selected
        names = [meeting.account] if meeting else self._main.scope
        for name in names:
            now_read_only = not self._main.service.is_read_only(name)
            self._main.service.set_read_only(name, now_read_only)
            self.app.notify(f"{name} is {'read-only' if now_read_only else 'writable'} now.")
        self._main.update_status()
        # The keys, the hint line's tips and the pane's (an empty list's `n` to create)
        # follow what the account takes now.
        self._main.write_keys_follow()
        self._main.show_detail(self._main.selected)
        self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        # A hidden or greyed-out binding lets its key through silently: say why instead.
        mine = [bindings for node, bindings in self._binding_chain if node is self]
        for binding in (b for m in mine for b in m.key_to_bindings.get(event.key, ())):
            name = binding.action.partition("(")[0]
            if name in SELECTION_ACTIONS and self._main.selected is None:
                # Greyed: the key went through silently. (Keys a focused text field
                # binds never get here: it ran them as it read them, `OrderedInput`.)
                event.stop()
                self._main._need_selection()
                return
            if binding.action in SHARE_BINDINGS and self.check_action(name, ()) is None:
                # Greyed for a meeting with no link to give a guest: the action says so.
                event.stop()
                if name == "copy":
                    self._main.action_copy("share")
                else:
                    getattr(self._main, f"action_{name}")()
                return
            if binding.action in WRITE_ACTIONS:
                reason = self.write_refusal(binding.action)
                if reason is not None:
                    event.stop()
                    self.app.notify(reason, severity="warning")
                    return
                if self.check_action(binding.action, ()) is not True:
                    # Greyed out or hidden (no account here makes meetings, a provider
                    # that cannot edit or delete such a meeting, a cancelled one): the
                    # action itself says why, and nothing else.
                    event.stop()
                    getattr(self, f"action_{binding.action}")()
                    return

    def keys_for(self, binding_id: str) -> str:
        """The keys bound to `binding_id` on this screen now (remaps included), e.g.
        "Q / Enter"; "" when none. The palette shows them, so it teaches the keys."""
        keys: list[str] = []
        for _node, bindings in self._binding_chain:
            for key_bindings in bindings.key_to_bindings.values():
                for binding in key_bindings:
                    if binding.id == binding_id:
                        shown = self.app.get_key_display(binding)
                        if shown not in keys:
                            keys.append(shown)
        return " / ".join(keys)

    # -- now, and each account view's own cursor ---------------------------------------

    def action_jump_now(self) -> None:
        """Move to what is on now or next: in start order, where the list opens (its
        home, `cache_window.home_key`); in another order, the first meeting not yet
        ended in the list's order."""
        main = self._main
        if main.order == DEFAULT_ORDER:
            # The same row a view opens on: `.` walked to the first meeting not ended,
            # a room live since the morning, where the view opened on what started
            # within the hour.
            position = main._locate(None, True, None)
            if position is None:
                return  # the cache is busy: the status line says so
            if position.index is not None:
                main.table.move_to(position.index)
            else:
                self.app.notify("Every meeting here has ended." if position.count
                                else "No meetings here.")
            return
        now = self.app.clock.now()
        # Block after block, each read on from the last row's key.
        anchor = None
        index = 0
        while True:
            rows = main._rows(Read(anchor, False, SCAN_BLOCK))
            if rows is None:
                return  # the cache is busy: the status line says so
            for _, stored in rows:
                meeting = stored.meeting()
                if meeting is not None and _not_ended(meeting, now):
                    main.table.move_to(index)
                    return
                index += 1
            if len(rows) < SCAN_BLOCK:
                break
            anchor = rows[-1][0]
        self.app.notify("Every meeting here has ended." if index else "No meetings here.")

    def restore_cursor(self, leaving: Meeting | None) -> None:
        """The list now shows another scope: remember `leaving` (the meeting highlighted in
        the previous one) and put the cursor back where it was in this one (where the
        list opens, the first time)."""
        main = self._main
        current = self.app.scope
        if current == self._shown_scope:
            # The first call shows the scope the app starts in: the next switch away must
            # remember its cursor (it came back on the first row after one round trip).
            self._scope_shown_once = True
            return
        if self._scope_shown_once and leaving is not None:
            self._cursor_by_scope[self._shown_scope] = leaving
        self._shown_scope = current
        self._scope_shown_once = True
        target = self._cursor_by_scope.get(current)
        index = main._index_of(target) if target is not None else None
        if index is not None:
            main.table.move_to(index)
        else:
            # Shown for the first time (or its meeting is gone): where a view opens,
            # on now or next, as the view the app starts in does. It opened on its
            # first row, weeks in the past.
            main.table.go_home()


def _not_ended(meeting: Meeting, now: datetime) -> bool:
    """Not yet over: live, or ending after `now` (without an end: starting at or after
    it). A meeting with no times at all is not "now"."""
    status = meeting.effective_status(now)
    if meeting.missing or status in _ENDED:
        return False
    if status == Status.LIVE:
        return True  # on now, whatever its times say (some rooms have no end)
    if meeting.ends_at is not None:
        return meeting.ends_at > now
    return meeting.starts_at is not None and meeting.starts_at >= now
