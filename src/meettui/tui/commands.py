"""Command palette entries for what applies to the current selection and account."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.theme import ThemeProvider

from meettui.core.capabilities import UpdateMode
from meettui.core.delete_key import delete_key
from meettui.core.display import printable

if TYPE_CHECKING:
    from meettui.core.models import Meeting
    from meettui.tui.app import MeettuiApp
    from meettui.tui.screens.detail_screen import DetailScreen
    from meettui.tui.screens.main import MainScreen

Command = tuple[str, str, Callable[[], object], str]
"""Name, help, callback, and the id of the binding that does the same ("" for none)."""

CHANGE_THEME = "Change theme"
"""The palette entry that picks a theme (notices that send the user there name it)."""

ROLE_BINDINGS = {"guest": "copy.guest", "host": "copy.host", "viewer": "copy.viewer",
                 "attendee": "copy.attendee"}


def _save_calendar(app: MeettuiApp, meeting: Meeting) -> None:
    from meettui.tui.calendar_file import save_calendar_file

    save_calendar_file(app, meeting)


def literal(text: str) -> Content:
    """`text` as the palette shows it: as written. The palette reads a string as markup,
    so a theme named `[bold red]x[/]` (or an account, a host, a title) showed a red x."""
    return Content(text)


def literal_markup(text: str) -> str:
    """`text` as markup that shows it as written (for the palette's help line, which
    is markup only): each `[` escaped."""
    return text.replace("[", "\\[")


def literal_highlight(matcher: Matcher, text: str) -> Content:
    """`matcher.highlight(text)`, but `text` shown as written (Matcher.highlight reads
    it as markup)."""
    content = literal(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class LiteralThemes(ThemeProvider):
    """Textual's theme picker ("Change theme"), with each theme's name as written."""

    async def discover(self) -> Hits:
        for name, callback in self.commands:
            yield DiscoveryHit(literal(name), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, name), callback, text=name)


class MeettuiCommands(Provider):
    def _commands(self) -> list[Command]:
        from meettui.tui.screens.detail_screen import DetailScreen
        from meettui.tui.screens.main import MainScreen

        app = cast("MeettuiApp", self.app)
        # The palette lists what applies to the screen it was opened from: on the
        # full-screen detail, the meeting shown, through the list under it (which acts
        # on that meeting while the detail is open: `MainScreen.acted_on`), as its
        # keys do.
        screen = self.screen
        main = screen if isinstance(screen, MainScreen) else None
        detail = screen if isinstance(screen, DetailScreen) else None
        if detail is not None and isinstance(detail.source, MainScreen):
            main = detail.source
        commands: list[Command] = []
        if main is not None:
            meeting = main.acted_on
            if meeting is not None:
                commands += self._meeting_commands(main, meeting, detail)
        if main is not None and detail is None:
            if main.check_action("new", ()) is True:
                # Not where no account in view makes meetings (the imported links'):
                # "Paste a meeting link" adds those; nor where each is read-only, as
                # `n` is hidden there.
                commands.append(("New meeting", "", main.action_new, "meeting.new"))
            commands.append(("Paste a meeting link", "Zoom, Teams, Meet, Webex… kept in the "
                             "imported account", main.action_paste_link, "link.import"))
            # What `action_jump_now` does: where the list opens (`cache_window.home_key`).
            commands.append(("Jump to now", "the meeting on now or next: begun at most an "
                             "hour ago and not over, else the first not over (in another "
                             "order than by start: the first not yet ended)",
                             main.action_jump_now, "list.now"))
            commands.append(("Refresh", "read the cache and fetch page one again",
                             main.action_refresh, "list.refresh"))
            commands.append(("Load more meetings", "next page", main.action_load_more,
                             "list.load_more"))
            # What the filter searches (core/search.py): more than titles.
            commands.append(("Filter meetings", "words in the title, id, account, guest "
                             "link or the provider's data (room, guests, hosts); "
                             "status:live, account:NAME", main.action_filter, "list.filter"))
            commands.append(("Toggle read-only", "for the selected account",
                             main.action_toggle_read_only, "account.read_only"))
        commands.append(("Switch account…", "", app.action_accounts, "app.accounts"))
        for info in app.service.accounts():
            commands.append((f"Show account: {info.name}", info.display_name,
                             partial(app.set_scope, info.name), ""))
        commands.append(("Show all accounts", "", partial(app.set_scope, None), ""))
        # In place of Textual's own "Theme" (MeettuiApp.get_system_commands): one entry,
        # found by "theme" and by "change theme" alike.
        commands.append((CHANGE_THEME, "pick a theme for this session",
                         app.action_change_theme, ""))
        commands.append(("Remember this theme", f"use {app.theme} at every start",
                         app.action_remember_theme, ""))
        commands.append(("Keys (help)", "", app.action_help, "app.help"))
        # In place of Textual's own "Quit" (MeettuiApp.get_system_commands).
        commands.append(("Quit", "close meettui; while a change is under way it asks first",
                         app.action_quit, "app.quit"))
        return commands

    @staticmethod
    def _meeting_commands(main: MainScreen, meeting: Meeting,
                          detail: DetailScreen | None) -> list[Command]:
        """What applies to `meeting`, the one acted on (`MainScreen.acted_on`): on the
        list, or on `detail`, the full-screen detail showing it."""
        from meettui.tui.screens.main_links import in_sentence, link_holder

        app = main.app
        caps = app.service.capabilities_for(meeting)
        # A change (an action, an edit, a delete) is asked and run over the screen it
        # was chosen on: on the detail, which then shows the meeting as it is
        # (`DetailScreen.follow`). The reveal is the detail's own, which shows the
        # links it reveals.
        reveal = main.action_reveal if detail is None else detail.action_reveal
        commands: list[Command] = []
        # The provider's roles, and any other the meeting has links for.
        for role in dict.fromkeys([*caps.link_roles, *(lk.role for lk in meeting.links)]):
            links = meeting.links_for(role)
            if len(links) > 1:
                # One entry per host: "Copy host link: Bo Banker".
                for number, each in enumerate(links, start=1):
                    whose = link_holder(each, meeting, caps) or str(number)
                    commands.append((
                        f"Copy {role.value} link: {whose}",
                        "asks first: it gives host rights" if each.sensitive
                        else printable(each.url),
                        partial(main.copy_link, each, meeting), "",
                    ))
                continue
            link = meeting.link(role)
            if link is not None:
                commands.append((
                    f"Copy {role.value} link",
                    "asks first: it gives host rights" if link.sensitive
                    else printable(link.url),
                    partial(main.action_copy, role.value),
                    ROLE_BINDINGS.get(role.value, ""),
                ))
        commands.append(("Copy as invitation", "title, time and guest link as text "
                         "(template: `invitation` in config.toml)",
                         main.action_copy_invitation, "copy.invitation"))
        commands.append(("Open link in browser", "the guest link",
                         main.action_open_link, "link.open"))
        if any(link.sensitive for link in meeting.links):
            commands.append(("Reveal / hide host links", "", reveal, "detail.reveal"))
        commands.append(("Show full-screen QR", "for a guest to scan",
                         main.action_show_qr, "qr.open"))
        commands.append(("Save calendar file…", "an .ics file with the time and "
                         "the guest link", partial(_save_calendar, app, meeting), ""))
        session = main.session_data.get(meeting.key)
        if session is not None:
            commands.append((f"Copy {in_sentence(session.label)} as JSON",
                             "asks first: it holds a join token",
                             main.action_copy_session_data, ""))
        # The delete key's own doing for this meeting (`delete_key`): on a meeting
        # cancelled already it runs the removal, which the palette lists under the key.
        deleting = delete_key(caps, meeting)
        removal = deleting.removal.name if deleting.removal is not None else None
        # What changes the meeting is hidden on a read-only account, as `n` `e` `d`
        # are; an action that changes nothing (a join as an attendee) runs
        # there too (`ActionSpec.changes`).
        writable = app.service.can_write(meeting.account) is None
        for spec in caps.actions:
            if app.service.action_refusal(meeting.account, spec) is not None:
                continue
            commands.append((spec.label, spec.help,
                             partial(main.run_provider_action, spec.name),
                             "meeting.delete" if spec.name == removal else ""))
        # Offered where its account can do it to this meeting, named as it does it:
        # "Cancel meeting" where a delete cancels, "Forget meeting" where it forgets
        # (a meeting gone upstream included, whatever its provider's delete).
        if writable and caps.update != UpdateMode.NONE and not meeting.missing:
            commands.append(("Edit meeting", printable(meeting.title), main.action_edit,
                             "meeting.edit"))
        if writable and deleting.works and removal is None:
            commands.append((deleting.entry, printable(meeting.title), main.action_delete,
                             "meeting.delete"))
        return commands

    def _help(self, help_text: str, binding_id: str) -> str:
        """The entry's help line, led by its key(s) so the palette teaches them."""
        from meettui.tui.screens.base import MeettuiScreen
        from meettui.tui.screens.main_actions import MainScreenActions

        keys = ""
        if binding_id == "app.quit":
            # `q`, or Ctrl+Q where a screen's own `q` closes it (the detail's Back).
            keys = " / ".join(cast("MeettuiApp", self.app).quit_keys(self.screen,
                                                                     ours_first=True))
        elif binding_id and isinstance(self.screen, MainScreenActions):
            keys = self.screen.keys_for(binding_id)
        elif binding_id and isinstance(self.screen, MeettuiScreen):
            # Another screen's own key for it, if it binds one (the detail binds the
            # links' keys, not the list's edit or delete).
            keys = "" if (key := self.screen.key_for(binding_id)) == "?" else key
        if not keys:
            return literal_markup(help_text)
        return literal_markup(f"key {keys}" + (f" · {help_text}" if help_text else ""))

    async def discover(self) -> Hits:
        for name, help_text, callback, binding_id in self._commands():
            yield DiscoveryHit(literal(name), callback, text=name,
                               help=self._help(str(help_text), binding_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, binding_id in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, name), callback, text=name,
                          help=self._help(str(help_text), binding_id))
