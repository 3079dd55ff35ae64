"""The main screen's actions beyond the list itself: copying a chosen host's link, an
invitation or an action's join data, opening a link in the browser, jumping to now,
remembering each account view's cursor, switching read-only, and saying why a write key
does nothing on a read-only account.

`MainScreen` inherits these (its own bindings come after these ones)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding

from meettui.core.capabilities import Capabilities
from meettui.core.display import named, plain_link, printable, quoted
from meettui.core.link_check import refusal
from meettui.core.models import Link, Meeting, Role, Status
from meettui.core.rowblocks import Read
from meettui.core.search import DEFAULT_ORDER
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.screens.key_names import key_in
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


def link_name(link: Link, meeting: Meeting | None, caps: Capabilities | None) -> str:
    """How a message names `link` of `meeting`: "the host link of Bo Banker" when its
    label names whose it is, else "the guest link". A label names a person when the
    provider says so (`host_links_named`) or when it is what tells several links of one
    role apart (the chooser showed it); otherwise it describes the link ("room link",
    "roomKey: host powers") and reads wrong after "of"."""
    name = f"the {link.role.value} link"
    holder = link_holder(link, meeting, caps)
    return f"{name} of {holder}" if holder else name


def link_holder(link: Link, meeting: Meeting | None, caps: Capabilities | None) -> str:
    """Whose `link` is, as its label says (see `link_name`); "" when the label is no name."""
    label = printable(link.label).strip()
    named = (caps is not None and caps.host_links_named and link.role == Role.HOST) or (
        meeting is not None and len(meeting.links_for(link.role)) > 1)
    return label if named else ""


def in_sentence(label: str) -> str:
    """A label as a noun inside a sentence: "Join data (Chime)" -> "the join data
    (Chime)"; an acronym keeps its capitals ("the JSON ...")."""
    text = printable(label).strip()
    if text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    return f"the {text}"


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

    # -- links: copy a chosen host's, open in the browser ---------------------------------------

    def copy_link(self, link: Link, meeting: Meeting | None = None) -> None:
        """Copy `link` (of `meeting`, the highlighted one unless given), asking first
        when it is sensitive; messages name whose it is when its label says so."""
        from meettui.tui.screens.confirm import ConfirmScreen

        main = self._main
        meeting = meeting if meeting is not None else main.acted_on
        caps = main.service.capabilities_for(meeting) if meeting is not None else None
        name = link_name(link, meeting, caps)
        refused = refusal(link.url)
        if refused is not None:
            self.app.notify(f"The {name} was not copied: it is {refused}.",
                            severity="warning", timeout=10)
            return
        url = plain_link(link.url)
        if not link.sensitive:
            main._copy(url, name, gone=meeting)
            return

        def answer(ok: bool | None) -> None:
            if not ok:
                return
            if meeting is not None and meeting.key in main.revealed:
                # Revealed in the pane already: the toast shows it whole too, to copy by
                # hand where no clipboard took it.
                main._copy(url, name, gone=meeting)
                return
            main._copy(url, name, masked=plain_link(link.masked()),
                       unmask=f"{self._reveal_keys()} to reveal it, then copy it by hand.",
                       gone=meeting)

        about = f" for {named(meeting.title, meeting.id)}" if meeting is not None else ""
        self.app.push_screen(
            ConfirmScreen(
                f"Copy {name}{about}?",
                "This link gives host rights (or carries a token). Anyone who gets it can "
                "run the meeting. Paste it only where guests cannot see it.",
                yes="Copy",
            ),
            answer,
        )

    def choose_host_link(self, meeting: Meeting) -> None:
        """Several hosts: ask whose link to copy, then copy it (asking as usual)."""
        from meettui.tui.screens.choose import ChooseScreen

        hosts = meeting.links_for(Role.HOST)
        caps = self._main.service.capabilities_for(meeting)
        options = [(str(i), link_holder(link, meeting, caps) or f"Host {i + 1}")
                   for i, link in enumerate(hosts)]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.copy_link(hosts[int(key)], meeting)

        self.app.push_screen(ChooseScreen(
            f"Copy which host's link for {named(meeting.title, meeting.id)}?", options), chosen)

    def action_reveal(self) -> None:
        main = self._main
        meeting = main._need_selection()
        if meeting is None:
            return
        if not any(link.sensitive for link in meeting.links):
            self.app.notify("This meeting has no hidden links.")
            return
        main.revealed ^= {meeting.key}
        main.show_detail(meeting)
        if main.has_class("narrow") and self.app.screen is main:
            # No pane to show the change in: say it, and where to look (on the detail
            # screen, which shows the links, a toast would only cover them).
            shown = meeting.key in main.revealed
            self.app.notify(f"Hidden links of {quoted(meeting.title)} "
                            + (f"shown: press {self._first_key('detail.full', 'i')} to see "
                               "them." if shown else "masked again."))

    def _first_key(self, binding_id: str, default: str) -> str:
        """The first key bound to `binding_id` on the list now (after the keymap)."""
        return self.keys_for(binding_id).split(" / ")[0] or default

    def _reveal_keys(self) -> str:
        """How to reveal the host links from where the user is: "press r" on the
        full-screen detail or beside the pane; "press i, then r" on a list too narrow
        for the pane, where `r` alone only says to open the detail (after the keymap)."""
        from meettui.tui.screens.detail_screen import DetailScreen

        main = self._main
        # The screen under whatever question or picker is open over it.
        under = next((screen for screen in reversed(self.app.screen_stack)
                      if isinstance(screen, DetailScreen | type(main))), main)
        if isinstance(under, DetailScreen):
            key = under.key_for("detail.reveal")
            return f"press {key if key != '?' else 'r'}"
        reveal = self._first_key("detail.reveal", "r")
        if main.has_class("narrow"):
            return f"press {self._first_key('detail.full', 'i')}, then {reveal}"
        return f"press {reveal}"

    def action_details(self) -> None:
        """The highlighted meeting's detail, full screen (the pane hides below NARROW)."""
        main = self._main
        meeting = main._need_selection()
        if meeting is None:
            return
        from meettui.tui.screens.detail_screen import DetailScreen

        self.app.push_screen(DetailScreen(
            meeting, self.app.clock.now(), revealed=meeting.key in main.revealed,
            notes=main.notes_for(meeting), session=main.session_data.get(meeting.key),
            source=main))

    def action_open_link(self) -> None:
        """Open the shareable (guest) link in the web browser, off the UI thread."""
        meeting = self._main._need_selection()
        if meeting is None:
            return
        link = meeting.shareable_link()
        if link is None:
            refused = meeting.refused_links
            self.app.notify("This meeting has no link to open" + (
                f": {printable(refused)}." if refused else "."), severity="warning",
                timeout=15 if refused else None)
            return
        self.run_worker(self._open(link.url), group="open-link", exit_on_error=False,
                        description=f"open {meeting.id}")

    async def _open(self, url: str) -> None:
        import asyncio

        from meettui.tui.browser import open_in_browser

        problem = await asyncio.to_thread(open_in_browser, url)
        shown = printable(url)
        if problem is None:
            self.app.notify(f"Opened in the browser: {shown}")
        elif refusal(url) is not None:
            self.app.notify(problem, severity="warning", timeout=15)
        else:
            self.app.notify(f"{problem} The link is: {shown} (y copies it).",
                            severity="warning", timeout=15)

    def action_copy_invitation(self) -> None:
        """Copy the meeting as plain text (title, time, guest link) from the template."""
        from meettui.core.invitation import invitation_text

        meeting = self._main._need_selection()
        if meeting is None:
            return
        try:
            text = invitation_text(self._main.service.config.invitation, meeting)
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        # Nothing in it is secret (the guest link only): the toast shows it, on one line.
        self._main._copy(text, "the invitation", gone=meeting)

    def dead_link_note(self, meeting: Meeting | None) -> str | None:
        """What is said where the app hands out a link of `meeting` whose links most
        likely lead nowhere (`dead_links.dead_link`: gone upstream, cancelled, expired):
        a copy, the invitation, the full-screen QR code; None when they may work. What to
        do with this screen's keys: refresh in case it is back and forget it (gone), or
        make a new meeting (cancelled, expired), as the command line's refusal says."""
        if meeting is None:
            return None
        from meettui.core.dead_links import dead_link

        dead = dead_link(meeting, self.app.clock.now())
        if dead is None:
            return None
        main = self._main
        refresh = main._key_shown("list.refresh")
        again = f" ({refresh})" if refresh else ""
        # Said over another screen (the full-screen QR, the detail), whose keys are not
        # the list's: the list's keys did nothing there ("d forgets it here").
        closing = self._back_to_list()
        if dead.status is None:
            forget = main._key_shown("meeting.delete")
            how = f"{forget} forgets it here" if forget else "Delete forgets it here"
            return (f"{dead.why}. {closing}{'r' if closing else 'R'}efresh the list{again} "
                    f"in case it is back; {how}.")
        new = main._key_shown("meeting.new")
        make = f"{new} makes a new one" if new else "New makes a new one"
        return (f"{dead.why}. {closing}{'t' if closing else 'T'}o meet, {make}; refresh "
                f"the list{again} to read it again.")

    def _back_to_list(self) -> str:
        """How to get back to the list from the screen over it, as advice in the list's
        keys begins there ("Close this (esc), then "); "" on the list itself."""
        top = self.app.screen
        if top is self._main or top not in self.app.screen_stack:
            return ""
        ids = [binding.id for bound in top._bindings.key_to_bindings.values()
               for binding in bound if binding.action in ("close", "app.pop_screen")
               and binding.id]
        key = key_in(self.app, top._bindings, ids[0]) if ids else None
        return f"Close this ({key}), then " if key else "Close this, then "

    def action_paste_link(self) -> None:
        """"Paste a meeting link": any service's link, kept in the imported account
        (`screens/paste_link.py`)."""
        from meettui.tui.screens.paste_link import PasteLinkScreen, start_import

        main = self._main

        def chosen(text: str | None) -> None:
            if text:
                start_import(main, text)

        self.app.push_screen(PasteLinkScreen(main.service.config), chosen)

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

    def action_copy_session_data(self) -> None:
        """Copy the join data an action returned for the selected meeting, as JSON with
        its credentials (asks first: whoever has it joins as that attendee)."""
        from meettui.tui.screens.confirm import ConfirmScreen

        meeting = self._main._need_selection()
        session = self._main.session_data.get(meeting.key) if meeting is not None else None
        if meeting is None or session is None:
            self.app.notify("No join data for this meeting yet: run its join action first.",
                            severity="warning")
            return

        def answer(ok: bool | None) -> None:
            if ok:
                self._main._copy(session.as_json(reveal=True), in_sentence(session.label),
                                 masked="JSON, credentials masked here")

        self.app.push_screen(ConfirmScreen(
            f"Copy {in_sentence(session.label)} for {named(meeting.title, meeting.id)}?",
            "It holds a join token: anyone who gets it joins as this attendee. Paste it "
            "only into the client that needs it.", yes="Copy"), answer)

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
