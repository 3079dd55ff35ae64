"""The link a start gives a host into the running meeting (`links.gui` of the room
object, `<app>/?<access_key>`): no permalink read shows it again, and it works for that
run only (eyeson: an access key answers 410 once the meeting shut down). meettui keeps
it while the meeting runs, through refreshes, list syncs and host changes, and drops it
once a read or an action shows that run is over (`room.started_at` null, or another
start). Against the simulator over real sockets."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from test_eyeson_hosts import ENV, KEY, account, cli_account, two_hosts

from meettui.core.cache import Cache
from meettui.core.config import Config
from meettui.core.models import Meeting, Role, Status
from meettui.core.service import MeetingService

RUNNING = "(in the running meeting)"


@pytest.fixture
def eyeson(sim_server, sim_clock):
    # As eyeson documents it: a read shows one host's token (no `users` list).
    return sim_server("eyeson", clock=sim_clock, meetings=3, rooms=0, api_key=KEY,
                      list_all_hosts=False)


@pytest.fixture
async def service(eyeson, sim_clock, tmp_path) -> AsyncIterator[MeetingService]:
    svc = MeetingService(config=Config(accounts=[account(eyeson)]),
                         cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                         env={ENV: KEY})
    yield svc
    await svc.aclose()
    svc.cache.close()


def run_links(meeting: Meeting) -> list[str]:
    return [lk.url for lk in meeting.links_for(Role.HOST) if RUNNING in lk.label]


async def started(service: MeetingService) -> tuple[Meeting, str]:
    m = await two_hosts(service)
    answer = await service.run_action("ey", m.id, "start", {"host": "Ann"})
    [link] = run_links(answer)
    return answer, link


async def test_the_run_link_outlives_refreshes_and_host_changes(eyeson, service):
    m, link = await started(service)
    assert [lk.label for lk in m.links_for(Role.HOST)] == ["Ann", "Bo", f"Ann {RUNNING}"]

    fetched = await service.fetch("ey", m.id)
    assert run_links(fetched) == [link]
    page = await service.refresh("ey")
    assert run_links(next(item for item in page.items if item.id == m.id)) == [link]
    assert run_links(service.cached("ey", m.id)) == [link]
    added = await service.run_action("ey", m.id, "add_host", {"name": "Dee"})
    assert [lk.label for lk in added.links_for(Role.HOST)] == [
        "Ann", "Bo", "Dee", f"Ann {RUNNING}"]
    removed = await service.run_action("ey", m.id, "remove_host", {"host": "Dee"})
    assert run_links(removed) == [link]
    # A second host's start adds its own way in; the first stays.
    both = await service.run_action("ey", m.id, "start", {"host": "Bo"})
    assert len(run_links(both)) == 2 and link in run_links(both)
    assert run_links(await service.fetch("ey", m.id)) == run_links(both)


async def test_a_stop_drops_the_run_link(eyeson, service):
    m, link = await started(service)
    stopped = await service.run_action("ey", m.id, "stop", {})
    assert stopped.status != Status.LIVE
    for seen in (stopped, service.cached("ey", m.id), await service.fetch("ey", m.id)):
        assert run_links(seen) == []
        assert link not in seen.kept.model_dump_json()
    assert [lk.label for lk in stopped.links_for(Role.HOST)] == ["Ann", "Bo"]


async def test_a_run_that_ended_or_began_anew_elsewhere_drops_it(eyeson, service, sim_clock):
    m, link = await started(service)
    async with httpx.AsyncClient(base_url=eyeson.base_url,
                                 headers={"Authorization": KEY}) as team:
        assert (await team.delete(f"/rooms/{m.id}")).status_code in (200, 204)
    # A sync sees `room.started_at` null: the run is over.
    page = await service.refresh("ey")
    listed = next(item for item in page.items if item.id == m.id)
    assert listed.status != Status.LIVE and run_links(listed) == []
    assert run_links(service.cached("ey", m.id)) == []

    # Started again (with the new run's link), then ended and started anew outside
    # meettui: the meeting runs, but the link meettui has is the old run's.
    again = await service.run_action("ey", m.id, "start", {"host": "Bo"})
    [old] = run_links(again)
    async with httpx.AsyncClient(base_url=eyeson.base_url,
                                 headers={"Authorization": KEY}) as team:
        await team.delete(f"/rooms/{m.id}")
        sim_clock.advance(timedelta(minutes=5))
        bo = next(h.user_token for h in eyeson.sim.permalinks[m.id].hosts if h.name == "Bo")
        assert (await team.post(f"/permalink/{bo}")).status_code in (200, 201)
    fetched = await service.fetch("ey", m.id)
    assert fetched.status == Status.LIVE and run_links(fetched) == []
    assert old not in fetched.kept.model_dump_json()


def test_start_then_show_refresh_keeps_it_on_the_command_line(eyeson, tmp_path, monkeypatch,
                                                              capsys):
    # The walkthrough's steps: `start ID`, then `show ID --refresh`, `host add ID -n Dee`
    # and `list -a ACCOUNT` each lost the running meeting's link.
    from cli_helpers import run_cli

    cli_account(eyeson, tmp_path, monkeypatch)
    code, out, _ = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "--json")
    pid = json.loads(out)["id"]

    def labels(out: str) -> list[str]:
        return [lk["label"] for lk in json.loads(out)["links"] if lk["role"] == "host"]

    code, out, _ = run_cli(capsys, "start", pid, "--json")
    assert code == 0 and labels(out) == ["Host", f"Host {RUNNING}"]
    for argv in (("show", pid, "--refresh", "--json"), ("host", "add", pid, "-n", "Dee",
                                                        "--json")):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, err
        assert f"Host {RUNNING}" in labels(out), argv
    code, _, err = run_cli(capsys, "list", "-a", "ey", "--json")
    assert code == 0, err
    code, out, _ = run_cli(capsys, "show", pid, "--json")
    assert labels(out) == ["Host", "Dee", f"Host {RUNNING}"]
    code, out, _ = run_cli(capsys, "action", pid, "stop", "--yes", "--json")
    assert code == 0 and labels(out) == ["Host", "Dee"]


async def test_a_second_start_by_the_same_host_is_told_apart(eyeson, service):
    # A start of a running meeting joins it as one more session of that host: its link
    # was added with the same label as the first ("Ann (in the running meeting)" twice),
    # and nothing told them apart.
    m, first = await started(service)
    again = await service.run_action("ey", m.id, "start", {"host": "Ann"})
    # In the order they were made (the second was listed above the first).
    live = dict((lk.label, lk.url) for lk in again.links_for(Role.HOST) if lk.run_started)
    assert list(live) == ["Ann (in the running meeting)",
                          "Ann (in the running meeting, link 2)"]
    assert live["Ann (in the running meeting)"] == first
    assert live["Ann (in the running meeting, link 2)"] != first
    fetched = await service.fetch("ey", m.id)
    assert [lk.label for lk in fetched.links_for(Role.HOST) if lk.run_started] == list(live)
    # Removing the host takes both of its ways into the running meeting.
    removed = await service.run_action("ey", m.id, "remove_host", {"host": "Ann"})
    assert [lk for lk in removed.links_for(Role.HOST) if lk.run_started] == []


def test_a_run_link_is_numbered_after_the_highest_in_use():
    # Counted, a number dropped between (link 2 removed, links 1 and 3 kept) gave the
    # next one "link 3" again.
    from datetime import UTC, datetime

    from meettui.core.models import Link
    from meettui.providers.eyeson.mapping import live_label, live_link

    run = datetime(2026, 3, 2, 9, tzinfo=UTC)
    kept = [Link(role=Role.HOST, url=f"https://app.eyeson.team/?k{n}",
                 label=live_label("Ann", n), sensitive=True, run_started=run)
            for n in (1, 3)]
    assert live_link("Ann", "https://app.eyeson.team/?k4", run, kept).label == \
        "Ann (in the running meeting, link 4)"
    assert live_link("Ann", "https://app.eyeson.team/?k3", run, kept).label == \
        "Ann (in the running meeting, link 3)"  # the same link keeps its label
    assert live_link("Bo", "https://app.eyeson.team/?b1", run, kept).label == \
        "Bo (in the running meeting)"
