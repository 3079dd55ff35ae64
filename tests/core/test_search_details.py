"""What the filter searches of a meeting's details: only the values each provider calls
data (`Capabilities.searchable_details`), never meettui's own explanations; and how a
cache written before that rule gets the new text (`core/cache_retext.py`).

The demo is the tester's ground: "whiteboard" matched 120 Vonage rooms (a feature every
room lists), "anyone with a link" 90 ("Available: yes: anyone with a link can join")
and "'" 139 ("none (Vonage's standard look)")."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from pathlib import Path

import pytest

from meettui.core import cache_fts, cache_retext
from meettui.core.cache import Cache
from meettui.core.cache_rows import _payload_search_text, _storable
from meettui.core.cache_schema import SCHEMA_VERSION
from meettui.core.config import load_config
from meettui.core.models import Meeting
from meettui.core.registry import provider_class, provider_kinds, searched_details
from meettui.core.service import MeetingService

TESTER_QUERIES = ["whiteboard", "anyone with a link", "'"]


def data_text(meeting: Meeting) -> str:
    """The promise, written out apart from the code: title, id, account, the provider's
    data details, and every link that is not sensitive with its code."""
    labels = provider_class(meeting.provider).capabilities.searchable_details
    parts = [meeting.title, meeting.id, meeting.account]
    parts += [meeting.details[label] for label in labels if label in meeting.details]
    for link in meeting.links:
        if not link.sensitive:
            parts += [link.url, link.code or ""]
    return " ".join(parts).casefold()


def _demo(tmp: Path) -> MeetingService:
    """Every demo account synced into a fresh cache at `tmp`, the index caught up."""
    from meettui import demo
    from meettui.core.clock import SYSTEM_CLOCK

    service = MeetingService(load_config(tmp / "none.toml"), Cache(tmp / "c.sqlite3"),
                             clock=SYSTEM_CLOCK)
    demo.install(service)

    async def sync() -> None:
        try:
            for account in service.config.accounts:
                if service.capabilities(account.name).remote_list:
                    await service.sync_all(account.name)
        finally:
            await service.aclose()

    asyncio.run(sync())
    service.catch_up_index()
    return service


@pytest.fixture(scope="module")
def demo_service(tmp_path_factory):
    service = _demo(tmp_path_factory.mktemp("demo"))
    yield service
    service.cache.close()


def found(cache: Cache, query: str) -> dict[str, list[tuple[str, str]]]:
    """The keys `query` finds through the full-text index and through LIKE alone: the
    two must agree, so both are returned for the caller to compare."""
    assert cache._fts
    with_index = [m.key for m in cache.window(None, query, limit=100_000)]
    cache._fts = False
    try:
        with_like = [m.key for m in cache.window(None, query, limit=100_000)]
    finally:
        cache._fts = True
    return {"index": with_index, "like": with_like}


def everything(cache: Cache) -> list[Meeting]:
    return cache.window(None, "", limit=100_000)


def test_the_demo_has_every_provider_and_the_explanations(demo_service):
    meetings = everything(demo_service.cache)
    kinds = {m.provider for m in meetings}
    assert {k for k in provider_kinds() if provider_class(k).capabilities.remote_list} <= kinds
    # The tester's texts are there, in details the filter no longer searches.
    values = " ".join(v for m in meetings for v in m.details.values()).casefold()
    assert "whiteboard" in values and "anyone with a link" in values and "'" in values


@pytest.mark.parametrize("query", TESTER_QUERIES)
def test_the_testers_queries_match_no_explanation(demo_service, query):
    cache = demo_service.cache
    got = found(cache, query)
    assert got["index"] == got["like"]
    words = query.casefold().split()
    expected = sorted(m.key for m in everything(cache)
                      if all(w in data_text(m) for w in words))
    assert sorted(got["like"]) == expected
    if query != "'":
        assert expected == []   # only explanations held these words


def _sample(meetings: list[Meeting], per_kind: int = 4) -> list[Meeting]:
    seen: dict[str, int] = {}
    picked = []
    for m in meetings:
        if seen.get(m.provider, 0) < per_kind:
            seen[m.provider] = seen.get(m.provider, 0) + 1
            picked.append(m)
    return picked


def test_data_details_match_and_other_details_only_through_data(demo_service):
    """For a few meetings of each provider: every data detail's value (a 24sessions
    guest's name and email, an eyeson host, a Whereby room, Accelevents speakers, ...)
    finds its meeting; any other detail's value finds it only when its data holds it."""
    cache = demo_service.cache
    checked_data = checked_other = 0
    for meeting in _sample(everything(cache)):
        labels = searched_details(meeting.provider)
        for label, value in meeting.details.items():
            if not value.strip() or value == "—" or '"' in value:
                continue
            got = found(cache, f'"{value}"')
            assert got["index"] == got["like"], (label, value)
            if label in labels:
                assert meeting.key in got["like"], (meeting.provider, label, value)
                checked_data += 1
            else:
                expected = value.casefold() in data_text(meeting)
                assert (meeting.key in got["like"]) == expected, (meeting.provider, label,
                                                                  value)
                checked_other += 1
    assert checked_data > 10 and checked_other > 30


@pytest.mark.parametrize(("kind", "label", "part"), [
    ("24sessions", "Guest", 0),          # the name
    ("24sessions", "Guest", -1),         # the <email>
    ("eyeson", "Hosts", 0),
    ("whereby", "Room", 0),
    ("accelevents", "Speakers", 0),
])
def test_a_word_of_a_data_detail_finds_its_meeting(demo_service, kind, label, part):
    cache = demo_service.cache
    meeting = next(m for m in everything(cache)
                   if m.provider == kind and m.details.get(label, "—") != "—")
    word = meeting.details[label].replace(",", " ").split()[part].strip("<>")
    got = found(cache, word)
    assert got["index"] == got["like"] and meeting.key in got["like"]


def test_a_vonage_meeting_code_finds_its_room_without_its_explanation(demo_service):
    cache = demo_service.cache
    room = next(m for m in everything(cache) if m.provider == "vonage"
                and any(link.code for link in m.links))
    code = next(link.code for link in room.links if link.code)
    assert code in room.details["Meeting code"] and "(" in room.details["Meeting code"]
    got = found(cache, code)
    assert got["index"] == got["like"] and room.key in got["like"]
    assert found(cache, "instead of scanning") == {"index": [], "like": []}


def test_host_links_never_match(demo_service):
    cache = demo_service.cache
    hosts = [(m, link.url) for m in everything(cache) for link in m.links if link.sensitive]
    assert {m.provider for m, _ in hosts} >= {"whereby", "24sessions", "vonage", "eyeson"}
    for meeting, url in _sample_links(hosts):
        got = found(cache, f'"{url}"')
        assert got["index"] == got["like"] == [], (meeting.provider, url)


def _sample_links(hosts, per_kind: int = 3):
    seen: dict[str, int] = {}
    for meeting, url in hosts:
        if seen.get(meeting.provider, 0) < per_kind:
            seen[meeting.provider] = seen.get(meeting.provider, 0) + 1
            yield meeting, url


def test_every_searchable_label_is_one_its_provider_writes():
    """A misspelt label would quietly search nothing: each is a string its provider's
    code (or, for imported links, `core/importing.py`, which makes them) writes."""
    src = Path(inspect.getfile(Cache)).parents[1]
    for kind in provider_kinds():
        labels = searched_details(kind)
        module = Path(inspect.getfile(provider_class(kind)))
        folder = module.parent if module.name == "__init__.py" or module.parent.name != \
            "providers" else module
        text = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.py"))
        text += (src / "core" / "importing.py").read_text(encoding="utf-8")
        for label in labels:
            assert f'"{label}"' in text or f"details[\"{label}\"]" in text, (kind, label)


# -- a cache written before the rule ---------------------------------------------------


def _old_text(meeting: Meeting, title: str) -> str:
    """The search text meettui wrote before: every detail's value."""
    parts = [title, meeting.id, meeting.account, *meeting.details.values()]
    parts += [link.url for link in meeting.links if not link.sensitive]
    return _storable(" ".join(parts).casefold())


def _as_v5(path: Path, meetings: list[Meeting]) -> dict[tuple[str, str], str]:
    """A cache at `path` as meettui left it before v6: `meetings` with the old search
    text, the full-text index in step with it. Returns the text each row has under the
    new rule (what a write makes now)."""
    c = Cache(path)
    c.search_details(searched_details)
    for account in sorted({m.account for m in meetings}):
        c.upsert_page(account, [m for m in meetings if m.account == account])
    c.catch_up_index()
    c.close()
    conn = sqlite3.connect(path, isolation_level=None)
    rows = conn.execute("SELECT account, id, title, search_fold FROM meetings").fetchall()
    by_key = {m.key: m for m in meetings}
    conn.execute("BEGIN")
    for account, mid, title, _ in rows:
        conn.execute("UPDATE meetings SET search_fold = ? WHERE account = ? AND id = ?",
                     (_old_text(by_key[(account, mid)], title), account, mid))
    cache_fts.catch_up(conn, 1_000_000)   # the index holds the old text, as it did
    conn.execute("DROP TABLE search_retext")
    conn.execute("DROP TABLE row_writes")  # and what v7 to v11 added
    conn.execute("DROP TABLE replacements")
    conn.execute("ALTER TABLE meetings DROP COLUMN known_since")
    conn.execute("ALTER TABLE sync_state DROP COLUMN last_error_health")
    conn.execute("ALTER TABLE sync_state DROP COLUMN last_error_until")
    conn.execute("ALTER TABLE meetings DROP COLUMN written")  # v11's
    conn.execute("ALTER TABLE sync_state DROP COLUMN walk_since")
    conn.execute("DROP TABLE deletions")
    conn.execute("PRAGMA user_version = 5")
    conn.execute("COMMIT")
    conn.close()
    return {(account, mid): text for account, mid, _, text in rows}


def _texts(c: Cache) -> dict[tuple[str, str], str]:
    return {(a, i): t for a, i, t in c._conn.execute(
        "SELECT account, id, search_fold FROM meetings")}


@pytest.fixture(scope="module")
def demo_meetings(demo_service):
    return everything(demo_service.cache)


def test_an_old_cache_gets_the_new_text_in_the_background(tmp_path, demo_meetings):
    path = tmp_path / "old.sqlite3"
    new = _as_v5(path, demo_meetings)
    c = Cache(path)
    c.search_details(searched_details)
    try:
        assert c.schema_version == SCHEMA_VERSION and c.index_waiting()
        # Until the catch-up has been through them, old rows keep their old text.
        assert len(found(c, "whiteboard")["like"]) > 0
        done = c.catch_up_index()
        assert done >= len(demo_meetings)
        assert not c.index_waiting() and cache_fts.pending(c._conn) == 0
        assert _texts(c) == new     # remade from the payload exactly as a write makes it
        for query in TESTER_QUERIES[:2]:
            assert found(c, query) == {"index": [], "like": []}
        got = found(c, "'")
        assert got["index"] == got["like"] and len(got["like"]) < 139
        assert c.catch_up_index() == 0
    finally:
        c.close()


def test_the_migration_only_queues_rows_and_reads_none(tmp_path, demo_meetings,
                                                         monkeypatch):
    from factories import trace_cache_sql

    path = tmp_path / "old.sqlite3"
    _as_v5(path, demo_meetings[:50])
    seen = trace_cache_sql(monkeypatch)
    c = Cache(path)
    c.close()
    conn = sqlite3.connect(path)
    plans = [row[-1] for s in seen if "search_retext" in s and "INSERT" in s
             for row in conn.execute("EXPLAIN QUERY PLAN " + s)]
    queued = conn.execute("SELECT next, last FROM search_retext").fetchall()
    conn.close()
    assert plans and not [p for p in plans if p.startswith("SCAN meetings")]
    assert queued == [(1, 50)]


def test_without_the_providers_labels_queued_rows_wait(tmp_path, demo_meetings):
    path = tmp_path / "old.sqlite3"
    _as_v5(path, demo_meetings[:20])
    c = Cache(path)   # no service: the labels are not known, so nothing is remade
    try:
        before = _texts(c)
        c.catch_up_index()
        assert cache_retext.waiting(c._conn) and _texts(c) == before
    finally:
        c.close()


def test_remaking_goes_in_batches_and_notes_only_what_changed(tmp_path, demo_meetings):
    path = tmp_path / "old.sqlite3"
    new = _as_v5(path, demo_meetings[:30])
    c = Cache(path)
    c.search_details(searched_details)
    try:
        with c._transaction() as conn:
            assert cache_retext.retext(conn, c._labels, 12) == 12
            assert conn.execute("SELECT next FROM search_retext").fetchone()[0] == 13
            assert cache_fts.pending(conn) == 12       # each changed row is noted
        assert cache_retext.retext_all(c._transaction, c._labels, batch=7) == 18
        assert not cache_retext.waiting(c._conn) and _texts(c) == new
        c.catch_up_index()
        # Queued again (as a later version would): nothing differs, nothing is noted.
        with c._transaction() as conn:
            conn.execute("INSERT INTO search_retext VALUES (1, 30)")
        assert cache_retext.retext_all(c._transaction, c._labels) == 30
        assert cache_fts.pending(c._conn) == 0
    finally:
        c.close()


def test_a_payload_that_is_not_json_keeps_its_text():
    assert _payload_search_text("t", "i", "a", "{not json", ()) is None
    assert _payload_search_text("t", "i", "a", "[1, 2]", ()) is None
    text = _payload_search_text("T", "I", "A", '{"details": {"Room": "R", "Opens": "x"}, '
                                '"links": [{"url": "https://g", "sensitive": false, '
                                '"code": "123"}, {"url": "https://h", "sensitive": true}]}',
                                ("Room",))
    assert text == "t i a r https://g 123"
