"""Seed data, the server helpers, the registry and the package's import hygiene."""

from __future__ import annotations

import random
import re
import socket
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import httpx
import pytest

from meettui.core.clock import FixedClock
from meettui.simulators import fakedata as seeds
from meettui.simulators.registry import build, facts, simulator_kinds
from meettui.simulators.server import running
from meettui.simulators.whereby.app import DEFAULT_MEETINGS, WherebySimulator


def snapshot(sim: WherebySimulator) -> list[dict]:
    return [sim.meeting_json(room, ("hostRoomUrl", "viewerRoomUrl")) for room in sim.rooms.values()]


# --- seed ---------------------------------------------------------------------------------


def test_the_same_seed_and_clock_give_the_same_rooms(sim_clock):
    first = build("whereby", seed=4, clock=sim_clock)
    again = build("whereby", seed=4, clock=FixedClock(sim_clock.now()))
    other = build("whereby", seed=5, clock=sim_clock)
    assert snapshot(first) == snapshot(again)
    assert snapshot(first) != snapshot(other)


def test_creations_do_not_disturb_the_seed(sim_clock, sim_server, make_client):
    server = sim_server("whereby", seed=4, clock=sim_clock)
    before = snapshot(server.sim)
    make_client(server).post("/meetings", json={"endDate": "2026-03-02T10:00:00Z"})
    server.sim.reset()
    assert snapshot(server.sim) == before


def test_seeded_rooms_look_like_a_busy_account(sim_clock):
    sim = build("whereby", clock=sim_clock)
    rooms = list(sim.rooms.values())
    now = sim_clock.now()
    assert len(rooms) == DEFAULT_MEETINGS == 300
    assert len({r.meeting_id for r in rooms}) == len({r.room_name for r in rooms}) == 300
    # None is already gone, some ended within the hour, most are ahead, up to weeks out.
    assert all(r.end + timedelta(hours=1) > now for r in rooms)
    assert 10 <= sum(r.end < now for r in rooms) <= 60
    assert max(r.end for r in rooms) - now > timedelta(days=14)
    assert all(r.start <= now and r.start < r.end for r in rooms)
    assert [r.start for r in rooms] == sorted(r.start for r in rooms)  # creation order
    # Variety: prefixes, modes, name patterns, locks, viewer rooms.
    prefixes = Counter(re.sub(r"[0-9a-f-]{36}$|[a-z2-9]{6}$", "", r.room_name) for r in rooms)
    assert len(prefixes) > 20 and prefixes["/"] > 30
    assert 30 < sum(r.room_mode == "group" for r in rooms) < 150
    assert 40 < sum(len(r.room_name.rsplit("-", 1)[-1]) == 6 for r in rooms) < 130
    assert sum(r.is_locked for r in rooms) > 10
    viewer = [r for r in rooms if r.template_type == "viewerMode"]
    assert viewer and all(r.is_locked and r.room_mode == "group" for r in viewer)


def test_meetings_count_is_configurable(sim_clock):
    assert len(build("whereby", clock=sim_clock, meetings=0).rooms) == 0
    assert len(build("whereby", clock=sim_clock, meetings=1234).rooms) == 1234


def test_seed_helpers_are_reproducible():
    def sample(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [seeds.person(rng), seeds.title(rng), seeds.room_prefix(rng), seeds.uuid4(rng)]

    assert sample(1) == sample(1) != sample(2)
    assert re.fullmatch(r"[0-9a-f-]{36}", sample(1)[3])
    assert seeds.slug("Lakeshore Dental") == "lakeshore-dental"


def test_round_up_to_quarter_hours(sim_clock):
    now = sim_clock.now()  # 09:00 sharp stays put
    assert seeds.round_up(now, 15) == now
    assert seeds.round_up(now + timedelta(minutes=1, seconds=3), 15) == now + timedelta(minutes=15)


# --- server helpers -----------------------------------------------------------------------


def test_running_serves_on_loopback_and_stops_on_exit(sim_clock):
    sim = build("whereby", clock=sim_clock, meetings=1)
    with running(sim.app) as root:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", root)
        response = httpx.get(root + "/_sim")
        assert response.json()["kind"] == "whereby"
        port = int(root.rsplit(":", 1)[1])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_two_servers_get_different_ports(sim_clock):
    a, b = (build("whereby", clock=sim_clock, meetings=1) for _ in range(2))
    with running(a.app) as first, running(b.app) as second:
        assert first != second
        assert httpx.get(first + "/_sim").status_code == httpx.get(second + "/_sim").status_code


def test_running_reports_a_port_already_taken(sim_clock):
    sim = build("whereby", clock=sim_clock, meetings=1)
    with running(sim.app) as root:
        port = int(root.rsplit(":", 1)[1])
        with pytest.raises(OSError), running(sim.app, port=port):
            pass


# --- registry -----------------------------------------------------------------------------


def test_registry_builds_by_kind(sim_clock):
    assert "whereby" in simulator_kinds()
    sim = build("whereby", clock=sim_clock, meetings=2, api_key="x")
    assert sim.kind == "whereby" and sim.base_path == "/v1"
    assert sim.describe_credentials().startswith("API key: x")
    with pytest.raises(ValueError, match="whereby"):
        build("zoom")


@pytest.mark.parametrize("kind", simulator_kinds())
def test_the_banner_puts_every_value_in_one_column(sim_clock, kind):
    # "API key: demo" stood two cells left of the base URL and the control URL around
    # it; Vonage's "application id:" pushed its value further still.
    sim = build(kind, clock=sim_clock, meetings=2)
    try:
        lines = facts(["base URL: http://127.0.0.1:1/v1",
                       *sim.describe_credentials().splitlines(),
                       "control: http://127.0.0.1:1/_sim"])
    finally:
        sim.close()
    assert len(lines) >= 3
    columns = set()
    for line in lines:
        label, _, value = line.partition(": ")
        assert line.startswith("  ") and not line.startswith("   ")
        columns.add(len(line) - len(value.lstrip()))
        assert value.strip() and not value.strip().startswith(":")
    assert len(columns) == 1


def test_the_simulators_never_import_textual():
    code = (
        "import sys\n"
        "import meettui.simulators.registry, meettui.simulators.server\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_the_app_also_runs_in_process_for_the_demo(sim_clock):
    # The demo mode talks to simulators through httpx.ASGITransport, with no socket.
    sim = build("whereby", clock=sim_clock, meetings=3)
    transport = httpx.ASGITransport(app=sim.app)
    headers = {"Authorization": "Bearer demo"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://whereby.sim/v1", headers=headers
    ) as client:
        page = (await client.get("/meetings")).json()
        assert len(page["results"]) == 3 and page["cursor"] is None
        created = await client.post("/meetings", json={"endDate": "2026-03-02T10:00:00Z"})
        assert created.status_code == 201
        sim.faults.queue("503")
        assert (await client.get("/meetings")).status_code == 503
