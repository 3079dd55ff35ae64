"""Times a meeting is given are checked against now, by one rule in core
(`timeparse.out_of_range`, `service_checks.check_times`): more than ten years ahead (the
end too: it was measured from the start, and an end twenty years out was taken), or a
start more than a year back (`0001-01-01` was taken and shown as "1-01-01"). Every date
shown writes its year in four digits."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_OK, EXIT_USAGE
from meettui.core.cache import Cache
from meettui.core.display import local_time
from meettui.core.invitation import DEFAULT_INVITATION, invitation_text
from meettui.tui.widgets.meeting_rows import _end, _start

YEAR_ONE = datetime(1, 1, 1, tzinfo=UTC)
ANCIENT = ("The start (0001-01-01 00:00 UTC) is more than a year ago: meettui takes no "
           "start more than a year back, almost surely a typo in the year.")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    # No config: the built-in Jitsi account and the demo accounts on their simulators.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield isolate_paths(monkeypatch, tmp_path, tmp_path / "missing" / "config.toml")
    monkeypatch.undo()
    time.tzset()


def ancient(**kw):
    return make_meeting(0, **kw).model_copy(update={
        "starts_at": YEAR_ONE, "ends_at": YEAR_ONE + timedelta(days=400)})


def minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def jitsi_titles(capsys) -> list[str]:
    code, out, err = run_cli(capsys, "list", "--offline", "-a", "jitsi", "--json")
    assert code == EXIT_OK, err
    return [m["title"] for m in json.loads(out)["meetings"]]


def test_an_end_more_than_ten_years_from_now_is_refused(demo, capsys):
    now = datetime.now(UTC)
    start, end = minute(now + timedelta(days=3640)), minute(now + timedelta(days=7300))
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", "far20",
                             "--start", start, "--end", end)
    assert (code, out) == (EXIT_USAGE, "")
    assert err == f"meettui: '{end}' is more than 10 years from now; check the year\n"
    assert jitsi_titles(capsys) == []


def test_an_end_moved_past_ten_years_by_its_start_is_refused(demo, capsys):
    # No time typed is that far: the end follows the new start (the meeting keeps its
    # 29 days), and the service's check sees where it lands.
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", "long", "--start", "+1d",
                             "--end", "+30d", "--json")
    assert code == EXIT_OK, err
    made = json.loads(out)
    start = minute(datetime.now(UTC) + timedelta(days=3640))
    code, out, err = run_cli(capsys, "edit", made["id"], "--start", start)
    assert (code, out) == (EXIT_USAGE, "")
    assert "The end (" in err and "is more than 10 years from now: meettui takes no time " \
           "more than 10 years ahead." in err
    code, out, _ = run_cli(capsys, "show", made["id"], "--json")
    assert json.loads(out)["starts_at"] == made["starts_at"]  # nothing changed


@pytest.mark.parametrize("account, start, shown", [
    ("jitsi", "0001-01-01T00:00:00+00:00", "0001-01-01 00:00 UTC"),
    ("accelevents-demo", "2000-01-01T10:00", "2000-01-01 10:00 UTC"),
])
def test_a_start_far_in_the_past_is_refused(demo, capsys, account, start, shown):
    code, out, err = run_cli(capsys, "create", "-a", account, "-t", "ancient",
                             "--start", start, "--end", "+1h")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (f"meettui: The start ({shown}) is more than a year ago: meettui takes no "
                   "start more than a year back, almost surely a typo in the year.\n"
                   "  Check the year; nothing was sent.\n")


def test_an_edit_that_keeps_an_old_start_is_not_refused(demo, capsys):
    # A long-lived room opened two years ago keeps its start through a new title.
    opened = datetime.now(UTC).replace(microsecond=0) - timedelta(days=800)
    old = make_meeting(0, account="jitsi").model_copy(update={
        "provider": "jitsi", "starts_at": opened, "ends_at": opened + timedelta(days=1000)})
    cache = Cache(demo / "cache.sqlite3")
    cache.upsert_page("jitsi", [old])
    cache.close()
    code, out, err = run_cli(capsys, "edit", old.id, "-t", "Renamed", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["title"] == "Renamed"
    code, out, err = run_cli(capsys, "edit", old.id, "--start",
                             minute(opened - timedelta(days=1)))
    assert code == EXIT_USAGE and "is more than a year ago" in err


def test_dates_are_shown_with_four_digit_years(demo, capsys, monkeypatch):
    cache = Cache(demo / "cache.sqlite3")
    cache.upsert_page("jitsi", [ancient(account="jitsi")])
    cache.close()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run_cli(capsys, "show", "m000000")
    assert code == EXIT_OK and "starts    0001-01-01 00:00 UTC (" in out
    assert "ends      0002-02-05 00:00 UTC (" in out
    code, out, _ = run_cli(capsys, "list", "--offline", "-a", "jitsi")
    assert out.splitlines()[1].startswith("0001-01-01 00:00 ")
    # The app's Date and End columns, its detail pane's format, an invitation.
    meeting = ancient()
    now = datetime(2026, 11, 24, tzinfo=UTC)
    assert (_start(meeting, now), _end(meeting, now)) == ("0001-01-01 00:00", "05 Feb 0002")
    assert local_time(YEAR_ONE, "%a %d %b %Y %H:%M %Z") == "Mon 01 Jan 0001 00:00 UTC"
    assert "Mon 01 Jan 0001 00:00" in invitation_text(DEFAULT_INVITATION, meeting)


# -- a meeting over before it is made ---------------------------------------------------
# A create whose meeting had already ended went through without a word at 24sessions
# (which emails the guest), Jitsi and Accelevents; an expiry already past is refused by
# the same rule (`service_checks.check_not_over`).


def test_an_end_that_has_passed_is_refused(demo, capsys):
    now = datetime.now(UTC)
    start, end = minute(now - timedelta(hours=2)), minute(now - timedelta(hours=1))
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", "over",
                             "--start", start, "--end", end)
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (f"meettui: The end ({end.replace('T', ' ')} UTC) is 1 hour ago: the "
                   "meeting would be over before it was made.\n"
                   "  Give a later time; nothing was sent.\n")
    assert jitsi_titles(capsys) == []


def test_an_expiry_that_has_passed_is_refused(demo, capsys):
    end = minute(datetime.now(UTC) - timedelta(days=2, hours=3))
    code, out, err = run_cli(capsys, "create", "-a", "eyeson-demo", "-t", "over",
                             "--end", end)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"meettui: The expiry ({end.replace('T', ' ')} UTC) is 2 days "
                          "3 hours ago: the link would have expired before it was made.\n")


def test_a_start_past_where_the_provider_sets_the_end_is_refused(demo, capsys):
    start = minute(datetime.now(UTC) - timedelta(hours=2))
    code, out, err = run_cli(capsys, "create", "-a", "24sessions-demo", "-t", "over",
                             "--start", start, "-o", "guest_name=Ann",
                             "-o", "guest_email=ann@example.com")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"meettui: The start ({start.replace('T', ' ')} UTC) is 2 hours "
                          "ago: 24sessions sets how long the meeting lasts, so it may be "
                          "over already, and its guest would be invited to it.\n")


def test_an_edit_may_keep_an_end_that_has_passed_but_not_move_one_there(demo, capsys):
    # A meeting that is over keeps its times through a new title; moving its end to
    # another past time is refused.
    over = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    old = make_meeting(0, account="jitsi").model_copy(update={
        "provider": "jitsi", "starts_at": over, "ends_at": over + timedelta(hours=1)})
    cache = Cache(demo / "cache.sqlite3")
    cache.upsert_page("jitsi", [old])
    cache.close()
    code, out, err = run_cli(capsys, "edit", old.id, "-t", "Renamed", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["title"] == "Renamed"
    code, out, err = run_cli(capsys, "edit", old.id, "--end",
                             minute(over + timedelta(hours=2)))
    assert code == EXIT_USAGE and "is 2 days 22 hours ago: the meeting would be over" in err


def test_an_end_typed_for_this_minute_is_taken(demo, capsys):
    # Typed to the minute, "now" (to end a meeting that runs) is up to 59 s gone when
    # read: refused as "less than a minute ago" it could not be given at all.
    now = datetime.now(UTC)
    code, out, err = run_cli(capsys, "create", "-a", "jitsi", "-t", "now",
                             "--start", minute(now - timedelta(hours=1)),
                             "--end", minute(now), "--json")
    assert code == EXIT_OK, err
    assert jitsi_titles(capsys) == ["now"]
