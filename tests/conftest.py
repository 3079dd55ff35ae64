"""Simulator fixtures shared by every test directory (other fixtures live next to their tests).

`sim_server` starts simulators on real loopback sockets and stops them after the test:

    def test_list(sim_server, sim_clock):
        server = sim_server("whereby", clock=sim_clock, meetings=20)
        httpx.get(server.base_url + "/meetings", headers={"Authorization": "Bearer demo"})
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from meettui.core.clock import FixedClock
from meettui.simulators.base import Simulator
from meettui.simulators.registry import build
from meettui.simulators.server import running

# A fixed "now" for simulator tests: any instant works; this one is a Monday morning.
SIM_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class RunningSim:
    sim: Simulator
    root_url: str  # http://127.0.0.1:PORT

    @property
    def base_url(self) -> str:
        """What an account's base URL would be, e.g. http://127.0.0.1:PORT/v1."""
        return self.root_url + self.sim.base_path

    @property
    def control_url(self) -> str:
        return self.root_url + "/_sim"


StartSim = Callable[..., RunningSim]


# The platform's places for meettui's files when no MEETTUI_* variable names them
# (platformdirs on Linux reads these; without them it uses the real home).
_USER_DIRS = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


def _away_from_the_user(patch: pytest.MonkeyPatch, home: Path) -> None:
    """Forget every MEETTUI_* variable of the shell that runs the tests and point the
    config, cache, log, themes folder and the platform's user folders into `home`.

    A test run read the user's own files: a broken theme in
    ~/.local/share/meettui/themes, or $MEETTUI_THEMES set in the shell, added a warning
    that failed tests which count the app's notices. A test that needs a variable sets
    it itself (`isolate_paths`, `monkeypatch.setenv`)."""
    for name in [name for name in os.environ if name.startswith("MEETTUI_")]:
        patch.delenv(name)
    for name in _USER_DIRS:
        patch.setenv(name, str(home / "user-dirs" / name.lower()))
    patch.setenv("MEETTUI_CONFIG", str(home / "config.toml"))
    patch.setenv("MEETTUI_CACHE", str(home / "cache.sqlite3"))
    patch.setenv("MEETTUI_LOG", str(home / "meettui.log"))
    patch.setenv("MEETTUI_THEMES", str(home / "themes"))


@pytest.fixture(scope="session", autouse=True)
def _session_away_from_the_user(tmp_path_factory) -> Iterator[None]:
    """The same for the session, so that module fixtures (simulators in child processes,
    which inherit the environment) start without the user's variables too."""
    with pytest.MonkeyPatch.context() as patch:
        _away_from_the_user(patch, tmp_path_factory.mktemp("session-home"))
        yield


@pytest.fixture(autouse=True)
def _test_away_from_the_user(monkeypatch, tmp_path) -> None:
    """Every test has its own config, cache, log and themes folder under its tmp_path
    (none of them exists until the test makes it) unless it points them elsewhere: a test
    that forgot (the failure path of a CLI test, say) wrote into the real home."""
    _away_from_the_user(monkeypatch, tmp_path)


@pytest.fixture(autouse=True)
def _pause_waits_for_deferred_work(monkeypatch) -> None:
    """Pilot's pause() also waits for meettui's deferred work (MeettuiApp.settling).

    The detail pane updates once the cursor rests (a timer) and encodes the QR in a
    thread, the filter applies once typing stops; pause() waits for none of them. Every
    test and snapshot that looks at the pane or the list after a key therefore sees it
    complete, without sleeping: the app says when it is done.
    """
    from textual.pilot import Pilot

    original = Pilot.pause

    async def pause(self: Pilot, delay: float | None = None) -> None:
        await original(self, delay)
        app = self.app
        while getattr(app, "settling", lambda: False)():
            await app.wait_until_settled()
            await original(self)

    monkeypatch.setattr(Pilot, "pause", pause)


@pytest.fixture
def sim_clock() -> FixedClock:
    """A clock pinned at SIM_NOW; tests move it with `advance()`."""
    return FixedClock(SIM_NOW)


class _Slot:
    """An ASGI app that forwards to whichever simulator the current test plugged in.

    Starting and stopping uvicorn costs ~0.2 s (its shutdown has fixed 0.1 s sleeps), so
    the servers are kept for the session and each test plugs its own simulator into one.
    Between tests a slot answers 503, so a stray request can never reach a stale simulator.
    """

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        app = self.app
        if app is None:
            if scope["type"] == "http":
                await send({"type": "http.response.start", "status": 503, "headers": []})
                await send({"type": "http.response.body", "body": b"no simulator plugged in"})
            return
        await app(scope, receive, send)


@pytest.fixture(scope="session")
def _sim_slots() -> Iterator[list[tuple[_Slot, str]]]:
    free: list[tuple[_Slot, str]] = []
    with ExitStack() as stack:

        def new_slot() -> tuple[_Slot, str]:
            slot = _Slot()
            return slot, stack.enter_context(running(slot))

        free.append(new_slot())
        free_slots = _FreeSlots(free, new_slot)
        yield free_slots  # type: ignore[misc]


class _FreeSlots(list):
    def __init__(self, items: list, new_slot: Callable[[], tuple[_Slot, str]]) -> None:
        super().__init__(items)
        self.new_slot = new_slot

    def take(self) -> tuple[_Slot, str]:
        return self.pop() if self else self.new_slot()


@pytest.fixture
def sim_server(_sim_slots: _FreeSlots) -> Iterator[StartSim]:
    """Factory: `sim_server(kind_or_simulator, **build_kwargs) -> RunningSim`.

    Accepts a provider kind ("whereby") with the registry's build options, or an already
    built Simulator. Each call serves on its own real loopback port (uvicorn in a thread);
    when the test ends the simulators are unplugged and the ports go back to the pool.
    """
    taken: list[tuple[_Slot, str]] = []

    def start(sim: Simulator | str, **kwargs: Any) -> RunningSim:
        if isinstance(sim, str):
            sim = build(sim, **kwargs)
        elif kwargs:
            raise TypeError("build options only apply when a kind is given")
        slot, root_url = _sim_slots.take()
        taken.append((slot, root_url))
        slot.app = sim.app
        return RunningSim(sim, root_url)

    try:
        yield start
    finally:
        for slot, root_url in taken:
            slot.app = None
            _sim_slots.append((slot, root_url))


@pytest.fixture
def whereby_server(sim_server: StartSim, sim_clock: FixedClock) -> RunningSim:
    """The seeded Whereby simulator (300 rooms, seed 1) on `sim_clock`, never throttling."""
    return sim_server("whereby", clock=sim_clock, rate_limit=1_000_000)


# -- HTTP clients for the simulator tests ------------------------------------------------

MakeClient = Callable[..., httpx.Client]

# httpx builds a fresh TLS context (~60 ms of CA loading) per client unless given one;
# the simulators speak plain HTTP, but every client would still pay for it.
_TLS = ssl.create_default_context()


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """`make_client(server, api_key="demo")`: an httpx client on `server.base_url`.

    `api_key=None` sends no Authorization header. Clients are closed after the test.
    """
    with ExitStack() as stack:

        def make(server, api_key: str | None = "demo", **kwargs) -> httpx.Client:
            headers = {"Authorization": f"Bearer {api_key}"} if api_key is not None else {}
            kwargs.setdefault("verify", _TLS)
            client = httpx.Client(base_url=server.base_url, headers=headers, timeout=10, **kwargs)
            return stack.enter_context(client)

        yield make


@pytest.fixture
def api(whereby_server, make_client) -> httpx.Client:
    """An authenticated client on the running, seeded Whereby simulator's /v1."""
    return make_client(whereby_server)


@pytest.fixture
def control(whereby_server) -> Iterator[httpx.Client]:
    """A client on the simulator's /_sim control endpoints, as another process would use."""
    with httpx.Client(base_url=whereby_server.control_url, timeout=10, verify=_TLS) as client:
        yield client


# eyeson's two levels; each eyeson test module defines its own `eyeson` server fixture.
@pytest.fixture
def team(eyeson) -> Iterator[httpx.Client]:
    """Team level: the raw API key ("demo") in Authorization, no Bearer."""
    with httpx.Client(base_url=eyeson.base_url, headers={"Authorization": "demo"},
                      timeout=10, verify=_TLS) as client:
        yield client


@pytest.fixture
def anon(eyeson) -> Iterator[httpx.Client]:
    """User level: no header at all (the token is in the path)."""
    with httpx.Client(base_url=eyeson.base_url, timeout=10, verify=_TLS) as client:
        yield client
