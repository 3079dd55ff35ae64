"""The benchmark's own arithmetic (bench/stats.py) and its seed (bench/seed.py): ratios are
taken per repetition, and the row counts it waits for are the ones meettui's filter
leaves. No timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.service import MeetingService

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


stats = load("stats")
seed = load("seed")


def test_ratios_are_per_repetition_then_median():
    meettui = [10.0, 40.0, 9.0]
    reference = [5.0, 10.0, 3.0]  # a slow repetition slows both
    summary = stats.summarize(stats.ratios(meettui, reference))
    assert (summary.median, summary.low, summary.high) == (3.0, 2.0, 4.0)
    # Not the ratio of the medians (10 / 5).
    assert summary.median != pytest.approx(10.0 / 5.0)


def test_missing_repetitions_are_left_out():
    got = stats.ratios([1.0, None, 3.0], [2.0, 2.0, None])
    assert got == [0.5, None, None]
    assert stats.summarize(got).n == 1
    assert stats.summarize([None, None]) is None
    assert stats.verdict(None, 1.0) == "?"
    assert stats.verdict(stats.summarize([0.9, 1.4, 1.0]), 1.0) == "✓"


def test_rotation_and_formatting():
    assert [stats.rotated("ABC", r) for r in range(4)] == [
        ["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"], ["A", "B", "C"]]
    assert stats.summarize([0.2061, 0.178, 0.302]).fmt(scale=1000) == "206 (178–302)"
    assert stats.ratio_text(stats.summarize([1.5])) == "1.50×"


def test_expected_counts_match_meettuis_filter(tmp_path):
    n = 300
    path = tmp_path / "cache.sqlite3"
    seed.seed(path, n)
    cache = Cache(path)
    try:
        service = MeetingService(parse_config(seed.CONFIG, tmp_path / "c.toml"), cache,
                                 clock=FixedClock(seed.T0))
        expected = seed.expected_count_table(n, ("demo", "12", "room-00002", "x"))
        for query, prefixes in expected.items():
            for prefix, count in prefixes.items():
                assert service.count([seed.ACCOUNT], prefix) == count, (query, prefix)
        assert expected["demo"]["demo"] == len(range(4, n, 8))
    finally:
        cache.close()
