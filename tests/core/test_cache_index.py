"""The cache's speed work (issue 16): kept row counts, the FTS5 trigram index for filter
words (with LIKE for short words and SQLite builds without FTS5), reads by key in
both directions, and the v3 → v4 migration."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

import pytest

from factories import T0, make_meeting, trace_cache_sql
from meettui.core import cache_fts, cache_window
from meettui.core.cache import Cache
from meettui.core.cache_schema import MIGRATIONS, SCHEMA_VERSION, statements
from meettui.core.rowblocks import Read, RowBlocks
from meettui.core.search import Order

NOW = T0 + timedelta(minutes=30)

TITLES = [
    "Weekly Demo", "DEMO day", "démo Überblick", "ÄRGER im Büro", "Straße planen",
    'He said "hi"', "star * wars", "minus -one", "this OR that", "NEAR the end",
    "col:on (paren) ^caret", "100% done_ok", "ᏣᎳᎩ Cherokee", "emoji 🎉 party", "a",
    "ab", "Quote ' single", "back\\slash", "tab\tkey", "Mixed ÉCOLE école",
]

QUERIES = [
    "d", "de", "dem", "demo", "DEMO", "Démo", "démo", "über", "ÜBER", "ärger", "strasse",
    "straße", '"hi"', '"said "hi"', 'he said "hi', "*", "star *", "* wars", "-one",
    "minus -", "OR", "this OR that", '"this or that"', "NEAR", "near the", "col:on",
    "(paren)", "^caret", "100%", "done_ok", "_ok", "%", "ᏣᎳᎩ", "ꮳꮃꭹ", "🎉", "🎉 party",
    "' single", "back\\slash", "\\", "tab\tkey", "école", "ÉCOLE", "m0000", "m000007",
    "x.whereby.com/r1", "roomkey", "acc", "zzz", "weekly demo", "account:acc demo",
    "account:other demo", "status:scheduled demo", "status:ended demo", '"demo day"',
    "a", "ab", "abc", "e d", "e", "  ", "", "demo zzz", "eee", "ü",
]


def _fill(c: Cache) -> None:
    rows = [make_meeting(i, title=t) for i, t in enumerate(TITLES)]
    rows += [make_meeting(100 + i, account="other", title=t) for i, t in enumerate(TITLES[:6])]
    c.upsert_page("acc", rows[: len(TITLES)])
    c.upsert_page("other", rows[len(TITLES):])


def _ids(c: Cache, query: str, accounts: list[str] | None = None) -> list[tuple[str, str]]:
    return [m.key for m in c.window(accounts, query, limit=1000, now=NOW)]


@pytest.fixture
def filled(tmp_path):
    c = Cache(tmp_path / "c.sqlite3")
    _fill(c)
    yield c
    c.close()


def test_this_sqlite_has_fts5_with_trigrams(filled):
    # The rest of the file would only test the LIKE path without it.
    assert filled._fts


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_finds_exactly_what_like_finds(filled, query):
    with_index = (_ids(filled, query), _ids(filled, query, ["acc"]),
                  filled.count(None, query, now=NOW), filled.count(["acc"], query, now=NOW))
    filled._fts = False  # the LIKE path, on the same rows
    without = (_ids(filled, query), _ids(filled, query, ["acc"]),
               filled.count(None, query, now=NOW), filled.count(["acc"], query, now=NOW))
    assert with_index == without


def test_words_of_three_or_more_characters_use_the_index(filled):
    view = cache_window.View(["acc"], 'demo "x y" ab', fts=True)
    where, params = view.where()
    assert "meetings_fts MATCH" in where and "LIKE" in where  # "ab" stays on LIKE
    assert '"demo" AND "x y"' in params
    assert cache_fts.match_expression(['say "hi"', "OR"]) == '"say ""hi""" AND "OR"'


def test_the_index_and_counts_follow_every_write(filled):
    filled.upsert(make_meeting(3, title="renamed to zebra"))   # an update
    filled.delete("acc", "m000000")                            # "Weekly Demo"
    filled.forget_account("other")
    gen = filled.begin_sync("acc")
    filled.record_page("acc", [make_meeting(1, title="DEMO day")], generation=gen,
                       next_cursor=None, synced_at=T0, drop_unseen=True)
    assert _ids(filled, "zebra") == []                         # m3 went with the walk
    assert _ids(filled, "demo") == [("acc", "m000001")]
    assert filled.count() == filled._conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]
    assert filled.count(["acc"]) == 1 and filled.count(["other"]) == 0
    filled.upsert(make_meeting(50, title="zebra again"))
    assert _ids(filled, "zebra") == [("acc", "m000050")]
    assert filled.count(["acc"]) == 2


def test_unfiltered_counts_are_kept_not_counted(filled, monkeypatch):
    seen: list[str] = []
    filled._conn.set_trace_callback(seen.append)
    assert filled.count(["acc"], now=NOW) == len(TITLES)
    assert filled.count(None, "account:oth", now=NOW) == 6
    filled._conn.set_trace_callback(None)
    assert seen and not any("FROM meetings" in s for s in seen)


def _without_fts(monkeypatch) -> None:
    monkeypatch.setattr(cache_fts, "_available", False)


def test_without_fts5_the_filter_uses_like_and_writes_work(tmp_path, monkeypatch):
    _without_fts(monkeypatch)
    c = Cache(tmp_path / "c.sqlite3")
    _fill(c)
    assert not c._fts
    assert c._conn.execute("SELECT name FROM sqlite_master WHERE name = 'meetings_fts'"
                           ).fetchone() is None
    assert _ids(c, "demo") == [("acc", "m000000"), ("acc", "m000001"), ("other", "m000100"),
                               ("other", "m000101")]
    c.close()


def test_a_cache_indexed_elsewhere_opens_without_fts5_and_is_reindexed_later(tmp_path,
                                                                            monkeypatch):
    path = tmp_path / "c.sqlite3"
    c = Cache(path)
    _fill(c)
    c.close()
    with monkeypatch.context() as m:
        _without_fts(m)
        c = Cache(path)  # its triggers would fail every write here: they are dropped
        c.upsert(make_meeting(60, title="written without the index"))
        c.delete("acc", "m000001")
        assert _ids(c, "without the") == [("acc", "m000060")]
        c.close()
    monkeypatch.setattr(cache_fts, "_available", True)
    c = Cache(path)  # rebuilt once, so it knows those writes
    assert c._fts
    assert _ids(c, "without the") == [("acc", "m000060")]
    assert ("acc", "m000001") not in _ids(c, "demo")
    c.close()


def _index_columns(c: Cache, index: str) -> list[str]:
    return [row[2] for row in c._conn.execute(f"PRAGMA index_info({index})")]


def _plan_index(c: Cache, sql: str, params: tuple) -> str:
    """The index SQLite reads `meetings` through for `sql` (it must use one)."""
    plan = " ".join(row[3] for row in c._conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    found = re.search(r"USING (?:COVERING )?INDEX (\w+)", plan)
    assert found, plan
    return found.group(1)


@pytest.mark.parametrize("drop_unseen", [False, True])
def test_the_end_of_a_walk_finds_unseen_rows_in_an_index(filled, drop_unseen):
    # A complete walk marks (or drops) the rows it did not see: through an index that
    # holds each row's generation, SQLite reads only those rows, not every row of the
    # account to look at its `seen_gen`.
    seen: list[str] = []
    gen = filled.begin_sync("acc")
    filled._conn.set_trace_callback(seen.append)
    filled.record_page("acc", [make_meeting(1, title="DEMO day")], generation=gen,
                       next_cursor=None, synced_at=T0, drop_unseen=drop_unseen)
    filled._conn.set_trace_callback(None)
    (sql,) = {s for s in seen if "seen_gen <" in s}  # traced again for each trigger run
    index = _plan_index(filled, re.sub(r"'acc'", "?", re.sub(r"< \d+", "< ?", sql)),
                        ("acc", gen, "acc"))
    assert index.startswith("meetings_") and "seen_gen" in _index_columns(filled, index)
    assert filled.count(["acc"]) == (1 if drop_unseen else len(TITLES))
    assert [m.id for m in filled.window(["acc"], limit=100) if not m.missing] == ["m000001"]


def _v3_file(path, meetings) -> None:
    """A cache exactly as schema v3 left it: the rows written by this version, then
    everything v4 and later added taken away (v4 only adds tables and triggers)."""
    c = Cache(path)
    c.upsert_page("acc", [m for m in meetings if m.account == "acc"])
    c.upsert_page("other", [m for m in meetings if m.account == "other"])
    c.close()
    conn = sqlite3.connect(path, isolation_level=None)
    for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE type IN "
                                   "('trigger') OR name IN ('meetings_fts', 'meeting_counts', "
                                   "'meetings_fts_pending', 'meetings_fts_state', "
                                   "'search_retext', 'row_writes', 'replacements', 'deletions')"
                                   ).fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.execute("ALTER TABLE meetings DROP COLUMN known_since")  # v7's column
    conn.execute("ALTER TABLE sync_state DROP COLUMN last_error_health")  # v8's
    conn.execute("ALTER TABLE sync_state DROP COLUMN last_error_until")  # v10's
    conn.execute("ALTER TABLE meetings DROP COLUMN written")  # v11's
    conn.execute("ALTER TABLE sync_state DROP COLUMN walk_since")  # v11's
    # v5 changed an index of v2: back to its v2 shape.
    conn.execute("DROP INDEX meetings_by_account_start")
    conn.execute("CREATE INDEX meetings_by_account_start ON meetings (account, start_key, id)")
    conn.execute("PRAGMA user_version = 3")
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    v3 = sqlite3.connect(":memory:")
    for script in MIGRATIONS[:3]:
        for statement in statements(script):
            v3.execute(statement)
    assert schema == v3.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_v3_cache_migrates_with_its_rows_counts_and_filter(tmp_path, monkeypatch):
    path = tmp_path / "v3.sqlite3"
    meetings = [make_meeting(i, title=t) for i, t in enumerate(TITLES)]
    meetings += [make_meeting(100 + i, account="other", title=t)
                 for i, t in enumerate(TITLES[:6])]
    _v3_file(path, meetings)
    c = Cache(path)
    assert c.schema_version == SCHEMA_VERSION and c._fts
    assert "seen_gen" in _index_columns(c, "meetings_by_account_start")
    assert c.count(["acc"]) == len(TITLES) and c.count(["other"]) == 6 and c.count() == 26
    for query in QUERIES:
        found = _ids(c, query)
        c._fts = False
        assert found == _ids(c, query), query
        c._fts = True
    c.close()
    # Opening it again scans nothing: no statement reads the meetings table.
    seen = trace_cache_sql(monkeypatch)
    Cache(path).close()
    reads = [s for s in seen if re.search(r"\b(FROM|JOIN|UPDATE|INTO) meetings(?!_)\b", s)
             or "rebuild" in s]
    assert seen and reads == []


@pytest.mark.parametrize("order", [Order(), Order("start", True), Order("title"),
                                   Order("title", True), Order("status"), Order("end", True)])
@pytest.mark.parametrize("query", ["", "e", "demo", "account:acc"])
def test_reading_by_key_either_way_gives_the_rows_offsets_gave(filled, order, query):
    everything = filled.window(None, query, limit=1000, order=order, now=NOW)
    forward, anchor = [], None
    while True:
        rows = filled.rows(None, query, anchor=anchor, limit=4, order=order, now=NOW)
        forward += [m for _, m in rows]
        if len(rows) < 4:
            break
        anchor = rows[-1][0]
    backward, anchor = [], None
    while True:
        rows = filled.rows(None, query, anchor=anchor, backward=True, limit=3, order=order,
                           now=NOW)
        backward = [m for _, m in rows] + backward
        if len(rows) < 3:
            break
        anchor = rows[0][0]
    assert forward == everything == backward


def _blocks(c: Cache, *, size: int) -> RowBlocks:
    """The list's blocks over account `acc` of `c`, `size` rows each, four kept."""
    return RowBlocks(lambda r: c.stored_rows(["acc"], "", anchor=r.anchor,
                                             backward=r.backward, inclusive=r.inclusive,
                                             skip=r.skip, limit=r.limit, now=NOW),
                     size=size, keep=4)


def test_blocks_are_read_next_to_a_known_row_never_skipping(tmp_path):
    c = Cache(tmp_path / "c.sqlite3")
    n = 1000
    c.upsert_page("acc", [make_meeting(i) for i in range(n)])
    blocks = _blocks(c, size=64)
    blocks.reset(c.count(["acc"]))
    assert blocks.meeting(n - 1).id == "m000999"          # End: the last block, backwards
    assert blocks.reads[-1] == Read(None, True, n - 15 * 64)
    for index in range(n - 1, -1, -7):                     # then all the way up
        assert blocks.meeting(index).id == f"m{index:06d}"
    assert blocks.meeting(5).id == "m000005"
    assert all(r.skip == 0 for r in blocks.reads)
    # The cursor's row, found by `locate`, is read around without skipping either.
    place = c.locate(["acc"], target=("acc", "m000500"), near=0, now=NOW)
    assert (place.count, place.index) == (n, 500)
    assert c.locate(["acc"], target=("acc", "m000500"), near=n, now=NOW).index == 500
    blocks.reset(place.count, (place.index, place.key))
    assert [blocks.meeting(i).id for i in (448, 500, 511, 512, 447)] == [
        "m000448", "m000500", "m000511", "m000512", "m000447"]
    assert all(r.skip == 0 for r in blocks.reads)
    # A jump far from every known row skips the fewest rows it can.
    assert blocks.meeting(700).id == "m000700"
    assert blocks.reads[-1].skip == 640 - 575 - 1
    c.close()


def test_locate_filtered_counts_and_places_in_one_go(filled):
    for fts in (True, False):
        filled._fts = fts
        place = filled.locate(None, "demo", target=("acc", "m000001"), now=NOW)
        assert (place.count, place.index) == (4, 1)
        assert filled.locate(None, "demo", target=("acc", "m000005"), now=NOW).index is None
        assert filled.locate(None, "e", target=("other", "m000101"), now=NOW).index == \
            [m.key for m in filled.window(None, "e", limit=99, now=NOW)].index(
                ("other", "m000101"))


@pytest.mark.parametrize("query", ["demo", "", "status:scheduled"])
def test_locate_with_a_target_and_home_gives_the_home_when_the_target_is_out(filled,
                                                                             query):
    # One call for a filter that leaves the cursor's meeting out: its place, else where
    # the view opens, marked as such (the list goes there, not to the old row number).
    for fts in (True, False):
        filled._fts = fts
        home = filled.locate(None, query, home=True, now=NOW)
        assert not home.home
        shown = filled.window(None, query, limit=1, now=NOW)[0].key
        inside = filled.locate(None, query, target=shown, home=True, now=NOW)
        alone = filled.locate(None, query, target=shown, now=NOW)
        assert alone.index is not None
        assert (inside.count, inside.index, inside.home) == (alone.count, alone.index, False)
        out = filled.locate(["other"], query, target=("acc", "m000001"), home=True, now=NOW)
        opens = filled.locate(["other"], query, home=True, now=NOW)
        assert (out.count, out.index, out.key, out.home) == (
            opens.count, opens.index, opens.key, True)


def test_a_block_decodes_only_the_rows_asked_for_once_each(tmp_path, monkeypatch):
    from meettui.core import cache_window

    c = Cache(tmp_path / "c.sqlite3")
    c.upsert_page("acc", [make_meeting(i) for i in range(200)])
    decoded: list[str] = []
    real = cache_window._meeting

    def counted(row):
        meeting = real(row)
        decoded.append(meeting.id)
        return meeting

    monkeypatch.setattr(cache_window, "_meeting", counted)
    blocks = _blocks(c, size=128)
    blocks.reset(c.count(["acc"]))
    shown = [blocks.meeting(i).id for i in range(35)]  # a screenful of a 128-row block
    assert shown == [f"m{i:06d}" for i in range(35)]
    assert decoded == shown
    assert blocks.meeting(3).id == "m000003" and len(decoded) == 35  # kept, not again
    # The eager read (the CLI's) still decodes every row it returns.
    decoded.clear()
    assert len(c.rows(["acc"], "", limit=50, now=NOW)) == 50 and len(decoded) == 50
