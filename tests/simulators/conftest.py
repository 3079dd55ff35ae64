"""Client fixtures for the simulator tests themselves (servers come from tests/conftest.py)."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

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
