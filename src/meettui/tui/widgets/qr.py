"""A QR code drawn with half blocks, sized to the space it is given, never cropped."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, partial

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from meettui.core import qr
from meettui.tui.widgets.own_lines import OwnLines

DEFAULT_HINT = "QR needs {cols}×{rows} cells — press Q for full screen"
TOO_LONG_HINT = "This link is too long for a QR code"


@cache
def _cell_style(fg: str, bg: str) -> Style:
    # Explicit colours on every cell, so theme colours never reach the code (a CSS
    # `tint` or `opacity` on this widget or a parent still would: do not set them).
    return Style(color=fg, bgcolor=bg)


class QRCodeView(OwnLines, Widget):
    """Shows ``data`` as a QR code at the largest scale (up to ``max_scale``) that fits.

    When even the smallest code does not fit, one line of ``hint`` is shown instead:
    a cropped code does not scan, and a guest would try anyway. ``hint`` may use
    ``{cols}`` and ``{rows}``, the smallest size that would fit.

    The code is never encoded during a layout. By default it is encoded when ``data`` is
    set. With ``threaded=True`` (the detail pane, whose data follows the cursor) it is
    encoded in a thread worker: until the matrix lands the view shows ``placeholder``,
    then it repaints, and lays out again only when the code needs another number of rows.
    ``pending`` says whether an encode is under way; a ``Drawn`` message follows it.
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

    PLACEHOLDER = "Drawing the QR code…"

    data: reactive[str | None] = reactive(None, layout=False, repaint=False)
    hint: reactive[str] = reactive(DEFAULT_HINT, layout=True)
    max_scale: reactive[int] = reactive(1, layout=True)

    class Drawn(Message):
        """``data`` changed and the view shows its code (or its hint) now: posted once
        the threaded encode finished, at once when there was nothing to encode."""

    def __init__(
        self,
        data: str | None = None,
        *,
        hint: str = DEFAULT_HINT,
        max_scale: int = 1,
        threaded: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.threaded = threaded
        self._last_size: tuple[int, int] | None = None
        self._drawn_shape: object = None
        self._sized_while_pending = False
        # (data, matrix) once `data` is encoded: matrix None when it is too long.
        self._matrix_for: tuple[str | None, qr.QRMatrix | None] = (None, None)
        self._layout_for: tuple[object, qr.QRLayout | None] = (None, None)
        # What the lines on screen show: (matrix, layout, size) of the code, None when
        # a hint or nothing was painted last.
        self._painted: tuple[qr.QRMatrix, qr.QRLayout, Size] | None = None
        self._runs_for: tuple[qr.QRMatrix | None, qr.QRLayout | None, list[list[Segment]]] = (
            None,
            None,
            [],
        )
        self.set_reactive(QRCodeView.hint, hint)
        self.set_reactive(QRCodeView.max_scale, max_scale)
        self.set_reactive(QRCodeView.data, data)
        if data and not threaded:
            self._matrix_for = (data, encode_or_none(data))

    def on_mount(self) -> None:
        if self.threaded and self.pending:
            self._watch_data(None, self.data)

    @property
    def pending(self) -> bool:
        """True while ``data`` is set but its matrix is still being encoded."""
        return bool(self.data) and self._matrix_for[0] != self.data

    @property
    def matrix(self) -> qr.QRMatrix | None:
        """The matrix for ``data``; None when there is no data, it is too long, or (threaded)
        it is not encoded yet."""
        data, matrix = self._matrix_for
        return matrix if data == self.data and data else None

    def _watch_data(self, old: str | None, new: str | None) -> None:
        if not new:
            self._matrix_for = (None, None)
        elif (cached := qr.cached_matrix(new)) is not None:
            self._matrix_for = (new, cached)
        elif not self.threaded:
            self._matrix_for = (new, encode_or_none(new))
        else:
            self.run_worker(partial(encode_or_none, new), name=new, group="qr-encode",
                            thread=True, exclusive=True, exit_on_error=False)
        self._changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Only the worker for the current data counts: an older one may finish after it.
        if event.state != WorkerState.SUCCESS or event.worker.name != self.data:
            return
        event.stop()
        self._matrix_for = (self.data, event.worker.result)
        self._changed()

    def _shape(self) -> object:
        """What the content size depends on besides the container: the code's module
        count, or the hint's length (fit() chooses from the module count alone)."""
        matrix = self.matrix
        return ("code", matrix.size) if matrix is not None else ("hint", len(self.hint_text()))

    def _changed(self) -> None:
        # A layout only when the content may need another size: the same shape repaints.
        # While encoding, the size of what was shown before is kept (see _content_size).
        shape = None if self.pending else self._shape()
        layout = shape is not None and (shape != self._drawn_shape or self._sized_while_pending)
        if shape is not None:
            self._drawn_shape = shape
            self._sized_while_pending = False
        lines = None if layout else self._changed_lines()
        if lines is None:
            self.refresh(layout=layout)
        elif lines:
            self.refresh(*lines)
        if shape is not None:
            # Also when nothing was encoded (no data, a cached code): whoever waits for
            # the view learns that it is done.
            self.post_message(self.Drawn())

    def _content_size(self, container: Size) -> tuple[int, int]:
        if self.pending and self._last_size is not None:
            # Keep the old code's room while the next one is encoded: the pane below
            # does not jump, and no layout runs twice per cursor move. A layout that
            # happens meanwhile may have given other room: measure again once drawn.
            self._sized_while_pending = True
            return self._last_size
        layout = self.layout_for_size(container)
        size = (layout.cols, layout.rows) if layout is not None else (len(self.hint_text()), 1)
        self._last_size = size
        return size

    def layout_for_size(self, size: Size) -> qr.QRLayout | None:
        """The layout chosen for a content area of ``size``; None when the hint is shown."""
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
        """The line shown instead of a code: the placeholder while encoding, the size the
        code needs when it does not fit, or why there is no code."""
        if self.pending:
            return self.PLACEHOLDER
        matrix = self.matrix
        if matrix is None:
            return TOO_LONG_HINT if self.data else ""
        cols, rows = qr.needed_cells(matrix)
        return self.hint.format(cols=cols, rows=rows)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._content_size(container)[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._content_size(Size(width, container.height))[1]

    def render_line(self, y: int) -> Strip:
        return self.content_lines([y])[0]

    def content_lines(self, lines: Sequence[int]) -> list[Strip]:
        # The layout is chosen here from the current size rather than kept from an
        # on_resize handler: Textual marks every line dirty on any size change anyway.
        # The size and style are read once for the lines (`OwnLines`).
        size = self.size
        width, height = size
        blank_style = self.visual_style.rich_style
        matrix = self.matrix
        layout = self.layout_for_size(size)
        if matrix is None or layout is None:
            self._painted = None
            blank = Strip.blank(width, blank_style)
            if not self.data:
                return [blank for _ in lines]
            hint = Strip([Segment(self.hint_text(), blank_style)]).crop_extend(
                0, width, blank_style)
            return [hint if y == 0 else blank for y in lines]
        # Centred, so that the code sits in the middle of a full screen view.
        top = (height - layout.rows) // 2
        left = (width - layout.cols) // 2
        right = width - left - layout.cols
        runs = self._runs(matrix, layout)
        strips = []
        for y in lines:
            row = y - top
            if not 0 <= row < layout.rows:
                strips.append(Strip.blank(width, blank_style))
                continue
            self._painted = (matrix, layout, size)
            segments = [Segment(" " * left, blank_style)] if left else []
            segments += runs[row]
            if right:
                segments.append(Segment(" " * right, blank_style))
            strips.append(Strip(segments, width))
        return strips

    def _changed_lines(self) -> list[Region] | None:
        """The lines to repaint when the code replaces one painted at the same size and
        layout: those whose cells differ (the quiet zone's never do). None when the whole
        view must be painted again (a hint was shown, the layout or size differs)."""
        painted = self._painted
        matrix = self.matrix
        if painted is None or matrix is None:
            return None
        painted_matrix, painted_layout, painted_size = painted
        layout = self.layout_for_size(self.size)
        cached_matrix, cached_layout, old_runs = self._runs_for
        if (layout is None or layout != painted_layout or painted_size != self.size
                or cached_matrix is not painted_matrix or cached_layout != layout):
            return None
        top = (self.size.height - layout.rows) // 2
        runs = self._runs(matrix, layout)
        return [Region(0, top + row, self.size.width, 1)
                for row, (old, new) in enumerate(zip(old_runs, runs, strict=True)) if old != new]

    def _runs(self, matrix: qr.QRMatrix, layout: qr.QRLayout) -> list[list[Segment]]:
        # render_line is called once per line; build the lines once per matrix and layout,
        # one segment per run of equal cells (a few per line instead of one per cell).
        cached_matrix, cached_layout, runs = self._runs_for
        if cached_matrix is not matrix or cached_layout != layout:
            runs = [
                [Segment(qr.UPPER_HALF * count, _cell_style(fg, bg)) for count, fg, bg in line]
                for line in qr.render_runs(matrix, layout)
            ]
            self._runs_for = (matrix, layout, runs)
        return runs


def encode_or_none(data: str) -> qr.QRMatrix | None:
    """The matrix for ``data``, None when it is too long for a QR code (safe in a thread:
    core.qr is pure Python and keeps its cache consistent under the GIL)."""
    try:
        return qr.make_matrix(data)
    except ValueError:
        return None
