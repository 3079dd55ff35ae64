"""The shared provider conformance suite: every provider client against its simulator,
over real HTTP on 127.0.0.1. A provider joins by adding one entry to
`provider_harness.HARNESSES`; every case below then runs for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
from provider_harness import FAST_POLICY

from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.errors import (
    AuthError,
    CredentialsError,
    FixedField,
    MeettuiError,
    NotFound,
    NothingToChange,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    Unavailable,
)
from meettui.core.kept import BASE_FIELDS
from meettui.core.models import Meeting, MeetingSpec, Page, Status
from meettui.core.registry import provider_class
from meettui.core.service import Health, MeetingService


async def walk(provider, limit: int | None = None) -> tuple[list[Meeting], int]:
    """Every meeting, page by page; returns them and how many pages it took."""
    seen: list[Meeting] = []
    cursor, pages = None, 0
    while True:
        page: Page = await provider.list_page(cursor, limit)
        pages += 1
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages
        assert pages < 1000, "the cursor never ends"


# -- listing ---------------------------------------------------------------------------


async def test_paging_returns_each_meeting_exactly_once(harness, sim_server, sim_clock,
                                                       make_provider):
    server = harness.start(sim_server, sim_clock, 123)
    provider = make_provider(harness, server)
    caps_default = provider.capabilities.page_size_default
    meetings, pages = await walk(provider)
    ids = [m.id for m in meetings]
    assert len(ids) == 123 and len(set(ids)) == 123
    assert pages == -(-123 // caps_default) > 1
    assert all(m.provider == harness.kind and m.account == provider.account.name
               for m in meetings)
    assert all(m.links and m.shareable_link() is not None for m in meetings)

    small, pages = await walk(provider, limit=10)
    assert [m.id for m in small] == ids
    assert pages == 13


async def test_create_get_list_delete_round_trip(harness, sim_server, sim_clock, make_provider):
    server = harness.start(sim_server, sim_clock, 5)
    provider = make_provider(harness, server)
    created = await provider.create(harness.spec(sim_clock.now()))
    assert created.id and created.shareable_link() is not None

    fetched = await provider.get(created.id)
    assert fetched.id == created.id
    assert {(lk.role, lk.url) for lk in fetched.links} == {
        (lk.role, lk.url) for lk in created.links
    }

    listed, _ = await walk(provider)
    assert [m.id for m in listed].count(created.id) == 1
    assert len(listed) == 6
    # A link a create gave that no read gives back would be lost at the next refresh
    # (unless the provider keeps it: `Meeting.kept`).
    item = next(m for m in listed if m.id == created.id)
    assert {(lk.role, lk.url) for lk in item.links} == {
        (lk.role, lk.url) for lk in created.links
    }

    if provider.capabilities.delete == DeleteMode.NONE:
        # An API without delete (its meetings expire): the client says so, and the
        # meeting is still there afterwards.
        with pytest.raises(NotSupported):
            await provider.delete(created.id)
        assert (await provider.get(created.id)).id == created.id
        return
    await provider.delete(created.id)
    if provider.capabilities.delete == DeleteMode.CANCEL:
        # A cancel: the meeting stays, listed once, as cancelled.
        assert (await provider.get(created.id)).status == Status.CANCELLED
        listed, _ = await walk(provider)
        assert [m.id for m in listed].count(created.id) == 1 and len(listed) == 6
        assert next(m for m in listed if m.id == created.id).status == Status.CANCELLED
        return
    with pytest.raises(NotFound):
        await provider.get(created.id)
    listed, _ = await walk(provider)
    assert created.id not in {m.id for m in listed} and len(listed) == 5


# -- credentials -------------------------------------------------------------------------


async def test_secrets_read_with_whitespace_around_them_still_work(harness, sim_server,
                                                                   sim_clock, make_service):
    # A secret file or `$(cat key)` brings a trailing line break: sent with it, the key was
    # an illegal header (and its error quoted the key); a client id in a query was wrong.
    server = harness.start(sim_server, sim_clock, 3)
    env = {var: f" {value}\n" for var, value in harness.env().items()}
    service, name = make_service(harness, server, env=env)
    assert len((await service.provider(name).list_page()).items) == 3


async def test_a_secret_beyond_ascii_is_refused_credentials_not_a_server_error(
        harness, sim_server, sim_clock, make_service):
    # httpx sends a key with "é" as UTF-8: the provider refuses it (401), and meettui
    # says so with the credentials hint. Whereby's simulator failed with a 500, said
    # as "server error, try again later".
    server = harness.start(sim_server, sim_clock, 3)
    env = {var: f"{value[:8]}é{value[8:]}" for var, value in harness.env().items()}
    with pytest.raises((AuthError, CredentialsError)) as info:
        service, name = make_service(harness, server, env=env)
        await service.refresh(name)
    said = info.value.paragraph()
    assert harness.account(server).name in said
    assert "server error" not in said.lower() and "try again" not in said.lower()
    _no_secret_in(said, harness, env)
    if isinstance(info.value, AuthError):
        assert info.value.status == 401


async def test_a_secret_no_header_can_carry_is_said_before_anything_is_sent(
        harness, sim_server, sim_clock, make_service):
    # Bytes that are not UTF-8 in the variable (Python holds them as surrogates), or a
    # line break inside a key sent in a header (a key pasted with another line):
    # "unexpected error: UnicodeEncodeError ... This is a bug", or "cannot be sent:
    # LocalProtocolError" without the variable to fix.
    server = harness.start(sim_server, sim_clock, 3)
    for broken in ("\udce9", "\n"):
        env = {var: f"{value[:8]}{broken}{value[8:]}" for var, value in harness.env().items()}
        with pytest.raises(MeettuiError) as info:
            service, name = make_service(harness, server, env=env)
            await service.refresh(name)
        said = info.value.paragraph()
        assert harness.account(server).name in said and "bug" not in said
        _no_secret_in(said, harness, env)
        if broken == "\udce9":
            assert isinstance(info.value, CredentialsError)
            assert f"${next(iter(env))}" in said and "not UTF-8 text" in said
        elif isinstance(info.value, CredentialsError) and "HTTP header" in said:
            assert "nothing was sent" in said and "$MEETTUI_TEST_" in said


def _no_secret_in(said: str, harness, env: dict[str, str]) -> None:
    """No secret of the harness (a client id is no secret: a token URL shows it) nor
    the broken value given in its place is in `said`."""
    values = [v for k, v in harness.secrets.items() if k != "client_id"]
    values += [v for k, v in env.items() if not k.endswith("_CLIENT_ID")]
    assert all(value not in said for value in values)


# -- ids from outside ---------------------------------------------------------------------


@dataclass
class PathRecorder(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes the raw path (and query) of every request."""

    sent: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.url.raw_path.decode())
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def take(self) -> list[str]:
        taken, self.sent = self.sent, []
        return taken


# Ids an agent (MCP) or a command line may pass: each must stay one path segment.
HOSTILE_IDS = ("../rooms", "..", ".", "../..", "x/../../y", "ID?x=1", "ID#x", "ID/users",
               "a b%2F..")


def one_segment(value: str) -> str:
    """`value` as one path segment: all but unreserved characters percent-encoded, and a
    dot segment (`.`, `..`, which URL resolution removes) with its dots encoded too."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


@pytest.mark.parametrize("operation", ["get", "delete"])
async def test_a_hostile_id_never_leaves_its_path_segment(harness, sim_server, sim_clock,
                                                          make_provider, operation):
    # MCP get_meeting {"id": "../rooms"} sent the account's key to /rooms, "ID?x=1" added
    # a query, and a quoted ".." still resolved to the API root. Every request made for a
    # hostile id is the one made for a plain id, with the id as one encoded segment, or
    # none is sent at all (an id of the wrong shape refused before).
    server = harness.start(sim_server, sim_clock, 2)
    recorder = PathRecorder()
    provider = make_provider(harness, server, transport=recorder)
    await provider.list_page()  # an OAuth client fetches its token here, not below
    recorder.take()
    act = getattr(provider, operation)

    async def attempt(meeting_id: str) -> list[str]:
        # A get must fail (no such meeting); a delete may say "gone already".
        try:
            await act(meeting_id)
        except MeettuiError:
            pass
        else:
            assert operation == "delete", meeting_id
        return recorder.take()

    plain = harness.unknown_id
    shape = [path.partition("?") for path in await attempt(plain)]
    for hostile in HOSTILE_IDS:
        sent = await attempt(hostile)
        if sent:
            assert sent == ["/".join(one_segment(hostile) if part == plain else part
                                     for part in path.split("/")) + mark + query
                            for path, mark, query in shape], hostile


# -- errors ------------------------------------------------------------------------------


async def test_wrong_credentials_are_an_auth_error(harness, sim_server, sim_clock,
                                                   make_provider, sleeps):
    server = harness.start(sim_server, sim_clock, 3)
    provider = make_provider(harness, server, secrets=harness.wrong_secrets)
    with pytest.raises(AuthError) as info:
        await provider.list_page()
    assert info.value.status == 401
    assert sleeps == []  # not retried: a wrong key stays wrong
    with pytest.raises(AuthError):
        await provider.create(harness.spec(sim_clock.now()))


async def test_unknown_id_is_not_found(harness, sim_server, sim_clock, make_provider):
    server = harness.start(sim_server, sim_clock, 3)
    provider = make_provider(harness, server)
    with pytest.raises(NotFound) as info:
        await provider.get(harness.unknown_id)
    assert info.value.status == 404


async def test_429_is_waited_out_within_the_bound(harness, sim_server, sim_clock,
                                                  make_provider, sleeps):
    server = harness.start(sim_server, sim_clock, 7)
    server.sim.faults.update(retry_after_ms=1500)
    server.sim.faults.queue("429")
    provider = make_provider(harness, server)
    page = await provider.list_page()
    assert len(page.items) == 7
    # The announced wait (1.5 s, or 2 s when rounded up to whole seconds), not a guess.
    assert len(sleeps) == 1 and 1.5 <= sleeps[0] <= 2.0
    assert server.sim.faults.injected["429"] == 1


async def test_429_is_also_retried_for_a_create(harness, sim_server, sim_clock, make_provider,
                                                sleeps):
    # A 429 was not processed, so even a POST is safe to send again.
    server = harness.start(sim_server, sim_clock, 0)
    server.sim.faults.update(retry_after_ms=1000)
    server.sim.faults.queue("429")
    provider = make_provider(harness, server)
    created = await provider.create(harness.spec(sim_clock.now()))
    assert len(sleeps) == 1
    listed, _ = await walk(provider)
    assert [m.id for m in listed] == [created.id]


async def test_429_beyond_the_bound_raises_rate_limited(harness, sim_server, sim_clock,
                                                       make_provider, sleeps):
    server = harness.start(sim_server, sim_clock, 3)
    server.sim.faults.update(retry_after_ms=30_000)
    server.sim.faults.queue("429")
    provider = make_provider(harness, server, policy=replace(FAST_POLICY, max_total_wait=10))
    with pytest.raises(RateLimited) as info:
        await provider.list_page()
    assert info.value.retry_after == pytest.approx(30, abs=1)
    assert "30 s" in info.value.hint
    assert sleeps == []  # told at once, not after a long wait


async def test_5xx_is_retried_for_reads(harness, sim_server, sim_clock, make_provider, sleeps):
    server = harness.start(sim_server, sim_clock, 4)
    server.sim.faults.queue("503")
    server.sim.faults.queue("500")
    provider = make_provider(harness, server)
    page = await provider.list_page()
    assert len(page.items) == 4
    assert len(sleeps) == 2
    assert server.sim.faults.pending() == []


async def test_persistent_5xx_is_unavailable(harness, sim_server, sim_clock, make_provider):
    server = harness.start(sim_server, sim_clock, 4)
    server.sim.faults.queue("500", FAST_POLICY.max_attempts)
    provider = make_provider(harness, server)
    with pytest.raises(Unavailable) as info:
        await provider.list_page()
    assert info.value.status == 500
    assert server.sim.faults.injected["500"] == FAST_POLICY.max_attempts
    # The next request, with the fault gone, works again.
    assert len((await provider.list_page()).items) == 4


async def test_5xx_on_create_is_reported_not_retried(harness, sim_server, sim_clock,
                                                     make_provider):
    # A POST that failed with a 5xx may have been processed: sending it again could
    # create two meetings, so the client reports instead.
    server = harness.start(sim_server, sim_clock, 0)
    provider = make_provider(harness, server)
    # An OAuth client fetches its token first: a token request's 503 is retried (it
    # creates nothing), so the 503s below must be the create's own.
    await provider.list_page()
    server.sim.faults.queue("503", 2)
    with pytest.raises(Unavailable):
        await provider.create(harness.spec(sim_clock.now()))
    assert server.sim.faults.injected["503"] == 1
    assert server.sim.faults.pending() == ["503"]


async def test_timeout_is_unavailable(harness, sim_server, sim_clock, make_provider):
    server = harness.start(sim_server, sim_clock, 2)
    server.sim.faults.update(latency=1.0)
    provider = make_provider(
        harness, server, policy=replace(FAST_POLICY, max_attempts=2, read_timeout=0.15)
    )
    with pytest.raises(Unavailable) as caught:
        await provider.list_page()
    # The provider was reached but did not answer in time: not "could not be reached",
    # and not "the answer was lost".
    assert "got no answer within 0.15 s" in caught.value.message
    assert caught.value.hint == ("The provider gave no answer in time; a read changes "
                                 "nothing. The cached list still works; try again later.")


async def test_a_dropped_connection_is_retried(harness, sim_server, sim_clock, make_provider,
                                               sleeps):
    server = harness.start(sim_server, sim_clock, 6)
    server.sim.faults.queue("drop")
    provider = make_provider(harness, server)
    assert len((await provider.list_page()).items) == 6
    assert len(sleeps) == 1 and server.sim.faults.injected["drop"] == 1


async def test_connections_that_keep_dropping_are_unavailable(harness, sim_server, sim_clock,
                                                              make_provider):
    server = harness.start(sim_server, sim_clock, 6)
    server.sim.faults.queue("drop", FAST_POLICY.max_attempts)
    provider = make_provider(harness, server)
    with pytest.raises(Unavailable, match="connection problem") as caught:
        await provider.list_page()
    # A read changes nothing: no "the provider may have done it" (said of changes).
    assert caught.value.hint == ("The answer was lost on the way; a read changes nothing. "
                                 "The cached list still works; try again.")


async def test_malformed_json_is_a_clear_provider_error(harness, sim_server, sim_clock,
                                                        make_provider):
    server = harness.start(sim_server, sim_clock, 6)
    server.sim.faults.queue("malformed")
    provider = make_provider(harness, server)
    with pytest.raises(ProviderError) as info:
        await provider.list_page()
    assert type(info.value) is ProviderError  # not mistaken for auth, 404, throttling
    assert "malformed" in info.value.message
    assert harness.kind in info.value.message


async def test_malformed_refresh_leaves_the_cache_as_it_was(harness, sim_server, sim_clock,
                                                           make_service):
    server = harness.start(sim_server, sim_clock, 75)
    service, name = make_service(harness, server)
    assert await service.sync_all(name) == 75
    rows_before = service.window([name], limit=1000)
    state_before = service.cache.sync_state(name)
    assert state_before.complete

    server.sim.faults.queue("malformed")
    with pytest.raises(ProviderError, match="malformed"):
        await service.refresh(name)

    assert service.window([name], limit=1000) == rows_before
    state_after = service.cache.sync_state(name)
    assert (state_after.cursor, state_after.complete, state_after.generation,
            state_after.last_synced) == (state_before.cursor, state_before.complete,
                                         state_before.generation, state_before.last_synced)
    assert not any(m.missing for m in rows_before)


async def test_a_failed_refresh_does_not_spoil_a_walk_in_progress(
        harness, sim_server, sim_clock, make_service, monkeypatch):
    # Walks ask for the largest page; at the default size 75 meetings take several.
    cls = provider_class(harness.kind)
    monkeypatch.setattr(cls, "capabilities", cls.capabilities.model_copy(
        update={"page_size_max": cls.capabilities.page_size_default}))
    server = harness.start(sim_server, sim_clock, 75)
    service, name = make_service(harness, server)
    first = await service.refresh(name)
    assert first.next_cursor is not None

    server.sim.faults.queue("malformed")
    with pytest.raises(ProviderError):
        await service.refresh(name)
    while await service.load_more(name) is not None:
        pass

    rows = service.window([name], limit=1000)
    assert len(rows) == 75
    assert not any(m.missing for m in rows), "meetings seen before the failure marked missing"


# -- changes whose answer is lost ------------------------------------------------------


@pytest.mark.parametrize("fault", ["drop", "malformed"])
async def test_a_create_whose_answer_is_lost_is_found_not_made_twice(
        harness, sim_server, sim_clock, make_service, make_provider, fault):
    # The simulator makes the meeting, then the answer is cut or the connection dropped:
    # "failed, try again" would make a duplicate. The service finds it upstream instead.
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.sync_all(name)
    server.sim.faults.queue(fault)
    made = await service.create(name, harness.spec(sim_clock.now()))
    listed, _ = await walk(make_provider(harness, server))
    assert len(listed) == 6 and made.id in {m.id for m in listed}
    assert service.cached(name, made.id) is not None
    assert server.sim.faults.pending() == []


async def test_a_lost_create_is_found_though_a_refresh_cached_it_meanwhile(
        harness, sim_server, sim_clock, make_service, make_provider):
    # The app refreshes while a create waits for its answer: the refresh caches the new
    # meeting, and the look for the lost create took it for one known before, so said
    # "not created, safe to try again" of a meeting that exists.
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.sync_all(name)
    provider = service.provider(name)
    sending = provider.create

    async def create_with_a_refresh_meanwhile(spec):
        try:
            return await sending(spec)
        except OutcomeUnknown:
            assert await service.sync_all(name) == 6  # the new meeting is cached now
            raise

    provider.create = create_with_a_refresh_meanwhile
    server.sim.faults.queue("drop")
    made = await service.create(name, harness.spec(sim_clock.now()))
    listed, _ = await walk(make_provider(harness, server))
    assert len(listed) == 6 and made.id in {m.id for m in listed}
    assert not service.cached(name, made.id).missing


async def test_a_create_answered_5xx_is_checked_and_said_safe_to_retry(
        harness, sim_server, sim_clock, make_service, make_provider):
    # A 5xx to a create may come after the server made the meeting: meettui looks before
    # it says anything. Here the gateway refused it first, so nothing was made.
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.refresh(name)  # an OAuth client holds its token: the 503 is the create's
    server.sim.faults.queue("503")
    with pytest.raises(ProviderError) as caught:
        await service.create(name, harness.spec(sim_clock.now()))
    assert not isinstance(caught.value, Unavailable)
    assert "so it was not created" in caught.value.message
    kind = caught.value.provider
    # The account whose call failed, then its provider: once, not twice.
    assert caught.value.message.startswith(f"{name} ({kind}): ")
    assert f"{kind}: " not in caught.value.message
    assert caught.value.hint == "Nothing was made: it is safe to try again."
    listed, _ = await walk(make_provider(harness, server))
    assert len(listed) == 5
    assert service.account_info(name).health == Health.OK  # it answered the check


@pytest.mark.parametrize(("fault", "health"), [("drop", Health.NO_ANSWER),
                                               ("503", Health.ERROR),
                                               ("429", Health.RATE_LIMITED)])
async def test_a_new_process_says_the_health_the_last_failure_left(
        harness, sim_server, sim_clock, make_service, fault, health):
    # `meettui accounts` after a failed `meettui list` said "error" of every failure
    # (the app: "not answering" for a dropped answer), and "deprecated service" of a
    # deprecated provider's, whatever had failed. After a rate limit it said "ok" while
    # the app said "rate limited": that one was not kept at all.
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.refresh(name)  # an OAuth client holds its token: the fault is the list's
    server.sim.faults.update(retry_after_ms=30_000)  # beyond the wait: told at once
    server.sim.faults.queue(fault, FAST_POLICY.max_attempts)
    with pytest.raises(RateLimited if fault == "429" else Unavailable):
        await service.refresh(name)
    said = service.account_info(name)
    assert said.health == health
    later = MeetingService(config=service.config, cache=service.cache, clock=sim_clock,
                           env=harness.env())
    info = later.account_info(name)
    assert (info.health, info.message) == (health, said.message)
    await later.aclose()


@pytest.mark.parametrize("fault", ["drop", "429"])
async def test_a_call_that_goes_through_ends_the_kept_failure_for_a_new_process(
        harness, sim_server, sim_clock, make_service, fault):
    # A create that went through ended "not answering" in the app, but the cache kept
    # the failure: `meettui accounts` went on saying it until the next sync.
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.refresh(name)
    server.sim.faults.update(retry_after_ms=30_000)
    server.sim.faults.queue(fault, FAST_POLICY.max_attempts)
    with pytest.raises(ProviderError):
        await service.refresh(name)
    server.sim.faults.clear_queue()  # a 429 beyond the wait is told at once: one used
    # A later process (a CLI run) whose first call, a create, goes through.
    between = MeetingService(config=service.config, cache=service.cache, clock=sim_clock,
                             env=harness.env())
    assert between.account_info(name).health != Health.OK
    await between.create(name, harness.spec(sim_clock.now()))
    assert between.account_info(name).health == Health.OK
    later = MeetingService(config=service.config, cache=service.cache, clock=sim_clock,
                           env=harness.env())
    info = later.account_info(name)
    assert info.health == Health.OK
    assert info.message == (provider_class(harness.kind).capabilities.deprecation or "")
    await between.aclose()
    await later.aclose()


async def test_a_lost_create_that_cannot_be_checked_is_said_in_plain_sentences(
        harness, sim_server, sim_clock, make_service):
    # The check's own error was quoted whole, hint and all, in parentheses: "… the
    # answer was lost. The list could not be read to check (KIND: GET … → 503: … — The
    # provider answered 503 …; Try again later.)."
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    await service.refresh(name)  # an OAuth client holds its token: the faults are the calls'
    server.sim.faults.queue("drop")
    server.sim.faults.queue("503", FAST_POLICY.max_attempts)
    with pytest.raises(OutcomeUnknown) as caught:
        await service.create(name, harness.spec(sim_clock.now()))
    message = caught.value.message
    kind = caught.value.provider
    before, _, check = message.partition(" The list could not be read to check: ")
    assert before.startswith(f"{name} ({kind}): POST ")
    assert before.endswith("the answer was lost.")
    assert check.endswith(".") and " → 503" in check
    assert f"{kind}: " not in check and f"{kind}): " not in check
    assert " — " not in message and ".)" not in message
    assert caught.value.hint == "Refresh the list before trying again: the meeting may exist."


async def test_a_server_that_answers_503_is_an_error_not_offline(harness, sim_server,
                                                                 sim_clock, make_service):
    server = harness.start(sim_server, sim_clock, 5)
    service, name = make_service(harness, server)
    server.sim.faults.queue("503", FAST_POLICY.max_attempts)
    with pytest.raises(Unavailable) as caught:
        await service.refresh(name)
    assert "<html" not in caught.value.message.lower()  # the gateway's page stays out
    assert "503 Service Unavailable" in caught.value.message
    # It answered: "could not be reached" (said of an OAuth token request's 503) was wrong.
    assert caught.value.hint == ("The provider answered 503 (unavailable); the cached list "
                                 "still works. Try again later.")
    assert service.account_info(name).health == Health.ERROR
    # Which account failed, then its provider (it named the provider alone, as
    # "KIND: GET …": with two accounts of one provider, no telling which one).
    kind = caught.value.provider
    assert caught.value.message.startswith(f"{name} ({kind}): GET ")
    assert service.account_info(name).message.startswith(f"{name} ({kind}): GET ")


# -- edits -------------------------------------------------------------------------------


async def test_an_option_fixed_at_creation_is_refused_on_an_edit_whole(
        harness, sim_server, sim_clock, make_service):
    # A 24sessions edit given `-o guest_name=X` printed the meeting unchanged, exit 0;
    # beside a new start it moved the meeting and dropped the guest without a word. Each
    # option a provider fixes once the meeting exists is refused, and nothing is sent.
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server)
    made = await service.create(name, harness.spec(sim_clock.now()))
    caps = service.capabilities_for(made)
    fixed = [f.name for f in caps.fields if not f.editable and f.name not in BASE_FIELDS]
    if caps.update == UpdateMode.NONE or not fixed:
        pytest.skip(f"{harness.kind} keeps no option fixed once a meeting exists")
    if caps.takes_start() and made.starts_at is not None:
        beside = MeetingSpec(starts_at=made.starts_at + timedelta(days=1))
    else:
        beside = MeetingSpec(ends_at=sim_clock.now() + timedelta(days=5))
    for option in fixed:
        spec = beside.model_copy(update={"options": {option: "x"}})
        with pytest.raises(FixedField) as caught:
            await service.update(name, made.id, spec)
        assert caught.value.field == option and caught.value.exit_code == 2
        label = caps.field(option).label
        assert caught.value.message == (
            f"{label} ({option}) is fixed once the meeting exists; "
            f"{service.display_name(name)} cannot change it.")
    after = await service.fetch(name, made.id)
    assert (after.starts_at, after.ends_at, after.expires_at) == (
        made.starts_at, made.ends_at, made.expires_at)
    # The change beside it is one the provider makes: the refusal was the option's.
    await service.update(name, made.id, beside)


async def test_an_edit_giving_the_meeting_s_own_values_is_refused_unsent(
        harness, sim_server, sim_clock, make_service):
    # `meettui edit ID --end <its end>` printed the meeting unchanged, exit 0, after
    # sending the edit (Whereby: after taking it for a new title, which it was not).
    # Times are the meeting's to the provider's precision: an end given with a fraction
    # of a second more than the provider keeps is the same end.
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server)
    made = await service.create(name, harness.spec(sim_clock.now()))
    caps = service.capabilities_for(made)
    if caps.update == UpdateMode.NONE:
        pytest.skip(f"{harness.kind} cannot edit the meeting its spec makes")
    below = caps.time_precision - timedelta(microseconds=1)

    def own(name: str) -> object:
        field = caps.field(name)
        value = getattr(made, field.shows if field is not None and field.shows else name)
        return value + below if value is not None else None

    edits = [MeetingSpec(title=made.title, starts_at=made.starts_at, ends_at=made.ends_at),
             MeetingSpec(title=made.title, starts_at=own("starts_at"), ends_at=own("ends_at"))]
    server.sim.faults.queue("500")  # the next request, if any were sent, would take it
    for spec in edits:
        with pytest.raises(NothingToChange) as caught:
            await service.update(name, made.id, spec)
        assert caught.value.exit_code == 2
        assert caught.value.message == ("Nothing to change: the meeting already has every "
                                        "value given.")
    assert server.sim.faults.pending() == ["500"]  # nothing reached the provider
    server.sim.faults.clear_queue()
    assert service.cached(name, made.id) == made


# -- answers about another meeting ---------------------------------------------------------


class AnswersAboutAnother(httpx.AsyncBaseTransport):
    """Real HTTP, except that once `swap` is (asked, other), an answer to a request about
    meeting `asked` (its id a segment of the path) comes back about `other`: its id said
    as `other`'s (a proxy or a server that mixes meetings up)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.swap: tuple[str, str] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.swap is None:
            return response
        asked, other = self.swap
        if quote(asked, safe="") not in request.url.raw_path.decode().split("?")[0].split("/"):
            return response
        body = (await response.aread()).replace(asked.encode(), other.encode())
        headers = [(k, v) for k, v in response.headers.raw if k.lower() != b"content-length"]
        return httpx.Response(response.status_code, headers=headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_an_answer_about_another_meeting_is_refused_and_nothing_cached(
        harness, sim_server, sim_clock, make_service):
    # `show t0003 --refresh` answered with meeting h0003 printed and cached h0003
    # without a word. A refresh of one meeting, an edit in place: each answer must be
    # about the meeting asked for.
    transport = AnswersAboutAnother()
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server, transport=transport)
    made = await service.create(name, harness.spec(sim_clock.now()))
    await service.sync_all(name)
    other = next(m for m in service.window([name]) if m.id != made.id)
    before = {m.id: m for m in service.window([name])}
    transport.swap = (made.id, other.id)
    with pytest.raises(ProviderError) as info:
        await service.fetch(name, made.id)
    assert info.value.message == (
        f"{name} ({harness.kind}): A refresh of meeting {made.id!r} was answered with "
        f"another meeting ({other.id!r}); nothing of that answer was cached.")
    assert "base_url" in info.value.hint
    assert {m.id: m for m in service.window([name])} == before
    if service.capabilities_for(made).update != UpdateMode.IN_PLACE:
        return
    if service.capabilities_for(made).takes_start() and made.starts_at is not None:
        later = timedelta(hours=1)  # both times, as the front ends merge them
        spec = MeetingSpec(starts_at=made.starts_at + later,
                           ends_at=made.ends_at + later if made.ends_at else None)
    else:
        spec = MeetingSpec(ends_at=sim_clock.now() + timedelta(days=5))
    with pytest.raises(ProviderError, match="The edit of meeting .* was answered with "
                                            "another meeting"):
        await service.update(name, made.id, spec)
    assert service.cached(name, other.id) == before[other.id]


class RefusesReads(httpx.AsyncBaseTransport):
    """Real HTTP, except that once `on`, every GET is answered 400 (the request itself
    refused: a setting the provider no longer takes)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.on = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.on and request.method == "GET":
            return httpx.Response(400, json={"error": "bad request",
                                             "message": "bad request"})
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_read_answered_400_is_not_a_value_to_correct(harness, sim_server, sim_clock,
                                                             make_service):
    # A 400 on the list said "bad request — Correct the value and submit again.":
    # nothing had been submitted. And `meettui accounts` kept no word of it.
    transport = RefusesReads()
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server, transport=transport)
    await service.refresh(name)  # an OAuth client has its token from here on
    transport.on = True
    with pytest.raises(ProviderError) as info:
        await service.refresh(name)
    assert type(info.value) is ProviderError and info.value.status == 400
    assert info.value.message.startswith(f"{name} ({harness.kind}): GET /")
    assert info.value.message.endswith(" → 400 Bad Request")
    assert info.value.hint.startswith("A read changes nothing.")
    assert "Correct the value" not in info.value.hint
    account = service.account_info(name)
    assert account.health == Health.ERROR
    assert account.message.startswith(info.value.message)  # (a deprecation may follow)
