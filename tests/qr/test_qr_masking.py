"""meettui.core.qr_masking builds, module for module, the matrix qrcode builds: the same
template, the same data placement, the same penalty per trial mask, the same mask."""

from __future__ import annotations

import random

import pytest
import qrcode
import qrcode.util

from meettui.core import qr, qr_masking

_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/?=&%.~"


def _urls(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    urls = []
    for _ in range(count):
        length = rng.choice([1, 8, 20, 35, 50, 70, 90, 120, 160, 220, 300])
        urls.append("https://meet.example/" + "".join(rng.choices(_ALPHABET, k=length)))
    return urls


# Also digits only and upper case: qrcode splits those into numeric and alphanumeric
# chunks, which changes the codewords but not the placement.
URLS = _urls(40, seed=16) + [
    "https://meet.jit.si/WeeklyStandup-AmberFalconRiverQuietMaple",
    "HTTPS://ZOOM.US/J/81234567890?PWD=ABCDEF",
    "tel:+4930123456789012345678901234567890",
    "A",
]


def _qrcode(data: str, error: int, version: int | None = None) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=error, border=0, version=version)
    code.add_data(data)
    if version is None:
        code.best_fit()
    return code


def _modules(code: qrcode.QRCode) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


@pytest.mark.parametrize("error", [0, 1, 2, 3], ids=["M", "L", "H", "Q"])
def test_build_is_qrcodes_matrix(error: int) -> None:
    for url in URLS:
        code = _qrcode(url, error)
        code.make(fit=False)
        codewords = qrcode.util.create_data(code.version, error, code.data_list)
        modules, mask = qr_masking.build(code.version, error, codewords)
        assert modules == _modules(code), (url, code.version)
        assert mask == code.best_mask_pattern()


@pytest.mark.parametrize("version", [7, 12, 21, 33, 40])
def test_build_is_qrcodes_matrix_at_large_versions(version: int) -> None:
    # Version information (7 and up) and more alignment patterns: byte data that fills
    # about 3/4 of the version (qrcode pads the rest with its pad codewords).
    error = qrcode.constants.ERROR_CORRECT_L
    room = qrcode.util.BIT_LIMIT_TABLE[error][version] // 8 - 3
    rng = random.Random(version)
    data = "".join(rng.choices(_ALPHABET.lower(), k=room * 3 // 4))
    code = _qrcode(data, error, version)
    code.make(fit=False)
    codewords = qrcode.util.create_data(version, error, code.data_list)
    assert qr_masking.build(version, error, codewords)[0] == _modules(code)


def test_every_trial_scores_what_qrcode_scores() -> None:
    # Not only the winner: each of the 8 trial matrices, and its penalty.
    for url in URLS[:12]:
        code = _qrcode(url, qrcode.constants.ERROR_CORRECT_M)
        codewords = qrcode.util.create_data(code.version, code.error_correction, code.data_list)
        tpl = qr_masking.template(code.version)
        rows, cols = qr_masking.place(tpl, codewords)
        for mask in range(8):
            code.makeImpl(True, mask)
            trial_rows = [f | (d ^ m) for f, d, m in zip(tpl.fixed_rows, rows, tpl.mask_rows[mask],
                                                          strict=True)]
            trial_cols = [f | (d ^ m) for f, d, m in zip(tpl.fixed_cols, cols, tpl.mask_cols[mask],
                                                          strict=True)]
            form = f"0{tpl.size}b"
            assert [[ch == "1" for ch in format(x, form)] for x in trial_rows] == [
                [bool(m) for m in row] for row in code.modules
            ]
            assert [[ch == "1" for ch in format(x, form)] for x in trial_cols] == [
                [bool(row[c]) for row in code.modules] for c in range(tpl.size)
            ]
            assert qr_masking.penalty(trial_rows, trial_cols, tpl.size) == \
                qrcode.util.lost_point(code.modules)


def test_penalty_rules_on_small_matrices() -> None:
    # The rules by hand, on matrices small enough to count on paper.
    # 6×6 all light: N1 6 runs of 6 in rows and 6 in columns (6 - 2 = 4 each), N2 25
    # blocks, no N3 (needs 11 modules), N4 100 % light: 10 × 10.
    size = 6
    rows = [0] * size
    assert qr_masking.penalty(rows, rows, size) == 12 * 4 + 25 * 3 + 100
    # A row 10111010000 (and columns to match): one finder-like pattern in that row.
    size = 11
    pattern = int("10111010000", 2)
    rows = [pattern] + [0] * 10
    cols = [(1 << 10) if (pattern >> (10 - c)) & 1 else 0 for c in range(size)]
    assert qr_masking.penalty(rows, cols, size) == qrcode.util.lost_point(
        [[bool((row >> (10 - c)) & 1) for c in range(size)] for row in rows]
    )


def test_make_matrix_matches_qrcode_at_the_chosen_level() -> None:
    for url in URLS:
        matrix = qr.make_matrix(url)
        level = "LMQH".index(matrix.error)
        constant = [qrcode.constants.ERROR_CORRECT_L, qrcode.constants.ERROR_CORRECT_M,
                    qrcode.constants.ERROR_CORRECT_Q, qrcode.constants.ERROR_CORRECT_H][level]
        code = _qrcode(url, constant, matrix.version)
        code.make(fit=False)
        assert matrix.modules == _modules(code), url


def test_template_rejects_a_version_out_of_range() -> None:
    with pytest.raises(ValueError):
        qr_masking.template(41)
