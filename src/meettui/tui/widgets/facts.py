"""Label/value rows (the detail pane's facts) drawn as Textual content, not a Rich table."""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from meettui.core.display import cut

Rows = tuple[tuple[str, str], ...]

LABEL_SHARE = 0.5
"""The most of a grid's width its label column takes (see `FactsGrid._layout`)."""
LABEL_MIN = 8
"""Cells the label column may always take, however narrow the grid."""
VALUE_MIN = 20
"""Cells the value column keeps when the labels would take more (`FactsGrid._layout`):
a date read whole ("Tue 01 Dec 04:50 UTC")."""

GLUE = "\ue000"
"""Stands for a space that a line is not broken at (`glued`): one cell wide, as the
space it stands for; drawn as that space. (Textual's wrap breaks at a no-break space.)"""


def glued(text: str) -> str:
    """`text` read whole where the width allows: wrapped before or after it, never
    inside ("Tue 01 Dec 03:20 UTC", "(h copy, r reveal)", a person's name). Where it is
    wider than the line it is wrapped at its spaces as any text (`unglued`)."""
    return text.replace(" ", GLUE)


HINGE = "\ue001"
"""Stands for a space inside a glued run where the run may break when it is wider than
the line, and only then (`hinged`): one cell wide, drawn as a space."""


def hinged(*parts: str) -> str:
    """`parts`, each `glued`, read as one run where the width allows; where it does not,
    broken between them, never inside one ("Mon 04 Jan 2027" then "08:00 UTC")."""
    return HINGE.join(glued(part) for part in parts)


def unglued(text: str, width: int) -> str:
    """`text` with each glued run wider than `width` cells free to break again: at its
    hinges first, and inside a part only where the part alone is wider still."""
    if GLUE not in text and HINGE not in text:
        return text

    def run(match: re.Match[str]) -> str:
        whole = match.group()
        if cell_len(whole) <= width:
            return whole.replace(HINGE, GLUE)
        return " ".join(part if cell_len(part) <= width else part.replace(GLUE, " ")
                        for part in whole.split(HINGE))

    return _GLUED.sub(run, text)


def drawn(line: Content) -> Content:
    """A wrapped line as drawn: its glued spaces as spaces (styles kept: one character
    for one)."""
    if GLUE not in line.plain and HINGE not in line.plain:
        return line
    return Content(line.plain.replace(GLUE, " ").replace(HINGE, " "), list(line.spans),
                   cell_length=line.cell_length)


class FactsGrid(Visual):
    """``rows`` of (label, value) in a bold label column and a value column: the labels
    as wide as the widest that leaves the values VALUE_MIN cells and takes at most
    `LABEL_SHARE` of the width, one space, each value word-wrapped in the width left (a
    word longer than that ends in "…") with its continuation lines under the value. A
    label wider than its column wraps within the column, at its words (a word wider
    than the column folded, never cut), its value beside its first line.

    The pane shows a new grid on every cursor rest; Rich's Table measured and rendered
    every cell through a console for that (about 1.5 ms for six rows here), this builds
    one Content per width. Values are plain text, never markup.
    """

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self._label_width = max((cell_len(label) for label, _ in rows), default=0)
        self._value_width = max((cell_len(value) for _, value in rows), default=0)
        self._for_width: tuple[int, tuple[Content, tuple[Content, ...] | None]] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FactsGrid) and other.rows == self.rows

    def __hash__(self) -> int:
        return hash(self.rows)

    def lines(self, width: int) -> tuple[Content, ...] | None:
        """The grid's lines at ``width``, one per row, or None when they are wider than
        ``width`` and will wrap again (a pane narrower than the labels)."""
        return self._layout(width)[1]

    def content(self, width: int) -> Content:
        """The grid laid out in ``width`` cells: one line per Content line, each as wide as
        the widest line (Rich pads a table's cells to their column's width)."""
        return self._layout(width)[0]

    def _layout(self, width: int) -> tuple[Content, tuple[Content, ...] | None]:
        """(content, lines) at ``width``; lines is None when they are wider than ``width``
        (a pane narrower than the labels) and will wrap again."""
        if self._for_width is not None and self._for_width[0] == width:
            return self._for_width[1]
        # One long label ("Hidden on landing page and hub") took 31 cells of a 35-cell
        # pane, and every value wrapped a word a line. The column is as wide as the
        # widest label, at most as wide as leaves the values VALUE_MIN cells and at most
        # LABEL_SHARE of the width; a wider label wraps within it, at its words, its
        # value beside its first line. On a line of its own it pushed its value below
        # it, and one wider than the pane was cut with "…": a word wider than the
        # column is folded.
        cap = max(LABEL_MIN, min(width - 1 - VALUE_MIN, int((width - 1) * LABEL_SHARE)))
        label_width = min(self._label_width, cap)
        # The value column takes what the labels leave, at most what the values need; a
        # pane narrower than the labels still shows one cell of each value.
        value_width = max(1, min(self._value_width, width - label_width - 1))
        grid_width = label_width + 1 + value_width
        lines: list[Content] = []
        for label, value in self.rows:
            value = unglued(value, value_width)
            if cell_len(value) > value_width:
                value = _cut_long_words(value, value_width)
            parts = [drawn(part) for part in
                     Content(value).wrap(value_width, overflow="ellipsis")] or [Content("")]
            heads = Content(label).wrap(label_width, overflow="fold") or [Content("")]
            for index in range(max(len(heads), len(parts))):
                # The label column is bold up to the value, padding and gap too (as Rich
                # pads a cell in its column's style).
                head = heads[index] if index < len(heads) else Content("")
                head = Content.styled(head.plain + " " * (label_width - head.cell_length + 1),
                                      "bold")
                part = parts[index] if index < len(parts) else Content("")
                lines.append(head + part)
        lines = [line.pad_right(grid_width - line.cell_length) for line in lines]
        content = Content("\n").join(lines)
        rows = tuple(lines) if lines and grid_width <= width else None
        self._for_width = (width, (content, rows))
        return content, rows

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._label_width + 1 + self._value_width if self.rows else 0

    def get_height(self, rules: RulesMap, width: int) -> int:
        content, lines = self._layout(width)
        return len(lines) if lines is not None else content.get_height(rules, width)


_WORD = re.compile(r"\S+")
_GLUED = re.compile(rf"[^\s{GLUE}{HINGE}]*(?:[{GLUE}{HINGE}][^\s{GLUE}{HINGE}]*)+")


def _cut_long_words(value: str, width: int) -> str:
    """`value` with each word wider than `width` cells cut to it with "…" by
    `display.cut`, which never cuts inside an escape (`\\u202…`); Textual's own
    ellipsis, which then has nothing left to cut, would."""
    return _WORD.sub(lambda m: m.group() if cell_len(m.group()) <= width
                     else cut(m.group(), width), value)
