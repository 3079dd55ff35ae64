"""The command line against files that are not what meettui expects: one paragraph
naming the file, what happened and what to do; exit 1; never a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import file_page_size, make_meeting
from meettui import cli
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from meettui.core.cache import Cache
from meettui.core.clock import SystemClock


@pytest.fixture
def env(monkeypatch, tmp_path):
    return isolate_paths(monkeypatch, tmp_path)


def _jitsi_meeting(capsys) -> str:
    code, out, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", "Kept here only", "--json")
    assert code == EXIT_OK
    return json.loads(out)["id"]


def test_a_cache_of_random_bytes_is_moved_aside_and_said_once(env, capsys):
    (env / "cache.sqlite3").write_bytes(bytes(range(256)) * 8)
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_OK
    assert json.loads(out) == {"schema_version": 2, "meetings": [], "sync_errors": [],
                               "query_warnings": [], "matched": 0, "truncated": False,
                               "offset": 0, "next_offset": None,
                               "next_after": None, "added_before": 0}
    moved = [p for p in env.iterdir() if p.name.startswith("cache.sqlite3.broken-")]
    assert len(moved) == 1
    assert err.startswith(f"meettui: The cache {env / 'cache.sqlite3'} could not be read")
    assert str(moved[0]) in err and "Traceback" not in err
    # The fresh cache works, and the notice is not repeated.
    _jitsi_meeting(capsys)
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_OK and err == ""
    assert [m["title"] for m in json.loads(out)["meetings"]] == ["Kept here only"]


def test_a_cache_damaged_in_the_middle(env, capsys):
    path = env / "cache.sqlite3"
    cache = Cache(path)
    cache.upsert_page("jitsi", [make_meeting(i, account="jitsi") for i in range(2000)])
    with cache._lock:
        cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    # Page 2 is the meetings table's root (the first table v1 made): the schema still
    # reads (the file opens), the rows do not.
    page = file_page_size(path)
    with open(path, "r+b") as handle:
        handle.seek(page)
        handle.write((bytes(range(256)) * (page // 256 + 1))[:page])
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_ERROR and out == ""
    assert err.startswith(f"meettui: The cache {env / 'cache.sqlite3'} failed: database disk "
                          "image is malformed.")
    assert "Traceback" not in err


def test_cache_variable_at_a_directory(env, capsys, monkeypatch):
    folder = env / "cachedir"
    folder.mkdir()
    monkeypatch.setenv("MEETTUI_CACHE", str(folder))
    code, out, err = run_cli(capsys, "list", "--offline")
    assert code == EXIT_ERROR and out == ""
    assert err.startswith(f"meettui: MEETTUI_CACHE points at {folder}, which is a directory")
    assert "Traceback" not in err


def test_config_variable_at_a_directory(env, capsys, monkeypatch):
    monkeypatch.setenv("MEETTUI_CONFIG", str(env))
    code, _, err = run_cli(capsys, "accounts")
    assert code == EXIT_ERROR
    assert f"MEETTUI_CONFIG points at {env}, which is a directory" in err
    assert "Traceback" not in err



def test_a_config_that_is_a_named_pipe_is_refused_not_waited_on(env, capsys, monkeypatch):
    # `meettui accounts` waited for a writer to the pipe, for ever.
    pipe = env / "pipe.toml"
    os.mkfifo(pipe)
    monkeypatch.setenv("MEETTUI_CONFIG", str(pipe))
    code, out, err = run_cli(capsys, "accounts")
    assert (code, out) == (EXIT_ERROR, "")
    assert err == (f"meettui: The config file {pipe} (set by MEETTUI_CONFIG) is a named "
                   "pipe, not a file.\n  Point meettui at a TOML file: move it aside, point "
                   "MEETTUI_CONFIG at another file, or unset it.\n")



def test_a_cache_that_is_a_pipe_or_device_is_refused_and_never_moved(env, capsys,
                                                                     monkeypatch):
    # A device was read as "not an SQLite file" and moved aside: /dev/zero was renamed
    # and a fresh file put in its place (as root); a named pipe was waited on for ever.
    pipe = env / "pipe.sqlite3"
    os.mkfifo(pipe)
    targets = [pipe]
    if os.geteuid() == 0:  # only root makes device nodes
        device = env / "zero.sqlite3"
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        targets.append(device)
    for target, what in zip(targets, ("a named pipe", "a device"), strict=False):
        before = os.stat(target)
        monkeypatch.setenv("MEETTUI_CACHE", str(target))
        for argv in (("list", "--offline"), ("list", "--offline", "--json")):
            code, out, err = run_cli(capsys, *argv)
            assert (code, out) == (EXIT_ERROR, ""), err
            assert err == (f"meettui: The cache {target} (set by MEETTUI_CACHE) is {what}, "
                           f"not a file.\n  Set MEETTUI_CACHE to a file, e.g. "
                           f"{env / 'cache.sqlite3'}, or unset it.\n")
        after = os.stat(target)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert not [p for p in env.iterdir() if ".broken-" in p.name]


def test_dev_null_as_the_config_is_no_config(env, capsys, monkeypatch):
    # Refused as "a device" once pipes and devices were; /dev/null says "nothing".
    monkeypatch.setenv("MEETTUI_CONFIG", os.devnull)
    code, out, err = run_cli(capsys, "accounts", "--json")
    assert code == EXIT_OK, err
    assert "jitsi" in {account["name"] for account in json.loads(out)["accounts"]}

def test_a_config_link_that_loops_is_not_told_to_chmod(env, capsys, monkeypatch):
    loop = env / "loop.toml"
    loop.symlink_to(loop)
    monkeypatch.setenv("MEETTUI_CONFIG", str(loop))
    code, _, err = run_cli(capsys, "accounts")
    assert code == EXIT_ERROR
    assert err.splitlines()[1] == (f"  {loop} is a symbolic link that leads round in a loop: "
                                   "point it at a file (ls -l shows where it leads). Or "
                                   "point MEETTUI_CONFIG at another file, or unset it.")
    assert "chmod" not in err


def test_a_cache_path_through_a_file_names_the_file_not_chmod(env, capsys, monkeypatch):
    blocker = env / "afile"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("MEETTUI_CACHE", str(blocker / "c.sqlite3"))
    code, _, err = run_cli(capsys, "list", "--offline")
    assert code == EXIT_ERROR
    assert err.splitlines()[1] == (f"  {blocker} is a file where the path needs a folder: "
                                   "move it aside or choose another path. Or set "
                                   "MEETTUI_CACHE to another file.")
    assert "chmod" not in err

def test_config_with_a_byte_order_mark_is_accepted(env, capsys):
    (env / "config.toml").write_bytes(
        b'\xef\xbb\xbf[[accounts]]\nname = "work"\nprovider = "jitsi"\n')
    code, out, err = run_cli(capsys, "accounts", "--json")
    assert code == EXIT_OK, err
    assert [a["name"] for a in json.loads(out)["accounts"]] == ["jitsi", "work"]


def test_config_that_is_not_utf8(env, capsys):
    (env / "config.toml").write_bytes(b'[[accounts]]\nname = "caf\xe9"\nprovider = "jitsi"\n')
    code, _, err = run_cli(capsys, "accounts")
    assert code == EXIT_ERROR
    assert f"{env / 'config.toml'}, line 2: not UTF-8 text" in err
    assert "Traceback" not in err


def test_log_variable_at_a_directory_still_runs(env, capsys, monkeypatch):
    folder = env / "logs"
    folder.mkdir()
    monkeypatch.setenv("MEETTUI_LOG", str(folder))
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_OK and json.loads(out)["meetings"] == []
    assert "MEETTUI_LOG" in err and str(folder) in err and "Traceback" not in err


def test_locate_lists_every_place_with_its_variable(env, capsys, monkeypatch):
    monkeypatch.setenv("MEETTUI_THEMES", str(env / "themes"))
    code, out, _ = run_cli(capsys, "locate", "--json")
    assert code == EXIT_OK
    assert json.loads(out) == {
        "schema_version": 2,
        "config": str(env / "config.toml"),
        "cache": str(env / "cache.sqlite3"),
        "log": str(env / "meettui.log"),
        "themes": str(env / "themes"),
    }
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, _ = run_cli(capsys, "locate")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["config", "cache", "log", "themes"]
    assert lines[0].endswith("(from MEETTUI_CONFIG)")
    assert lines[3].endswith("(from MEETTUI_THEMES)")
    code, out, _ = run_cli(capsys, "locate", "themes")
    assert out == f"{env / 'themes'}\n"


def test_locate_one_place_is_a_bare_path_piped_or_not_and_never_with_json(env, capsys,
                                                                          monkeypatch):
    # `meettui locate cache --json` printed the bare path, ignoring --json.
    for tty in (False, True):
        monkeypatch.setattr("sys.stdout.isatty", lambda tty=tty: tty)
        code, out, _ = run_cli(capsys, "locate", "cache")
        assert (code, out) == (EXIT_OK, f"{env / 'cache.sqlite3'}\n")
    code, out, err = run_cli(capsys, "locate", "cache", "--json")
    assert code == EXIT_USAGE and out == ""
    assert err == ("meettui: `locate cache` prints the bare path; for JSON, `meettui locate "
                   "--json` gives every path, this one under \"cache\"\n")


def test_demo_runs_a_day_apart_keep_one_row_per_meeting(env, capsys, monkeypatch):
    """Each demo start builds its simulators again; the seeded meetings must come back
    with the same ids, or the cache fills with copies marked missing."""
    now = datetime(2026, 11, 29, 18, 34, 17, tzinfo=UTC)
    for day in range(2):
        at = now + timedelta(days=day, minutes=7 * day)
        monkeypatch.setattr(SystemClock, "now", lambda self, at=at: at)
        code, out, err = run_cli(capsys, "list", "--json")
        assert code == EXIT_OK, err
        rows = json.loads(out)["meetings"]
        accounts = Counter(m["account"] for m in rows)
        assert accounts["eyeson-demo"] > 0 and accounts["whereby-demo"] > 0
        # Titles may repeat within an account (a customer booked twice); copies of one
        # meeting would make a title appear more often on the second run than the first.
        titles = Counter((m["account"], m["title"]) for m in rows)
        assert [m["id"] for m in rows if m["missing"]] == []
        if day == 0:
            first, first_titles = {(m["account"], m["id"]) for m in rows}, titles
    assert titles == first_titles
    assert {(m["account"], m["id"]) for m in rows} == first


@pytest.mark.parametrize(("variable", "what"), [
    ("MEETTUI_CACHE", "The config file and the cache"),
    ("MEETTUI_LOG", "The config file and the log")])
@pytest.mark.parametrize("argv", [["list", "--offline"], ["accounts"], ["--debug", "list"]])
def test_two_files_that_are_one_are_refused_before_either_is_touched(
        env, capsys, monkeypatch, variable, what, argv):
    # With MEETTUI_CACHE set to the config file, the cache moved the config aside as
    # "not a database"; with MEETTUI_LOG, log lines were appended to it.
    config = env / "config.toml"
    config.write_text("builtin_jitsi = true\n")
    monkeypatch.setenv(variable, str(env / "alias.toml"))
    (env / "alias.toml").symlink_to(config)
    code, out, err = run_cli(capsys, *argv)
    assert code == EXIT_ERROR and out == ""
    assert err.startswith(f"meettui: {what} are one file: {config} and {env / 'alias.toml'}.")
    assert "meettui locate" in err
    assert config.read_text() == "builtin_jitsi = true\n"
    assert sorted(p.name for p in env.iterdir()) == ["alias.toml", "config.toml"]
    code, out, _ = run_cli(capsys, "locate", "--json")
    assert code == EXIT_OK and json.loads(out)["config"] == str(config)


@pytest.mark.parametrize("argv", [("list", "--offline", "--json"), ("list", "--offline"),
                                  ("list",), ("show", "m000001"), ()])
def test_a_cache_another_process_holds_is_said_to_be_in_use(env, capsys, monkeypatch,
                                                            argv):
    # (No command: the app, which stops before it starts.) It said after 5 s (10 s for
    # `list --offline --json`: its quick path waited too)
    # "database is locked. Make it and its folder writable by you (chmod u+rw …)".
    import sqlite3
    import time

    from meettui.core import cache_transactions

    path = env / "cache.sqlite3"
    cache = Cache(path)
    cache.upsert(make_meeting(1))
    cache.close()
    monkeypatch.setattr(cache_transactions, "BUSY_TIMEOUT_MS", 300)
    # (The app starts only at a terminal: without one it gives the usage.)
    monkeypatch.setattr(cli, "_at_a_terminal", lambda: True)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        began = time.monotonic()
        code, out, err = run_cli(capsys, *argv)
        waited = time.monotonic() - began
    finally:
        holder.close()
    assert code == EXIT_ERROR and out == ""
    assert err.startswith(f"meettui: Cannot open the cache {path} (set by MEETTUI_CACHE): "
                          "another process is using it (database is locked).\n"
                          "  It may be another meettui")
    assert "chmod" not in err and "try again" in err
    assert waited < 3  # one wait of the cache's, not the quick path's 5 s before it



def test_a_filtered_list_reads_while_another_process_writes_the_cache(env, capsys,
                                                                     monkeypatch):
    # `list --offline --query` waited for the lock to index the rows the last write
    # noted, and failed ("in use by another process"), where `list --offline` read.
    from meettui.core import cache_transactions

    path = env / "cache.sqlite3"
    cache = Cache(path)
    words = ("alpha", "bravo", "charlie")
    cache.upsert_page("jitsi", [make_meeting(i, account="jitsi",
                                             title=f"Desk {words[i % 3]} {i}")
                                for i in range(30)])
    assert cache.index_waiting()
    cache.close()
    monkeypatch.setattr(cache_transactions, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a writer: readers of the WAL go on
    try:
        code, out, err = run_cli(capsys, "list", "--offline", "--query", "desk bravo",
                                 "--json")
    finally:
        holder.close()
    assert code == EXIT_OK, err
    assert sorted(m["title"] for m in json.loads(out)["meetings"]) == sorted(
        f"Desk bravo {i}" for i in range(1, 30, 3))
    cache = Cache(path)
    try:
        assert cache.index_waiting()  # left for a later write to index
    finally:
        cache.close()

def test_accounts_say_a_config_failure_and_what_to_do(env, capsys, monkeypatch):
    # Every sync failed for a config reason, and `meettui accounts` said nothing of it:
    # a Vonage key that is not PEM showed "deprecated service". (A base_url that is no
    # http address is refused when the config loads: tests/cli/test_config_urls.py.)
    (env / "config.toml").write_text(
        "builtin_jitsi = false\n"
        '[[accounts]]\nname = "vn"\nprovider = "vonage"\nsecret_env = "VN_TEST_KEY"\n'
        'base_url = "http://127.0.0.1:9/v1/meetings"\n'
        '[accounts.settings]\napplication_id = "11111111-2222-3333-4444-555555555555"\n',
        encoding="utf-8")
    monkeypatch.setenv("VN_TEST_KEY", "not a pem")
    code, _, _ = run_cli(capsys, "list", "--json")
    assert code == EXIT_ERROR
    # A later process: what the failures left, with what to do.
    code, out, _ = run_cli(capsys, "accounts", "--json")
    assert code == EXIT_OK
    said = {a["name"]: (a["health"], a["message"]) for a in json.loads(out)["accounts"]}
    health, message = said["vn"]
    assert health == "needs credentials"
    assert message.startswith("vn (vonage): the private key is not a PEM RSA private key. "
                              "Set the account's private key")
    code, out, _ = run_cli(capsys, "accounts", "--text")
    assert "needs credentials  never\n  vn (vonage): the private key is not a PEM" in out


def test_a_failure_of_an_accounts_credentials_names_the_account(env, capsys, monkeypatch,
                                                                whereby_server):
    # "whereby: POST /meetings cannot be sent: …" and "vonage: the private key is not a
    # PEM RSA private key": with two accounts of a provider, which one? Every failure
    # names the account, then its provider, whatever command met it.
    (env / "config.toml").write_text(
        "builtin_jitsi = false\n"
        '[[accounts]]\nname = "vn"\nprovider = "vonage"\nsecret_env = "VN_TEST_KEY"\n'
        'base_url = "http://127.0.0.1:9/v1/meetings"\n'
        '[accounts.settings]\napplication_id = "11111111-2222-3333-4444-555555555555"\n'
        '[[accounts]]\nname = "team-b"\nprovider = "whereby"\nsecret_env = "WB_TEST_KEY"\n'
        # (A server that answers: httpx refuses the header once it is connected.)
        f'base_url = "{whereby_server.base_url}"\n', encoding="utf-8")
    monkeypatch.setenv("VN_TEST_KEY", "not a pem")
    monkeypatch.setenv("WB_TEST_KEY", "wb\nkey")
    code, _, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_ERROR
    assert "meettui: vn (vonage): the private key is not a PEM RSA private key" in err
    # (A key with a line break is never sent: the variable to fix is named.)
    unsendable = ("team-b (whereby): its api key ($WB_TEST_KEY) holds characters no HTTP "
                  "header can carry")
    assert f"meettui: {unsendable}" in err
    code, _, err = run_cli(capsys, "create", "-a", "team-b", "-t", "x", "--end", "+1h")
    assert code == EXIT_ERROR
    assert err.startswith(f"meettui: {unsendable}")
    code, _, err = run_cli(capsys, "create", "-a", "vn", "-t", "x", "--end", "+1d")
    assert code == EXIT_ERROR
    assert err.startswith("meettui: vn (vonage): the private key is not a PEM RSA private key")
    code, out, _ = run_cli(capsys, "accounts", "--json")
    said = {a["name"]: a["message"] for a in json.loads(out)["accounts"]}
    assert said["team-b"].startswith(unsendable)
    assert said["vn"].startswith("vn (vonage): the private key is not a PEM")


def test_a_log_the_app_cannot_write_is_said_by_the_app_not_behind_it(env, capsys,
                                                                      monkeypatch):
    # On stderr before the app started, the line was hidden behind it and shown after
    # `q`; the app never said it.
    from meettui.tui import app as tui_app

    blocker = env / "somefile"
    blocker.write_text("x")
    monkeypatch.setenv("MEETTUI_LOG", str(blocker / "sub" / "log"))
    monkeypatch.setattr(cli, "_at_a_terminal", lambda: True)
    given = []
    monkeypatch.setattr(tui_app, "run_app",
                        lambda service, *, log_problem=None, terminal=None:
                        given.append(log_problem) or 0)
    code, _out, err = run_cli(capsys)
    assert code == EXIT_OK and err == ""
    [problem] = given
    assert problem is not None and problem.startswith(
        f"Cannot write the log {blocker / 'sub' / 'log'} (not a directory); running "
        "without a log this time. Point MEETTUI_LOG at")


def test_a_bug_says_the_log_cannot_hold_its_details_when_it_cannot(env, capsys,
                                                                     monkeypatch):
    blocker = env / "somefile"
    blocker.write_text("x")
    monkeypatch.setenv("MEETTUI_LOG", str(blocker / "log"))

    def broken(args):
        raise RuntimeError("boom")

    from meettui.cli import locate

    monkeypatch.setattr(locate, "cmd_locate", broken)
    code, _out, err = run_cli(capsys, "locate")
    assert code == EXIT_ERROR
    assert "unexpected error: RuntimeError: boom" in err
    assert "The log cannot be written this run, so the details are not kept: run the " \
           "command again with --debug to see them here." in err
    assert "The details are in the log" not in err


def test_accounts_says_what_to_do_about_refused_credentials(env, capsys, monkeypatch,
                                                            whereby_server):
    # `list` said "… → 401 … check $VAR"; `meettui accounts` then said "auth failed"
    # and the request alone.
    (env / "config.toml").write_text(
        'builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "whereby"\n'
        f'secret_env = "WB_TEST_KEY"\nbase_url = "{whereby_server.base_url}"\n',
        encoding="utf-8")
    monkeypatch.setenv("WB_TEST_KEY", "not-the-key-1234")
    code, _, err = run_cli(capsys, "list", "--text")
    assert code == EXIT_ERROR
    hint = ("The provider refused the credentials of account 'team' ($WB_TEST_KEY): check "
            "that they are current and belong to this account.")
    assert hint in err
    code, out, _ = run_cli(capsys, "accounts", "--text")
    assert code == EXIT_OK
    assert "auth failed" in out and hint in out
    code, out, _ = run_cli(capsys, "accounts", "--json")
    [account] = json.loads(out)["accounts"]
    assert account["health"] == "auth failed" and account["message"].endswith(hint)


def test_damage_the_first_reads_find_is_set_aside_with_what_only_it_held(env, capsys):
    # Damage past what opening the file reads (here the meeting counts) stopped every
    # command and the app with "move it aside yourself", and the Jitsi room, kept only
    # here, stayed behind in the file moved.
    (env / "config.toml").write_text('[[accounts]]\nname = "team-jitsi"\n'
                                     'provider = "jitsi"\n', encoding="utf-8")
    room = _jitsi_meeting(capsys)
    path = env / "cache.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master "
                            "WHERE name = 'meeting_counts'").fetchone()[0]
    conn.close()
    page = file_page_size(path)
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page)
        handle.write(bytes(range(256)) * (page // 256))
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_OK, err
    assert [m["id"] for m in json.loads(out)["meetings"]] == [room]
    assert err.startswith(f"meettui: The cache {path} could not be read (database disk "
                          "image is malformed), so meettui moved it to ")
    assert "Carried over from it: 1 meeting kept only on this machine (Jitsi 1)." in err
