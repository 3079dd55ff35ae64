"""The cached rows of an account removed from the config take no part in finding a
meeting by id: they were hidden from `list` but still made a prefix (and even the whole
id) "match several meetings", for every command taking an id and for the MCP server's
tools, while `-a REMOVED` said "No account named". Two Jitsi accounts' worth of rows
in the cache (no network needed), one of the accounts configured."""

from __future__ import annotations

import asyncio
import json

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_OK
from meettui.core.cache import Cache

SHARED = "6b0df33c41e2a9"
"""The id both accounts cached (the same room seen through two accounts)."""


@pytest.fixture
def env(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('builtin_jitsi = false\n[[accounts]]\nname = "kept"\nprovider = "jitsi"\n',
                      encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    cache = Cache(tmp_path / "cache.sqlite3")
    for i, account in enumerate(("kept", "removed")):
        base = make_meeting(i, account=account, title=f"Room of {account}")
        cache.upsert(base.model_copy(update={"id": SHARED, "provider": "jitsi"}))
    # A prefix only the removed account's rows share with the kept meeting.
    cache.upsert(make_meeting(7, account="removed", title="Gone").model_copy(
        update={"id": SHARED[:7] + "ffff", "provider": "jitsi"}))
    cache.close()
    return tmp_path


@pytest.mark.parametrize("typed", [SHARED, SHARED[:7]])
@pytest.mark.parametrize("command", [
    ("show", "--json"), ("qr", "--text"), ("ics",),
    ("action", "--json"), ("delete", "--dry-run", "--json"),
    ("edit", "--title", "New", "--dry-run", "--json"),
])
def test_an_id_names_the_configured_account_s_meeting(env, capsys, command, typed):
    verb, *flags = command
    code, out, err = run_cli(capsys, verb, typed, *flags)
    assert code == EXIT_OK, err
    assert "several" not in err and "removed" not in out + err


def test_show_names_the_configured_account_s_meeting(env, capsys):
    code, out, err = run_cli(capsys, "show", SHARED[:7], "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["account"] == "kept"


def test_the_mcp_tools_find_the_configured_account_s_meeting(env):
    from meettui.agent.inputs import GetLinksInput, GetMeetingInput
    from meettui.agent.tools import AgentTools
    from meettui.bootstrap import open_service

    async def go() -> tuple[str, str]:
        service = open_service()
        try:
            tools = AgentTools(service)
            shown = await tools.get_meeting(GetMeetingInput(id=SHARED[:7]))
            links = await tools.get_links(GetLinksInput(id=SHARED))
            return shown.account, links.account
        finally:
            await service.aclose()
            service.cache.close()

    assert asyncio.run(go()) == ("kept", "kept")
