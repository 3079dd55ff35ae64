"""A QR code's version and codewords, as qrcode computes them, with ints for bits.

qrcode writes its bit stream one bit at a time into a list (``util.BitBuffer``), three
times per code (``best_fit``, the choice of level, ``create_data``), and divides
polynomials as lists for the Reed–Solomon error correction: about half a millisecond
of a short link's encode. This module keeps qrcode's data analysis
(``util.optimal_data_chunks``, the chunks' own ``write``), its tables and its rules
(terminator, pad bytes, block interleaving) and only holds the bits in one int and
computes the error correction bytes with log/antilog tables. The codewords are qrcode's
(tests/qr/test_qr_codewords.py compares them). Headless: no textual here; qrcode is
imported when a function runs, not with this module.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qrcode.util import QRData

# QRCode.add_data's default: a run of at least 20 digits (or alphanumerics) gets its own
# chunk in the denser mode.
_OPTIMIZE = 20


class _Bits:
    """A bit stream in one int: ``put`` appends the low ``length`` bits of ``num``, most
    significant first (the interface of qrcode's BitBuffer that QRData.write uses)."""

    __slots__ = ("length", "value")

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        """Append the low `length` bits of `num`, most significant first."""
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def __len__(self) -> int:
        return self.length


def chunks(data: str) -> list[QRData]:
    """``data`` split into mode chunks (byte, alphanumeric, numeric) as
    ``QRCode.add_data`` splits it."""
    import qrcode.util

    return list(qrcode.util.optimal_data_chunks(data, minimum=_OPTIMIZE))


def _stream(parts: list[QRData], version: int) -> _Bits:
    import qrcode.util

    sizes = qrcode.util.mode_sizes_for_version(version)
    bits = _Bits()
    for part in parts:
        bits.put(part.mode, 4)
        bits.put(len(part), sizes[part.mode])
        part.write(bits)
    return bits


def bits_needed(parts: list[QRData], version: int) -> int:
    """The length in bits of ``parts`` at ``version`` (mode indicators, character
    counts, data; no terminator)."""
    return len(_stream(parts, version))


def fit_version(parts: list[QRData], error: int) -> int:
    """The smallest version (1–40) that holds ``parts`` at ``error`` (qrcode's
    ERROR_CORRECT_* value), found as ``QRCode.best_fit`` finds it. Raises ValueError when
    not even version 40 does."""
    import qrcode.util

    start = 1
    while True:
        needed = bits_needed(parts, start)
        version = bisect_left(qrcode.util.BIT_LIMIT_TABLE[error], needed, start)
        if version > 40:
            raise ValueError(f"{needed} bits do not fit in a QR code at version 40")
        # A larger version may count characters with more bits: measure again there.
        if qrcode.util.mode_sizes_for_version(version) is qrcode.util.mode_sizes_for_version(start):
            return version
        start = version


@cache
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """log2 of the Reed–Solomon generator's coefficients after the leading 1, in
    GF(256) with qrcode's tables (-1 for a zero coefficient). qrcode's table holds the
    generator of every error correction length a QR code uses (KeyError otherwise)."""
    import qrcode.base
    import qrcode.LUT

    poly = qrcode.LUT.rsPoly_LUT[ec_count]
    return tuple(qrcode.base.LOG_TABLE[c] if c else -1 for c in poly[1:])


def error_correction(block: list[int], ec_count: int) -> list[int]:
    """The ``ec_count`` error correction codewords of one block of data codewords: the
    remainder of block·x^ec_count divided by the generator polynomial (ISO/IEC 18004
    §7.5.2), what ``util.create_bytes`` gets from ``Polynomial.__mod__``."""
    import qrcode.base

    exp, log = qrcode.base.EXP_TABLE, qrcode.base.LOG_TABLE
    gen = _generator_logs(ec_count)
    remainder = [0] * ec_count
    for byte in block:
        factor = byte ^ remainder[0]
        remainder = remainder[1:]
        remainder.append(0)
        if factor:
            shift = log[factor]
            remainder = [r ^ exp[(g + shift) % 255] if g >= 0 else r
                         for r, g in zip(remainder, gen, strict=True)]
    return remainder


def codewords(parts: list[QRData], version: int, error: int) -> list[int]:
    """The codewords placed in the matrix: data blocks then error correction blocks,
    interleaved, as ``util.create_data(version, error, parts)`` returns them. Raises
    ValueError when the data does not fit."""
    import qrcode.base
    import qrcode.util

    bits = _stream(parts, version)
    blocks = qrcode.base.rs_blocks(version, error)
    limit = sum(block.data_count for block in blocks) * 8
    if len(bits) > limit:
        raise ValueError(f"{len(bits)} bits do not fit in {limit} at version {version}")
    # Up to four 0 bits of terminator, then 0 bits to a byte boundary, then pad bytes.
    bits.put(0, min(limit - len(bits), 4))
    bits.put(0, -len(bits) % 8)
    data = list(bits.value.to_bytes(len(bits) // 8, "big"))
    pads = (qrcode.util.PAD0, qrcode.util.PAD1)
    data.extend(pads[i % 2] for i in range(limit // 8 - len(data)))
    data_blocks, ec_blocks = [], []
    offset = 0
    for block in blocks:
        chunk = data[offset:offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(error_correction(chunk, block.total_count - block.data_count))
    out: list[int] = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out.extend(b[i] for b in group if i < len(b))
    return out
