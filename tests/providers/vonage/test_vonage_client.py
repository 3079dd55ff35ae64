"""The Vonage Meetings client against the Vonage simulator over real sockets.

What every provider must do is in test_conformance.py (Vonage's entry: harness.py).
Here: what only Vonage does — application JWTs (minted, reused, refused when expired,
signed by another key or for another application), the private key from a variable or
a file, paging by `start_id` read from `_links.next.href` (never followed) in either
`_embedded` shape, the PATCH wrapper, the instant-room refusal, `{}` themes and themes
named in the detail pane, expiry, no delete, the deprecation notice, and the demo.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from provider_harness import FAST_POLICY
from vonage_support import APPLICATION_ID, PRIVATE_KEY, PUBLIC_KEY, WRONG_KEY, auth

from meettui.core.accounts import Health
from meettui.core.cache import Cache
from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.clock import FixedClock
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import AuthError, ConfigError, NotSupported, ValidationError
from meettui.core.models import MeetingSpec, Role, Status
from meettui.core.redact import clear_registered_secrets
from meettui.core.service import MeetingService
from meettui.providers.vonage import VonageProvider
from meettui.providers.vonage.capabilities import DEPRECATION, INSTANT_UPDATE_NOTE

ENV = "MEETTUI_TEST_VONAGE_PEM"
ROOMS = 45


class Recorder(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes every request and may reshape JSON answers."""

    def __init__(self, reshape: Callable[[httpx.Request, Any], Any] | None = None) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.reshape = reshape
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        if self.reshape is None or response.status_code != 200:
            return response
        await response.aread()
        body = self.reshape(request, json.loads(response.content))
        return httpx.Response(200, json=body, headers={"Date": response.headers["date"]})

    async def aclose(self) -> None:
        await self.inner.aclose()

    def tokens(self) -> list[str]:
        return [r.headers["authorization"].removeprefix("Bearer ") for r in self.requests]


@pytest.fixture
def vonage(sim_server, sim_clock):
    return sim_server("vonage", clock=sim_clock, meetings=ROOMS,
                      application_id=APPLICATION_ID, public_key=PUBLIC_KEY)


def account(server, **settings: Any) -> AccountConfig:
    return AccountConfig(name="vn", provider="vonage", base_url=server.base_url,
                         secret_env=ENV,
                         settings={"application_id": APPLICATION_ID, **settings})


@pytest.fixture
async def make(vonage, sim_clock):
    made: list[VonageProvider] = []

    def build(*, secrets: dict[str, str] | None = None, clock=None,
              transport: httpx.AsyncBaseTransport | None = None,
              **settings: Any) -> VonageProvider:
        provider = VonageProvider(
            account(vonage, **settings),
            secrets={"private_key": PRIVATE_KEY} if secrets is None else secrets,
            clock=clock or sim_clock, transport=transport)
        made.append(provider)
        return provider

    yield build
    for provider in made:
        await provider.aclose()


async def walk(provider, limit=None) -> tuple[list, int]:
    seen, cursor, pages = [], None, 0
    while True:
        page = await provider.list_page(cursor, limit)
        seen += page.items
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages


def http(vonage, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """The simulator's API directly, with a valid JWT (setting up a case)."""
    return httpx.request(method, vonage.base_url + path, timeout=10,
                         headers=auth(vonage, {"private_key": PRIVATE_KEY}), **kwargs)


# --- JWTs ---------------------------------------------------------------------------------


async def test_the_jwt_carries_the_claims_and_is_reused_until_shortly_before_exp(
        vonage, make, sim_clock):
    recorder = Recorder()
    provider = make(transport=recorder)
    await provider.list_page()
    await provider.get((await provider.list_page()).items[0].id)
    first = recorder.tokens()
    # Rooms, the themes they name (read once), rooms, one room: one JWT for all four.
    assert [r.url.path.rsplit("/meetings", 1)[1] for r in recorder.requests][:3] == [
        "/rooms", "/themes", "/rooms"]
    assert len(first) == 4 and len(set(first)) == 1
    claims = jwt.decode(first[0], PUBLIC_KEY, algorithms=["RS256"],
                        options={"verify_exp": False, "verify_iat": False})
    now = int(sim_clock.now().timestamp())
    assert claims["application_id"] == APPLICATION_ID
    assert (claims["iat"], claims["exp"]) == (now, now + 900)
    assert uuid.UUID(claims["jti"]).version == 4
    assert jwt.get_unverified_header(first[0]) == {"alg": "RS256", "typ": "JWT"}

    sim_clock.advance(timedelta(seconds=839))  # 61 s left: still used
    await provider.list_page()
    sim_clock.advance(timedelta(seconds=1))  # 60 s left: a new one
    await provider.list_page()
    tokens = recorder.tokens()
    assert tokens[4] == first[0] and tokens[5] != first[0]
    assert jwt.decode(tokens[5], PUBLIC_KEY, algorithms=["RS256"],
                      options={"verify_exp": False, "verify_iat": False}
                      )["iat"] == now + 840


async def test_an_expired_jwt_is_refused(vonage, make, sim_clock):
    # A client whose clock is 20 minutes behind mints JWTs that expired 5 minutes ago.
    late = FixedClock(sim_clock.now() - timedelta(minutes=20))
    provider = make(clock=late)
    with pytest.raises(AuthError) as info:
        await provider.list_page()
    assert info.value.status == 401
    assert "Unauthorized: You did not provide correct credentials" in info.value.message
    # Vonage refuses it in the words it refuses a wrong key with; its answer's Date
    # says its clock is 20 min ahead: the clocks are said to disagree ("check the
    # account's application_id and private key" blamed a key that was right).
    hint = info.value.hint
    assert hint.startswith("The provider's clock (its answer's Date: ")
    assert "is 20 min ahead of this machine's, so to it the JWT made just now had " \
           "expired" in hint and "check that this machine's clock is right" in hint


async def test_a_jwt_the_provider_s_clock_moved_past_is_said_as_clocks_that_disagree(
        vonage, make, sim_clock):
    # An MCP server (one process, its JWT reused): list_meetings worked, the provider's
    # clock jumped an hour, the next one said to check the key and application id.
    provider = make(clock=FixedClock(sim_clock.now()))  # this machine's clock stays
    await provider.list_page()
    sim_clock.advance(timedelta(hours=1))
    with pytest.raises(AuthError) as info:
        await provider.list_page()
    assert "60 min ahead of this machine's" in info.value.hint
    assert "had expired" in info.value.hint


@pytest.mark.parametrize("how", ["another key", "another application"])
async def test_a_jwt_signed_by_another_key_or_for_another_app_is_refused(vonage, make, how):
    if how == "another key":
        provider = make(secrets={"private_key": WRONG_KEY})
    else:
        provider = make(application_id=str(uuid.uuid4()))
    with pytest.raises(AuthError) as info:
        await provider.list_page()
    assert info.value.status == 401
    assert "-----BEGIN" not in str(info.value)
    # The clocks agree: the key advice stays.
    assert "application_id and private key" in info.value.hint
    assert "clock" not in info.value.hint


async def test_the_private_key_from_a_file(vonage, make, tmp_path):
    path = tmp_path / "private.key"
    path.write_text(PRIVATE_KEY, encoding="utf-8")
    provider = make(secrets={}, private_key_path=str(path))
    assert len((await provider.list_page()).items) == 20
    with pytest.raises(ConfigError, match="cannot read the private key file"):
        make(secrets={}, private_key_path=str(tmp_path / "nope.key")).auth()
    with pytest.raises(ConfigError, match="needs its private key") as info:
        make(secrets={}).auth()
    # The variable the config names, and the setting that names a key file instead.
    assert str(info.value) == (
        "Account 'vn' needs its private key: $MEETTUI_TEST_VONAGE_PEM is not set (or is "
        "blank), and settings.private_key_path names no key file. To fix: set "
        "MEETTUI_TEST_VONAGE_PEM to the application's private key (PEM text), or set "
        "settings.private_key_path to the key file (private.key).")


@pytest.mark.parametrize(("content", "said"), [
    ("no-pem-text-5b1e\n", "is not a PEM RSA private key"), ("\n", "is empty")])
async def test_a_key_file_that_holds_no_key_names_the_file(vonage, make, tmp_path,
                                                           content, said):
    # "Set the account's private key to the application's private key PEM text (the
    # private.key file, …)" to a user whose settings.private_key_path names a file that
    # holds something else: the file to check went unnamed.
    from meettui.core.errors import CredentialsError

    path = tmp_path / "private.key"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CredentialsError) as info:
        await make(secrets={}, private_key_path=str(path)).list_page()
    assert info.value.message == (f"vonage: the private key in the file {path} "
                                  f"(settings.private_key_path) {said}")
    assert info.value.hint.startswith("Check that file: it must hold the application's "
                                      "private key")
    assert "Set the account's private key" not in info.value.hint
    # Given as a secret, the key advice stays as it was.
    with pytest.raises(CredentialsError) as info:
        await make(secrets={"private_key": "no-pem-text-5b1e"}).list_page()
    assert info.value.message == "vonage: the private key is not a PEM RSA private key"
    clear_registered_secrets()  # (a text registered as a secret is masked everywhere)


async def test_a_key_file_gone_needs_credentials_rather_than_deprecated(vonage, tmp_path,
                                                                       sim_clock):
    # Every Vonage account said "deprecated service" until a call was made, a key file
    # that was gone included: "needs credentials" was hidden.
    path = tmp_path / "private.key"
    path.write_text(PRIVATE_KEY, encoding="utf-8")
    config = Config(accounts=[account(vonage, private_key_path=str(path))])
    cache = Cache(tmp_path / "cache.sqlite3")

    def process() -> MeetingService:
        return MeetingService(config=config, cache=cache, clock=sim_clock, env={})

    first = process()
    try:
        # Nothing known but its configuration, which is complete: deprecated.
        assert first.account_info("vn").health == Health.DEPRECATED
        assert await first.sync_all("vn") == ROOMS
        await first.aclose()
        path.unlink()
        later = process()
        info = later.account_info("vn")
        assert info.health == Health.NEEDS_CREDENTIALS
        assert "cannot read the private key file" in info.message
        assert DEPRECATION in info.message  # both are said
        with pytest.raises(ConfigError, match="cannot read the private key file"):
            await later.refresh("vn")
        assert later.account_info("vn").health == Health.NEEDS_CREDENTIALS
        await later.aclose()
    finally:
        cache.close()


async def test_the_private_key_from_the_variable_the_account_names(vonage, tmp_path,
                                                                   sim_clock):
    service = MeetingService(config=Config(accounts=[account(vonage)]),
                             cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                             env={ENV: PRIVATE_KEY.replace("\n", "\\n")})
    try:
        assert await service.sync_all("vn") == ROOMS
        info = service.account_info("vn")
        assert info.health == Health.OK and info.message == DEPRECATION
    finally:
        await service.aclose()
        service.cache.close()
    # Neither the key nor a JWT is in the cache.
    stored = (tmp_path / "cache.sqlite3").read_bytes()
    assert b"BEGIN PRIVATE KEY" not in stored and b"MIIE" not in stored
    assert b"eyJhbGciOiJSUzI1NiIs" not in stored  # an RS256 JWT header


async def test_without_any_key_the_account_says_how_to_give_one(vonage, tmp_path, sim_clock):
    service = MeetingService(config=Config(accounts=[account(vonage)]),
                             cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock, env={})
    try:
        with pytest.raises(ConfigError, match="needs its private key"):
            await service.refresh("vn")
    finally:
        await service.aclose()
        service.cache.close()


# --- paging -------------------------------------------------------------------------------


async def test_paging_reads_start_id_from_the_next_href_across_three_pages(vonage, make):
    recorder = Recorder()
    provider = make(transport=recorder)
    meetings, pages = await walk(provider)
    assert pages == 3 and len(meetings) == ROOMS
    assert len({m.id for m in meetings}) == ROOMS
    serials = [r.serial for r in vonage.sim.rooms.values()]
    sent = [r.url.params.get("start_id") for r in recorder.requests
            if r.url.path.endswith("/rooms")]
    # Page two and three start at the 21st and 41st rooms' serials: read from the
    # hrefs, not counted (serials have gaps), and the hrefs' host was never asked.
    assert sent == [None, str(serials[20]), str(serials[40])]
    assert serials[40] - serials[20] > 20
    assert {r.url.host for r in recorder.requests} == {"127.0.0.1"}
    assert all(r.url.params.get("page_size") == "20" for r in recorder.requests
               if r.url.path.endswith("/rooms"))


async def test_the_beta_embedded_shape_and_a_string_page_size(vonage, make):
    def beta(request: httpx.Request, body: Any) -> Any:
        if request.url.path.endswith("/rooms"):
            body = {**body, "_embedded": {"rooms": body["_embedded"]},
                    "page_size": str(body["page_size"])}
        return body

    meetings, pages = await walk(make(transport=Recorder(beta)), limit=10)
    assert pages == 5
    assert [m.id for m in meetings] == [r.id for r in vonage.sim.rooms.values()]


async def test_a_repeated_next_link_or_an_empty_page_ends_the_walk(vonage, make):
    def repeat(request: httpx.Request, body: Any) -> Any:
        start = request.url.params.get("start_id")
        if start is not None and "next" in body["_links"]:
            # The second page points at itself again.
            body["_links"]["next"]["href"] = re.sub(r"start_id=\d+", f"start_id={start}",
                                                    body["_links"]["next"]["href"])
        return body

    meetings, pages = await walk(make(transport=Recorder(repeat)))
    assert (pages, len(meetings)) == (2, 40)

    def empty(request: httpx.Request, body: Any) -> Any:
        return {**body, "_embedded": []}  # `next` still there

    meetings, pages = await walk(make(transport=Recorder(empty)))
    assert (pages, meetings) == (1, [])


# --- creating, editing, expiry ------------------------------------------------------------


async def test_create_long_term_then_edit_in_place_through_the_wrapper(vonage, make,
                                                                       sim_clock):
    recorder = Recorder()
    provider = make(transport=recorder)
    created = await provider.create(MeetingSpec(
        title="Mortgage advice", ends_at=sim_clock.now() + timedelta(days=3),
        options={"join_approval_level": "explicit_approval", "metadata": "crm:42",
                 "language": "de", "auto_record": "true"}))
    assert created.raw["type"] == "long_term" and created.status == Status.SCHEDULED
    assert created.expires_at == sim_clock.now() + timedelta(days=3)
    assert created.details["Join approval"] == "explicit_approval"
    assert (created.details["Language"], created.details["Metadata"]) == ("de", "crm:42")
    assert created.details["Recording"].startswith("automatic")
    assert VonageProvider.capabilities_for(created).update == UpdateMode.IN_PLACE

    updated = await provider.update(created.id, MeetingSpec(
        title="ignored: fixed", ends_at=sim_clock.now() + timedelta(days=20),
        options={"is_chat_available": False, "expire_after_use": True}))
    patch = recorder.requests[-1]
    assert patch.method == "PATCH"
    assert json.loads(patch.content) == {"update_details": {
        "expire_after_use": True, "available_features": {"is_chat_available": False},
        "expires_at": "2026-03-22T09:00:00.000Z"}}
    assert updated.expires_at == sim_clock.now() + timedelta(days=20)
    assert updated.details["Close after use"] == "yes"
    assert "chat" not in updated.details["Features"]
    assert updated.title == "Mortgage advice"
    assert {(lk.role, lk.url) for lk in updated.links} == {
        (lk.role, lk.url) for lk in created.links}

    with pytest.raises(ValidationError, match="fixed when a Vonage room is created") as info:
        await provider.update(created.id, MeetingSpec(options={"metadata": "x"}))
    assert info.value.field == "metadata"
    with pytest.raises(ValidationError, match="Nothing to change"):
        await provider.update(created.id, MeetingSpec(title="x"))


async def test_an_instant_room_cannot_be_edited_and_says_why(vonage, make, tmp_path,
                                                             sim_clock):
    provider = make()
    instant = await provider.create(MeetingSpec(title="Walk-in"))
    assert instant.raw["type"] == "instant" and instant.status == Status.LIVE
    caps = VonageProvider.capabilities_for(instant)
    assert caps.update == UpdateMode.NONE and caps.update_note == INSTANT_UPDATE_NOTE
    assert any("instant room" in note for note in caps.notes)
    # Sent anyway, Vonage refuses it with its own message, kept.
    with pytest.raises(ValidationError) as info:
        await provider.update(instant.id, MeetingSpec(options={"join_approval_level": "none"}))
    assert info.value.status == 400
    assert info.value.message == (f"vonage: The room with id: {instant.id} could not be "
                                  "updated because of its type: temporary")

    service = MeetingService(config=Config(accounts=[account(vonage)]),
                             cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                             env={ENV: PRIVATE_KEY})
    try:
        await service.sync_all("vn")
        cached = service.cached("vn", instant.id)
        assert cached is not None
        with pytest.raises(NotSupported) as refused:
            await service.update("vn", instant.id, MeetingSpec(title="x"))
        assert refused.value.hint == INSTANT_UPDATE_NOTE
        with pytest.raises(NotSupported, match="expires on its own"):
            await service.delete("vn", instant.id)
        assert service.cached("vn", instant.id) is not None
    finally:
        await service.aclose()
        service.cache.close()


async def test_an_instant_room_expires_after_ten_minutes(vonage, make, sim_clock):
    provider = make()
    room = await provider.create(MeetingSpec(title="Walk-in"))
    assert room.expires_at == sim_clock.now() + timedelta(minutes=10)
    assert room.effective_status(sim_clock.now() + timedelta(minutes=10)) == Status.EXPIRED
    sim_clock.advance(timedelta(minutes=10))
    again = await provider.get(room.id)
    assert again.raw["is_available"] is False
    assert again.status == Status.EXPIRED
    assert again.details["Available"].startswith("no")


@pytest.mark.parametrize(("spec", "field", "message"), [
    ({"title": ""}, "title", "needs a name"),
    ({"title": "x" * 201}, "title", "at most 200"),
    ({"title": "A", "options": {"type": "long_term"}}, "ends_at", "needs an expiry"),
    ({"title": "A", "ends_at": "+5m"}, "ends_at", "more than 10 minutes"),
    ({"title": "A", "ends_at": "+1d", "options": {"type": "instant"}}, "ends_at",
     r"instant room expires 10 minutes after creation.*\(-o type=long_term\)"),
    ({"title": "A", "options": {"expire_after_use": True}}, "expire_after_use",
     r"long-term rooms only \(-o type=long_term\)"),
    ({"title": "A", "options": {"join_approval_level": "maybe"}}, "join_approval_level",
     "must be one of"),
    ({"title": "A", "options": {"colour": "red"}}, None, "has no option 'colour'"),
])
async def test_create_refuses_what_vonage_would_refuse(vonage, make, sim_clock, spec, field,
                                                       message):
    if isinstance(spec.get("ends_at"), str):
        minutes = {"+5m": 5, "+1d": 24 * 60}[spec["ends_at"]]
        spec = {**spec, "ends_at": sim_clock.now() + timedelta(minutes=minutes)}
    with pytest.raises(ValidationError, match=message) as info:
        await make().create(MeetingSpec(**spec))
    assert info.value.field == field
    assert vonage.sim.info()["meetings"] == ROOMS


async def test_the_simulators_refusal_reaches_the_form_field(vonage, make, sim_clock):
    # The client lets a theme id through; the service refuses it, naming the field.
    with pytest.raises(ValidationError) as info:
        await make().create(MeetingSpec(title="A", options={"theme_id": "nope"}))
    assert (info.value.field, info.value.status) == ("theme_id", 400)
    assert '"theme_id" must be a valid GUID' in info.value.message


async def test_rooms_cannot_be_deleted(vonage, make):
    provider = make()
    assert provider.capabilities.delete == DeleteMode.NONE
    with pytest.raises(NotSupported, match="expire on their own"):
        await provider.delete((await provider.list_page()).items[0].id)


# --- themes -------------------------------------------------------------------------------


async def test_rooms_name_their_theme_and_carry_its_company_url(vonage, make):
    themed = next(r for r in vonage.sim.rooms.values()
                  if r.theme_id and vonage.sim.themes[r.theme_id].short_company_url)
    theme = vonage.sim.themes[themed.theme_id]
    meeting = await make().get(themed.id)
    assert meeting.details["Theme"] == (f"{theme.theme_name} (company URL "
                                        f"/{theme.short_company_url})")
    guest = meeting.link(Role.GUEST)
    assert guest.url == (f"https://meetings.vonage.com/{theme.short_company_url}/"
                         f"{themed.meeting_code}")


async def test_no_themes_answers_an_empty_object(vonage, make):
    provider = make()
    assert len(await provider.themes()) == 3
    for theme_id in list(vonage.sim.themes):
        assert http(vonage, "DELETE", f"/themes/{theme_id}",
                    params={"force": "true"}).status_code == 204
    assert http(vonage, "GET", "/themes").content == b"{}"
    assert await provider.themes() == []
    meetings, _ = await walk(provider)
    assert {m.details["Theme"] for m in meetings} == {"none (Vonage's standard look)"}


async def test_a_failed_theme_read_leaves_the_theme_id(vonage, make):
    themed = next(r for r in vonage.sim.rooms.values() if r.theme_id)
    provider = make()
    provider.policy = FAST_POLICY  # three attempts, short waits
    # The room is read, then the themes read fails for good: the theme's id is shown.
    original = provider.themes

    async def failing() -> list:
        vonage.sim.faults.queue("500", FAST_POLICY.max_attempts)
        return await original()

    provider.themes = failing  # type: ignore[method-assign]
    meeting = await provider.get(themed.id)
    assert meeting.details["Theme"] == themed.theme_id
    assert vonage.sim.faults.injected["500"] == 3


# --- the demo and the deprecation notice -------------------------------------------------


async def test_the_demo_account_runs_the_simulator_in_process_and_is_deprecated(
        tmp_path, sim_clock):
    from meettui import demo

    account = next(a for a in demo.demo_accounts() if a.provider == "vonage")
    assert account.name == "vonage-demo" and account.demo
    svc = MeetingService(config=Config(accounts=[account]),
                         cache=Cache(tmp_path / "demo.sqlite3"), clock=sim_clock)
    demo.attach(svc)
    try:
        info = svc.account_info("vonage-demo")
        assert (info.health, info.message) == (Health.DEPRECATED, DEPRECATION)
        assert await svc.sync_all("vonage-demo") == 120
        meetings = svc.window(["vonage-demo"], limit=1000)
        assert {m.raw["type"] for m in meetings} == {"instant", "long_term"}
        assert any(m.status == Status.EXPIRED for m in meetings)
        assert any(m.status == Status.LIVE for m in meetings)
        room = await svc.create("vonage-demo", MeetingSpec(
            title="Demo", ends_at=sim_clock.now() + timedelta(days=1)))
        assert room.link(Role.GUEST) is not None
        assert svc.account_info("vonage-demo").message == DEPRECATION
        caps = svc.capabilities_for(room)
        assert caps.deprecation == DEPRECATION and caps.update == UpdateMode.IN_PLACE
    finally:
        await svc.aclose()
        svc.cache.close()


async def test_the_room_limit_is_a_refusal_by_a_rule_not_the_account_failing(
        vonage, tmp_path, sim_clock, monkeypatch):
    # 403 "Maximum number of rooms for owner exceeded" is one of Vonage's limits: the
    # account said "error" until a call went through, as if it were unusable.
    from meettui.simulators.vonage import rooms
    monkeypatch.setattr(rooms, "MAX_ROOMS", 0)
    service = MeetingService(config=Config(accounts=[account(vonage)]),
                             cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                             env={ENV: PRIVATE_KEY.replace("\n", "\\n")})
    try:
        await service.sync_all("vn")
        with pytest.raises(ValidationError) as info:
            await service.create("vn", MeetingSpec(title="One too many"))
        assert not isinstance(info.value, AuthError)
        assert "Maximum number of rooms" in info.value.message
        assert info.value.hint.startswith("Vonage refused this by one of its limits")
        account_info = service.account_info("vn")
        assert (account_info.health, account_info.message) == (Health.OK, DEPRECATION)
    finally:
        await service.aclose()
        service.cache.close()


def test_a_gateway_403_is_about_the_credentials():
    # No service error class in the body: the gateway refused the JWT.
    from meettui.providers.vonage.errors import ERRORS
    response = httpx.Response(403, json={"title": "Forbidden", "detail": "Not allowed"})
    assert isinstance(ERRORS.error_for(response, "GET /rooms", "vonage"), AuthError)
