"""Text tables for the terminal, measured in display cells rather than code points.

A CJK character or an emoji takes two cells, a combining accent none: padding by
`len()` pushes the later columns out of line. rich (installed with textual, and
imported here only when a table is drawn, so `--json` and `--version` do not pay for
it) knows each character's width. Cells must already be `printable`: a control or
format character has no honest width.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from meettui.core.display import fit

GAP = "  "
# A title narrower than this is not worth keeping the optional columns for.
MIN_FLEX = 12
# The flex column gives up room down to this before a `shrink` column does: most
# titles stay whole or nearly (the demo's run to about 30 cells), while a cut id still
# types back.
COMFORT_FLEX = 32


@dataclass
class Column:
    header: str
    cells: list[str] = field(default_factory=list)
    # The one column that takes the room the others leave, cut with an ellipsis.
    flex: bool = False
    # Dropped when the terminal is too narrow, highest first; 0: always shown.
    drop: int = 0
    # The narrowest this column may be cut to (with an ellipsis) before an optional
    # column is dropped; None: never cut.
    shrink: int | None = None


def as_written(text: str, encoding: str | None) -> str:
    """`text` as a stream in `encoding` writes it (each character it cannot write as
    `?`, as stdout's `replace` does: `cli._output.tolerant_streams`); `text` itself for
    a UTF encoding or none."""
    if not encoding or encoding.lower().replace("_", "-").startswith("utf"):
        return text
    try:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text


def render(columns: list[Column], width: int, encoding: str | None = None) -> list[str]:
    """The header and one line per row, fitted to `width` cells, as written in
    `encoding` (stdout's): measured after the characters it cannot write became `?`.
    Measured before, on an ASCII stdout a wide character (two cells) was written as
    one `?` and a combining accent (none) as one, and the columns after it went out of
    line.

    Room is given up in this order, each step only as far as needed: the flex column
    down to COMFORT_FLEX cells, the `shrink` columns down to their `shrink` width, the
    flex column down to MIN_FLEX, then optional columns, highest `drop` first (and the
    steps before are tried again with the room that freed), and last the flex column
    itself, when another column is left to show (a terminal narrower than a title and
    an id keeps the id: it is what the other commands take). Cuts end in an ellipsis;
    other columns are as wide as their widest cell and never cut. If the line is still
    too wide, the terminal wraps it."""
    from rich.cells import cell_len

    if encoding is not None:
        columns = [replace(c, header=as_written(c.header, encoding),
                           cells=[as_written(text, encoding) for text in c.cells])
                   for c in columns]
    natural = [max(cell_len(text) for text in [c.header, *c.cells]) for c in columns]
    shown = list(range(len(columns)))
    widths = _fit_widths(columns, natural, shown, width)
    while widths is None:
        optional = [i for i in shown if columns[i].drop]
        flex = [i for i in shown if columns[i].flex]
        if optional:
            shown.remove(max(optional, key=lambda i: columns[i].drop))
        elif flex and len(shown) > 1:
            shown.remove(flex[0])
        else:
            widths = _fit_widths(columns, natural, shown, width, overflow=True)
            break
        widths = _fit_widths(columns, natural, shown, width)
    assert widths is not None
    rows = len(columns[0].cells) if columns else 0
    lines = [_line([columns[i].header for i in shown], [widths[i] for i in shown])]
    for row in range(rows):
        lines.append(_line([columns[i].cells[row] for i in shown], [widths[i] for i in shown]))
    return lines


def _fit_widths(columns: list[Column], natural: list[int], shown: list[int], width: int,
                *, overflow: bool = False) -> dict[int, int] | None:
    """The widths of the `shown` columns within `width` cells, giving room up as
    `render` says; None when even the narrowest widths do not fit (unless `overflow`:
    then the narrowest widths)."""
    widths = {i: natural[i] for i in shown}
    excess = sum(widths.values()) + len(GAP) * (len(shown) - 1) - width
    flex = next((i for i in shown if columns[i].flex), None)

    def give(i: int, floor: int) -> None:
        nonlocal excess
        if excess <= 0:
            return
        cut = min(excess, max(0, widths[i] - floor))
        widths[i] -= cut
        excess -= cut

    if flex is not None:
        give(flex, min(COMFORT_FLEX, natural[flex]))
    for i in shown:
        limit = columns[i].shrink
        if limit is not None:
            give(i, min(limit, natural[i]))
    if flex is not None:
        give(flex, min(MIN_FLEX, natural[flex]))
    return widths if excess <= 0 or overflow else None


def _line(cells: list[str], widths: list[int]) -> str:
    return GAP.join(fit(text, w) for text, w in zip(cells, widths, strict=True)).rstrip()
