"""`show ID --refresh` when the provider fails prints the cached copy and then the
error, saying the copy is the cached one, and exits 1, as `list` does with the cached
list: it printed nothing on stdout (exit 1), so a script had no meeting at all."""

from __future__ import annotations

import json

import httpx
import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK

WB_KEY = "show-refresh-fails-4c2a"


@pytest.fixture
def whereby(tmp_path, monkeypatch, sim_server):
    server = sim_server("whereby", meetings=3, api_key=WB_KEY, rate_limit=1_000_000)
    config = tmp_path / "config.toml"
    config.write_text('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = '
                      f'"whereby"\nbase_url = "{server.base_url}"\nsecret_env = "WB_SRF"\n',
                      encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("WB_SRF", WB_KEY)
    return server


@pytest.fixture
def cached(whereby, capsys) -> dict:
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_OK, err
    return dict(json.loads(out)["meetings"][0])


def failing(server) -> None:
    answer = httpx.post(f"{server.control_url}/faults", json={"error_rate": 1})
    assert answer.status_code == 200


def test_show_refresh_prints_the_cached_copy_and_the_error(whereby, cached, capsys):
    failing(whereby)
    code, out, err = run_cli(capsys, "show", cached["id"], "--refresh", "--json")
    assert code == EXIT_ERROR
    shown = json.loads(out)
    # stdout alone says the copy is not fresh, and why (stderr says it too).
    assert shown.pop("refresh_error") == err.removeprefix("meettui: ").removesuffix(
        " (showing the cached copy)\n")
    assert shown == {**cached, "schema_version": shown["schema_version"]}
    assert err.startswith("meettui: wb (whereby): GET ")
    assert err.endswith(" (showing the cached copy)\n")


def test_a_refresh_that_worked_has_no_refresh_error(whereby, cached, capsys):
    code, out, err = run_cli(capsys, "show", cached["id"], "--refresh", "--json")
    assert code == EXIT_OK and err == ""
    assert "refresh_error" not in json.loads(out)


def test_it_is_said_as_list_says_it(whereby, cached, capsys):
    failing(whereby)
    code, out, err = run_cli(capsys, "show", cached["id"], "--refresh", "--text")
    assert code == EXIT_ERROR
    assert f"  id        {cached['id']}" in out
    listed = run_cli(capsys, "list", "--text")
    assert listed[0] == EXIT_ERROR and listed[2].endswith(" (showing the cached list)\n")


def test_a_meeting_gone_upstream_is_shown_as_gone(whereby, cached, capsys):
    # The 404 is the refresh's answer: it said "GET … → 404 … It may have been deleted
    # or expired upstream; refresh the list. (showing the cached copy)" and exited 1,
    # while the text said "live (gone upstream …)" and the JSON "gone".
    httpx.delete(f"{whereby.base_url}/meetings/{cached['id']}",
                 headers={"Authorization": f"Bearer {WB_KEY}"})
    code, out, err = run_cli(capsys, "show", cached["id"], "--refresh", "--json")
    assert code == EXIT_OK
    shown = json.loads(out)
    assert shown["missing"] is True and shown["status"] == "gone"
    assert "refresh_error" not in shown
    assert f"({cached['id']}) is gone upstream: 'wb' no longer has it (GET /meetings/" \
           in err and "). It is marked gone here.\n" in err
    assert "refresh the list" not in err and "cached copy" not in err
    code, out, err = run_cli(capsys, "show", cached["id"], "--refresh", "--text")
    assert code == EXIT_OK
    status = next(line for line in out.splitlines() if line.startswith("  status "))
    assert status.split()[1] == "gone"
    assert "(the provider no longer lists it; last known status: " in status
    code, out, _ = run_cli(capsys, "list", "--text", "--offline")
    row = next(line for line in out.splitlines() if cached["id"][:8] in line)
    assert " gone " in f"{row} " and "(gone)" not in row
