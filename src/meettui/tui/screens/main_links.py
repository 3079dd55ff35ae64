"""The main screen's links: the meeting the keys act on, copying a link (a chosen
host's, asking first for a sensitive one) and saying whether it reached a clipboard, the
full-screen QR code, revealing host links, the details, opening the guest link in the
browser, the invitation, an action's join data, pasting a meeting link in, and what is
said where a link handed out most likely leads nowhere.

`MainScreen` inherits these (`MainScreenLinks` extends `MainScreenActions`)."""

from __future__ import annotations

from meettui.core.capabilities import Capabilities
from meettui.core.display import named, plain, plain_link, printable, quoted
from meettui.core.link_check import refusal
from meettui.core.models import Link, Meeting, Role
from meettui.tui.clipboard import SYSTEM, copy_text, local_session
from meettui.tui.screens.key_names import key_in
from meettui.tui.screens.main_actions import MainScreenActions


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


class MainScreenLinks(MainScreenActions):
    """The links of the main screen's meetings (see the module docstring)."""

    # -- the meeting acted on; copy, the full-screen QR -----------------------------------

    @property
    def acted_on(self) -> Meeting | None:
        """The meeting the keys and the palette act on: the one the full-screen detail
        shows while it is open over this list (a page that landed meanwhile may have
        moved the list's cursor, an edit replaced the meeting), else the highlighted
        one."""
        from meettui.tui.screens.detail_screen import DetailScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, DetailScreen) and screen.source is self:
                return screen.meeting
        return self._main.selected

    def notes_for(self, meeting: Meeting) -> tuple[str, ...]:
        """The notes the detail shows under `meeting`'s facts: its provider's, and the
        provider's deprecation notice."""
        caps = self._main.service.capabilities_for(meeting)
        return caps.notes + ((caps.deprecation,) if caps.deprecation else ())

    def _need_selection(self) -> Meeting | None:
        meeting = self.acted_on
        if meeting is None:
            # Only an empty list has no meeting under the cursor: "Select a meeting
            # first." sent the user looking for one to select.
            why = "none matches the filter" if self._main.query_text else "the list is empty"
            self.app.notify(f"No meeting to act on: {why}.", severity="warning")
        return meeting

    def action_copy(self, role: str) -> None:
        meeting = self._need_selection()
        if meeting is None:
            return
        link = meeting.shareable_link() if role == "share" else meeting.link(Role(role))
        if link is None:
            refused = meeting.refused_links
            # "share" is the role's name here, not a word a user has for it.
            what = "link to give a guest" if role == "share" else f"{role} link"
            self.app.notify(f"This meeting has no {what}"
                            + (f": {refused}." if refused else "."), severity="warning",
                            timeout=15 if refused else None)
            return
        if role != "share" and len(meeting.links_for(role)) > 1:
            self.choose_host_link(meeting)  # several hosts: ask whose
            return
        self.copy_link(link)

    def _copy(self, text: str, what: str, masked: str | None = None, *,
              unmask: str | None = None, gone: Meeting | None = None) -> None:
        """Copy `text` and say so: `what` names it inside a sentence ("the guest link"),
        `masked` is what the toast shows instead of a secret. Where the copy may not
        have landed, a masked `text` is not given to copy by hand: `unmask` says how to
        see it whole instead. `gone`: the meeting it is of: when its links most likely
        lead nowhere (gone upstream, cancelled, expired: `dead_link_note`), copied as
        asked (the user sees its status, and may want the link all the same), said as a
        warning, where the command line and the MCP tools refuse to hand it out.

        What reaches the clipboard is pasted into chat, email or a terminal: it holds no
        hidden character (`display.plain`, lines kept), so the toast shows what was
        copied. Callers make a link or JSON plain their own way first (`plain_link`,
        `json_text`), which leaves nothing for this to drop."""
        text = plain(text, lines=True)
        channels = copy_text(self.app, text)
        shown = printable(masked or text)  # what was copied, on one line
        # To copy by hand, line by line: an invitation kept its lines in the clipboard
        # and lost them in the toast that gave it to copy, flattened onto one.
        lines = "\n".join(printable(line) for line in (masked or text).split("\n"))
        # The masked link was no use to copy by hand (`https://…/••••••••`).
        by_hand = f"{what[:1].upper()}{what[1:]} " + (
            f"is masked here: {unmask}" if masked and unmask
            else f"is:\n{lines}" if "\n" in lines else f"is: {lines}")
        dead = self.dead_link_note(gone)
        if dead is not None:
            by_hand = f"{by_hand}\n{dead}"
            if SYSTEM in channels or (channels and not local_session()):
                self.app.notify(f"Copied {what}: {shown}. {dead}",
                                title="Copied, but the link may not work",
                                severity="warning", timeout=15, replaces="copy")
                return
        if SYSTEM in channels or (channels and not local_session()):
            self.app.notify(f"Copied {what}: {shown}", title="Copied", replaces="copy")
        elif channels:
            # Only the terminal was asked, which may drop it silently: "Copied" sent the
            # user off to paste whatever the clipboard held before.
            self.app.notify(
                f"No system clipboard found (xclip, xsel or wl-clipboard); {what} went to "
                "the terminal (OSC 52), which may not take it (tmux: set -g "
                f"set-clipboard on). {by_hand}",
                title="Maybe not copied", severity="warning", timeout=15,
                replaces="copy")
        else:
            self.app.notify(f"Could not reach a clipboard. {by_hand}", severity="warning",
                            timeout=15, replaces="copy")

    def action_show_qr(self) -> None:
        meeting = self._need_selection()
        if meeting is None:
            return
        from meettui.tui.screens.qr_screen import QRScreen, nothing_to_show, safe_links

        if not safe_links(meeting):
            # Said where the user is, not on a screen of its own to close again.
            self.app.notify(nothing_to_show(meeting).replace("\n", " "), severity="warning")
            return
        self.app.push_screen(QRScreen(meeting))
        dead = self.dead_link_note(meeting)
        if dead is not None:
            # Shown all the same (it is what was asked for, and the user sees the
            # meeting's status), said over the code's caption before a guest scans it;
            # the view keeps "Gone upstream" ("Cancelled", "Expired") under the code.
            self.app.notify(dead, severity="warning", timeout=10)

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
