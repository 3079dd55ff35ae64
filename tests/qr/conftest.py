"""Turn terminal cells back into pixels and decode them with a real QR reader.

The cells are painted the way a terminal paints them: a cell is CELL_W px wide and
CELL_H px tall, the glyph decides which half gets the foreground colour. A wrong glyph,
a swapped fg/bg or a missing colour makes the decode fail or the helper raise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from types import SimpleNamespace

import pytest
import zxingcpp
from PIL import Image
from rich.color import Color
from textual.strip import Strip

CELL_W = 4
CELL_H = 8

Cell = tuple[str, str | None, str | None]

# Which halves of a cell each glyph paints with the foreground: (top, bottom).
GLYPH_HALVES = {"▀": (True, False), "▄": (False, True), "█": (True, True), " ": (False, False)}


def _rgb(colour: str | None, where: str) -> tuple[int, int, int]:
    if colour is None or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise AssertionError(f"cell {where} has no explicit truecolor: {colour!r}")
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def cells_to_image(rows: Sequence[Sequence[Cell]], *, margin: str | None = None) -> Image.Image:
    """Paint cells; ``margin`` optionally surrounds them with 2 cells of another colour,
    like the terminal around the code."""
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):
        raise AssertionError("ragged rows")
    img = Image.new("RGB", (width * CELL_W, len(rows) * CELL_H))
    half = CELL_H // 2
    for y, row in enumerate(rows):
        for x, (glyph, fg, bg) in enumerate(row):
            if glyph not in GLYPH_HALVES:
                raise AssertionError(f"unexpected glyph {glyph!r} at {x},{y}")
            top_fg, bottom_fg = GLYPH_HALVES[glyph]
            where = f"{x},{y}"
            fg_rgb = _rgb(fg, where) if (top_fg or bottom_fg) else None
            bg_rgb = _rgb(bg, where) if not (top_fg and bottom_fg) else None
            x0, y0 = x * CELL_W, y * CELL_H
            img.paste(fg_rgb if top_fg else bg_rgb, (x0, y0, x0 + CELL_W, y0 + half))
            img.paste(fg_rgb if bottom_fg else bg_rgb, (x0, y0 + half, x0 + CELL_W, y0 + CELL_H))
    if margin is not None:
        framed = Image.new(
            "RGB", (img.width + 4 * CELL_W, img.height + 4 * CELL_H), _rgb(margin, "margin")
        )
        framed.paste(img, (2 * CELL_W, 2 * CELL_H))
        img = framed
    return img


def decode(img: Image.Image, *, try_invert: bool = False) -> zxingcpp.Barcode:
    """The one QR code in ``img``; fails if there is none or more than one.

    Inverted codes are not tried by default: many phone readers do not try them either,
    so a light-on-dark rendering must fail here.
    """
    results = zxingcpp.read_barcodes(
        img, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=try_invert
    )
    assert len(results) == 1, f"expected one QR code, decoded {len(results)}"
    return results[0]


def _hex(color: Color | None) -> str | None:
    if color is None or color.is_default:
        return None
    triplet = color.triplet
    if triplet is None:  # a palette colour: the terminal decides what it looks like
        return f"palette:{color.name}"
    return triplet.hex


def strips_to_cells(strips: Iterable[Strip]) -> list[list[Cell]]:
    """The cells of rendered strips, one per column, with their explicit colours."""
    rows = []
    for strip in strips:
        row: list[Cell] = []
        for segment in strip:
            if segment.control:
                continue
            style = segment.style
            fg = _hex(style.color) if style else None
            bg = _hex(style.bgcolor) if style else None
            for char in segment.text:
                row.append((char, fg, bg))
        rows.append(row)
    return rows


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def ansi_to_cells(text: str) -> list[list[Cell]]:
    """Parse 24-bit SGR text back into cells; colours reset to None on ``0``."""
    rows = []
    for line in text.splitlines():
        fg: str | None = None
        bg: str | None = None
        row: list[Cell] = []
        pos = 0
        while pos < len(line):
            m = _SGR.match(line, pos)
            if m:
                params = [int(p) for p in m.group(1).split(";") if p] or [0]
                i = 0
                while i < len(params):
                    p = params[i]
                    if p == 0:
                        fg = bg = None
                    elif p in (38, 48) and params[i + 1] == 2:
                        colour = "#{:02x}{:02x}{:02x}".format(*params[i + 2 : i + 5])
                        if p == 38:
                            fg = colour
                        else:
                            bg = colour
                        i += 4
                    else:
                        raise AssertionError(f"unexpected SGR parameter {p}")
                    i += 1
                pos = m.end()
            else:
                row.append((line[pos], fg, bg))
                pos += 1
        rows.append(row)
    return rows


@pytest.fixture
def proof() -> SimpleNamespace:
    return SimpleNamespace(
        cells_to_image=cells_to_image,
        decode=decode,
        strips_to_cells=strips_to_cells,
        ansi_to_cells=ansi_to_cells,
    )
