"""A `meettui list` refresh interrupted (Ctrl+C, SIGTERM) keeps every page it read and
says so. The walk commits twenty pages at a time: interrupted after 12 s on an account
of ~2,500 meetings it exited 130 without a word, keeping only the first page (100 of
the ones read)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from gating import GatedSimulator
from meettui.cli import EXIT_INTERRUPTED
from meettui.simulators.registry import build

KEY = "interrupt-wb-key-81c2"
OPEN_PAGES = 6
"""Pages the simulator answers before it holds the next request until released."""



@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_refresh_keeps_every_page_it_read(tmp_path, sim_server, how):
    gate = GatedSimulator(build("whereby", meetings=2500, api_key=KEY, rate_limit=1_000_000),
                          OPEN_PAGES)
    server = sim_server(gate)
    config = tmp_path / "config.toml"
    config.write_text(f'builtin_jitsi = false\n[[accounts]]\nname = "big"\n'
                      f'provider = "whereby"\nbase_url = "{server.base_url}"\n'
                      'secret_env = "INTERRUPT_WB_KEY"\n', encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    env = {**os.environ, "MEETTUI_CONFIG": str(config), "MEETTUI_CACHE": str(cache),
           "MEETTUI_LOG": str(tmp_path / "meettui.log"), "INTERRUPT_WB_KEY": KEY}
    proc = subprocess.Popen([sys.executable, "-m", "meettui", "list", "--json"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Observable, not timed: the walk asks for the page after OPEN_PAGES.
        assert gate.reached.wait(60), "the walk never got that far"
        proc.send_signal(how)
        out, err = proc.communicate(timeout=60)
    finally:
        gate.release.set()
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(cache) as conn:
        (cached,) = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert out == ""
    assert err == (f"meettui: Interrupted: {cached:,} meetings saved; run again to "
                   "finish\n")
    # Pages one to OPEN_PAGES - 1 were read before the walk asked for the next page
    # (page OPEN_PAGES may have been in hand, not yet read): all of them kept, not just
    # the first page's transaction.
    assert cached >= (OPEN_PAGES - 1) * 100
    assert "Traceback" not in (tmp_path / "meettui.log").read_text(encoding="utf-8")
