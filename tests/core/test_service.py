"""MeetingService rules, against the Whereby simulator served in-process (ASGI)."""

from datetime import timedelta

import pytest

from factories import T0, whereby_sim_service
from meettui.core.errors import NotFound, NotSupported, ProviderError
from meettui.core.models import MeetingSpec
from meettui.core.service import Health

NOW = T0


@pytest.fixture
def world(tmp_path):
    service, sim, _transport = whereby_sim_service(tmp_path, seed=3, meetings=20)
    cache = service.cache
    from meettui.core.http import RetryPolicy

    provider = service.provider("wb")
    provider.policy = RetryPolicy(max_attempts=1)
    yield service, sim
    cache.close()


async def test_read_only_refuses_writes_and_keeps_reads(world):
    service, sim = world
    await service.sync_all("wb")
    service.set_read_only("wb", True)
    spec = MeetingSpec(title="x", ends_at=NOW + timedelta(hours=1))
    with pytest.raises(NotSupported, match="read-only"):
        await service.create("wb", spec)
    first = service.window(["wb"], limit=1)[0]
    with pytest.raises(NotSupported, match="read-only"):
        await service.delete("wb", first.id)
    assert service.count(["wb"]) == 20
    assert len(sim.rooms) == 20


async def test_malformed_answer_marks_the_account_and_keeps_the_cache(world):
    service, sim = world
    await service.sync_all("wb")
    before = service.window(["wb"], limit=100)
    sim.faults.queue("malformed")
    with pytest.raises(ProviderError, match="malformed"):
        await service.refresh("wb")
    assert service.account_info("wb").health == Health.ERROR
    assert service.window(["wb"], limit=100) == before
    await service.refresh("wb")
    assert service.account_info("wb").health == Health.OK


async def test_recreate_keeps_both_when_the_old_cannot_be_deleted(world):
    service, sim = world
    created = await service.create("wb", MeetingSpec(title="Intake",
                                                     ends_at=NOW + timedelta(hours=1)))
    original_delete = service.provider("wb").delete

    async def failing_delete(meeting_id):
        # The replacement's create went through; the server fails the old one's delete.
        sim.faults.queue("500", count=5)
        try:
            return await original_delete(meeting_id)
        finally:
            sim.faults.clear_queue()

    service.provider("wb").delete = failing_delete
    result = await service.update("wb", created.id, MeetingSpec(
        title="Intake", ends_at=NOW + timedelta(hours=2)))
    assert result.links_changed
    assert "could not be deleted" in result.warning
    # The failure names the account, then its provider, as every failure does.
    assert f"could not be deleted: wb (whereby): DELETE /meetings/{created.id} " \
        in result.warning
    assert ".." not in result.warning
    # Not "deleted": the notice says what was made, the warning what is left to do.
    assert result.notice == (f"Whereby Embedded cannot edit in place: made "
                             f"{result.meeting.id} to replace {created.id}; every link "
                             "changed — send the new ones.")
    assert service.cached("wb", created.id) is not None
    assert service.cached("wb", result.meeting.id) is not None
    assert created.id in sim.rooms and result.meeting.id in sim.rooms


async def test_recreate_whose_old_delete_was_done_by_a_lost_try_is_an_edit(world):
    # The old meeting's DELETE went through, its answer was lost, and the retry found it
    # gone (a stricter server's 404): the edit deleted it. It was said "replaced or
    # deleted elsewhere" and the replacement deleted again.
    service, sim = world
    created = await service.create("wb", MeetingSpec(title="Intake",
                                                     ends_at=NOW + timedelta(hours=1)))
    original_delete = service.provider("wb").delete

    async def delete_whose_answer_was_lost(meeting_id):
        await original_delete(meeting_id)
        gone = NotFound(f"DELETE /meetings/{meeting_id} → 404", provider="whereby")
        gone.after_lost = True
        raise gone

    service.provider("wb").delete = delete_whose_answer_was_lost
    result = await service.update("wb", created.id, MeetingSpec(
        title="Intake", ends_at=NOW + timedelta(hours=2)))
    assert result.links_changed and not result.warning
    assert result.notice.startswith(f"Whereby Embedded cannot edit in place: made "
                                    f"{result.meeting.id} and deleted {created.id}")
    assert service.cached("wb", created.id) is None
    assert service.cached("wb", result.meeting.id) is not None
    assert created.id not in sim.rooms and result.meeting.id in sim.rooms


async def test_find_by_id_across_accounts_is_unambiguous_or_asks(world):
    service, _ = world
    await service.sync_all("wb")
    some = service.window(["wb"], limit=1)[0]
    assert service.find(some.id).id == some.id
    with pytest.raises(Exception, match="No cached meeting"):
        service.find("nope")


async def test_a_rate_limited_account_says_so_until_a_call_goes_through(world):
    # Refused with 429 on every request, the account was shown "ok · synced just now".
    service, sim = world
    await service.sync_all("wb")
    sim.faults.queue("429")
    with pytest.raises(ProviderError):
        await service.refresh("wb")
    info = service.account_info("wb")
    assert info.health == Health.RATE_LIMITED and "429" in info.message
    await service.refresh("wb")
    assert service.account_info("wb").health == Health.OK


async def test_a_write_that_goes_through_ends_offline(world):
    # After the server came back, a create succeeded but the account stayed "offline"
    # until the next refresh.
    service, sim = world
    await service.sync_all("wb")
    sim.faults.queue("drop")
    with pytest.raises(ProviderError):
        await service.refresh("wb")
    assert service.account_info("wb").health == Health.NO_ANSWER  # sent, answer dropped
    await service.create("wb", MeetingSpec(title="Back", ends_at=NOW + timedelta(hours=1)))
    assert service.account_info("wb").health == Health.OK


async def test_a_rate_limited_account_says_the_wait_until_it_has_passed(world, tmp_path):
    # `meettui list` said "… → 429: Rate limit active … Try again in 12 min.";
    # `meettui accounts` and the app's accounts screen said the 429 alone.
    from factories import WHEREBY_KEY
    from meettui.core.service import MeetingService

    service, sim = world
    await service.sync_all("wb")
    sim.faults.update(retry_after_ms=720_000)
    sim.faults.queue("429")
    with pytest.raises(ProviderError) as info:
        await service.refresh("wb")
    assert info.value.hint == "Try again in 12 min."
    said = service.account_info("wb")
    assert said.health == Health.RATE_LIMITED
    assert said.message.endswith("→ 429: Rate limit active for throttle key: "
                                 "organization:1. Try again in 12 min."), said.message
    # A later process (`meettui accounts`) reads it from the cache, the wait counted on.
    service.clock.advance(timedelta(minutes=5))
    later = MeetingService(service.config, service.cache, clock=service.clock,
                           env={"WB_TEST_KEY": WHEREBY_KEY})
    kept = later.account_info("wb")
    assert kept.health == Health.RATE_LIMITED
    assert kept.message.endswith(". Try again in 7 min."), kept.message
    # Once the wait has passed, no wait is said.
    service.clock.advance(timedelta(minutes=8))
    for each in (service, later):
        assert "Try again" not in each.account_info("wb").message

