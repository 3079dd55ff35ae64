"""Every text colour of the shipped themes is readable on every background it is drawn
on: at least 4.5:1, WCAG 2 AA for normal text (D33: the light theme's greens and
oranges measured 2.6-3.3:1 on white)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

THEMES = Path(__file__).resolve().parents[2] / "themes"
BACKGROUNDS = ("background", "surface", "panel")
TEXT = ("foreground", "primary", "secondary", "accent", "warning", "error", "success")


def luminance(colour: str) -> float:
    """WCAG relative luminance of `#RRGGBB`."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_matches_known_ratios():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#40A02B", "#FFFFFF") == pytest.approx(3.34, abs=0.01)  # D33: "3.3:1"


@pytest.mark.parametrize("name", ["meettui-light", "meettui-dark"])
def test_every_text_colour_reads_on_every_background(name):
    theme = tomllib.loads((THEMES / f"{name}.toml").read_text())
    colours = {key: theme[key] for key in TEXT if key in theme}
    colours |= {key: value for key, value in theme.get("variables", {}).items()
                if isinstance(value, str) and value.startswith("#")}
    low = [
        f"{key} {colour} on {ground} {theme[ground]}: {contrast(colour, theme[ground]):.2f}"
        for key, colour in colours.items()
        for ground in BACKGROUNDS if ground in theme
        if contrast(colour, theme[ground]) < 4.5
    ]
    assert low == []
