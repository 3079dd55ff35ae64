"""The list's query language, orders and "now" over the cache, all in SQL (issue 12)."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from factories import T0, make_meeting
from meettui.core.cache import Cache
from meettui.core.cache_schema import MIGRATIONS
from meettui.core.models import Link, Role, Status
from meettui.core.search import DEFAULT_ORDER, Order, Search, parse_query

NOW = T0 + timedelta(minutes=30)


def test_parse_query_terms_words_and_phrases():
    assert parse_query('account:team status:li "call 03" Standup https://x') == Search(
        accounts=("team",), statuses=("live",), words=("call 03", "standup", "https://x"))
    assert parse_query("status:—").statuses == ("unknown",)
    assert parse_query("").empty


@pytest.fixture
def cache(tmp_path):
    c = Cache(tmp_path / "c.sqlite3")
    rows = [
        make_meeting(0, account="a", title="Zulu review"),          # 09:00-09:30: over
        make_meeting(1, account="a", title="alpha standup"),         # started, on
        make_meeting(5, account="b", title="Mike sync").model_copy(update={
            "starts_at": NOW + timedelta(hours=2), "ends_at": NOW + timedelta(hours=3)}),
        make_meeting(6, account="b", title="No times").model_copy(update={
            "starts_at": None, "ends_at": None, "status": Status.UNKNOWN}),
    ]
    for row in rows:
        c.upsert(row)
    yield c
    c.close()


def titles(cache, query="", order=DEFAULT_ORDER):
    return [m.title for m in cache.window(None, query, order=order, now=NOW, limit=50)]


def test_account_status_and_words_filter_in_sql(cache):
    assert titles(cache, "account:b") == ["Mike sync", "No times"]
    assert titles(cache, "status:ended") == ["Zulu review"]
    assert titles(cache, "status:started") == ["alpha standup"]
    assert titles(cache, "status:scheduled") == ["Mike sync"]
    assert titles(cache, "status:unknown") == ["No times"]
    assert titles(cache, "x.whereby.com/r5") == ["Mike sync"]   # a guest link
    assert titles(cache, "m000006") == ["No times"]             # an id
    assert titles(cache, "roomKey=k5") == []                    # never a host link
    assert cache.count(None, "account:a status:started", now=NOW) == 1


def test_gone_is_a_status_of_its_own(cache):
    cache.mark_missing("a", "m000001")
    assert titles(cache, "status:gone") == ["alpha standup"]
    gone = cache.get("a", "m000001")
    assert gone.status_label(NOW) == "gone"


@pytest.mark.parametrize(("order", "expected"), [
    (Order("title"), ["alpha standup", "Mike sync", "No times", "Zulu review"]),
    (Order("title", True), ["Zulu review", "No times", "Mike sync", "alpha standup"]),
    (Order("account", True), ["No times", "Mike sync", "alpha standup", "Zulu review"]),
    (Order("end"), ["Zulu review", "alpha standup", "Mike sync", "No times"]),
    (Order("status"), ["Zulu review", "Mike sync", "alpha standup", "No times"]),
])
def test_orders_and_index_of_agree(cache, order, expected):
    assert titles(cache, order=order) == expected
    for index, meeting in enumerate(cache.window(None, order=order, now=NOW, limit=50)):
        assert cache.index_of(meeting.account, meeting.id, order=order, now=NOW) == index


def test_first_not_over_is_what_is_on_now_or_next(cache):
    assert cache.first_not_over(now=NOW) == 1            # alpha standup, started 29m ago
    assert cache.first_not_over(["b"], now=NOW) == 0      # Mike sync, in 2h
    late = NOW + timedelta(days=1)
    assert cache.first_not_over(["a"], now=late) is None


def test_a_live_meeting_without_an_end_is_on_now_until_the_provider_says_not(tmp_path):
    # An hour after its start a live room with no end counted as over: the list opened
    # past it, where "Jump to now" (`Meeting.effective_status`) went to it.
    c = Cache(tmp_path / "live.sqlite3")
    running = make_meeting(1, account="a", title="Running").model_copy(update={
        "starts_at": NOW - timedelta(hours=3), "ends_at": None, "status": Status.LIVE})
    quiet = make_meeting(2, account="a", title="Quiet").model_copy(update={
        "starts_at": NOW - timedelta(hours=2), "ends_at": None})
    c.upsert_page("a", [running, quiet])
    assert c.first_not_over(now=NOW) == 0
    c.upsert_page("a", [running.model_copy(update={"status": Status.ENDED}), quiet])
    assert c.first_not_over(now=NOW) is None
    c.close()


def test_status_labels():
    m = make_meeting(1)
    assert m.status_label(m.starts_at - timedelta(minutes=1)) == "scheduled"
    assert m.status_label(m.starts_at + timedelta(minutes=5)) == "started"
    assert m.model_copy(update={"status": Status.UNKNOWN, "starts_at": None,
                                "ends_at": None}).status_label(NOW) == "—"
    assert m.model_copy(update={"missing": True}).status_label(NOW) == "gone"


def test_v2_cache_is_migrated_with_end_keys_and_search_text(tmp_path):
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.executescript(MIGRATIONS[1])
    m = make_meeting(3).model_copy(update={"links": [Link(role=Role.GUEST, url="https://g/x")]})
    conn.execute(
        "INSERT INTO meetings (account, id, provider, title, title_fold, start_key, status, "
        "payload, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        ("acc", m.id, m.provider, m.title, m.title.casefold(), m.starts_at.timestamp(),
         m.status.value, m.model_dump_json(), time.time()))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    c = Cache(path)
    assert c.window(None, "end:x m000003", now=NOW) == []  # "end:x" is a plain word
    assert [x.id for x in c.window(None, "m000003", now=NOW)] == ["m000003"]
    over = datetime(2026, 11, 24, 9, 40, tzinfo=UTC)     # after its 09:33 end
    assert c.first_not_over(now=over) is None
    c.close()


def test_cli_list_query_uses_the_same_search(monkeypatch, tmp_path, capsys):
    import json

    from cli_helpers import isolate_paths, run_cli

    env = isolate_paths(monkeypatch, tmp_path)
    for title in ("Weekly standup", "Customer call"):
        code, out, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", title, "--json")
        assert code == 0
    room = json.loads(out)["links"][0]["url"].rsplit("/", 1)[1]
    code, out, _ = run_cli(capsys, "list", "--offline", "--json", "--query",
                           f"account:jitsi {room}")
    assert code == 0 and [m["title"] for m in json.loads(out)["meetings"]] == ["Customer call"]
    assert env.exists()


def test_cli_list_query_indexes_what_waits_first(monkeypatch, tmp_path, capsys):
    import json

    from cli_helpers import isolate_paths, run_cli
    from meettui.core import cache_fts

    isolate_paths(monkeypatch, tmp_path)
    for title in ("Weekly standup", "Customer call"):
        assert run_cli(capsys, "create", "-a", "jitsi", "-t", title)[0] == 0
    monkeypatch.setattr(cache_fts, "INLINE", 0)   # a search alone would not catch up
    code, out, _ = run_cli(capsys, "list", "--offline", "--json", "--query", "customer")
    assert code == 0 and [m["title"] for m in json.loads(out)["meetings"]] == ["Customer call"]
    c = Cache(tmp_path / "cache.sqlite3")
    assert cache_fts.pending(c._conn) == 0 and c.catch_up_index() == 0
    c.close()


def test_terms_that_can_match_nothing_are_named():
    from meettui.core.search import parse_query, unknown_terms

    said = unknown_terms(parse_query("status:bogus account:nope status:sched account:team x"),
                         ["team", "desk"])
    assert said == ["no status 'bogus' (use scheduled, started, live, ended, expired, "
                    "cancelled, gone, unknown)", "no account 'nope' (there are team, desk)"]
    assert unknown_terms(parse_query("status:live account:desk standup"), ["desk"]) == []
    # The filter finds accounts whose name holds the term, in any case: so does this.
    assert unknown_terms(parse_query("account:Vonage x"), ["vonage-sim", "desk"]) == []
