"""The auth flows against a real local HTTP server (Starlette served by uvicorn).

The server plays every side the flows talk to: an API that echoes auth headers, an OAuth
token endpoint in 24sessions' form (research §2.1) and a Vonage-like API that verifies
RS256 application JWTs (research §2.3). Token expiry on both sides is measured on one
FixedClock shared with the test, so time moves by `clock.advance()`, never by sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from meettui.core.auth import ApiKeyAuth
from meettui.core.auth_jwt import JwtAuth
from meettui.core.auth_oauth import ClientCredentialsAuth
from meettui.core.clock import FixedClock
from meettui.core.errors import AuthError, ConfigError, ProviderError, Unavailable
from meettui.core.redact import clear_registered_secrets, redact
from meettui.simulators.server import running

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLIENT_ID = "meettui-test-client"
CLIENT_SECRET = "cs_live_9f8e7d6c5b4a39281706"
API_KEY = "wb_live_key_0123456789abcdef"
APP_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"


# -- the server ----------------------------------------------------------------------


@dataclass
class ServerState:
    clock: FixedClock
    # OAuth token endpoint
    expires_in: int | None = 3600
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    issued: dict[str, float] = field(default_factory=dict)  # token -> expires at (POSIX s)
    revoked: set[str] = field(default_factory=set)
    token_answer: tuple[int, str | dict[str, Any]] | None = None  # overrides a real answer
    gate: threading.Event | None = None  # when set up, token answers wait for it
    token_request_arrived: threading.Event = field(default_factory=threading.Event)
    # OAuth-protected API
    api_calls: list[str | None] = field(default_factory=list)  # the bearer token each carried
    api_bodies: list[bytes] = field(default_factory=list)
    reject_api: bool = False
    # header echo
    echoed: list[dict[str, str | None]] = field(default_factory=list)
    # JWT-protected API
    public_key: Any = None
    jwt_lifetime_s: int = 900
    jwt_seen: list[str] = field(default_factory=list)
    jwt_claims: list[dict[str, Any]] = field(default_factory=list)
    jwt_rejected: list[str] = field(default_factory=list)


class App:
    """The Starlette app; each test plugs in its own ServerState."""

    def __init__(self) -> None:
        self.state: ServerState | None = None
        self.app = Starlette(
            routes=[
                Route("/echo", self.echo),
                Route("/oauth/v2/token", self.token, methods=["GET", "POST"]),
                Route("/api/meetings", self.meetings, methods=["GET", "POST"]),
                Route("/v1/meetings/rooms", self.rooms),
            ]
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    @property
    def s(self) -> ServerState:
        assert self.state is not None
        return self.state

    async def echo(self, request: Request) -> Response:
        seen = {
            "authorization": request.headers.get("authorization"),
            "key": request.headers.get("key"),
        }
        self.s.echoed.append(seen)
        return JSONResponse(seen)

    async def token(self, request: Request) -> Response:
        s = self.s
        body = (await request.body()).decode()
        s.token_requests.append(
            {
                "method": request.method,
                "query": {k: v for k, v in request.query_params.multi_items()},
                "form": {k: v[0] for k, v in parse_qs(body).items()},
                "content_type": request.headers.get("content-type"),
                "authorization": request.headers.get("authorization"),
            }
        )
        s.token_request_arrived.set()
        if s.gate is not None:
            await asyncio.to_thread(s.gate.wait, 10)
        if s.token_answer is not None:
            status, content = s.token_answer
            if isinstance(content, str):
                return Response(content, status_code=status, media_type="text/html")
            return JSONResponse(content, status_code=status)
        fields = s.token_requests[-1]["query" if request.method == "GET" else "form"]
        if (
            fields.get("client_id") != CLIENT_ID
            or fields.get("client_secret") != CLIENT_SECRET
            or fields.get("grant_type") != "client_credentials"
        ):
            return JSONResponse(
                {
                    "error": "invalid_client",
                    "error_description": "The client credentials are invalid",
                },
                status_code=400,
            )
        token = f"at_{uuid.uuid4().hex}"
        lifetime = 3600 if s.expires_in is None else s.expires_in
        s.issued[token] = s.clock.now().timestamp() + lifetime
        answer: dict[str, Any] = {"access_token": token, "token_type": "bearer"}
        if s.expires_in is not None:
            answer["expires_in"] = s.expires_in
        return JSONResponse(answer)

    async def meetings(self, request: Request) -> Response:
        s = self.s
        header = request.headers.get("authorization") or ""
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        s.api_calls.append(token)
        s.api_bodies.append(await request.body())
        expires = s.issued.get(token or "")
        if (
            s.reject_api
            or expires is None
            or token in s.revoked
            or s.clock.now().timestamp() >= expires
        ):
            return JSONResponse(
                {"error": "access_denied", "error_description": "OAuth2 authentication required"},
                status_code=401,
            )
        return JSONResponse({"hydra:member": [], "call": len(s.api_calls)})

    async def rooms(self, request: Request) -> Response:
        s = self.s
        header = request.headers.get("authorization") or ""
        token = header.removeprefix("Bearer ")
        s.jwt_seen.append(token)
        try:
            assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT"}
            # Time claims are checked below on the shared clock, not on the wall clock.
            claims = jwt.decode(
                token,
                s.public_key,
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
            assert claims["application_id"] == APP_ID
            assert isinstance(claims["iat"], int)
            assert isinstance(claims["jti"], str) and claims["jti"]
            assert claims["exp"] == claims["iat"] + s.jwt_lifetime_s
            assert s.clock.now().timestamp() < claims["exp"]
        except (jwt.PyJWTError, AssertionError, KeyError) as exc:
            s.jwt_rejected.append(type(exc).__name__)
            return JSONResponse(
                {"title": "Unauthorized", "detail": "You did not provide correct credentials"},
                status_code=401,
            )
        s.jwt_claims.append(claims)
        return JSONResponse({"_embedded": {"rooms": []}})


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[App, str]]:
    app = App()
    with running(app) as root:
        yield app, root


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def state(server: tuple[App, str], clock: FixedClock) -> Iterator[ServerState]:
    app, _ = server
    app.state = ServerState(clock)
    try:
        yield app.state
    finally:
        app.state = None
        clear_registered_secrets()


@pytest.fixture
def root(server: tuple[App, str], state: ServerState) -> str:
    return server[1]


def oauth(root: str, clock: FixedClock, **kwargs: Any) -> ClientCredentialsAuth:
    kwargs.setdefault("provider", "24sessions")
    return ClientCredentialsAuth(
        root + "/oauth/v2/token",
        kwargs.pop("client_id", CLIENT_ID),
        kwargs.pop("client_secret", CLIENT_SECRET),
        clock=clock,
        **kwargs,
    )


# -- ApiKeyAuth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "authorization", "key"),
    [
        ({}, f"Bearer {API_KEY}", None),  # Whereby
        ({"scheme": None}, API_KEY, None),  # eyeson
        ({"scheme": ""}, API_KEY, None),
        ({"header": "Key", "scheme": None}, None, API_KEY),  # Accelevents
    ],
    ids=["bearer", "raw-authorization", "empty-scheme", "key-header"],
)
async def test_api_key_reaches_the_server_in_the_configured_header(
    root: str,
    state: ServerState,
    kwargs: dict[str, Any],
    authorization: str | None,
    key: str | None,
) -> None:
    auth = ApiKeyAuth(API_KEY, **kwargs)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        response = await client.get("/echo")
    assert response.status_code == 200
    assert state.echoed == [{"authorization": authorization, "key": key}]


def test_api_key_repr_hides_the_key_and_the_key_is_registered() -> None:
    try:
        auth = ApiKeyAuth(API_KEY, header="Key", scheme=None)
        assert repr(auth) == "ApiKeyAuth(header='Key', scheme=None, key=***)"
        assert repr(ApiKeyAuth(API_KEY)) == (
            "ApiKeyAuth(header='Authorization', scheme='Bearer', key=***)"
        )
        assert redact(f"sent {API_KEY}") == "sent ***"
    finally:
        clear_registered_secrets()


def test_an_empty_api_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="the API key is empty"):
        ApiKeyAuth("")


# -- ClientCredentialsAuth: caching and refresh -------------------------------------------


async def test_one_token_request_serves_many_calls(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        statuses = [(await client.get("/api/meetings")).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert len(state.token_requests) == 1
    (token,) = state.issued
    assert state.api_calls == [token] * 5
    assert redact(f"token {token}") == "token ***"  # registered when received


async def test_token_reused_until_expiry_minus_leeway_then_refreshed(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock, leeway_s=60)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        assert (await client.get("/api/meetings")).status_code == 200
        clock.advance(3600 - 60 - 1)  # one second before the refresh point
        assert (await client.get("/api/meetings")).status_code == 200
        assert len(state.token_requests) == 1
        clock.advance(2)  # one second past it (still 59 s before the server expires it)
        assert (await client.get("/api/meetings")).status_code == 200
    assert len(state.token_requests) == 2
    first, second = state.issued
    assert first != second
    assert state.api_calls == [first, first, second]


async def test_expires_in_absent_means_an_hour(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    state.expires_in = None
    auth = oauth(root, clock, leeway_s=60)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/api/meetings")
        clock.advance(3539)
        await client.get("/api/meetings")
        assert len(state.token_requests) == 1
        clock.advance(2)
        await client.get("/api/meetings")
    assert len(state.token_requests) == 2


async def test_leeway_is_capped_at_half_of_a_short_lifetime(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    state.expires_in = 60  # as long as the leeway: without the cap it would never be reused
    auth = oauth(root, clock, leeway_s=60)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/api/meetings")
        clock.advance(29)
        await client.get("/api/meetings")
        assert len(state.token_requests) == 1
        clock.advance(2)
        await client.get("/api/meetings")
    assert len(state.token_requests) == 2


async def test_concurrent_calls_share_one_token_request(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    state.gate = threading.Event()
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        calls = [asyncio.create_task(client.get("/api/meetings")) for _ in range(8)]
        # The tasks were all scheduled before any socket I/O, so by the time the first
        # token request has reached the server the other seven are waiting for a token.
        # The server holds its answer until told, so they really overlap.
        assert await asyncio.to_thread(state.token_request_arrived.wait, 10)
        assert len(state.token_requests) == 1
        state.gate.set()
        responses = await asyncio.gather(*calls)
    assert [r.status_code for r in responses] == [200] * 8
    assert len(state.token_requests) == 1
    (token,) = state.issued
    assert state.api_calls == [token] * 8


async def test_a_revoked_cached_token_is_refreshed_once_and_the_call_retried(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        assert (await client.get("/api/meetings")).status_code == 200
        (first,) = state.issued
        state.revoked.add(first)
        response = await client.get("/api/meetings")
        assert response.status_code == 200
        assert response.json()["call"] == 3
        assert (await client.get("/api/meetings")).status_code == 200
    assert len(state.token_requests) == 2
    second = next(t for t in state.issued if t != first)
    assert state.api_calls == [first, first, second, second]


async def test_a_persistent_401_is_returned_after_one_retry(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        assert (await client.get("/api/meetings")).status_code == 200
        state.reject_api = True
        response = await client.get("/api/meetings")
    assert response.status_code == 401
    assert response.json() == {
        "error": "access_denied",
        "error_description": "OAuth2 authentication required",
    }
    assert len(state.token_requests) == 2
    first, second = state.issued
    assert state.api_calls == [first, first, second]


async def test_a_401_on_a_freshly_fetched_token_is_not_retried(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    state.reject_api = True
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        response = await client.get("/api/meetings")
    assert response.status_code == 401
    assert len(state.token_requests) == 1
    assert len(state.api_calls) == 1


async def test_a_post_body_is_resent_on_the_retry(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/api/meetings")
        state.revoked.add(next(iter(state.issued)))
        response = await client.post("/api/meetings", json={"title": "Weekly"})
    assert response.status_code == 200
    assert state.api_bodies == [b"", b'{"title":"Weekly"}', b'{"title":"Weekly"}']


# -- ClientCredentialsAuth: the token request ------------------------------------------


async def test_get_token_request_carries_the_credentials_in_the_query(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock, method="GET")
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/api/meetings")
    assert state.token_requests == [
        {
            "method": "GET",
            "query": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "grant_type": "client_credentials",
            },
            "form": {},
            "content_type": None,
            "authorization": None,
        }
    ]


async def test_post_token_request_carries_the_credentials_in_a_form_body(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock, method="POST")
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        assert (await client.get("/api/meetings")).status_code == 200
    assert state.token_requests == [
        {
            "method": "POST",
            "query": {},
            "form": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "grant_type": "client_credentials",
            },
            "content_type": "application/x-www-form-urlencoded",
            "authorization": None,
        }
    ]


def test_shown_token_url_and_repr_mask_the_secret(clock: FixedClock) -> None:
    try:
        get = oauth("https://meet.api.24sessions.com", clock)
        post = oauth("https://meet.api.24sessions.com", clock, method="POST")
        assert get.shown_token_url == (
            "https://meet.api.24sessions.com/oauth/v2/token"
            f"?client_id={CLIENT_ID}&client_secret=***&grant_type=client_credentials"
        )
        assert post.shown_token_url == "https://meet.api.24sessions.com/oauth/v2/token"
        assert repr(get) == (
            f"ClientCredentialsAuth(token_url={get.shown_token_url!r}, "
            f"client_id='{CLIENT_ID}', client_secret=***, method='GET', provider='24sessions')"
        )
        assert CLIENT_SECRET not in repr(post)
        assert redact(f"leaked {CLIENT_SECRET}") == "leaked ***"  # registered at init
    finally:
        clear_registered_secrets()


def test_a_relative_token_url_is_a_config_error(clock: FixedClock) -> None:
    try:
        with pytest.raises(ConfigError, match="is not an absolute http"):
            ClientCredentialsAuth("/oauth/v2/token", CLIENT_ID, CLIENT_SECRET, clock=clock)
    finally:
        clear_registered_secrets()


async def test_wrong_credentials_raise_an_auth_error_naming_invalid_client(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    wrong = "cs_live_wrong_000000000000"
    auth = oauth(root, clock, client_secret=wrong)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        with pytest.raises(AuthError) as caught:
            await client.get("/api/meetings")
    err = caught.value
    # Named as any request is, by method and path: no host, no query (it said "token
    # request to http://HOST/oauth/v2/token?client_id=…&client_secret=***&…").
    assert err.message == (
        "24sessions: token request GET /oauth/v2/token → 400: "
        "invalid_client (The client credentials are invalid)"
    )
    assert err.provider == "24sessions"
    assert err.status == 400
    assert "client id or client secret is wrong" in err.hint
    assert wrong not in str(err) and wrong not in err.body and wrong not in repr(err)
    assert CLIENT_SECRET not in str(err)
    assert state.issued == {}
    assert state.api_calls == []  # the request that needed the token was never sent


@pytest.mark.parametrize(
    ("answer", "what"),
    [
        ((200, "<html>maintenance</html>"), "not JSON"),
        ((200, ["at_list"]), "not a JSON object"),
        ((200, {"token_type": "bearer", "expires_in": 3600}), "no access_token"),
        ((200, {"access_token": "at_0123456789", "token_type": "mac"}), "is not bearer"),
        ((200, {"access_token": "at_0123456789", "expires_in": "soon"}), "expires_in 'soon'"),
        ((200, {"access_token": "at_0123456789", "expires_in": "NaN"}), "expires_in 'NaN'"),
    ],
    ids=["html", "list", "no-token", "mac", "bad-expiry", "nan-expiry"],
)
async def test_a_malformed_token_answer_is_a_provider_error(
    root: str, state: ServerState, clock: FixedClock, answer: Any, what: str
) -> None:
    state.token_answer = answer
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        with pytest.raises(ProviderError) as caught:
            await client.get("/api/meetings")
    assert type(caught.value) is ProviderError
    assert "returned a malformed token answer (" in caught.value.message
    assert what in caught.value.message
    assert "at_0123456789" not in str(caught.value)
    assert state.api_calls == []


@pytest.mark.parametrize("token", ["at_0123\n456789", "at_0123456789\r\n", "at 0123456789",
                                   "at_0123456789\u00e9"])
async def test_a_token_no_header_can_carry_is_said_to_be_the_providers(
    root: str, state: ServerState, clock: FixedClock, token: str
) -> None:
    # Sent, it failed as "cannot be sent … check the account's base_url and that its
    # secrets hold no line breaks": the break was in the provider's token.
    state.token_answer = (200, {"access_token": token, "token_type": "bearer"})
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        with pytest.raises(ProviderError) as caught:
            await client.get("/api/meetings")
    assert type(caught.value) is ProviderError
    assert caught.value.message.endswith(
        "returned a token that cannot be sent (its access_token holds a line break, a "
        "space or another character a header cannot carry)")
    assert caught.value.hint.startswith("The fault is in the token the provider sent, not "
                                        "in the account's secrets")
    assert "base_url" not in caught.value.hint
    assert "0123" not in str(caught.value)
    assert state.api_calls == []


async def test_a_token_endpoint_5xx_is_unavailable(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    state.token_answer = (503, {"error": "maintenance"})
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        with pytest.raises(Unavailable) as caught:
            await client.get("/api/meetings")
    assert caught.value.status == 503
    assert caught.value.message.endswith(" → 503 Service Unavailable")


async def test_a_sync_client_is_refused_loudly(
    root: str, state: ServerState, clock: FixedClock
) -> None:
    auth = oauth(root, clock)
    with (
        httpx.Client(auth=auth, base_url=root) as client,
        pytest.raises(RuntimeError, match="AsyncClient only"),
    ):
        client.get("/api/meetings")
    assert state.api_calls == [] and state.token_requests == []


async def test_logs_carry_neither_secret_nor_token_once_redacted(
    root: str,
    state: ServerState,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("httpx", "meettui"):
        # meettui's own log setup (a CLI test may have run it) stops propagation and
        # leaves handlers behind, which pytest's capture may then be attached to as well:
        # records reach caplog once, through the root logger.
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
        caplog.set_level(logging.DEBUG, logger=name)
    auth = oauth(root, clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/api/meetings")
        state.revoked.add(next(iter(state.issued)))
        await client.get("/api/meetings")  # 401, refresh, retry
    secrets = [CLIENT_SECRET, *state.issued]
    assert len(secrets) == 3
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("meettui")]
    theirs = [r.getMessage() for r in caplog.records if r.name.startswith("httpx")]
    # meettui's own records never hold a credential, even before redaction.
    assert len(ours) == 5
    assert sum("client_secret=***" in m for m in ours) == 2
    assert sum("answered 401 with a cached access token" in m for m in ours) == 1
    assert [m for m in ours if any(s in m for s in secrets)] == []
    # httpx logs each token request's full URL; the registered secret is what redacts it.
    assert sum(CLIENT_SECRET in m for m in theirs) == 2
    shown = [redact(m) for m in theirs]
    assert sum("/oauth/v2/token?client_id=" in m and "client_secret=***" in m for m in shown) == 2
    assert [m for m in shown if any(s in m for s in secrets)] == []


# -- JwtAuth -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: Any, fmt: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


@pytest.fixture
def vonage(state: ServerState, rsa_key: rsa.RSAPrivateKey) -> ServerState:
    state.public_key = rsa_key.public_key()
    return state


async def test_jwt_is_verified_by_the_server(
    root: str, vonage: ServerState, clock: FixedClock, rsa_key: rsa.RSAPrivateKey
) -> None:
    auth = JwtAuth(APP_ID, pem(rsa_key), clock=clock, provider="vonage")
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        response = await client.get("/v1/meetings/rooms")
    assert response.status_code == 200, vonage.jwt_rejected
    (claims,) = vonage.jwt_claims
    iat = int(NOW.timestamp())
    assert claims == {
        "application_id": APP_ID,
        "iat": iat,
        "exp": iat + 900,
        "jti": claims["jti"],
    }
    assert uuid.UUID(claims["jti"]).version == 4
    assert vonage.jwt_seen == [auth.token()]
    assert redact(f"Authorization {auth.token()}") == "Authorization ***"
    assert repr(auth) == (
        f"JwtAuth(application_id='{APP_ID}', private_key=***, lifetime_s=900, provider='vonage')"
    )


async def test_jwt_reused_until_exp_minus_leeway_then_reminted(
    root: str, vonage: ServerState, clock: FixedClock, rsa_key: rsa.RSAPrivateKey
) -> None:
    vonage.jwt_lifetime_s = 300
    auth = JwtAuth(APP_ID, pem(rsa_key), clock=clock, lifetime_s=300, leeway_s=60)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        await client.get("/v1/meetings/rooms")
        await client.get("/v1/meetings/rooms")
        clock.advance(300 - 60 - 1)
        await client.get("/v1/meetings/rooms")
        clock.advance(2)
        await client.get("/v1/meetings/rooms")
    assert vonage.jwt_rejected == []
    first, second = vonage.jwt_seen[0], vonage.jwt_seen[3]
    assert vonage.jwt_seen == [first, first, first, second]
    assert first != second
    jtis = [c["jti"] for c in vonage.jwt_claims]
    assert jtis[0] == jtis[1] == jtis[2] != jtis[3]
    iat = int(NOW.timestamp())
    assert [(c["iat"], c["exp"]) for c in vonage.jwt_claims] == [(iat, iat + 300)] * 3 + [
        (iat + 241, iat + 541)
    ]


@pytest.mark.parametrize("form", ["pkcs1", "escaped-newlines"])
async def test_jwt_accepts_pkcs1_and_escaped_newline_keys(
    root: str, vonage: ServerState, clock: FixedClock, rsa_key: rsa.RSAPrivateKey, form: str
) -> None:
    if form == "pkcs1":
        text = pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL)
        assert text.startswith("-----BEGIN RSA PRIVATE KEY-----")
    else:
        text = pem(rsa_key).replace("\n", "\\n")  # as an environment variable carries it
    auth = JwtAuth(APP_ID, text, clock=clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        assert (await client.get("/v1/meetings/rooms")).status_code == 200
    assert len(vonage.jwt_claims) == 1


async def test_a_jwt_signed_with_another_key_is_refused_by_the_server(
    root: str, vonage: ServerState, clock: FixedClock
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    auth = JwtAuth(APP_ID, pem(other), clock=clock)
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        response = await client.get("/v1/meetings/rooms")
    assert response.status_code == 401
    assert vonage.jwt_rejected == ["InvalidSignatureError"]


BAD_PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCbrokenbrokenbroken\n"
    "-----END PRIVATE KEY-----\n"
)


async def test_a_bad_pem_is_a_config_error_without_the_pem(
    root: str, vonage: ServerState, clock: FixedClock
) -> None:
    auth = JwtAuth(APP_ID, BAD_PEM, clock=clock, provider="vonage")
    async with httpx.AsyncClient(auth=auth, base_url=root) as client:
        with pytest.raises(ConfigError) as caught:
            await client.get("/v1/meetings/rooms")
    err = caught.value
    assert err.message == "vonage: the private key is not a PEM RSA private key"
    assert "private key PEM text" in err.hint
    assert "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCbroken" not in str(err)
    assert err.__cause__ is None and err.__suppress_context__
    assert vonage.jwt_seen == []  # nothing was sent


def test_a_non_rsa_key_is_a_config_error(clock: FixedClock) -> None:
    try:
        ec_pem = pem(ec.generate_private_key(ec.SECP256R1()))
        with pytest.raises(ConfigError, match="is not a PEM RSA private key"):
            JwtAuth(APP_ID, ec_pem, clock=clock).token()
    finally:
        clear_registered_secrets()


def test_an_encrypted_key_is_a_config_error(clock: FixedClock, rsa_key: rsa.RSAPrivateKey) -> None:
    encrypted = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    try:
        with pytest.raises(ConfigError, match="the private key is encrypted"):
            JwtAuth(APP_ID, encrypted, clock=clock).token()
    finally:
        clear_registered_secrets()


def test_jwt_lifetime_and_leeway_are_checked(clock: FixedClock) -> None:
    try:
        with pytest.raises(ValueError, match="lifetime_s"):
            JwtAuth(APP_ID, BAD_PEM, clock=clock, lifetime_s=90_000)
        with pytest.raises(ValueError, match="leeway_s"):
            JwtAuth(APP_ID, BAD_PEM, clock=clock, lifetime_s=60, leeway_s=60)
    finally:
        clear_registered_secrets()
