"""meettui's benchmark (issue #16): every row of the speed table in one run.

    uv run python bench/run.py                 # full: 0 / 100k / 1M cached, 5 repetitions
    uv run python bench/run.py --quick         # smoke: 0 / 1k / 10k, 2 repetitions
    uv run python bench/run.py --only cli,sync --reps 7
    uv run python bench/run.py --sizes 0,100000 --only tui

Method: every measurement is a fresh child process; the variants of a group run
interleaved and rotated (A B C, B C A, C A B…); each ratio is taken per repetition
against the reference measured in the same repetition, then summarised as median
(min–max); CPU time is shown beside wall time. The TUI children (`tui_child.py`) time
themselves after their imports; the whole-process rows run the venv's `meettui` command
and take CPU from `getrusage(RUSAGE_CHILDREN)` deltas; the sync children
(`sync_child.py`) time one full sync each against one `meettui simulate whereby`.

Caches are built once through `Cache.upsert_page` (see `seed.py`) and kept in
`bench/.caches/<schema fingerprint>/`: a new schema makes new ones (1M rows take a few
minutes). The last section prints a Markdown summary for the README's Speed section.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from seed import expected_count_table
from stats import (
    Summary,
    differences,
    median_of,
    ms_text,
    ratio_text,
    ratios,
    rotated,
    summarize,
    table,
    verdict,
)

HERE = Path(__file__).resolve().parent
CACHES = HERE / ".caches"
PYTHON = sys.executable
GROUPS = ("tui", "cli", "sync")
QUERIES = ("demo", "12345")  # a broad word (1 row in 8) and a selective id fragment
DATATABLE_ROWS = 1000  # the stock DataTable's ↓ is flat in rows; 1k keeps its paint short
CLI_ROWS = 1000

# Targets (issue #16).
PAINT_MAX = 1.5  # first-paint CPU / empty app
MOVE_MAX_MS = 10.0  # ↓ / PgDn CPU above f12
END_MAX = 2.0  # End (cold) CPU / ↓ CPU
FILTER_MAX = 2.0  # filter keystroke CPU / ↓ CPU, 3+ characters
ESC_MAX = 2.0  # Esc wall / ↓ wall
LIST_MAX = 0.5  # meettui list --offline --json / import textual.app
VERSION_MAX = 1.0  # --version, --help / import pydantic
SYNC_MAX = 1.3  # full sync wall / raw httpx loop
RSS_MAX = 1.1  # RSS at the largest size / at 0


def meettui_command() -> str:
    beside = Path(PYTHON).parent / "meettui"
    found = str(beside) if beside.exists() else shutil.which("meettui")
    if not found:
        sys.exit("bench: no `meettui` command next to this Python; run it with `uv run`")
    return found


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def sizes_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


# -- children ------------------------------------------------------------------------------


def child_json(argv: list[str], *, env: dict[str, str] | None = None,
               timeout: float = 3600) -> dict[str, Any]:
    """Run a child that prints `BENCH-JSON {...}`; its parsed dict."""
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=HERE.parent)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return dict(json.loads(line[len("BENCH-JSON "):]))
    tail = "\n".join((proc.stderr or proc.stdout).splitlines()[-15:])
    raise RuntimeError(f"{' '.join(argv[:3])}… exited {proc.returncode}:\n{tail}")


# -- caches --------------------------------------------------------------------------------


class Caches:
    """Seeded caches keyed by size, under a directory named by the schema fingerprint."""

    def __init__(self, rebuild: bool) -> None:
        out = subprocess.run([PYTHON, str(HERE / "seed.py"), "fingerprint"], check=True,
                             capture_output=True, text=True, cwd=HERE.parent)
        self.meta = json.loads(out.stdout)
        self.dir = CACHES / str(self.meta["fingerprint"])
        self.rebuild = rebuild
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "meta.json").write_text(json.dumps(self.meta, indent=1))
        self.seconds: dict[int, float] = {}

    def path(self, n: int) -> Path:
        path = self.dir / f"cache-{n}.sqlite3"
        done = path.with_suffix(".done")
        if done.exists() and path.exists() and not self.rebuild:
            return path
        for stale in self.dir.glob(f"cache-{n}.*"):
            stale.unlink()
        log(f"bench: seeding {n:,} meetings through Cache.upsert_page → {path}")
        building = self.dir / f"cache-{n}.building.sqlite3"
        for side in ("", "-wal", "-shm"):
            Path(f"{building}{side}").unlink(missing_ok=True)
        started = time.monotonic()
        subprocess.run([PYTHON, str(HERE / "seed.py"), "build", str(building), str(n)],
                       check=True, cwd=HERE.parent)
        self.seconds[n] = time.monotonic() - started
        for side in ("-wal", "-shm"):
            Path(f"{building}{side}").unlink(missing_ok=True)
        building.rename(path)
        done.write_text(json.dumps({"rows": n, "seconds": self.seconds[n],
                                    "bytes": path.stat().st_size}))
        log(f"bench: seeded {n:,} in {self.seconds[n]:.0f} s ({path.stat().st_size >> 20} MiB)")
        return path

    def expected(self, n: int) -> dict[str, dict[str, int]]:
        """Rows left by each prefix of each query (computed once, kept beside the caches)."""
        memo = self.dir / f"expected-{n}.json"
        if memo.exists():
            known = json.loads(memo.read_text())
            if set(known) == set(QUERIES):
                return dict(known)
        counts = expected_count_table(n, QUERIES)
        memo.write_text(json.dumps(counts))
        return counts


# -- runs ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.reps: int = args.reps
        self.results: dict[str, list[dict[str, Any] | None]] = {}
        self.errors: list[str] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="meettui-bench-"))
        # No child reads or writes the user's own config, cache, log, prefs or themes.
        home = self.tmp / "home"
        home.mkdir()
        os.environ.update({
            "MEETTUI_CONFIG": str(home / "config.toml"),
            "MEETTUI_CACHE": str(home / "cache.sqlite3"),
            "MEETTUI_LOG": str(home / "meettui.log"),
            "MEETTUI_THEMES": str(home / "themes"),
        })
        self.meettui = meettui_command()
        self.caches: Caches | None = None
        self.elapsed: dict[str, float] = {}
        self.version = ""

    def record(self, name: str, rep: int, run: Callable[[], dict[str, Any]]) -> None:
        slot = self.results.setdefault(name, [None] * self.reps)
        try:
            slot[rep] = run()
        except Exception as exc:  # a failed child costs its sample, not the run
            self.errors.append(f"{name} (repetition {rep + 1}): {exc}")
            log(f"bench: {name} failed: {exc}")

    def values(self, name: str, pick: Callable[[dict[str, Any]], float | None]
               ) -> list[float | None]:
        out: list[float | None] = []
        for r in self.results.get(name, [None] * self.reps):
            try:
                out.append(None if r is None else pick(r))
            except (KeyError, TypeError, IndexError):
                out.append(None)
        return out

    # TUI ------------------------------------------------------------------------------

    def tui_jobs(self) -> dict[str, dict[str, Any]]:
        a = self.args
        assert self.caches is not None
        jobs: dict[str, dict[str, Any]] = {
            "empty": {"app": "empty", "rows": 0},
            "datatable": {"app": "datatable", "rows": DATATABLE_ROWS, "presses": a.presses,
                          "gap": a.gap},
        }
        for n in a.sizes:
            jobs[f"meettui@{n}"] = {
                "app": "meettui", "rows": n, "cache": str(self.caches.path(n)),
                "presses": a.presses, "ends": a.ends, "cycles": a.cycles, "gap": a.gap,
                "queries": self.caches.expected(n) if n else {},
            }
        return jobs

    def tui_run(self, spec: dict[str, Any]) -> dict[str, Any]:
        result = child_json([PYTHON, str(HERE / "tui_child.py"), json.dumps(spec)])
        for note in result.get("notes", []):
            self.errors.append(f"{spec['app']} {spec['rows']:,}: {note}")
        return result

    # whole processes --------------------------------------------------------------------

    def cli_jobs(self) -> dict[str, list[str]]:
        return {
            "list": [self.meettui, "list", "--offline", "--json"],
            "import textual.app": [PYTHON, "-c", "import textual.app"],
            "--version": [self.meettui, "--version"],
            "--help": [self.meettui, "--help"],
            "import pydantic": [PYTHON, "-c", "import pydantic"],
        }

    def cli_env(self) -> dict[str, str]:
        from seed import CONFIG

        assert self.caches is not None
        home = self.tmp / "cli"
        home.mkdir(exist_ok=True)
        cache = home / "cache.sqlite3"
        if not cache.exists():
            shutil.copyfile(self.caches.path(CLI_ROWS), cache)
        (home / "config.toml").write_text(CONFIG)
        return {**os.environ, "MEETTUI_CONFIG": str(home / "config.toml"),
                "MEETTUI_CACHE": str(cache), "MEETTUI_LOG": str(home / "meettui.log")}

    def process_run(self, argv: list[str], env: dict[str, str]) -> dict[str, Any]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, timeout=600)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return {"wall": wall, "cpu": cpu, "stdout_bytes": len(proc.stdout),
                "stdout": proc.stdout}

    # sync -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def simulator(self) -> Iterator[str]:
        """`meettui simulate whereby` on a free port; yields its base URL."""
        argv = [self.meettui, "simulate", "whereby", "--port", "0", "--meetings",
                str(self.args.meetings), "--rate-limit", "1000000000", "--api-key",
                "bench-key"]
        env = {**os.environ, "MEETTUI_LOG": str(self.tmp / "simulator.log")}
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, env=env)
        lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        out = proc.stdout
        threading.Thread(target=lambda: [lines.put(ln) for ln in out], daemon=True).start()
        try:
            base = None
            deadline = time.monotonic() + 120
            while not base:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"simulator did not start (exit {proc.poll()})")
                try:
                    line = lines.get(timeout=0.2)
                except queue.Empty:
                    continue
                if "base URL:" in line:
                    base = line.split("base URL:", 1)[1].strip()
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def sync_run(self, kind: str, base: str, rep: int) -> dict[str, Any]:
        argv = [PYTHON, str(HERE / "sync_child.py"), kind, base, "bench-key",
                str(self.args.meetings)]
        if kind == "meettui":
            work = self.tmp / f"sync-{rep}-{time.monotonic_ns()}"
            work.mkdir()
            argv.append(str(work))
        env = {**os.environ, "MEETTUI_LOG": str(self.tmp / "sync.log")}
        result = child_json(argv, env=env, timeout=1800)
        if "note" in result:
            self.errors.append(f"sync {kind}: {result['note']}")
        if kind == "meettui":
            shutil.rmtree(argv[-1], ignore_errors=True)
        return result

    # the whole run ----------------------------------------------------------------------

    def run(self) -> None:
        groups = self.args.only
        if "tui" in groups or "cli" in groups:
            self.caches = Caches(self.args.rebuild_caches)
            needed = sorted(({*self.args.sizes} if "tui" in groups else set())
                            | ({CLI_ROWS} if "cli" in groups else set()))
            for n in needed:
                self.caches.path(n)
        tui = self.tui_jobs() if "tui" in groups else {}
        cli = self.cli_jobs() if "cli" in groups else {}
        cli_env = self.cli_env() if cli else {}
        with contextlib.ExitStack() as stack:
            base = stack.enter_context(self.simulator()) if "sync" in groups else ""
            self.warm_up(tui, cli, cli_env, base)
            for rep in range(self.reps):
                log(f"bench: repetition {rep + 1}/{self.reps}")
                if tui:
                    self.timed_group("tui", lambda rep=rep: [
                        self.record(name, rep, lambda name=name: self.tui_run(tui[name]))
                        for name in rotated(list(tui), rep)])
                if cli:
                    self.timed_group("cli", lambda rep=rep: [
                        self.record(name, rep,
                                    lambda name=name: self.process_run(cli[name], cli_env))
                        for name in rotated(list(cli), rep)])
                if base:
                    self.timed_group("sync", lambda rep=rep: self.sync_group(rep))
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sync_group(self, rep: int) -> None:
        """Both syncs of one repetition against a simulator started for it: its rooms end
        and expire with the clock, so one started with the run lists fewer than
        --meetings by the last repetitions (9,945 of 10,000 after eight minutes)."""
        with self.simulator() as base:
            for kind in rotated(["meettui", "floor"], rep):
                self.record(f"sync {kind}", rep,
                            lambda kind=kind: self.sync_run(kind, base, rep))

    def timed_group(self, group: str, body: Callable[[], object]) -> None:
        started = time.monotonic()
        body()
        self.elapsed[group] = self.elapsed.get(group, 0.0) + time.monotonic() - started

    def warm_up(self, tui: dict[str, dict[str, Any]], cli: dict[str, list[str]],
                env: dict[str, str], base: str) -> None:
        """One untimed run of the cheap variants: compiled bytecode and the OS file cache
        are warm for every repetition, not only the later ones."""
        if self.args.no_warm_up:
            return
        log("bench: warm-up")
        started = time.monotonic()
        try:
            for name in ("empty", f"meettui@{min(self.args.sizes)}"):
                if name in tui:
                    self.tui_run({**tui[name], "presses": 1, "ends": 1, "cycles": 1})
            for name, argv in cli.items():
                result = self.process_run(argv, env)
                if name == "list":
                    listed = json.loads(result["stdout"])
                    if isinstance(listed, dict):
                        listed = listed.get("meetings", listed)
                    if len(listed) != CLI_ROWS:
                        self.errors.append(f"list printed {len(listed)} meetings, "
                                           f"expected {CLI_ROWS}")
                if name == "--version":
                    self.version = result["stdout"].decode().strip()
            if base:
                self.sync_run("floor", base, -1)
        except Exception as exc:
            self.errors.append(f"warm-up: {exc}")
            log(f"bench: warm-up failed: {exc}")
        self.elapsed["warm-up"] = time.monotonic() - started


# -- report --------------------------------------------------------------------------------


def ms(s: Summary | None) -> str:
    return ms_text(s)


class Report:
    def __init__(self, bench: Bench) -> None:
        self.b = bench
        self.summary: list[list[str]] = []
        self.sizes = [n for n in bench.args.sizes]

    # helpers
    def child_median(self, name: str, key: str, field: str) -> list[float | None]:
        return self.b.values(name, lambda r: median_of([s[field] for s in r["keys"][key]]))

    def samples_median(self, name: str, path: str, field: str) -> list[float | None]:
        return self.b.values(name, lambda r: median_of([s[field] for s in r[path]]))

    def filter_median(self, name: str, query: str, field: str, long: bool
                      ) -> list[float | None]:
        def pick(r: dict[str, Any]) -> float | None:
            picked = [s[field] for cycle in r["filter"][query] for i, s in enumerate(cycle)
                      if (i + 1 >= 3) == long]
            return median_of(picked)
        return self.b.values(name, pick)

    def add_summary(self, figure: str, reference: str, measured: str, ratio: str,
                    target: str, ok: str) -> None:
        self.summary.append([figure, reference, measured, ratio, target, ok])

    # sections
    def paint(self) -> str:
        b = self.b
        ref_cpu = b.values("empty", lambda r: r["paint"]["cpu"])
        ref_wall = b.values("empty", lambda r: r["paint"]["wall"])
        ref_frame = b.values("empty", lambda r: r.get("frame", {}).get("cpu"))
        rows = [["empty app (App + empty DataTable)", "0", ms(summarize(ref_wall)),
                 ms(summarize(ref_cpu)), "—", "1.00×", ms(summarize(ref_frame)), "1.00×",
                 "reference", ""]]
        dt_cpu = b.values("datatable", lambda r: r["paint"]["cpu"])
        dt_frame = b.values("datatable", lambda r: r.get("frame", {}).get("cpu"))
        rows.append([f"stock DataTable ({DATATABLE_ROWS:,} rows)", f"{DATATABLE_ROWS:,}",
                     ms(summarize(b.values("datatable", lambda r: r["paint"]["wall"]))),
                     ms(summarize(dt_cpu)), "—", ratio_text(summarize(ratios(dt_cpu, ref_cpu))),
                     ms(summarize(dt_frame)),
                     ratio_text(summarize(ratios(dt_frame, ref_frame))), "—", ""])
        for n in self.sizes:
            name = f"meettui@{n}"
            cpu = b.values(name, lambda r: r["paint"]["cpu"])
            frame = b.values(name, lambda r: r.get("frame", {}).get("cpu"))
            ratio = summarize(ratios(cpu, ref_cpu))
            ok = verdict(ratio, PAINT_MAX)
            rows.append(["meettui", f"{n:,}",
                         ms(summarize(b.values(name, lambda r: r["paint"]["wall"]))),
                         ms(summarize(cpu)),
                         ms(summarize(b.values(name, lambda r: r["ready"]["wall"]))),
                         ratio_text(ratio), ms(summarize(frame)),
                         ratio_text(summarize(ratios(frame, ref_frame))),
                         f"≤ {PAINT_MAX}×", ok])
            self.add_summary(f"First paint CPU, {sizes_label(n)} cached",
                             f"empty app {ms(summarize(ref_cpu))} ms",
                             f"{ms(summarize(cpu))} ms", ratio_text(ratio),
                             f"≤ {PAINT_MAX}×", ok)
            self.add_summary(f"First frame CPU (to `run_test` ready), {sizes_label(n)} "
                             "cached", f"empty app {ms(summarize(ref_frame))} ms",
                             f"{ms(summarize(frame))} ms",
                             ratio_text(summarize(ratios(frame, ref_frame))), "—", "")
        return ("### First paint (construct → `run_test` ready + one pause; first frame: "
                "construct → `run_test` ready)\n\n" + table(
                    ["app", "rows", "wall ms", "CPU ms", "rows shown, wall ms",
                     "CPU / empty app", "first frame CPU ms", "first frame / empty app",
                     "target", ""], rows,
                    ["l", "r", "r", "r", "r", "r", "r", "r", "l", "l"]))

    def keys(self) -> str:
        rows = []
        dt_f12 = self.child_median("datatable", "f12", "cpu")
        dt_down = self.child_median("datatable", "down", "cpu")
        dt_above = summarize(differences(dt_down, dt_f12))
        dt_page = summarize(differences(self.child_median("datatable", "pagedown", "cpu"),
                                        dt_f12))
        rows.append([f"stock DataTable ({DATATABLE_ROWS:,})",
                     ms(summarize(self.child_median("datatable", "f12", "wall"))),
                     ms(summarize(dt_f12)),
                     ms(summarize(self.child_median("datatable", "down", "wall"))),
                     ms(summarize(dt_down)), ms_text(dt_above, 1), ms_text(dt_page, 1),
                     "reference", ""])
        for n in self.sizes:
            name = f"meettui@{n}"
            f12 = self.child_median(name, "f12", "cpu")
            down = self.child_median(name, "down", "cpu")
            above = summarize(differences(down, f12))
            page = summarize(differences(self.child_median(name, "pagedown", "cpu"), f12))
            worst = max((s.median for s in (above, page) if s), default=None)
            ok = "?" if worst is None else ("✓" if worst * 1000 <= MOVE_MAX_MS else "✗")
            rows.append([f"meettui {n:,}",
                         ms(summarize(self.child_median(name, "f12", "wall"))),
                         ms(summarize(f12)),
                         ms(summarize(self.child_median(name, "down", "wall"))),
                         ms(summarize(down)), ms_text(above, 1), ms_text(page, 1),
                         f"≤ {MOVE_MAX_MS:.0f} ms", ok])
            if n:
                self.add_summary(f"↓ / PgDn, CPU above f12, {sizes_label(n)}",
                                 f"stock DataTable ↓ {ms_text(dt_above, 1)} ms",
                                 f"↓ {ms_text(above, 1)} ms, PgDn {ms_text(page, 1)} ms",
                                 "—", f"≤ {MOVE_MAX_MS:.0f} ms", ok)
        return ("### Keys: ↓ and PgDn, CPU above a key bound to nothing (f12)\n\n"
                "Wall: `pilot.press(key)` + `pilot.pause()`. CPU: the same plus a quiet "
                f"window of {self.b.args.gap:g} s (deferred work counts for its key; f12 "
                "gets the same window). Medians per child, then median (min–max) over "
                "repetitions.\n\n" + table(
                    ["app, rows", "f12 wall ms", "f12 CPU ms", "↓ wall ms", "↓ CPU ms",
                     "↓ CPU − f12", "PgDn CPU − f12", "target", ""],
                    rows, ["l", "r", "r", "r", "r", "r", "r", "l", "l"]))

    def end(self) -> str:
        rows = []
        largest = max(self.sizes)
        for n in self.sizes:
            if not n:
                continue
            name = f"meettui@{n}"
            end_cpu = self.samples_median(name, "end", "cpu")
            down = self.child_median(name, "down", "cpu")
            ratio = summarize(ratios(end_cpu, down))
            judged = n == largest
            ok = verdict(ratio, END_MAX) if judged else ""
            rows.append([f"{n:,}", ms(summarize(self.samples_median(name, "end", "wall"))),
                         ms(summarize(end_cpu)), ms(summarize(down)), ratio_text(ratio),
                         f"≤ {END_MAX}×" if judged else "—", ok])
            if judged:
                self.add_summary(f"End (cold), CPU, {sizes_label(n)}",
                                 f"↓ {ms(summarize(down))} ms",
                                 f"{ms(summarize(end_cpu))} ms", ratio_text(ratio),
                                 f"≤ {END_MAX}× ↓", ok)
        return ("### End (cold): after `MeetingTable.reload()` dropped blocks and lines\n\n"
                + table(["rows", "End wall ms", "End CPU ms", "↓ CPU ms", "End / ↓ CPU",
                         "target", ""], rows, ["r", "r", "r", "r", "r", "l", "l"]))

    def filter(self) -> str:
        rows = []
        for n in self.sizes:
            if not n:
                continue
            name = f"meettui@{n}"
            down = self.child_median(name, "down", "cpu")
            for query in QUERIES:
                for long in (False, True):
                    cpu = self.filter_median(name, query, "cpu", long)
                    wall = self.filter_median(name, query, "wall", long)
                    ratio = summarize(ratios(cpu, down))
                    ok = verdict(ratio, FILTER_MAX) if long else ""
                    keys = f"{query[2:]!r}" if long else f"{query[:2]!r}"
                    rows.append([f"{n:,}", f"{query!r}", keys, ms(summarize(wall)),
                                 ms(summarize(cpu)), ratio_text(ratio),
                                 f"≤ {FILTER_MAX}×" if long else "—", ok])
                    if long:
                        self.add_summary(
                            f"Filter keystroke, CPU, {sizes_label(n)}, typing {query!r} "
                            "(3rd+ character)", f"↓ {ms(summarize(down))} ms",
                            f"{ms(summarize(cpu))} ms", ratio_text(ratio),
                            f"≤ {FILTER_MAX}× ↓", ok)
        return ("### Filter keystroke (`/`, then each character until the table shows "
                "its matches)\n\n" + table(
                    ["rows", "query", "keystrokes", "wall ms", "CPU ms", "CPU / ↓ CPU",
                     "target", ""], rows, ["r", "l", "l", "r", "r", "r", "l", "l"]))

    def esc(self) -> str:
        rows = []
        for n in self.sizes:
            if not n:
                continue
            name = f"meettui@{n}"
            wall = self.samples_median(name, "esc", "wall")
            down = self.child_median(name, "down", "wall")
            ratio = summarize(ratios(wall, down))
            ok = verdict(ratio, ESC_MAX)
            rows.append([f"{n:,}", ms(summarize(wall)),
                         ms(summarize(self.samples_median(name, "esc", "cpu"))),
                         ms(summarize(down)), ratio_text(ratio), f"≤ {ESC_MAX}×", ok])
            self.add_summary(f"Esc (clear filter), wall, {sizes_label(n)}",
                             f"↓ {ms(summarize(down))} ms", f"{ms(summarize(wall))} ms",
                             ratio_text(ratio), f"≤ {ESC_MAX}× ↓", ok)
        return ("### Esc (clear the filter, until every row is back)\n\n" + table(
            ["rows", "Esc wall ms", "Esc CPU ms", "↓ wall ms", "Esc / ↓ wall", "target", ""],
            rows, ["r", "r", "r", "r", "r", "l", "l"]))

    def rss(self) -> str:
        b = self.b
        base = b.values("meettui@0", lambda r: r["rss_kib"])
        rows = []
        largest = max(self.sizes)
        for n in self.sizes:
            name = f"meettui@{n}"
            rss = b.values(name, lambda r: r["rss_kib"])
            peak = b.values(name, lambda r: r["rss_end_kib"])
            ratio = summarize(ratios(rss, base))
            judged = n == largest and n > 0
            ok = verdict(ratio, RSS_MAX) if judged else ""
            rows.append([f"{n:,}", mib(summarize(rss)), mib(summarize(peak)),
                         ratio_text(ratio), f"≤ {RSS_MAX}×" if judged else "—", ok])
            if judged:
                self.add_summary(f"RSS after first paint, {sizes_label(n)} vs 0 cached",
                                 f"0 cached {mib(summarize(base))} MiB",
                                 f"{mib(summarize(rss))} MiB", ratio_text(ratio),
                                 f"≤ {RSS_MAX}×", ok)
        empty = summarize(b.values("empty", lambda r: r["rss_kib"]))
        return (f"### Memory (VmRSS after first paint; empty app {mib(empty)} MiB)\n\n"
                + table(["rows", "RSS MiB", "RSS after the keys MiB", "/ 0 rows", "target",
                         ""], rows, ["r", "r", "r", "r", "l", "l"]))

    def cli(self) -> str:
        b = self.b
        specs = [("list", "meettui list --offline --json", "import textual.app", LIST_MAX),
                 ("--version", "meettui --version", "import pydantic", VERSION_MAX),
                 ("--help", "meettui --help", "import pydantic", VERSION_MAX)]
        rows = []
        for ref in ("import textual.app", "import pydantic"):
            rows.append([f"`python -c \"{ref}\"`",
                         ms(summarize(b.values(ref, lambda r: r["wall"]))),
                         ms(summarize(b.values(ref, lambda r: r["cpu"]))),
                         "reference", "", "", "", ""])
        for name, label, ref, limit in specs:
            wall = b.values(name, lambda r: r["wall"])
            cpu = b.values(name, lambda r: r["cpu"])
            ratio = summarize(ratios(wall, b.values(ref, lambda r: r["wall"])))
            cpu_ratio = summarize(ratios(cpu, b.values(ref, lambda r: r["cpu"])))
            ok = verdict(ratio, limit)
            rows.append([f"`{label}`", ms(summarize(wall)), ms(summarize(cpu)),
                         f"`{ref}`", ratio_text(ratio), ratio_text(cpu_ratio),
                         f"≤ {limit}×", ok])
            rows_note = f", {CLI_ROWS:,} cached" if name == "list" else ""
            self.add_summary(f"`{label}`{rows_note}, whole process (wall)",
                             f"`python -c \"{ref}\"` "
                             f"{ms(summarize(b.values(ref, lambda r: r['wall'])))} ms",
                             f"{ms(summarize(wall))} ms", ratio_text(ratio),
                             f"≤ {limit}×", ok)
        return ("### Whole processes (the venv's `meettui`; CPU = user + sys from "
                "`getrusage(RUSAGE_CHILDREN)`)\n\n" + table(
                    ["command", "wall ms", "CPU ms", "reference", "wall ratio", "CPU ratio",
                     "target", ""], rows, ["l", "r", "r", "l", "r", "r", "l", "l"]))

    def sync(self) -> str:
        b = self.b
        floor_wall = b.values("sync floor", lambda r: r["wall"])
        floor_cpu = b.values("sync floor", lambda r: r["cpu"])
        rows = []
        meetings = b.args.meetings
        for kind, label in (("floor", "raw httpx loop, limit=100"),
                            ("meettui", "meettui `MeetingService.sync_all`")):
            name = f"sync {kind}"
            wall = b.values(name, lambda r: r["wall"])
            cpu = b.values(name, lambda r: r["cpu"])
            requests = b.values(name, lambda r: r["requests"])
            ratio = summarize(ratios(wall, floor_wall))
            ok = verdict(ratio, SYNC_MAX) if kind == "meettui" else ""
            req = summarize(requests)
            rows.append([label, req.fmt() if req else "—",
                         ms(summarize(wall)), ms(summarize(cpu)),
                         ratio_text(ratio) if kind == "meettui" else "1.00×",
                         ratio_text(summarize(ratios(cpu, floor_cpu)))
                         if kind == "meettui" else "1.00×",
                         f"≤ {SYNC_MAX}×" if kind == "meettui" else "reference", ok])
            if kind == "meettui":
                self.add_summary(f"Full sync of {meetings:,} Whereby meetings (simulator)",
                                 f"raw httpx loop {ms(summarize(floor_wall))} ms",
                                 f"{ms(summarize(wall))} ms", ratio_text(ratio),
                                 f"≤ {SYNC_MAX}× wall", ok)
        return (f"### Full sync of {meetings:,} Whereby meetings from `meettui simulate "
                "whereby` (client CPU)\n\n" + table(
                    ["path", "requests", "wall ms", "client CPU ms", "wall / raw",
                     "CPU / raw", "target", ""], rows,
                    ["l", "r", "r", "r", "r", "r", "l", "l"]))

    def render(self) -> str:
        b = self.b
        parts = [header(b)]
        groups = b.args.only
        if "tui" in groups:
            parts += [self.paint(), self.keys(), self.end(), self.filter(), self.esc(),
                      self.rss()]
        if "cli" in groups:
            parts.append(self.cli())
        if "sync" in groups:
            parts.append(self.sync())
        parts.append("### Summary (for the README's Speed section)\n\n" + table(
            ["figure", "reference, same run", "meettui", "ratio, median (min–max)", "target",
             ""], self.summary, ["l", "l", "r", "r", "l", "l"]))
        if b.errors:
            parts.append("### Notes from the run\n\n" + "\n".join(f"* {e}" for e in b.errors))
        took = ", ".join(f"{k} {v:.0f} s" for k, v in b.elapsed.items())
        seeded = ""
        if b.caches and b.caches.seconds:
            seeded = "; seeding " + ", ".join(
                f"{sizes_label(n)} {s:.0f} s" for n, s in b.caches.seconds.items())
        parts.append(f"Run time: {took}{seeded}.")
        return "\n\n".join(parts) + "\n"


def mib(s: Summary | None) -> str:
    return "—" if s is None else s.fmt(scale=1 / 1024, digits=0)


def header(b: Bench) -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=HERE.parent).stdout.strip()
    except OSError:
        commit = "?"
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    version = getattr(b, "version", "") or f"meettui {metadata.version('meettui')}"
    return (f"## meettui benchmark — {version} at `{commit}`\n\n"
            f"Python {platform.python_version()}, Textual {metadata.version('textual')}, "
            f"{os.cpu_count()} CPUs, load average {load} (at the end); "
            f"{b.reps} repetitions, interleaved; headless 120×40. Times are median (min–max) "
            "over repetitions; ratios are per repetition against the reference of the same "
            "repetition.")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="0 / 1k / 10k cached, 2 repetitions, fewer presses, 2k-meeting sync")
    p.add_argument("--reps", type=int, help="repetitions (default 5, quick 2)")
    p.add_argument("--only", default=",".join(GROUPS),
                   help=f"comma-separated groups of rows: {', '.join(GROUPS)} (default all; "
                   "tui = first paint, keys, End, filter, Esc and RSS, from the same children)")
    p.add_argument("--sizes", help="cached meetings for the TUI rows (default 0,100000,1000000; "
                   "quick 0,1000,10000); 0 is always added")
    p.add_argument("--presses", type=int, help="f12/↓/PgDn rounds per child (default 12)")
    p.add_argument("--ends", type=int, help="cold End presses per child (default 4)")
    p.add_argument("--cycles", type=int, help="times each filter query is typed (default 2)")
    p.add_argument("--gap", type=float, default=0.2,
                   help="quiet seconds after each timed key that still count towards its CPU "
                   "(deferred work; 0 = press + pause only)")
    p.add_argument("--meetings", type=int, help="meetings in the sync (default 10000)")
    p.add_argument("--rebuild-caches", action="store_true", help="seed the caches again")
    p.add_argument("--no-warm-up", action="store_true", help="skip the untimed warm-up runs")
    p.add_argument("--save", type=Path, help="also write every raw sample to this JSON file")
    args = p.parse_args(argv)
    quick = args.quick
    args.reps = args.reps or (2 if quick else 5)
    sizes = args.sizes or ("0,1000,10000" if quick else "0,100000,1000000")
    args.sizes = sorted({0, *(int(x) for x in sizes.split(",") if x.strip())})
    args.presses = args.presses or (6 if quick else 12)
    args.ends = args.ends or (2 if quick else 4)
    args.cycles = args.cycles or (1 if quick else 2)
    args.meetings = args.meetings or (2000 if quick else 10000)
    args.only = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = set(args.only) - set(GROUPS)
    if unknown:
        p.error(f"unknown group(s) {', '.join(sorted(unknown))}; known: {', '.join(GROUPS)}")
    return args


def compile_bytecode() -> None:
    """Write the bytecode of meettui and of every installed package, as an installer
    does: without it (PYTHONDONTWRITEBYTECODE, a fresh `uv sync`) each child compiles
    its imports from source, which costs CPU and memory that no installed copy pays,
    and more for the app with more imports. compileall writes regardless of that
    variable and skips files whose bytecode is current."""
    import sysconfig

    root = Path(__file__).resolve().parents[1]
    for folder in (root / "src", Path(sysconfig.get_paths()["purelib"])):
        subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(folder)],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TZ", "UTC")
    compile_bytecode()
    bench = Bench(args)
    started = time.monotonic()
    bench.run()
    bench.elapsed["total"] = time.monotonic() - started
    if args.save:
        raw = {name: [None if r is None else {k: v for k, v in r.items() if k != "stdout"}
                      for r in reps] for name, reps in bench.results.items()}
        args.save.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "results": raw, "errors": bench.errors}, indent=1))
    print(Report(bench).render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
