"""An edit of a meeting the provider no longer has is refused, for every provider: it
made a new Whereby room in place of the deleted one (`"warning": null`), and failed
elsewhere with the provider's own words."""

from __future__ import annotations

import json

import httpx
import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK
from meettui.core.cache import Cache

GONE = "no longer exists in '{account}': it was removed elsewhere. Nothing was saved."


def listed(capsys, *argv: str) -> list[dict]:
    code, out, err = run_cli(capsys, "list", *argv, "--json")
    assert code == EXIT_OK, err
    return json.loads(out)["meetings"]


@pytest.fixture
def demo(tmp_path, monkeypatch):
    # No config: the demo accounts, every provider on its in-process simulator.
    return isolate_paths(monkeypatch, tmp_path, tmp_path / "missing" / "config.toml")


def test_a_meeting_marked_gone_is_not_edited_by_any_provider(demo, capsys):
    meetings = listed(capsys)
    accounts = {m["account"] for m in meetings}
    refused = set()
    for account in sorted(accounts):
        tries = [(m, change) for m in meetings if m["account"] == account and not m["missing"]
                 for change in (["--end", "+3d"], ["--start", "+3d"])]
        for meeting, change in tries:
            argv = ("edit", meeting["id"], "-a", account, *change, "--yes")
            # One this provider would edit so (a dry run goes through)…
            if run_cli(capsys, *argv, "--dry-run")[0] != EXIT_OK:
                continue
            cache = Cache(demo / "cache.sqlite3")
            cache.mark_missing(account, meeting["id"])  # …that a sync no longer saw
            cache.close()
            code, out, err = run_cli(capsys, *argv, "--json")
            assert code == EXIT_ERROR and out == "", (account, err)
            assert GONE.format(account=account) in err
            after = {m["id"]: m for m in listed(capsys, "--offline", "-a", account)}
            kept = after[meeting["id"]]
            assert (kept["starts_at"], kept["ends_at"]) == (meeting["starts_at"],
                                                            meeting["ends_at"])
            assert len(after) == sum(m["account"] == account for m in meetings)  # none new
            refused.add(account)
            break
    # Every account that can edit and lists upstream was tried (Jitsi's rooms live
    # here only, and are never marked gone).
    assert refused >= {"whereby-demo", "eyeson-demo", "24sessions-demo",
                       "accelevents-demo", "vonage-demo"}


def test_an_action_on_a_meeting_marked_gone_is_said_as_an_edit_says_it(demo, capsys):
    # `meettui start ID` and `host add` of a deleted eyeson permalink said "GET
    # /permalink/… → 404 Not Found. It may have been deleted or expired upstream;
    # refresh the list." where `edit` said it no longer exists; 24sessions' cancel too.
    from meettui.core.registry import provider_class

    meetings = listed(capsys)
    tried = set()
    for account in sorted({m["account"] for m in meetings}):
        meeting = next(m for m in meetings if m["account"] == account and not m["missing"])
        actions = provider_class(meeting["provider"]).capabilities.actions
        action = next((a for a in actions if not a.removes), None)
        if action is None:
            continue
        cache = Cache(demo / "cache.sqlite3")
        cache.mark_missing(account, meeting["id"])
        cache.close()
        options = [arg for f in action.fields for arg in ("-o", f"{f.name}={_value(f)}")]
        code, out, err = run_cli(capsys, "action", meeting["id"], action.name, "-a",
                                 account, *options, "--yes", "--json")
        assert code == EXIT_ERROR and out == "", (account, err)
        assert "no longer exists in" in err and "Nothing was done." in err, err
        assert "refresh the list." not in err and "404" not in err
        tried.add(account)
    assert tried >= {"eyeson-demo", "24sessions-demo"}


def _value(field) -> str:
    return str(field.choices[0]) if field.choices else \
        {"bool": "true", "int": "1"}.get(field.kind.value, "Bob")


WB_KEY = "gone-test-key-41d7"


@pytest.fixture
def whereby(tmp_path, monkeypatch, sim_server, sim_clock):
    """A configured Whereby account on the simulator over 127.0.0.1; (server, delete):
    `delete(id)` removes a room upstream, as its API does."""
    server = sim_server("whereby", clock=sim_clock, meetings=2, api_key=WB_KEY,
                        rate_limit=1_000_000)
    config = tmp_path / "config.toml"
    config.write_text('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = '
                      f'"whereby"\nbase_url = "{server.base_url}"\nsecret_env = "WB_GONE"\n',
                      encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("WB_GONE", WB_KEY)

    def delete(meeting_id: str) -> None:
        answer = httpx.delete(f"{server.base_url}/meetings/{meeting_id}",
                              headers={"Authorization": f"Bearer {WB_KEY}"})
        assert answer.status_code == 204

    return server, delete


def upstream_ids(server) -> set[str]:
    answer = httpx.get(f"{server.base_url}/meetings", params={"limit": 100},
                       headers={"Authorization": f"Bearer {WB_KEY}"})
    return {m["meetingId"] for m in answer.json()["results"]}


def create(capsys) -> dict:
    code, out, err = run_cli(capsys, "create", "-a", "wb", "-t", "Gone soon", "--end", "+1h",
                             "--json")
    assert code == EXIT_OK, err
    return json.loads(out)


def test_a_whereby_room_listed_as_gone_is_not_recreated(whereby, capsys):
    server, delete = whereby
    room = create(capsys)
    delete(room["id"])
    shown = {m["id"]: m for m in listed(capsys)}
    assert shown[room["id"]]["missing"] is True  # the list shows it "(gone)"
    before = upstream_ids(server)
    code, out, err = run_cli(capsys, "edit", room["id"], "--end", "+2h", "--yes", "--json")
    assert code == EXIT_ERROR and out == ""
    assert err.startswith(f"meettui: 'Gone soon' ({room['id']}) {GONE.format(account='wb')}")
    assert upstream_ids(server) == before  # no new room


def test_a_whereby_room_deleted_since_the_last_list_is_not_recreated(whereby, capsys):
    server, delete = whereby
    room = create(capsys)
    delete(room["id"])  # not listed since: the cache still has it as it was
    before = upstream_ids(server)
    for dry in (["--dry-run"], []):
        code, out, err = run_cli(capsys, "edit", room["id"], "--end", "+2h", "--yes",
                                 "--json", *dry)
        assert code == EXIT_ERROR and out == ""
        assert GONE.format(account="wb") in err
    assert upstream_ids(server) == before
    assert {m["id"]: m for m in listed(capsys, "--offline")}[room["id"]]["missing"] is True


def test_a_whereby_room_still_there_is_recreated_as_before(whereby, capsys):
    server, _ = whereby
    room = create(capsys)
    code, out, err = run_cli(capsys, "edit", room["id"], "--end", "+2h", "--yes", "--json")
    assert code == EXIT_OK, err
    edited = json.loads(out)
    assert edited["replaced_id"] == room["id"] and "warning" not in edited
    assert edited["id"] in upstream_ids(server) and room["id"] not in upstream_ids(server)


def test_a_meeting_marked_gone_is_only_forgotten_by_any_provider(demo, capsys):
    # The question said "Delete" (or "Cancel") of a meeting the provider no longer has,
    # as if its links would stop working now; it is forgotten, nothing sent.
    meetings = listed(capsys)
    asked = set()
    for account in sorted({m["account"] for m in meetings}):
        meeting = next(m for m in meetings if m["account"] == account)
        argv = ("delete", meeting["id"], "-a", account)
        if "cannot be deleted" in run_cli(capsys, *argv, "--dry-run")[2]:
            continue
        cache = Cache(demo / "cache.sqlite3")
        cache.mark_missing(account, meeting["id"])
        cache.close()
        code, _out, err = run_cli(capsys, *argv)  # no terminal: the question is said
        assert code != EXIT_OK
        said = " ".join(err.split())
        assert "Forget (gone at the provider already; only meettui's copy goes) " in said, \
            (account, said)
        code, out, err = run_cli(capsys, *argv, "--yes", "--json")
        assert code == EXIT_OK, err
        assert json.loads(out)["result"] == "gone"  # gone upstream
        assert meeting["id"] not in {m["id"] for m in listed(capsys, "--offline", "-a",
                                                             account)}
        asked.add(account)
    # (Vonage's rooms are never deleted: they expire on their own.)
    assert asked >= {"whereby-demo", "eyeson-demo", "24sessions-demo", "accelevents-demo"}


def test_a_whereby_room_marked_gone_is_forgotten_and_nothing_is_sent(whereby, capsys,
                                                                     tmp_path):
    server, _ = whereby
    room = create(capsys)
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.mark_missing("wb", room["id"])  # the last sync did not see it
    cache.close()
    code, out, err = run_cli(capsys, "delete", room["id"], "--yes", "--json")
    assert code == EXIT_OK, err
    assert room["id"] in upstream_ids(server)  # nothing was sent
    assert room["id"] not in {m["id"] for m in listed(capsys, "--offline")}
