import json
import sys

import pytest

from ahead import NEXT_YEAR
from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main


@pytest.fixture
def env(tmp_path, monkeypatch):
    return isolate_paths(monkeypatch, tmp_path)


def run(capsys, *argv):
    return run_cli(capsys, *argv)


def test_create_list_show_delete_round_trip(env, capsys):
    code, out, _ = run(capsys, "create", "--account", "jitsi", "--title", "Weekly standup",
                       "--start", f"{NEXT_YEAR}-12-01T10:00:00+00:00", "--end", "+1d", "--json")
    assert code == EXIT_OK
    created = json.loads(out)
    room = created["id"]
    assert room.startswith("WeeklyStandup-")
    assert created["links"] == [
        {"role": "guest", "url": f"https://meet.jit.si/{room}", "label": "Room link",
         "sensitive": False}
    ]
    assert "log in" in created["details"]["Moderator"]
    assert created["starts_at"] == f"{NEXT_YEAR}-12-01T10:00:00Z"

    code, out, _ = run(capsys, "list", "--account", "jitsi", "--json")
    assert code == EXIT_OK
    listed = json.loads(out)["meetings"]
    assert [m["id"] for m in listed] == [room]

    code, out, _ = run(capsys, "show", room, "--json")
    assert code == EXIT_OK
    assert json.loads(out)["title"] == "Weekly standup"

    code, out, _ = run(capsys, "delete", room, "--yes", "--json")
    assert code == EXIT_OK
    assert json.loads(out) == {"schema_version": 2, "id": room, "account": "jitsi",
                               "result": "local"}

    code, out, _ = run(capsys, "list", "--account", "jitsi", "--json")
    assert json.loads(out)["meetings"] == []


def test_a_room_name_drops_escape_sequences_and_hidden_characters_whole(env, capsys):
    # The README says escape sequences are dropped whole: the room was
    # "BoldRedBoom31mRED0mEvilTail-…", the letters of `ESC [31m` and `ESC [0m` kept.
    code, out, err = run(capsys, "create", "-a", "jitsi", "-t",
                         "[bold red]Boom[/] \x1b[31mRED\x1b[0m \u202eevil\u202c tail",
                         "--json")
    assert code == EXIT_OK, err
    room = json.loads(out)["id"]
    assert room.startswith("BoldRedBoomREDEvilTail-") and room.isascii() and room.isprintable()


def test_accounts_json_lists_builtin_jitsi(env, capsys):
    code, out, _ = run(capsys, "accounts", "--json")
    assert code == EXIT_OK
    accounts = {a["name"]: a for a in json.loads(out)["accounts"]}
    assert accounts["jitsi"]["provider"] == "jitsi"
    assert accounts["jitsi"]["health"] == "local only"
    # Its meetings live in the cache only: every one of them is there. It said false,
    # as of a remote list never read to its end.
    assert accounts["jitsi"]["complete"] is True


def test_edit_keeps_the_jitsi_link(env, capsys):
    _, out, _ = run(capsys, "create", "-a", "jitsi", "-t", "Before", "--json")
    room = json.loads(out)["id"]
    code, out, _ = run(capsys, "edit", room, "-t", "After", "--json")
    assert code == EXIT_OK
    edited = json.loads(out)
    assert edited["title"] == "After" and edited["id"] == room


def test_delete_without_yes_and_no_terminal_refuses(env, capsys):
    _, out, _ = run(capsys, "create", "-a", "jitsi", "-t", "Keep me", "--json")
    room = json.loads(out)["id"]
    code, _, err = run(capsys, "delete", room)
    assert code == EXIT_USAGE
    assert "--yes" in err
    _, out, _ = run(capsys, "list", "--account", "jitsi", "--json")
    assert len(json.loads(out)["meetings"]) == 1


def test_unknown_id_is_a_clear_error(env, capsys):
    code, _, err = run(capsys, "show", "nope")
    assert code == EXIT_ERROR
    assert "No cached meeting with id 'nope'" in err


def test_unknown_account(env, capsys):
    code, _, err = run(capsys, "create", "-a", "ghost", "-t", "x")
    assert code == EXIT_ERROR
    assert "No account named 'ghost'" in err


def test_bad_time_is_a_usage_error(env, capsys):
    code, _, err = run(capsys, "create", "-a", "jitsi", "-t", "x", "--start", "tomorrow-ish")
    assert code == EXIT_USAGE
    assert "ISO 8601" in err


def test_missing_title_is_a_validation_error(env, capsys):
    code, _, err = run(capsys, "create", "-a", "jitsi")
    assert code == EXIT_USAGE  # meettui's own check: nothing was made
    assert "needs a title" in err


def test_broken_config_gives_one_clear_message(env, capsys):
    (env / "config.toml").write_text("[[accounts]]\nname = 'x'\nprovider = \n")
    code, _, err = run(capsys, "accounts")
    assert code == EXIT_ERROR
    assert "config.toml" in err and "line 3" in err
    assert "Traceback" not in err


def test_usage_error_exits_2(env, capsys):
    with pytest.raises(SystemExit) as info:
        main(["create"])
    assert info.value.code == EXIT_USAGE


def test_locate(env, capsys):
    code, out, _ = run(capsys, "locate", "--json")
    places = json.loads(out)
    assert places["config"] == str(env / "config.toml")
    assert places["cache"] == str(env / "cache.sqlite3")
    assert places["log"] == str(env / "meettui.log")


def test_markup_title_is_printed_literally(env, capsys, monkeypatch):
    evil = "[bold red]x[/] \x1b[31mred\x1b[0m"
    _, out, _ = run(capsys, "create", "-a", "jitsi", "-t", evil, "--json")
    room = json.loads(out)["id"]
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # text output, as on a terminal
    code, out, _ = run(capsys, "show", room)
    assert code == EXIT_OK
    assert "[bold red]x[/]" in out
    assert "\x1b" not in out
    assert "\\x1b[31mred" in out


def test_a_switch_takes_yes_or_no_and_refuses_other_words(env, capsys):
    # `-o readable=banana` made a room, read as a no, where other providers refused it.
    code, out, err = run(capsys, "create", "-a", "jitsi", "-t", "Banana", "-o",
                         "readable=banana")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("meettui: jitsi: readable must be true or false (yes/no, on/off, "
                          "1/0), not 'banana'.\n")
    code, out, _ = run(capsys, "list", "--account", "jitsi", "--json")
    assert json.loads(out)["meetings"] == []
    code, out, err = run(capsys, "create", "-a", "jitsi", "-t", "Words", "-o",
                         "readable=YES", "--json")
    assert code == EXIT_OK, err
    # A readable name is words after the title (`Words-OrchidPrairie…`), not letters.
    suffix = json.loads(out)["id"].removeprefix("Words-")
    assert suffix[:1].isupper() and suffix.isalpha()
