"""What `meettui edit` tells: an edit that replaced the meeting says so on stderr, with
both ids (`--yes` skips the question that said it before). Against a configured Whereby
account on the simulator over 127.0.0.1, and eyeson's."""

from __future__ import annotations

import json

import httpx
import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK

WB_KEY = "edit-outcome-key-7c1e"
EY_KEY = "edit-outcome-eyeson-3f9a"


@pytest.fixture
def servers(tmp_path, monkeypatch, sim_server):
    """A Whereby account `wb` and an eyeson account `ey` on their simulators; the
    simulators by account."""
    wb = sim_server("whereby", meetings=2, api_key=WB_KEY, rate_limit=1_000_000)
    ey = sim_server("eyeson", meetings=2, rooms=0, api_key=EY_KEY)
    config = tmp_path / "config.toml"
    config.write_text(
        'builtin_jitsi = false\n'
        f'[[accounts]]\nname = "wb"\nprovider = "whereby"\nbase_url = "{wb.base_url}"\n'
        'secret_env = "WB_OUTCOME"\n'
        f'[[accounts]]\nname = "ey"\nprovider = "eyeson"\nbase_url = "{ey.base_url}"\n'
        'secret_env = "EY_OUTCOME"\n', encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("WB_OUTCOME", WB_KEY)
    monkeypatch.setenv("EY_OUTCOME", EY_KEY)
    return {"wb": wb, "ey": ey}


def made(capsys, account: str, *argv: str) -> dict:
    code, out, err = run_cli(capsys, "create", "-a", account, "-t", "Intake", *argv,
                             "--json")
    assert code == EXIT_OK, err
    return json.loads(out)


def upstream_ids(server) -> set[str]:
    answer = httpx.get(f"{server.base_url}/meetings", params={"limit": 100},
                       headers={"Authorization": f"Bearer {WB_KEY}"})
    return {m["meetingId"] for m in answer.json()["results"]}


def test_a_replacing_edit_with_yes_says_every_link_changed(servers, capsys):
    # It printed the new meeting, a new id among its lines, and nothing on stderr: with
    # --yes nobody was told that the old room and every link were gone.
    room = made(capsys, "wb", "--end", "+1h")
    before = upstream_ids(servers["wb"])
    code, out, err = run_cli(capsys, "edit", room["id"], "--end", "+2h", "--yes", "--text")
    assert code == EXIT_OK, err
    after = upstream_ids(servers["wb"])
    (new,) = after - before
    assert room["id"] not in after
    assert err == (f"meettui: Whereby Embedded cannot edit in place: made {new} and "
                   f"deleted {room['id']}; every link changed — send the new ones.\n")
    assert f"id        {new}" in out

    # The JSON carries the same sentence for a script (and says it on stderr to a
    # person watching the script run).
    code, out, err = run_cli(capsys, "edit", new, "--end", "+3h", "--yes", "--json")
    assert code == EXIT_OK, err
    edited = json.loads(out)
    assert edited["replaced_id"] == new
    assert edited["notice"] == (f"Whereby Embedded cannot edit in place: made {edited['id']} "
                                f"and deleted {new}; every link changed — send the new ones.")
    assert err == f"meettui: {edited['notice']}\n"


def test_an_edit_that_keeps_the_room_says_nothing_of_links(servers, capsys):
    room = made(capsys, "wb", "--end", "+1h")
    code, out, err = run_cli(capsys, "edit", room["id"], "--title", "Renamed", "--json")
    assert code == EXIT_OK and err == ""
    edited = json.loads(out)
    assert (edited["id"], edited["replaced_id"], edited["notice"]) == (room["id"], None, None)
