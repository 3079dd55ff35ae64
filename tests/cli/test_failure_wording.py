"""One provider failure reads the same on every output path: the command line's stale
line and its JSON (`sync_errors`, `refresh_error`), the MCP tools. It read "→ 503
Service Unavailable — The provider …" on the command line, "… Unavailable. The
provider …" to an agent, and a 500 whose body said its reason "→ 500: Internal Server
Error". Each provider's simulator over 127.0.0.1, its answers failed by its own fault
injection. (The app's toast: tests/tui/test_background_failures.py.)"""

from __future__ import annotations

import asyncio
import json

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR
from meettui.core.http import RetryPolicy
from meettui.simulators.account import snippet
from meettui.simulators.registry import build

RETRIES = RetryPolicy().max_attempts
REASONS = {"500": "500 Internal Server Error", "503": "503 Service Unavailable"}
WORDS = {"500": "server error", "503": "unavailable"}


@pytest.fixture
def account(tmp_path, monkeypatch, sim_server):
    """`account(kind)`: the simulator of `kind` and an account named `kind` on it."""

    # Every try fails: its backoffs are not waited out.
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt, rng: 0.0)

    def start(kind: str) -> object:
        sim = build(kind, meetings=3)
        running = sim_server(sim)
        lines = snippet(kind, running.base_url, sim.account())
        table = "\n".join(lines[:lines.index("")] if "" in lines else lines)
        table = table.replace(f'name = "{kind}-sim"', f'name = "{kind}"')
        config = tmp_path / "config.toml"
        config.write_text(f"builtin_jitsi = false\n{table}\n", encoding="utf-8")
        isolate_paths(monkeypatch, tmp_path, config)
        for secret in sim.account().secrets:
            if secret.value is not None:
                monkeypatch.setenv(secret.env, secret.value)
        return sim

    return start


def said(kind: str, fault: str) -> str:
    """What every output path says of a read that failed with `fault` ("GET" and its
    path left out: each command reads another one)."""
    return (f"→ {REASONS[fault]}. The provider answered {fault} ({WORDS[fault]}); the "
            "cached list still works. Try again later.")


def split(message: str, kind: str) -> tuple[str, str]:
    """(who and what request, the rest from the arrow on)."""
    head, arrow, rest = message.partition(" → ")
    assert arrow, message
    return head, f"→ {rest}"


@pytest.mark.parametrize("kind", ["24sessions", "accelevents", "eyeson", "vonage",
                                  "whereby"])
@pytest.mark.parametrize("fault", ["500", "503"])
def test_a_failed_read_reads_the_same_on_every_output_path(account, capsys, kind, fault):
    sim = account(kind)
    code, out, err = run_cli(capsys, "list", "--json")
    meeting_id = json.loads(out)["meetings"][0]["id"]

    sim.faults.queue(fault, RETRIES)
    code, out, err = run_cli(capsys, "list", "--text")
    assert code == EXIT_ERROR
    [line] = [line for line in err.splitlines() if " → " in line]
    assert line.startswith(f"meettui: {kind}: ")
    assert line.endswith(f" {said(kind, fault)} (showing the cached list)")

    sim.faults.queue(fault, RETRIES)
    code, out, err = run_cli(capsys, "list", "--json")
    [failure] = json.loads(out)["sync_errors"]
    assert split(failure["message"], kind)[1] == said(kind, fault)
    assert f"meettui: {failure['message']} (showing the cached list)" in err

    sim.faults.queue(fault, RETRIES)
    code, out, err = run_cli(capsys, "show", meeting_id, "--refresh", "--json")
    assert split(json.loads(out)["refresh_error"], kind)[1] == said(kind, fault)

    from meettui.agent.inputs import GetMeetingInput, ListMeetingsInput
    from meettui.agent.tools import AgentTools
    from meettui.bootstrap import open_service

    async def agent() -> tuple[str, str | None]:
        service = open_service()
        try:
            tools = AgentTools(service)
            sim.faults.queue(fault, RETRIES)
            page = await tools.list_meetings(ListMeetingsInput())
            sim.faults.queue(fault, RETRIES)
            shown = await tools.get_meeting(GetMeetingInput(id=meeting_id, refresh=True))
            return page.sync_errors[0].message, shown.refresh_error
        finally:
            await service.aclose()
            service.cache.close()

    listed, refreshed = asyncio.run(agent())
    assert listed == failure["message"]
    assert refreshed is not None and split(refreshed, kind)[1] == said(kind, fault)
