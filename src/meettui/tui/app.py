"""The meettui application: routes between screens; all data goes through the service.
Its theme handling is in `app_themes`, its notifications in `notifications`, its
failure reports and guarded cache reads in `app_failures`, its changes under way in
`app_writes`, its help and the keys' way in in `app_keys`."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import user_themes_path
from meettui.core.service import MeetingService
from meettui.core.wording import speak_as
from meettui.tui import contrast
from meettui.tui.app_failures import AppFailures
from meettui.tui.app_keys import AppKeys
from meettui.tui.app_themes import AppThemes
from meettui.tui.app_writes import AppWrites, Write
from meettui.tui.commands import MeettuiCommands
from meettui.tui.debounce import Settling
from meettui.tui.key_hold import KeyHold
from meettui.tui.keymap import KEY_FORMS, binding_ids, check_keymap, keymap_clashes
from meettui.tui.keymap_ids import QuitOverDialogs, keep_app_keys, unknown_ids_warning
from meettui.tui.notifications import (
    AnyWarning,
    AppNotifications,
    StartupWarning,
)
from meettui.tui.screens.base import HELP_KEYS
from meettui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from meettui.tui.early_keys import TakenTerminal
from meettui.tui.themes import ThemeSafeStylesheet, shipped_themes_dir


class MeettuiApp(AppKeys, AppThemes, AppFailures, AppNotifications, AppWrites, App[int]):
    TITLE = "meettui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {MeettuiCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
        # Ctrl+Z puts the app in the background, as shells and lazygit do (`fg` returns).
        Binding("ctrl+z", "suspend_process", "Suspend", show=False, id="app.suspend"),
        # `?` on every screen and modal (a screen's own `?` comes first), and F1 too:
        # in a text field `?` is typed (the footer then shows `F1 Help`).
        Binding(HELP_KEYS, "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        service: MeetingService,
        *,
        clock: Clock = SYSTEM_CLOCK,
        theme: str | None = None,
        show_toasts: bool = True,
        themes_dirs: tuple[Path, ...] | None = None,
        log_problem: str | None = None,
    ) -> None:
        super().__init__()
        # Every text drawn reads on its background, whatever the theme (tui/contrast.py).
        contrast.install(self)
        self._bindings = QuitOverDialogs.of(self._bindings)
        self.log_problem = log_problem
        """Why this run has no log (it cannot be written), or None: a start-up warning,
        and what a message that would send the user to the log says instead."""
        # A theme whose values the stylesheet cannot read gives way to another one as
        # the stylesheet is first read (the start), instead of ending the app.
        self.stylesheet = ThemeSafeStylesheet(self._theme_failed)
        self.service = service
        self.clock = clock
        self.show_toasts = show_toasts
        # Every notification, toasts or not: tests read it, and it is the session's record.
        self.messages: list[tuple[str, str]] = []
        # Cache failures already shown (`cache_read`), by message.
        self._cache_failures: set[str] = set()
        # Another process holds the cache (`cache_read`), and the timer that reads again.
        self.cache_busy = False
        self._busy_retry = None
        self._grouped_toasts = {}
        self._superseded = set()
        self._toasts_on_the_way = {}
        self._held_toasts = {}
        self._to_hold = set()
        self.startup_warnings = []
        self.startup_warnings_read = False
        self.writes: list[Write] = []
        self._quit_question = None
        self._key_hold = KeyHold(self, self._deliver_key)
        self.key_in_hand: events.Key | None = None
        """The key the app is handling now (its bindings' actions may look at it)."""
        self._requested_theme = theme
        # Themes that made the stylesheet unreadable, and the theme to go back to when
        # the one chosen does (see _theme_failed).
        self._failed_themes: set[str] = set()
        self._theme_before: str | None = None
        self._themes_dirs = themes_dirs or (shipped_themes_dir(), user_themes_path())
        self._theme_problems = self._load_themes()
        # The stylesheet's variables, once, for the theme just chosen (see
        # get_css_variables).
        self._variables_theme: str | None = self.theme
        self.stylesheet.set_variables(self.get_css_variables())

    scope: reactive[str | None] = reactive(None)
    """The account the list shows; None for all of them merged. Screens watch it."""

    # -- start-up ----------------------------------------------------------------------

    def on_load(self) -> None:
        # Messages name options and flags in the app's words (its form's field labels,
        # its keys), not the command line's (`-o expires_at=…`): set in the app's own
        # task before any other starts, so every task and thread inherits it.
        speak_as("app", self.service.field_label, self.key_shown)

    def key_shown(self, binding_id: str) -> str | None:
        """The key that does `binding_id` now, after the user's [keymap], as the footer
        shows it (`^r`); None for an id no binding has. Messages built in the core
        name keys through this (`wording.key`)."""
        from textual.binding import Binding

        from meettui.tui.keymap import default_keys

        keys = self._keymap.get(binding_id) or default_keys().get(binding_id)
        if not keys:
            return None
        return self.get_key_display(Binding(keys.split(",")[0].strip(), ""))

    def on_mount(self) -> None:
        # This thread (the event loop's: every key, every paint) never waits for the
        # cache's lock; writes run in worker threads.
        self.service.cache.never_wait_on()
        self.app_resume_signal.subscribe(self, self._resumed)
        warnings = list(self._theme_problems) + self._apply_keymap()
        if self.log_problem:
            warnings.append((self.log_problem, "Log", "warning", 15))
        notice = self.service.cache.notice
        if notice and self.service.cache.read_only is not None:
            # Opened read-only: shown, never refreshed or changed. Short in the toast;
            # `?` lists the whole notice with what to do.
            warnings.append(StartupWarning(
                notice, "Read-only cache", "warning", 20,
                toast="The cache is read-only: the list is what it holds; nothing is "
                      "fetched, and changes are refused. "
                      f"{self.help_key()} says how to make it writable."))
        elif notice:
            # The cache was unreadable and moved aside: said short in the toast (at
            # 80x24 the two paths split over its lines and its end was cut); `?` lists
            # the whole notice, where it went and what came over, and the log has it.
            warnings.append(StartupWarning(
                notice, "Cache", "warning", 20,
                toast="The cache could not be read, so meettui moved it aside and "
                      "started a fresh one; meetings are fetched again. "
                      f"{self.help_key()} says where it went and what came over."))
        self.say_at_start(warnings)

    def get_default_screen(self) -> Screen[Any]:
        # The list is the app's first screen itself, not pushed over Textual's blank
        # default one: that one would be built, styled and laid out for nothing.
        return MainScreen(self.service)

    def _apply_keymap(self) -> list[AnyWarning]:
        """Apply config.toml's [keymap]; the warnings to say at start."""
        keymap = self.service.config.keymap
        if not keymap:
            return []  # binding_ids() imports every screen: only when there is a keymap
        warnings: list[AnyWarning] = []
        unknown = sorted(set(keymap) - binding_ids())
        if unknown:
            # Textual ignores unknown ids silently; a typo would leave the user wondering.
            warnings.append((unknown_ids_warning(unknown), "", "warning", 10))
        known, problems = check_keymap({k: v for k, v in keymap.items() if k not in unknown})
        if problems:
            # Textual binds any string: a key no one can press took the action's keys
            # away silently ("notakey" for ↑), or showed a key that did nothing ("F1").
            warnings.append(("[keymap] entries left out, their default keys stay:\n"
                             + "\n".join(problems) + f"\nA key is {KEY_FORMS}.",
                             "", "warning", 15))
        # The app-wide keys (Quit above all) stay theirs before any clash is weighed.
        known, lost = keep_app_keys(known)
        warnings += [(said, "", "warning", 10) for said in lost]
        warnings += [(clash, "", "warning", 10) for clash in keymap_clashes(known)]
        self.set_keymap(known)
        return warnings

    async def on_unmount(self) -> None:
        self.service.cache.may_wait_again()
        await self.service.aclose()

    # -- scope ---------------------------------------------------------------------------

    def scope_accounts(self) -> list[str]:
        names = [a.name for a in self.service.config.accounts]
        return [self.scope] if self.scope in names else names

    def scope_label(self) -> str:
        """The header's line for the scope: its name, and in the demo what is simulated
        and where accounts are configured (the longest of `scope_labels`)."""
        return self.scope_labels()[0]

    def scope_labels(self) -> tuple[str, ...]:
        """The header's line for the scope, then shorter wordings of it, longest first,
        for a title line too narrow for it (`TitleBar`): each drops or shortens a
        part, DEMO first in every one, so that the line never loses it, nor is cut
        mid-word where a shorter wording fits."""
        label = self.scope or "All accounts"
        if not self.service.config.is_demo:
            return (label,)
        names = self.scope_accounts()
        data, short = self.demo_data(names), self.demo_data(names, short=True)
        # The file's own name: MEETTUI_CONFIG naming a file that is not there (a typo)
        # runs the demo, and the name shows which file meettui looked for.
        path = self.service.config.path
        file = path.name if path is not None else "config.toml"
        wordings = (f"DEMO — {label} ({data}; configure accounts in {file})",
                    f"DEMO — {label} ({short}; see {file})",
                    f"DEMO — {label} ({short})",
                    f"DEMO — {label} (see {file})",
                    f"DEMO — {label}",
                    "DEMO")
        return tuple(dict.fromkeys(wordings))

    def demo_data(self, names: list[str], *, short: bool = False) -> str:
        """What the demo shows of accounts `names`: simulated data, or real (Jitsi's
        rooms need no account, pasted links are the user's), or both, naming the real.
        `short`: in fewer words ("simulated except jitsi"), for a narrow title line."""
        real = [name for name in names if not self.service.config.account(name).demo]
        if not real:
            return "simulated" if short else "simulated data"
        if len(real) == len(names):
            return "real" if short else "real, not simulated"
        return f"simulated{'' if short else ' data'} except {' and '.join(real)}"

    # Textual's palette entries meettui leaves out. "Theme" and "Keys": meettui has its
    # own ("Change theme"; "Keys (help)", `?`, which lists each screen's keys), and the
    # palette listed both of each. "Screenshot": it wrote the screen, a revealed host
    # link included, to ~/Downloads readable by anyone (every file meettui writes is
    # the user's alone), and said "Failed to save screenshot" with no reason without
    # that folder. "Maximize"/"Minimize": the list maximized lost its column titles and
    # footer with no word of how to come back; `i` is the full-screen view. "Quit":
    # Textual's said "Quit the application as soon as possible" and no key; meettui's
    # own says its key, and that it asks first while a change is under way.
    LEFT_OUT_SYSTEM_COMMANDS = frozenset({"Theme", "Keys", "Screenshot", "Maximize",
                                          "Minimize", "Quit"})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette entries but `LEFT_OUT_SYSTEM_COMMANDS`."""
        for command in super().get_system_commands(screen):
            if command.title not in self.LEFT_OUT_SYSTEM_COMMANDS:
                yield command

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette opens without the toasts said before it, as every dialog
        does (`dismiss_toasts`). meettui's `Palette`: Textual's, its backdrop left faded
        (`tui/palette.py`)."""
        from meettui.tui.palette import Palette

        self.dismiss_toasts()
        # (Textual's `CommandPalette.is_open`, which mypy refuses an App[int].)
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(Palette(id="--command-palette"))

    def set_scope(self, name: str | None) -> None:
        self.scope = name

    def action_accounts(self) -> None:
        from meettui.tui.screens.accounts import ALL, AccountsScreen

        # Accounts another process added to the cache since (an imported link).
        if self.cache_read(self.service.pick_up_accounts, False):
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.table.show_account = len(screen.scope) > 1
                    screen.table.reload()
        infos = self.cache_read(self.service.accounts, None)
        if infos is None:
            return  # said by cache_read
        counts = {i.name: self.cache_read(partial(self.service.count, [i.name]), 0)
                  for i in infos}

        def chosen(result: str | None) -> None:
            if result is not None:
                self.set_scope(None if result == ALL else result)

        self.push_screen(
            AccountsScreen(infos, counts, self.clock.now(), self.scope,
                           self.demo_data([i.name for i in infos])
                           if self.service.config.is_demo else None),
            chosen,
        )

    # -- deferred work ---------------------------------------------------------------------

    def _deferred(self) -> list[Settling]:
        from meettui.tui.screens.base import MeettuiScreen

        return [item for screen in self.screen_stack if isinstance(screen, MeettuiScreen)
                for item in screen.deferred()]

    def settling(self) -> bool:
        """True while a screen on the stack has deferred work waiting: the detail pane
        that follows the cursor once it rests, its QR encode, the filter's debounce."""
        return any(not item.is_settled for item in self._deferred())

    async def wait_until_settled(self) -> None:
        """Wait until the deferred work of every screen on the stack is done. Pilot's
        pause() waits for messages, not for timers or threads: tests, screenshots and
        benchmarks call this after it (then pause again so that it is painted)."""
        for item in self._deferred():
            await item.settled()


def run_app(service: MeetingService, *, log_problem: str | None = None,
            terminal: TakenTerminal | None = None) -> int:
    """Run the app on `service` (built by the composition root) until it quits.
    `log_problem`: why this run has no log (`MeettuiApp`). `terminal`: the terminal as
    the start took it out of its line mode, with the keys typed before
    (`tui/early_keys.py`)."""
    app = MeettuiApp(service, log_problem=log_problem)
    if terminal is not None:
        from textual.drivers.linux_driver import LinuxDriver

        from meettui.tui.early_keys import early_keys_driver

        if issubclass(app.driver_class, LinuxDriver):
            app.driver_class = early_keys_driver(app.driver_class, terminal)
    # What is imported by now lives as long as the process: keep the garbage collector
    # from walking it again while the first screen is built (a full collection there
    # cost ~50 ms of a ~180 ms start). Not in MeettuiApp itself: tests build hundreds.
    gc.freeze()
    with app.ended_by_sigterm():
        app.run()
    return app.return_code or 0
