import json
import os
import sqlite3
import stat
import time

import pytest

from factories import T0, make_meeting
from meettui.core.cache import Cache
from meettui.core.cache_schema import MIGRATIONS, SCHEMA_VERSION
from meettui.core.redact import clear_registered_secrets, register_secret
from meettui.core.registry import searched_details


def test_cache_file_is_private_and_uses_wal(tmp_path):
    c = Cache(tmp_path / "sub" / "cache.sqlite3")
    mode = stat.S_IMODE(os.stat(c.path).st_mode)
    assert mode == 0o600
    assert c._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.schema_version == SCHEMA_VERSION
    c.close()


def test_upsert_and_read_back_round_trips(cache):
    m = make_meeting(1)
    cache.upsert(m)
    got = cache.get("acc", "m000001")
    assert got == m
    assert got.starts_at.tzinfo is not None


def test_page_upsert_is_atomic(cache):
    cache.upsert_page("acc", [make_meeting(i) for i in range(3)])
    before = cache.window(["acc"], limit=10)
    changed = [make_meeting(i, title=f"changed {i}") for i in range(3)]
    # The third row belongs to another account: the write must fail as a whole.
    changed.append(make_meeting(99, account="other"))
    with pytest.raises(ValueError):
        cache.upsert_page("acc", changed)
    assert cache.window(["acc"], limit=10) == before
    assert cache.count() == 3


@pytest.mark.parametrize("variables", [999, 30])
def test_a_page_is_written_in_order_in_statements_of_many_rows(cache, variables):
    # Rows go in multi-row INSERTs (`cache_rows.write_rows`), as many as SQLite takes
    # variables for: 30 allows two rows a statement. An id twice in one page is
    # written, then updated, as one statement per row would.
    cache._conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variables)
    page = [make_meeting(i) for i in range(5)] + [make_meeting(2, title="again")]
    cache.upsert_page("acc", page)
    assert cache.count() == 5
    assert cache.get("acc", "m000002").title == "again"
    assert [m.id for m in cache.window(["acc"], limit=10)] == [f"m{i:06d}" for i in range(5)]


def test_record_page_is_atomic_with_sync_state(cache):
    gen = cache.begin_sync("acc")
    bad = [make_meeting(1), make_meeting(2, account="zzz")]
    with pytest.raises(ValueError):
        cache.record_page("acc", bad, generation=gen, next_cursor="c2", synced_at=T0)
    assert cache.count() == 0
    assert cache.sync_state("acc").cursor is None


def test_windowed_reads_over_100k_rows(tmp_path):
    c = Cache(tmp_path / "big.sqlite3")
    n = 100_000
    c.upsert_page("acc", (make_meeting(i) for i in range(n)))
    assert c.count() == n
    started = time.perf_counter()
    window = c.window(offset=n - 50, limit=50)
    elapsed = time.perf_counter() - started
    assert [m.id for m in window] == [f"m{i:06d}" for i in range(n - 50, n)]
    assert elapsed < 1.0
    middle = c.window(offset=54_321, limit=3)
    assert [m.id for m in middle] == ["m054321", "m054322", "m054323"]
    assert c.index_of("acc", "m054321") == 54_321
    c.close()
    # Re-opening a large cache does not scan it.
    started = time.perf_counter()
    c2 = Cache(tmp_path / "big.sqlite3")
    c2.window(limit=40)
    assert time.perf_counter() - started < 0.5
    c2.close()


def test_sorted_by_start_with_undated_last(cache):
    undated = make_meeting(5).model_copy(update={"starts_at": None, "id": "undated"})
    cache.upsert_page("acc", [make_meeting(3), undated, make_meeting(1)])
    assert [m.id for m in cache.window()] == ["m000001", "m000003", "undated"]


def test_search_by_title_substring_is_case_insensitive_and_literal(cache):
    cache.upsert_page(
        "acc",
        [
            make_meeting(1, title="Weekly Standup"),
            make_meeting(2, title="Customer call 100%"),
            make_meeting(3, title="standup retro"),
            make_meeting(4, title="under_score"),
        ],
    )
    assert {m.id for m in cache.window(query="STANDUP")} == {"m000001", "m000003"}
    # LIKE wildcards in the query are matched literally.
    assert [m.id for m in cache.window(query="100%")] == ["m000002"]
    assert [m.id for m in cache.window(query="r_s")] == ["m000004"]
    assert cache.count(query="%") == 1
    assert cache.count(query="standup") == 2


def test_accounts_filter(cache):
    cache.upsert_page("a", [make_meeting(1, account="a")])
    cache.upsert_page("b", [make_meeting(2, account="b")])
    assert cache.count(["a"]) == 1
    assert cache.count(["a", "b"]) == 2
    assert cache.count([]) == 0


def test_full_sync_marks_vanished_meetings_missing_not_dropped(cache):
    gen = cache.begin_sync("acc")
    cache.record_page("acc", [make_meeting(1), make_meeting(2)], generation=gen,
                      next_cursor="p2", synced_at=T0)
    cache.record_page("acc", [make_meeting(3)], generation=gen, next_cursor=None, synced_at=T0)
    assert not any(m.missing for m in cache.window())
    # Second walk: meeting 2 has gone upstream.
    gen2 = cache.begin_sync("acc")
    cache.record_page("acc", [make_meeting(1)], generation=gen2, next_cursor="p2", synced_at=T0)
    # A partial walk marks nothing yet.
    assert not cache.get("acc", "m000002").missing
    cache.record_page("acc", [make_meeting(3)], generation=gen2, next_cursor=None, synced_at=T0)
    assert cache.get("acc", "m000002").missing
    assert not cache.get("acc", "m000001").missing
    assert cache.count() == 3
    state = cache.sync_state("acc")
    assert state.complete and state.cursor is None and state.last_synced == T0
    # Seen again later: no longer missing.
    cache.upsert(make_meeting(2))
    assert not cache.get("acc", "m000002").missing



def test_a_walk_that_finds_new_meetings_is_not_complete_until_its_end(cache):
    # A refresh restarts the walk at page one and the account stays complete (its later
    # pages are cached from the last walk), unless a page holds meetings the cache did
    # not: the server has more now, maybe on pages not read yet. The list said "every
    # page loaded" at 1,100 of 3,000 meetings once such a walk stopped, rate limited.
    def walk(pages: list[list[int]], stop_after: int | None = None) -> None:
        gen = cache.begin_sync("acc")
        for number, page in enumerate(pages[:stop_after]):
            last = number == len(pages) - 1
            cache.record_page("acc", [make_meeting(i) for i in page], generation=gen,
                              next_cursor=None if last else f"p{number + 2}", synced_at=T0)

    walk([[1, 2], [3]])
    assert cache.sync_state("acc").complete
    walk([[1, 2], [3]], stop_after=1)  # the same meetings: still every page cached
    assert cache.sync_state("acc").complete
    walk([[1, 2], [3, 4], [5]], stop_after=2)  # meeting 4 is new
    state = cache.sync_state("acc")
    assert not state.complete and state.cursor == "p3" and state.to_fetch
    walk([[1, 2], [3, 4], [5]])  # read to its end
    assert cache.sync_state("acc").complete
    walk([[1, 2, 6], [3, 4], [5]], stop_after=1)  # new on page one
    assert not cache.sync_state("acc").complete


def test_migrates_from_schema_v1_keeping_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    m = make_meeting(7)
    conn.execute(
        "INSERT INTO meetings VALUES (?,?,?,?,?,?,?,?,?)",
        ("acc", m.id, m.provider, m.title, m.title.casefold(), m.starts_at.timestamp(),
         m.status.value, m.model_dump_json(), time.time()),
    )
    conn.execute("INSERT INTO sync_state VALUES ('acc', 'cur', 1.0)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    c = Cache(path)
    assert c.schema_version == SCHEMA_VERSION
    assert c.get("acc", m.id).title == m.title
    assert c.sync_state("acc").cursor == "cur"
    assert c.sync_state("acc").complete is False
    # Cached before v7 said since when: known before any mark taken after the migration.
    assert c.known_before("acc", [m.id], c.write_mark()) == {m.id}
    c.close()


def test_known_before_leaves_out_what_was_cached_or_missing_since_the_mark(cache):
    # What a lost create looks for upstream: a meeting meettui did not know as present
    # when the create was sent. Only rows present then, and still, are known.
    gen = cache.begin_sync("acc")
    cache.record_page("acc", [make_meeting(i) for i in range(3)], generation=gen,
                      next_cursor=None, synced_at=T0)
    cache.mark_missing("acc", "m000002")  # gone upstream before the create
    mark = cache.write_mark()
    cache.upsert_page("acc", [make_meeting(0, title="edited"), make_meeting(3)])
    cache.upsert(make_meeting(2))  # missing before the mark, seen again after it
    cache.mark_missing("acc", "m000001")  # known at the mark, missing now
    ids = [f"m{i:06d}" for i in range(5)]
    assert cache.known_before("acc", ids, mark) == {"m000000"}
    assert cache.known_before("other", ids, mark) == set()
    # A later mark knows what was cached before it, and still not what is missing.
    assert cache.known_before("acc", ids, cache.write_mark()) == {"m000000", "m000002",
                                                                 "m000003"}


def test_refuses_cache_from_newer_version(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    from meettui.core.errors import ConfigError

    with pytest.raises(ConfigError, match="newer meettui"):
        Cache(path)


def test_no_secret_value_reaches_the_database_file(tmp_path):
    secret = "wb_live_SECRETKEY_0123456789abcdef"
    register_secret(secret)
    try:
        c = Cache(tmp_path / "c.sqlite3")
        leaky = make_meeting(1, raw={"echo": f"Authorization: Bearer {secret}", "key": secret})
        c.upsert(leaky)
        c.record_error("acc", f"failed with key {secret}")
        c.close()
        data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert secret.encode() not in data
        # The host link itself may be cached (the file is private).
        assert b"roomKey=k1" in data
    finally:
        clear_registered_secrets()


def test_payload_is_json(cache):
    cache.upsert(make_meeting(1))
    (payload,) = cache._conn.execute("SELECT payload FROM meetings").fetchone()
    assert json.loads(payload)["id"] == "m000001"


def test_payload_holds_the_meeting_as_its_json_says(cache):
    # Non-ASCII kept as is, control characters escaped, nested raw answers intact.
    meeting = make_meeting(1, title="Café\u2028 \x07 «x»",
                           raw={"n": 1e16, "list": [1, "ü", None], "nested": {"a": True}})
    cache.upsert(meeting)
    (payload,) = cache._conn.execute("SELECT payload FROM meetings").fetchone()
    assert json.loads(payload) == meeting.model_dump(mode="json", exclude={"missing"})
    assert "Café" in payload and "\x07" not in payload


def test_kept_of_reads_only_the_meetings_that_hold_kept_facts(cache):
    from meettui.core.models import KeptFacts

    plain = make_meeting(1)
    titled = make_meeting(2, kept=KeptFacts(title="Intake"))
    created = make_meeting(3, kept=KeptFacts(options={"roomMode": "group"}))
    cache.upsert_page("acc", [plain, titled, created])
    # A payload from before `kept` (a free-form `local`) is read whole.
    legacy = make_meeting(4).model_dump(mode="json", exclude={"kept", "missing"})
    legacy["local"] = {"title": "Old"}
    cache.upsert(make_meeting(4))
    cache._conn.execute("UPDATE meetings SET payload = ? WHERE id = 'm000004'",
                        (json.dumps(legacy),))
    cache.upsert(make_meeting(5))
    cache._conn.execute("UPDATE meetings SET payload = 'not json' WHERE id = 'm000005'")

    found = cache.kept_of("acc", [f"m{i:06d}" for i in range(1, 7)])
    assert sorted(found) == ["m000002", "m000003", "m000004"]
    assert found["m000002"].kept.title == "Intake"
    assert found["m000004"].kept.title == "Old"
    assert cache.kept_of("other", ["m000002"]) == {}


def test_every_secret_is_scrubbed_from_title_search_text_and_payload_of_a_page(tmp_path):
    # One look at the registry serves a whole page: each secret, in each row's title,
    # search text (a detail) and payload, is masked; the longer secret first.
    short, long_ = "s3cret-AAAA", "s3cret-AAAA-and-more-BBBB"
    register_secret(short)
    register_secret(long_)
    try:
        c = Cache(tmp_path / "c.sqlite3")
        c.search_details(searched_details)  # as the service does: Whereby's "Room"
        page = [make_meeting(i, title=f"t {short} {i}", details={"Room": f"r {long_}"},
                             raw={"k": long_}) for i in range(3)]
        c.upsert_page("acc", page)
        rows = c._conn.execute("SELECT title, search_fold, payload FROM meetings").fetchall()
        c.close()
        assert len(rows) == 3
        for title, search, payload in rows:
            assert "s3cret" not in title and "s3cret" not in search
            assert "s3cret" not in payload and "and-more" not in payload
            assert title.startswith("t ***") and "r ***" in search
        data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert b"s3cret" not in data
    finally:
        clear_registered_secrets()
