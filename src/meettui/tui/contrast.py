"""Text that reads on what it is drawn on, whatever the theme: the WCAG contrast of a
style's colour on its background, and the colour moved toward black or white, as little
as it takes, until it reads.

A theme names colours for the statuses and the cursor bars, but not what they make
together: a status colour measured 4.5:1 on the theme's background (the light theme's
greens) fell to ~2.6:1 on the blue cursor bar, and Textual's built-in themes (which set
no status colours: meettui's defaults, chosen for a dark one) drew green on a pale bar
at 1.01:1. Nor do Textual's widgets promise it: a form's labels, a dialog's buttons,
the palette's help text and Textual's themes' `$text-muted` fell short too. So every
text the app draws goes through `ContrastFilter`, one of the app's line filters
(`install`), and the list's looks through `readable` as they are made (`RowLooks`): every
theme, a user's own too, reads everywhere. Left as drawn: a modal's backdrop (the screen
below, faded on purpose: `without_contrast`), and borders, scroll bars and the QR code
(`_GLYPH`).

"Reads" holds as the terminal shows it: in full colour, in a 256-colour terminal (each
colour moved to the nearest of its palette) and without colour (NO_COLOR: Textual draws
each colour as its grey, which a 256-colour terminal shows as the nearest of its
greys)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.color import Color, ColorSystem, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.constants import DIM_FACTOR
from textual.filter import ANSIToTruecolor, LineFilter

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

TEXT_CONTRAST = 4.5
"""WCAG 2 AA for normal text: what every text the app draws reaches on its background,
the list's cursor bars included."""
FLOOR = 3.0
"""The least contrast in 256 colours and without colour on a background no colour
reaches TEXT_CONTRAST on in every rendition (a cursor bar of middle lightness: nord's),
in full colour TEXT_CONTRAST holding still; and of a greyed (dim) key, in every
rendition (WCAG 2's 3:1 for what need not be read as text: a key that does nothing
now)."""

RGB = tuple[int, int, int]


@lru_cache(maxsize=4096)  # a colour's mixes are measured again and again (`_least_mix`)
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


@lru_cache(maxsize=4096)
def in_256(rgb: RGB) -> RGB:
    """`rgb` as a 256-colour terminal shows it: the nearest colour of its palette, as
    Rich picks it."""
    shown = Color.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (shown.red, shown.green, shown.blue)


def renditions(fg: RGB, bg: RGB) -> Iterator[tuple[RGB, RGB]]:
    """`fg` on `bg` as the terminal may show them: full colour, 256 colours, no colour
    (its greys in full colour and in 256 colours: the nearest of the palette's greys)."""
    yield fg, bg
    yield in_256(fg), in_256(bg)
    fg_grey, bg_grey = grey(fg), grey(bg)
    yield fg_grey, bg_grey
    yield in_256(fg_grey), in_256(bg_grey)


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
    the others; failing that, black or white, whichever reads better. On a saturated
    background (`saturated`: a blue bar, a red badge) text that falls short is black or
    white, whichever reads better: a mix of a colour with black or white turns muddy
    there, and the bar's own colour already says what it marks."""
    if worst_ratio(fg, bg) >= target:
        return fg
    ends = ((0, 0, 0), (255, 255, 255))
    if saturated(bg):
        return max(ends, key=lambda end: (ratio(end, bg) >= target, worst_ratio(end, bg)))
    for reads in (lambda c: worst_ratio(c, bg) >= target,
                  lambda c: ratio(c, bg) >= target and worst_ratio(c, bg) >= FLOOR):
        mixes = [_least_mix(fg, end, reads) for end in ends if reads(end)]
        if mixes:
            return min(mixes, key=lambda mix: mix[0])[1]
    return max(ends, key=lambda end: worst_ratio(end, bg))


SATURATED = 0.5
"""The least chroma (the widest gap between two channels, as a share of 255) of a
saturated background."""


def saturated(rgb: RGB) -> bool:
    """True when `rgb` is a vivid colour (chroma at least SATURATED): textual-dark's
    `$primary` #0178D4 is (0.83), nord's pale bar #88C0D0 (0.28) and greys are not."""
    return (max(rgb) - min(rgb)) / 255 >= SATURATED


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


class ContrastFilter(LineFilter):
    """The app's guarantee, as a line filter (`install`): every segment that draws a
    glyph gets a colour that reads on its background (`shown_style`). Textual applies
    the app's filters to every line of every widget, and keeps each filtered line with
    the line (`Strip.apply_filter`), so a line is filtered once however often it is
    drawn again."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        glyph, shown = _GLYPH.search, shown_style
        out = []
        for segment in segments:
            style = segment.style
            # Most segments read already: kept as they are, their text not even read.
            if style is not None:
                new = shown(style)
                if new is not style and new != style and glyph(segment.text):
                    segment = Segment(segment.text, new, segment.control)
            out.append(segment)
        return out


_GLYPH = re.compile(r"[^\s\u2500-\u259f]")
"""A character this filter reads: neither blank nor a box-drawing or block element
(U+2500-U+259F). Those draw borders, scroll bars, a toggle's sides, the footer's
separator and the QR code, which keep their own colours: a bar's thumb is its colour,
and the QR code's modules must stay dark on light to scan."""


@lru_cache(maxsize=2048)
def shown_style(style: Style) -> Style:
    """`style` as the filter draws it: its colour made to read on its background
    (`readable`); reversed text (the glyph in the background colour) the other way
    round; dim text drawn as its dim colour (`dim_colour`), made to read.

    (Textual's ANSI-to-truecolour filter, before this one, draws dim text as its dim
    colour already in every theme but the ANSI ones, whose colours are left as they are.)"""
    if style.reverse:
        swapped = readable(Style(color=style.bgcolor, bgcolor=style.color))
        if swapped.color == style.bgcolor:
            return style
        return style + Style(bgcolor=swapped.color)
    if not style.dim:
        return readable(style)
    drawn = _dim_drawn(style, TEXT_CONTRAST)
    return style if drawn is None else drawn


def dim_colour(fg: RGB, bg: RGB) -> RGB:
    """Dim `fg` on `bg` as Textual draws it (`textual.filter.dim_color`): DIM_FACTOR of
    the way from `bg` to `fg`, instead of the terminal's own dimming, which no one can
    measure."""
    return _mix(bg, fg, DIM_FACTOR)


@lru_cache(maxsize=256)
def greyed(style: Style) -> Style:
    """`style` greyed out, for a key that does nothing now: its dim colour
    (`dim_colour`), moved until it keeps FLOOR on its background in every rendition
    (WCAG 2's 3:1 for what need not be read as text), as little as it takes: not to
    TEXT_CONTRAST, so that it still looks greyed beside the keys that work. Dim as it
    is when a colour is the terminal's (an ANSI theme)."""
    drawn = _dim_drawn(style, FLOOR)
    return style + Style(dim=True) if drawn is None else drawn


def _dim_drawn(style: Style, target: float) -> Style | None:
    """`style` drawn in its dim colour (`dim_colour`) moved until it reaches `target`
    on its background, no longer dim; None when a colour is the terminal's to choose
    (an ANSI theme), whose dimming is left to it."""
    fg, bg = _rgb(style.color), _rgb(style.bgcolor)
    if fg is None or bg is None:
        return None
    shown = readable_rgb(dim_colour(fg, bg), bg, target)
    return style + Style(color=Color.from_triplet(ColorTriplet(*shown)), dim=False)


CONTRAST = ContrastFilter()
"""The app's filter (`install`)."""


def install(app: App[Any]) -> None:
    """Put CONTRAST among `app`'s line filters: after Textual's ANSI-to-truecolour one
    (it reads the colours that one makes) and before NO_COLOR's grey (it works out the
    grey itself: `renditions`)."""
    filters = app._filters  # private Textual API (pinned <8.3): its filter chain
    if CONTRAST not in filters:
        at = next((i + 1 for i, f in enumerate(filters) if isinstance(f, ANSIToTruecolor)), 0)
        filters.insert(at, CONTRAST)


def without_contrast(widget: Widget) -> list[LineFilter]:
    """The app's line filters without CONTRAST, for a widget that sees to its contrast
    itself (the key footer: `greyed`) or must not have it: a screen, which draws its
    background only, and under a modal the screen below faded on purpose (Textual blends
    it with the modal's translucent background): raising its text would undo that."""
    return [f for f in widget.app.get_line_filters() if f is not CONTRAST]
