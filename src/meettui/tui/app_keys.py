"""The app's keys: the help it opens on any screen (`?`, F1) and what a key does on its
way in (held while the one before is on its way, an Alt+character no binding takes read
as the Esc and the character a terminal sent), Ctrl+Z, and what Ctrl+C says of quitting.
`MeettuiApp` inherits this (a mixin: put it before `App`)."""

from __future__ import annotations

import os
import signal
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.screen import Screen

from meettui.tui.notifications import handling_key
from meettui.tui.screens.base import MeettuiModal
from meettui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from meettui.tui.key_hold import KeyHold
    from meettui.tui.notifications import StartupWarning

    _Mixin = App[int]
else:
    # A plain class at run time: MeettuiApp's DOM-node bases stay App's own.
    _Mixin = object


class AppKeys(_Mixin):
    """The help, the keys' way in, Ctrl+Z and Ctrl+C of the app (see module docstring)."""

    # Set by MeettuiApp.__init__ (see there).
    _key_hold: KeyHold
    key_in_hand: events.Key | None
    log_problem: str | None
    startup_warnings: list[StartupWarning]
    startup_warnings_read: bool

    # -- help ----------------------------------------------------------------------------

    def action_help(self) -> None:
        from meettui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            # The help's key again (F1; `?` is the help's own Close) closes it.
            self.screen.dismiss(None)
            return

        screen = self.screen
        # In the user's words: the class's name said "Keys — MeetingForm".
        title = f"Keys — {help_title(screen)}"
        # A form says the keys its fields take (Enter, Space, the arrows) too.
        note = screen.help_note() if isinstance(screen, MeettuiModal) else ""
        self.push_screen(HelpScreen(
            title, partial(self.help_keys, screen),
            (f"{note}\n\n" if note else "")
            + "Ctrl+P opens the command palette. Remap any key in config.toml under "
            "[keymap] by its id, e.g. \"copy.guest\" = \"c\".",
            warnings=[message for message, *_ in self.startup_warnings],
            logged=self.log_problem is None,
        ))
        if self.startup_warnings and not self.startup_warnings_read:
            self.startup_warnings_read = True
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.update_status()  # no longer points to them

    def help_keys(self, screen: Screen[Any]) -> list[tuple[str, str]]:
        """Every key of `screen` that works now, as (keys, description): the keys of one
        binding together ("Q / Enter", "Ctrl+R / F5", "↑ / k"). Only meettui's own keys
        (they all have ids): Textual's scrolling and focus keys would bury them. Asked
        again when the help is resized: what a key does can depend on the size (Tab's
        pane shows from 100 columns on)."""
        grouped: dict[str, tuple[list[str], str]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id.startswith("textual") or not binding.description:
                continue
            shown = self.get_key_display(binding)
            keys_of, _ = grouped.setdefault(binding.id, ([], binding.description))
            if shown not in keys_of:
                keys_of.append(shown)
        # The screen's own keys that a focused widget shadows (the accounts list takes
        # Enter itself): they work all the same.
        own = [b for node, bindings in screen._binding_chain if node is screen
               for _key, b in bindings]
        for binding in own:
            if (binding.id and binding.id not in grouped and binding.description
                    and "(" not in binding.action
                    and screen.check_action(binding.action, ()) is True):
                grouped[binding.id] = ([self.get_key_display(binding)], binding.description)
        return [(" / ".join(k), description) for k, description in grouped.values()]

    # -- keys, Ctrl+Z -----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # A key read while the one before is on its way, or while a screen just shown
        # is still taking its focus, waits for it (tui/key_hold.py); a key bubbling back
        # up from a widget is not held again.
        if isinstance(event, events.Key) and not event.is_forwarded:
            for key in self._apart(event):
                await self._key_hold.read(key)
            return
        if isinstance(event, events.Key):  # back from the focused widget: the bindings
            said = handling_key.set(True)
            try:
                await super().on_event(event)
            finally:
                handling_key.reset(said)
            return
        await super().on_event(event)

    def _apart(self, event: events.Key) -> list[events.Key]:
        """`event`, or Esc and the character after it when `event` is an Alt+character
        no binding takes: a terminal sends Alt+y as Esc then `y`, and Textual reads the
        two as Alt+y when they come within 100 ms (`ESCDELAY`). meettui binds no Alt
        key (a [keymap] may): `n Foo Esc y` in a burst saved "Fooy" with no question
        asked, and `? Esc n` left the help open."""
        character = event.character
        if not event.key.startswith("alt+") or character is None or len(character) != 1 \
                or not character.isprintable():
            return [event]
        if any(event.key in keys.split(",") for keys in self._keymap.values()):
            return [event]  # the user's own Alt key
        from textual.keys import _character_to_key

        escape = events.Key("escape", "\x1b")
        escape.time = event.time
        typed = events.Key(character if character.isalnum() else _character_to_key(character),
                           character)
        typed.time = event.time
        return [escape, typed]

    async def _deliver_key(self, event: events.Key) -> None:
        self.key_in_hand = event
        said = handling_key.set(True)  # what its bindings say is the user's doing
        try:
            await App.on_event(self, event)
        finally:
            handling_key.reset(said)

    def hand_on(self, key: events.Key) -> None:
        """Post `key` again, as read when it was (its time): an action that found its
        screen covered by the time it ran (a key read before it opened a dialog) gives
        its key to the screen on top, in its place among the keys held for it."""
        again = events.Key(key.key, key.character)
        again.time = key.time
        self._key_hold.take(again)

    def action_suspend_process(self) -> None:
        """Ctrl+Z: the whole job stops, as a terminal's own Ctrl+Z stops it; `fg`
        continues it. Textual stops this process alone, and under `uv run meettui` (the
        README's way to run it) uv, its parent in the same process group, went on
        waiting for it: the shell never came back. The terminal is given back first,
        while this process still owns it; then the group stops at once (SIGSTOP: a
        SIGTSTP stopped uv first, the shell took the terminal back, and this process
        stopped again on its way out). On SIGCONT, Textual's driver takes the screen
        back and posts the resume."""
        driver = self._driver
        if not hasattr(os, "killpg") or driver is None or not driver.can_suspend:
            super().action_suspend_process()
            return
        self._suspend_signal()  # as Textual does: published while still on screen
        driver.suspend_application_mode()
        # What the driver's own SIGTSTP handler sets (private): the app repaints and
        # publishes its resume signal once the driver is back in application mode.
        if hasattr(driver, "_must_signal_resume"):
            driver._must_signal_resume = True
        os.killpg(os.getpgrp(), signal.SIGSTOP)

    def _resumed(self, _app: object) -> None:
        """Back from Ctrl+Z (`fg`): the terminal shows a blank screen, and the Resize
        that comes back at the same size lays nothing out here (`OneLayout`): lay the
        screen out and paint it whole."""
        self.refresh(layout=True)

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in words (Textual's own hint is markup, which this
        app never interprets)."""
        keys = self.quit_keys(self.screen)
        # No fallback key: "Ctrl+Q" was named where a [keymap] had given it to another
        # action. `keep_app_keys` and `QuitOverDialogs` keep a quitting Ctrl+Q on every
        # screen; were there none, this would still say only what is true.
        self.notify(f"Press {' or '.join(keys)} to quit." if keys else
                    "No key quits on this screen: close it first.",
                    title="Do you want to quit?")

    def quit_keys(self, screen: Screen[Any], *, ours_first: bool = False) -> list[str]:
        """The keys that quit on `screen` now, as shown ("^q", "q"): `q` is meettui's
        (`app.quit`, which a screen's own `q` shadows: the detail's Back), Ctrl+Q
        Textual's, on every screen. `ours_first`: meettui's key before Textual's."""
        quitting = [active.binding for active in screen.active_bindings.values()
                    if active.binding.action in ("quit", "app.quit")]
        # The app's priority Ctrl+Q quits over a dialog too, whose active bindings leave
        # the app's out (Textual's modal binding chain).
        bindings = self._bindings.copy()
        bindings.apply_keymap(self._keymap)
        quitting += [binding for bound in bindings.key_to_bindings.values()
                     for binding in bound
                     if binding.priority and binding.action in ("quit", "app.quit")]
        if ours_first:
            quitting.sort(key=lambda binding: binding.id != "app.quit")
        return list(dict.fromkeys(self.get_key_display(binding) for binding in quitting))


def help_title(screen: Screen[Any]) -> str:
    """What the help on `screen` calls it: its own `help_title()`, or for a screen of
    Textual's the name meettui gives it."""
    from textual.command import CommandPalette

    from meettui.tui.screens.one_layout import OneLayout

    if isinstance(screen, OneLayout):
        return screen.help_title()
    if isinstance(screen, CommandPalette):
        return "Command palette"
    return "meettui"


