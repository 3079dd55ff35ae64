"""Text that reads on what it is drawn on, whatever the theme: the WCAG contrast of a
style's colour on its background, and the colour moved toward black or white, as little
as it takes, until it reads.

A theme names colours for the statuses and the cursor bars, but not what they make
together: a status colour measured 4.5:1 on the theme's background (the light theme's
greens) fell to ~2.6:1 on the blue cursor bar, and Textual's built-in themes (which set
no status colours: meettui's defaults, chosen for a dark one) drew green on a pale bar
at 1.01:1. The list's looks go through `readable` (`RowLooks`), and the text of the
pane, the column titles and the status line through `ReadableText`, so every theme, a
user's own too, reads there.

"Reads" holds as the terminal shows it: in full colour, in a 256-colour terminal (each
colour moved to the nearest of its palette) and without colour (NO_COLOR: Textual draws
each colour as its grey)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.color import Color, ColorSystem, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

TEXT_CONTRAST = 4.5
"""WCAG 2 AA for normal text: what every look of the list reaches, on its row's
background and on the cursor bars."""
FLOOR = 3.0
"""The least contrast in 256 colours and without colour on a background no colour
reaches TEXT_CONTRAST on in every rendition (a cursor bar of middle lightness: nord's);
in full colour TEXT_CONTRAST holds still."""

RGB = tuple[int, int, int]


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black, 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def grey(rgb: RGB) -> RGB:
    """`rgb` as Textual draws it without colour (NO_COLOR: `Color.monochrome`)."""
    r, g, b = rgb
    level = round(r * 0.2126 + g * 0.7152 + b * 0.0722)
    return (level, level, level)


def in_256(rgb: RGB) -> RGB:
    """`rgb` as a 256-colour terminal shows it: the nearest colour of its palette, as
    Rich picks it."""
    shown = Color.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (shown.red, shown.green, shown.blue)


def renditions(fg: RGB, bg: RGB) -> Iterator[tuple[RGB, RGB]]:
    """`fg` on `bg` as the terminal may show them: full colour, 256 colours, no colour."""
    yield fg, bg
    yield in_256(fg), in_256(bg)
    yield grey(fg), grey(bg)


def worst_ratio(fg: RGB, bg: RGB) -> float:
    """The lowest contrast of `fg` on `bg` over `renditions`."""
    return min(ratio(a, b) for a, b in renditions(fg, bg))


def _mix(fg: RGB, to: RGB, share: float) -> RGB:
    r, g, b = (round(f + (t - f) * share) for f, t in zip(fg, to, strict=True))
    return (r, g, b)


@lru_cache(maxsize=512)
def readable_rgb(fg: RGB, bg: RGB, target: float = TEXT_CONTRAST) -> RGB:
    """`fg`, or the least mix of it with black or white that reaches `target` on `bg` in
    every rendition (`worst_ratio`). On a background of middle lightness (a cursor bar)
    no colour may: then the least mix that reaches `target` in full colour and FLOOR in
    the others; failing that, black or white, whichever reads better."""
    if worst_ratio(fg, bg) >= target:
        return fg
    ends = ((0, 0, 0), (255, 255, 255))
    for reads in (lambda c: worst_ratio(c, bg) >= target,
                  lambda c: ratio(c, bg) >= target and worst_ratio(c, bg) >= FLOOR):
        mixes = [_least_mix(fg, end, reads) for end in ends if reads(end)]
        if mixes:
            return min(mixes, key=lambda mix: mix[0])[1]
    return max(ends, key=lambda end: worst_ratio(end, bg))


def _least_mix(fg: RGB, to: RGB, reads: Callable[[RGB], bool]) -> tuple[float, RGB]:
    """The least share of `to` mixed into `fg` that `reads` (which `to` itself does),
    and that mix."""
    low, high = 0.0, 1.0
    for _ in range(12):  # to 1/4096 of the way: below a step of a channel
        middle = (low + high) / 2
        if reads(_mix(fg, to, middle)):
            high = middle
        else:
            low = middle
    return high, _mix(fg, to, high)


def _rgb(color: Color | None) -> RGB | None:
    """A colour's RGB when the app sets it (not the terminal's own default or one of
    its 16 ANSI colours, which the terminal's palette decides)."""
    if color is None or color.type not in (ColorType.TRUECOLOR, ColorType.EIGHT_BIT):
        return None
    if color.type == ColorType.EIGHT_BIT and (color.number or 0) < 16:
        return None
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def readable(style: Style, target: float = TEXT_CONTRAST) -> Style:
    """`style` with its colour moved until it reaches `target` on its background
    (`readable_rgb`); as it is when it already does, or when either colour is the
    terminal's to choose (an ANSI theme)."""
    fg, bg = _rgb(style.color), _rgb(style.bgcolor)
    if fg is None or bg is None:
        return style
    better = readable_rgb(fg, bg, target)
    if better == fg:
        return style
    return style + Style(color=Color.from_triplet(ColorTriplet(*better)))


if TYPE_CHECKING:
    _Mixin = Widget
else:
    # A plain class at run time: Textual reads a widget's CSS (`DEFAULT_CSS`, type
    # selectors) along its first DOM-node base, which must stay the widget's own (a
    # Static's `height: auto` was lost, and the pane's blocks took the whole height).
    _Mixin = object


class ReadableText(_Mixin):
    """A widget whose text reads on its background in every theme: each colour it
    paints (its CSS colour, `$text-muted` on `$panel`; dim text, a masked link's; `$text`
    on the focused pane's `$primary 45%` title bar) moved by `readable` where the theme
    leaves it short (a mixin: put it before the widget class)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        return [strip.apply_filter(READABLE, _NO_BACKGROUND)
                for strip in super().render_lines(crop)]


class _Readable(LineFilter):
    """Every segment's colour made to read on its background (`readable`)."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [Segment(text, _readable_style(style), control) if style is not None
                else Segment(text, style, control) for text, style, control in segments]


@lru_cache(maxsize=1024)
def _readable_style(style: Style) -> Style:
    return readable(style)


READABLE = _Readable()
_NO_BACKGROUND = TextualColor(0, 0, 0, 0)


class ReadableStatic(ReadableText, Static):
    """A Static whose text reads on its background in every theme (`ReadableText`)."""
