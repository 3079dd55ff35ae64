"""A secret that cannot be found names where the config says to read it: the variable
(`secret_env = "X"` gives "$X is not set"), or, when the account names none, the setting
to add (`secret_env`, `secret_envs.NAME`; for Vonage `private_key_path` too). The same
words on every output path: `meettui accounts` text and JSON, the list's failure, the
MCP tools. It said "Account 'wb' needs its api key." and left where to the hint."""

from __future__ import annotations

import asyncio
import json

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR

VONAGE_SETTINGS = '[accounts.settings]\napplication_id = "11111111-2222-3333-4444-555555555555"\n'
S24_SETTINGS = '[accounts.settings]\ninstance = "acme"\n'

CASES = {
    "whereby-var": (
        'provider = "whereby"\nsecret_env = "WB_GONE_KEY"\n',
        "Account 'odd' needs its api key: $WB_GONE_KEY is not set (or is blank). "
        "To fix: set WB_GONE_KEY in the environment."),
    "eyeson-none": (
        'provider = "eyeson"\n',
        "Account 'odd' needs its api key: it names no variable for it: add `secret_env` "
        "(or `secret_envs.api_key`) to the account. To fix: add `secret_env = "
        "\"MEETTUI_ODD_API_KEY\"` (or secret_envs.api_key) to the account in the config and "
        "set MEETTUI_ODD_API_KEY."),
    "accelevents-var": (
        'provider = "accelevents"\nsecret_envs = { api_key = "AE_GONE_KEY" }\n'
        '[accounts.settings]\neventurl = "summit"\n',
        "Account 'odd' needs its api key: $AE_GONE_KEY is not set (or is blank). "
        "To fix: set AE_GONE_KEY in the environment."),
    "24sessions-second-var": (
        'provider = "24sessions"\nsecret_envs = { client_id = "S24_ID", client_secret = '
        '"S24_GONE_SECRET" }\n' + S24_SETTINGS,
        "Account 'odd' needs its client secret: $S24_GONE_SECRET is not set (or is blank). "
        "To fix: set S24_GONE_SECRET in the environment."),
    "24sessions-second-none": (
        'provider = "24sessions"\nsecret_env = "S24_ID"\n' + S24_SETTINGS,
        "Account 'odd' needs its client secret: it names no variable for it: add "
        "`secret_envs.client_secret` to the account. To fix: add `client_secret = "
        "\"MEETTUI_ODD_CLIENT_SECRET\"` to the account's `secret_envs` in the config and "
        "set MEETTUI_ODD_CLIENT_SECRET."),
    "vonage-var": (
        'provider = "vonage"\nsecret_env = "VN_GONE_PEM"\n' + VONAGE_SETTINGS,
        "Account 'odd' needs its private key: $VN_GONE_PEM is not set (or is blank), and "
        "settings.private_key_path names no key file. To fix: set VN_GONE_PEM to the "
        "application's private key (PEM text), or set settings.private_key_path to the key "
        "file (private.key)."),
    "vonage-none": (
        'provider = "vonage"\n' + VONAGE_SETTINGS,
        "Account 'odd' needs its private key: it names neither settings.private_key_path "
        "(the key file) nor a variable that holds the key (`secret_env`). To fix: add "
        "`private_key_path = \"/path/to/private.key\"` to the account's [accounts.settings], "
        "or `secret_env = \"VONAGE_PRIVATE_KEY\"` to the account and set VONAGE_PRIVATE_KEY "
        "to the key's PEM text."),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_missing_secret_names_its_variable_or_the_setting_to_add(tmp_path, monkeypatch,
                                                                   capsys, case):
    table, said = CASES[case]
    config = tmp_path / "config.toml"
    config.write_text(f'builtin_jitsi = false\n[[accounts]]\nname = "odd"\n{table}',
                      encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("S24_ID", "client-id")
    for gone in ("WB_GONE_KEY", "AE_GONE_KEY", "S24_GONE_SECRET", "VN_GONE_PEM",
                 "MEETTUI_ODD_API_KEY", "MEETTUI_ODD_CLIENT_SECRET", "VONAGE_PRIVATE_KEY"):
        monkeypatch.delenv(gone, raising=False)

    code, out, err = run_cli(capsys, "accounts", "--json")
    [shown] = json.loads(out)["accounts"]
    # (Vonage's says its deprecation after it.)
    assert shown["health"] == "needs credentials" and shown["message"].startswith(said)

    code, out, err = run_cli(capsys, "accounts", "--text")
    assert out.splitlines()[1].split()[0] == "odd" and "needs credentials" in out
    assert out.splitlines()[2].startswith(f"  {said}")

    # The list that needs it says the same, and stops.
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_ERROR
    assert said.partition(" To fix: ")[0] in err

    from meettui.agent.inputs import ListAccountsInput
    from meettui.agent.tools import AgentTools
    from meettui.bootstrap import open_service

    async def agent() -> tuple[str, str]:
        service = open_service()
        try:
            accounts = await AgentTools(service).list_accounts(ListAccountsInput())
            return accounts.accounts[0].health.value, accounts.accounts[0].message
        finally:
            await service.aclose()
            service.cache.close()

    health, message = asyncio.run(agent())
    assert health == "needs credentials" and message.startswith(said)
