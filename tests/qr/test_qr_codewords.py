"""meettui.core.qr_codewords computes what qrcode computes: the same chunks, version,
bit count and codewords (data and error correction, interleaved)."""

from __future__ import annotations

import random

import pytest
import qrcode
import qrcode.base
import qrcode.constants
import qrcode.util

from meettui.core import qr, qr_codewords

LEVELS = [qrcode.constants.ERROR_CORRECT_L, qrcode.constants.ERROR_CORRECT_M,
          qrcode.constants.ERROR_CORRECT_Q, qrcode.constants.ERROR_CORRECT_H]


def _samples() -> list[str]:
    rng = random.Random(18004)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/?=&%.~ é"
    out = ["A", "0", "https://meet.jit.si/room-0000001",
           "https://zoom.us/j/81234567890123456789012345?pwd=ABCDEFGHIJKLMNOPQRSTUV",
           "HTTPS://EXAMPLE.COM/" + "0123456789" * 5]
    for _ in range(60):
        length = rng.choice([3, 10, 30, 60, 100, 150, 250, 400, 700, 1200, 2000])
        out.append("https://x.example/" + "".join(rng.choices(alphabet, k=length)))
    return out


SAMPLES = _samples()


def test_levels_are_qrcodes_constants() -> None:
    constants = {letter: getattr(qrcode.constants, f"ERROR_CORRECT_{letter}")
                 for letter in "LMQH"}
    assert constants == qr._ERROR_CORRECT


@pytest.mark.parametrize("error", LEVELS, ids=["L", "M", "Q", "H"])
def test_version_bits_and_codewords_are_qrcodes(error: int) -> None:
    for data in SAMPLES:
        code = qrcode.QRCode(error_correction=error)
        code.add_data(data)
        parts = qr_codewords.chunks(data)
        assert [(p.mode, p.data) for p in parts] == [(p.mode, p.data) for p in code.data_list]
        try:
            expected = code.best_fit()
        except (qrcode.exceptions.DataOverflowError, ValueError):
            with pytest.raises(ValueError):
                qr_codewords.fit_version(parts, error)
            continue
        assert qr_codewords.fit_version(parts, error) == expected, data
        buffer = qrcode.util.BitBuffer()
        sizes = qrcode.util.mode_sizes_for_version(expected)
        for part in code.data_list:
            buffer.put(part.mode, 4)
            buffer.put(len(part), sizes[part.mode])
            part.write(buffer)
        assert qr_codewords.bits_needed(parts, expected) == len(buffer)
        # At the version that fits and at a few larger ones (more, unequal blocks).
        for version in sorted({expected, min(40, expected + 3), min(40, expected + 17)}):
            assert qr_codewords.codewords(parts, version, error) == \
                qrcode.util.create_data(version, error, code.data_list), (data, version)


def test_error_correction_of_every_block_length() -> None:
    # Every (data, error correction) block shape of every version and level, on random
    # data with leading zero bytes (qrcode's polynomials drop them; the remainder keeps).
    rng = random.Random(7)
    shapes = {(b.data_count, b.total_count - b.data_count)
              for version in range(1, 41) for error in LEVELS
              for b in qrcode.base.rs_blocks(version, error)}
    for data_count, ec_count in sorted(shapes):
        block = [0, 0] + [rng.randrange(256) for _ in range(data_count - 2)]
        raw = qrcode.base.Polynomial(block, ec_count)
        generator = qrcode.base.Polynomial(qrcode.LUT.rsPoly_LUT[ec_count], 0)
        remainder = raw % generator
        expected = [remainder[i + len(remainder) - ec_count]
                    if i + len(remainder) - ec_count >= 0 else 0 for i in range(ec_count)]
        assert qr_codewords.error_correction(block, ec_count) == expected


def test_data_too_long_for_the_version_is_a_value_error() -> None:
    parts = qr_codewords.chunks("https://x.example/" + "y" * 100)
    with pytest.raises(ValueError, match="do not fit"):
        qr_codewords.codewords(parts, 1, qrcode.constants.ERROR_CORRECT_L)
