"""Text tables for the terminal, measured in display cells rather than code points.

A CJK character or an emoji takes two cells, a combining accent none: padding by
`len()` pushes the later columns out of line. rich (installed with textual, and
imported here only when a table is drawn, so `--json` and `--version` do not pay for
it) knows each character's width. Cells must already be `printable`: a control or
format character has no honest width.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ELLIPSIS = "…"
GAP = "  "
# A title narrower than this is not worth keeping the optional columns for.
MIN_FLEX = 12


@dataclass
class Column:
    header: str
    cells: list[str] = field(default_factory=list)
    # The one column that takes the room the others leave, cut with an ellipsis.
    flex: bool = False
    # Dropped when the terminal is too narrow, highest first; 0: always shown.
    drop: int = 0


def render(columns: list[Column], width: int) -> list[str]:
    """The header and one line per row, fitted to `width` cells.

    Fixed columns are as wide as their widest cell and are never cut (ids must stay
    whole to be typed back); the flex column is cut with an ellipsis. When even a
    MIN_FLEX-wide flex column does not fit, optional columns go, highest `drop`
    first; if the line is still too wide the terminal wraps it rather than meettui
    cutting an id."""
    from rich.cells import cell_len

    natural = [max(cell_len(text) for text in [c.header, *c.cells]) for c in columns]
    shown = list(range(len(columns)))

    def fixed_width() -> int:
        fixed = sum(natural[i] for i in shown if not columns[i].flex)
        return fixed + len(GAP) * (len(shown) - 1)

    flex = next((i for i in shown if columns[i].flex), None)
    flex_need = min(MIN_FLEX, natural[flex]) if flex is not None else 0
    while fixed_width() + flex_need > width:
        optional = [i for i in shown if columns[i].drop]
        if not optional:
            break
        shown.remove(max(optional, key=lambda i: columns[i].drop))
    widths = {i: natural[i] for i in shown}
    if flex is not None:
        widths[flex] = max(flex_need, min(natural[flex], width - fixed_width()))
    rows = len(columns[0].cells) if columns else 0
    lines = [_line([columns[i].header for i in shown], [widths[i] for i in shown])]
    for row in range(rows):
        lines.append(_line([columns[i].cells[row] for i in shown], [widths[i] for i in shown]))
    return lines


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells; a cut ends in an ellipsis."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width < 1:
        return ""
    # A wide character cut in half leaves a space: trim it before the ellipsis.
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


def _line(cells: list[str], widths: list[int]) -> str:
    return GAP.join(fit(text, w) for text, w in zip(cells, widths, strict=True)).rstrip()
