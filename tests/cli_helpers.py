"""Running the command line in-process against temporary config, cache and log paths."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from meettui.cli import main


def isolate_paths(monkeypatch, tmp_path: Path, config: Path | None = None) -> Path:
    """Point config, cache, log and themes folder at `tmp_path` (config: a file that may
    not exist). The conftest already does this for every test; this names the paths a
    test relies on (and sets another config file)."""
    monkeypatch.setenv("MEETTUI_CONFIG", str(config or tmp_path / "config.toml"))
    monkeypatch.setenv("MEETTUI_CACHE", str(tmp_path / "cache.sqlite3"))
    monkeypatch.setenv("MEETTUI_LOG", str(tmp_path / "meettui.log"))
    monkeypatch.setenv("MEETTUI_THEMES", str(tmp_path / "themes"))
    return tmp_path


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`meettui ARGV...` in this process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@contextmanager
def simulator_process(*args: str, env: dict[str, str] | None = None,
                      timeout: float = 30) -> Iterator[str]:
    """`meettui simulate ARGS...` as a child process, as a user runs it: yields everything
    it printed up to "Press Ctrl+C" (the base URL, what to put in an account), then stops
    it. Its log goes to a temporary folder, never the real home, removed once the child
    has stopped; `env` adds variables."""
    with tempfile.TemporaryDirectory(prefix="meettui-sim-log-",
                                     ignore_cleanup_errors=True) as folder:
        yield from _simulator_process(args, Path(folder) / "meettui.log", env, timeout)


def _simulator_process(args: tuple[str, ...], log: Path, env: dict[str, str] | None,
                       timeout: float) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "meettui", "simulate", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "MEETTUI_LOG": str(log), **(env or {})},
    )
    lines: queue.Queue[str] = queue.Queue()
    # A thread reads the child's output: select() on a buffered text pipe can miss lines
    # that Python has already read ahead.
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout], daemon=True).start()
    printed: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"simulator did not start (exit {proc.poll()})")
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            printed.append(line)
            if line.startswith("Press Ctrl+C"):
                yield "".join(printed)
                return
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def base_url_of(printed: str) -> str:
    """The base URL a simulator printed (`  base URL:  http://127.0.0.1:PORT/v1`)."""
    for line in printed.splitlines():
        if "base URL:" in line:
            return line.split("base URL:", 1)[1].strip()
    raise AssertionError(f"no base URL in {printed!r}")


def run_cli_keeping(capsys, secrets: tuple[str, ...], *argv: str) -> tuple[int, str, str]:
    """`run_cli`, asserting that none of `secrets` reaches stdout or stderr."""
    code, out, err = run_cli(capsys, *argv)
    for secret in secrets:
        assert secret not in out and secret not in err
    return code, out, err


def run_cli_json(capsys, secrets: tuple[str, ...], *argv: str) -> Any:
    """`meettui ARGV --json` that must succeed, its output parsed, no secret printed."""
    code, out, err = run_cli_keeping(capsys, secrets, *argv, "--json")
    assert code == 0, err
    return json.loads(out)
