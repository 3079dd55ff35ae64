"""The cache's replacements (an edit's old id -> the meeting made in its place): pruned
once they are done with (`cache_replacements.py` says the rule and why), dropped with
their account, and carried over when a damaged cache is set aside, as the rest of what
existed only on this machine is. They were never pruned, and a fresh cache lost them:
the old id then said "No cached meeting" instead of naming the meeting that replaced
it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factories import make_meeting
from meettui.core.cache import Cache
from meettui.core.errors import CacheError, ReplacedId, UnknownId
from meettui.core.ids import resolve

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=365)  # beyond `cache_replacements.KEEP_GONE`


def _walked(cache: Cache, account: str, meetings, *, complete: bool = True) -> None:
    """A walk of `account` that saw `meetings` (to its end with `complete`)."""
    generation = cache.begin_sync(account)
    cache.record_page(account, list(meetings), generation=generation,
                      next_cursor=None if complete else "more", synced_at=NOW)


def _kept(cache: Cache) -> set[str]:
    with cache._lock:
        return {row[0] for row in cache._conn.execute("SELECT old_id FROM replacements")}


def _ids(*ids: str):
    return [make_meeting(i, "wb").model_copy(update={"id": new}) for i, new in
            enumerate(ids)]


def test_an_old_replacement_whose_meeting_is_gone_is_pruned(cache):
    _walked(cache, "wb", _ids("live", "chained-end"))
    cache.note_replacement("wb", "old-live", "live", LONG_AGO)  # its meeting is cached
    cache.note_replacement("wb", "old-gone", "deleted", LONG_AGO)  # its meeting is gone
    cache.note_replacement("wb", "a", "b", LONG_AGO)  # a -> b -> chained-end: cached
    cache.note_replacement("wb", "b", "chained-end", LONG_AGO)
    cache.note_replacement("wb", "recent", "deleted-too", NOW - timedelta(days=2))
    cache.note_replacement("wb", "newest", "live", NOW)
    assert _kept(cache) == {"old-live", "a", "b", "recent", "newest"}
    with pytest.raises(ReplacedId):
        resolve(cache, "old-live")
    with pytest.raises(UnknownId) as caught:
        resolve(cache, "old-gone")
    assert not isinstance(caught.value, ReplacedId)


def test_a_meeting_marked_missing_counts_as_gone(cache):
    _walked(cache, "wb", _ids("live"))
    cache.note_replacement("wb", "old", "live", LONG_AGO)
    _walked(cache, "wb", [])  # the next full walk did not see it: marked missing
    cache.note_replacement("wb", "another", "live", NOW)
    assert _kept(cache) == {"another"}


def test_nothing_is_pruned_in_an_account_not_walked_to_its_end(cache):
    # "Not in the cache" may mean "not read yet" (a fresh cache, a first sync under way).
    cache.note_replacement("fresh", "old", "not-read-yet", LONG_AGO)
    _walked(cache, "wb", _ids("x"), complete=False)
    cache.note_replacement("wb", "old", "not-read-yet", LONG_AGO)
    cache.note_replacement("wb", "another", "x", NOW)
    cache.note_replacement("fresh", "another", "x", NOW)
    assert _kept(cache) == {"old", "another"}
    with cache._lock:
        assert cache._conn.execute("SELECT COUNT(*) FROM replacements").fetchone()[0] == 4


def test_a_forgotten_account_takes_its_replacements_along(cache):
    cache.note_replacement("wb", "old", "new", NOW)
    cache.note_replacement("other", "old2", "new2", NOW)
    cache.forget_accounts(["wb"])
    assert _kept(cache) == {"old2"}


def test_replacements_are_carried_over_from_a_damaged_cache(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    try:
        _walked(cache, "wb", _ids("new"))
        cache.note_replacement("wb", "old", "new", LONG_AGO)
        cache.note_replacement("wb", "older", "old", LONG_AGO - timedelta(days=1))
        try:
            cache.window(["wb"])
            raise CacheError("The cache x failed: database disk image is malformed.",
                             damaged=cache.opening)
        except CacheError as exc:
            notice = cache.start_afresh(exc)
        assert notice is not None
        assert ("Carried over from it: 2 replaced meeting ids (each leading to the meeting "
                "an edit made in its place).") in notice
        assert cache.count() == 0  # the meetings come again from the account
        for typed in ("old", "older"):
            with pytest.raises(ReplacedId) as caught:
                resolve(cache, typed)
            assert caught.value.new_id == "new"
        # Not pruned before the account's meetings are read again.
        cache.note_replacement("wb", "third", "elsewhere", NOW)
        assert _kept(cache) == {"old", "older", "third"}
    finally:
        cache.close()


def test_a_damaged_cache_from_before_replacements_carries_the_rest(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    try:
        with cache._lock:
            cache._conn.execute("DROP TABLE replacements")  # as a cache before v9
        cache.upsert(make_meeting(1, "jitsi").model_copy(update={"provider": "jitsi"}))
        try:
            raise CacheError("The cache x failed: database disk image is malformed.",
                             damaged=cache.opening)
        except CacheError as exc:
            notice = cache.start_afresh(exc)
        assert notice is not None
        assert "Carried over from it: 1 meeting kept only on this machine" in notice
        assert "replaced" not in notice
        assert "Everything else is fetched again" in notice  # the file read whole
    finally:
        cache.close()
