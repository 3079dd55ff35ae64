"""eyeson from the command line, end to end: a permalink is created, given a second host,
started, joined by a guest, stripped of a host, stopped and deleted, all through `meettui`
against the eyeson simulator served as `meettui simulate eyeson` in a child process."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from cli_helpers import (
    base_url_of,
    isolate_paths,
    run_cli_json,
    run_cli_keeping,
    simulator_process,
)
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE

KEY = "e2e-eyeson-key-7"
ENV = "MEETTUI_E2E_EYESON_KEY"


@contextmanager
def simulate_in_child(*args: str) -> Iterator[str]:
    """`meettui simulate ...` as a child process; yields the base URL it prints."""
    with simulator_process(*args) as printed:
        yield base_url_of(printed)


@contextmanager
def simulate_in_process() -> Iterator[str]:
    from meettui.simulators.registry import build
    from meettui.simulators.server import running

    with running(build("eyeson", meetings=5, api_key=KEY).app) as root:
        yield root


@pytest.fixture
def eyeson_url() -> Iterator[str]:
    # `meettui simulate` comes from meettui.cli.simulate; without it, the same simulator
    # is served in this process (same HTTP, only not a separate program).
    if importlib.util.find_spec("meettui.cli.simulate") is not None:
        with simulate_in_child("eyeson", "--port", "0", "--api-key", KEY,
                               "--meetings", "5") as url:
            yield url
    else:
        with simulate_in_process() as url:
            yield url


@pytest.fixture
def env(tmp_path, monkeypatch, eyeson_url):
    config = tmp_path / "config.toml"
    config.write_text(
        "builtin_jitsi = false\n"
        "[[accounts]]\n"
        'name = "ey"\n'
        'provider = "eyeson"\n'
        f'base_url = "{eyeson_url}"\n'
        f'secret_env = "{ENV}"\n'
        "[accounts.settings]\n"
        'host_name = "Ann Advisor"\n',
        encoding="utf-8",
    )
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv(ENV, KEY)
    return eyeson_url


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    return run_cli_keeping(capsys, (KEY,), *argv)


def cli_json(capsys, *argv: str):
    return run_cli_json(capsys, (KEY,), *argv)


def token_of(link: dict) -> str:
    return link["url"].rsplit("?", 1)[1]


def test_permalink_life_from_the_command_line(env, capsys):
    url = env
    created = cli_json(capsys, "create", "--account", "ey", "--title", "Mortgage advice",
                       "-o", "exit_url=https://bank.example/bye", "--end", "+2d")
    pid = created["id"]
    assert created["status"] == "scheduled" and created["expires_at"]
    hosts = [lk for lk in created["links"] if lk["role"] == "host"]
    assert [(h["label"], h["sensitive"]) for h in hosts] == [("Ann Advisor", True)]
    assert "••••" in hosts[0]["url"]  # masked without --reveal
    guest = next(lk for lk in created["links"] if lk["role"] == "guest")
    assert guest["sensitive"] is False and "guest=" in guest["url"]
    guest_token = guest["url"].rsplit("guest=", 1)[1]

    added = cli_json(capsys, "host", "add", pid, "--name", "Bo Banker", "--reveal")
    hosts = {lk["label"]: token_of(lk) for lk in added["links"] if lk["role"] == "host"}
    assert list(hosts) == ["Ann Advisor", "Bo Banker"]

    actions = cli_json(capsys, "action", pid)["actions"]
    assert [a["name"] for a in actions] == ["start", "add_host", "remove_host", "stop"]

    with httpx.Client(base_url=url, timeout=10) as anon:
        early = anon.post(f"/guests/{guest_token}", data={"name": "Pat Guest"})
        assert early.status_code == 423

        started = cli_json(capsys, "start", pid, "--host", "Bo Banker", "--reveal")
        assert started["status"] == "live"
        live = [lk for lk in started["links"] if "running meeting" in lk["label"]]
        assert len(live) == 1 and live[0]["label"].startswith("Bo Banker")
        assert live[0]["url"].startswith("https://app.eyeson.team/?")

        joined = anon.post(f"/guests/{guest_token}", data={"name": "Pat Guest"})
        assert joined.status_code == 201 and joined.json()["user"]["guest"] is True
        assert joined.json()["room"]["id"] == pid

        code, _, err = cli(capsys, "host", "remove", pid, "--name", "Bo Banker")
        assert code == EXIT_USAGE and "--yes" in err  # dangerous: no terminal to ask
        removed = cli_json(capsys, "host", "remove", pid, "--name", "Bo Banker", "--yes")
        assert [lk["label"] for lk in removed["links"] if lk["role"] == "host"] == [
            "Ann Advisor"]
        assert anon.post(f"/permalink/{hosts['Bo Banker']}").status_code == 404

    stopped = cli_json(capsys, "action", pid, "stop", "--yes")
    assert stopped["status"] == "scheduled"

    code, _, err = cli(capsys, "action", pid, "teleport")
    assert code == EXIT_USAGE and "start, add_host, remove_host, stop" in err
    code, _, err = cli(capsys, "action", pid, "add_host")
    assert code == EXIT_USAGE and "-o name=VALUE" in err
    code, _, err = cli(capsys, "action", pid, "add_host", "-o", "nam=x")
    assert code == EXIT_USAGE and "no option 'nam'" in err
    via_generic = cli_json(capsys, "action", pid, "add_host", "-o", "name=Cy")
    assert [lk["label"] for lk in via_generic["links"] if lk["role"] == "host"] == [
        "Ann Advisor", "Cy"]

    deleted = cli_json(capsys, "delete", pid, "--yes")
    assert deleted == {"schema_version": 2, "id": pid, "account": "ey",
                       "result": "delete"}
    gone = httpx.get(f"{url}/permalink/{pid}", headers={"Authorization": KEY})
    assert gone.status_code == 404
    code, _, err = cli(capsys, "start", pid)
    assert code == EXIT_ERROR and "No cached meeting" in err


def test_an_uncached_id_is_read_upstream_when_the_account_is_given(env, capsys):
    url = env
    response = httpx.post(f"{url}/permalink", headers={"Authorization": KEY},
                          data={"user[name]": "Zoe Host", "name": "Made elsewhere"})
    pid = response.json()["permalink"]["id"]
    code, _, err = cli(capsys, "start", pid)
    assert code == EXIT_ERROR and "meettui list" in err
    code, out, _ = cli(capsys, "action", pid, "--account", "ey")
    assert code == EXIT_OK  # piped stdout means JSON; the id was read upstream
    assert json.loads(out)["actions"][0]["name"] == "start"
    code, out, _ = cli(capsys, "start", pid, "--account", "ey", "--json")
    assert code == EXIT_OK and json.loads(out)["status"] == "live"


def test_host_needs_a_subcommand(capsys):
    code, _, err = cli(capsys, "host")
    assert code == EXIT_USAGE and "host add" in err


def test_the_eyeson_cli_module_does_not_import_textual():
    code = (
        "import sys, meettui.cli.actions, meettui.providers.eyeson\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_refused_host_names_the_flag_of_the_command_run(env, capsys):
    # `start ID --host Bo` and `host remove ID --name Bo` were told "Give -o host=… as
    # the message says": neither verb takes -o.
    url = env
    pid = cli_json(capsys, "create", "--account", "ey", "--title", "Twins", "-o",
                   "host_name=Bo", "--end", "+2d")["id"]
    # A second host of one name is refused, before anything is sent (exit 2).
    code, out, err = cli(capsys, "host", "add", pid, "-n", "bo")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == ("meettui: ey (eyeson): This permalink has a host named 'Bo' already; give "
                   "the new host another name (two of one name can be told apart by their "
                   "tokens only).\n  Give --name as the message says, and run the command "
                   "again.\n")
    # eyeson itself takes one (from another tool): then a name is ambiguous.
    with httpx.Client(base_url=url, headers={"Authorization": KEY}, timeout=10) as team:
        assert team.post(f"/permalink/{pid}/users",
                         data={"user[name]": "Bo"}).status_code == 201
    cli_json(capsys, "show", pid, "--refresh")
    ambiguous = "meettui: ey (eyeson): 2 hosts are named 'Bo'; give the host's token instead"
    for argv, flag in ((["start", pid, "--host", "Bo"], "--host"),
                       (["host", "remove", pid, "--name", "Bo", "--yes"], "--token or --name"),
                       (["host", "remove", pid, "--name", "Nobody", "--yes"],
                        "--token or --name"),
                       (["action", pid, "remove_host", "-o", "host=Bo", "--yes"],
                        "-o host=…")):
        code, out, err = cli(capsys, *argv)
        assert (code, out) == (EXIT_USAGE, ""), argv
        assert err.startswith(ambiguous if "Nobody" not in argv else
                              "meettui: ey (eyeson): No host named 'Nobody'"), argv
        assert err.endswith(f"\n  Give {flag} as the message says, and run the command "
                            "again.\n"), argv
    # A verb's value given empty names the verb's flag, not the action's -o.
    code, _, err = cli(capsys, "host", "add", pid, "--name", "")
    assert (code, err) == (EXIT_USAGE, "meettui: host add needs --name with a value\n")


def test_a_stop_of_a_permalink_not_running_is_refused_as_done_already(env, capsys):
    # Exit 1 ("This permalink's meeting is not running"), where a cancel of a cancelled
    # meeting exits 2: nothing to do is the same refusal, whoever finds it.
    pid = cli_json(capsys, "create", "--account", "ey", "--title", "Idle", "--end", "+2d")["id"]
    code, out, err = cli(capsys, "action", pid, "stop", "--yes")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("meettui: ey (eyeson): This permalink's meeting is not running.\n")


def test_a_value_eyeson_refuses_is_said_so_not_as_if_the_message_said_what_to_do(env,
                                                                                  capsys):
    # "user[name] is longer than 128 characters" then "Give -o host_name=… as the
    # message says": eyeson's words name its own parameter and give no instruction.
    code, out, err = cli(capsys, "create", "--account", "ey", "--title", "Long host",
                         "-o", "host_name=" + "A" * 200, "--end", "+2d", "--text")
    assert (code, out) == (EXIT_ERROR, "")
    assert err == ("meettui: ey (eyeson): the host name (user[name]) is longer than 128 "
                   "characters.\n  The provider refused the value of -o host_name=… for the "
                   "reason above: change it, and run the command again.\n")
