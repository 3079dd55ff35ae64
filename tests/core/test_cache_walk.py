"""The plans a filtered read or count may take (`cache_window.py`, `cache_walk.py`):
rowids from the index sorted, the order's index walked against the index's matches,
and the order's index walked testing words with LIKE (whole, or bounded and then
handing over to the index). Every plan must give exactly the rows, order, count and
places the LIKE path gives."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factories import T0, make_meeting
from meettui.core import cache_window
from meettui.core.cache import Cache
from meettui.core.search import Order

NOW = T0 + timedelta(minutes=100)  # the first ~70 meetings are over (status:ended)


def _title(i: int) -> str:
    words = []
    if i < 150 and i % 8 == 0:
        words.append("Demo")           # dense, then none: bounded walks run dry
    if i % 3 == 0:
        words.append("zed")            # everywhere
    if 270 <= i < 300:
        words.append("late")           # only at the end
    return " ".join(words) or f"plain {i}"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    c = Cache(tmp_path_factory.mktemp("walk") / "c.sqlite3")
    c.upsert_page("acc", [make_meeting(i, title=_title(i)) for i in range(300)])
    c.upsert_page("other", [make_meeting(1000 + i, account="other", title=_title(i))
                            for i in range(0, 300, 3)])
    yield c
    c.close()


PLANS = {
    # Matches fetched by rowid and sorted: what a small cache does anyway.
    "sorted": {},
    # The order's index walked, tested against the index's list of matches.
    "listed": {"SPARSE": 0, "WALK_SHARE": 0, "COUNT_SHARE": 0},
    # Walks with LIKE that never run out of rows to test.
    "walked": {"SPARSE": 0, "WALK_SHARE": 1e9, "WALK_SPREAD": 1e9, "COUNT_SHARE": 1e9},
    # Walks bounded to the rows a read wants, so most stop short and hand over.
    "bounded": {"SPARSE": 0, "WALK_SHARE": 1e9, "WALK_SPREAD": 0, "COUNT_SHARE": 0.3},
}
QUERIES = ["demo", "zed", "late", "zed demo", "status:ended zed", "account:oth zed",
           "de zed", "nomatch", "demo late", "status:scheduled late"]
ORDERS = [Order(), Order("start", True), Order("title"), Order("end", True), Order("status"),
          Order("account")]


def _walked(c: Cache, accounts, query: str, order: Order, limit: int, backward: bool):
    """Every row, read by key `limit` at a time (backwards from the end, `backward`)."""
    out: list = []
    anchor = None
    while True:
        rows = c.rows(accounts, query, anchor=anchor, backward=backward, limit=limit,
                      order=order, now=NOW)
        out = [m.key for _, m in rows] + out if backward else out + [m.key for _, m in rows]
        if len(rows) < limit:
            return out
        anchor = rows[0][0] if backward else rows[-1][0]


def _seen(c: Cache, accounts, query: str, order: Order) -> tuple:
    forward = _walked(c, accounts, query, order, 4, False)
    backward = _walked(c, accounts, query, order, 3, True)
    targets = [("acc", f"m{i:06d}") for i in range(0, 300, 7)]
    targets += [("other", f"m{1000 + i:06d}") for i in range(0, 300, 33)]
    places = [c.locate(accounts, query, target=t, order=order, now=NOW) for t in targets]
    if order == Order():  # what is on now or next: the start order's own
        places += [c.locate(accounts, query, home=True, now=when)
                   for when in (T0, NOW, T0 + timedelta(minutes=280), T0 + timedelta(days=9))]
    # A block read around the cursor's row, as the list does after a reload.
    around = []
    for place in places[::3]:
        if place.key is not None:
            before = c.rows(accounts, query, anchor=place.key, backward=True, limit=5,
                            order=order, now=NOW)
            after = c.rows(accounts, query, anchor=place.key, inclusive=True, limit=5,
                           order=order, now=NOW)
            around.append([m.key for _, m in before + after])
    return (forward, backward, [(p.count, p.index, p.key) for p in places], around,
            c.count(accounts, query, now=NOW))


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("order", ORDERS, ids=lambda o: f"{o.key}{'-desc' * o.descending}")
def test_every_plan_reads_counts_and_places_what_like_does(cache, monkeypatch, plan, order):
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(cache_window, name, value)
    for accounts in (None, ["acc"], ["acc", "other"]):
        for query in QUERIES:
            cache._fts = True
            indexed = _seen(cache, accounts, query, order)
            cache._fts = False
            try:
                assert indexed == _seen(cache, accounts, query, order), (accounts, query)
            finally:
                cache._fts = True
            assert indexed[0] == indexed[1]


def test_a_broad_word_is_read_and_placed_without_listing_its_matches(cache, monkeypatch):
    monkeypatch.setattr(cache_window, "SPARSE", 0)
    seen: list[str] = []
    cache._conn.set_trace_callback(seen.append)
    try:
        place = cache.locate(None, "zed", target=("acc", "m000003"), now=NOW)
        rows = cache.rows(None, "zed", anchor=place.key, inclusive=True, limit=8, now=NOW)
    finally:
        cache._conn.set_trace_callback(None)
    assert (place.count, place.index) == (200, 1)
    assert [m.id for _, m in rows] == [f"m{i:06d}" for i in range(3, 27, 3)]
    # The index is asked how many rows match, and nothing else.
    assert [s for s in seen if "MATCH" in s] == [
        "SELECT COUNT(*) FROM meetings_fts WHERE meetings_fts MATCH '\"zed\"'"]


def test_a_sparse_filter_sorts_its_matches_once_a_keystroke(cache):
    # As the list reloads on a filter keystroke: the count and the place of the
    # cursor's meeting (left out by the filter: the home instead), then the blocks
    # above and below it. Each asked SQLite to fetch and sort every match again.
    seen: list[str] = []
    cache._conn.set_trace_callback(seen.append)
    try:
        place = cache.locate(None, "late", target=("acc", "m000003"), home=True, now=NOW)
        before = cache.rows(None, "late", anchor=place.key, backward=True, limit=5, now=NOW)
        after = cache.rows(None, "late", anchor=place.key, inclusive=True, limit=5, now=NOW)
    finally:
        cache._conn.set_trace_callback(None)
    assert (place.count, place.index, place.home) == (40, 0, True)
    assert before == [] and [m.id for _, m in after][:2] == ["m000270", "m000271"]
    assert len([s for s in seen if "NOT INDEXED" in s]) == 1


def test_the_sorted_matches_follow_every_write(tmp_path):
    path = tmp_path / "c.sqlite3"
    c, other = Cache(path), Cache(path)
    try:
        c.upsert_page("acc", [make_meeting(i, title=f"late {i}" if i % 2 else "x")
                              for i in range(20)])
        assert c.count(["acc"], "late", now=NOW) == 10
        ids = [m.id for _, m in c.rows(["acc"], "late", skip=2, limit=3, now=NOW)]
        assert ids == ["m000005", "m000007", "m000009"]
        c.upsert_page("acc", [make_meeting(4, title="late too")])  # this connection
        assert c.count(["acc"], "late", now=NOW) == 11
        ids = [m.id for _, m in c.rows(["acc"], "late", skip=2, limit=3, now=NOW)]
        assert ids == ["m000004", "m000005", "m000007"]
        other.upsert_page("acc", [make_meeting(6, title="late as well")])  # another one
        assert c.count(["acc"], "late", now=NOW) == 12
        place = c.locate(["acc"], "late", target=("acc", "m000006"), now=NOW)
        assert (place.count, place.index) == (12, 4)
        last = c.rows(["acc"], "late", backward=True, skip=1, limit=2, now=NOW)
        assert [m.id for _, m in last] == ["m000015", "m000017"]
    finally:
        c.close()
        other.close()
