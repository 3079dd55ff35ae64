"""A damaged cache set aside: what existed only on this machine (the meetings kept only
in the cache, the facts meettui kept about the others) is carried over into the fresh
cache as far as the damaged file still reads, and the notice says what came over and
what stays in the moved file."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from factories import (
    T0,
    WHEREBY_CONFIG,
    WHEREBY_KEY,
    file_page_size,
    make_meeting,
    whereby_sim_service,
)
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.errors import CacheError
from meettui.core.models import KeptFacts, Link, Meeting, MeetingSpec, Role
from meettui.core.service import MeetingService

EVERY_FACT = ("titles meettui keeps for providers that have none", "creation options",
              "host links meettui learned", "which meeting an edit replaced with which",
              "the meetings of Jitsi and Imported links")


def _fill(path, rows: int = 3000) -> None:
    """A cache of `rows` meetings of "acc", every hundredth with a kept title and
    options, then Jitsi rooms and an imported link (written last: at the file's end)."""
    cache = Cache(path)
    meetings = []
    for i in range(rows):
        meeting = make_meeting(i)
        if i % 100 == 0:
            meeting = meeting.model_copy(update={
                "title": f"Kept {i}",
                "kept": KeptFacts(title=f"Kept {i}", options={"room_mode": "group"})})
        meetings.append(meeting)
    cache.upsert_page("acc", meetings)
    cache.upsert_page("jitsi", [Meeting(provider="jitsi", account="jitsi", id=f"room{i}",
                                        title=f"Room {i}") for i in range(5)])
    cache.upsert_page("imported", [Meeting(
        provider="imported", account="imported", id="zoom-1", title="Standup",
        links=[Link(role=Role.GUEST, url="https://zoom.example/j/1")])])
    with cache._lock:
        cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()


def _moved(tmp_path):
    return [p for p in tmp_path.iterdir()
            if ".broken-" in p.name and not p.name.endswith(("-wal", "-shm"))]


def _kept_titles(cache: Cache) -> list[str]:
    return sorted(m.kept.title or "" for m in cache.window(["acc"], limit=5000))


def test_a_damaged_cache_found_while_open_carries_over_what_only_it_held(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _fill(path)
    cache = Cache(path)
    try:
        assert cache.notice is None
        # The meeting counts (read by a count, never at open): every row still reads.
        _damage_the_counts(cache)
        before = path.read_bytes()
        try:
            cache.count()
        except CacheError as exc:
            notice = cache.start_afresh(exc)
        else:
            raise AssertionError("the damage was not found")
        moved = _moved(tmp_path)
        assert len(moved) == 1 and moved[0].read_bytes() == before  # never written
        assert notice is not None and notice == cache.notice
        assert ("Carried over from it: 6 meetings kept only on this machine (Jitsi 5, "
                "Imported links 1) and what meettui kept about 30 other meetings "
                "(titles of 30, creation options of 30). Everything else is fetched "
                "again from each account.") in notice
        assert _kept_titles(cache) == sorted(f"Kept {i}" for i in range(0, 3000, 100))
        assert [m.title for m in cache.window(["jitsi"])] == [f"Room {i}" for i in range(5)]
        assert [m.id for m in cache.window(["imported"])] == ["zoom-1"]
    finally:
        cache.close()


def test_a_truncated_cache_gives_what_still_reads_and_says_the_rest_stays(tmp_path, caplog):
    path = tmp_path / "cache.sqlite3"
    _fill(path)
    os.truncate(path, path.stat().st_size * 6 // 10)
    with caplog.at_level(logging.WARNING, logger="meettui.cache"):
        cache = Cache(path)
    # The log says once what came over: it said "Nothing could be carried over" first,
    # then, 10 ms later, what was.
    said = [r.getMessage() for r in caplog.records if r.name == "meettui.cache"]
    assert not any("Nothing could be carried over" in line for line in said), said
    assert sum("Carried over from it" in line for line in said) == 1, said
    try:
        notice = cache.notice
        assert notice is not None and "moved it to" in notice
        carried = _kept_titles(cache)
        assert 0 < len(carried) < 30  # the rows in the pages left, and no others
        assert (f"what meettui kept about {len(carried)} meetings (titles of "
                f"{len(carried)}, creation options of {len(carried)})") in notice
        assert "Part of it could not be read: anything else that existed only on this " \
               "machine (" + ", ".join(EVERY_FACT) + ") stays in the moved file" in notice
        assert cache.count(["acc"]) == len(carried)  # only what meettui kept
        # Written before the service said which details are searched: their search
        # text is queued to be made again once it has.
        with cache._lock:
            queued = cache._conn.execute("SELECT next, last FROM search_retext").fetchall()
        assert queued == [(1, len(carried))]
    finally:
        cache.close()


def test_a_file_that_gives_nothing_says_every_kind_of_fact_stays_in_it(tmp_path):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(bytes(range(256)) * 20)
    cache = Cache(path)
    try:
        assert cache.notice is not None
        assert ("Nothing could be carried over: what existed only on this machine ("
                + ", ".join(EVERY_FACT) + ") stays in the moved file.") in cache.notice
        assert cache.count() == 0
    finally:
        cache.close()


def test_an_intact_file_without_local_facts_says_nothing_was_lost(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.upsert_page("acc", [make_meeting(i) for i in range(3)])
    try:
        try:
            cache.window(["acc"])
            raise CacheError("The cache x failed: database disk image is malformed.",
                             damaged=cache.opening)
        except CacheError as exc:
            notice = cache.start_afresh(exc)
        assert notice is not None
        assert "Nothing in it existed only on this machine." in notice
        assert cache.count() == 0
    finally:
        cache.close()


async def test_a_kept_title_survives_a_reset_cache_and_the_sync_after(tmp_path):
    service, _sim, transport = whereby_sim_service(tmp_path, seed=5, meetings=3)
    try:
        await service.sync_all("wb")
        made = await service.create("wb", MeetingSpec(title="My title",
                                                      ends_at=T0 + timedelta(hours=1)))
        assert made.title == "My title" and made.kept.title == "My title"
        _damage_the_counts(service.cache)
    finally:
        service.cache.close()
    cache = Cache(service.cache.path)
    try:
        try:
            cache.count()
        except CacheError as exc:
            notice = cache.start_afresh(exc)
        else:
            raise AssertionError("the damage was not found")
        assert notice is not None and "what meettui kept about 1 meeting (titles of 1" \
            in notice
        service = MeetingService(parse_config(WHEREBY_CONFIG, tmp_path / "config.toml"),
                                 cache, clock=FixedClock(T0), env={"WB_TEST_KEY": WHEREBY_KEY},
                                 transports={"wb": transport})
        await service.sync_all("wb")
        assert service.find(made.id).title == "My title"
        assert service.count(["wb"]) == 4
    finally:
        cache.close()


def _damage_the_counts(cache: Cache) -> None:
    """Overwrite the page of the meeting counts (a count reads it; opening does not)."""
    with cache._lock:
        cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = cache._conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'meeting_counts'").fetchone()[0]
    page = file_page_size(cache.path)
    with open(cache.path, "r+b") as handle:
        handle.seek((root - 1) * page)
        handle.write(bytes(range(256)) * (page // 256))


def _cut_the_meetings_tree(path) -> int:
    """Make the meetings table's root page list only its first child (and its right
    one): a scan skips the children between without an error, as a damaged page can
    make it. The number of rows left where no scan or seek reaches them."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master "
                            "WHERE name = 'meetings'").fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]
    finally:
        conn.close()
    page = file_page_size(path)
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page)
        header = handle.read(5)
        assert header[0] == 0x05, "the root is no interior page: more rows needed"
        handle.seek((root - 1) * page + 3)
        handle.write((1).to_bytes(2, "big"))
    conn = sqlite3.connect(path)
    try:
        left = conn.execute("SELECT COUNT(*) FROM meetings NOT INDEXED").fetchone()[0]
    finally:
        conn.close()
    return total - left


def test_rows_a_damaged_table_skips_without_an_error_are_not_said_read(tmp_path):
    # A scan of the damaged table ended early without an error, and the notice said
    # "Nothing in it existed only on this machine" while the moved file held Jitsi rooms
    # (a direct read of their rowids gave them).
    from meettui.core.cache_salvage import salvage
    from meettui.core.registry import kept_only_here

    path = tmp_path / "cache.sqlite3"
    _fill(path)
    hidden = _cut_the_meetings_tree(path)
    assert hidden > 0
    found = salvage(path, kept_only_here)
    assert not found.whole  # the index lists rows no read reached
    # What the right child holds (the Jitsi rooms and the link, written last) came.
    assert {m.provider for m in found.local} == {"jitsi", "imported"}
    assert len(found.kept) < 30
