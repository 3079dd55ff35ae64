"""Vonage Meetings from the command line, end to end, against `meettui simulate vonage`
in a child process: the account is configured from what the simulator prints
(application id and the generated private key's path), then rooms are listed, created
(long-term and instant), shown, edited and refused as a user would see it. A second
run verifies JWTs with a public key given to the simulator, the private key in a
variable."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from vonage_support import APPLICATION_ID, PRIVATE_KEY, PUBLIC_KEY

from cli_helpers import isolate_paths, run_cli, run_cli_json, run_cli_keeping, simulator_process
from meettui.cli import EXIT_ERROR, EXIT_USAGE
from meettui.providers.vonage.capabilities import DEPRECATION

ENV = "MEETTUI_E2E_VONAGE_PEM"


@contextmanager
def simulate_in_child(tmp: Path, *args: str) -> Iterator[str]:
    """`meettui simulate vonage ...` as a child process (temporary files under `tmp`);
    yields everything it printed before "Press Ctrl+C"."""
    with simulator_process("vonage", *args, env={"TMPDIR": str(tmp)}) as printed:
        yield printed


def field(printed: str, pattern: str) -> str:
    found = re.search(pattern, printed)
    assert found is not None, printed
    return found.group(1)


@pytest.fixture
def generated(tmp_path, monkeypatch) -> Iterator[tuple[str, str]]:
    """The simulator with its own keypair, and a config written from what it printed:
    (base URL, private key PEM)."""
    with simulate_in_child(tmp_path, "--port", "0", "--meetings", "12") as printed:
        url = field(printed, r"base URL:\s+(\S+)")
        app_id = field(printed, r'application_id = "([^"]+)"')
        key_path = field(printed, r'private_key_path = "([^"]+)"')
        assert Path(key_path).is_relative_to(tmp_path)
        assert "BEGIN" not in printed  # the key's path is printed, never the key
        config = tmp_path / "config.toml"
        config.write_text(
            "builtin_jitsi = false\n[[accounts]]\n"
            f'name = "vn"\nprovider = "vonage"\nbase_url = "{url}"\n'
            f'[accounts.settings]\napplication_id = "{app_id}"\n'
            f'private_key_path = "{key_path}"\n', encoding="utf-8")
        isolate_paths(monkeypatch, tmp_path, config)
        yield url, Path(key_path).read_text(encoding="utf-8")


def _key_body(pem: str) -> str:
    return pem.split("-----")[2].strip().splitlines()[0]


def cli(capsys, pem: str, *argv: str) -> tuple[int, str, str]:
    return run_cli_keeping(capsys, (_key_body(pem),), *argv)


def cli_json(capsys, pem: str, *argv: str):
    return run_cli_json(capsys, (_key_body(pem),), *argv)


def test_rooms_from_the_command_line(generated, capsys):
    _, pem = generated
    [account] = cli_json(capsys, pem, "accounts")["accounts"]
    assert (account["display_name"], account["health"]) == ("Vonage Meetings",
                                                            "deprecated service")
    assert account["message"] == DEPRECATION

    listed = cli_json(capsys, pem, "list")["meetings"]
    assert len(listed) == 12
    for room in listed:
        host = next(lk for lk in room["links"] if lk["role"] == "host")
        assert host["sensitive"] and host["url"].endswith("/••••••••")
        guest = next(lk for lk in room["links"] if lk["role"] == "guest")
        assert re.fullmatch(r"meeting code \d{9}", guest["label"])
    assert cli_json(capsys, pem, "accounts")["accounts"][0]["message"] == DEPRECATION

    board = cli_json(capsys, pem, "create", "-a", "vn", "-t", "Board", "--end", "+2d",
                     "-o", "join_approval_level=after_owner_only")
    assert board["reported_status"] == "scheduled" and board["expires_at"]
    assert board["details"]["Room type"].startswith("long-term")
    assert board["details"]["Join approval"] == "after_owner_only"
    shown = cli_json(capsys, pem, "show", board["id"], "--refresh", "--reveal")
    host = next(lk for lk in shown["links"] if lk["role"] == "host")
    assert "participant_token=" in host["url"]

    edited = cli_json(capsys, pem, "edit", board["id"], "--end", "+5d",
                      "-o", "is_chat_available=false", "--yes")
    assert edited["expires_at"] > board["expires_at"]
    assert "chat" not in edited["details"]["Features"]
    assert edited["links"] == board["links"]
    # A new name alone changes nothing Vonage can change: the same refusal, and the same
    # usage error (exit 2), as an edit given nothing (it exited 1).
    code, out, err = cli(capsys, pem, "edit", board["id"], "--title", "Renamed", "--yes")
    assert code == EXIT_USAGE and out == ""
    # Named by its account, then the provider (it said "vonage:" alone).
    assert err == ("meettui: vn (vonage): Room name is fixed once the meeting exists; it "
                   "cannot be changed.\n  Leave it out; nothing was sent, and the meeting is "
                   "as it was.\n")
    # Given beside a setting Vonage does change, the name was dropped without a word.
    code, out, err = cli(capsys, pem, "edit", board["id"], "--title", "Renamed",
                         "-o", "expire_after_use=false", "--yes")
    assert code == EXIT_USAGE and out == "" and "Room name is fixed" in err
    code, out, err = cli(capsys, pem, "edit", board["id"], "-o", "language=de", "--yes")
    assert code == EXIT_USAGE and out == "" and err == (
        "meettui: Language (language) is fixed once the meeting exists; Vonage Meetings "
        "cannot change it.\n  Leave out the language option; nothing was sent, and the "
        "meeting is as it was. Another value needs a new meeting.\n")

    walk_in = cli_json(capsys, pem, "create", "-a", "vn", "-t", "Walk-in")
    assert walk_in["status"] == "live"
    assert walk_in["details"]["Room type"].startswith("instant")
    code, _, err = cli(capsys, pem, "edit", walk_in["id"], "--end", "+1d", "--yes")
    # "This Vonage Meetings meeting cannot be edited." named the provider twice over.
    # Refused before anything is sent: exit 2, as a change to a fixed field is.
    assert code == EXIT_USAGE and err.startswith(
        "meettui: This meeting cannot be edited at Vonage Meetings.\n")

    code, _, err = cli(capsys, pem, "delete", board["id"], "--yes")
    # It said "Vonage Meetings meetings cannot be deleted; they expire on their own."
    assert code == EXIT_USAGE and err == (
        "meettui: This meeting cannot be deleted (Vonage Meetings has no delete); it "
        "expires on its own.\n")
    assert len(cli_json(capsys, pem, "list")["meetings"]) == 14

    code, _, err = cli(capsys, pem, "create", "-a", "vn", "-t", "Soon", "--end", "+5m")
    assert code == EXIT_USAGE and "more than 10 minutes" in err  # meettui's own check


def test_an_expiry_can_be_given_as_an_option_as_the_form_spells_it(generated, capsys):
    # The mapping read `-o expires_at=`, but the option check refused it first ("has no
    # option 'expires_at'"), while eyeson's expiry takes the same spelling.
    _, pem = generated
    room = cli_json(capsys, pem, "create", "-a", "vn", "-t", "Later", "-o",
                    "expires_at=+3d")
    assert room["details"]["Room type"].startswith("long-term")
    by_end = cli_json(capsys, pem, "create", "-a", "vn", "-t", "Later too", "--end", "+3d")
    # The same expiry as --end gives (the two commands ran moments apart).
    apart = (datetime.fromisoformat(by_end["expires_at"])
             - datetime.fromisoformat(room["expires_at"]))
    assert timedelta(0) <= apart < timedelta(minutes=1)
    edited = cli_json(capsys, pem, "edit", room["id"], "-o", "expires_at=+5d", "--yes")
    assert edited["expires_at"] > room["expires_at"]


def test_a_start_is_refused_on_a_create_as_on_an_edit(generated, capsys):
    # `create --start +1h` sent no start (the room was live at once, gone in 10 minutes)
    # and exited 0, where `edit --start` was refused.
    _, pem = generated
    refused = ("meettui: Vonage Meetings takes no start time. A Vonage room opens when it "
               "is created.\n  Leave out --start; nothing was sent.\n")
    for extra in ([], ["--dry-run"]):
        code, out, err = cli(capsys, pem, "create", "-a", "vn", "-t", "x", "--start", "+1h",
                             *extra)
        assert (code, out, err) == (EXIT_USAGE, "", refused)
    assert len(cli_json(capsys, pem, "list")["meetings"]) == 12  # nothing was made
    room = cli_json(capsys, pem, "create", "-a", "vn", "-t", "Kept", "--end", "+2d")
    code, out, err = cli(capsys, pem, "edit", room["id"], "--start", "+1h", "--yes")
    assert (code, out, err) == (EXIT_USAGE, "", refused)


def test_accounts_says_needs_credentials_when_the_key_file_is_gone(generated, tmp_path,
                                                                   capsys):
    # `meettui accounts` said "deprecated service" whatever the state of the key file.
    _, pem = generated
    config = (tmp_path / "config.toml").read_text(encoding="utf-8")
    key_path = Path(field(config, r'private_key_path = "([^"]+)"'))
    assert len(cli_json(capsys, pem, "list")["meetings"]) == 12
    key_path.unlink()
    [account] = cli_json(capsys, pem, "accounts")["accounts"]
    assert account["health"] == "needs credentials"
    assert "cannot read the private key file" in account["message"]
    assert DEPRECATION in account["message"]


def test_a_given_public_key_and_the_private_key_in_a_variable(tmp_path, monkeypatch,
                                                                capsys):
    public = tmp_path / "public.pem"
    public.write_text(PUBLIC_KEY, encoding="utf-8")
    with simulate_in_child(tmp_path, "--port", "0", "--meetings", "3", "--application-id",
                           APPLICATION_ID, "--public-key", str(public)) as printed:
        assert "private_key_path" not in printed
        assert 'secret_env = "VONAGE_PRIVATE_KEY"' in printed
        url = field(printed, r"base URL:\s+(\S+)")
        config = tmp_path / "config.toml"
        config.write_text(
            "builtin_jitsi = false\n[[accounts]]\n"
            f'name = "vn"\nprovider = "vonage"\nbase_url = "{url}"\nsecret_env = "{ENV}"\n'
            f'[accounts.settings]\napplication_id = "{APPLICATION_ID}"\n', encoding="utf-8")
        isolate_paths(monkeypatch, tmp_path, config)
        monkeypatch.setenv(ENV, PRIVATE_KEY)
        assert len(cli_json(capsys, PRIVATE_KEY, "list")["meetings"]) == 3
        monkeypatch.delenv(ENV)
        code, _, err = cli(capsys, PRIVATE_KEY, "list", "--json")
        assert code == EXIT_ERROR and "private key" in err


def test_a_public_key_that_is_not_one_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "public.pem"
    bad.write_text("not a key", encoding="utf-8")
    code, _, err = run_cli(capsys, "simulate", "vonage", "--public-key", str(bad))
    assert code == 2 and "is not a PEM public key" in err


# SIGHUP: the terminal it ran in was closed (the key outlived it).
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_the_generated_private_key_is_removed_when_the_simulator_stops(tmp_path, sig):
    # Ctrl+C left /tmp/meettui-vonage-*/private.key behind, a private key per run.
    proc = subprocess.Popen(
        [sys.executable, "-m", "meettui", "simulate", "vonage", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "TMPDIR": str(tmp_path), "MEETTUI_LOG": str(tmp_path / "log")})
    try:
        assert proc.stdout is not None
        printed = ""
        for line in proc.stdout:  # it prints all at once, then serves
            printed += line
            if line.startswith("Press Ctrl+C"):
                break
        key = Path(field(printed, r"private key:\s+(\S+)"))
        assert key.is_relative_to(tmp_path) and key.read_text().startswith("-----BEGIN")
    finally:
        proc.send_signal(sig)
        proc.wait(timeout=30)
    assert not key.exists() and not key.parent.exists()
    assert proc.returncode in (0, -sig)  # stopped as such a signal stops it
