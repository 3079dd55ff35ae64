"""One headless TUI measurement, in a fresh process: `bench/run.py` starts one per app,
size and repetition, and reads the JSON line it prints (prefixed `BENCH-JSON `).

    python bench/tui_child.py SPEC_JSON

SPEC: {"app": "empty" | "datatable" | "meettui", "rows": N, "cache": PATH,
       "presses": 12, "ends": 4, "cycles": 2, "queries": {"demo": {"d": 50000, ...}}}

The child imports what it needs before any clock starts. Every time is wall
(`perf_counter`) and CPU (`process_time`, this process, all threads), in seconds:

* paint: constructing the cache, service and app, to `run_test(size=(120, 40))` being
  ready plus one `pilot.pause()`; then VmRSS from /proc/self/status. frame: the same
  clock stopped when `run_test` is ready (the first frame rendered), before the pause.
* keys: each `pilot.press(key)` + `pilot.pause()` is the wall time. The CPU time also
  takes in a quiet window after it (`gap`, 0.2 s by default, then one more pause), so work
  an app defers to a timer (a debounced detail pane or filter) is charged to the key that
  caused it, not to the next one; f12 gets the same window, so "↓ − f12" subtracts what
  an idle app spends in it. f12 is bound to nothing (Pilot's own cost); 12 × (f12, ↓,
  f12, PgDn) by default. Each sample also keeps `cpu_press`, the CPU of press + pause
  alone.
* end: End after the table dropped its cached blocks and rendered lines. The public way
  is `MeetingTable.reload()` (re-read from the cache, as after a refresh), done untimed
  after Home; if the table has no `reload`, only the first End of the process is taken
  (cold by construction).
* filter: `/` (untimed), then each character of the query, timed until the table shows
  the expected number of rows (so a debounced filter is charged its reload); then Esc,
  timed until every row is back.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

KEY_NAMES = {" ": "space", "/": "slash", ":": "colon", "-": "minus"}
SETTLE_TIMEOUT = 10.0


def rss_kib() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def stamp() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = stamp()
    return {"wall": wall - start[0], "cpu": cpu - start[1]}


async def quiet(pilot: Any, gap: float, start: tuple[float, float],
                sample: dict[str, float]) -> dict[str, float]:
    """`sample` (wall up to now) with its CPU taken after a quiet window of `gap` s."""
    sample["cpu_press"] = sample["cpu"]
    if gap > 0:
        await asyncio.sleep(gap)
        await pilot.pause()
        sample["cpu"] = since(start)["cpu"]
    return sample


async def timed(pilot: Any, key: str, gap: float) -> dict[str, float]:
    start = stamp()
    await pilot.press(key)
    await pilot.pause()
    return await quiet(pilot, gap, start, since(start))


def build_app(spec: dict[str, Any]) -> tuple[Any, Any]:
    """(factory, cleanup): the factory builds the app; called after the clock starts."""
    kind = spec["app"]
    if kind in ("empty", "datatable"):
        from textual.app import App
        from textual.widgets import DataTable

        rows = spec["rows"] if kind == "datatable" else 0

        class AnchorApp(App[None]):
            def compose(self):  # type: ignore[no-untyped-def]
                yield DataTable()

            def on_mount(self) -> None:
                if rows:
                    table = self.query_one(DataTable)
                    table.add_columns("Title", "Account", "Start", "Status")
                    table.add_rows(
                        (f"Meeting {i:07d}", "bench", f"{i % 24:02d}:00", "scheduled")
                        for i in range(rows)
                    )
                    table.focus()

        return AnchorApp, lambda: None

    from seed import CONFIG, T0

    from meettui.core.cache import Cache
    from meettui.core.clock import FixedClock
    from meettui.core.config import parse_config
    from meettui.core.service import MeetingService
    from meettui.tui.app import MeettuiApp

    path = Path(spec["cache"])
    opened: list[Any] = []

    def factory() -> Any:
        cache = Cache(path)
        opened.append(cache)
        clock = FixedClock(T0)
        config = parse_config(CONFIG, path.with_suffix(".toml"))
        service = MeetingService(config, cache, clock=clock)
        return MeettuiApp(service, clock=clock, theme="meettui-dark", show_toasts=False)

    def cleanup() -> None:
        for cache in opened:
            cache.close()

    return factory, cleanup


def meeting_table(app: Any) -> Any:
    screen = app.screen
    table = getattr(screen, "table", None)
    if table is None:
        table = screen.query_one("#meetings")
    return table


async def settle(pilot: Any, table: Any, expected: int) -> bool:
    """Wait until the table holds `expected` rows, then for the screen to be idle.

    Polled with plain sleeps: the app runs on this loop between them, and its work is
    charged all the same. `pilot.pause()` in the loop cost ~0.8 ms of CPU a call (it
    waits for every widget's queue), some 10 ms per filter keystroke of harness, not app.
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while table.row_count != expected:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    await pilot.pause()
    return True


async def measure(spec: dict[str, Any]) -> dict[str, Any]:
    factory, cleanup = build_app(spec)
    kind, rows = spec["app"], spec["rows"]
    out: dict[str, Any] = {"app": kind, "rows": rows, "notes": []}
    notes: list[str] = out["notes"]
    gc.collect()
    start = stamp()
    app = factory()
    async with app.run_test(size=(120, 40)) as pilot:
        # `run_test` is ready once the first frame was rendered (Textual's Ready event):
        # what the user sees first. The paint below also takes in what the app does until
        # it is idle, deferred work (the detail pane's first rest) included if it starts
        # before then.
        out["frame"] = since(start)
        await pilot.pause()
        out["paint"] = since(start)
        out["rss_kib"] = rss_kib()
        if kind == "empty":
            cleanup()
            return out
        table = meeting_table(app) if kind == "meettui" else app.query_one("DataTable")
        if kind == "meettui":
            if not await settle(pilot, table, rows):
                notes.append(f"table shows {table.row_count} rows, expected {rows}")
            out["ready"] = since(start)
        keys: dict[str, list[dict[str, float]]] = {"f12": [], "down": [], "pagedown": []}
        gap = spec.get("gap", 0.2)
        for _ in range(spec["presses"]):
            keys["f12"].append(await timed(pilot, "f12", gap))
            keys["down"].append(await timed(pilot, "down", gap))
            keys["f12"].append(await timed(pilot, "f12", gap))
            keys["pagedown"].append(await timed(pilot, "pagedown", gap))
        out["keys"] = keys
        if kind == "meettui" and rows:
            out["end"] = await cold_ends(pilot, app, table, spec, notes)
            out["filter"], out["esc"] = await filters(pilot, table, spec, notes)
        out["rss_end_kib"] = rss_kib()
    cleanup()
    return out


async def cold_ends(pilot: Any, app: Any, table: Any, spec: dict[str, Any],
                    notes: list[str]) -> list[dict[str, float]]:
    rows = spec["rows"]
    last = f"room-{rows - 1:07d}"
    samples = []
    reload = getattr(table, "reload", None)
    for i in range(spec["ends"]):
        await pilot.press("home")
        await pilot.pause()
        if reload is not None:
            reload()
            await pilot.pause()
        elif i:
            notes.append("no MeetingTable.reload: only the first End is cold")
            break
        samples.append(await timed(pilot, "end", spec.get("gap", 0.2)))
        selected = getattr(app.screen, "selected", None)
        if selected is not None and selected.id != last:
            notes.append(f"End reached {selected.id}, not {last}")
    await pilot.press("home")
    await pilot.pause()
    return samples


async def filters(pilot: Any, table: Any, spec: dict[str, Any], notes: list[str]
                  ) -> tuple[dict[str, list[list[dict[str, float]]]], list[dict[str, float]]]:
    """{query: [[sample per keystroke] per cycle]}, and the Esc samples."""
    rows, gap = spec["rows"], spec.get("gap", 0.2)
    result: dict[str, list[list[dict[str, float]]]] = {}
    escs: list[dict[str, float]] = []
    # A prefix whose row count never showed (the app's matching differs from seed.py's)
    # is not waited for again: its samples are press + pause + gap only.
    unsettled: set[str] = set()
    for query, counts in spec["queries"].items():
        result[query] = []
        for _ in range(spec["cycles"]):
            await pilot.press("slash")
            await pilot.pause()
            cycle = []
            typed = ""
            for ch in query:
                typed += ch
                start = stamp()
                await pilot.press(KEY_NAMES.get(ch, ch))
                await pilot.pause()
                if typed not in unsettled and not await settle(pilot, table, counts[typed]):
                    unsettled.add(typed)
                    notes.append(f"filter {typed!r}: {table.row_count} rows, "
                                 f"expected {counts[typed]}")
                cycle.append(await quiet(pilot, gap, start, since(start)))
            result[query].append(cycle)
            start = stamp()
            await pilot.press("escape")
            await pilot.pause()
            if not await settle(pilot, table, rows):
                notes.append(f"Esc: {table.row_count} rows, expected {rows}")
            escs.append(await quiet(pilot, gap, start, since(start)))
    return result, escs


def hide_pillow() -> None:
    """Import what an installed meettui imports. pillow is in the test dependencies only
    (the tests decode QR codes with zxing), and qrcode loads PIL's drawers (3.6 MiB,
    ~15 ms) whenever PIL can be imported; without pillow, as installed, it skips them.
    meettui draws and writes PNGs without PIL (tests/qr/test_no_pillow.py)."""
    sys.modules["PIL"] = None  # type: ignore[assignment]  # `import PIL` raises ImportError


def main() -> int:
    spec = json.loads(sys.argv[1])
    hide_pillow()
    result = asyncio.run(measure(spec))
    print("BENCH-JSON " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
