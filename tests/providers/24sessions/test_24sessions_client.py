"""The 24sessions client against its simulator over real sockets: the token flow and
its expiry mid-walk, Hydra paging with and without `hydra:view`, IRIs and embedded
relations, links, reschedule, cancel as the delete, the cancel and delete actions, and
400 bodies mapped to the form field they name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from harness import CLIENT_ID, CLIENT_SECRET, HARNESS
from provider_harness import FAST_POLICY

from meettui.core.capabilities import DeleteMode, UpdateMode
from meettui.core.config import AccountConfig
from meettui.core.errors import (
    AlreadyDone,
    AuthError,
    ConfigError,
    NotFound,
    NotTaken,
    OutcomeUnknown,
    Unavailable,
    ValidationError,
)
from meettui.core.models import MeetingSpec, Role, Status
from meettui.core.registry import provider_class
from meettui.providers._24sessions.errors import api_platform_error


def start(sim_server, sim_clock, meetings: int = 40, **options: Any):
    return sim_server("24sessions", clock=sim_clock, meetings=meetings, client_id=CLIENT_ID,
                      client_secret=CLIENT_SECRET, instance="conf", **options)


async def walk(provider, limit: int | None = None):
    seen, cursor, pages = [], None, 0
    while True:
        page = await provider.list_page(cursor, limit)
        pages += 1
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages


def sim_ids(server) -> list[str]:
    return [str(m) for m in server.sim.store.meetings]


# -- tokens ---------------------------------------------------------------------------------


async def test_one_token_serves_a_whole_walk(sim_server, sim_clock, make_provider):
    server = start(sim_server, sim_clock)
    provider = make_provider(HARNESS, server)
    meetings, pages = await walk(provider, limit=10)
    assert [m.id for m in meetings] == sim_ids(server) and pages == 4
    assert server.sim.token_requests == 1
    assert server.sim.hits["401 expired"] == 0


async def test_a_token_past_its_hour_on_the_shared_clock_is_renewed_before_use(
        sim_server, sim_clock, make_provider):
    server = start(sim_server, sim_clock)
    provider = make_provider(HARNESS, server)
    first = await provider.list_page(None, 10)
    sim_clock.advance(timedelta(seconds=3600))
    rest, _ = await walk_from(provider, first.next_cursor)
    assert [m.id for m in first.items + rest] == sim_ids(server)
    assert server.sim.token_requests == 2
    assert server.sim.hits["401 expired"] == 0  # renewed ahead, never refused


async def test_a_token_the_server_expired_mid_walk_is_refreshed_once(sim_server, sim_clock,
                                                                     make_provider):
    # Only the server's clock moves: the client still trusts its token, gets a 401,
    # fetches one new token and resends the page.
    server = start(sim_server, sim_clock)
    provider = make_provider(HARNESS, server)
    first = await provider.list_page(None, 10)
    server.sim.clock.advance(3600)
    rest, _ = await walk_from(provider, first.next_cursor)
    assert [m.id for m in first.items + rest] == sim_ids(server)
    assert server.sim.token_requests == 2
    assert server.sim.hits["401 expired"] == 1


async def walk_from(provider, cursor):
    seen, pages = [], 0
    while cursor is not None:
        page = await provider.list_page(cursor, 10)
        seen += page.items
        pages += 1
        cursor = page.next_cursor
    return seen, pages


async def test_wrong_credentials_name_the_oauth_error_and_hide_the_secret(
        sim_server, sim_clock, make_provider, sleeps):
    server = start(sim_server, sim_clock, 2)
    wrong = "cs-wrong-secret-for-this-test"
    provider = make_provider(HARNESS, server,
                             secrets={"client_id": CLIENT_ID, "client_secret": wrong})
    with pytest.raises(AuthError) as info:
        await provider.list_page()
    text = f"{info.value} {info.value.body} {info.value!r}"
    # The token request named by method and path: no query, so no client_secret at all.
    assert "invalid_client" in text and "token request GET /oauth/v2/token →" in text
    assert "client_secret=" not in str(info.value)
    assert wrong not in text and CLIENT_SECRET not in text
    assert sleeps == []


async def test_token_endpoint_throttling_is_waited_out(sim_server, sim_clock, make_provider,
                                                       sleeps):
    server = start(sim_server, sim_clock, 3)
    server.sim.faults.update(retry_after_ms=2000)
    server.sim.faults.queue("429")
    provider = make_provider(HARNESS, server)
    assert len((await provider.list_page()).items) == 3
    assert sleeps == [2.0] and server.sim.faults.injected["429"] == 1
    assert server.sim.token_requests == 1  # the throttled one never reached it


# -- paging and relations ---------------------------------------------------------------


@pytest.mark.parametrize(("view", "top_last", "requests"), [
    (True, True, 3), (True, False, 3), (False, True, 3),
    # No signal at all: the kit walks to the total, and a short page may not be the last
    # (the page size is the server's), so one empty page ends it.
    (False, False, 4),
])
async def test_hydra_pages_with_either_signal_or_none(sim_server, sim_clock, make_provider,
                                                      view, top_last, requests):
    server = start(sim_server, sim_clock, 25, hydra_view=view, top_level_last_page=top_last)
    provider = make_provider(HARNESS, server)
    meetings, pages = await walk(provider, limit=10)
    assert [m.id for m in meetings] == sim_ids(server)
    assert pages == requests == server.sim.hits["GET /meetings"]


@pytest.mark.parametrize("embed", [False, True])
async def test_relations_as_iris_or_objects_give_the_same_meetings(sim_server, sim_clock,
                                                                    make_provider, embed):
    server = start(sim_server, sim_clock, 30, embed=embed)
    provider = make_provider(HARNESS, server)
    meetings, _ = await walk(provider)
    store = server.sim.store.meetings
    for meeting in meetings:
        row = store[int(meeting.id)]
        assert meeting.ends_at - meeting.starts_at == timedelta(minutes=row.type.duration)
        # With the ids the account's `user` and `meeting_type` settings take.
        assert meeting.details["Host"] == f"{row.user.name} (user {row.user.id})"
        assert meeting.details["Meeting type"] == (
            f"{row.type.name} ({row.type.duration:g} min; meeting_type {row.type.id})")
        assert meeting.raw["user"] == f"/users/{row.user.id}"
    # IRIs are resolved once each, not per meeting.
    users = {m.user.id for m in store.values()}
    kinds = {m.type.id for m in store.values()}
    expected = 0 if embed else len(users)
    assert server.sim.hits["GET /users"] == expected
    assert server.sim.hits["GET /meeting_types"] == (0 if embed else len(kinds))


async def test_links_follow_the_instance_and_the_access_key(sim_server, sim_clock,
                                                            make_provider):
    server = start(sim_server, sim_clock, 3)
    provider = make_provider(HARNESS, server)
    meeting = (await provider.list_page()).items[0]
    row = server.sim.store.meetings[int(meeting.id)]
    host, guest = meeting.link(Role.HOST), meeting.link(Role.GUEST)
    assert host is not None and guest is not None
    assert host.url == f"https://conf.24sessions.com/room/meeting/{meeting.id}"
    assert host.sensitive and "logged-in host only" in meeting.details["Host link"]
    assert guest.url == f"https://conf.24sessions.com/join/{row.access_key}"
    assert not guest.sensitive and meeting.shareable_link() == guest
    assert "waiting room" in meeting.details["Guests"]


# -- changes --------------------------------------------------------------------------------


async def test_reschedule_sends_only_the_new_date_and_its_reason(sim_server, sim_clock,
                                                                 make_service):
    server = start(sim_server, sim_clock, 0)
    service, name = make_service(HARNESS, server)
    created = await service.create(name, HARNESS.spec(sim_clock.now()))
    later = created.starts_at + timedelta(days=1, hours=2)
    # As `meettui edit --start` builds it: the shown title and end are passed back too.
    spec = MeetingSpec(title=created.title, starts_at=later, ends_at=created.ends_at,
                       options={"reason": "Customer asked to move"})
    result = await service.update(name, created.id, spec)
    assert result.meeting.starts_at == later and not result.links_changed
    row = server.sim.store.meetings[int(created.id)]
    assert result.meeting.ends_at == later + timedelta(minutes=row.type.duration)
    assert row.date == later and row.rescheduling_reason == "Customer asked to move"
    assert row.description == "Conformance check"
    assert result.meeting.details["Rescheduled"] == "Customer asked to move"
    assert {lk.url for lk in result.meeting.links} == {lk.url for lk in created.links}


async def test_delete_cancels_and_the_meeting_stays_listed_as_cancelled(
        sim_server, sim_clock, make_service):
    server = start(sim_server, sim_clock, 4)
    service, name = make_service(HARNESS, server)
    target = await service.create(name, HARNESS.spec(sim_clock.now()))
    await service.sync_all(name)
    assert await service.delete(name, target.id) == DeleteMode.CANCEL
    row = server.sim.store.meetings[int(target.id)]
    assert (row.status, row.cancellation_reason) == ("canceled_user", "Cancelled by the advisor")
    cached = service.cached(name, target.id)
    assert cached is not None and cached.status == Status.CANCELLED
    await service.sync_all(name)
    assert service.count([name]) == 5
    again = service.cached(name, target.id)
    assert again is not None and again.status == Status.CANCELLED and not again.missing
    caps = service.capabilities_for(again)
    assert caps.update == UpdateMode.NONE and [a.name for a in caps.actions] == ["delete"]
    # Deleting (cancelling) again is refused, and leaves who cancelled and why as they
    # were: it sent nothing and answered "cancel" as if it had cancelled.
    row.cancellation_reason = "Customer found another solution"
    with pytest.raises(AlreadyDone) as info:
        await service.delete(name, target.id)
    assert info.value.message == f"'Conformance check' ({target.id}) is cancelled already."
    assert info.value.exit_code == 2  # as "Nothing to change"
    assert row.cancellation_reason == "Customer found another solution"


async def test_a_meeting_cancelled_elsewhere_is_said_so_and_the_cache_learns_it(
        sim_server, sim_clock, make_service):
    # Cancelled on 24sessions' site since the list was read: the delete read it,
    # found it cancelled, sent nothing and said "Cancelled"; the cancel action cancelled
    # it a second time, overwriting who cancelled and why.
    server = start(sim_server, sim_clock, 0)
    service, name = make_service(HARNESS, server)
    spec = HARNESS.spec(sim_clock.now())
    for verb in ("delete", "cancel"):
        made = await service.create(name, spec)
        row = server.sim.store.meetings[int(made.id)]
        row.status, row.cancellation_reason = "canceled_guest", "Moved abroad"
        assert service.cached(name, made.id).status == Status.SCHEDULED
        with pytest.raises(AlreadyDone) as info:
            if verb == "delete":
                await service.delete(name, made.id)
            else:
                await service.run_action(name, made.id, "cancel", {"reason": "Ill"})
        assert "cancelled already" in info.value.message, verb
        assert (row.status, row.cancellation_reason) == ("canceled_guest", "Moved abroad")
        assert service.cached(name, made.id).status == Status.CANCELLED


async def test_the_agent_is_told_a_cancelled_meeting_is_cancelled(sim_server, sim_clock,
                                                                  make_service):
    # The MCP tool asked for `confirm: true` to cancel it again, which sent nothing and
    # answered "cancel". Then it named an action no tool of the agent's runs.
    from meettui.agent.inputs import DeleteMeetingInput
    from meettui.agent.tools import AgentTools, paragraph

    server = start(sim_server, sim_clock, 0)
    service, name = make_service(HARNESS, server)
    tools = AgentTools(service)
    made = await service.create(name, HARNESS.spec(sim_clock.now()))
    await service.delete(name, made.id)
    for confirm in (False, True):
        with pytest.raises(AlreadyDone) as info:
            await tools.delete_meeting(DeleteMeetingInput(id=made.id, account=name,
                                                          confirm=confirm))
        assert paragraph(info.value) == (
            f"'Conformance check' ({made.id}) is cancelled already. It stays listed as "
            "cancelled; nothing was changed. To remove it for good, ask the user to run "
            f"`meettui action {made.id} delete` (these tools do not delete for good).")


async def test_the_agent_is_told_an_end_is_not_taken(sim_server, sim_clock, make_service):
    # The MCP tool's create dropped the end without a word (the meeting type sets it).
    from meettui.agent.inputs import CreateMeetingInput
    from meettui.agent.tools import AgentTools, paragraph

    server = start(sim_server, sim_clock, 0)
    service, name = make_service(HARNESS, server)
    with pytest.raises(NotTaken) as taken:
        await AgentTools(service).create_meeting(CreateMeetingInput(
            account=name, start="+1d", end="+2h",
            options={"guest_name": "Ann", "guest_email": "ann@example.com"}))
    # The option the message points at is named, as the user gives it.
    assert paragraph(taken.value) == ("24sessions takes no end time. The meeting type "
                                      "(-o meeting_type=…) sets how long a meeting lasts. "
                                      "Leave out end; nothing was sent.")
    assert server.sim.store.meetings == {}


async def test_the_cancel_action_takes_a_reason_and_who_cancelled(sim_server, sim_clock,
                                                                  make_service):
    server = start(sim_server, sim_clock, 0)
    service, name = make_service(HARNESS, server)
    created = await service.create(name, HARNESS.spec(sim_clock.now()))
    with pytest.raises(ValidationError) as info:
        await service.run_action(name, created.id, "cancel", {"reason": " "})
    assert info.value.field == "reason"
    with pytest.raises(ValidationError) as info:
        await service.run_action(name, created.id, "cancel", {"reason": "x", "by": "bot"})
    assert info.value.field == "by"
    assert server.sim.store.meetings[int(created.id)].status == "scheduled"
    after = await service.run_action(name, created.id, "cancel",
                                     {"reason": "Customer is travelling", "by": "guest"})
    assert after.status == Status.CANCELLED
    assert after.details["24sessions status"] == "cancelled by the guest"
    assert after.details["Cancellation reason"] == "Customer is travelling"
    assert server.sim.store.meetings[int(created.id)].status == "canceled_guest"


async def test_the_delete_action_deletes_for_good(sim_server, sim_clock, make_service):
    server = start(sim_server, sim_clock, 2)
    service, name = make_service(HARNESS, server)
    created = await service.create(name, HARNESS.spec(sim_clock.now()))
    spec = service.capabilities_for(created).action("delete")
    assert spec is not None and spec.dangerous and spec.removes
    last = await service.run_action(name, created.id, "delete")
    assert last.id == created.id
    assert int(created.id) not in server.sim.store.meetings
    assert service.cached(name, created.id) is None
    with pytest.raises(NotFound):
        await service.fetch(name, created.id)


# -- errors at their fields ---------------------------------------------------------------


@pytest.mark.parametrize(("options", "title", "field", "text"), [
    ({"user": "999"}, "", "user", 'Item not found for "/users/999".'),
    ({"meeting_type": "/meeting_types/77"}, "", "meeting_type", "/meeting_types/77"),
    ({}, "x" * 2001, "title", "description: This value is too long."),
    ({"guest_email": "ann@example"}, "", "guest_email", "email"),  # refused before sending
    ({"user": "people/3"}, "", "user", "/users/12"),
])
async def test_refusals_land_at_the_field_they_name(sim_server, sim_clock, make_provider,
                                                    options, title, field, text):
    server = start(sim_server, sim_clock, 0)
    provider = make_provider(HARNESS, server)
    spec = HARNESS.spec(sim_clock.now())
    spec = spec.model_copy(update={"title": title or spec.title,
                                   "options": {**spec.options, **options}})
    with pytest.raises(ValidationError) as info:
        await provider.create(spec)
    assert info.value.field == field
    assert text in info.value.message
    assert server.sim.store.meetings == {}


async def test_the_error_parser_reads_the_simulators_real_bodies(sim_server, sim_clock):
    server = start(sim_server, sim_clock, 0)
    token = httpx.get(server.base_url + "/oauth/v2/token", timeout=10, params={
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "grant_type": "client_credentials"}).json()["access_token"]
    with httpx.Client(base_url=server.base_url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        base = {"date": "2026-03-05T10:00:00Z", "user": "/users/11", "type": "/meeting_types/1",
                "guest": {"name": "A", "email": "a@example.com"}}
        cases = {
            "starts_at": {**base, "date": "next tuesday"},
            "guest_email": {**base, "guest": {"name": "A"}},
            "meeting_type": {**base, "type": "/meeting_types/99"},
        }
        for field, body in cases.items():
            assert api_platform_error(api.post("/meetings", json=body)).field == field
        info = api_platform_error(api.post("/meetings", json={"user": "/users/11"}))
        assert info.message == ("date: This value should not be blank.; "
                                "type: This value should not be blank.")
        assert info.field == "starts_at"
        gone = api_platform_error(api.get("/meetings/5"))
        assert (gone.message, gone.field) == ("Not Found", None)
    denied = api_platform_error(httpx.get(server.base_url + "/meetings", timeout=10))
    assert (denied.message, denied.code) == ("OAuth2 authentication required", "access_denied")


# -- configuration ---------------------------------------------------------------------------


def test_the_api_root_comes_from_the_instance_unless_base_url_says():
    cls = provider_class("24sessions")
    plain = cls(AccountConfig(name="a", provider="24sessions",
                              settings={"instance": "Acme"}))
    assert plain.base_url == "https://acme.api.24sessions.com"
    pointed = cls(AccountConfig(name="b", provider="24sessions", base_url="http://x/v1/",
                                settings={"instance": "acme", "user": 12}))
    assert pointed.base_url == "http://x/v1" and pointed.settings.user == "12"
    with pytest.raises(ConfigError, match="settings.instance"):
        cls(AccountConfig(name="c", provider="24sessions",
                          settings={"instance": "acme.24sessions.com"}))
    with pytest.raises(ConfigError, match="settings.instance"):
        cls(AccountConfig(name="d", provider="24sessions", settings={}))


async def test_the_v1_prefix_works_for_token_and_api(sim_server, sim_clock, make_provider):
    server = start(sim_server, sim_clock, 5)
    cls = provider_class("24sessions")
    account = HARNESS.account(server).model_copy(update={"base_url": server.base_url + "/v1"})
    provider = cls(account, secrets=HARNESS.secrets, clock=sim_clock)
    provider.policy = FAST_POLICY
    try:
        assert len((await provider.list_page()).items) == 5
    finally:
        await provider.aclose()
    assert server.sim.token_requests == 1


@pytest.mark.parametrize("email", ["notanemail", "ann@", "ann@example", "@example.com",
                                   "ann lee@example.com"])
async def test_an_email_given_but_malformed_is_called_invalid_not_missing(
        sim_server, sim_clock, make_provider, email):
    server = start(sim_server, sim_clock, 0)
    provider = make_provider(HARNESS, server)
    spec = HARNESS.spec(sim_clock.now())
    spec = spec.model_copy(update={"options": {**spec.options, "guest_email": email}})
    with pytest.raises(ValidationError) as info:
        await provider.create(spec)
    assert info.value.field == "guest_email"
    assert info.value.message == (f"24sessions: The guest's email {email!r} is not a valid address "
                                  "(name@example.com).")
    assert server.sim.store.meetings == {}


@pytest.mark.parametrize("email", [None, "", "   "])
async def test_an_email_left_out_is_called_required(sim_server, sim_clock, make_provider,
                                                    email):
    server = start(sim_server, sim_clock, 0)
    provider = make_provider(HARNESS, server)
    spec = HARNESS.spec(sim_clock.now())
    options = {k: v for k, v in spec.options.items() if k != "guest_email"}
    if email is not None:
        options["guest_email"] = email
    with pytest.raises(ValidationError) as info:
        await provider.create(spec.model_copy(update={"options": options}))
    assert info.value.field == "guest_email"
    assert info.value.message == "24sessions: The guest's email is required (name@example.com)."


@pytest.mark.parametrize("other", ["²", "١٢", "../1", "1?x=1"])
async def test_a_meeting_id_that_is_no_ascii_number_is_refused_before_sending(
        sim_server, sim_clock, make_provider, other):
    # str.isdigit() took "²" and other scripts' digits, which went out in the path.
    server = start(sim_server, sim_clock, 2)
    provider = make_provider(HARNESS, server)
    for call in (provider.get(other), provider.delete(other),
                 provider.update(other, MeetingSpec(title="x"))):
        with pytest.raises(NotFound, match="24sessions ids are numbers"):
            await call
    assert sum(server.sim.hits.values()) == 0 and server.sim.token_requests == 0


# -- a token request whose answer is lost ---------------------------------------------------


def _spec(sim_clock) -> MeetingSpec:
    return HARNESS.spec(sim_clock.now())


async def test_a_lost_token_answer_is_retried_and_the_create_made_once(
        sim_server, sim_clock, make_service, sleeps):
    # The token request's answer was dropped; the create said "POST /meetings failed …
    # after it was sent; the answer was lost", though no POST had been sent.
    server = start(sim_server, sim_clock, 2)
    service, name = make_service(HARNESS, server)
    server.sim.faults.queue("drop")
    made = await service.create(name, _spec(sim_clock))
    assert server.sim.faults.injected["drop"] == 1
    assert server.sim.token_requests == 2  # the lost one, then its retry
    assert server.sim.hits["POST /meetings"] == 1
    assert len(sleeps) == 1
    assert made.id in sim_ids(server) and len(sim_ids(server)) == 3


async def test_a_token_answer_lost_every_time_names_the_token_request(
        sim_server, sim_clock, make_service):
    server = start(sim_server, sim_clock, 2)
    service, name = make_service(HARNESS, server)
    server.sim.faults.queue("drop", FAST_POLICY.max_attempts)
    with pytest.raises(Unavailable) as caught:
        await service.create(name, _spec(sim_clock))
    assert not isinstance(caught.value, OutcomeUnknown)
    assert caught.value.message == (
        # "nothing was made or changed" once, in the hint (the message said it too).
        f"{name} (24sessions): POST /meetings was not sent: its token "
        "request GET /oauth/v2/token failed: connection problem (RemoteProtocolError)")
    assert caught.value.hint == ("Nothing was sent, so nothing was made or changed: it is "
                                 "safe to try again.")
    assert server.sim.token_requests == FAST_POLICY.max_attempts
    assert server.sim.hits["POST /meetings"] == 0 and len(sim_ids(server)) == 2


def test_a_host_link_quoted_in_error_text_or_the_log_is_masked():
    # A host link is the meeting's path behind the host's login, no token: no token
    # shape masked it where a provider's message quoted it (shown, logged, kept as the
    # account's health). The guest link, which guests are given, stays readable.
    from meettui.core.errors import MeettuiError
    from meettui.core.redact import redact
    from meettui.providers._24sessions.mapping import guest_url, host_url

    host, guest = host_url("demo", "5634266"), guest_url("demo", "k3yZ9")
    said = MeettuiError(f"advice (24sessions): {host} is not yours; try {guest}.")
    assert said.message == ("advice (24sessions): https://demo.24sessions.com/room/meeting/"
                            f"*** is not yours; try {guest}.")
    assert redact(f"GET {host}/x") == "GET https://demo.24sessions.com/room/meeting/***/x"
