"""`meettui import` of Whereby links against a configured account served by `meettui
simulate whereby` (a real HTTP server in a child process): a room of the account points
to its meeting (read from the account when the cache does not have it yet), the room's
host link too, and a room of another Whereby team is kept as an imported copy."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from cli_helpers import base_url_of, isolate_paths, run_cli, run_cli_json, simulator_process
from meettui.cli import EXIT_OK

KEY = "import-dedupe-key-3c9f1a"
ENV = "MEETTUI_TEST_IMPORT_WB_KEY"


@pytest.fixture(scope="module")
def whereby_url() -> Iterator[str]:
    with simulator_process("whereby", "--port", "0", "--api-key", KEY, "--meetings", "12",
                           "--seed", "5", "--rate-limit", "5000") as printed:
        yield base_url_of(printed)


@pytest.fixture
def env(tmp_path, monkeypatch, whereby_url):
    (tmp_path / "config.toml").write_text(
        "builtin_jitsi = false\n[[accounts]]\nname = \"wb\"\nprovider = \"whereby\"\n"
        f"base_url = \"{whereby_url}\"\nsecret_env = \"{ENV}\"\n")
    monkeypatch.setenv(ENV, KEY)
    return isolate_paths(monkeypatch, tmp_path)


def upstream_room(base_url: str) -> dict:
    """One seeded room as the simulator lists it, with its host link (read over HTTP)."""
    answer = httpx.get(f"{base_url}/meetings", params={"fields": "hostRoomUrl"},
                       headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
    answer.raise_for_status()
    return answer.json()["results"][3]


def test_a_room_of_the_account_points_to_its_meeting(env, capsys, whereby_url):
    room = upstream_room(whereby_url)
    # Nothing is cached yet: the import reads the account's list to find it.
    assert run_cli_json(capsys, (KEY,), "list", "--offline")["meetings"] == []
    code, out, err = run_cli(capsys, "import", room["roomUrl"], "--json")
    assert code == EXIT_OK, err
    found = json.loads(out)
    assert (found["account"], found["id"]) == ("wb", room["meetingId"])
    assert f"already in wb: {room['meetingId']}" in err
    accounts = {a["name"] for a in run_cli_json(capsys, (KEY,), "accounts")["accounts"]}
    assert "imported" not in accounts  # no copy was made

    # The host link of the same room: the same meeting, its room key never printed.
    host_key = room["hostRoomUrl"].split("roomKey=")[1]
    code, out, err = run_cli(capsys, "import", room["hostRoomUrl"], "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["id"] == room["meetingId"]
    assert host_key not in out and host_key not in err



@pytest.mark.parametrize("variant", ["{url}/", "{url}#x", "{url}?embed",
                                     "{url}?displayName=Bob", "{upper}", "{port}"])
def test_a_room_link_pasted_with_more_to_it_is_the_same_meeting(env, capsys, whereby_url,
                                                                 variant):
    # Each of these made a copy in the imported account: a browser's trailing '/', a
    # fragment, Whereby's own `?embed` and `displayName`, the link typed in capitals.
    room = upstream_room(whereby_url)
    url = room["roomUrl"]
    host_end = url.index("/", len("https://"))
    pasted = variant.format(url=url, upper=url.upper(),
                            port=url[:host_end] + ":443" + url[host_end:])
    code, out, err = run_cli(capsys, "import", pasted, "--json")
    assert code == EXIT_OK, err
    assert (json.loads(out)["account"], json.loads(out)["id"]) == ("wb", room["meetingId"])
    accounts = {a["name"] for a in run_cli_json(capsys, (KEY,), "accounts")["accounts"]}
    assert "imported" not in accounts

def test_a_room_of_another_whereby_team_is_imported_as_a_copy(env, capsys, whereby_url):
    other = "https://someone-else.whereby.com/their-room-0d6c5b4a"
    made = run_cli_json(capsys, (KEY,), "import", other)
    assert made["account"] == "imported" and made["details"]["Service"] == "Whereby"
    assert made["links"][0] == {"role": "guest", "url": other, "label": "Whereby room",
                                "sensitive": False, "code": "their-room-0d6c5b4a"}
    # The account was read to look for it, and keeps its own meetings as they were.
    listed = run_cli_json(capsys, (KEY,), "list", "--offline")["meetings"]
    assert len([m for m in listed if m["account"] == "wb"]) == 12
    assert [m["id"] for m in listed if m["account"] == "imported"] == [made["id"]]


def test_an_unreachable_account_is_named_and_the_link_kept(env, capsys, monkeypatch):
    monkeypatch.setenv(ENV, "not-the-key-123456")  # the account answers 401
    room = "https://acme.whereby.com/support-9cf691bf"
    code, out, err = run_cli(capsys, "import", room, "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["account"] == "imported"
    # The account's error is quoted as a clause, without the provider named twice.
    assert ("note: wb could not be checked: GET /meetings → 401: Access token is missing or "
            "invalid; imported as a copy.") in err
    assert "not-the-key-123456" not in err
