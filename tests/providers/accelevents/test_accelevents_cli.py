"""Accelevents from the command line, end to end: sessions are listed, shown, created,
joined (the JoinToken never printed), edited without losing a field, and deleted, all
through `meettui` against the simulator served as `meettui simulate accelevents` in a
child process, in an event whose time zone is not UTC."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from ahead import autumn_change
from cli_helpers import (
    base_url_of,
    isolate_paths,
    run_cli_json,
    run_cli_keeping,
    simulator_process,
)
from meettui.cli import EXIT_ERROR, EXIT_USAGE

KEY = "e2e-accelevents-key-3"
ENV = "MEETTUI_E2E_ACCELEVENTS_KEY"
EVENT = "e2e-expo"
ZONE = "Europe/Berlin"


@contextmanager
def simulate_in_child(*args: str) -> Iterator[str]:
    """`meettui simulate ...` as a child process; yields the base URL it prints."""
    with simulator_process(*args) as printed:
        yield base_url_of(printed)


@contextmanager
def simulate_in_process() -> Iterator[str]:
    from meettui.simulators.registry import build
    from meettui.simulators.server import running

    sim = build("accelevents", meetings=5, api_key=KEY, event=EVENT, time_zone=ZONE)
    with running(sim.app) as root:
        yield root + sim.base_path


@pytest.fixture
def base_url() -> Iterator[str]:
    # `meettui simulate` comes from meettui.cli.simulate; without it, the same simulator
    # is served in this process (same HTTP, only not a separate program).
    if importlib.util.find_spec("meettui.cli.simulate") is not None:
        with simulate_in_child("accelevents", "--port", "0", "--api-key", KEY, "--event",
                               EVENT, "--time-zone", ZONE, "--meetings", "5") as url:
            yield url
    else:
        with simulate_in_process() as url:
            yield url


@pytest.fixture
def env(tmp_path, monkeypatch, base_url):
    config = tmp_path / "config.toml"
    config.write_text(
        "builtin_jitsi = false\n"
        "[[accounts]]\n"
        'name = "ev"\n'
        'provider = "accelevents"\n'
        f'base_url = "{base_url}"\n'
        f'secret_env = "{ENV}"\n'
        "[accounts.settings]\n"
        f'eventurl = "{EVENT}"\n'
        f'time_zone = "{ZONE}"\n',
        encoding="utf-8",
    )
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv(ENV, KEY)
    return base_url


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    return run_cli_keeping(capsys, (KEY,), *argv)


def cli_json(capsys, *argv: str):
    return run_cli_json(capsys, (KEY,), *argv)


def wall_clock(iso: str) -> str:
    """An ISO instant as a wall time of the event's zone in a meeting's facts
    (`display.fact_time`: "2026-12-01 05:18 Europe/Berlin")."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE))
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {ZONE}"


def test_session_life_from_the_command_line(env, capsys, tmp_path):
    url = env
    listed = cli_json(capsys, "list", "--account", "ev")["meetings"]
    assert len(listed) == 5
    assert all(m["links"][0]["url"].startswith(f"https://www.accelevents.com/e/{EVENT}/portal/")
               for m in listed)

    created = cli_json(capsys, "create", "--account", "ev", "--title", "Partner workshop",
                       "--start", "+0m", "--end", "+1h", "-o", "format=WORKSHOP",
                       "-o", "capacity=20", "-o", "chatEnabled=false",
                       "-o", "description=Bring laptops")
    sid = created["id"]
    assert created["status"] == "live" and created["capacity"] == 20
    assert created["details"]["Chat"] == "off"
    # Sent and read back in the event's zone, to the minute.
    assert created["details"]["Time (event zone)"].startswith(wall_clock(created["starts_at"]))
    assert created["details"]["Time zone"].startswith(ZONE)

    shown = cli_json(capsys, "show", sid)
    assert shown["title"] == "Partner workshop" and shown["details"]["Registered"] == "0 of 20"
    assert [a["name"] for a in cli_json(capsys, "action", sid)["actions"]] == ["join"]

    joined = cli_json(capsys, "join", sid, "--reveal")
    assert joined["details"]["Registered"] == "1 of 20"
    assert joined["details"]["JoinToken"].startswith("••••")
    with httpx.Client(base_url=url, headers={"Key": KEY}, timeout=10) as api:
        # The same attendee joining again gets the same Chime attendee: its token.
        again = api.put(f"/events/{EVENT}/session/{sid}").json()
    token = again["attendee"]["JoinToken"]
    assert again["meeting"]["MeetingId"] in joined["details"]["Chime meeting"]
    _, out, err = cli(capsys, "join", sid, "--json")
    assert token not in out and token not in err  # masked unless revealed
    masked = json.loads(out)["session_data"]
    assert masked["data"]["attendee"]["JoinToken"].startswith("••••")
    # Revealed on request: the JSON a Chime client takes, on stdout only.
    _, out, err = cli(capsys, "join", sid, "--reveal", "--json")
    revealed = json.loads(out)["session_data"]["data"]
    assert revealed["attendee"]["JoinToken"] == token and token not in err
    for path in tmp_path.iterdir():  # neither the cache nor the log holds it
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path.name

    later = cli_json(capsys, "create", "--account", "ev", "--title", "Later talk",
                     "--start", "+2h", "--end", "+30m")
    code, _, err = cli(capsys, "join", later["id"])
    assert code == EXIT_ERROR and "not live" in err

    edited = cli_json(capsys, "edit", sid, "--title", "Partner workshop (moved)",
                      "-o", "pollEnabled=false", "--yes")
    assert edited["title"] == "Partner workshop (moved)"
    assert (edited["details"]["Chat"], edited["details"]["Polls"]) == ("off", "off")
    with httpx.Client(base_url=url, headers={"Key": KEY}, timeout=10) as api:
        stored = api.get(f"/host/event/{EVENT}/session/{sid}").json()
    assert (stored["description"], stored["capacity"], stored["format"]) == (
        "Bring laptops", 20, "WORKSHOP")
    assert [u["userId"] for u in stored["registerdHolderUsers"]] == [
        int(again["attendee"]["ExternalUserId"])]
    # Hidden from attendees' lists, it is joined still (it was "404: Session not found.
    # It may have been deleted or expired upstream").
    hidden = cli_json(capsys, "edit", sid, "-o", "status=HIDDEN", "--yes")
    assert hidden["details"]["Visibility"].startswith("HIDDEN")
    assert cli_json(capsys, "join", sid)["details"]["Registered"] == "1 of 20"

    deleted = cli_json(capsys, "delete", sid, "--yes")
    assert deleted == {"schema_version": 2, "id": sid, "account": "ev",
                       "result": "delete"}
    with httpx.Client(base_url=url, headers={"Key": KEY}, timeout=10) as api:
        assert api.get(f"/host/event/{EVENT}/session/{sid}").json()["errorCode"] == "404800"
    code, _, err = cli(capsys, "join", sid)
    assert code == EXIT_ERROR


def test_a_key_read_with_a_trailing_line_break_works(env, capsys, monkeypatch):
    # `AE_KEY=$(cat keyfile)`-style values end in a line break: the key was sent with it.
    monkeypatch.setenv(ENV, KEY + "\n")
    assert len(cli_json(capsys, "list", "--account", "ev")["meetings"]) == 5


def test_a_key_with_a_line_break_inside_is_never_printed_or_logged(env, capsys, monkeypatch,
                                                                    tmp_path):
    # httpx refuses such a header and quoted it: "Illegal header value b'<key>'" reached
    # stderr, the JSON's sync_errors and the log. Now it is never sent: the message
    # names the variable to fix, never the key.
    front, back = "ae-front-part-1234", "ae-back-part-5678"
    monkeypatch.setenv(ENV, f"{front}\n{back}")
    pieces = (front, back)
    code, out, err = run_cli_keeping(capsys, pieces, "--debug", "list", "--account", "ev",
                                     "--json")
    assert code == EXIT_ERROR
    (error,) = json.loads(out)["sync_errors"]
    said = f"its api key (${ENV}) holds characters no HTTP header can carry"
    assert said in error["message"]
    assert said in err
    log = (tmp_path / "meettui.log").read_text(encoding="utf-8")
    assert front not in log and back not in log


def test_a_time_the_autumn_night_repeats_is_refused_never_moved(env, capsys):
    """02:30 comes twice in Berlin the night the clocks go back (at 03:00 CEST, the last
    Sunday of October: next year's, ahead of the real clock); Accelevents takes times
    without a zone, so either instant of it would be sent as the same text: it used to
    start an hour early (00:30 UTC, 90 minutes long)."""
    day = autumn_change()
    eve = day - timedelta(days=1)
    before = cli_json(capsys, "list", "--account", "ev")["matched"]
    for start in (f"{day}T00:30Z", f"{day}T01:30Z"):
        code, _, err = cli(capsys, "create", "--account", "ev", "--title", "dst",
                           "--start", start, "--end", "+30m", "--text")
        assert code != 0
        assert "00:30 UTC (02:30 CEST) or 01:30 UTC (02:30 CET)" in err, err
        assert "nothing was sent" in err
    # The end too, and an edit's.
    code, _, err = cli(capsys, "create", "--account", "ev", "--title", "dst",
                       "--start", f"{eve}T23:30Z", "--end", f"{day}T01:15Z")
    assert code != 0 and f"The end, {day:%Y/%m/%d} 02:15" in err
    assert cli_json(capsys, "list", "--account", "ev")["matched"] == before
    # Next to the hour, the instant asked for is the one kept.
    made = cli_json(capsys, "create", "--account", "ev", "--title", "after",
                    "--start", f"{day}T02:00Z", "--end", "+30m")
    assert (made["starts_at"], made["ends_at"]) == (f"{day}T02:00:00Z",
                                                    f"{day}T02:30:00Z")
    code, _, err = cli(capsys, "edit", made["id"], "--start", f"{day}T01:00Z", "--yes")
    assert code != 0 and "comes twice that night" in err
    shown = cli_json(capsys, "show", made["id"], "--refresh")
    assert shown["starts_at"] == f"{day}T02:00:00Z"

def test_every_value_meettui_refuses_before_sending_is_a_usage_error(env, capsys):
    # `-o capacity=abc` exited 1 where `-o nonsense=1` and `--start nonsense` exit 2: all
    # three are refused before anything is sent (the exit code table's 2); what the
    # provider refuses (a join of a session not live) stays 1.
    sid = cli_json(capsys, "list", "--account", "ev")["meetings"][0]["id"]
    for argv, said in ((["-o", "capacity=abc"], "capacity must be a whole number"),
                       (["-o", "chatEnabled=perhaps"], "chatEnabled must be true or false"),
                       (["-o", "nonsense=1"], "has no option 'nonsense'"),
                       (["--start", "nonsense"], "cannot read the time 'nonsense'")):
        code, out, err = cli(capsys, "edit", sid, *argv, "--yes")
        assert (code, out) == (EXIT_USAGE, ""), argv
        assert said in err, argv
    later = cli_json(capsys, "create", "--account", "ev", "--title", "Later talk",
                     "--start", "+2h", "--end", "+30m")
    code, _, err = cli(capsys, "join", later["id"])
    assert code == EXIT_ERROR and "not live" in err


def test_a_read_only_account_joins_but_changes_nothing(env, capsys, tmp_path):
    # Joining as an attendee changes nothing of the session (`ActionSpec.changes`): a
    # read-only account runs it; an edit or a delete is refused there, before anything
    # is sent.
    sid = cli_json(capsys, "create", "--account", "ev", "--title", "Open talk", "--start",
                   "+0m", "--end", "+1h", "-o", "capacity=20")["id"]
    config = tmp_path / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'provider = "accelevents"\n', 'provider = "accelevents"\nread_only = true\n'),
        encoding="utf-8")
    joined = cli_json(capsys, "join", sid)
    assert joined["details"]["Registered"] == "1 of 20"
    assert joined["session_data"]["data"]["attendee"]["JoinToken"].startswith("••••")
    code, _, err = cli(capsys, "edit", sid, "--title", "Closed talk", "--yes")
    assert code == EXIT_USAGE and "Account 'ev' is read-only." in err
    code, _, err = cli(capsys, "delete", sid, "--yes")
    assert code == EXIT_USAGE and "Account 'ev' is read-only." in err
    assert cli_json(capsys, "show", sid)["title"] == "Open talk"


def test_a_wrong_key_names_the_one_variable_it_is_read_from(env, capsys, monkeypatch):
    # "The account reads them from $ACCELEVENTS_…": one key, said as several.
    monkeypatch.setenv(ENV, "wrong-key-0000")
    code, _, err = run_cli_keeping(capsys, (KEY, "wrong-key-0000"), "list", "-a", "ev")
    assert code == EXIT_ERROR, err
    assert f"The account reads it from ${ENV}." in err and "reads them" not in err
