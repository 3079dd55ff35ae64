"""Command palette entries for what applies to the current selection and account."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from meettui.core.display import printable

if TYPE_CHECKING:
    from meettui.tui.app import MeettuiApp

Command = tuple[str, str, Callable[[], object]]


class MeettuiCommands(Provider):
    def _commands(self) -> list[Command]:
        from meettui.tui.screens.main import MainScreen

        app = cast("MeettuiApp", self.app)
        # The palette lists what applies to the screen it was opened from.
        main = self.screen if isinstance(self.screen, MainScreen) else None
        commands: list[Command] = []
        if main is not None:
            meeting = main.selected
            if meeting is not None:
                caps = app.service.capabilities_for(meeting)
                for role in caps.link_roles:
                    link = meeting.link(role)
                    if link is not None:
                        commands.append((
                            f"Copy {role.value} link",
                            "asks first: it gives host rights" if link.sensitive
                            else printable(link.url),
                            partial(main.action_copy, role.value),
                        ))
                if any(link.sensitive for link in meeting.links):
                    commands.append(("Reveal / hide host links", "", main.action_reveal))
                commands.append(("Show full-screen QR", "for a guest to scan", main.action_show_qr))
                session = main.session_data.get(meeting.key)
                if session is not None:
                    commands.append((f"Copy {session.label} as JSON",
                                     "asks first: it holds a join token",
                                     main.action_copy_session_data))
                for spec in caps.actions:
                    commands.append((spec.label, spec.help,
                                     partial(main.run_provider_action, spec.name)))
                commands.append(("Edit meeting", printable(meeting.title), main.action_edit))
                commands.append(("Delete meeting", printable(meeting.title),
                                 main.action_delete))
            commands.append(("New meeting", "", main.action_new))
            commands.append(("Refresh", "fetch page one again", main.action_refresh))
            commands.append(("Load more meetings", "next page", main.action_load_more))
            commands.append(("Filter by title", "", main.action_filter))
            commands.append(("Toggle read-only", "for the selected account",
                             main.action_toggle_read_only))
        commands.append(("Switch account…", "", app.action_accounts))
        for info in app.service.accounts():
            commands.append((f"Show account: {info.name}", info.display_name,
                             partial(app.set_scope, info.name)))
        commands.append(("Show all accounts", "", partial(app.set_scope, None)))
        commands.append(("Remember this theme", f"use {app.theme} at every start",
                         app.action_remember_theme))
        commands.append(("Keys (help)", "", app.action_help))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=str(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=str(help_text))
