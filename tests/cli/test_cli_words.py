"""Small messages of the command line, each as a tester met it against the demo accounts
(no config file: in-process simulators, started afresh from one seed by every command):
the join data's token line, a delete of a meeting gone upstream, `--hard` where there is
no delete, an eyeson create without a name, a Jitsi dry run's times, and filters given
no value."""

from __future__ import annotations

import json

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK, EXIT_USAGE


@pytest.fixture
def env(tmp_path, monkeypatch):
    return isolate_paths(monkeypatch, tmp_path, tmp_path / "missing" / "config.toml")


def listed(capsys, account: str) -> list[dict]:
    code, out, err = run_cli(capsys, "list", "-a", account, "--json")
    assert code == EXIT_OK, err
    return json.loads(out)["meetings"]


def test_the_join_token_line_says_how_to_have_it_whole(env, capsys):
    # "JoinToken: •••••••• (never stored; copy the join data as JSON)": the app's
    # words, on the command line, where `--reveal --json` prints it.
    sessions = [m["id"] for m in listed(capsys, "accelevents-demo")
                if m["status"] in ("live", "scheduled")]
    joined = next(out for sid in sessions
                  for code, out, _ in [run_cli(capsys, "join", sid, "--text")]
                  if code == EXIT_OK)
    assert "  JoinToken: •••••••• (never stored; a join shows it again)\n" in joined
    assert ("  Join data (Chime) (credentials masked; `--reveal --json` prints them whole, "
            "for a client)\n") in joined
    assert "copy the join data" not in joined


def test_a_delete_of_a_meeting_gone_upstream_says_it_was_gone(env, capsys):
    # `"result": "delete"` said it was deleted; the demo's simulator starts afresh with
    # every command, so a permalink made by one is gone upstream for the next.
    made = json.loads(run_cli(capsys, "create", "-a", "eyeson-demo", "-t", "Brief",
                              "--json")[1])
    code, out, err = run_cli(capsys, "delete", made["id"], "--yes", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out) == {"schema_version": 2, "id": made["id"],
                               "account": "eyeson-demo", "result": "gone"}
    code, _, _ = run_cli(capsys, "show", made["id"])
    assert code != EXIT_OK  # forgotten here too
    made = json.loads(run_cli(capsys, "create", "-a", "eyeson-demo", "-t", "Brief",
                              "--json")[1])
    code, out, _ = run_cli(capsys, "delete", made["id"], "--yes", "--text")
    assert (code, out) == (EXIT_OK, f"gone: {made['id']} (gone upstream already: "
                                    "forgotten here)\n")


def test_the_schema_documents_the_gone_result(capsys):
    code, out, _ = run_cli(capsys, "schema", "delete")
    assert code == EXIT_OK
    result = json.loads(out)["$defs"]["DeleteDoc"]["properties"]["result"]
    assert result["enum"] == ["delete", "cancel", "local", "gone"]


def test_hard_where_there_is_no_delete_at_all_says_so(env, capsys):
    # "has no delete besides its default" where there is no delete at all.
    room = listed(capsys, "vonage-demo")[0]["id"]
    code, out, err = run_cli(capsys, "delete", room, "--hard", "--yes")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == ("meettui: This meeting cannot be deleted (Vonage Meetings has no delete, "
                   "with --hard or without); it expires on its own.\n")
    made = json.loads(run_cli(capsys, "create", "-a", "jitsi", "-t", "Desk", "--json")[1])
    code, _, err = run_cli(capsys, "delete", made["id"], "--hard", "--yes")
    assert code == EXIT_USAGE
    assert err == ("meettui: jitsi (jitsi) deletes nothing for good: a delete only forgets "
                   "the meeting here (its link keeps working); leave out --hard\n")


def test_an_eyeson_create_without_a_name_is_refused(env, capsys):
    # It made a permalink named after its first host, "Host", where every provider
    # whose meetings have a name upstream refuses a create without one.
    for argv in ([], ["-t", "  "], ["--dry-run"]):
        code, out, err = run_cli(capsys, "create", "-a", "eyeson-demo", *argv)
        assert (code, out) == (EXIT_USAGE, ""), argv
        assert err == ("meettui: eyeson-demo (eyeson): An eyeson permalink needs a name (the "
                       "room name people see).\n  Give --title as the message says, and run "
                       "the command again.\n"), argv


def test_a_jitsi_dry_run_shows_the_times_it_worked_out(env, capsys):
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", "Standup", "--start",
                             "2030-05-06T10:00+00:00", "--end", "+30m", "--dry-run",
                             "--json")
    assert code == EXIT_OK, err
    (local,) = json.loads(out)["local"]
    assert local.endswith("; starts_at: 2030-05-06T10:00:00+00:00; ends_at: "
                          "2030-05-06T10:30:00+00:00")


@pytest.mark.parametrize(("query", "said"), [
    ("status:", "'status:' gives no value (say one: status:live, account:NAME)"),
    ("account:", "'account:' gives no value (say one: status:live, account:NAME)"),
    ("standup s:", "'s:' gives no value (say one: status:live, account:NAME)"),
    (":", "':' names no filter and no value (status:live, account:NAME)"),
])
def test_a_filter_given_no_value_is_said(env, capsys, query, said):
    # `status:` and `account:` matched nothing without a word, `:` everything (every
    # link holds one).
    run_cli(capsys, "create", "-a", "jitsi", "-t", "Standup", "--json")
    code, out, err = run_cli(capsys, "list", "--offline", "--query", query, "--json")
    assert code == EXIT_OK
    listed_ = json.loads(out)
    assert (listed_["matched"], listed_["query_warnings"]) == (
        0, [f"the query can match nothing: {said}"])
    assert err == f"meettui: the query can match nothing: {said}\n"
    # A word that only looks like a key (a link's scheme) is still a word.
    code, out, _ = run_cli(capsys, "list", "--offline", "--query", "https:", "--json")
    assert json.loads(out)["matched"] == 1
