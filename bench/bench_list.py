"""Measure the meeting list at 1k, 10k and 100k cached meetings, in this process.

Prints time to first paint, keypress-to-repaint latency and filter time, measured in a
headless Textual app (Pilot) over a real SQLite cache. Run: `uv run python bench/bench_list.py`.
The full benchmark, with fresh processes, references and targets, is `bench/run.py`; both
seed the same rows (`bench/seed.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from seed import CONFIG, T0, seed

from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.service import MeetingService
from meettui.tui.app import MeettuiApp


async def measure(path: Path, n: int, presses: int) -> dict[str, float]:
    cache = Cache(path)
    clock = FixedClock(T0)
    service = MeetingService(parse_config(CONFIG, path.with_suffix(".toml")), cache, clock=clock)
    app = MeettuiApp(service, clock=clock, theme="meettui-dark", show_toasts=False)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_paint = time.perf_counter() - started
        main = app.screen
        assert main.table.row_count == n, (main.table.row_count, n)
        # Pilot's own cost per key (it waits for the app to go idle): a key nothing is bound to.
        baseline = []
        for _ in range(presses):
            t = time.perf_counter()
            await pilot.press("f12")
            baseline.append(time.perf_counter() - t)
        latencies = []
        for _ in range(presses):
            t = time.perf_counter()
            await pilot.press("down")
            latencies.append(time.perf_counter() - t)
        t = time.perf_counter()
        await pilot.press("end")
        end_jump = time.perf_counter() - t
        assert main.selected.id == f"room-{n - 1:07d}"
        t = time.perf_counter()
        await pilot.press("home")
        home_jump = time.perf_counter() - t
        await pilot.press("slash")
        t = time.perf_counter()
        await pilot.press(*"Demo 0000")
        filter_time = (time.perf_counter() - t) / len("Demo 0000")
        assert main.table.row_count >= 1
    cache.close()
    return {
        "first_paint_ms": first_paint * 1000,
        "pilot_ms": statistics.median(baseline) * 1000,
        "key_p50_ms": statistics.median(latencies) * 1000,
        "key_p95_ms": sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000,
        "end_ms": end_jump * 1000,
        "home_ms": home_jump * 1000,
        "filter_per_key_ms": filter_time * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("TZ", "UTC")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"bench-{n}.sqlite3"
            seed(path, n)
            rows.append((n, asyncio.run(measure(path, n, args.presses))))
    print(f"meettui list benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          "headless 120×40; Pilot overhead included in key timings")
    print()
    print("| cached meetings | first paint | Pilot idle key | key ↓ p50 | ↓ minus idle | key ↓ p95 "
          "| End | Home | filter (per key) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, r in rows:
        print(f"| {n:,} | {r['first_paint_ms']:.0f} ms | {r['pilot_ms']:.1f} ms | "
              f"{r['key_p50_ms']:.1f} ms | {r['key_p50_ms'] - r['pilot_ms']:.1f} ms | "
              f"{r['key_p95_ms']:.1f} ms | {r['end_ms']:.1f} ms | {r['home_ms']:.1f} ms | "
              f"{r['filter_per_key_ms']:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
