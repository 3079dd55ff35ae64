"""Deferred indexing (core/cache_fts.py): writes only note which rows the full-text
index must change, a search never reads an index behind its rows (it catches up a
few rows itself, or tests its words with LIKE), `Cache.catch_up_index` applies the
rest in batches, and a cache closed with rows waiting, or made by the first v4 (which
indexed at write time), or written by an SQLite without FTS5, still finds exactly
what LIKE finds."""

from __future__ import annotations

import re
import sqlite3

import pytest
from test_cache_index import NOW, QUERIES, TITLES, _fill, _ids

from factories import T0, make_meeting, trace_cache_sql
from meettui.core import cache_fts
from meettui.core.cache import Cache


@pytest.fixture
def filled(tmp_path):
    c = Cache(tmp_path / "c.sqlite3")
    _fill(c)
    c.catch_up_index()
    yield c
    c.close()


def _waiting(c: Cache) -> int:
    with c._lock:
        return cache_fts.pending(c._conn, 10**9)


def _index_blocks(c: Cache) -> list[tuple[int, bytes]]:
    with c._lock:
        return c._conn.execute("SELECT id, block FROM meetings_fts_data ORDER BY id").fetchall()


def _assert_index_matches_rows(c: Cache) -> None:
    """FTS5 compares the index with the text of every row (rank 1: against the
    content table); a stale or damaged index fails."""
    with c._lock:
        c._conn.execute("INSERT INTO meetings_fts (meetings_fts, rank) "
                        "VALUES ('integrity-check', 1)")


def _assert_like_and_index_agree(c: Cache) -> None:
    """Every query's rows read through LIKE alone, then the normal way (catching up
    what waits), are the same, and the index then holds every row as it is."""
    c._fts = False
    like = {q: (_ids(c, q), c.count(None, q, now=NOW)) for q in QUERIES}
    c._fts = True
    assert {q: (_ids(c, q), c.count(None, q, now=NOW)) for q in QUERIES} == like
    assert _waiting(c) == 0
    _assert_index_matches_rows(c)


def test_writes_leave_rows_waiting_and_the_index_as_it_was(filled):
    before = _index_blocks(filled)
    _assert_index_matches_rows(filled)
    filled.upsert(make_meeting(70, title="brand new"))         # a new row
    filled.upsert(make_meeting(3, title="renamed to zebra"))   # a changed title
    filled.delete("acc", "m000000")                            # a removal
    filled.upsert(make_meeting(4, title=TITLES[4]))            # the same text: no note
    assert _waiting(filled) == 3
    assert _index_blocks(filled) == before
    with pytest.raises(sqlite3.DatabaseError):  # the index is behind the rows, as meant
        _assert_index_matches_rows(filled)
    assert filled.catch_up_index() == 3
    _assert_index_matches_rows(filled)
    after = _index_blocks(filled)
    assert filled.catch_up_index() == 0                        # idempotent
    assert _index_blocks(filled) == after and _waiting(filled) == 0


def _insert(c: Cache) -> None:
    c.upsert_page("acc", [make_meeting(80 + i, title=f"new demo {i}") for i in range(3)])


def _change_titles(c: Cache) -> None:
    c.upsert(make_meeting(0, title="no longer that"))
    c.upsert(make_meeting(1, title="twice: first"))
    c.upsert(make_meeting(1, title="twice: Démo second"))     # one note, the first text


def _change_then_delete(c: Cache) -> None:
    c.upsert(make_meeting(2, title="short lived demo"))
    c.delete("acc", "m000002")


def _delete(c: Cache) -> None:
    c.delete("acc", "m000001")
    c.delete("other", "m000100")


def _forget_account(c: Cache) -> None:
    c.forget_account("other")


def _drop_unseen(c: Cache) -> None:
    gen = c.begin_sync("acc")
    c.record_page("acc", [make_meeting(1, title="DEMO day"), make_meeting(90, title="demo 90")],
                  generation=gen, next_cursor=None, synced_at=T0, drop_unseen=True)


def _reuse_the_top_rowid(c: Cache) -> None:
    top = c._conn.execute("SELECT MAX(rowid), account, id FROM meetings").fetchone()
    c.delete(top[1], top[2])
    c.upsert(make_meeting(95, title="took the top rowid demo"))
    again = c._conn.execute("SELECT rowid FROM meetings WHERE id = 'm000095'").fetchone()
    assert again[0] == top[0]  # SQLite handed the indexed rowid out again


def _reuse_a_rowid_after_catching_up(c: Cache) -> None:
    top = c._conn.execute("SELECT MAX(rowid), account, id FROM meetings").fetchone()
    c.delete(top[1], top[2])
    c.catch_up_index()                       # the index knows it is gone; no note left
    c.upsert(make_meeting(98, title="reused after catching up demo"))
    again = c._conn.execute("SELECT rowid FROM meetings WHERE id = 'm000098'").fetchone()
    assert again[0] == top[0]


def _new_row_changed_and_gone(c: Cache) -> None:
    c.upsert(make_meeting(96, title="fresh demo"))              # above what the index saw
    c.upsert(make_meeting(96, title="fresh demo renamed"))
    c.upsert(make_meeting(97, title="fresh and gone"))
    c.delete("acc", "m000097")


WRITES = [_insert, _change_titles, _change_then_delete, _delete, _forget_account,
          _drop_unseen, _reuse_the_top_rowid, _reuse_a_rowid_after_catching_up,
          _new_row_changed_and_gone]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_a_search_after_writes_finds_what_like_finds(filled, write):
    write(filled)
    assert _waiting(filled) > 0
    _assert_like_and_index_agree(filled)


def test_every_write_at_once_then_one_search(filled):
    for write in WRITES:
        write(filled)
    _assert_like_and_index_agree(filled)


def test_many_waiting_rows_are_searched_with_like_until_caught_up(filled, monkeypatch):
    monkeypatch.setattr(cache_fts, "INLINE", 2)
    _insert(filled)
    filled.upsert(make_meeting(5, title="a demo now"))
    statements: list[str] = []
    filled._conn.set_trace_callback(statements.append)
    found = _ids(filled, "demo")
    assert ("acc", "m000080") in found and ("acc", "m000005") in found
    assert not any("MATCH" in s for s in statements)   # LIKE, not a stale index
    assert _waiting(filled) == 4                         # a search left them waiting
    assert filled.catch_up_index() == 4
    statements.clear()
    assert _ids(filled, "demo") == found
    assert any("MATCH" in s for s in statements)
    filled._conn.set_trace_callback(None)


def test_rows_written_by_another_process_during_a_search_are_not_missed(filled,
                                                                       monkeypatch):
    # The search catches up, then another process writes more than a search would
    # apply before the search reads: the search must not read the index.
    other = Cache(filled.path)
    real = cache_fts.catch_up_all

    def and_then_another_writes(*args, **kwargs) -> int:
        applied = real(*args, **kwargs)
        other.upsert_page("acc", [make_meeting(2000 + i, title=f"late demo {i}")
                                  for i in range(cache_fts.INLINE + 1)])
        return applied

    monkeypatch.setattr(cache_fts, "catch_up_all", and_then_another_writes)
    filled.upsert(make_meeting(5, title="a demo now"))
    assert filled.count(None, "late demo", now=NOW) == cache_fts.INLINE + 1
    assert _waiting(filled) == cache_fts.INLINE + 1   # read with LIKE, left waiting
    other.close()


def test_catching_up_goes_in_batches_and_stops_at_a_limit(filled):
    filled.upsert_page("acc", [make_meeting(100 + i) for i in range(1200)])
    filled.upsert_page("acc", [make_meeting(i, title=f"changed {i}") for i in range(10)])
    transactions = []

    def counted():
        transactions.append(1)
        return filled._transaction()

    assert cache_fts.catch_up_all(counted, limit=700, batch=500) == 700
    assert len(transactions) == 2 and _waiting(filled) == 510
    assert cache_fts.catch_up_all(counted, batch=500) == 510
    assert len(transactions) == 4
    _assert_index_matches_rows(filled)


def test_a_cache_closed_with_rows_waiting_is_right_when_reopened(tmp_path):
    path = tmp_path / "c.sqlite3"
    c = Cache(path)
    _fill(c)
    c.catch_up_index()
    for write in (_change_titles, _delete, _insert, _reuse_the_top_rowid):
        write(c)
    c.close()       # as a crash would leave it: the notes are in the same transactions
    c = Cache(path)
    assert _waiting(c) > 0
    _assert_like_and_index_agree(c)
    c.close()


def test_a_catch_up_cut_short_leaves_the_rest_waiting(tmp_path):
    path = tmp_path / "c.sqlite3"
    c = Cache(path)
    _fill(c)
    c.catch_up_index()
    _change_titles(c)
    _insert(c)
    waiting = _waiting(c)
    assert c.catch_up_index(limit=2) == 2
    c.close()
    c = Cache(path)
    assert _waiting(c) == waiting - 2
    _assert_like_and_index_agree(c)
    c.close()


_EAGER_V4 = """
CREATE TRIGGER meetings_fts_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meetings_fts (rowid, search_fold) VALUES (new.rowid, new.search_fold);
END;
CREATE TRIGGER meetings_fts_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO meetings_fts (meetings_fts, rowid, search_fold)
        VALUES ('delete', old.rowid, old.search_fold);
END;
CREATE TRIGGER meetings_fts_update AFTER UPDATE OF search_fold ON meetings
    WHEN old.search_fold IS NOT new.search_fold BEGIN
    INSERT INTO meetings_fts (meetings_fts, rowid, search_fold)
        VALUES ('delete', old.rowid, old.search_fold);
    INSERT INTO meetings_fts (rowid, search_fold) VALUES (new.rowid, new.search_fold);
END;
"""


def test_a_cache_of_the_first_v4_swaps_its_triggers_without_a_rebuild(tmp_path,
                                                                     monkeypatch):
    path = tmp_path / "c.sqlite3"
    c = Cache(path)
    _fill(c)
    c.close()
    conn = sqlite3.connect(path, isolation_level=None)  # the first v4, which indexed at once
    conn.execute("INSERT INTO meetings_fts (meetings_fts) VALUES ('rebuild')")
    for name in ("meetings_fts_note_insert", "meetings_fts_note_delete",
                 "meetings_fts_note_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE meetings_fts_pending")
    conn.execute("DROP TABLE meetings_fts_state")
    conn.executescript(_EAGER_V4)
    conn.execute("UPDATE meetings SET title = 'x', search_fold = 'eager zebra' "
                 "WHERE id = 'm000003'")
    conn.close()
    statements = trace_cache_sql(monkeypatch)
    c = Cache(path)
    assert not any("rebuild" in s for s in statements)
    names = {r[0] for r in c._conn.execute("SELECT name FROM sqlite_master")}
    assert "meetings_fts_insert" not in names and "meetings_fts_note_insert" in names
    assert _waiting(c) == 0
    _assert_index_matches_rows(c)
    assert _ids(c, "zebra") == [("acc", "m000003")]
    _change_titles(c)
    _assert_like_and_index_agree(c)
    c.close()


def test_without_fts5_an_index_made_elsewhere_is_caught_up_not_rebuilt(tmp_path,
                                                                      monkeypatch):
    path = tmp_path / "c.sqlite3"
    c = Cache(path)
    _fill(c)
    c.catch_up_index()
    c.close()
    with monkeypatch.context() as m:
        m.setattr(cache_fts, "_available", False)
        c = Cache(path)
        assert not c._fts and c.catch_up_index() == 0
        _change_titles(c)
        _insert(c)
        assert _waiting(c) > 0       # noted for the next SQLite with FTS5
        c.close()
    monkeypatch.setattr(cache_fts, "_available", True)
    statements = trace_cache_sql(monkeypatch)
    c = Cache(path)
    assert c._fts and not any("rebuild" in s for s in statements)
    _assert_like_and_index_agree(c)
    c.close()


def test_without_fts5_a_cache_never_indexed_keeps_no_notes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_fts, "_available", False)
    c = Cache(tmp_path / "c.sqlite3")
    _fill(c)
    names = {r[0] for r in c._conn.execute("SELECT name FROM sqlite_master")}
    assert not names & {"meetings_fts", "meetings_fts_pending", "meetings_fts_state",
                        "meetings_fts_note_insert"}
    assert c.catch_up_index() == 0
    c.close()
    monkeypatch.setattr(cache_fts, "_available", True)
    c = Cache(tmp_path / "c.sqlite3")   # built once, from the rows
    assert _waiting(c) == 0
    _assert_index_matches_rows(c)
    _assert_like_and_index_agree(c)
    c.close()


def test_catching_up_a_few_notes_reads_only_their_rows(filled):
    # Taking every note (no bound) must not walk every row of `meetings`: each noted
    # row is fetched by its rowid.
    filled.upsert_page("acc", [make_meeting(3000 + i) for i in range(300)])
    filled.catch_up_index()
    filled.upsert(make_meeting(3, title="one change"))
    statements: list[str] = []
    filled._conn.set_trace_callback(statements.append)
    assert filled.catch_up_index() == 1
    filled._conn.set_trace_callback(None)
    plans = [row[3] for s in statements if s.startswith("INSERT INTO meetings_fts")
             for row in filled._conn.execute("EXPLAIN QUERY PLAN " + s)]
    touching = [p for p in plans if re.search(r"\b(m|meetings)\b", p)]
    assert touching and all("(rowid=?)" in p or "(rowid>?" in p for p in touching), plans


def test_a_cache_with_its_index_tells_fts5_works_without_a_probe_table(tmp_path, monkeypatch):
    # Opening the index loads FTS5 and its trigram tokenizer: a throwaway table in the
    # temp schema (some 0.7 ms of every start) is made only when there is no index yet.
    first = Cache(tmp_path / "a.sqlite3")
    first.close()
    statements = trace_cache_sql(monkeypatch)
    monkeypatch.setattr(cache_fts, "_available", None)
    c = Cache(tmp_path / "a.sqlite3")
    assert c._fts and cache_fts._available is True
    assert not [s for s in statements if "meettui_fts_probe" in s]
    c.close()
    monkeypatch.setattr(cache_fts, "_available", None)
    fresh = Cache(tmp_path / "b.sqlite3")
    assert fresh._fts and [s for s in statements if "meettui_fts_probe" in s]
    fresh.close()


def test_an_index_this_sqlite_cannot_open_is_not_taken_for_fts5(tmp_path, monkeypatch):
    # As an SQLite without FTS5 sees a cache another one indexed: a virtual table of a
    # module it does not have. The probe then says what this SQLite can do.
    path = tmp_path / "c.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                 "('table', 'meetings_fts', 'meetings_fts', 0, "
                 "'CREATE VIRTUAL TABLE meetings_fts USING nosuch(search_fold)')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert not cache_fts._index_opens(conn)
    monkeypatch.setattr(cache_fts, "_available", None)
    assert cache_fts.fts_available(conn)
    assert [s for s in statements if "meettui_fts_probe" in s]
    conn.close()


def test_index_waiting_says_whether_a_catch_up_has_rows_to_apply(tmp_path, monkeypatch):
    c = Cache(tmp_path / "c.sqlite3")
    assert not c.index_waiting()
    c.upsert_page("team", [make_meeting(1, account="team")])
    assert c.index_waiting()
    assert c.catch_up_index() == 1
    assert not c.index_waiting()
    c.close()
    monkeypatch.setattr(cache_fts, "_available", False)
    without = Cache(tmp_path / "d.sqlite3")
    without.upsert_page("team", [make_meeting(1, account="team")])
    assert not without.index_waiting() and without.catch_up_index() == 0
    without.close()
