"""A QR code drawn with half blocks, sized to the space it is given, never cropped."""

from __future__ import annotations

from functools import cache

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from meettui.core import qr

DEFAULT_HINT = "QR needs {cols}×{rows} cells — press Q for full screen"
TOO_LONG_HINT = "This link is too long for a QR code"


@cache
def _cell_style(fg: str, bg: str) -> Style:
    # Explicit colours on every cell, so theme colours never reach the code (a CSS
    # `tint` or `opacity` on this widget or a parent still would: do not set them).
    return Style(color=fg, bgcolor=bg)


class QRCodeView(Widget):
    """Shows ``data`` as a QR code at the largest scale (up to ``max_scale``) that fits.

    When even the smallest code does not fit, one line of ``hint`` is shown instead:
    a cropped code does not scan, and a guest would try anyway. ``hint`` may use
    ``{cols}`` and ``{rows}``, the smallest size that would fit.
    """

    # Fills the space it is given (fit() needs a size to choose from); `width: auto;
    # height: auto` also works and shrinks the widget to the chosen code.
    DEFAULT_CSS = """
    QRCodeView {
        padding: 0;
        width: 1fr;
        height: 1fr;
    }
    """

    data: reactive[str | None] = reactive(None, layout=True)
    hint: reactive[str] = reactive(DEFAULT_HINT, layout=True)
    max_scale: reactive[int] = reactive(1, layout=True)

    def __init__(
        self,
        data: str | None = None,
        *,
        hint: str = DEFAULT_HINT,
        max_scale: int = 1,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._matrix_for: tuple[str | None, qr.QRMatrix | None] = (None, None)
        self._layout_for: tuple[object, qr.QRLayout | None] = (None, None)
        self._cells_for: tuple[qr.QRMatrix | None, qr.QRLayout | None, list[list[qr.Cell]]] = (
            None,
            None,
            [],
        )
        self.set_reactive(QRCodeView.data, data)
        self.set_reactive(QRCodeView.hint, hint)
        self.set_reactive(QRCodeView.max_scale, max_scale)

    @property
    def matrix(self) -> qr.QRMatrix | None:
        """The matrix for ``data``; None when there is no data or it is too long."""
        data, matrix = self._matrix_for
        if data != self.data:
            try:
                matrix = qr.make_matrix(self.data) if self.data else None
            except ValueError:
                matrix = None
            self._matrix_for = (self.data, matrix)
        return matrix

    def layout_for_size(self, size: Size) -> qr.QRLayout | None:
        matrix = self.matrix
        if matrix is None:
            return None
        # Asked for on every rendered line: remember the last answer.
        key = (id(matrix), size.width, size.height, self.max_scale)
        if self._layout_for[0] != key:
            self._layout_for = (key, qr.fit(matrix, size.width, size.height,
                                            max_scale=self.max_scale))
        return self._layout_for[1]

    @property
    def qr_layout(self) -> qr.QRLayout | None:
        """The layout chosen for the current content size; None when the hint is shown."""
        return self.layout_for_size(self.size)

    def hint_text(self) -> str:
        matrix = self.matrix
        if matrix is None:
            return TOO_LONG_HINT if self.data else ""
        cols, rows = qr.needed_cells(matrix)
        return self.hint.format(cols=cols, rows=rows)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        layout = self.layout_for_size(container)
        return layout.cols if layout else len(self.hint_text())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        layout = self.layout_for_size(Size(width, container.height))
        return layout.rows if layout else 1

    def render_line(self, y: int) -> Strip:
        # The layout is chosen here from the current size rather than kept from an
        # on_resize handler: Textual marks every line dirty on any size change anyway.
        width, height = self.size
        blank_style = self.visual_style.rich_style
        matrix = self.matrix
        layout = self.layout_for_size(self.size)
        if matrix is None or layout is None:
            if y != 0 or not self.data:
                return Strip.blank(width, blank_style)
            return Strip([Segment(self.hint_text(), blank_style)]).crop_extend(
                0, width, blank_style
            )
        # Centred, so that the code sits in the middle of a full screen view.
        top = (height - layout.rows) // 2
        left = (width - layout.cols) // 2
        row = y - top
        if not 0 <= row < layout.rows:
            return Strip.blank(width, blank_style)
        cells = self._cells(matrix, layout)[row]
        segments = [Segment(" " * left, blank_style)] if left else []
        segments += [Segment(glyph, _cell_style(fg, bg)) for glyph, fg, bg in cells]
        right = width - left - layout.cols
        if right:
            segments.append(Segment(" " * right, blank_style))
        return Strip(segments, width).simplify()

    def _cells(self, matrix: qr.QRMatrix, layout: qr.QRLayout) -> list[list[qr.Cell]]:
        # render_line is called once per line; build the cells once per matrix and layout.
        cached_matrix, cached_layout, cells = self._cells_for
        if cached_matrix is not matrix or cached_layout != layout:
            cells = qr.render_cells(matrix, layout)
            self._cells_for = (matrix, layout, cells)
        return cells
