"""`meettui list` on a terminal: a long id gives way (cut to a prefix that still types
back) before the start time, the account and the status go; `--json` keeps every id whole."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK
from meettui.cli._table import Column, render
from meettui.core.cache import Cache
from meettui.core.ids import distinct_prefix
from meettui.core.models import Link, Meeting, Role, Status

LONG_TITLE = "Supercalifragilistic" * 10  # 200 characters, the longest title taken
SHORT = [("Standup", "whereby-demo", "86bcad1c-36fb-4399-a2d7-be0cdbe35462"),
         ("Design review", "whereby-demo", "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"),
         ("Advice call", "24sessions-demo", "4711")]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield isolate_paths(monkeypatch, tmp_path)
    monkeypatch.undo()
    time.tzset()


def terminal(monkeypatch, columns: int) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", "40")


@pytest.fixture
def meetings(env, capsys):
    """The tester's case: a Jitsi meeting made with a 200-character title (its id is
    57 characters), among meetings of other accounts."""
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", LONG_TITLE,
                             "--start", "+1h", "--end", "+30m", "--json")
    assert code == EXIT_OK, err
    long_id = json.loads(out)["id"]
    assert len(long_id) == 57
    start = datetime.now(UTC) + timedelta(hours=2)
    cache = Cache(env / "cache.sqlite3")
    for n, (title, account, meeting_id) in enumerate(SHORT):
        cache.upsert(Meeting(provider="whereby", account=account, id=meeting_id, title=title,
                             starts_at=start + timedelta(minutes=n), status=Status.SCHEDULED,
                             links=[Link(role=Role.GUEST, url=f"https://x.example/{n}")]))
    cache.close()
    return [long_id, *(m[2] for m in SHORT)]


def table(capsys, monkeypatch, columns: int) -> list[str]:
    terminal(monkeypatch, columns)
    code, out, err = run_cli(capsys, "list", "--offline")
    assert code == EXIT_OK, err
    return out.splitlines()


@pytest.mark.parametrize("columns", [80, 100])
def test_a_long_id_gives_way_before_start_account_and_status(capsys, monkeypatch, meetings,
                                                              columns):
    lines = table(capsys, monkeypatch, columns)
    header, rows = lines[0], lines[1:]
    for name in ("START", "TITLE", "ACCOUNT", "STATUS", "ID"):
        assert name in header
    assert all(cell_len(line) <= columns for line in lines)
    long_row = next(row for row in rows if row.startswith(tuple("0123456789"))
                    and "Supercal" in row)
    shown_id = long_row.split()[-1]
    assert shown_id.endswith("…")
    assert meetings[0].startswith(shown_id[:-1])
    # The title keeps more than the 11 characters it was cut to at 100 columns.
    title = long_row[header.index("TITLE"):header.index("ACCOUNT")].strip()
    assert title.endswith("…") and len(title) >= (19 if columns == 80 else 30)


def test_every_id_shown_types_back_to_its_meeting(capsys, monkeypatch, meetings):
    rows = table(capsys, monkeypatch, 80)[1:]
    for row in rows:
        shown = row.split()[-1].removesuffix("…")
        code, out, err = run_cli(capsys, "show", shown, "--json")
        assert code == EXIT_OK, err
        assert json.loads(out)["id"] in meetings


def test_the_json_keeps_every_id_whole(capsys, monkeypatch, meetings):
    terminal(monkeypatch, 80)
    code, out, _ = run_cli(capsys, "list", "--offline", "--json")
    assert code == EXIT_OK
    assert sorted(m["id"] for m in json.loads(out)["meetings"]) == sorted(meetings)


def test_a_wide_terminal_cuts_no_id(capsys, monkeypatch, meetings):
    rows = table(capsys, monkeypatch, 200)[1:]
    assert sorted(row.split()[-1] for row in rows) == sorted(meetings)


# -- the table itself ---------------------------------------------------------------------


def columns_of(ids: list[str], shrink: int | None) -> list[Column]:
    n = len(ids)
    return [Column("START", ["2026-11-30 10:00"] * n, drop=2),
            Column("TITLE", ["A title of some thirty cells.."] * n, flex=True),
            Column("ACCOUNT", ["whereby-team"] * n, drop=3),
            Column("STATUS", ["scheduled"] * n, drop=1),
            Column("ID", ids, shrink=shrink)]


def test_room_is_given_up_title_first_then_the_id_then_columns():
    ids = ["a" * 40, "b" * 40]
    lines = render(columns_of(ids, shrink=9), 80)
    assert lines[0].split() == ["START", "TITLE", "ACCOUNT", "STATUS", "ID"]
    assert lines[1].endswith("a" * 8 + "…") and cell_len(lines[1]) <= 80
    # Nothing to cut: the id stays whole and the optional columns go, account first.
    lines = render(columns_of(ids, shrink=None), 90)
    assert lines[0].split() == ["START", "TITLE", "STATUS", "ID"]
    assert lines[1].endswith("a" * 40)


def test_distinct_prefixes():
    ids = ["abcdef", "abcxyz", "abd", "zeta", "abcd"]
    assert distinct_prefix(ids) == {"abcdef": 5, "abcxyz": 4, "abd": 3, "zeta": 1,
                                    "abcd": 4}
    assert distinct_prefix(["only"]) == {"only": 1}


@pytest.mark.parametrize("columns", [10, 12, 16, 20, 24])
def test_a_terminal_too_narrow_for_a_title_and_an_id_keeps_the_id(capsys, monkeypatch,
                                                                  meetings, columns):
    # COLUMNS=10 printed 23-cell rows (a title cut to 12 cells beside the id), which
    # the terminal wrapped. The title goes before the line overflows: the id stays, cut
    # to its prefix, which `show` and the rest take back.
    lines = table(capsys, monkeypatch, columns)
    assert all(cell_len(line) <= columns for line in lines), lines
    for row in lines[1:]:
        shown = row.split()[-1].removesuffix("…")
        assert any(meeting_id.startswith(shown) for meeting_id in meetings)
        assert len(shown) >= 4


def test_the_title_stays_while_it_and_the_id_fit():
    lines = render(columns_of(["a" * 40], shrink=9), 23)
    assert lines[0].split() == ["TITLE", "ID"] and cell_len(lines[1]) == 23
    lines = render(columns_of(["a" * 40], shrink=9), 22)
    assert lines[0].split() == ["ID"] and lines[1] == "a" * 21 + "…"  # the room it has


ESCAPE = __import__("re").compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def _split_escapes(text: str) -> list[str]:
    return [text[i:i + 10] for i, char in enumerate(text)
            if char == "\\" and not ESCAPE.match(text, i)]


@pytest.mark.parametrize("columns", range(40, 72))
def test_a_cut_cell_never_splits_an_escape(env, capsys, columns):
    # A title holding U+202E showed as "\u202…" when the column was narrow.
    from meettui.cli.listing import print_meetings

    start = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    meetings = [Meeting(provider="whereby", account="a",
                        id=f"r{n}-\u202e\u202e\u202e\u202e-" + "x" * 40,
                        title="Quarterly \u202ereview\u202c of the \u200bplan " * 2,
                        starts_at=start, status=Status.SCHEDULED) for n in range(2)]
    print_meetings(meetings, start, columns)
    out = capsys.readouterr().out
    assert "…" in out and _split_escapes(out) == []
    # A cut id keeps at least ID_FLOOR characters, here with the escape they end in.
    assert [line.split()[-1][:9] for line in out.splitlines()[1:]] == [
        "r0-\\u202e", "r1-\\u202e"]
