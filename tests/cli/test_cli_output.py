"""The command line never shows a traceback and never lets provider text drive the
terminal: closed pipes, unwritable files, bytes that are not UTF-8, hostile titles,
wide characters, clock changes and relative ends on edit."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from meettui.cli._output import json_text, print_meeting, terminal_size
from meettui.cli.listing import print_meetings
from meettui.core.cache import Cache
from meettui.core.display import is_hidden
from meettui.core.models import Link, Meeting, Role

HOSTILE = ("\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth zw\u200djoin "
           "\x1b[31mred\x1b[0m bell\x07 \x1b]0;pwned\x07 \x9b2J")
VISIBLE = ["\\u202eevil\\u202c", "\\u2066iso\\u2069", "zero\\u200bwidth", "zw\\u200djoin",
           "\\x1b[31mred", "bell\\x07", "\\x9b2J"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    yield isolate_paths(monkeypatch, tmp_path)
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def tty(monkeypatch):
    """`tty(columns)`: text output from now on, as on a terminal of that width."""

    def as_terminal(columns: int = 120) -> None:
        # Called in the test body: sys.stdout is the capture by then.
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setenv("COLUMNS", str(columns))
        monkeypatch.setenv("LINES", "50")

    return as_terminal


def run(capsys, *argv):
    return run_cli(capsys, *argv)


def hidden_in(text: str) -> list[str]:
    return [c for c in text if is_hidden(c) and c != "\n"]


def put(env, *meetings: Meeting) -> None:
    cache = Cache(env / "cache.sqlite3")
    for meeting in meetings:
        cache.upsert(meeting)
    cache.close()


def jitsi(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "create", "-a", "jitsi", *argv, "--json")
    assert code == EXIT_OK, err
    return json.loads(out)


# -- closed pipes ---------------------------------------------------------------------


def child(*argv: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "meettui", *argv], **kwargs)


def test_list_json_into_a_pipe_closed_after_one_line_exits_quietly(env, capsys):
    code, out, err = run(capsys, "list", "--json")  # the demo: fills the cache
    assert code == EXIT_OK, err
    # Far more than a pipe holds (64 KiB): the child is still writing when we close.
    assert len(out.encode()) > 4 * 65536
    for argv in (["list", "--offline", "--json"], ["list", "--offline"]):
        proc = child(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == EXIT_OK
        assert first == b"{\n"  # JSON either way: a pipe is not a terminal
        assert stderr == b""


@pytest.mark.parametrize("argv", [
    ["locate", "--json"],
    ["accounts"],
    ["list", "--offline"],
    ["show", "ROOM"],
    ["qr", "ROOM"],
    ["action", "ROOM"],
])
def test_a_reader_gone_before_the_output_is_flushed(env, capsys, argv):
    room = jitsi(capsys, "-t", "Flush me")["id"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write is EPIPE
    child_env = {**os.environ, "COLUMNS": "200", "LINES": "100"}
    proc = child(*[room if a == "ROOM" else a for a in argv], stdout=write_end,
                 stderr=subprocess.PIPE, env=child_env)
    os.close(write_end)
    _, stderr = proc.communicate(timeout=60)
    assert stderr == b""
    assert proc.returncode == EXIT_OK


class ClosedAfter(io.StringIO):
    """A terminal whose reader goes away after `limit` characters."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.limit:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize("argv", [
    ["list", "--offline"],
    ["show", "ROOM"],
    ["accounts"],
    ["locate"],
    ["action", "ROOM"],
    ["qr", "ROOM"],
    ["delete", "ROOM", "--yes"],
])
def test_text_output_to_a_reader_that_left_exits_quietly(env, capsys, monkeypatch, argv):
    room = jitsi(capsys, "-t", "Text out")["id"]
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LINES", "100")
    monkeypatch.setattr(sys, "stdout", ClosedAfter(5))
    code = main([room if a == "ROOM" else a for a in argv])
    _, err = capsys.readouterr()
    assert code == EXIT_OK
    assert err == ""


# -- output that cannot be written ----------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [
    ["list", "--offline"],
    ["list", "--offline", "--text"],
    ["list", "--offline", "--json", "--query", "Out"],
    ["show", "ROOM"],
    ["accounts"],
    ["locate", "cache"],
    ["ics", "ROOM"],
    ["schema", "list"],
    ["qr", "ROOM"],
    ["--version"],
    ["list", "--help"],
])
def test_output_into_a_full_disk_says_so_and_is_no_bug(env, capsys, argv):
    # `meettui list --offline > /dev/full` said "unexpected error: OSError: [Errno 28]
    # No space left on device / This is a bug in meettui".
    room = jitsi(capsys, "-t", "Out", "--start", "+1h", "--end", "+1h")["id"]
    with open("/dev/full", "w") as full:
        proc = child(*[room if a == "ROOM" else a for a in argv], stdout=full,
                     stderr=subprocess.PIPE)
        _, stderr = proc.communicate(timeout=60)
    assert stderr == b"meettui: cannot write the output: no space left on device\n"
    assert proc.returncode == EXIT_ERROR


class FailingTerminal(io.StringIO):
    """A terminal whose device fails (EIO) on the first write."""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")


@pytest.mark.parametrize("argv", [["list", "--offline"], ["locate"], ["--version"]])
def test_an_output_io_error_says_so_and_is_no_bug(env, capsys, monkeypatch, argv):
    monkeypatch.setattr(sys, "stdout", FailingTerminal())
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == EXIT_ERROR
    assert err == "meettui: cannot write the output: input/output error\n"
    log = env / "meettui.log"
    assert not log.exists() or "unexpected error" not in log.read_text()  # not a bug


# -- files that cannot be written -----------------------------------------------------


@pytest.mark.parametrize("flag", ["--png", "--svg"])
def test_qr_into_a_missing_folder_says_so(env, capsys, flag):
    room = jitsi(capsys, "-t", "QR")["id"]
    target = env / "missing-dir" / f"q.{flag[2:]}"
    code, out, err = run(capsys, "qr", room, flag, str(target))
    assert code == EXIT_ERROR
    assert f"Cannot write {target}: the folder {target.parent} does not exist." in err
    assert f"mkdir -p {target.parent}" in err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize(("argv", "example"), [
    (["qr", "{id}", "--svg"], "qr.svg"), (["qr", "{id}", "--png"], "qr.png"),
    (["ics", "{id}", "-o"], "folder-kind.ics"), (["ics", "-a", "jitsi", "-o"], "calendar.ics"),
])
def test_an_export_onto_a_folder_offers_a_file_of_its_kind(env, capsys, argv, example):
    # `ics ID -o FOLDER` said "Give a file name, e.g. FOLDER/qr.png": a QR image's name
    # for a calendar file (and an SVG was offered a PNG's).
    room = jitsi(capsys, "-t", "Folder kind", "--start", "+1h", "--end", "+2h")["id"]
    code, out, err = run(capsys, *[a.format(id=room) for a in argv], str(env))
    assert code == EXIT_ERROR and out == ""
    assert err == (f"meettui: Cannot write {env}: it is a folder.\n"
                   f"  Give a file name, e.g. {env / example}.\n")


# -- arguments that are not UTF-8 -----------------------------------------------------

BAD = "bad\udcff"  # what Python makes of the bytes b"bad\xff" in argv


@pytest.mark.parametrize(("argv", "named"), [
    (["create", "-a", "jitsi", "--title", BAD], "argument --title/-t"),
    (["create", "-a", "jitsi", "-t", "ok", "-o", f"x={BAD}"], "argument --option/-o"),
    (["create", "-a", BAD, "-t", "ok"], "argument --account/-a"),
    (["create", "-a", "jitsi", "-t", "ok", "--start", BAD], "argument --start"),
    (["list", "--offline", "--query", BAD], "argument --query/-q"),
    (["show", BAD], "argument id"),
    (["edit", "ROOM", "--title", BAD, "--yes"], "argument --title/-t"),
    (["delete", BAD, "--yes"], "argument id"),
    (["qr", BAD], "argument id"),
    (["action", "ROOM", BAD], "argument name"),
    (["simulate", "whereby", "--api-key", BAD], "argument --api-key"),
])
def test_text_that_is_not_utf8_is_a_usage_error_naming_the_argument(env, capsys, argv, named):
    room = jitsi(capsys, "-t", "Keep")["id"]
    with pytest.raises(SystemExit) as caught:
        main([room if a == "ROOM" else a for a in argv])
    assert caught.value.code == EXIT_USAGE
    _, err = capsys.readouterr()
    assert f"{named}: '" in err and "bad\\xff' is not valid UTF-8" in err
    # Nothing was written: the one meeting is still as it was.
    code, out, _ = run(capsys, "list", "--offline", "--json")
    assert [(m["id"], m["title"]) for m in json.loads(out)["meetings"]] == [(room, "Keep")]


@pytest.mark.parametrize("argv", [["show", "abc", "\x1b]0;pwned\x07"], ["list", "--\x1b[31m"]])
def test_an_unknown_argument_is_quoted_with_its_escapes_shown(env, capsys, argv):
    # argparse's "unrecognized arguments: …" printed an escape sequence raw.
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == EXIT_USAGE
    _, err = capsys.readouterr()
    assert "unrecognized arguments: " in err and "\x1b" not in err
    assert argv[-1].replace("\x1b", "\\x1b").replace("\x07", "\\x07") in err


@pytest.mark.parametrize("argv", [["show", "x" * 100_000], ["list", "--bogus", "y" * 100_000]])
def test_a_huge_argument_is_cut_where_an_error_quotes_it(env, capsys, argv):
    # A 100 kB id came back whole on stderr (the MCP server already cut such echoes).
    with contextlib.suppress(SystemExit):
        main(argv)
    _, err = capsys.readouterr()
    assert len(err) < 3_000 and " characters cut]…" in err


@pytest.mark.parametrize(("argv", "usage"), [
    (["list", "--bogus"], "usage: meettui list "),
    (["edit", "abc", "--bogus", "1"], "usage: meettui edit "),
    (["--bogus"], "usage: meettui [-h]"),
])
def test_an_unknown_argument_shows_the_usage_of_its_command(env, capsys, argv, usage):
    # `meettui list --bogus` showed the top level's usage ("COMMAND ..."), which says
    # nothing of the options `list` takes.
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == EXIT_USAGE
    _, err = capsys.readouterr()
    assert err.startswith(usage)
    prog = usage.removeprefix("usage: ").split(" [")[0].strip()
    assert f"{prog}: error: unrecognized arguments: {' '.join(argv[argv.index('--bogus'):])}" in err


def test_an_option_given_twice_with_two_values_is_refused(env, capsys):
    # `-o name=x -o name=y` kept y without a word.
    code, out, err = run(capsys, "create", "-a", "jitsi", "-t", "Twice", "-o", "lock=true",
                         "-o", "lock=false")
    assert code == EXIT_USAGE and out == ""
    assert "option 'lock' is given twice (True and False): give it once" in err
    code, out, _ = run(capsys, "list", "--offline", "--json")
    assert json.loads(out)["meetings"] == []


def test_a_query_that_can_match_nothing_says_why(env, capsys):
    code, out, err = run(capsys, "list", "--offline", "--query", "account:nope", "--json")
    assert code == EXIT_OK and json.loads(out)["meetings"] == []
    assert "meettui: the query can match nothing: no account 'nope' (there are jitsi" in err
    # The JSON says it too (contract.MeetingList.query_warnings), as the MCP server does.
    (warning,) = json.loads(out)["query_warnings"]
    assert warning.startswith("the query can match nothing: no account 'nope' (there are "
                              "jitsi, ")


def test_a_query_for_another_account_than_the_one_listed_says_so(env, capsys):
    # `--account jitsi --query account:other` matched nothing with no word on why.
    (env / "config.toml").write_text(
        "[[accounts]]\nname = 'desk'\nprovider = 'jitsi'\n", encoding="utf-8")
    code, out, err = run(capsys, "list", "--offline", "--account", "jitsi",
                         "--query", "account:desk x", "--json")
    assert code == EXIT_OK and json.loads(out)["meetings"] == []
    said = ("the query can match nothing: account:desk names another account, and only "
            "jitsi is listed; leave out --account to list every account")
    assert json.loads(out)["query_warnings"] == [said]
    assert f"meettui: {said}" in err
    # Without --account every account is listed: nothing to say.
    code, out, err = run(capsys, "list", "--offline", "--query", "account:desk x", "--json")
    assert json.loads(out)["query_warnings"] == [] and "can match nothing" not in err


def test_real_non_utf8_bytes_in_argv(env):
    proc = subprocess.run([sys.executable, "-m", "meettui", "create", "-a", "jitsi",
                           "--title", b"bad\xff"], capture_output=True, timeout=60)
    assert proc.returncode == EXIT_USAGE
    assert b"argument --title/-t: 'bad\\xff' is not valid UTF-8" in proc.stderr
    assert b"Traceback" not in proc.stderr


# -- hostile text ---------------------------------------------------------------------


def test_hostile_title_in_list_show_and_json(env, capsys, tty):
    room = jitsi(capsys, "-t", HOSTILE)["id"]
    tty()

    code, out, _ = run(capsys, "list", "--offline")
    assert code == EXIT_OK
    assert hidden_in(out) == []
    assert "\\u202eevil" in out

    code, out, _ = run(capsys, "show", room)
    assert code == EXIT_OK
    assert hidden_in(out) == []
    for piece in VISIBLE:
        assert piece in out

    for argv in (["show", room, "--json"], ["list", "--offline", "--json"]):
        code, out, _ = run(capsys, *argv)
        assert code == EXIT_OK
        assert hidden_in(out) == []  # escaped as \uXXXX in the JSON text…
        data = json.loads(out)
        title = data["meetings"][0]["title"] if "meetings" in data else data["title"]
        assert title == HOSTILE  # …which decodes to the exact title
    assert "\\u202e" in out and "\\u001b" in out and "\\u0007" in out


def test_a_lone_surrogate_from_a_provider_in_text_and_json(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    meeting = make_meeting(0, title="x\udcffy \u202eZ")
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    print_meeting(meeting, _args(), now)
    print_meetings([meeting], now, 120)
    out, _ = capsys.readouterr()
    assert hidden_in(out) == []
    assert "x\\udcffy \\u202eZ" in out
    text = json_text({"title": meeting.title, "astral": "\U000e0041"})
    assert text.isascii() or hidden_in(text) == []
    assert json.loads(text) == {"title": meeting.title, "astral": "\U000e0041"}
    assert "\\udcff" in text and "\\udb40\\udc41" in text


def _args(**kw):
    import argparse

    return argparse.Namespace(reveal=False, json=False, **kw)


def test_provider_error_text_is_printable(env, capsys, monkeypatch):
    from meettui.core.errors import NotFound
    from meettui.core.service import MeetingService

    def find(self, meeting_id, account=None):
        raise NotFound("gone: \u202eevil\x1b[2J", hint="provider says \u2066hi\u2069")

    monkeypatch.setattr(MeetingService, "find", find)
    code, _, err = run(capsys, "show", "x")
    assert code == EXIT_ERROR
    assert hidden_in(err) == []
    assert "gone: \\u202eevil\\x1b[2J" in err and "\\u2066hi\\u2069" in err


def test_an_unexpected_failure_is_one_paragraph_and_the_traceback_is_logged(
        env, capsys, monkeypatch):
    import meettui.cli.listing as listing

    def boom(*args, **kwargs):
        raise RuntimeError("boom with roomKey=s3cr3tKEY and \u202e")

    monkeypatch.setattr(listing, "print_meetings", boom)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, _, err = run(capsys, "list", "--offline")
    assert code == EXIT_ERROR
    assert "Traceback" not in err
    assert "unexpected error: RuntimeError: boom with roomKey=*** and \\u202e" in err
    assert "s3cr3tKEY" not in err
    log = (env / "meettui.log").read_text()
    assert "Traceback" in log and "s3cr3tKEY" not in log


# -- widths ---------------------------------------------------------------------------

WIDE = [
    "日本語の会議タイトルがとても長い場合にはどうなるでしょうか",
    "🎉🎉🎉 Party planning with emoji everywhere 🎉🎉🎉",
    "Plain title",
]


def listed(env, capsys) -> tuple[list[str], list[str]]:
    code, out, err = run(capsys, "list", "--offline")
    assert code == EXIT_OK, err
    return out.splitlines(), [f"m{i:06d}" for i in range(len(WIDE))]


@pytest.mark.parametrize("columns", [120, 80, 60])
def test_list_fits_the_terminal_with_cjk_and_emoji(env, capsys, tty, columns):
    put(env, *(make_meeting(i, account="jitsi", title=t) for i, t in enumerate(WIDE)))
    tty(columns)
    lines, ids = listed(env, capsys)
    header, rows = lines[0], lines[1:]
    assert header.startswith("START (UTC)") and "TITLE" in header and header.endswith("ID")
    assert len(rows) == 3
    for line in lines:
        assert cell_len(line) <= columns, line
    # Ids are whole, and each starts in the same cell of its line as in the header.
    id_at = cell_len(header[: header.index("ID")])
    for row, meeting_id in zip(rows, ids, strict=True):
        assert row.endswith(meeting_id)
        assert cell_len(row[: row.index(meeting_id)]) == id_at
    if columns == 120:
        assert WIDE[0] in rows[0] and WIDE[1] in rows[1]  # room enough: whole titles
    else:
        assert "…" in rows[0]  # the long CJK title is cut with an ellipsis, not wrapped


def test_a_narrow_terminal_drops_columns_before_the_title_and_keeps_short_ids_whole(
        env, capsys, tty):
    put(env, *(make_meeting(i, account="jitsi", title=t) for i, t in enumerate(WIDE)))
    tty(40)
    lines, ids = listed(env, capsys)
    assert "ACCOUNT" not in lines[0] and "START" not in lines[0]
    for line, meeting_id in zip(lines[1:], ids, strict=True):
        assert cell_len(line) <= 40 and line.endswith(meeting_id)
    tty(10)  # narrower than an id: the id stays whole (the terminal wraps the line)
    lines, ids = listed(env, capsys)
    for line, meeting_id in zip(lines[1:], ids, strict=True):
        assert line.endswith(meeting_id)


def test_show_says_the_zone_and_how_far_off_a_time_is(env, capsys, tty):
    room = jitsi(capsys, "-t", "Zoned", "--start", "+2h", "--end", "+1h")["id"]
    tty()
    _, out, _ = run(capsys, "show", room)
    starts = next(line for line in out.splitlines() if line.strip().startswith("starts"))
    assert starts.endswith("UTC (in 2h)") or starts.endswith("UTC (in 1h 59m)")


def test_terminal_size_comes_from_stderr_when_stdout_is_a_pipe(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    read_end, write_end = os.pipe()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    with open(write_end, "w") as pipe, open(slave, "w") as terminal:
        monkeypatch.setattr(sys, "__stdout__", pipe)
        monkeypatch.setattr(sys, "__stderr__", terminal)
        assert tuple(terminal_size()) == (100, 50)
        monkeypatch.setattr(sys, "__stdout__", None)  # no stdout at all: still stderr
        assert tuple(terminal_size()) == (100, 50)
    os.close(read_end)
    os.close(master)


# -- times ----------------------------------------------------------------------------


def test_edit_relative_end_counts_from_the_meetings_start(env, capsys):
    created = jitsi(capsys, "-t", "Rel", "--start", "+1d", "--end", "+1h")
    start = datetime.fromisoformat(created["starts_at"])
    code, out, err = run(capsys, "edit", created["id"], "--end", "+30m", "--yes", "--json")
    assert code == EXIT_OK, err
    edited = json.loads(out)
    assert datetime.fromisoformat(edited["starts_at"]) == start
    assert datetime.fromisoformat(edited["ends_at"]) == start + timedelta(minutes=30)


def test_edit_relative_end_of_a_meeting_under_way_counts_from_now(env, capsys):
    # From its start (two hours ago) `--end +30m` ended it 90 minutes ago; a Vonage room
    # opened weeks ago could not be given `--end +30d` at all.
    begun = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    created = jitsi(capsys, "-t", "Under way", "--start", begun.isoformat(), "--end", "+3h")
    before = datetime.now(UTC)
    code, out, err = run(capsys, "edit", created["id"], "--end", "+30m", "--yes", "--json")
    assert code == EXIT_OK, err
    end = datetime.fromisoformat(json.loads(out)["ends_at"])
    assert before + timedelta(minutes=29) <= end <= datetime.now(UTC) + timedelta(minutes=31)


def test_edit_relative_end_counts_from_a_new_start(env, capsys):
    created = jitsi(capsys, "-t", "Rel", "--start", "+1d", "--end", "+1h")
    code, out, err = run(capsys, "edit", created["id"], "--start", "2031-06-01T10:00+00:00",
                         "--end", "+45m", "--json")
    assert code == EXIT_OK, err
    edited = json.loads(out)
    assert edited["starts_at"] == "2031-06-01T10:00:00Z"
    assert edited["ends_at"] == "2031-06-01T10:45:00Z"


def test_edit_refuses_an_end_before_the_start(env, capsys):
    created = jitsi(capsys, "-t", "Order", "--start", "2031-06-01T10:00+00:00",
                    "--end", "+1h")
    code, _, err = run(capsys, "edit", created["id"], "--end", "2031-06-01T09:00+00:00")
    assert code == EXIT_USAGE
    assert "--end (2031-06-01 09:00 UTC) must be after the meeting's start " \
           "(2031-06-01 10:00 UTC)" in err
    code, out, _ = run(capsys, "show", created["id"], "--json")
    assert json.loads(out)["ends_at"] == "2031-06-01T11:00:00Z"  # unchanged


def test_edit_with_a_new_start_alone_moves_the_meeting(env, capsys):
    # Calendars move a meeting whole: the end follows the start, the length stays.
    created = jitsi(capsys, "-t", "Move", "--start", "2031-06-01T10:00+00:00",
                    "--end", "+45m")
    code, out, err = run(capsys, "edit", created["id"], "--start", "2031-06-02T15:00+00:00",
                         "--json")
    assert code == EXIT_OK, err
    moved = json.loads(out)
    assert (moved["starts_at"], moved["ends_at"]) == ("2031-06-02T15:00:00Z",
                                                      "2031-06-02T15:45:00Z")


@pytest.mark.parametrize("command", ["create", "edit"])
def test_a_negative_time_after_a_space_is_explained(env, capsys, command):
    room = jitsi(capsys, "-t", "Neg")["id"]
    argv = ["create", "-a", "jitsi"] if command == "create" else ["edit", room]
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--end", "-30m"])
    assert caught.value.code == EXIT_USAGE
    _, err = capsys.readouterr()
    assert "argument --end: '-30m' counts backwards" in err and "+30m" in err
    code, _, err = run(capsys, *argv, "--end=-30m")
    assert code == EXIT_USAGE and "counts backwards" in err


def test_other_values_starting_with_a_dash_get_a_hint(env, capsys):
    with pytest.raises(SystemExit):
        main(["create", "-a", "jitsi", "--title", "-x"])
    _, err = capsys.readouterr()
    assert "--title=-x" in err


@pytest.mark.parametrize("start", ["+99999d", "+999999999999d", "9999-12-31T23:59"])
def test_far_future_starts_are_usage_errors_not_tracebacks(env, capsys, start):
    code, _, err = run(capsys, "create", "-a", "jitsi", "-t", "x", "--start", start)
    assert code == EXIT_USAGE
    assert "10 years" in err or "out of range" in err


def test_a_skipped_local_time_is_refused_before_anything_is_made(env, capsys, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    code, _, err = run(capsys, "create", "-a", "jitsi", "-t", "x",
                       "--start", "2027-03-28T02:30")
    assert code == EXIT_USAGE
    assert "does not exist in Europe/Berlin" in err and "01:59 or 03:00" in err
    _, out, _ = run(capsys, "list", "--offline", "--json")
    assert json.loads(out)["meetings"] == []


def test_ctrl_d_at_a_question_means_no(env, capsys, monkeypatch):
    room = jitsi(capsys, "-t", "Keep me")["id"]
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)

    def eof(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", eof)
    code, _, err = run(capsys, "delete", room)
    assert code == EXIT_OK and "Nothing changed." in err
    _, out, _ = run(capsys, "list", "--offline", "--json")
    assert [m["id"] for m in json.loads(out)["meetings"]] == [room]


def test_links_and_ids_from_a_provider_are_printable_too(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    meeting = Meeting(provider="x", account="a", id="id\u202e1", title="t",
                      links=[Link(role=Role.GUEST, url="https://x.example/\u202eroom")])
    print_meeting(meeting, _args(), datetime(2026, 11, 24, tzinfo=UTC))
    out, _ = capsys.readouterr()
    assert hidden_in(out) == []
    # The id is shown escaped; the link is refused (`link_check`), and said so.
    assert "id\\u202e1" in out and "x.example" not in out
    assert ("Links refused: the provider's guest link was left out: it is a link holding "
            "a control, invisible or space character (\\u202e at position 19)") in out


def test_an_option_the_provider_does_not_take_is_refused_not_dropped(env, capsys):
    # D25: `-o bogus=1` was accepted without a word. A usage error, as an unknown flag
    # is, naming the options there are (it exited 1).
    code, out, err = run(capsys, "create", "-a", "jitsi", "-t", "x", "-o", "bogus=1")
    assert code == EXIT_USAGE and out == ""
    assert err == ("meettui: Jitsi has no option 'bogus'; it takes: domain, readable.\n"
                   "  Check the spelling of the -o option (the README lists each "
                   "provider's).\n")
    code, out, _ = run(capsys, "list", "--offline", "--json")
    assert json.loads(out)["meetings"] == []  # nothing was made
    # An edit too, before it changes anything (the title given beside it included).
    room = jitsi(capsys, "-t", "Kept")
    code, out, err2 = run(capsys, "edit", room["id"], "-t", "New", "-o", "bogus=1", "--yes")
    # Listing what a create takes, it named options an edit refuses as fixed.
    assert (code, out, err2) == (EXIT_USAGE, "", "meettui: Jitsi has no option 'bogus'; an "
                                 "edit takes none.\n  Leave out the -o option; nothing "
                                 "was sent.\n")
    _, out, _ = run(capsys, "list", "--offline", "--json")
    assert [m["title"] for m in json.loads(out)["meetings"]] == ["Kept"]


@pytest.mark.parametrize("argv", [["qr", "ROOM", "--png", "LINK"],
                                  ["qr", "ROOM", "--svg", "LINK", "--force"],
                                  ["ics", "ROOM", "-o", "LINK"],
                                  ["ics", "ROOM", "-o", "LINK", "--force"]])
def test_a_link_to_nothing_is_not_written_through(env, capsys, argv):
    # `qr --png LINK` followed a dangling symlink and created the file it pointed to.
    room = jitsi(capsys, "-t", "Linked", "--start", "+1h", "--end", "+1h")["id"]
    target = env / "elsewhere" / "made"
    target.parent.mkdir()
    link = env / "link-out"  # no suffix: fits --png, --svg and -o alike
    link.symlink_to(target)
    code, out, err = run(capsys, *[room if a == "ROOM" else str(link) if a == "LINK" else a
                                   for a in argv])
    assert code == EXIT_ERROR and out == ""
    assert err == (f"meettui: Cannot write {link}: it is a link to {target}, which does not "
                   "exist.\n  meettui creates no file through a link: give the path the "
                   "link points to, or another path.\n")
    assert not target.exists() and link.is_symlink()
    # The path the link names is written as any new file.
    code, _, err = run(capsys, *[room if a == "ROOM" else str(target) if a == "LINK" else a
                                 for a in argv])
    assert code == EXIT_OK, err
    assert target.exists() and oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_failed_sync_names_the_account_not_only_its_provider(env, capsys, monkeypatch):
    # With two Whereby accounts, "whereby: GET /meetings failed: …" did not say which
    # one failed (the list's line put the name in front; `accounts` and --json not).
    (env / "config.toml").write_text(
        "builtin_jitsi = false\n" + "".join(
            f'[[accounts]]\nname = "{name}"\nprovider = "whereby"\n'
            'base_url = "http://127.0.0.1:9/v1"\nsecret_env = "MEETTUI_TEST_WB_KEY"\n'
            for name in ("team", "sales")), encoding="utf-8")
    monkeypatch.setenv("MEETTUI_TEST_WB_KEY", "wb-test-key-123456")
    failed = "(whereby): GET /meetings failed: connection problem (ConnectError)"
    code, out, err = run(capsys, "list", "--json")
    assert code == EXIT_ERROR
    assert [(e["account"], e["message"].split(". ")[0])
            for e in json.loads(out)["sync_errors"]] == [
        ("team", f"team {failed}"), ("sales", f"sales {failed}")]
    assert err.splitlines() == [
        f"meettui: {name} {failed}. The provider could not be reached; the cached list "
        "still works. Try again later. (showing the cached list)"
        for name in ("team", "sales")]
    code, out, _ = run(capsys, "accounts", "--json")
    assert [a["message"] for a in json.loads(out)["accounts"]] == [
        f"team {failed}", f"sales {failed}"]


def test_a_key_no_header_can_carry_is_said_once_with_its_variable(env, capsys,
                                                                   monkeypatch):
    # The key was never sent ("cannot be sent: LocalProtocolError" named no variable).
    (env / "config.toml").write_text(
        'builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "whereby"\n'
        'base_url = "http://127.0.0.1:9/v1"\nsecret_env = "MEETTUI_TEST_WB_KEY"\n',
        encoding="utf-8")
    monkeypatch.setenv("MEETTUI_TEST_WB_KEY", "wb-test-key\n123456")
    code, _out, err = run(capsys, "list", "--text")
    assert code == EXIT_ERROR
    assert err.splitlines() == [
        "meettui: team (whereby): its api key ($MEETTUI_TEST_WB_KEY) holds characters no "
        "HTTP header can carry (a line break or another control character), so nothing "
        "was sent. Set $MEETTUI_TEST_WB_KEY to the api key alone, as Whereby Embedded "
        "shows it. (showing the cached list)"]


@pytest.mark.parametrize(("zone", "first", "second", "header", "marked"), [
    # The night the clocks go back: 02:30 CEST, then 02:30 CET an hour later.
    ("Europe/Berlin", datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
     datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "START (CEST)", "2027-10-31 02:30 CET"),
    ("Pacific/Chatham", datetime(2027, 4, 3, 13, 15, tzinfo=UTC),
     datetime(2027, 4, 3, 14, 15, tzinfo=UTC), "START (+1345)", "2027-04-04 03:00 +1245"),
])
def test_a_start_in_another_zone_than_the_headers_says_its_own(capsys, monkeypatch, zone,
                                                               first, second, header,
                                                               marked):
    # The header said "START (CEST/CET)" and both rows "2027-10-31 02:30": two times an
    # hour apart read as one.
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        meetings = [make_meeting(i, account="jitsi", title=title).model_copy(
            update={"starts_at": at, "ends_at": at + timedelta(minutes=30)})
            for i, (title, at) in enumerate((("First", first), ("Second", second)))]
        print_meetings(meetings, first - timedelta(days=1), 120)
    finally:
        monkeypatch.undo()
        time.tzset()
    header_line, one, two = capsys.readouterr().out.splitlines()
    assert header_line.startswith(header + " ")
    assert one.startswith(marked[:16] + " ") and not one.startswith(marked)
    assert two.startswith(marked + " ")
