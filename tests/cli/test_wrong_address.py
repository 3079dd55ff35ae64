"""A list (or a token request) answered 404 or 410 means the account's address is wrong
(its base_url, its instance, its event), not a meeting: the account's health is "error"
with a message that names the settings to check, on every output path (`meettui list`
text and JSON, `meettui accounts` text and JSON, the MCP tools). It read "It may have
been deleted or expired upstream; refresh the list" and left the account "ok" (a 404
on 24sessions' token request: "auth failed"). Each provider's simulator over
127.0.0.1, the account pointed at a path it does not serve."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR
from meettui.simulators.account import snippet
from meettui.simulators.registry import build

KINDS = ["24sessions", "accelevents", "eyeson", "vonage", "whereby"]


@pytest.fixture
def account(tmp_path, monkeypatch, sim_server):
    """`account(kind, base_url=..., settings=...)`: the simulator of `kind` and an
    account named `kind` on it, its base_url given a path the simulator does not serve
    (`base_url(real)`) and its settings lines rewritten (`settings`: old → new)."""

    def start(kind: str, *, base_url=lambda url: f"{url}/nowhere",
              settings: dict[str, str] | None = None) -> str:
        sim = build(kind, meetings=2)
        running = sim_server(sim)
        lines = snippet(kind, running.base_url, sim.account())
        table = "\n".join(lines[:lines.index("")] if "" in lines else lines)
        table = table.replace(f'name = "{kind}-sim"', f'name = "{kind}"')
        table = table.replace(f'base_url = "{running.base_url}"',
                              f'base_url = "{base_url(running.base_url)}"')
        for old, new in (settings or {}).items():
            assert old in table
            table = table.replace(old, new)
        config = tmp_path / "config.toml"
        config.write_text(f"builtin_jitsi = false\n{table}\n", encoding="utf-8")
        isolate_paths(monkeypatch, tmp_path, config)
        for secret in sim.account().secrets:
            if secret.value is not None:
                monkeypatch.setenv(secret.env, secret.value)
        return base_url(running.base_url)

    return start


def settings_named(kind: str, url: str) -> list[str]:
    """What the message names of the settings that make `kind`'s address."""
    return {
        "24sessions": ["settings.instance ('demo')", f"base_url ({url})"],
        "accelevents": ["settings.eventurl ('meettui-summit')", "settings.event_id (41110)",
                        f"base_url ({url})"],
    }.get(kind, [f"base_url ({url})"])


def check_message(message: str, kind: str, url: str) -> None:
    assert message.startswith(f"{kind}: "), message
    assert "404" in message
    assert f"Check the settings that make the address of account {kind!r}: its " in message
    for named in settings_named(kind, url):
        assert named in message, (named, message)
    assert "deleted" not in message and "refresh the list" not in message


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_answered_404_names_the_address_settings_everywhere(account, capsys, kind):
    url = account(kind)

    code, out, err = run_cli(capsys, "list", "--text")
    assert code == EXIT_ERROR
    [line] = [line for line in err.splitlines() if " → 404" in line]
    check_message(line.removeprefix("meettui: "), kind, url)

    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_ERROR
    [failure] = json.loads(out)["sync_errors"]
    check_message(failure["message"], kind, url)

    # A later process says what the failure left: "error", with the same message.
    code, out, err = run_cli(capsys, "accounts", "--json")
    [shown] = json.loads(out)["accounts"]
    assert shown["health"] == "error"
    check_message(shown["message"], kind, url)

    code, out, err = run_cli(capsys, "accounts", "--text")
    header, row, said = out.splitlines()[:3]
    assert row.split()[0] == kind and "error" in row.split()
    check_message(said.strip(), kind, url)

    from meettui.agent.inputs import ListAccountsInput, ListMeetingsInput
    from meettui.agent.tools import AgentTools
    from meettui.bootstrap import open_service

    async def agent() -> tuple[str, str, str]:
        service = open_service()
        try:
            tools = AgentTools(service)
            page = await tools.list_meetings(ListMeetingsInput())
            accounts = await tools.list_accounts(ListAccountsInput())
            return (page.sync_errors[0].message, accounts.accounts[0].health.value,
                    accounts.accounts[0].message)
        finally:
            await service.aclose()
            service.cache.close()

    listed, health, message = asyncio.run(agent())
    check_message(listed, kind, url)
    assert health == "error"
    check_message(message, kind, url)


def test_an_unknown_accelevents_event_names_its_event_settings(account, capsys):
    url = account("accelevents", base_url=lambda real: real,
                  settings={'eventurl = "meettui-summit"': 'eventurl = "autumn-con"'})
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_ERROR
    [failure] = json.loads(out)["sync_errors"]
    message = failure["message"]
    assert "4040200" not in message  # the code is in the body kept, not said
    assert "Event not found" in message
    for named in ["settings.eventurl ('autumn-con')", "settings.event_id (41110)",
                  f"base_url ({url})"]:
        assert named in message, message
    code, out, err = run_cli(capsys, "accounts", "--json")
    [shown] = json.loads(out)["accounts"]
    assert shown["health"] == "error" and shown["message"] == message


def test_a_24sessions_token_request_answered_404_is_no_credentials_failure(account,
                                                                          capsys):
    # The token endpoint is the first request: a wrong base_url meets it there.
    url = account("24sessions")
    code, out, err = run_cli(capsys, "list", "--json")
    [failure] = json.loads(out)["sync_errors"]
    assert "token request GET /nowhere/oauth/v2/token → 404" in failure["message"]
    assert "credentials" not in failure["message"]
    code, out, err = run_cli(capsys, "accounts", "--json")
    [shown] = json.loads(out)["accounts"]
    assert shown["health"] == "error"
    assert f"base_url ({url})" in shown["message"]



@pytest.mark.parametrize("kind", KINDS)
def test_a_meeting_asked_for_at_a_wrong_address_is_not_marked_gone(account, capsys, kind):
    # A base_url gone wrong after a sync 404s every meeting too: a refresh marked a live
    # meeting gone, and a delete forgot one the provider still has. The list is asked
    # when one meeting 404s: not at the address either, it is the address that is wrong.
    url = account(kind, base_url=lambda real: real)
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == 0, err
    meeting = json.loads(out)["meetings"][0]
    path = Path(os.environ["MEETTUI_CONFIG"])
    path.write_text(path.read_text().replace(f'base_url = "{url}"',
                                             f'base_url = "{url}/nowhere"'))

    code, out, err = run_cli(capsys, "show", meeting["id"], "--refresh", "--json")
    assert code == EXIT_ERROR
    said = json.loads(out)["refresh_error"]
    check_message(said if isinstance(said, str) else said["message"], kind, f"{url}/nowhere")
    assert "gone" not in err

    if kind != "vonage":  # Vonage rooms are not deleted through the API
        code, out, err = run_cli(capsys, "delete", meeting["id"], "--yes", "--json")
        assert code == EXIT_ERROR
        assert "base_url" in err and "gone" not in err

    code, out, err = run_cli(capsys, "list", "--offline", "--json")
    [kept] = [m for m in json.loads(out)["meetings"] if m["id"] == meeting["id"]]
    assert kept["status"] != "gone" and not kept.get("missing")
