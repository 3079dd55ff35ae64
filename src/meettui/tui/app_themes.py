"""The app's theme handling: registering the theme files and choosing the theme before
the first stylesheet is built, giving way to another theme when the one chosen leaves the
stylesheet unreadable, the stylesheet's variables, Textual's theme picker, and
remembering the theme in config.toml. (The theme files themselves: `tui/themes.py`.)

`MeettuiApp` inherits this (a mixin: put it before `App`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from textual.css.errors import StylesheetError
from textual.css.tokenizer import TokenError
from textual.notifications import SeverityLevel

from meettui.core.config import config_path
from meettui.core.errors import MeettuiError
from meettui.core.prefs import save_pref
from meettui.core.service import MeetingService
from meettui.tui.commands import CHANGE_THEME
from meettui.tui.themes import (
    ANSI_VARIABLE_DEFAULTS,
    DEFAULT_THEME,
    VARIABLE_DEFAULTS,
    load_themes,
    theme_fault,
)

if TYPE_CHECKING:
    from textual.app import App

    _Mixin = App[int]
else:
    # A plain class at run time: MeettuiApp's DOM-node bases, along which Textual reads
    # CSS and bindings, stay App's own (as for `OrderedKeys`).
    _Mixin = object

log = logging.getLogger("meettui.tui")


class AppThemes(_Mixin):
    """Choosing, checking and remembering the app's theme (see module docstring)."""

    # Set by MeettuiApp.__init__ (see there); `_themes_dirs` only once it has begun.
    service: MeetingService
    _requested_theme: str | None
    _failed_themes: set[str]
    _theme_before: str | None
    _themes_dirs: tuple[Path, ...]
    _variables_theme: str | None

    def get_css_variables(self) -> dict[str, str]:
        """Textual's, except while `App.__init__` builds the stylesheet: the variables of
        its default theme would be generated (~0.4 ms of the first frame) only to be
        replaced by those of the theme `__init__` chooses next."""
        if not hasattr(self, "_themes_dirs"):  # MeettuiApp.__init__ has not begun
            return {}
        return super().get_css_variables()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Built-in Textual themes do not define meettui's status colours; an ANSI one
        # gets the terminal's own (`ANSI_VARIABLE_DEFAULTS`).
        if self.current_theme.ansi:
            return dict(ANSI_VARIABLE_DEFAULTS)
        return dict(VARIABLE_DEFAULTS)

    def _load_themes(self) -> list[tuple[str, str, SeverityLevel, int]]:
        """Register the theme files and choose the theme, before the first stylesheet is
        built: a theme set at mount re-parses every rule and restyles every widget.
        Returns the warnings to show once mounted, as (message, title, severity, timeout)."""
        warnings: list[tuple[str, str, SeverityLevel, int]] = []
        found = load_themes(*self._themes_dirs)
        for theme in found.themes:
            self.register_theme(theme)
        if found.problems:
            warnings.append(("Some theme files were skipped:\n" + "\n".join(found.problems),
                             "", "warning", 10))
        if found.replaced:
            warnings.append(("\n".join(found.replaced), "Themes", "information", 10))
        # config.toml's `theme` (which "Remember this theme" writes) unless the app was
        # started with one.
        wanted = self._requested_theme or self.service.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
            if wanted in found.skipped:
                warnings.append((f"Theme {wanted!r} cannot be used: {found.skipped[wanted]} "
                                 f"was skipped (see why above). Using {fallback}.", "",
                                 "warning", 10))
            else:
                warnings.append((f"Unknown theme {wanted!r}; using {fallback}. "
                                 f'Pick one with Ctrl+P → "{CHANGE_THEME}".', "", "warning",
                                 5))
            wanted = fallback
        self.theme = wanted
        self._theme_before = None  # none yet: a start theme that fails gives way to the default
        return warnings

    def watch_theme(self, old: str, new: str) -> None:
        """Remember the theme left (`old`) for `_theme_failed` to go back to, unless it
        is one that failed."""
        if old not in self._failed_themes:
            self._theme_before = old

    def _theme_failed(self, error: Exception) -> dict[str, str] | None:
        """The stylesheet could not be read (`error`). When the theme's values are to
        blame, go back to the theme before it (at start: the default one, then Textual's
        own), say so, and return that theme's stylesheet variables. None when the CSS
        itself is at fault, or no theme is left: `error` stands then. A `[variables]`
        value the stylesheet cannot use ended the app with a CSS traceback when the
        theme was chosen, and at every start once it was remembered: load_theme_file
        refuses those it can tell, and this catches any other."""
        fault = theme_fault(error, self.theme_variables)
        if fault is None:
            return None
        failed = self.theme
        self._failed_themes.add(failed)
        fallback = next((name for name in (self._theme_before, DEFAULT_THEME, "textual-dark")
                         if name and name not in self._failed_themes
                         and name in self.available_themes), None)
        if fallback is None:
            return None
        log.warning("theme %r failed: Textual cannot read its %s", failed, fault)
        self.notify(f"Theme {failed!r} cannot be used: Textual cannot read its {fault}. "
                    f"Using {fallback!r}.", title="Theme", severity="error", timeout=10)
        self.theme = fallback
        return self.get_css_variables()

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's, except before the first screen: the theme chosen in `__init__` asks
        for a refresh of the CSS then, which would parse every rule once more only for
        the first screen to parse them again (~2.5 ms of the first paint). The variables
        of that theme, set in `__init__`, are all the stylesheet needs until it is built."""
        if not self.screen_stack:
            if self.theme != self._variables_theme:
                self._variables_theme = self.theme
                self.stylesheet.set_variables(self.get_css_variables())
            return
        try:
            super().refresh_css(animate)
        except (StylesheetError, TokenError) as error:  # the theme just chosen, as a rule
            variables = self._theme_failed(error)
            if variables is None:
                raise
            # The failed parse left the stylesheet with that theme's variables: the
            # theme gone back to's, before anything reads it again (the refresh its
            # choice asked for applies them).
            self.stylesheet.set_variables(variables)

    def search_themes(self) -> None:
        """Textual's theme picker ("Change theme"), each name as written (LiteralThemes)."""
        from meettui.tui.commands import LiteralThemes
        from meettui.tui.palette import Palette

        self.push_screen(Palette(providers=[LiteralThemes],
                                 placeholder="Search for themes…"))

    def action_remember_theme(self) -> None:
        """Write `theme = "..."` into config.toml, the file the theme is read from."""
        try:
            path = save_pref("theme", self.theme, self.service.config.path or config_path())
        except MeettuiError as exc:
            self.notify(exc.as_lines(), title="Theme", severity="error", timeout=10)
            return
        self.notify(f"Theme {self.theme!r} will be used at every start: "
                    f'{path} now says theme = "{self.theme}".')
