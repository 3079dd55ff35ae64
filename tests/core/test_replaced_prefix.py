"""A replaced meeting's id as people type it: a short id of it, or the list's `…` form,
points to the meeting that replaced it, as the whole id does ("No cached meeting with
id '935600ab'" said nothing of the edit), and the date it says carries its zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from factories import make_meeting
from meettui.core.errors import ReplacedId, UnknownId
from meettui.core.ids import resolve

OLD = "935600ab-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
NEW = "77aa01cd-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
AT = datetime(2026, 12, 1, 4, 48, tzinfo=UTC)


@pytest.fixture
def replaced(cache, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    cache.upsert(make_meeting(1, "wb").model_copy(update={"id": NEW}))
    cache.note_replacement("wb", OLD, NEW, AT)
    yield cache
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("typed", [OLD, OLD[:8], OLD[:4], OLD[:12] + "…", OLD[:8] + "..."])
@pytest.mark.parametrize("account", [None, "wb"])
def test_a_short_id_of_a_replaced_meeting_points_to_its_replacement(replaced, typed,
                                                                   account):
    with pytest.raises(ReplacedId) as caught:
        resolve(replaced, typed, account, ["wb"] if account is None else None)
    assert caught.value.new_id == NEW and caught.value.account == "wb"
    assert caught.value.message.startswith(f"Meeting {OLD!r} was replaced by {NEW} on "
                                           "2026-12-01 05:48 CET (in wb)")


def test_a_live_meeting_wins_over_a_replaced_one(replaced):
    replaced.upsert(make_meeting(2, "wb").model_copy(update={"id": OLD[:6] + "zz"}))
    assert resolve(replaced, OLD[:6]).id == OLD[:6] + "zz"


def test_a_prefix_too_short_or_of_another_account_finds_nothing(replaced):
    with pytest.raises(UnknownId) as caught:
        resolve(replaced, OLD[:3])
    assert not isinstance(caught.value, ReplacedId)
    with pytest.raises(UnknownId) as caught:
        resolve(replaced, OLD[:8], "other")
    assert not isinstance(caught.value, ReplacedId)


def test_a_prefix_of_several_replaced_ids_is_not_guessed(replaced):
    other = OLD[:8] + "-ffff"
    replaced.note_replacement("wb", other, NEW, AT)
    with pytest.raises(UnknownId) as caught:
        resolve(replaced, OLD[:8])
    assert not isinstance(caught.value, ReplacedId)
    assert OLD in caught.value.message and other in caught.value.message
    assert caught.value.hint.startswith("Type more of the id")


@pytest.mark.parametrize("typed", [OLD, OLD[:8]])
def test_a_replacement_deleted_since_is_not_offered(replaced, typed):
    # "Use B (`meettui show B`)", and `show B` said "No cached meeting with id 'B'"; an
    # agent told to call the tool again with B did, in vain.
    assert replaced.delete("wb", NEW)
    with pytest.raises(UnknownId) as caught:
        resolve(replaced, typed, None, ["wb"])
    assert not isinstance(caught.value, ReplacedId)
    assert caught.value.message == (
        f"Meeting {OLD!r} was replaced by {NEW} on 2026-12-01 05:48 CET (in wb), and "
        f"{NEW} has since been deleted: nothing stands for it now.")
    assert "meettui list" in caught.value.hint and NEW not in caught.value.hint
