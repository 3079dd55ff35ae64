"""`meettui list --limit`: a cut list says so (stderr, and `matched`/`truncated` in the
JSON), in the full path and the quick one alike; a limit below 1 is a usage error."""

from __future__ import annotations

import json
import sys

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
    assert err == "meettui: 3 of 5 meetings shown; --limit 5 shows them all\n"


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
    assert err == "meettui: 2 of 5 meetings shown; --limit 5 shows them all\n"


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
    assert len(json.loads(out)["meetings"]) == 1000
    assert err == "meettui: 1,000 of 1,205 meetings shown; --limit 1205 shows them all\n"


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
    assert json.loads(quick[1])["matched"] == 5
    assert quick[2] == "meettui: 2 of 5 meetings shown; --limit 5 shows them all\n"


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
