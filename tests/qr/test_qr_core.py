"""meettui.core.qr: the drawn code decodes to the exact URL, and the layout never crops."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import qrcode
import qrcode.constants
from PIL import Image

from meettui.core import qr

JITSI = "https://meet.jit.si/WeeklyStandup-AmberFalconRiverQuietMaple"
WHEREBY_HOST = (
    "https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"
    "?roomKey=eFhcG2bXk1lU0ZG9mNm0yZk1ZRk1i00ZG"
)
EYESON = "https://app.eyeson.team/permalink?ZqdrH5d2Me8T3mfoQhKc1s9V"
_LONG_PREFIX = (
    "https://teams.example.com/l/meetup-join/19%3ameeting_Zjc2?context=%7b%22Tid%22%3a%22"
)
LONG = _LONG_PREFIX + "0123456789abcdef" * 20
LONG = LONG[:250]
URLS = [JITSI, WHEREBY_HOST, EYESON, LONG]
URL_IDS = ["jitsi", "whereby-host", "eyeson", "long-250"]

LEVEL_CONSTANTS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}

_matrices: dict[str, qr.QRMatrix] = {}


def matrix_of(url: str) -> qr.QRMatrix:
    if url not in _matrices:
        _matrices[url] = qr.make_matrix(url)
    return _matrices[url]


def version_at(data: str, letter: str) -> int | None:
    code = qrcode.QRCode(error_correction=LEVEL_CONSTANTS[letter])
    code.add_data(data)
    try:
        return code.best_fit()
    except (qrcode.exceptions.DataOverflowError, ValueError):
        return None


def test_long_url_is_250_characters() -> None:
    assert len(LONG) == 250


# --- the cells as rendered decode to the exact URL ---------------------------------


@pytest.mark.parametrize("url", URLS, ids=URL_IDS)
@pytest.mark.parametrize(("quiet", "scale"), [(4, 1), (2, 1), (4, 3)], ids=["q4s1", "q2s1", "q4s3"])
def test_rendered_cells_decode(proof, url: str, quiet: int, scale: int) -> None:
    matrix = matrix_of(url)
    layout = qr.layout_for(matrix, quiet=quiet, scale=scale)
    cells = qr.render_cells(matrix, layout)
    assert len(cells) == layout.rows
    assert all(len(row) == layout.cols for row in cells)
    result = proof.decode(proof.cells_to_image(cells))
    assert result.text == url
    assert result.ec_level == matrix.error


@pytest.mark.parametrize("url", [JITSI, LONG], ids=["jitsi", "long-250"])
def test_quiet_two_decodes_inside_a_dark_terminal(proof, url: str) -> None:
    # The narrow quiet zone is the risky one: surround it with a dark theme background.
    matrix = matrix_of(url)
    cells = qr.render_cells(matrix, qr.layout_for(matrix, quiet=2))
    assert proof.decode(proof.cells_to_image(cells, margin="#121212")).text == url


def test_every_cell_is_an_upper_half_block_in_black_or_white() -> None:
    matrix = matrix_of(WHEREBY_HOST)
    for row in qr.render_cells(matrix, qr.layout_for(matrix)):
        for glyph, fg, bg in row:
            assert glyph == "▀"
            assert fg in ("#000000", "#ffffff") and bg in ("#000000", "#ffffff")


@pytest.mark.parametrize("url", URLS, ids=URL_IDS)
def test_runs_are_the_cells_run_length_encoded(url: str) -> None:
    matrix = matrix_of(url)
    for quiet, scale in [(4, 1), (2, 1), (4, 3), (0, 2)]:
        layout = qr.layout_for(matrix, quiet=quiet, scale=scale)
        runs = qr.render_runs(matrix, layout)
        assert [[(qr.UPPER_HALF, fg, bg) for count, fg, bg in line for _ in range(count)]
                for line in runs] == qr.render_cells(matrix, layout)
        # Maximal runs: two neighbours never have the same colours.
        assert all(a[1:] != b[1:] for line in runs for a, b in zip(line, line[1:], strict=False))


def test_cells_reproduce_the_matrix_module_by_module() -> None:
    # Re-derive modules from the cells: catches an off-by-one half-row or a swapped fg/bg.
    matrix = matrix_of(EYESON)
    for quiet, scale in [(4, 1), (2, 1), (4, 3), (3, 2)]:
        layout = qr.layout_for(matrix, quiet=quiet, scale=scale)
        cells = qr.render_cells(matrix, layout)
        halves = []
        for row in cells:
            halves.append([fg == "#000000" for _, fg, _ in row])
            halves.append([bg == "#000000" for _, _, bg in row])
        side = (matrix.size + 2 * quiet) * scale
        assert not any(any(h) for h in halves[side:]), "padding half-row must be light"
        rebuilt = tuple(
            tuple(halves[(quiet + y) * scale][(quiet + x) * scale] for x in range(matrix.size))
            for y in range(matrix.size)
        )
        assert rebuilt == matrix.modules
        dark_count = sum(map(sum, halves))
        assert dark_count == sum(map(sum, matrix.modules)) * scale * scale


def test_odd_height_gets_a_light_bottom_half() -> None:
    matrix = matrix_of(JITSI)  # 33 modules + 8 quiet = 41 half-rows
    layout = qr.layout_for(matrix)
    assert (layout.cols, layout.rows) == (41, 21)
    last = qr.render_cells(matrix, layout)[-1]
    assert {bg for _, _, bg in last} == {"#ffffff"}


# --- ANSI, PNG, SVG ---------------------------------------------------------------


@pytest.mark.parametrize("url", URLS, ids=URL_IDS)
def test_ansi_parsed_back_decodes(proof, url: str) -> None:
    matrix = matrix_of(url)
    layout = qr.layout_for(matrix)
    text = qr.to_ansi(matrix, layout)
    lines = text.splitlines()
    assert len(lines) == layout.rows
    assert all(line.endswith("\x1b[0m") for line in lines)
    cells = proof.ansi_to_cells(text)
    assert cells == qr.render_cells(matrix, layout)
    assert proof.decode(proof.cells_to_image(cells)).text == url


def test_ansi_invert_swaps_colours_and_only_scans_when_the_reader_inverts(proof) -> None:
    matrix = matrix_of(JITSI)
    layout = qr.layout_for(matrix)
    normal = proof.ansi_to_cells(qr.to_ansi(matrix, layout))
    inverted = proof.ansi_to_cells(qr.to_ansi(matrix, layout, invert=True))
    swap = {"#000000": "#ffffff", "#ffffff": "#000000"}
    assert inverted == [[(g, swap[f], swap[b]) for g, f, b in row] for row in normal]
    img = proof.cells_to_image(inverted)
    with pytest.raises(AssertionError):
        proof.decode(img)
    assert proof.decode(img, try_invert=True).text == JITSI


@pytest.mark.parametrize("url", [JITSI, LONG], ids=["jitsi", "long-250"])
def test_png_export_decodes(proof, tmp_path, url: str) -> None:
    matrix = matrix_of(url)
    path = tmp_path / "code.png"
    qr.write_png(matrix, path, module_px=6)
    with Image.open(path) as img:
        img.load()
        assert img.size == ((matrix.size + 8) * 6,) * 2
        assert proof.decode(img.convert("RGB")).text == url
        # The quiet zone is white, the top-left finder corner black.
        assert img.getpixel((0, 0)) == 255
        assert img.getpixel((4 * 6, 4 * 6)) == 0


@pytest.mark.parametrize("url", [WHEREBY_HOST, LONG], ids=["whereby-host", "long-250"])
@pytest.mark.parametrize("quiet", [4, 2])
def test_svg_export_dark_modules_match_the_matrix(tmp_path, url: str, quiet: int) -> None:
    matrix = matrix_of(url)
    path = tmp_path / "code.svg"
    qr.write_svg(matrix, path, quiet=quiet)
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    side = matrix.size + 2 * quiet
    assert root.tag == f"{ns}svg"
    assert root.get("viewBox") == f"0 0 {side} {side}"
    (background,) = root.findall(f"{ns}rect")
    assert background.get("fill") == "#ffffff"
    assert (background.get("width"), background.get("height")) == (str(side), str(side))
    (path_el,) = root.findall(f"{ns}path")
    assert path_el.get("fill") == "#000000"
    d = path_el.get("d")
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", d)
    assert "".join(f"M{x} {y}h{w}v1h-{w2}z" for x, y, w, w2 in runs) == d
    dark = set()
    for x, y, w, w2 in runs:
        assert w == w2
        for dx in range(int(w)):
            cell = (int(x) + dx - quiet, int(y) - quiet)
            assert cell not in dark
            dark.add(cell)
    expected = {(x, y) for y, row in enumerate(matrix.modules) for x, on in enumerate(row) if on}
    assert dark == expected


# --- matrix: error levels and limits ----------------------------------------------


@pytest.mark.parametrize("url", URLS, ids=URL_IDS)
def test_error_boost_never_grows_the_version(url: str) -> None:
    matrix = matrix_of(url)
    assert matrix.version == version_at(url, "L")
    assert matrix.size == 17 + 4 * matrix.version
    letters = "LMQH"
    assert version_at(url, matrix.error) == matrix.version
    stronger = letters[letters.index(matrix.error) + 1 :]
    if stronger:
        assert (version_at(url, stronger[0]) or 41) > matrix.version


def test_error_boost_goes_all_the_way_when_free() -> None:
    # 'A' fits in version 1 at every level.
    matrix = qr.make_matrix("A")
    assert (matrix.version, matrix.error) == (1, "H")


def test_expected_levels_for_the_sample_links() -> None:
    # The sizes the UI is designed around; a change here changes what fits in the pane.
    assert [(matrix_of(u).version, matrix_of(u).error) for u in URLS] == [
        (4, "M"),
        (6, "L"),
        (4, "M"),
        (10, "L"),
    ]


def test_empty_data_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        qr.make_matrix("")


@pytest.mark.parametrize("extra", [2953 - 20 + 1, 3000, 7000])
def test_too_long_data_is_a_value_error(extra: int) -> None:
    with pytest.raises(ValueError, match="too long"):
        qr.make_matrix("https://example.com/" + "x" * extra)


def test_largest_byte_payload_still_fits() -> None:
    # 2953 bytes is the byte-mode capacity of version 40-L.
    data = "https://example.com/" + "x" * (2953 - 20)
    assert qr.make_matrix(data).version == 40


def test_matrix_is_frozen_and_has_no_quiet_zone() -> None:
    matrix = matrix_of(JITSI)
    with pytest.raises(AttributeError):
        matrix.version = 5  # type: ignore[misc]
    # A finder pattern sits right in the corner when there is no quiet zone.
    assert matrix.modules[0][:7] == (True,) * 7
    assert isinstance(matrix.modules, tuple) and isinstance(matrix.modules[0], tuple)


# --- layout and fit ----------------------------------------------------------------


def test_layout_and_needed_cells() -> None:
    matrix = matrix_of(JITSI)  # 33 modules
    assert qr.layout_for(matrix) == qr.QRLayout(quiet=4, scale=1, cols=41, rows=21)
    assert qr.layout_for(matrix, quiet=2) == qr.QRLayout(quiet=2, scale=1, cols=37, rows=19)
    assert qr.layout_for(matrix, scale=3) == qr.QRLayout(quiet=4, scale=3, cols=123, rows=62)
    assert qr.needed_cells(matrix) == (37, 19)


def test_fit_uses_quiet_two_only_when_four_does_not_fit() -> None:
    matrix = matrix_of(JITSI)
    assert qr.fit(matrix, 41, 21) == qr.layout_for(matrix, quiet=4)
    assert qr.fit(matrix, 40, 21).quiet == 2
    assert qr.fit(matrix, 41, 20).quiet == 2
    assert qr.fit(matrix, 37, 19).quiet == 2
    # Room for quiet 2 at scale 2 but not quiet 4 at scale 2: the full quiet zone wins.
    assert qr.fit(matrix, 80, 40, max_scale=4) == qr.layout_for(matrix, quiet=4, scale=1)


def test_fit_returns_none_when_too_small() -> None:
    matrix = matrix_of(JITSI)
    assert qr.fit(matrix, 36, 19) is None
    assert qr.fit(matrix, 37, 18) is None
    assert qr.fit(matrix, 0, 0) is None


def test_fit_scale_grows_with_room() -> None:
    matrix = matrix_of(JITSI)
    assert qr.fit(matrix, 81, 40, max_scale=4).scale == 1
    assert qr.fit(matrix, 82, 41, max_scale=4).scale == 2
    assert qr.fit(matrix, 123, 62, max_scale=4).scale == 3
    assert qr.fit(matrix, 500, 500, max_scale=4).scale == 4
    assert qr.fit(matrix, 500, 500, max_scale=1).scale == 1


def test_fit_never_exceeds_the_space() -> None:
    matrix = matrix_of(WHEREBY_HOST)
    min_cols, min_rows = qr.needed_cells(matrix)
    for cols in range(0, 200, 3):
        for rows in range(0, 100, 2):
            layout = qr.fit(matrix, cols, rows, max_scale=4)
            if layout is None:
                assert cols < min_cols or rows < min_rows
            else:
                assert layout.cols <= cols and layout.rows <= rows
                assert layout.quiet in (2, 4)


def test_core_qr_does_not_import_textual() -> None:
    code = "import sys, meettui.core.qr; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_matrix_is_encoded_once_per_link(monkeypatch) -> None:
    monkeypatch.setattr(qr, "_MATRICES", type(qr._MATRICES)())
    url = "https://meet.jit.si/cache-me-once"
    assert qr.cached_matrix(url) is None
    first = qr.make_matrix(url)
    assert qr.cached_matrix(url) is first
    assert qr.make_matrix(url) is first


def test_matrix_cache_keeps_the_most_recent_links(monkeypatch) -> None:
    monkeypatch.setattr(qr, "_MATRICES", type(qr._MATRICES)())
    monkeypatch.setattr(qr, "MATRIX_CACHE_SIZE", 2)
    a, b, c = (f"https://meet.jit.si/room-{i}" for i in range(3))
    qr.make_matrix(a)
    qr.make_matrix(b)
    qr.make_matrix(a)  # a is recent again: b is the oldest now
    qr.make_matrix(c)
    assert qr.cached_matrix(b) is None
    assert qr.cached_matrix(a) is not None and qr.cached_matrix(c) is not None
