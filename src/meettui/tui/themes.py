"""Themes are Textual `Theme`s described in TOML files: the shipped ones in the repo's
themes/ folder (packaged as meettui/themes), plus any the user drops in their themes
directory. Bad files are reported together, never fatal."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

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


def load_theme_file(path: Path) -> Theme:
    """The theme a TOML file describes (Textual's `Theme` fields). ValueError saying what
    is wrong for unknown keys, a missing `name` or `primary`, a value of the wrong type
    (`dark = "yes"`) or a colour Textual cannot read (`primary = "notacolor"`): each
    used to pass here and crash the app when the theme was chosen."""
    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    unknown = set(data) - _THEME_FIELDS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ValueError("needs at least `name` and `primary`")
    for key, value in data.items():
        if key in _FLAGS:
            wrong = not isinstance(value, bool) and "true or false"
        elif key in _NUMBERS:
            wrong = (isinstance(value, bool) or not isinstance(value, int | float)) and "a number"
        elif key == "variables":
            wrong = not (isinstance(value, dict) and all(
                isinstance(v, str) for v in value.values())) and "a table of strings"
        else:
            wrong = not isinstance(value, str) and "a string"
        if wrong:
            raise ValueError(f"`{key}` must be {wrong}, not {value!r}")
        if key in _COLOURS:
            try:
                Color.parse(value)  # what choosing the theme does first (ColorSystem)
            except ColorParseError as exc:
                raise ValueError(f"`{key}`: {exc}") from None
    return Theme(**data)


def load_themes(*dirs: Path) -> tuple[list[Theme], list[str]]:
    themes: list[Theme] = []
    problems: list[str] = []
    for directory in dirs:
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
                themes.append(load_theme_file(path))
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
                problems.append(f"{path.name}: {exc}")
    return themes, problems
