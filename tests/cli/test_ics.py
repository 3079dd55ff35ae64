"""`meettui ics` (core/ics.py): calendar files parsed back with icalendar, for the
demo's providers (their simulators in-process): the values in each event are the
meeting's, times keep their zone, and no host link gets in unless asked for."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from ahead import NEXT_YEAR
from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE


@pytest.fixture
def env(tmp_path, monkeypatch):
    return isolate_paths(monkeypatch, tmp_path, tmp_path / "missing" / "config.toml")


def listed(capsys, account: str, reveal: bool = False) -> list[dict]:
    code, out, err = run_cli(capsys, "list", "-a", account, "--json",
                             *(["--reveal"] if reveal else []))
    assert code == EXIT_OK, err
    return json.loads(out)["meetings"]


def events(text: str) -> list:
    cal = Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and "meettui" in str(cal["PRODID"])
    return list(cal.walk("VEVENT"))


def link(meeting: dict, role: str) -> dict:
    return next(lk for lk in meeting["links"] if lk["role"] == role)


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.mark.parametrize("account", ["whereby-demo", "24sessions-demo", "accelevents-demo",
                                     "vonage-demo", "eyeson-demo"])
def test_one_meeting_as_an_event(env, capsys, account):
    meeting = next(m for m in listed(capsys, account)
                   if m["starts_at"] and m["status"] != "cancelled" and not m["missing"])
    code, out, err = run_cli(capsys, "ics", meeting["id"], "-a", account)
    assert code == EXIT_OK, err
    [event] = events(out)
    assert str(event["UID"]) == f"{meeting['id']}@{account}.meettui"
    assert str(event["SUMMARY"]) == meeting["title"]
    start = event.decoded("DTSTART")
    assert start == when(meeting["starts_at"]) and start.utcoffset().total_seconds() == 0
    if meeting["ends_at"]:
        assert event.decoded("DTEND") == when(meeting["ends_at"])
    assert event.decoded("DTSTAMP").tzinfo is not None
    shareable = next(lk for lk in meeting["links"] if not lk["sensitive"])
    assert str(event["URL"]) == shareable["url"] == str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert f"Join: {shareable['url']}" in description
    if shareable.get("code"):  # Vonage: the meeting code a guest can type
        assert f"Meeting code: {shareable['code']}" in description
    assert "warning" not in err


def test_host_links_only_when_asked_by_name(env, capsys):
    meeting = listed(capsys, "whereby-demo", reveal=True)[0]
    host = link(meeting, "host")["url"]
    assert "roomKey=" in host
    code, out, err = run_cli(capsys, "ics", meeting["id"])
    assert code == EXIT_OK and "roomKey" not in out and host not in out
    code, out, err = run_cli(capsys, "ics", meeting["id"], "--role", "host")
    assert code == EXIT_OK
    [event] = events(out)
    assert str(event["URL"]) == host
    assert "host link" in str(event["DESCRIPTION"])
    assert "warning" in err and "start or moderate" in err
    with pytest.raises(SystemExit) as refused:  # argparse: a usage error
        run_cli(capsys, "ics", meeting["id"], "--role", "viewer")
    assert refused.value.code == EXIT_USAGE


def unfolded(text: str) -> str:
    """The printed calendar with its folded lines joined (RFC 5545 §3.1)."""
    return text.replace("\n ", "")


@pytest.mark.parametrize(("account", "secret"), [("whereby-demo", "roomKey="),
                                                 ("vonage-demo", "participant_token=")])
def test_host_links_printed_on_a_terminal_are_masked_unless_revealed(env, capsys,
                                                                     monkeypatch, account,
                                                                     secret):
    meeting = next(m for m in listed(capsys, account, reveal=True)
                   if m["starts_at"] and not m["missing"]
                   and any(lk["role"] == "host" for lk in m["links"]))
    host = link(meeting, "host")["url"]
    assert secret in host
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run_cli(capsys, "ics", meeting["id"], "-a", account, "--role", "host")
    assert code == EXIT_OK, err
    assert secret not in out and host not in unfolded(out)
    assert f"URL:https://{host.split('/')[2]}/••••••••" in unfolded(out)
    assert "masked" in err and "--reveal" in err
    code, out, err = run_cli(capsys, "ics", meeting["id"], "-a", account, "--role", "host",
                             "--reveal")
    assert code == EXIT_OK
    assert f"URL:{host}" in unfolded(out)
    assert "masked" not in err


def test_a_whole_account_to_a_file(env, capsys, tmp_path):
    meetings = listed(capsys, "24sessions-demo")
    path = tmp_path / "advice.ics"
    code, out, err = run_cli(capsys, "ics", "--account", "24sessions-demo", "-o", str(path))
    assert code == EXIT_OK, err
    found = events(path.read_bytes())
    # Piped, the answer is JSON, as `qr --png`'s is ("Wrote …" was text into a pipe).
    assert json.loads(out) == {"schema_version": 2, "path": str(path), "events": len(found),
                               "role": "guest", "id": None, "account": "24sessions-demo"}
    code, out, _ = run_cli(capsys, "ics", "--account", "24sessions-demo", "-o", str(path),
                           "--force", "--text")
    assert (code, out) == (EXIT_OK, f"Wrote {path} ({len(found)} events)\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    expected = {m["id"]: m for m in meetings if m["starts_at"] and not m["missing"]}
    uids = {str(e["UID"]): e for e in found}
    assert set(uids) == {f"{mid}@24sessions-demo.meettui" for mid in expected}
    cancelled = [mid for mid, m in expected.items() if m["status"] == "cancelled"]
    assert cancelled, "the demo has cancelled meetings"
    for mid in cancelled:
        assert str(uids[f"{mid}@24sessions-demo.meettui"]["STATUS"]) == "CANCELLED"
    assert b"\r\n" in path.read_bytes()  # RFC 5545 §3.1: CRLF line ends


def test_meetings_without_a_start_are_left_out_with_a_note(env, capsys):
    meetings = listed(capsys, "eyeson-demo")
    # An expired one is left out as expired first (its link no longer works).
    no_start = [m for m in meetings if m["starts_at"] is None and m["status"] != "expired"]
    expired = [m for m in meetings if m["status"] == "expired"]
    assert no_start and expired
    code, out, err = run_cli(capsys, "ics", "-a", "eyeson-demo")
    assert code == EXIT_OK
    assert len(events(out)) == sum(1 for m in meetings if m["starts_at"] and not m["missing"]
                                   and m["status"] != "expired"
                                   and any(not lk["sensitive"] for lk in m["links"]))
    assert f"{len(no_start)} meetings left out, no start time" in err
    assert f"{len(expired)} meetings left out, expired: its link no longer works" in err
    code, _, err = run_cli(capsys, "ics", no_start[0]["id"], "-a", "eyeson-demo")
    # Refused, a usage error (exit 2): what was asked cannot be had of it.
    assert code == EXIT_USAGE and "cannot be a calendar event: no start time" in err


def test_jitsi_and_bad_input(env, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", "Standup, daily; 9:00",
                           "--start", f"{NEXT_YEAR}-01-04T09:00+01:00", "--end", "+15m", "--json")
    room = json.loads(out)["id"]
    code, out, _ = run_cli(capsys, "ics", room[:8])  # an id prefix works here too
    [event] = events(out)
    assert str(event["SUMMARY"]) == "Standup, daily; 9:00"
    assert event.decoded("DTSTART") == datetime(NEXT_YEAR, 1, 4, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(NEXT_YEAR, 1, 4, 8, 15, tzinfo=UTC)
    assert str(event["URL"]) == f"https://meet.jit.si/{room}"

    code, _, err = run_cli(capsys, "ics")
    assert code == EXIT_USAGE and "--account" in err
    code, _, err = run_cli(capsys, "ics", room, "-o", str(tmp_path / "no" / "x.ics"))
    assert code == EXIT_ERROR and "does not exist" in err and "Traceback" not in err

    # An existing file is kept unless --force; meettui's own files always.
    notes = tmp_path / "notes.txt"
    notes.write_text("the user's notes")
    code, _, err = run_cli(capsys, "ics", room, "-o", str(notes))
    assert code == EXIT_ERROR and "the file exists" in err and "--force" in err
    assert notes.read_text() == "the user's notes"
    code, _, err = run_cli(capsys, "ics", room, "-o", str(notes), "--force")
    assert code == EXIT_OK, err
    assert events(notes.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text("")
    code, _, err = run_cli(capsys, "ics", room, "-o", os.environ["MEETTUI_CONFIG"], "--force")
    assert code == EXIT_ERROR and "it is meettui's config file" in err


def test_control_characters_of_a_title_never_reach_the_file(env, capsys, tmp_path):
    # RFC 5545 §3.3.11 leaves them out of TEXT; `cat` of a file holding ESC drove the
    # terminal (`meettui ics ID | cat -v` showed ^[[31m). Bidi and zero-width characters
    # went in raw: a calendar showed `safe\u202egnp.exe` as "safeexe.png". The rule is
    # that of every text handed to another program (display.plain): escape sequences go
    # whole, every other hidden character goes.
    title = ("ANSI \x1b[31mRED\x1b[0m\x07 two\nlines \u009b C1 \u202eRTL "
             "safe\u202egnp.exe zero\u200bwidth \u2066iso\u2069 osc\x1b]52;c;aGFja2Vk\x07 end")
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", title, "--start",
                             f"{NEXT_YEAR}-01-04T09:00+00:00", "--end", "+15m", "--json")
    assert code == EXIT_OK, err
    room = json.loads(out)["id"]
    path = tmp_path / "event.ics"
    code, _, err = run_cli(capsys, "ics", room, "-o", str(path))
    assert code == EXIT_OK, err
    data = path.read_bytes()
    assert not any(b < 0x20 and b not in b"\r\n" for b in data) and b"\x7f" not in data
    assert "\u009b" not in data.decode()
    [event] = events(data)
    assert str(event["SUMMARY"]) == ("ANSI RED two lines  C1 RTL safegnp.exe zerowidth iso "
                                     "osc end")


# -- what a meeting without a start is told to do: only what works for it -------------


def advice(err: str) -> str:
    """The hint line under the refusal."""
    lines = err.splitlines()
    assert "cannot be a calendar event: no start time." in lines[-2], err
    return lines[-1].strip()


def test_a_meeting_whose_provider_has_no_start_is_told_to_share_its_link(env, capsys):
    # It said "give it one (`meettui edit ID --start …`)", which eyeson refuses, and said
    # "share its link instead" twice.
    meeting = next(m for m in listed(capsys, "eyeson-demo") if m["starts_at"] is None
                   and any(not lk["sensitive"] for lk in m["links"]))
    code, _, err = run_cli(capsys, "ics", meeting["id"], "-a", "eyeson-demo")
    assert code == EXIT_USAGE
    # The command names the meeting (it printed a literal `meettui qr ID`).
    assert advice(err) == (f"None can be given to it: share its link instead, `meettui qr "
                           f"{meeting['id']}` (or copy it in the app).")
    # The advice holds: an edit of its start is refused, its QR code is drawn.
    code, _, err = run_cli(capsys, "edit", meeting["id"], "-a", "eyeson-demo", "--start",
                           "+1h", "--end", "+1h", "--yes")
    assert code != EXIT_OK and "takes no start time" in err
    code, out, _ = run_cli(capsys, "qr", meeting["id"], "-a", "eyeson-demo")
    assert code == EXIT_OK and "▀" in out


def test_an_imported_host_link_is_not_told_to_share_it(env, capsys):
    # It said "share its link instead (`meettui qr`)"; qr refuses a host-only meeting.
    code, out, _ = run_cli(capsys, "import", "https://zoom.us/s/123456789?zak=SECRET",
                           "--offline", "--json")
    room = json.loads(out)["id"]
    code, _, err = run_cli(capsys, "ics", room)
    assert code == EXIT_USAGE
    assert advice(err) == "A start would not make it an event: it has no guest link either."
    code, _, err = run_cli(capsys, "qr", room)
    assert code == EXIT_USAGE and "no link that is safe to show a guest" in err
    # As a host event, a start is what it lacks; given one, the file is written.
    code, _, err = run_cli(capsys, "ics", room, "--role", "host")
    assert advice(err) == (f"Give it one with `meettui edit {room} --start WHEN --end WHEN` "
                           "(or e in the app).")
    code, _, err = run_cli(capsys, "edit", room, "--start", "+1d", "--end", "+1h", "--json")
    assert code == EXIT_OK, err
    code, out, _ = run_cli(capsys, "ics", room, "--role", "host")
    assert code == EXIT_OK and len(events(out)) == 1


def test_a_meeting_that_can_take_a_start_is_told_both(env, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", "No start", "--json")
    room = json.loads(out)["id"]
    code, _, err = run_cli(capsys, "ics", room)
    assert code == EXIT_USAGE
    assert advice(err) == (f"Give it one with `meettui edit {room} --start WHEN --end WHEN` "
                           f"(or e in the app), or share its link instead: `meettui qr {room}` "
                           "(or copy it in the app).")


def test_a_file_written_is_reported_as_json_when_asked_or_piped(env, capsys, tmp_path,
                                                                 monkeypatch):
    # `ics … -o f.ics | cat` printed "Wrote f.ics (42 events)", and `--json` was refused,
    # where `qr --png` answers with JSON: both report what they wrote the same way.
    from jsonschema import validate

    from meettui.cli.schema import schemas

    room = json.loads(run_cli(capsys, "create", "-a", "jitsi", "-t", "Sync", "--start",
                              "+1d", "--end", "+1h", "--json")[1])["id"]
    path = tmp_path / "sync.ics"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run_cli(capsys, "ics", room, "-o", str(path))
    assert (code, out) == (EXIT_OK, f"Wrote {path} (1 event)\n")
    code, out, _ = run_cli(capsys, "ics", room, "-o", str(path), "--force", "--json")
    assert code == EXIT_OK
    doc = json.loads(out)
    assert doc == {"schema_version": 2, "path": str(path), "events": 1, "role": "guest",
                   "id": room, "account": "jitsi"}
    validate(doc, schemas(["ics"])["ics"])
    # Without -o the calendar itself is the output: --json has nothing to describe.
    code, out, err = run_cli(capsys, "ics", room, "--json")
    assert (code, out) == (EXIT_USAGE, "") and "give -o FILE" in err


def test_output_dash_is_stdout_not_a_file_named_dash(env, capsys, tmp_path, monkeypatch):
    # `-o -` wrote a file named "-" in the current folder.
    monkeypatch.chdir(tmp_path)
    meeting = listed(capsys, "24sessions-demo")[0]
    code, out, err = run_cli(capsys, "ics", meeting["id"], "-o", "-")
    assert code == EXIT_OK, err
    assert out.startswith("BEGIN:VCALENDAR")
    assert len(events(out.encode())) == 1
    assert not (tmp_path / "-").exists()


def test_an_account_with_nothing_to_write_writes_no_empty_calendar(env, capsys, tmp_path):
    # An empty VCALENDAR (RFC 5545 §3.6 wants one component at least; calendar apps
    # refuse it) was written, "events": 0, exit 0.
    target = tmp_path / "x.ics"
    code, out, err = run_cli(capsys, "ics", "-a", "jitsi", "-o", str(target), "--json")
    assert code == EXIT_USAGE and out == ""
    assert "Nothing to write: none of 'jitsi''s 0 cached meetings" in err
    assert "(it has none cached)" in err and not target.exists()
    # A meeting cached, none with a start: said so too, and nothing printed.
    code, _, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", "No start")
    assert code == EXIT_OK
    code, out, err = run_cli(capsys, "ics", "-a", "jitsi")
    assert code == EXIT_USAGE and out == "" and "1 cached meeting can be" in err, err
