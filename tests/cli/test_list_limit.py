"""`meettui list --limit`/`--offset`/`--upcoming`: a cut list says so (stderr, and
`matched`/`truncated`/`next_offset` in the JSON), in the full path and the quick one
alike; the pages of the MCP server's list_meetings from the command line; a limit below
1 or an offset below 0 is a usage error."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

import meettui.cli.meetings as meetings_module
from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_OK, EXIT_USAGE, main
from meettui.cli.quick_list import quick_list
from meettui.core.cache import Cache


@pytest.fixture
def five(tmp_path, monkeypatch):
    """Five cached meetings of the built-in Jitsi account (no config: it alone)."""
    isolate_paths(monkeypatch, tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    for i in range(5):
        cache.upsert(make_meeting(i, account="jitsi"))
    cache.close()
    return tmp_path


def test_a_list_cut_by_limit_says_how_many_matched(five, capsys):
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "3", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert [m["id"] for m in data["meetings"]] == ["m000000", "m000001", "m000002"]
    assert data["matched"] == 5 and data["truncated"] is True
    assert err == ("meettui: 3 of 5 meetings shown; --limit 5 shows them all; next page: "
                   f"meettui list --offline --json --limit 3 --after {data['next_after']}\n")


def test_a_list_the_limit_did_not_cut_says_nothing(five, capsys):
    # 2**63 and above went on to SQLite, whose OverflowError said "a bug in meettui".
    for limit in ("5", "1000", str(2**63), "9" * 40):
        code, out, err = run_cli(capsys, "list", "--offline", "--limit", limit, "--json")
        data = json.loads(out)
        assert code == EXIT_OK and err == ""
        assert len(data["meetings"]) == 5
        assert data["matched"] == 5 and data["truncated"] is False


def test_the_text_table_is_followed_by_the_cut_on_stderr(five, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "2")
    assert code == EXIT_OK
    assert len(out.splitlines()) == 3  # header and two rows
    head, _, token = err.rpartition(" --after ")
    assert head == ("meettui: 2 of 5 meetings shown; --limit 5 shows them all; next page: "
                    "meettui list --offline --limit 2")
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "2", "--after",
                             token.strip())
    assert code == EXIT_OK and "Meeting 000002" in out and "Meeting 000003" in out


def test_a_query_is_counted_as_filtered(five, capsys):
    code, out, err = run_cli(capsys, "list", "--offline", "--query", "Meeting 00000",
                             "--limit", "1", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and data["matched"] == 5 and len(data["meetings"]) == 1
    code, out, err = run_cli(capsys, "list", "--offline", "--query", "000003", "--limit", "1",
                             "--json")
    data = json.loads(out)
    assert data["matched"] == 1 and data["truncated"] is False and err == ""


def test_thousands_are_grouped(five, capsys, monkeypatch):
    cache = Cache(five / "cache.sqlite3")
    for i in range(5, 1205):
        cache.upsert(make_meeting(i, account="jitsi"))
    cache.close()
    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    data = json.loads(out)
    assert len(data["meetings"]) == 1000
    assert err == ("meettui: 1,000 of 1,205 meetings shown; --limit 1205 shows them all; "
                   f"next page: meettui list --offline --json --after {data['next_after']}\n")


def test_the_quick_path_says_the_same(five, capsys, monkeypatch):
    (five / "config.toml").write_text('[[accounts]]\nname = "x"\nprovider = "jitsi"\n',
                                      encoding="utf-8")
    answers = []
    monkeypatch.setattr(meetings_module, "quick_list",
                        lambda args: answers.append(quick_list(args)) or answers[-1])
    quick = (main(["list", "--offline", "--json", "--limit", "2"]), *capsys.readouterr())
    monkeypatch.setattr(meetings_module, "quick_list", lambda args: None)
    full = (main(["list", "--offline", "--json", "--limit", "2"]), *capsys.readouterr())
    assert answers == [EXIT_OK]  # it answered
    assert quick == full
    data = json.loads(quick[1])
    assert data["matched"] == 5 and data["next_after"]
    assert quick[2] == ("meettui: 2 of 5 meetings shown; --limit 5 shows them all; next page: "
                        f"meettui list --offline --json --limit 2 --after {data['next_after']}\n")


@pytest.mark.parametrize(("value", "said"), [("0", "'0': must be at least 1"),
                                             ("-1", "'-1': must be at least 1"),
                                             ("lots", "'lots': not a whole number")])
def test_a_limit_below_one_is_a_usage_error(five, capsys, value, said):
    # --limit 0 printed an empty list; --limit -1 printed every meeting.
    with pytest.raises(SystemExit) as caught:
        main(["list", "--offline", "--json", f"--limit={value}"])
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE
    assert f"argument --limit: {said}" in err


def test_help_gives_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["list", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "at most N meetings (default 1000)" in out


def test_offset_gives_the_next_page_and_says_where_the_one_after_starts(five, capsys):
    # The MCP server paged (offset, next_offset); the command line could only widen
    # --limit, printing every meeting before the ones wanted.
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "2", "--json")
    first = json.loads(out)
    assert first["offset"] == 0 and first["next_offset"] == 2
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "2",
                             "--offset", str(first["next_offset"]), "--json")
    second = json.loads(out)
    assert code == EXIT_OK
    assert [m["id"] for m in second["meetings"]] == ["m000002", "m000003"]
    assert second["matched"] == 5 and second["truncated"] is True
    assert second["offset"] == 2 and second["next_offset"] == 4
    assert err == ("meettui: 3–4 of 5 meetings shown; next page: meettui list --offline "
                   f"--json --limit 2 --after {second['next_after']}\n")
    code, out, err = run_cli(capsys, "list", "--offline", "--limit", "2", "--offset", "4",
                             "--json")
    last = json.loads(out)
    assert [m["id"] for m in last["meetings"]] == ["m000004"]
    assert last["truncated"] is False and last["next_offset"] is None
    assert err == "meettui: 5–5 of 5 meetings shown\n"


def test_an_offset_past_the_end_lists_nothing_and_says_why(five, capsys):
    code, out, err = run_cli(capsys, "list", "--offline", "--offset", "9", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and data["meetings"] == [] and data["matched"] == 5
    assert data["query_warnings"] == []  # the query is not at fault
    assert err == "meettui: none of 5 meetings shown: --offset 9 is past the last one\n"


def test_upcoming_starts_at_what_is_on_now_or_next(tmp_path, monkeypatch, capsys):
    isolate_paths(monkeypatch, tmp_path)
    now = datetime.now(UTC)
    cache = Cache(tmp_path / "cache.sqlite3")
    for i, (start, minutes) in enumerate([(-180, 60), (-120, 60), (-10, 40), (60, 30),
                                          (120, 30)]):
        cache.upsert(make_meeting(i, account="jitsi").model_copy(update={
            "starts_at": now + timedelta(minutes=start),
            "ends_at": now + timedelta(minutes=start + minutes)}))
    cache.close()
    code, out, err = run_cli(capsys, "list", "--offline", "--upcoming", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and err == ""
    assert [m["id"] for m in data["meetings"]] == ["m000002", "m000003", "m000004"]
    assert data["matched"] == 3 and data["truncated"] is False
    code, out, err = run_cli(capsys, "list", "--offline", "--upcoming", "--offset", "1",
                             "--limit", "1", "--json")
    data = json.loads(out)
    assert [m["id"] for m in data["meetings"]] == ["m000003"]
    assert data["next_offset"] == 2
    assert err == ("meettui: 2–2 of 3 meetings from what is on now or next shown; next "
                   "page: meettui list --offline --upcoming --json --limit 1 --after "
                   f"{data['next_after']}\n")


@pytest.mark.parametrize(("value", "said"), [("-1", "'-1': must be 0 or more"),
                                             ("next", "'next': not a whole number")])
def test_an_offset_below_zero_is_a_usage_error(five, capsys, value, said):
    with pytest.raises(SystemExit) as caught:
        main(["list", "--offline", "--json", f"--offset={value}"])
    assert caught.value.code == EXIT_USAGE
    assert f"argument --offset: {said}" in capsys.readouterr().err


def test_an_offset_where_nothing_matches_says_no_more_than_no_meetings(five, capsys):
    # "none of 0 meetings shown: --offset 5 is past the last one", of a list with no last.
    code, out, err = run_cli(capsys, "list", "--offline", "--query", "nothing-like-it",
                             "--offset", "5", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and data["matched"] == 0 and err == ""
