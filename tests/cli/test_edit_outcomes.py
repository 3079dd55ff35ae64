"""What `meettui edit` tells: an edit that replaced the meeting says so on stderr, with
both ids (`--yes` skips the question that said it before), and an edit that gives the
meeting only its own values is "Nothing to change" (exit 2), sent to no provider. Against
a configured Whereby account on the simulator over 127.0.0.1, and eyeson's, whose
"Expires" is given as `--end`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK, EXIT_USAGE

WB_KEY = "edit-outcome-key-7c1e"
EY_KEY = "edit-outcome-eyeson-3f9a"
NOTHING = ("meettui: Nothing to change: the meeting already has every value given.\n"
           "  Nothing was sent; the meeting is as it was.\n")


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
    assert edited["id"] == room["id"] and "replaced_id" not in edited and "notice" not in edited


def test_an_edit_to_the_meeting_s_own_end_is_nothing_to_change(servers, capsys):
    # `edit ID --end <its end>` printed the meeting unchanged, exit 0 (Whereby: taken as a
    # new title alone; eyeson: sent). README: an edit that changes nothing is refused.
    room = made(capsys, "wb", "--end", "+1h")
    end = datetime.fromisoformat(room["ends_at"])
    permalink = made(capsys, "ey", "--end", "+2d")
    expires = datetime.fromisoformat(permalink["expires_at"])
    tries = [
        (room, ["--end", room["ends_at"]]),  # as `show --json` prints it
        (room, ["--end", f"{end:%Y-%m-%dT%H:%M}Z"]),  # to the minute, as `show` prints it
        (room, ["--end", room["ends_at"], "--title", "Intake"]),
        (room, ["--end", room["ends_at"], "--dry-run"]),
        (permalink, ["--end", permalink["expires_at"]]),  # "Expires" is given as --end
        (permalink, ["--end", expires.astimezone(UTC).isoformat(timespec="milliseconds")]),
        (permalink, ["--title", "Intake", "--json"]),
    ]
    for server in servers.values():
        server.sim.faults.queue("500")  # a request sent would take it
    for meeting, argv in tries:
        code, out, err = run_cli(capsys, "edit", meeting["id"], *argv, "--yes")
        assert (code, out, err) == (EXIT_USAGE, "", NOTHING), argv
    for server in servers.values():
        assert server.sim.faults.pending() == ["500"]  # no provider saw an edit
        server.sim.faults.clear_queue()
    for meeting in (room, permalink):
        code, out, _ = run_cli(capsys, "show", meeting["id"], "--refresh", "--json")
        shown = json.loads(out)
        assert (shown["id"], shown["ends_at"], shown["expires_at"], shown["links"]) == (
            meeting["id"], meeting["ends_at"], meeting["expires_at"], meeting["links"])
    # A real change still goes through.
    code, out, err = run_cli(capsys, "edit", permalink["id"], "--end", "+3d", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["expires_at"] != permalink["expires_at"]


def test_an_edit_of_a_meeting_marked_gone_is_refused_before_the_question(servers, capsys,
                                                                          monkeypatch):
    # It asked "… every link will change. Go ahead?" first, then said the meeting no
    # longer existed; without a terminal, it asked for --yes instead.
    import sys

    from meettui.core.cache import Cache
    from meettui.core.paths import cache_path

    room = made(capsys, "wb", "--end", "+1h")
    cache = Cache(cache_path())
    try:
        cache.mark_missing("wb", room["id"])
    finally:
        cache.close()
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "y")
    code, out, err = run_cli(capsys, "edit", room["id"], "--end", "+2h")
    assert asked == [] and out == ""
    assert code == 1
    assert err.startswith("meettui: 'Intake' (") and "no longer exists in 'wb'" in err
    assert "Nothing was saved." in err
