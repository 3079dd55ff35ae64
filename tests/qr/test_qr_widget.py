"""QRCodeView: what the widget actually renders decodes, and it shows a hint rather than crop."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from meettui.core import qr
from meettui.tui.widgets.qr import QRCodeView

JITSI = "https://meet.jit.si/WeeklyStandup-AmberFalconRiverQuietMaple"  # 41×21 at quiet 4
WHEREBY_HOST = (
    "https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"
    "?roomKey=eFhcG2bXk1lU0ZG9mNm0yZk1ZRk1i00ZG"
)


class QRApp(App[None]):
    def __init__(self, data: str | None, **options: object) -> None:
        super().__init__()
        self._data = data
        self._options = options

    def compose(self) -> ComposeResult:
        yield QRCodeView(self._data, **self._options)  # type: ignore[arg-type]


def rendered(view: QRCodeView):
    """The strips the compositor gets: the widget's lines after styles and line filters."""
    width, height = view.outer_size
    return view.render_lines(Region(0, 0, width, height))


def code_cells(proof, view: QRCodeView):
    cells = proof.strips_to_cells(rendered(view))
    width, height = view.outer_size
    assert len(cells) == height and all(len(row) == width for row in cells)
    return cells


def qr_glyph_cells(cells):
    return [cell for row in cells for cell in row if cell[0] == "▀"]


@pytest.mark.parametrize(
    ("size", "quiet"),
    [((60, 24), 4), ((41, 21), 4), ((38, 19), 2)],
    ids=["roomy", "exact", "narrow-quiet2"],
)
async def test_widget_render_decodes(proof, size, quiet) -> None:
    app = QRApp(JITSI)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        layout = view.qr_layout
        assert layout is not None and (layout.quiet, layout.scale) == (quiet, 1)
        cells = code_cells(proof, view)
        assert len(qr_glyph_cells(cells)) == layout.cols * layout.rows
        # The whole widget, theme-coloured surroundings included, as a camera would see it.
        assert proof.decode(proof.cells_to_image(cells)).text == JITSI


async def test_widget_scales_up_to_max_scale(proof) -> None:
    app = QRApp(JITSI, max_scale=4)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert view.qr_layout == qr.QRLayout(quiet=4, scale=2, cols=82, rows=41)
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == JITSI

        view.max_scale = 1
        await pilot.pause()
        assert view.qr_layout.scale == 1
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == JITSI


async def test_widget_too_small_shows_hint_and_no_code() -> None:
    app = QRApp(JITSI)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert view.qr_layout is None
        strips = rendered(view)
        assert strips[0].text.rstrip() == "QR needs 37×19 cells — press Q for full screen"
        assert all("▀" not in strip.text for strip in strips)
        assert all(not strip.text.strip() for strip in strips[1:])


async def test_widget_hint_is_configurable_and_reactive() -> None:
    app = QRApp(JITSI, hint="{cols}x{rows} needed, press f")
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert rendered(view)[0].text.rstrip() == "37x19 needed, press f"
        view.hint = "press Enter for the full-screen code ({cols}×{rows})"
        await pilot.pause()
        # Too long for 30 columns: the hint text is cut, the code never is.
        assert rendered(view)[0].text == "press Enter for the full-scree"


async def test_widget_follows_resizes_and_data_changes(proof) -> None:
    app = QRApp(None)
    async with app.run_test(size=(44, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert view.qr_layout is None
        assert all(not strip.text.strip() for strip in rendered(view))

        view.data = WHEREBY_HOST  # 49×25 at quiet 4, 45×23 at quiet 2
        await pilot.pause()
        assert view.qr_layout is None
        assert "45×23" in rendered(view)[0].text

        await pilot.resize_terminal(49, 25)
        await pilot.pause()
        assert view.qr_layout == qr.QRLayout(quiet=4, scale=1, cols=49, rows=25)
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == WHEREBY_HOST

        await pilot.resize_terminal(46, 24)
        await pilot.pause()
        assert view.qr_layout.quiet == 2
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == WHEREBY_HOST


async def test_widget_never_crops_across_sizes() -> None:
    app = QRApp(JITSI)
    async with app.run_test(size=(36, 18)) as pilot:
        for size in [(36, 18), (37, 19), (40, 20), (41, 21), (55, 19), (36, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            view = app.query_one(QRCodeView)
            glyphs = sum(strip.text.count("▀") for strip in rendered(view))
            layout = view.qr_layout
            if layout is None:
                assert glyphs == 0, size
            else:
                assert layout.cols <= size[0] and layout.rows <= size[1]
                assert glyphs == layout.cols * layout.rows, size


async def test_widget_too_long_data_says_so() -> None:
    app = QRApp("https://example.com/" + "x" * 4000)
    async with app.run_test(size=(200, 100)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert view.matrix is None
        assert rendered(view)[0].text.startswith("This link is too long for a QR code")


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark", "nord", "solarized-light"])
async def test_widget_colours_are_explicit_black_and_white_whatever_the_theme(
    proof, theme: str
) -> None:
    app = QRApp(JITSI)
    async with app.run_test(size=(50, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        view = app.query_one(QRCodeView)
        cells = code_cells(proof, view)
        glyphs = qr_glyph_cells(cells)
        assert len(glyphs) == 41 * 21
        assert {fg for _, fg, _ in glyphs} == {"#000000", "#ffffff"}
        assert {bg for _, _, bg in glyphs} == {"#000000", "#ffffff"}
        assert proof.decode(proof.cells_to_image(cells)).text == JITSI


class AutoSizedApp(App[None]):
    CSS = "QRCodeView { width: auto; height: auto; }"

    def compose(self) -> ComposeResult:
        yield QRCodeView(JITSI, max_scale=4)


async def test_widget_auto_size_is_the_fitted_code(proof) -> None:
    app = AutoSizedApp()
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        assert tuple(view.outer_size) == (41, 21)  # scale 2 would need 82×41
        assert view.qr_layout == qr.QRLayout(quiet=4, scale=1, cols=41, rows=21)
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == JITSI


class ThreadedApp(App[None]):
    CSS = "QRCodeView { width: auto; height: auto; }"

    def compose(self) -> ComposeResult:
        yield QRCodeView(None, threaded=True)


JITSI_OTHER = "https://meet.jit.si/WeeklyStandup-AmberFalconRiverQuietMapla"  # same length


async def test_threaded_view_shows_a_placeholder_then_the_code_and_relayouts_only_on_size(
    proof, monkeypatch
) -> None:
    # An empty matrix cache, so that the encode really goes to the worker.
    monkeypatch.setattr(qr, "_MATRICES", type(qr._MATRICES)())
    app = ThreadedApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(QRCodeView)
        view.data = JITSI
        assert view.pending and view.matrix is None
        assert view.hint_text() == QRCodeView.PLACEHOLDER
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not view.pending
        assert view.qr_layout == qr.QRLayout(quiet=4, scale=1, cols=41, rows=21)
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == JITSI

        # Another link of the same length: the same size, so a repaint and no layout.
        layouts = view._layout_updates
        view.data = JITSI_OTHER
        assert view.pending
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view._layout_updates == layouts
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == JITSI_OTHER

        # A longer link needs more room: laid out again, never cropped.
        view.data = WHEREBY_HOST
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view._layout_updates > layouts
        assert tuple(view.outer_size) == (49, 25)
        assert proof.decode(proof.cells_to_image(code_cells(proof, view))).text == WHEREBY_HOST


async def test_a_code_replacing_one_of_the_same_size_repaints_only_the_lines_that_differ(
    proof, monkeypatch
) -> None:
    app = QRApp(JITSI)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(QRCodeView)
        view.data = JITSI_OTHER  # the first change lays out (nothing was drawn through it)
        await pilot.pause()
        layout = view.qr_layout
        assert layout is not None
        painted: list[int] = []
        original = QRCodeView.content_lines

        def spy(self, lines):
            painted.extend(lines)
            return original(self, lines)

        # The view draws its lines itself (`OwnLines`), a frame's lines in one call.
        monkeypatch.setattr(QRCodeView, "content_lines", spy)
        for data in (JITSI, JITSI_OTHER, JITSI):
            painted.clear()
            view.data = data
            await pilot.pause()
            # The quiet zone's lines are the same in every code: not painted again...
            assert painted and len(set(painted)) < layout.rows
            # ...and what is on screen is what a full repaint shows, and it scans.
            shown = proof.strips_to_cells(rendered(view))
            assert proof.decode(proof.cells_to_image(shown)).text == data
            view.refresh()
            await pilot.pause()
            assert proof.strips_to_cells(rendered(view)) == shown
