"""The cache file when it is not what meettui expects: broken, newer, someone else's, a
directory, not writable, or holding a row that no longer reads. Never a traceback;
never a user's file changed unless meettui says so."""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
import stat

import pytest

from factories import damage_the_middle, file_page_size, make_meeting
from meettui.core import cache_connection, cache_transactions
from meettui.core.cache import Cache
from meettui.core.cache_schema import SCHEMA_VERSION
from meettui.core.errors import CacheError, ConfigError

GARBAGE = bytes(range(256)) * 20  # random-looking bytes: not an SQLite file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_file_of_random_bytes_is_moved_aside_with_its_wal_and_shm(tmp_path):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(GARBAGE)
    (tmp_path / "cache.sqlite3-wal").write_bytes(b"old wal")
    (tmp_path / "cache.sqlite3-shm").write_bytes(b"old shm")

    cache = Cache(path)
    try:
        moved = sorted(p.name for p in tmp_path.iterdir() if ".broken-" in p.name)
        assert len(moved) == 3
        stem = moved[0]
        assert re.fullmatch(r"cache\.sqlite3\.broken-\d{8}T\d{6}Z", stem)
        assert moved == [stem, f"{stem}-shm", f"{stem}-wal"]
        # Kept byte for byte: recoverable, never deleted.
        assert (tmp_path / stem).read_bytes() == GARBAGE
        assert (tmp_path / f"{stem}-wal").read_bytes() == b"old wal"
        assert (tmp_path / f"{stem}-shm").read_bytes() == b"old shm"
        # The notice names both files and what happened.
        assert cache.notice is not None
        assert str(path) in cache.notice and str(tmp_path / stem) in cache.notice
        assert "not an SQLite file" in cache.notice and "fresh cache" in cache.notice
        # A fresh, working cache, private to its owner.
        assert cache.schema_version == SCHEMA_VERSION
        cache.upsert(make_meeting(1))
        assert cache.get("acc", "m000001") is not None
        assert _mode(path) == 0o600
    finally:
        cache.close()
    # Said once: the next start finds a good cache.
    again = Cache(path)
    assert again.notice is None
    assert again.count() == 1
    again.close()


def test_a_damaged_sqlite_file_is_moved_aside_with_its_wal_and_shm(tmp_path):
    path = tmp_path / "cache.sqlite3"
    damaged = b"SQLite format 3\x00" + GARBAGE  # the right first bytes, then nonsense
    path.write_bytes(damaged)
    (tmp_path / "cache.sqlite3-wal").write_bytes(b"old wal")
    (tmp_path / "cache.sqlite3-shm").write_bytes(b"old shm")
    cache = Cache(path)
    cache.close()
    moved = {p.name.rsplit("Z", 1)[1]: p for p in tmp_path.iterdir() if ".broken-" in p.name}
    assert moved[""].read_bytes() == damaged
    assert moved["-wal"].read_bytes() == b"old wal"
    # The -shm is an index SQLite rebuilds from the WAL on open (no data): moved along.
    assert moved["-shm"].exists()
    assert cache.notice is not None and str(moved[""]) in cache.notice
    assert "file is not a database" in cache.notice


def test_a_second_broken_cache_in_the_same_second_does_not_overwrite_the_first(tmp_path):
    path = tmp_path / "cache.sqlite3"
    for _ in range(2):
        path.write_bytes(GARBAGE)
        Cache(path).close()
    moved = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
    assert len(moved) == 2
    assert all(p.read_bytes() == GARBAGE for p in moved)


def test_a_cache_from_a_newer_meettui_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "cache.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meetings (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ConfigError) as info:
        Cache(path)
    assert "newer meettui" in info.value.message and str(path) in info.value.message
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".broken-" in p.name]


def test_someone_elses_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE albums (name TEXT)")
    conn.execute("INSERT INTO albums VALUES ('summer')")
    conn.commit()
    conn.close()
    os.chmod(path, 0o644)
    before = path.read_bytes()
    with pytest.raises(ConfigError) as info:
        Cache(path, variable="MEETTUI_CACHE")
    assert "did not write" in info.value.message and "albums" in info.value.message
    assert "MEETTUI_CACHE" in info.value.hint
    # Not switched to WAL, not migrated, not chmod-ed.
    assert path.read_bytes() == before
    assert _mode(path) == 0o644
    assert not (tmp_path / "photos.db-wal").exists()


def test_a_directory_is_refused_naming_the_variable_and_the_path(tmp_path):
    with pytest.raises(ConfigError) as info:
        Cache(tmp_path, variable="MEETTUI_CACHE")
    assert info.value.message == (
        f"MEETTUI_CACHE points at {tmp_path}, which is a directory, not a cache file.")
    assert str(tmp_path / "cache.sqlite3") in info.value.hint
    assert list(tmp_path.iterdir()) == []


def test_a_directory_at_the_default_path_is_named(tmp_path):
    with pytest.raises(ConfigError) as info:
        Cache(tmp_path)
    assert info.value.message == f"The cache file {tmp_path} is a directory."


def test_a_cache_that_cannot_be_opened_for_writing_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "cache.sqlite3"
    Cache(path).close()
    real_open = os.open

    def refuse(file, flags, *args, **kwargs):
        if str(file) == str(path) and flags & os.O_RDWR:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(cache_connection.os, "open", refuse)
    with pytest.raises(ConfigError) as info:
        Cache(path, variable="MEETTUI_CACHE")
    message = info.value.message
    assert message == f"Cannot open the cache {path} (set by MEETTUI_CACHE): permission denied."
    assert f"chmod u+rw {path}" in info.value.hint and "MEETTUI_CACHE" in info.value.hint
    assert path.exists()  # not moved aside: it is not broken


def test_a_cache_damaged_in_the_middle_is_a_clear_error_when_read(tmp_path):
    path = tmp_path / "cache.sqlite3"
    damage_the_middle(path)
    cache = Cache(path)
    try:
        with pytest.raises(ConfigError) as info:
            cache.window(["acc"], limit=5000)
        assert info.value.message == (
            f"The cache {path} failed: database disk image is malformed.")
        assert f"move {path} aside" in info.value.hint
        with pytest.raises(ConfigError):
            cache.upsert(make_meeting(99_999))
    finally:
        cache.close()
    assert path.exists()  # left where it is: the message says what to do


def test_a_cache_found_damaged_while_open_is_set_aside_for_a_fresh_one(tmp_path):
    # What a running app does (`Cache.start_afresh`): it read on from the damaged file.
    path = tmp_path / "cache.sqlite3"
    damage_the_middle(path)
    before = path.read_bytes()
    cache = Cache(path)
    try:
        with pytest.raises(CacheError) as info:
            cache.window(["acc"], limit=5000)
        assert info.value.damaged == cache.opening == 1
        notice = cache.start_afresh(info.value)
        moved = [p for p in tmp_path.iterdir() if p.name.startswith("cache.sqlite3.broken-")
                 and not p.name.endswith(("-wal", "-shm"))]
        assert len(moved) == 1 and moved[0].read_bytes() == before
        assert notice == cache.notice and f"moved it to {moved[0]}" in notice
        assert cache.opening == 2 and cache.count() == 0
        cache.upsert(make_meeting(1))
        assert [m.id for m in cache.window(["acc"])] == ["m000001"]
        # A failure of the file set aside (a reader under way then) changes nothing more.
        assert cache.start_afresh(info.value) is None
        assert cache.count() == 1
    finally:
        cache.close()


def test_a_failure_that_is_not_damage_leaves_the_file(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    with cache._lock:
        cache._conn.execute("PRAGMA query_only = ON")
    try:
        with pytest.raises(CacheError) as info:
            cache.upsert(make_meeting(1))
        assert info.value.damaged is None
        assert cache.start_afresh(info.value) is None
        assert sorted(p.name for p in tmp_path.iterdir() if "broken" in p.name) == []
    finally:
        cache.close()


def test_a_write_refused_by_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    with cache._lock:
        cache._conn.execute("PRAGMA query_only = ON")  # as a file made read-only would
    try:
        with pytest.raises(ConfigError) as info:
            cache.upsert(make_meeting(1))
        assert info.value.message.startswith(f"The cache {path} failed: attempt to write")
        assert "writable by you" in info.value.hint
    finally:
        cache.close()


def test_sqlite_errors_that_are_not_damage_never_move_the_cache():
    from meettui.core import cache_file

    assert not cache_file.is_damage(sqlite3.OperationalError("database is locked"))
    assert cache_file.is_busy(sqlite3.OperationalError("database is locked"))
    assert cache_file.is_damage(sqlite3.DatabaseError("file is not a database"))


def test_a_row_that_no_longer_validates_is_skipped_with_a_log_line(tmp_path):
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.upsert_page("acc", [make_meeting(i) for i in range(3)])
    # A payload another version wrote: the status is one this one does not know.
    with cache._lock:
        cache._conn.execute(
            "UPDATE meetings SET payload = json_set(payload, '$.status', 'teleported') "
            "WHERE id = 'm000001'")
        cache._conn.execute("UPDATE meetings SET payload = '{not json' WHERE id = 'm000002'")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("meettui.cache")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        assert [m.id for m in cache.window(["acc"])] == ["m000000"]
        assert [m.id for m in cache.window(["acc"])] == ["m000000"]  # logged once
        assert cache.get("acc", "m000001") is None
        assert cache.find("m000002") == []
        assert cache.get("acc", "m000000") is not None
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        cache.close()
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "status" in warnings[0] and "skipping a cached meeting" in warnings[0]


def test_the_cache_and_its_wal_and_shm_are_private(tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "new" / "cache.sqlite3"
        cache = Cache(path)
        cache.upsert(make_meeting(1))
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
        for side in ("-wal", "-shm"):
            assert _mode(f"{path}{side}") == 0o600
        cache.close()
    finally:
        os.umask(old_umask)


def test_a_complete_walk_can_drop_the_rows_it_did_not_see(tmp_path):
    """For an upstream made afresh on every run (the demo's): what a complete walk no
    longer sees is dropped instead of kept as "gone upstream"."""
    from datetime import UTC, datetime

    cache = Cache(tmp_path / "cache.sqlite3")
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for drop, account in ((False, "kept"), (True, "demo")):
        first = cache.begin_sync(account)
        cache.record_page(account, [make_meeting(i, account=account) for i in range(3)],
                          generation=first, next_cursor=None, synced_at=at)
        second = cache.begin_sync(account)
        cache.record_page(account, [make_meeting(0, account=account)], generation=second,
                          next_cursor=None, synced_at=at, drop_unseen=drop)
    assert [(m.id, m.missing) for m in cache.window(["kept"])] == [
        ("m000000", False), ("m000001", True), ("m000002", True)]
    assert [(m.id, m.missing) for m in cache.window(["demo"])] == [("m000000", False)]
    cache.close()


def test_sync_state_values_no_meettui_wrote_read_as_unknown(tmp_path):
    import sqlite3

    from meettui.core.cache import Cache

    cache = Cache(tmp_path / "c.sqlite3")
    cache.begin_sync("acc")
    cache.close()
    with sqlite3.connect(tmp_path / "c.sqlite3") as conn:
        conn.execute("UPDATE sync_state SET last_synced = 1e300")
    cache = Cache(tmp_path / "c.sqlite3")
    try:
        state = cache.sync_state("acc")
        assert state.last_synced is None and state.generation == 1
        with sqlite3.connect(tmp_path / "c.sqlite3") as conn:
            conn.execute("UPDATE sync_state SET last_synced = 'abc'")
        assert cache.sync_state("acc").last_synced is None
    finally:
        cache.close()


def test_a_new_cache_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    new = tmp_path / "new.sqlite3"
    Cache(new).close()
    assert file_page_size(new) == cache_connection.PAGE_SIZE == 16384
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA page_size=4096")
    conn.execute("VACUUM")
    conn.close()
    cache = Cache(old)
    cache.upsert_page("acc", [make_meeting(i) for i in range(50)])
    cache.close()
    assert file_page_size(old) == 4096  # a file that exists is never rewritten for it
    cache = Cache(old)
    try:
        assert cache.count(["acc"]) == 50
    finally:
        cache.close()


def _hold_exclusively(path) -> sqlite3.Connection:
    """Another process's hold on the cache (`PRAGMA locking_mode=EXCLUSIVE; BEGIN
    EXCLUSIVE`, as an SQLite tool or another meettui mid-write)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_cache_another_process_holds_is_said_to_be_in_use(tmp_path, monkeypatch):
    # It said "database is locked. Make it and its folder writable by you (chmod u+rw
    # …)": nothing about the file's permissions was wrong.
    monkeypatch.setattr(cache_transactions, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "cache.sqlite3"
    Cache(path).close()
    holder = _hold_exclusively(path)
    try:
        with pytest.raises(ConfigError) as info:
            Cache(path, variable="MEETTUI_CACHE")
    finally:
        holder.close()
    assert info.value.message == (f"Cannot open the cache {path} (set by MEETTUI_CACHE): "
                                  "another process is using it (database is locked).")
    assert "chmod" not in info.value.hint and "writable" not in info.value.hint
    assert info.value.hint.startswith("It may be another meettui")
    assert "try again" in info.value.hint and "MEETTUI_CACHE" in info.value.hint
    Cache(path).close()  # and it opens once the other lets go


def test_a_cache_another_process_writes_to_while_open_is_said_to_be_in_use(tmp_path,
                                                                             monkeypatch):
    # A running app (or MCP server) whose write waits on another meettui's (a long
    # sync): it said "Check that the disk has room … (chmod u+rw …)".
    monkeypatch.setattr(cache_transactions, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CacheError) as info:
            cache.upsert(make_meeting(1))
        assert info.value.message == (f"The cache {path} is in use by another process "
                                      "(database is locked).")
        assert "chmod" not in info.value.hint and "try again" in info.value.hint
        assert info.value.damaged is None
    finally:
        writer.close()
    try:
        cache.upsert(make_meeting(1))  # once the other is done
        assert cache.count() == 1
    finally:
        cache.close()
