"""Summaries for the benchmark: per-repetition ratios, then median (min–max).

Pure functions, no meettui and no clock, so the smoke test can check them. A figure is
a list with one value per repetition (None where that repetition could not measure it);
a ratio is taken between two figures of the *same* repetition, never between medians.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Values = Sequence[float | None]


@dataclass(frozen=True)
class Summary:
    median: float
    low: float
    high: float
    n: int

    def fmt(self, scale: float = 1.0, digits: int = 0, unit: str = "") -> str:
        """`206 (178–302)`, each value times `scale`; `unit` is appended to the median."""
        m, lo, hi = (round(v * scale, digits) for v in (self.median, self.low, self.high))
        f = f"{{:,.{digits}f}}"
        if self.n == 1 or lo == hi:
            return f"{f.format(m)}{unit}"
        return f"{f.format(m)}{unit} ({f.format(lo)}–{f.format(hi)})"


def summarize(values: Values) -> Summary | None:
    """Median, min and max of the values that were measured (None when none were)."""
    got = [v for v in values if v is not None]
    if not got:
        return None
    return Summary(statistics.median(got), min(got), max(got), len(got))


def per_rep(a: Values, b: Values, op: Callable[[float, float], float]) -> list[float | None]:
    """`op(a[i], b[i])` for each repetition i where both were measured."""
    out: list[float | None] = []
    for x, y in zip(a, b, strict=True):
        out.append(None if x is None or y is None else op(x, y))
    return out


def ratios(a: Values, b: Values) -> list[float | None]:
    """a / b per repetition (None where either is missing or b is not positive)."""
    return per_rep(a, b, lambda x, y: x / y if y > 0 else float("nan"))


def differences(a: Values, b: Values) -> list[float | None]:
    """a − b per repetition."""
    return per_rep(a, b, lambda x, y: x - y)


def median_of(samples: Sequence[float]) -> float | None:
    """The median of one child's samples (None when it took none)."""
    return statistics.median(samples) if samples else None


def verdict(summary: Summary | None, limit: float) -> str:
    """✓ when the median meets `limit` (≤), ✗ when not, `?` when nothing was measured."""
    if summary is None:
        return "?"
    return "✓" if summary.median <= limit else "✗"


def ratio_text(summary: Summary | None, digits: int = 2) -> str:
    if summary is None:
        return "—"
    return summary.fmt(digits=digits, unit="×")


def ms_text(summary: Summary | None, digits: int = 0) -> str:
    """Seconds as ms, `—` when not measured."""
    if summary is None:
        return "—"
    return summary.fmt(scale=1000, digits=digits)


def rotated(items: Sequence[str], rep: int) -> list[str]:
    """The run order of repetition `rep`: A B C, then B C A, then C A B…"""
    if not items:
        return []
    k = rep % len(items)
    return [*items[k:], *items[:k]]


def table(header: Sequence[str], rows: Sequence[Sequence[str]],
          align: Sequence[str] | None = None) -> str:
    """A Markdown table; `align` holds `l` or `r` per column (default: first left)."""
    align = align or ["l", *["r"] * (len(header) - 1)]
    rule = ["---" if a == "l" else "---:" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
