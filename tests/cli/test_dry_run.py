"""`--dry-run` against every provider's simulator, served as `meettui simulate KIND` in
child processes over real sockets: the report names the request a change would send
(method, path, body fields; credentials masked), and afterwards the provider's list and
the cache are exactly as before."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cli_helpers import base_url_of, isolate_paths, run_cli_keeping, simulator_process
from meettui.cli import EXIT_OK, EXIT_USAGE

KEYS = {"wb": "dry-wb-key-5a1c", "ey": "dry-ey-key-77f0", "ev": "dry-ev-key-90d2",
        "advice": "dry-24s-secret-c4e1"}
EVENT = "dry-expo"


@pytest.fixture(scope="module")
def sims(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Base URLs by account, plus the Vonage application id and key path."""
    with ExitStack() as stack:
        def serve(*args: str, env: dict[str, str] | None = None) -> str:
            return stack.enter_context(simulator_process(*args, env=env))

        # The Vonage simulator writes the keypair it makes for the run under TMPDIR.
        tmp = str(tmp_path_factory.mktemp("dry-vonage"))
        vonage = serve("vonage", "--port", "0", "--meetings", "4", env={"TMPDIR": tmp})
        yield {
            "wb": base_url_of(serve("whereby", "--port", "0", "--meetings", "4",
                                    "--api-key", KEYS["wb"])),
            "ey": base_url_of(serve("eyeson", "--port", "0", "--meetings", "4",
                                    "--api-key", KEYS["ey"])),
            "ev": base_url_of(serve("accelevents", "--port", "0", "--meetings", "4",
                                    "--api-key", KEYS["ev"], "--event", EVENT,
                                    "--time-zone", "Europe/Berlin")),
            "advice": base_url_of(serve("24sessions", "--port", "0", "--meetings", "6",
                                        "--instance", "acme", "--client-id", "dry-client",
                                        "--client-secret", KEYS["advice"])),
            "vn": base_url_of(vonage),
            "vn_app": re.search(r'application_id = "([^"]+)"', vonage).group(1),
            "vn_key": re.search(r'private_key_path = "([^"]+)"', vonage).group(1),
        }


@pytest.fixture
def env(tmp_path, monkeypatch, sims):
    config = tmp_path / "config.toml"
    config.write_text(f"""\
[[accounts]]
name = "wb"
provider = "whereby"
base_url = "{sims['wb']}"
secret_env = "DRY_WB"
[[accounts]]
name = "ey"
provider = "eyeson"
base_url = "{sims['ey']}"
secret_env = "DRY_EY"
[accounts.settings]
host_name = "Ann Advisor"
[[accounts]]
name = "ev"
provider = "accelevents"
base_url = "{sims['ev']}"
secret_env = "DRY_EV"
[accounts.settings]
eventurl = "{EVENT}"
time_zone = "Europe/Berlin"
[[accounts]]
name = "advice"
provider = "24sessions"
base_url = "{sims['advice']}"
secret_envs = {{ client_id = "DRY_24_ID", client_secret = "DRY_24" }}
[accounts.settings]
instance = "acme"
user = 12
meeting_type = 1
[[accounts]]
name = "vn"
provider = "vonage"
base_url = "{sims['vn']}"
[accounts.settings]
application_id = "{sims['vn_app']}"
private_key_path = "{sims['vn_key']}"
""", encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    for name, value in {"DRY_WB": KEYS["wb"], "DRY_EY": KEYS["ey"], "DRY_EV": KEYS["ev"],
                        "DRY_24_ID": "dry-client", "DRY_24": KEYS["advice"]}.items():
        monkeypatch.setenv(name, value)
    return sims


def test_the_simulators_temporary_files_lie_in_pytest_s_own_folders(sims, tmp_path_factory):
    # The Vonage simulator's TMPDIR was a mkdtemp folder in /tmp that no run removed.
    assert Path(sims["vn_key"]).is_relative_to(tmp_path_factory.getbasetemp())


def secrets(sims: dict[str, str]) -> tuple[str, ...]:
    body = Path(sims["vn_key"]).read_text(encoding="utf-8").split("-----")[2].split()[0]
    return (*KEYS.values(), body)


def cli(capsys, sims, *argv: str) -> tuple[int, str, str]:
    return run_cli_keeping(capsys, secrets(sims), *argv)


def state(capsys, sims, account: str, *, offline: bool) -> list[tuple]:
    """The account's meetings as the provider lists them (a sync), or as cached."""
    code, out, err = cli(capsys, sims, "list", "-a", account, "--json",
                         *(["--offline"] if offline else []))
    assert code == EXIT_OK, err
    return sorted((m["id"], m["title"], m["starts_at"], m["ends_at"], m["reported_status"])
                  for m in json.loads(out)["meetings"])


def dry(capsys, sims, *argv: str) -> dict:
    code, out, err = cli(capsys, sims, *argv, "--dry-run", "--json")
    assert code == EXIT_OK, err
    report = json.loads(out)
    assert report["dry_run"] is True
    return report


def pick(before: list[tuple], account: str) -> str:
    """A meeting of `account` that its provider can still edit and delete."""
    for mid, _title, _start, end, status in before:
        if account == "ey" and mid.startswith("room:"):
            continue  # a running room: only stopped
        if account == "advice" and status != "scheduled":
            continue  # cancelled or past meetings cannot be rescheduled
        if account == "vn" and (status != "scheduled" or end is not None):
            continue
        return mid
    raise AssertionError(f"nothing to edit in {account}: {before}")


# account: (create args, create request, edit args, edit request, delete request)
# A request is (method, path suffix, body fields that must be there). The dates are ahead
# of the real clock (a fixed 2027-03-02 would pass, and a create of a meeting over is
# refused), within Vonage's year, and the expected texts worked out in the zone each
# provider is sent (the event's, Europe/Berlin, whatever its offset that day).
DAY = (datetime.now(UTC) + timedelta(days=60)).date()
BERLIN = ZoneInfo("Europe/Berlin")


def _berlin(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).astimezone(
        BERLIN).strftime("%Y/%m/%d %H:%M")


CASES = {
    "wb": (["-t", "Dry room", "--end", "+1h", "-o", "roomMode=group"],
           ("POST", "/v1/meetings", {"roomMode": "group"}),
           ["--title", "Dry renamed", "--end", "+2h"],
           ("POST", "/v1/meetings", {}),
           ("DELETE", "/v1/meetings/{id}", None)),
    "ey": (["-t", "Dry permalink"],
           ("POST", "/permalink", {"name": "Dry permalink", "user[name]": "Ann Advisor"}),
           ["--title", "Dry renamed"],
           ("PUT", "/permalink/{id}", {"name": "Dry renamed"}),
           ("DELETE", "/permalink/{id}", None)),
    "ev": (["-t", "Dry talk", "--start", f"{DAY}T09:00Z", "--end", "+1h"],
           ("POST", f"/host/event/{EVENT}/session",
            {"title": "Dry talk", "startTime": _berlin(DAY, 9),
             "endTime": _berlin(DAY, 10)}),
           ["--title", "Dry renamed"],
           ("PUT", f"/host/event/{EVENT}/session/{{id}}", {"title": "Dry renamed"}),
           ("DELETE", f"/host/event/{EVENT}/session/{{id}}", None)),
    "advice": (["--start", f"{DAY}T10:00Z", "-o", "guest_name=Ann Lee",
                "-o", "guest_email=ann@example.com"],
               ("POST", "/meetings", {"guest": {"name": "Ann Lee",
                                                "email": "ann@example.com"},
                                      "date": f"{DAY}T10:00:00+00:00"}),
               ["--start", f"{DAY + timedelta(days=1)}T15:00Z",
                "-o", "reason=Customer asked"],
               ("PUT", "/meetings/{id}", {"reschedulingReason": "Customer asked"}),
               ("PUT", "/meetings/{id}", {"status": "canceled_user"})),
    "vn": (["-t", "Dry room", "--end", f"{DAY}T10:00Z"],
           ("POST", "/rooms", {"display_name": "Dry room", "type": "long_term"}),
           ["--end", f"{DAY + timedelta(days=30)}T10:00Z"],
           ("PATCH", "/rooms/{id}",
            {"update_details": {
                "expires_at": f"{DAY + timedelta(days=30)}T10:00:00.000Z"}}),
           None),
}
AUTH = {"wb": ("Authorization", "Bearer ***"), "ey": ("Authorization", "***"),
        "ev": ("Key", "***"), "advice": ("Authorization", "Bearer ***"),
        "vn": ("Authorization", "Bearer ***")}


def check(request: dict, expected: tuple, account: str, mid: str = "") -> None:
    method, suffix, fields = expected
    assert request["method"] == method
    assert request["url"].endswith(suffix.format(id=mid)), request["url"]
    header, value = AUTH[account]
    assert request["headers"][header] == value
    for name, want in (fields or {}).items():
        assert request["body"][name] == want, (name, request["body"])


@pytest.mark.parametrize("account", list(CASES))
def test_dry_runs_report_the_request_and_change_nothing(env, capsys, account):
    create, created, edit, edited, deleted = CASES[account]
    before = state(capsys, env, account, offline=False)
    cached = state(capsys, env, account, offline=True)
    assert before and cached == before
    mid = pick(before, account)

    report = dry(capsys, env, "create", "-a", account, *create)
    assert report["account"] == account and len(report["requests"]) == 1
    check(report["requests"][0], created, account)

    report = dry(capsys, env, "edit", mid, *edit, "--yes")
    check(report["requests"][0], edited, account, mid)
    if account == "wb":  # recreate: the old room's delete follows
        assert [r["method"] for r in report["requests"]] == ["POST", "DELETE"]
        check(report["requests"][1], ("DELETE", "/v1/meetings/{id}", None), account, mid)
        assert any("every link changes" in t for t in report["then"])
    if account == "ev":  # fetch-merge-put: the read happened, the speakers are kept
        assert report["requests"][0]["body"]["speakerList"]

    if deleted is None:
        code, _, err = cli(capsys, env, "delete", mid, "--dry-run", "--json")
        # Refused before anything is sent: a usage error, as `--hard` of no delete is.
        assert code == EXIT_USAGE and "cannot be deleted" in err
    else:
        report = dry(capsys, env, "delete", mid)
        check(report["requests"][0], deleted, account, mid)

    assert state(capsys, env, account, offline=True) == cached
    assert state(capsys, env, account, offline=False) == before


def test_a_new_whereby_title_alone_is_a_local_change(env, capsys):
    # Whereby keeps no title: renaming a room recreated it (POST, then DELETE of the
    # old room), so every link already sent to guests stopped working.
    before = state(capsys, env, "wb", offline=False)
    mid = pick(before, "wb")
    report = dry(capsys, env, "edit", mid, "--title", "Renamed room")
    assert report["requests"] == [] and "local cache" in report["local"][0]
    assert "→ 'Renamed room'" in report["local"][0]
    code, out, err = cli(capsys, env, "edit", mid, "--title", "Renamed room", "--json")
    assert code == EXIT_OK, err
    edited = json.loads(out)
    assert (edited["id"], edited["title"]) == (mid, "Renamed room")
    assert "replaced_id" not in edited
    assert "Go ahead?" not in err
    assert [m[0] for m in state(capsys, env, "wb", offline=False)] == [m[0] for m in before]


def test_actions_and_hard_delete_dry_run(env, capsys):
    before = state(capsys, env, "ey", offline=False)
    mid = pick(before, "ey")
    report = dry(capsys, env, "host", "add", mid, "--name", "Bob Builder")
    check(report["requests"][0], ("POST", "/permalink/{id}/users",
                                  {"user[name]": "Bob Builder"}), "ey", mid)
    report = dry(capsys, env, "start", mid)
    assert report["requests"][0]["method"] == "POST"
    # The host's token, masked as every credential of a dry run is (`***`, README).
    assert report["requests"][0]["url"].endswith("/permalink/***")
    assert state(capsys, env, "ey", offline=False) == before

    before = state(capsys, env, "advice", offline=False)
    mid = pick(before, "advice")
    report = dry(capsys, env, "delete", mid, "--hard")
    assert [(r["method"], r["body"]) for r in report["requests"]] == [("DELETE", None)]
    report = dry(capsys, env, "cancel", mid, "--reason", "Found another slot")
    check(report["requests"][0], ("PUT", "/meetings/{id}", {
        "status": "canceled_user", "cancellationReason": "Found another slot"}), "advice", mid)
    assert state(capsys, env, "advice", offline=False) == before


def test_the_text_report_reads_as_a_request(env, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = cli(capsys, env, "create", "-a", "wb", "--end", "+1h", "--dry-run")
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0] == "Dry run (wb): nothing was sent or changed."
    assert lines[1] == "Would send:"
    assert lines[2] == f"  POST {env['wb']}/meetings"
    assert "  Authorization: Bearer ***" in lines
    assert any(line.strip().startswith('"endDate": "') for line in lines)


def test_a_local_change_says_it_is_local(tmp_path, monkeypatch, capsys):
    isolate_paths(monkeypatch, tmp_path)  # the built-in Jitsi account only
    code, out, err = run_cli_keeping(capsys, (), "create", "-a", "jitsi", "-t", "Standup",
                                     "--dry-run", "--json")
    assert code == EXIT_OK, err
    report = json.loads(out)
    assert report["requests"] == [] and "local cache" in report["local"][0]
    assert report["account"] == "jitsi"  # it was "": a local change named no account
    code, out, _ = run_cli_keeping(capsys, (), "create", "-a", "jitsi", "-t", "Standup",
                                   "--dry-run", "--text")
    assert out.startswith("Dry run (jitsi): nothing was sent or changed.")
    code, out, _ = run_cli_keeping(capsys, (), "list", "--offline", "--json")
    assert json.loads(out)["meetings"] == []

    code, out, _ = run_cli_keeping(capsys, (), "create", "-a", "jitsi", "-t", "Standup",
                                   "--json")
    room = json.loads(out)["id"]
    report = json.loads(run_cli_keeping(capsys, (), "edit", room, "-t", "Retro",
                                        "--dry-run", "--json")[1])
    assert "title: 'Standup' → 'Retro'" in report["local"][0]
    assert report["account"] == "jitsi"
    report = json.loads(run_cli_keeping(capsys, (), "delete", room, "--dry-run",
                                        "--json")[1])
    assert "forgotten" in report["local"][0] and report["account"] == "jitsi"
    code, out, _ = run_cli_keeping(capsys, (), "show", room, "--json")
    assert code == EXIT_OK and json.loads(out)["title"] == "Standup"


def test_a_dry_run_that_changes_nothing_prints_its_report_alone(env, capsys, monkeypatch):
    # `action ID --dry-run --json` (the actions listed, no change) printed the actions,
    # then the report: two JSON documents where a script reads one; the text said the
    # actions before "Dry run: nothing was sent or changed."
    before = state(capsys, env, "ev", offline=False)
    mid = before[0][0]
    report = dry(capsys, env, "action", mid)
    assert report == {"schema_version": 2, "dry_run": True, "account": "ev",
                      "requests": [], "local": [],
                      "then": ["nothing: no change would be made"]}
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = cli(capsys, env, "action", mid, "--dry-run")
    assert (code, out) == (EXIT_OK, "Dry run (ev): nothing was sent or changed.\n"
                                    "Then: nothing: no change would be made\n"), err
