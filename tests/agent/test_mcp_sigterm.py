"""SIGTERM to `meettui mcp` (a client ending its server): the server ends its own way.
It died on the spot: a refresh under way lost the pages read since its last write (the
walk writes them in batches) and the client's stderr said nothing. Now the refresh
writes every page it read, the server exits 130 with a line on stderr, and it does so
while the client still holds stdin open (a read of stdin never returns by itself)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys

from gating import GatedSimulator
from meettui.cli import EXIT_INTERRUPTED
from meettui.simulators.registry import build

KEY = "sigterm-mcp-wb-key-5e1"
OPEN_PAGES = 6
"""Pages the simulator answers before it holds the next request until released."""
HANDSHAKE = [
    {"jsonrpc": "2.0", "id": "init", "method": "initialize",
     "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "pipe", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]



def _server(tmp_path, base_url: str) -> subprocess.Popen[str]:
    config = tmp_path / "config.toml"
    config.write_text(f'builtin_jitsi = false\n[[accounts]]\nname = "big"\n'
                      f'provider = "whereby"\nbase_url = "{base_url}"\n'
                      'secret_env = "SIGTERM_WB_KEY"\n', encoding="utf-8")
    env = {**os.environ, "MEETTUI_CONFIG": str(config),
           "MEETTUI_CACHE": str(tmp_path / "cache.sqlite3"),
           "MEETTUI_LOG": str(tmp_path / "meettui.log"), "SIGTERM_WB_KEY": KEY}
    server = subprocess.Popen([sys.executable, "-m", "meettui", "mcp"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    for message in HANDSHAKE:
        server.stdin.write(json.dumps(message) + "\n")
    server.stdin.flush()
    assert json.loads(server.stdout.readline())["id"] == "init"
    return server


def _ended(server: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM, stdin still open; the exit status and stderr."""
    server.send_signal(signal.SIGTERM)
    assert server.stderr is not None
    try:
        code = server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    return code, server.stderr.read()


def test_sigterm_during_a_refresh_keeps_every_page_it_read(tmp_path, sim_server):
    gate = GatedSimulator(build("whereby", meetings=2500, api_key=KEY, rate_limit=1_000_000),
                          OPEN_PAGES)
    server = _server(tmp_path, sim_server(gate).base_url)
    try:
        assert server.stdin is not None
        server.stdin.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                       "params": {"name": "list_meetings",
                                                  "arguments": {"limit": 1}}}) + "\n")
        server.stdin.flush()
        # Observable, not timed: the walk asks for the page after OPEN_PAGES.
        assert gate.reached.wait(60), "the walk never got that far"
        code, err = _ended(server)
    finally:
        gate.release.set()
        if server.poll() is None:
            server.kill()
    with sqlite3.connect(tmp_path / "cache.sqlite3") as conn:
        (cached,) = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()
    assert code == EXIT_INTERRUPTED, err
    assert err == ("meettui mcp: Stopped (SIGTERM) during a refresh: the pages it had "
                   "read are saved in the cache; the next list_meetings refreshes the "
                   "rest.\n")
    # Pages one to OPEN_PAGES - 1 were read before the walk asked for the next page.
    assert cached >= (OPEN_PAGES - 1) * 100
    assert "Traceback" not in (tmp_path / "meettui.log").read_text(encoding="utf-8")


def test_sigterm_while_idle_ends_the_server_with_stdin_still_open(tmp_path, sim_server):
    server = _server(tmp_path, sim_server("whereby", meetings=3, api_key=KEY).base_url)
    code, err = _ended(server)
    assert code == EXIT_INTERRUPTED, err
    assert err == "meettui mcp: Stopped (SIGTERM).\n"
    assert "Traceback" not in (tmp_path / "meettui.log").read_text(encoding="utf-8")
