"""`MeetingService.sync_accounts`: every account's walk at once, so one provider that
hangs does not hold up the others (five hung providers cost five bounded waits one
after another, 1m40s for `meettui list`)."""

import asyncio

import httpx
import pytest

from factories import T0, WHEREBY_KEY
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.errors import ProviderError
from meettui.core.service import MeetingService
from meettui.simulators.registry import build

NAMES = ("first", "second", "third")
CONFIG = "builtin_jitsi = false\n" + "".join(
    f'[[accounts]]\nname = "{n}"\nprovider = "whereby"\nbase_url = "http://{n}.sim/v1"\n'
    'secret_env = "WB_TEST_KEY"\n' for n in NAMES)


class Gate(httpx.AsyncBaseTransport):
    """Holds an account's first request until every account's first request has
    arrived: walks one after another never get past it (each waits for the next)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, arrived: asyncio.Event,
                 everyone: list[asyncio.Event]) -> None:
        self.inner, self.arrived, self.everyone = inner, arrived, everyone

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.arrived.set()
        # Bounded: walks one after another fail here instead of hanging the test.
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in self.everyone)), 10)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def world(tmp_path):
    """(service, simulators by account)."""
    clock = FixedClock(T0)
    events = [asyncio.Event() for _ in NAMES]
    transports, sims = {}, {}
    for name, arrived in zip(NAMES, events, strict=True):
        sims[name] = build("whereby", seed=len(name), meetings=30, api_key=WHEREBY_KEY,
                           clock=clock, rate_limit=1_000_000)
        transports[name] = Gate(httpx.ASGITransport(app=sims[name].app), arrived, events)
    made = MeetingService(parse_config(CONFIG, tmp_path / "config.toml"),
                          Cache(tmp_path / "c.sqlite3"), clock=clock,
                          env={"WB_TEST_KEY": WHEREBY_KEY}, transports=transports)
    yield made, sims
    made.cache.close()


async def test_every_account_walks_at_once(world):
    service, _ = world
    assert await service.sync_accounts(list(NAMES)) == []
    assert [service.count([n]) for n in NAMES] == [30, 30, 30]
    assert all(service.cache.sync_state(n).complete for n in NAMES)


async def test_a_failing_account_is_reported_and_the_others_land(world):
    service, sims = world
    sims["second"].faults.queue("malformed", count=10)
    failures = await service.sync_accounts(["third", "second", "first"])
    assert [(name, type(exc)) for name, exc in failures] == [("second", ProviderError)]
    assert "second" in str(failures[0][1]) or "whereby" in str(failures[0][1])
    assert [service.count([n]) for n in NAMES] == [30, 0, 30]
    # The temp_store the first walk found is back once the last one has ended.
    assert service.cache._conn.execute("PRAGMA temp_store").fetchone()[0] == 0
