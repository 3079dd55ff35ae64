"""24sessions from the command line, end to end: a meeting is created, listed, shown,
rescheduled with a reason, cancelled (the delete), cancelled with a reason through the
`cancel` verb, and deleted for good through the `delete` action, all through `meettui`
against the simulator served as `meettui simulate 24sessions` in a child process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ahead import NEXT_YEAR
from cli_helpers import (
    base_url_of,
    isolate_paths,
    run_cli,
    run_cli_json,
    run_cli_keeping,
    simulator_process,
)
from meettui.cli import EXIT_ERROR, EXIT_USAGE

CLIENT_ID = "e2e-24s-client"
SECRET = "e2e-24s-secret-31f9a0c2"
ID_ENV, SECRET_ENV = "MEETTUI_E2E_24S_ID", "MEETTUI_E2E_24S_SECRET"


@contextmanager
def simulate_in_child(*args: str) -> Iterator[str]:
    """`meettui simulate ...` as a child process; yields the base URL it prints."""
    with simulator_process(*args) as printed:
        yield base_url_of(printed)


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    with simulate_in_child("24sessions", "--port", "0", "--meetings", "7", "--instance",
                           "acme", "--client-id", CLIENT_ID, "--client-secret",
                           SECRET) as url:
        yield url


@pytest.fixture
def env(tmp_path, monkeypatch, sim_url):
    config = tmp_path / "config.toml"
    config.write_text(
        "builtin_jitsi = false\n"
        "[[accounts]]\n"
        'name = "advice"\n'
        'provider = "24sessions"\n'
        f'base_url = "{sim_url}"\n'
        f'secret_envs = {{ client_id = "{ID_ENV}", client_secret = "{SECRET_ENV}" }}\n'
        "[accounts.settings]\n"
        'instance = "acme"\n'
        "user = 12\n"
        "meeting_type = 1\n"
        'cancellation_reason = "Advisor unavailable"\n',
        encoding="utf-8",
    )
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv(ID_ENV, CLIENT_ID)
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return sim_url


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    return run_cli_keeping(capsys, (SECRET,), *argv)


def cli_json(capsys, *argv: str):
    return run_cli_json(capsys, (SECRET,), *argv)


def upstream(url: str, meeting_id: str) -> httpx.Response:
    token = httpx.get(f"{url}/oauth/v2/token", timeout=10, params={
        "client_id": CLIENT_ID, "client_secret": SECRET,
        "grant_type": "client_credentials"}).json()["access_token"]
    return httpx.get(f"{url}/meetings/{meeting_id}", timeout=10,
                     headers={"Authorization": f"Bearer {token}"})


def test_a_meeting_from_booking_to_deletion(env, capsys, tmp_path):
    url = env
    listed = cli_json(capsys, "list", "--account", "advice")["meetings"]
    assert len(listed) == 7 and all(m["provider"] == "24sessions" for m in listed)

    created = cli_json(capsys, "create", "--account", "advice", "--start",
                       f"{NEXT_YEAR}-12-01T10:00:00+00:00", "-o", "guest_name=Ann Lee",
                       "-o", "guest_email=ann@example.com")
    mid = created["id"]
    assert created["title"] == "Mortgage advice with Ann Lee"
    # A reason for rescheduling means nothing to a new booking: refused, not dropped.
    code, _, err = cli(capsys, "create", "--account", "advice", "--start",
                       f"{NEXT_YEAR}-12-01T12:00:00+00:00", "-o", "guest_name=Bo Berg",
                       "-o", "guest_email=bo@example.com", "-o", "reason=Moved")
    assert code != 0 and "Reason for rescheduling applies to an edit only" in err
    assert "-o reason" in err
    assert created["ends_at"].startswith(f"{NEXT_YEAR}-12-01T10:45")  # type 1 lasts 45 minutes
    host = next(lk for lk in created["links"] if lk["role"] == "host")
    guest = next(lk for lk in created["links"] if lk["role"] == "guest")
    assert host["sensitive"] and "••••" in host["url"]
    assert guest["url"] == "https://acme.24sessions.com/join/" + upstream(url, mid).json()[
        "accessKey"]
    revealed = cli_json(capsys, "show", mid, "--reveal")
    assert next(lk for lk in revealed["links"] if lk["role"] == "host")["url"] == (
        f"https://acme.24sessions.com/room/meeting/{mid}")
    assert len(cli_json(capsys, "list", "--account", "advice")["meetings"]) == 8

    moved = cli_json(capsys, "edit", mid, "--start", f"{NEXT_YEAR}-12-02T15:00:00+00:00",
                     "-o", "reason=Customer asked to move")
    assert moved["starts_at"].startswith(f"{NEXT_YEAR}-12-02T15:00")
    assert moved["details"]["Rescheduled"] == "Customer asked to move"
    assert upstream(url, mid).json()["reschedulingReason"] == "Customer asked to move"

    code, _, err = cli(capsys, "delete", mid)
    assert code == EXIT_USAGE and "--yes" in err  # no terminal to ask
    cancelled = cli_json(capsys, "delete", mid, "--yes")
    assert cancelled == {"schema_version": 2, "id": mid, "account": "advice",
                       "result": "cancel"}
    remote = upstream(url, mid).json()
    assert (remote["status"], remote["cancellationReason"]) == (
        "canceled_user", "Advisor unavailable")
    still = [m for m in cli_json(capsys, "list", "--account", "advice")["meetings"]
             if m["id"] == mid]
    assert [m["status"] for m in still] == ["cancelled"]
    # Cancelled already: a second delete (or its dry run, or the cancel verb) said
    # "cancel", exit 0, having sent nothing; now it says so, exit 2 as "Nothing to
    # change", and names what is left to do: as the command that does it (it named the
    # app's "action 'Delete for good' (delete)").
    already = (f"meettui: 'Mortgage advice with Ann Lee' ({mid}) is cancelled already.\n"
               "  It stays listed as cancelled; nothing was changed. To remove it for "
               f"good, run `meettui action {mid} delete`.\n")
    for argv in (["delete", mid, "--yes"], ["delete", mid, "--dry-run"],
                 ["cancel", mid, "--reason", "Again", "--yes"]):
        code, out, err = cli(capsys, *argv)
        assert (code, out, err) == (EXIT_USAGE, "", already), argv
    assert upstream(url, mid).json()["cancellationReason"] == "Advisor unavailable"
    code, _, err = cli(capsys, "edit", mid, "--start", "+1d")
    # Exit 2, as the cancel of it is: refused before anything is sent (it was 1).
    assert code == EXIT_USAGE and "cannot be edited" in err
    assert "24sessions does not reschedule a cancelled meeting" in err  # why, not only no

    assert [a["name"] for a in cli_json(capsys, "action", mid)["actions"]] == ["delete"]
    gone = cli_json(capsys, "action", mid, "delete", "--yes")
    assert gone["id"] == mid
    assert upstream(url, mid).status_code == 404
    code, _, err = cli(capsys, "show", mid)
    assert code == EXIT_ERROR and "No cached meeting" in err
    log = (tmp_path / "meettui.log")
    assert not log.exists() or SECRET not in log.read_text(encoding="utf-8")


def test_the_cancel_verb_records_the_reason_and_who(env, capsys):
    url = env
    created = cli_json(capsys, "create", "--account", "advice", "--title", "Loan check",
                       "--start", "+2d", "-o", "guest_name=Bo Berg",
                       "-o", "guest_email=bo@example.com", "-o", "meeting_type=3")
    mid = created["id"]
    assert created["title"] == "Loan check"
    with pytest.raises(SystemExit) as exited:  # argparse: a required flag is missing
        cli(capsys, "cancel", mid, "--yes")
    assert exited.value.code == EXIT_USAGE and "--reason" in capsys.readouterr().err
    done = cli_json(capsys, "cancel", mid, "--reason", "Found another bank", "--by", "guest",
                    "--yes")
    assert done["status"] == "cancelled"
    assert done["details"]["24sessions status"] == "cancelled by the guest"
    remote = upstream(url, mid).json()
    assert (remote["status"], remote["cancellationReason"]) == (
        "canceled_guest", "Found another bank")


def test_an_end_on_a_create_is_refused_not_dropped(env, capsys):
    # The meeting type sets the length: `--end` was dropped from the body without a
    # word (exit 0), where `edit` refuses a flag the provider has no use for.
    before = len(cli_json(capsys, "list", "--account", "advice")["meetings"])
    for extra in ([], ["--dry-run"]):
        code, out, err = cli(capsys, "create", "--account", "advice", "--start", "+1d",
                             "--end", "+2h", "-o", "guest_name=Ann",
                             "-o", "guest_email=ann@example.com", *extra)
        assert (code, out) == (EXIT_USAGE, "")
        assert err == ("meettui: 24sessions takes no end time. The meeting type "
                       "(-o meeting_type=…) sets how long a meeting lasts.\n"
                       "  Leave out --end; nothing was sent.\n")
    assert len(cli_json(capsys, "list", "--account", "advice")["meetings"]) == before


def test_refusals_name_what_to_fix(env, capsys):
    code, _, err = cli(capsys, "create", "--account", "advice", "--start", "+1d",
                       "-o", "guest_name=Cy", "-o", "guest_email=cy@example.com",
                       "-o", "user=999")
    assert code == EXIT_ERROR and 'Item not found for "/users/999"' in err
    code, _, err = cli(capsys, "create", "--account", "advice", "-o", "guest_name=Cy",
                       "-o", "guest_email=cy@example.com")
    assert code == EXIT_USAGE and "needs a start" in err  # meettui's check: nothing sent



def test_a_wrong_client_secret_names_the_variables_it_is_read_from(env, capsys,
                                                                   monkeypatch):
    # "check the account's client_id and client_secret" named neither variable, where a
    # Whereby key's refusal names its own.
    monkeypatch.setenv(SECRET_ENV, "not-the-secret-4471")
    code, out, err = run_cli_keeping(capsys, ("not-the-secret-4471",), "list",
                                     "--account", "advice")
    assert code == EXIT_ERROR
    assert "client_id and client_secret" in err
    assert f"The account reads them from ${ID_ENV}, ${SECRET_ENV}." in err
    assert "not-the-secret-4471" not in err + out

def test_a_setting_the_instance_does_not_know_is_named_as_the_setting(env, capsys):
    # The account's `user` named no advisor: "Item not found for "/users/999". Correct
    # the value and submit again." named nothing the user had typed.
    config = Path(os.environ["MEETTUI_CONFIG"])
    config.write_text(config.read_text().replace("user = 12", "user = 999"))
    code, _, err = cli(capsys, "create", "--account", "advice", "--start", "+1d",
                       "-o", "guest_name=Cy", "-o", "guest_email=cy@example.com")
    assert code == EXIT_ERROR
    assert 'Item not found for "/users/999" (the account\'s `user` setting, \'999\').' in err
    assert "Set `user` under [accounts.settings] of 'advice' in config.toml" in err


def test_delete_hard_deletes_for_good_where_delete_cancels(env, capsys):
    url = env
    created = cli_json(capsys, "create", "--account", "advice", "--title", "Hard one",
                       "--start", "+3d", "-o", "guest_name=Di Dahl",
                       "-o", "guest_email=di@example.com")
    mid = created["id"]
    code, _, err = cli(capsys, "delete", mid, "--hard")
    assert code == EXIT_USAGE and "--yes" in err  # asks first; no terminal here
    assert upstream(url, mid).status_code == 200
    gone = cli_json(capsys, "delete", mid, "--hard", "--yes")
    assert gone == {"schema_version": 2, "id": mid, "account": "advice",
                       "result": "delete"}
    assert upstream(url, mid).status_code == 404
    code, _, err = cli(capsys, "show", mid)
    assert code == EXIT_ERROR and "No cached meeting" in err


@pytest.mark.parametrize("email", ["notanemail", "ann@"])
def test_the_demo_calls_a_malformed_email_invalid(tmp_path, monkeypatch, capsys, email):
    # As the tester ran it: no config file, so the demo accounts.
    isolate_paths(monkeypatch, tmp_path)
    code, out, err = run_cli(capsys, "create", "-a", "24sessions-demo", "--start", "+1d",
                             "-o", f"guest_email={email}", "-o", "guest_name=A")
    assert code == EXIT_USAGE  # meettui's own check, as a time it cannot read
    assert f"The guest's email '{email}' is not a valid address" in err
    assert "required" not in err
    assert out == ""


def test_an_edit_of_the_guest_is_refused_whole(env, capsys):
    # `edit ID -o guest_name=X --yes` printed the meeting unchanged, exit 0; beside
    # `--start` its dry run planned the new date alone, and the guest was dropped.
    url = env
    created = cli_json(capsys, "create", "--account", "advice", "--start", "+2d",
                       "-o", "guest_name=Eva Ek", "-o", "guest_email=eva@example.com")
    mid = created["id"]
    booked = upstream(url, mid).json()
    refusal = ("meettui: Guest name (guest_name) is fixed once the meeting exists; "
               "24sessions cannot change it.\n  Leave out the guest_name option; nothing "
               "was sent, and the meeting is as it was. Another value needs a new "
               "meeting.\n")
    for extra in ([], ["--start", "+3d"], ["--start", "+3d", "--dry-run"]):
        code, out, err = cli(capsys, "edit", mid, "-o", "guest_name=X", *extra, "--yes")
        assert (code, out, err) == (EXIT_USAGE, "", refusal), extra
    code, _, err = cli(capsys, "edit", mid, "-o", "guest_email=x@example.com",
                       "-o", "reason=Moved", "--start", "+3d", "--yes")
    assert code == EXIT_USAGE and "Guest email (guest_email) is fixed" in err
    remote = upstream(url, mid).json()
    assert remote["date"] == booked["date"]
    assert cli_json(capsys, "show", mid, "--refresh")["starts_at"] == created["starts_at"]



def test_a_reason_without_a_new_start_is_refused_not_dropped(env, capsys):
    # `edit ID -o reason=…` (or with the meeting's own start, or with a new
    # description) sent no reason, or the description alone, and answered exit 0, as
    # if the edit were made; an agent's edit_meeting said no error either.
    url = env
    created = cli_json(capsys, "create", "--account", "advice", "--start", "+2d",
                       "-o", "guest_name=Eva Ek", "-o", "guest_email=eva@example.com")
    mid = created["id"]
    booked = upstream(url, mid).json()
    refusal = ("meettui: A reason for rescheduling goes with a new start, and the start "
               "is unchanged.\n  Give a new start with it, or leave the reason out; "
               "nothing was sent.\n")
    for extra in ([], ["--start", created["starts_at"]], ["-t", "New description"]):
        code, out, err = cli(capsys, "edit", mid, "-o", "reason=Moved", *extra, "--yes")
        assert (code, out, err) == (EXIT_USAGE, "", refusal), extra
    assert upstream(url, mid).json() == booked  # nothing sent
    moved = cli_json(capsys, "edit", mid, "-o", "reason=Moved", "--start", "+3d", "--yes")
    assert moved["details"]["Rescheduled"] == "Moved"

def test_an_unknown_option_lists_what_that_command_takes(env, capsys):
    # Both listed every option: a create's list had the edit's `reason`, an edit's the
    # guest and host it refuses as fixed.
    code, _, err = cli(capsys, "create", "--account", "advice", "--start", "+1d",
                       "-o", "nosuch=1")
    assert code == EXIT_USAGE and err.startswith(
        "meettui: 24sessions has no option 'nosuch'; it takes: guest_email, guest_name, "
        "meeting_type, user.\n")
    mid = cli_json(capsys, "create", "--account", "advice", "--start", "+2d",
                   "-o", "guest_name=Fay", "-o", "guest_email=fay@example.com")["id"]
    code, _, err = cli(capsys, "edit", mid, "-o", "nosuch=1", "--yes")
    assert code == EXIT_USAGE and err.startswith(
        "meettui: 24sessions has no option 'nosuch'; an edit takes: reason.\n")


def test_a_cancelled_meeting_shows_no_waiting_room_advice_but_its_json_keeps_it(env, capsys):
    # "Guests: wait in the waiting room until the host starts the meeting" and the host
    # link's login advice read as advice on a cancelled meeting (`open_only_details`):
    # the text leaves them out once it is cancelled; the JSON keeps every detail, data.
    created = cli_json(capsys, "create", "--account", "advice", "--title", "Fact check",
                       "--start", "+2d", "-o", "guest_name=Cy Dahl",
                       "-o", "guest_email=cy@example.com")
    mid = created["id"]
    code, out, _ = cli(capsys, "show", mid, "--text")
    assert code == 0
    assert "  Guests: wait in the waiting room until the host starts the meeting\n" in out
    assert "  Host link: opens for the logged-in host only" in out
    cli_json(capsys, "delete", mid, "--yes")
    code, out, _ = cli(capsys, "show", mid, "--text")
    assert code == 0 and "status    cancelled" in out
    assert "waiting room" not in out and "Host link:" not in out
    # What a cancelled meeting still tells is kept.
    assert "  Cancellation reason: Advisor unavailable\n" in out
    assert "  Guest: Cy Dahl <cy@example.com>\n" in out
    details = cli_json(capsys, "show", mid)["details"]
    assert details["Guests"].startswith("wait in the waiting room")
    assert details["Host link"].startswith("opens for the logged-in host")


def test_the_qr_code_of_a_cancelled_meeting_is_refused_saying_why(env, capsys, tmp_path):
    # `meettui qr` of a cancelled meeting made a code of its guest link (exit 0, no
    # word): staff showed a guest a way into a meeting that no longer takes place.
    created = cli_json(capsys, "create", "--account", "advice", "--title", "Tax check",
                       "--start", "+2d", "-o", "guest_name=Di Eng",
                       "-o", "guest_email=di@example.com")
    mid = created["id"]
    code, out, _ = cli(capsys, "qr", mid, "--text")
    assert code == 0 and "Guest link: https://" in out  # before: a code as any meeting's
    cli_json(capsys, "cancel", mid, "--reason", "Moved abroad", "--yes")
    for flags in ((), ("--text",), ("--png", str(tmp_path / "q.png"))):
        code, out, err = cli(capsys, "qr", mid, *flags)
        assert (code, out) == (EXIT_ERROR, ""), err
        first, hint = err.rstrip("\n").split("\n")
        assert first == (f"meettui: 'Tax check' ({mid}) was cancelled, so its link most "
                         "likely leads nowhere. No QR code was made.")
        assert hint == ("  To meet, make a new meeting with `meettui create -a advice …`; "
                        f"`meettui show {mid} --refresh` reads its status from the "
                        "provider again.")
    assert not (tmp_path / "q.png").exists()
    # A read-only account makes no new meeting: the hint told to make one with a
    # command that account refuses.
    config = tmp_path / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'provider = "24sessions"\n', 'provider = "24sessions"\nread_only = true\n'),
        encoding="utf-8")
    for command in (("qr", mid), ("qr", mid, "--text")):  # ics keeps it, cancelled
        code, out, err = cli(capsys, *command)
        assert code == EXIT_ERROR, err
        assert err.rstrip("\n").split("\n")[-1] == (
            f"  `meettui show {mid} --refresh` reads its status from the provider again; "
            "'advice' makes no new meetings (it is read-only)."), command
