"""Placing a QR code's codewords and choosing its mask, one matrix row per Python int.

qrcode's own ``QRCode.make`` builds the whole matrix nine times (once per trial mask,
then once for the winner) and scores each trial module by module in pure Python: about
3 ms per link here. This module takes the same steps with the matrix held as bitsets:

* what does not depend on the data (function patterns, where data modules go, the
  eight mask patterns over them) is built once per version, with qrcode's own methods,
  so the template is qrcode's;
* the codewords are placed once; a trial mask is then one XOR per row and per column;
* the penalty rules are counted with int and str operations (see ``penalty``).

The result is module for module what qrcode makes for the same data, version and
error correction level, mask choice included (tests/qr/test_qr_masking.py compares
them). Headless: no textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Runs of five or more modules of one colour (rule N1).
_RUN = re.compile(r"0{5,}|1{5,}")
# Dark-light-dark(3)-light-dark with four light modules after or before (rule N3),
# as the text of a row or column read from its first module.
_FINDER_LIKE = ("10111010000", "00001011101")


@dataclass(frozen=True)
class Template:
    """What a version's matrix is before any data: bit ``size - 1 - c`` of a row (or of
    a column's int, for row ``r``: bit ``size - 1 - r``) is module ``c`` (``r``).

    ``fixed_rows``/``fixed_cols`` hold the function patterns as qrcode's trial matrices
    have them (format and version areas light); ``slots`` the data modules in placement
    order, as (row, row bit, column, column bit); ``mask_rows[m]``/``mask_cols[m]`` the
    modules mask ``m`` flips (data modules only).
    """

    size: int
    fixed_rows: tuple[int, ...]
    fixed_cols: tuple[int, ...]
    slots: tuple[tuple[int, int, int, int], ...]
    mask_rows: tuple[tuple[int, ...], ...]
    mask_cols: tuple[tuple[int, ...], ...]


def _qrcode_blank(version: int, test: bool, mask: int, error: int) -> list[list[bool | None]]:
    """qrcode's matrix before map_data: function patterns, format and version
    information and the dark module (all light when ``test``, as in its mask trials),
    None for data."""
    import qrcode

    code = qrcode.QRCode(version=version, error_correction=error, border=0)
    code.modules_count = size = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(test, mask)
    if version >= 7:
        code.setup_type_number(test)
    return code.modules  # type: ignore[no-any-return]


def _bits(cells: list[bool], size: int) -> int:
    value = 0
    for c, dark in enumerate(cells):
        if dark:
            value |= 1 << (size - 1 - c)
    return value


@cache
def template(version: int) -> Template:
    """The data-independent part of a ``version`` (1–40) matrix; built once per version.

    Raises ValueError for a version outside 1–40 (qrcode's check)."""
    import qrcode.util

    qrcode.util.check_version(version)
    blank = _qrcode_blank(version, test=True, mask=0, error=0)
    size = len(blank)
    fixed_rows = tuple(_bits([bool(m) for m in row], size) for row in blank)
    fixed_cols = tuple(
        _bits([bool(blank[r][c]) for r in range(size)], size) for c in range(size)
    )
    # The order of QRCode.map_data: two-column strips from the right, upwards first,
    # skipping the vertical timing pattern's column.
    slots: list[tuple[int, int, int, int]] = []
    row, step = size - 1, -1
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        while 0 <= row < size:
            for c in (right, right - 1):
                if blank[row][c] is None:
                    slots.append((row, 1 << (size - 1 - c), c, 1 << (size - 1 - row)))
            row += step
        row -= step
        step = -step
    mask_rows, mask_cols = [], []
    for pattern in range(8):
        flips = qrcode.util.mask_func(pattern)
        rows = [0] * size
        cols = [0] * size
        for r, row_bit, c, col_bit in slots:
            if flips(r, c):
                rows[r] |= row_bit
                cols[c] |= col_bit
        mask_rows.append(tuple(rows))
        mask_cols.append(tuple(cols))
    return Template(size, fixed_rows, fixed_cols, tuple(slots), tuple(mask_rows),
                    tuple(mask_cols))


def place(tpl: Template, codewords: bytes | list[int]) -> tuple[list[int], list[int]]:
    """The unmasked data modules as (rows, columns) bitsets: codeword bits most
    significant first, in placement order; slots past the last codeword stay light
    (qrcode's remainder bits)."""
    size = tpl.size
    rows = [0] * size
    cols = [0] * size
    slots = tpl.slots
    index = 0
    for byte in codewords:
        if byte:
            for bit in range(7, -1, -1):
                if (byte >> bit) & 1:
                    r, row_bit, c, col_bit = slots[index + 7 - bit]
                    rows[r] |= row_bit
                    cols[c] |= col_bit
        index += 8
    return rows, cols


def penalty(rows: list[int], cols: list[int], size: int) -> int:
    """The mask penalty of a matrix given as row and column bitsets, as qrcode's
    ``util.lost_point`` computes it (ISO/IEC 18004:2015 §7.8.3.1, rules N1–N4):

    * N1: each run of 5 + i modules of one colour in a row or column scores 3 + i;
    * N2: each 2×2 block of one colour scores 3 (overlapping blocks all count);
    * N3: each 1:1:3:1:1 dark-light pattern with 4 light modules on either side, in a
      row or column and inside the matrix, scores 40;
    * N4: 10 per full 5 % that the dark share departs from 50 % (qrcode's float
      arithmetic, so that ties break the same way).
    """
    form = f"0{size}b"
    text = ",".join([format(x, form) for x in rows] + [format(x, form) for x in cols])
    runs = _RUN.findall(text)
    score = sum(map(len, runs)) - 2 * len(runs)
    score += 40 * (text.count(_FINDER_LIKE[0]) + text.count(_FINDER_LIKE[1]))
    # A 2×2 block starts at column bit p when both rows agree at bits p and p + 1 and the
    # top row agrees with itself across them.
    inner = (1 << (size - 1)) - 1
    blocks = 0
    for top, bottom in zip(rows, rows[1:], strict=False):
        same = ~(top ^ bottom)
        blocks += (same & (same >> 1) & ~(top ^ (top >> 1)) & inner).bit_count()
    score += 3 * blocks
    dark = sum(x.bit_count() for x in rows)
    percent = float(dark) / (size**2)
    score += int(abs(percent * 100 - 50) / 5) * 10
    return score


@cache
def _final_fixed(version: int, error: int, mask: int) -> tuple[int, ...]:
    """The function patterns of the finished matrix: format information for ``error``
    (qrcode's ERROR_CORRECT_* value) and ``mask``, version information, the dark module."""
    blank = _qrcode_blank(version, test=False, mask=mask, error=error)
    return tuple(_bits([bool(m) for m in row], len(blank)) for row in blank)


def best_mask(tpl: Template, rows: list[int], cols: list[int]) -> int:
    """The mask (0–7) with the lowest ``penalty``, the first one on a tie (qrcode's
    ``best_mask_pattern``): scored with format and version areas light, as qrcode does."""
    size = tpl.size
    best, best_score = 0, -1
    for mask in range(8):
        mrows, mcols = tpl.mask_rows[mask], tpl.mask_cols[mask]
        trial_rows = [f | (d ^ m) for f, d, m in zip(tpl.fixed_rows, rows, mrows, strict=True)]
        trial_cols = [f | (d ^ m) for f, d, m in zip(tpl.fixed_cols, cols, mcols, strict=True)]
        score = penalty(trial_rows, trial_cols, size)
        if best_score < 0 or score < best_score:
            best, best_score = mask, score
    return best


def build(version: int, error: int, codewords: bytes | list[int]
          ) -> tuple[tuple[tuple[bool, ...], ...], int]:
    """(modules, mask): the finished matrix for ``codewords`` (qrcode's
    ``util.create_data`` for this version and ``error``, its ERROR_CORRECT_* value),
    ``size`` rows of ``size`` modules, True for dark; the same as ``QRCode.make``."""
    tpl = template(version)
    rows, cols = place(tpl, codewords)
    mask = best_mask(tpl, rows, cols)
    fixed = _final_fixed(version, error, mask)
    form = f"0{tpl.size}b"
    modules = tuple(
        tuple(ch == "1" for ch in format(f | (d ^ m), form))
        for f, d, m in zip(fixed, rows, tpl.mask_rows[mask], strict=True)
    )
    return modules, mask
