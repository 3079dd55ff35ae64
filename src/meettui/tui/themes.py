"""Themes are Textual `Theme`s described in TOML files: the shipped ones in the repo's
themes/ folder (packaged as meettui/themes), plus any the user drops in their themes
directory. Bad files are reported together, never fatal; a theme that still leaves the
stylesheet unreadable gives way to another (`ThemeSafeStylesheet`)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from textual.color import Color, ColorParseError
from textual.css.errors import StylesheetError
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.css.tokenizer import TokenError
from textual.theme import BUILTIN_THEMES, Theme

from meettui.core.config_errors import toml_problem
from meettui.core.path_advice import not_permissions, not_regular

DEFAULT_THEME = "meettui-dark"
_THEME_FIELDS = {f.name for f in fields(Theme)}


def shipped_themes_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "themes"
    if packaged.is_dir():
        return packaged
    # Running from a source checkout: src/meettui/tui -> repo root.
    return Path(__file__).resolve().parents[3] / "themes"


_FLAGS = ("dark", "ansi")
_COLOURS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
            "background", "surface", "panel", "boost")
_NUMBERS = ("luminosity_spread", "text_alpha")

VARIABLE_DEFAULTS = {
    "status-live": "#7fd17f",
    "status-scheduled": "#7aa2f7",
    "status-ended": "#8a8f98",
    "status-expired": "#e06c75",
    "demo-badge": "#f5a97f",
}
"""meettui's own stylesheet variables (the list's status colours, the demo badge), for
themes that do not set them: Textual's built-in ones do not."""

ANSI_VARIABLE_DEFAULTS = {
    "status-live": "ansi_green",
    "status-scheduled": "ansi_blue",
    "status-ended": "ansi_bright_black",
    "status-expired": "ansi_red",
    "demo-badge": "ansi_magenta",
}
"""The same for an ANSI theme (`Theme.ansi`: `ansi-dark`, `ansi-light`), whose colours
are the terminal's own: the colours above, fixed, read at 1.6:1 (live) on a light
terminal's white under `ansi-light`, and no contrast check can correct a colour on a
background only the terminal knows. The terminal's palette is made for its own
background."""

# Where the stylesheets put a theme variable, one of each shape (Textual's and meettui's
# CSS: `color: $text`, `background: $panel 50%`, `border: tall $primary`,
# `text-style: $block-cursor-text-style`). A variable's value must read in every place
# its default value reads in: that is where the rules that use it may put it.
_PLACES = {
    "color": "color: $v;",
    "background": "background: $v;",
    "alpha": "color: $v 50%;",
    "border": "border: tall $v;",
    "text-style": "text-style: $v;",
}


class ThemeFileError(ValueError):
    """What is wrong with a theme file, and the name it gives its theme (when it reads):
    a configured theme whose file is skipped is named as such, not as unknown."""

    theme_name: str | None = None


def load_theme_file(path: Path) -> Theme:
    """The theme a TOML file describes (Textual's `Theme` fields). ValueError saying what
    is wrong for unknown keys, a missing `name` or `primary`, a value of the wrong type
    (`dark = "yes"`), a colour Textual cannot read (`primary = "notacolor"`, or under
    `[variables]`: `"status-live" = "blurple"`), a number Textual cannot build colours
    from (`luminosity_spread = nan`) or a name Textual cannot select (`"a,b"`): each
    used to pass here and crash the app when the theme was chosen."""
    odd = not_regular(path)
    if odd is not None:  # reading a named pipe waits for a writer
        raise ThemeFileError(f"is {odd}, not a theme file")
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ThemeFileError("is a folder, not a theme file") from None
    except OSError as exc:
        fix = (not_permissions(exc, path) or f"chmod u+r {path}").rstrip(".")
        raise ThemeFileError(f"cannot be read: {(exc.strerror or str(exc)).lower()} "
                             f"({fix})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ThemeFileError(f"line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                             "save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib names no line for an error where the file ends (cut short).
        _line, where, what = toml_problem(exc, text)
        raise ThemeFileError(f"{where}: not valid TOML: {what}") from None
    try:
        return _theme(data)
    except ThemeFileError as exc:
        name = data.get("name")
        exc.theme_name = name if isinstance(name, str) else None
        raise


def _theme(data: dict[str, Any]) -> Theme:
    """The theme of a theme file's `data` (see load_theme_file)."""
    unknown = set(data) - _THEME_FIELDS
    if unknown:
        raise ThemeFileError(f"unknown keys {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ThemeFileError("needs at least `name` and `primary`")
    for key, value in data.items():
        if key in _FLAGS:
            wrong = not isinstance(value, bool) and "true or false"
        elif key in _NUMBERS:
            wrong = (isinstance(value, bool) or not isinstance(value, int | float)
                     or not 0 <= value <= 1) and "a number from 0 to 1"
        elif key == "variables":
            wrong = not (isinstance(value, dict) and all(
                isinstance(v, str) for v in value.values())) and "a table of strings"
        else:
            wrong = not isinstance(value, str) and "a string"
        if wrong:
            raise ThemeFileError(f"`{key}` must be {wrong}, not {value!r}")
        if key in _COLOURS:
            try:
                Color.parse(value)  # what choosing the theme does first (ColorSystem)
            except ColorParseError as exc:
                raise ThemeFileError(f"`{key}`: {exc}") from None
    name = data["name"]
    # Textual reads "a,b" as "a, else b" (App.get_theme): such a theme is listed but
    # choosing it applies another one.
    if not name.strip() or "," in name or not name.isprintable():
        raise ThemeFileError(f"`name` must be a name without commas or control characters, "
                             f"not {name!r}")
    for variable, value in data.get("variables", {}).items():
        problem = variable_problem(variable, value)
        if problem:
            raise ThemeFileError(f"`variables` {variable!r}: {problem}")
    return Theme(**data)


def variable_problem(name: str, value: str) -> str | None:
    """What is wrong with `value` for the stylesheet variable `name` (None: nothing).
    Textual puts theme variables into the stylesheet as they are, so a value that does
    not read where the variable is used ("blurple" for `$status-live`, a colour) made
    the CSS unparseable: the app ended when the theme was chosen, and at every start
    once it was remembered. A variable neither Textual nor meettui uses is never read."""
    default = VARIABLE_DEFAULTS.get(name) or _textual_variables().get(name)
    if default is None:
        return None
    if _is_colour(default) and _is_colour(value):
        return None  # the common case, without a stylesheet: a plain colour reads anywhere
    places = _places(default)
    if _reads_in(value, places):
        return None
    kind = ("a colour" if "color" in places else "a text style" if "text-style" in places
            else "a value")
    return f"{value!r} is not {kind} Textual can use there"


def _is_colour(value: str) -> bool:
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


@cache
def _textual_variables() -> dict[str, str]:
    """Textual's own stylesheet variables with their values for some theme: only their
    names and the shape of their values matter here. Worked out (~0.4 ms) only for a
    theme file that sets one of them."""
    return Theme(name="-", primary="#000000").to_color_system().generate()


@cache
def _places(default: str) -> tuple[str, ...]:
    """The `_PLACES` a variable whose default value is `default` is used in: those it
    reads in, of one kind. A colour is never used as a text style, nor a text style as a
    border, though `initial` reads as both and `none` as either."""
    places = [place for place in _PLACES if _reads_in(default, (place,))]
    if "color" in places:
        return tuple(place for place in places if place != "text-style")
    if "text-style" in places:
        return ("text-style",)
    return tuple(places)


def _reads_in(value: str, places: tuple[str, ...]) -> bool:
    """Whether a variable holding `value` makes valid CSS in all of `places` (~40 µs a
    place: Textual's own parser, on a one-rule stylesheet)."""
    if not places:
        return True
    sheet = Stylesheet(variables={"v": value})
    sheet.add_source("".join(f"X{i} {{ {_PLACES[place]} }}" for i, place in enumerate(places)))
    try:
        sheet.parse()
    except (StylesheetError, TokenError):  # what Textual raises for CSS it cannot read
        return False
    return True


class ThemeFiles(NamedTuple):
    """What the theme folders hold: the themes to register, and what to say of the rest."""

    themes: list[Theme]
    """One theme a name: the one that wins (see load_themes)."""
    problems: list[str]
    """One line per file skipped: its name and why."""
    skipped: dict[str, str]
    """Theme name -> the name of its file, for the files skipped whose name read."""
    replaced: list[str]
    """One line per theme a later folder (the user's) gives in place of another one."""


def load_themes(*dirs: Path) -> ThemeFiles:
    """The themes of the `*.toml` files in `dirs`; a file that cannot be read or that
    `load_theme_file` refuses is skipped and said, never fatal.

    Which file wins when two name the same theme (each said, naming both files; one
    simply replaced the other before):
    - in one folder, the first by file name; the other is skipped, as a mistake (a copy
      edited and not renamed);
    - across folders, the later one: the user's folder comes after the shipped one, so a
      user can change a shipped theme (`meettui-dark`) or one of Textual's (`nord`) by
      writing a file with its name. That is said at every start, in `replaced`, so
      that it is never a surprise."""
    found: dict[str, tuple[Theme, Path, int]] = {}  # name -> theme, file, folder
    problems: list[str] = []
    skipped: dict[str, str] = {}
    replaced: list[str] = []
    for folder, directory in enumerate(dirs):
        try:
            if not directory.exists():
                continue
            if not directory.is_dir():
                problems.append(f"{directory}: not a folder (themes are .toml files in one)")
                continue
            paths = sorted(directory.glob("*.toml"))
        except OSError as exc:
            problems.append(f"{directory}: {exc.strerror or exc}")
            continue
        for path in paths:
            try:
                theme = load_theme_file(path)
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
                problems.append(f"{path.name}: {exc}")
                name = getattr(exc, "theme_name", None)
                if name:
                    skipped[name] = path.name
                continue
            earlier = found.get(theme.name)
            if earlier is not None and earlier[2] == folder:
                problems.append(f"{path.name}: names its theme {theme.name!r} as "
                                f"{earlier[1].name} does, which is used; rename one")
                continue
            if earlier is not None:
                replaced.append(f"Theme {theme.name!r} is {path}, in place of {earlier[1]}.")
            elif theme.name in BUILTIN_THEMES:
                replaced.append(f"Theme {theme.name!r} is {path}, in place of Textual's own.")
            found[theme.name] = (theme, path, folder)
    return ThemeFiles([theme for theme, _path, _folder in found.values()], problems, skipped,
                      replaced)


def theme_fault(error: Exception, variables: dict[str, str]) -> str | None:
    """What of a theme made the stylesheet unreadable (`error`, Textual's): "$status-live
    'blurple'", its variable and value; None when no theme variable is to blame (the CSS
    itself is wrong)."""
    if isinstance(error, StylesheetParseError):
        for rule in error.errors.rules:
            for token, _message in rule.errors:
                if token.referenced_by is not None:
                    return f"${token.referenced_by.name} {token.value!r}"
    elif isinstance(error, TokenError):
        # A value that breaks the CSS around it (`red; }`) fails as it is tokenized,
        # alone: the error holds the value.
        for name, value in variables.items():
            if value == error.code:
                return f"${name} {value!r}"
    return None


class ThemeSafeStylesheet(Stylesheet):
    """Textual's stylesheet, but CSS a theme's values leave unreadable makes `recover`
    (AppThemes._theme_failed) choose another theme, whose variables it is read with,
    rather than end the app. The stylesheet is read first as the first screen mounts:
    a start theme that failed there ended the app before it showed anything."""

    def __init__(self, recover: Callable[[Exception], dict[str, str] | None]) -> None:
        super().__init__()
        self._recover = recover

    def parse(self) -> None:
        try:
            super().parse()
        except (StylesheetError, TokenError) as error:
            variables = self._recover(error)
            if variables is None:
                raise
            self.set_variables(variables)
            self.parse()  # with those: each theme that fails is tried once
