"""QR matrices and the ways meettui draws them: terminal cells, ANSI text, PNG, SVG.

Headless: this module must never import textual (the TUI widget builds on it).

Terminal drawing uses half blocks: every cell is ``▀`` with the foreground set to the
top module's colour and the background to the bottom module's colour. Both colours are
always explicit truecolor black and white, never theme or palette colours, so the code
scans whatever the terminal theme is, and the quiet zone is drawn, not left to the
terminal background.

Where no colours may be used (NO_COLOR, text that is not for a terminal: `to_plain`),
the code is drawn in block characters alone, the terminal's own colours: the light
modules and the quiet zone are the blocks (foreground), the dark modules the blanks
(background), so that it scans on a dark background, as `qrencode -t UTF8` draws;
`invert` draws it for a light one.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from meettui.core import qr_codewords, qr_masking
from meettui.core.display import plain_link
from meettui.core.private_file import write_private

DARK = "#000000"
LIGHT = "#ffffff"
UPPER_HALF = "▀"

# The spec asks for a 4-module quiet zone; 2 still scans on phones and saves 4 columns
# and 2 rows, so it is the fallback for narrow panes only.
QUIET = 4
QUIET_MIN = 2

# Error correction levels, weakest first, and qrcode's values for them (its
# constants.ERROR_CORRECT_<letter>, here to spare importing qrcode with this module).
_LEVELS = ("L", "M", "Q", "H")
_ERROR_CORRECT = {"L": 1, "M": 0, "Q": 3, "H": 2}

Cell = tuple[str, str, str]
"""One terminal cell: (glyph, foreground, background)."""


@dataclass(frozen=True)
class QRMatrix:
    """The modules of a QR code, without quiet zone; True is a dark module."""

    modules: tuple[tuple[bool, ...], ...]
    version: int
    error: str

    @property
    def size(self) -> int:
        return len(self.modules)


@dataclass(frozen=True)
class QRLayout:
    """How a matrix is drawn in cells: quiet zone and scale in modules, size in cells."""

    quiet: int
    scale: int
    cols: int
    rows: int


def make_matrix(data: str) -> QRMatrix:
    """Encode ``data`` in the smallest version, with the strongest error correction that
    still fits in that version (a stronger level is free when the size does not grow).

    ``data`` is a link for another device (a phone's camera), so it is encoded as every
    link that leaves meettui is handed on (`display.plain_link`): a control, bidi or
    zero-width character percent-encoded, which the phone shows as it is instead of
    letting it reorder or hide the address it offers to open.

    The answer is kept per string (the last MATRIX_CACHE_SIZE of them): the detail pane
    asks again every time the cursor comes back to a meeting. Raises ValueError for an
    empty string or one too long for any QR code (version 40, level L).
    """
    cached = _MATRICES.get(data)
    if cached is not None:
        _MATRICES.move_to_end(data)
        return cached
    matrix = _encode(data)
    _MATRICES[data] = matrix
    while len(_MATRICES) > MATRIX_CACHE_SIZE:
        _MATRICES.popitem(last=False)
    return matrix


def cached_matrix(data: str) -> QRMatrix | None:
    """The matrix ``make_matrix(data)`` returned before, or None if it is not kept: lets a
    caller on the UI thread skip a worker when there is nothing to compute."""
    return _MATRICES.get(data)


MATRIX_CACHE_SIZE = 256
# OrderedDict rather than functools.lru_cache: cached_matrix() must look without encoding.
# Its operations are atomic under the GIL, and a race costs one encode twice, never a
# wrong matrix (the key is the data itself).
_MATRICES: OrderedDict[str, QRMatrix] = OrderedDict()


def _encode(data: str) -> QRMatrix:
    if not data:
        raise ValueError("cannot make a QR code of an empty string")
    # qrcode is imported by the functions that use it: it loads PIL (its image
    # drawers), which only drawing needs; the CLI's parser and the app's start-up use
    # this module's constants alone.
    data = plain_link(data)
    parts = qr_codewords.chunks(data)
    try:
        version = qr_codewords.fit_version(parts, _ERROR_CORRECT["L"])
    except ValueError:
        raise ValueError(
            f"{len(data)} characters are too long for a QR code (version 40, level L)"
        ) from None
    # The strongest level whose capacity at this version still holds the bits is chosen
    # without encoding again (levels only ever need more room, so the first that does
    # not fit ends it).
    import qrcode.util

    needed = qr_codewords.bits_needed(parts, version)
    letter = _LEVELS[0]
    for next_letter in _LEVELS[1:]:
        if needed > qrcode.util.BIT_LIMIT_TABLE[_ERROR_CORRECT[next_letter]][version]:
            break
        letter = next_letter
    level = _ERROR_CORRECT[letter]
    # qrcode's codewords, then its mask choice (8 trial masks: the choice is what keeps a
    # code free of patterns that trip phone readers), both computed on ints, which gives
    # the matrix of QRCode.make() several times faster (qr_codewords, qr_masking).
    codewords = qr_codewords.codewords(parts, version, level)
    modules, _mask = qr_masking.build(version, level, codewords)
    return QRMatrix(modules=modules, version=version, error=letter)


def layout_for(matrix: QRMatrix, quiet: int = QUIET, scale: int = 1) -> QRLayout:
    """The cells needed to draw ``matrix`` with this quiet zone and scale.

    A module is ``scale`` columns wide and ``scale`` half-rows tall; an odd number of
    half-rows leaves the bottom half of the last row light, which is just more quiet zone.
    """
    if quiet < 0 or scale < 1:
        raise ValueError(f"invalid layout: quiet={quiet}, scale={scale}")
    side = (matrix.size + 2 * quiet) * scale
    return QRLayout(quiet=quiet, scale=scale, cols=side, rows=(side + 1) // 2)


def needed_cells(matrix: QRMatrix) -> tuple[int, int]:
    """The smallest (cols, rows) in which ``matrix`` can be drawn and still scan."""
    layout = layout_for(matrix, quiet=QUIET_MIN, scale=1)
    return layout.cols, layout.rows


def fit(matrix: QRMatrix, max_cols: int, max_rows: int, *, max_scale: int = 4) -> QRLayout | None:
    """The largest layout within ``max_cols`` × ``max_rows``, or None if none fits.

    A bigger scale scans from further away, so it wins; the full quiet zone is kept at
    every scale and is only narrowed to 2 modules when nothing else fits at all.
    """
    for scale in range(max(1, max_scale), 0, -1):
        layout = layout_for(matrix, quiet=QUIET, scale=scale)
        if layout.cols <= max_cols and layout.rows <= max_rows:
            return layout
    layout = layout_for(matrix, quiet=QUIET_MIN, scale=1)
    if layout.cols <= max_cols and layout.rows <= max_rows:
        return layout
    return None


def _half_rows(matrix: QRMatrix, layout: QRLayout) -> list[list[bool]]:
    """Dark/light per column and half-row, quiet zone and scale applied."""
    quiet, scale = layout.quiet, layout.scale
    light_row = [False] * layout.cols
    pad = [False] * (quiet * scale)
    out: list[list[bool]] = [light_row] * (quiet * scale)
    for row in matrix.modules:
        line = pad + [m for m in row for _ in range(scale)] + pad
        out.extend([line] * scale)
    out.extend([light_row] * (quiet * scale))
    if len(out) % 2:
        out.append(light_row)
    return out


def render_cells(matrix: QRMatrix, layout: QRLayout, *, invert: bool = False) -> list[list[Cell]]:
    """The terminal cells, ``layout.rows`` lines of ``layout.cols`` cells each.

    The default (dark modules black on white) is the one that scans everywhere;
    ``invert`` exists for the rare reader that asks for light-on-dark.
    """
    dark, light = (LIGHT, DARK) if invert else (DARK, LIGHT)
    halves = _half_rows(matrix, layout)
    cells: list[list[Cell]] = []
    for top, bottom in zip(halves[0::2], halves[1::2], strict=True):
        cells.append(
            [
                (UPPER_HALF, dark if t else light, dark if b else light)
                for t, b in zip(top, bottom, strict=True)
            ]
        )
    return cells


CellRun = tuple[int, str, str]
"""A run of equal cells on a line: (count, foreground, background), glyph UPPER_HALF."""

# A cell as one byte: 2 × top module dark + bottom module dark; runs of one value.
_RUNS = re.compile(rb"\x00+|\x01+|\x02+|\x03+")


def render_runs(matrix: QRMatrix, layout: QRLayout) -> list[list[CellRun]]:
    """``render_cells`` (default colours) as runs of equal cells per line: what a
    terminal widget draws as one segment each. Cell for cell the same as render_cells."""
    colours = ((LIGHT, LIGHT), (LIGHT, DARK), (DARK, LIGHT), (DARK, DARK))
    halves = _half_rows(matrix, layout)
    lines: list[list[CellRun]] = []
    for top, bottom in zip(halves[0::2], halves[1::2], strict=True):
        codes = bytes([2 * t + b for t, b in zip(top, bottom, strict=True)])
        lines.append([(end - start, *colours[codes[start]])
                      for start, end in (m.span() for m in _RUNS.finditer(codes))])
    return lines


def _sgr(fg: str, bg: str) -> str:
    fr, fgc, fb = (int(fg[i : i + 2], 16) for i in (1, 3, 5))
    br, bgc, bb = (int(bg[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[38;2;{fr};{fgc};{fb};48;2;{br};{bgc};{bb}m"


def to_ansi(matrix: QRMatrix, layout: QRLayout, invert: bool = False) -> str:
    """The code as text for a terminal: 24-bit SGR colours, reset at the end of each line
    so that nothing bleeds into the next line or the prompt.

    The default is the one that scans (see ``render_cells``).
    """
    lines = []
    for row in render_cells(matrix, layout, invert=invert):
        parts: list[str] = []
        current: tuple[str, str] | None = None
        for glyph, fg, bg in row:
            if (fg, bg) != current:
                parts.append(_sgr(fg, bg))
                current = (fg, bg)
            parts.append(glyph)
        parts.append("\x1b[0m")
        lines.append("".join(parts))
    return "\n".join(lines) + "\n"


# A cell's glyph when only the foreground is painted, by (top painted, bottom painted).
_PLAIN = {(False, False): " ", (True, False): UPPER_HALF, (False, True): "▄",
          (True, True): "█"}


def to_plain(matrix: QRMatrix, layout: QRLayout, invert: bool = False) -> str:
    """The code as text without any escape: block characters in the terminal's own
    foreground on its background. The light modules (quiet zone included) are painted,
    which scans on a dark background; `invert` paints the dark modules instead, for a
    light one. Drawn for a dark background, every line ends in painted quiet zone (no
    trailing blanks for a pager or an editor to drop)."""
    lines = []
    halves = _half_rows(matrix, layout)
    for top, bottom in zip(halves[0::2], halves[1::2], strict=True):
        lines.append("".join(_PLAIN[(t == invert, b == invert)]
                             for t, b in zip(top, bottom, strict=True)))
    return "\n".join(lines) + "\n"


def write_png(
    matrix: QRMatrix, path: str | Path, *, module_px: int = 10, quiet: int = QUIET,
    replace: bool = False,
) -> None:
    """Write an 8-bit greyscale PNG.

    Written with zlib by hand because Pillow is not a runtime dependency and the format
    needs nothing more than one IHDR, one IDAT and an IEND chunk. The file is created
    readable by its owner only (`core/private_file.py`): a code is its link, host links
    included. An existing file is replaced only when `replace` (else FileExistsError), and
    meettui's own files never. OSError when it cannot be written.
    """
    if module_px < 1 or quiet < 0:
        raise ValueError(f"invalid PNG layout: module_px={module_px}, quiet={quiet}")
    side = (matrix.size + 2 * quiet) * module_px
    light_line = b"\x00" + b"\xff" * side
    pad = b"\xff" * (quiet * module_px)
    raw = bytearray()
    raw += light_line * (quiet * module_px)
    for row in matrix.modules:
        line = b"\x00" + pad
        line += b"".join(b"\x00" * module_px if m else b"\xff" * module_px for m in row)
        line += pad
        raw += line * module_px
    raw += light_line * (quiet * module_px)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )
    write_private(path, data, replace=replace)


def svg_text(matrix: QRMatrix, *, quiet: int = QUIET) -> str:
    """A plain SVG in module units: a white background and one path of dark runs."""
    side = matrix.size + 2 * quiet
    runs: list[str] = []
    for y, row in enumerate(matrix.modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + quiet} {y + quiet}h{x - start}v1h-{x - start}z")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'width="{side * 8}" height="{side * 8}" shape-rendering="crispEdges">\n'
        f'<rect width="{side}" height="{side}" fill="{LIGHT}"/>\n'
        f'<path fill="{DARK}" d="{"".join(runs)}"/>\n'
        "</svg>\n"
    )


def write_svg(matrix: QRMatrix, path: str | Path, *, quiet: int = QUIET,
              replace: bool = False) -> None:
    """Write `svg_text` to `path`, readable by its owner only (`write_png` says why);
    an existing file only when `replace` (`private_file.write_private`). OSError when it
    cannot be written."""
    write_private(path, svg_text(matrix, quiet=quiet).encode("utf-8"), replace=replace)
