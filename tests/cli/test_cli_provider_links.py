"""Links a provider gives pass one rule (`core/link_check.py`) before meettui keeps,
shows, encodes or writes them: http(s) only, no control or bidi character. A fake
Whereby server whose room link was `javascript:alert(1)` had it cached, listed, written
into a calendar file and encoded as a QR code. The meeting is kept without the refused
links, and the reason is said with it and with the account."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import pytest

from cli_helpers import isolate_paths, run_cli, run_cli_json
from factories import make_meeting
from meettui.cli import EXIT_ERROR, EXIT_OK
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.models import Link, Role

KEY = "links-test-key-5c1e"
JS = "javascript:alert(1)"
BIDI = "https://evil.example/\u202eexe.pdf"
WHY = {
    JS: "the provider's host, guest and viewer links were left out: each is a javascript: "
        "link; meettui uses only http:// and https:// links (other schemes can run code, "
        "read files or open other apps)",
    BIDI: "the provider's host, guest and viewer links were left out: each is a link "
          "holding a control, invisible or space character (\\u202e at position 22), "
          "which can hide or reorder what it shows",
}


def config(path, base_url: str) -> None:
    path.write_text('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = '
                    f'"whereby"\nbase_url = "{base_url}"\nsecret_env = "WB_LINKS"\n',
                    encoding="utf-8")


@pytest.fixture(params=[JS, BIDI], ids=["javascript", "bidi"])
def hostile(request, tmp_path, monkeypatch, sim_server):
    """A Whereby account on the simulator, whose first room's link is `request.param`
    (its host and viewer links are that link with a room key); returns the room's id.
    The simulator's rooms are made around the real now, which the command line reads:
    at a pinned past moment they had all expired by then, and an expired room is no
    calendar event."""
    server = sim_server("whereby", clock=FixedClock(datetime.now(UTC)), meetings=3,
                        api_key=KEY,
                        rate_limit=1_000_000)
    sim = server.sim
    bad = sorted(sim.rooms)[0]
    room_url = sim.room_url
    monkeypatch.setattr(sim, "room_url", lambda room: request.param
                        if room.meeting_id == bad else room_url(room))
    config(tmp_path / "config.toml", server.base_url)
    isolate_paths(monkeypatch, tmp_path, tmp_path / "config.toml")
    monkeypatch.setenv("WB_LINKS", KEY)
    monkeypatch.setenv("TZ", "UTC")
    return bad, request.param


def terminal(monkeypatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")


def assert_never_shown(hostile_url: str, *texts: str) -> None:
    for text in texts:
        assert hostile_url not in text
        assert "javascript:alert" not in text and "\u202e" not in text


def test_list_and_show_keep_the_meeting_without_its_refused_links(hostile, capsys,
                                                                   monkeypatch):
    bad, url = hostile
    listed = run_cli_json(capsys, (), "list", "-a", "wb")["meetings"]
    assert len(listed) == 3  # the meeting is kept…
    [meeting] = [m for m in listed if m["id"] == bad]
    assert meeting["links"] == []  # …without the links…
    assert meeting["details"]["Links refused"] == WHY[url]  # …and says why
    assert all(m["links"] for m in listed if m["id"] != bad)
    assert_never_shown(url, json.dumps(listed, ensure_ascii=False))

    shown = run_cli_json(capsys, (), "show", bad, "--reveal")
    assert shown["links"] == [] and shown["details"]["Links refused"] == WHY[url]

    terminal(monkeypatch)
    code, out, err = run_cli(capsys, "show", bad, "--reveal")
    assert code == EXIT_OK, err
    assert f"Links refused: {WHY[url]}" in out
    assert_never_shown(url, out, err)
    code, out, err = run_cli(capsys, "list", "--offline")
    assert code == EXIT_OK and sum(bad[:11] in line for line in out.splitlines()) == 1
    assert_never_shown(url, out, err)


def test_the_account_says_what_was_refused(hostile, capsys, monkeypatch):
    bad, url = hostile
    run_cli_json(capsys, (), "list", "-a", "wb")
    [account] = run_cli_json(capsys, (), "accounts")["accounts"]
    assert account["health"] == "ok"
    assert account["message"] == (f"1 meeting is listed without links meettui refused"
                                  f"; meeting {bad}: {WHY[url]}")
    terminal(monkeypatch)
    code, out, _ = run_cli(capsys, "accounts")
    assert code == EXIT_OK and "listed without links meettui refused" in out


def test_no_calendar_event_carries_a_refused_link(hostile, capsys, tmp_path):
    bad, url = hostile
    run_cli_json(capsys, (), "list", "-a", "wb")
    target = tmp_path / "m.ics"
    code, out, err = run_cli(capsys, "ics", bad, "-o", str(target))
    assert code == EXIT_ERROR
    assert "cannot be a calendar event: no guest link (its links from the provider were " \
           "refused)" in err
    assert not target.exists()
    # Written with the others: the file holds the two meetings whose links passed.
    code, out, err = run_cli(capsys, "ics", "-a", "wb", "-o", str(target))
    data = target.read_text(encoding="utf-8")
    assert code == EXIT_OK and data.count("BEGIN:VEVENT") == 2
    assert json.loads(out)["events"] == 2  # (piped: the file written, as JSON)
    assert err == ("meettui: 1 meeting left out, no guest link (its links from the provider "
                   f"were refused): {bad}\n")
    assert_never_shown(url, data, out, err)


def test_no_qr_code_carries_a_refused_link(hostile, capsys):
    bad, url = hostile
    run_cli_json(capsys, (), "list", "-a", "wb")
    code, out, err = run_cli(capsys, "qr", bad)
    assert code == EXIT_ERROR and out == ""
    assert f"has no link to encode: {WHY[url]}." in err
    code, out, err = run_cli(capsys, "qr", bad, "--role", "host", "--reveal")
    assert code == EXIT_ERROR and out == ""
    assert f"has no host link (it has: none); {WHY[url]}." in err
    assert_never_shown(url, out, err)


@pytest.mark.parametrize("url", [JS, BIDI], ids=["javascript", "bidi"])
def test_a_cache_written_before_the_rule_never_hands_out_its_link(url, tmp_path,
                                                                    monkeypatch, capsys):
    # A row written by an older meettui holds the link: read back, it is left out.
    config(tmp_path / "config.toml", "http://127.0.0.1:9/v1")
    isolate_paths(monkeypatch, tmp_path, tmp_path / "config.toml")
    monkeypatch.setenv("WB_LINKS", KEY)
    old = make_meeting(0, account="wb").model_copy(update={"links": [
        Link(role=Role.GUEST, url=url), Link(role=Role.HOST, url=url + "?k", sensitive=True)]})
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.upsert_page("wb", [old])
    cache.close()
    listed = run_cli_json(capsys, (), "list", "--offline")["meetings"]
    assert listed[0]["links"] == [] and "Links refused" in listed[0]["details"]
    code, out, err = run_cli(capsys, "qr", old.id)
    assert code == EXIT_ERROR and "has no link to encode" in err
    code, out2, err2 = run_cli(capsys, "ics", old.id, "-o", str(tmp_path / "x.ics"))
    assert code == EXIT_ERROR and not (tmp_path / "x.ics").exists()
    assert_never_shown(url, json.dumps(listed, ensure_ascii=False), out, err, out2, err2)
