"""Themes are Textual `Theme`s described in TOML files: the shipped ones in the repo's
themes/ folder (packaged as meettui/themes), plus any the user drops in their themes
directory. Bad files are reported together, never fatal."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

DEFAULT_THEME = "meettui-dark"
_THEME_FIELDS = {f.name for f in fields(Theme)}


def shipped_themes_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "themes"
    if packaged.is_dir():
        return packaged
    # Running from a source checkout: src/meettui/tui -> repo root.
    return Path(__file__).resolve().parents[3] / "themes"


def load_theme_file(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    unknown = set(data) - _THEME_FIELDS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ValueError("needs at least `name` and `primary`")
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
