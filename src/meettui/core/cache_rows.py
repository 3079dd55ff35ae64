"""How meetings are stored in and read from the cache's rows: the sort keys, the search
text, the payload (with credentials scrubbed and text SQLite can store), the SQL of
statuses, orders and filters, and reading a row back (skipping one that no longer
validates). `cache_connection.py` opens the file, `cache_transactions.py` holds its
transactions, `cache.py` the queries' shapes."""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import chain
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from meettui.core.cache_fts import MIN_INDEXED, match_clause, match_expression
from meettui.core.cache_sql import _NOT_OVER_SQL as _NOT_OVER_SQL
from meettui.core.cache_sql import _STATUS_SQL as _STATUS_SQL
from meettui.core.cache_sql import _account_clauses as _account_clauses
from meettui.core.cache_sql import _like_pattern as _like_pattern
from meettui.core.cache_sql import _order_columns as _order_columns
from meettui.core.models import Meeting
from meettui.core.redact import scrub_secrets, secret_scrubber
from meettui.core.search import parse_query

_log = logging.getLogger("meettui.cache")

# Sorts meetings without a start after every dated one.
NO_START = 1e18



def _start_key(meeting: Meeting) -> float:
    return meeting.starts_at.timestamp() if meeting.starts_at else NO_START


def _time_key(moment: datetime | None) -> float:
    return moment.timestamp() if moment else NO_START


LabelsOf = Callable[[str], tuple[str, ...]]
"""A provider kind → the labels of its details the filter searches (`SearchLabels`)."""

# The providers' "not known" in a detail: no data, so not searched.
_UNKNOWN = "—"


def _no_labels(kind: str) -> tuple[str, ...]:
    return ()


class SearchLabels:
    """The labels of each provider kind's details the filter searches
    (`Capabilities.searchable_details`), asked of `source` once per kind and kept: the
    cache imports no provider, so the service hands it `registry.searched_details`.
    Without a source no detail is searched (title, ids and shareable links are)."""

    def __init__(self, source: LabelsOf | None = None) -> None:
        self.given = source is not None
        self._source = source or _no_labels
        self._known: dict[str, tuple[str, ...]] = {}

    def __call__(self, kind: str) -> tuple[str, ...]:
        labels = self._known.get(kind)
        if labels is None:
            labels = self._known[kind] = tuple(self._source(kind))
        return labels


def _search_text(meeting: Meeting, title: str,
                 scrub: Callable[[str], str] = scrub_secrets,
                 labels: tuple[str, ...] = ()) -> str:
    """What a filter word is matched against (`_search_fold`) for a meeting being
    written, `title` as it is stored."""
    return _search_fold(title, meeting.id, meeting.account, meeting.details,
                        ((link.url, link.sensitive, link.code) for link in meeting.links),
                        labels, scrub)


def _payload_search_text(title: str, meeting_id: str, account: str, payload: str,
                         labels: tuple[str, ...],
                         scrub: Callable[[str], str] = scrub_secrets) -> str | None:
    """`_search_fold` of a stored row: its title, id and account columns and its
    payload's details and links, read as JSON (no model: a twentieth of the time, for
    remaking the text of every cached row, `cache_retext.py`). None for a payload that
    is not a meeting's JSON (its row keeps its text)."""
    try:
        data = json.loads(payload)
        links = ((link.get("url"), link.get("sensitive"), link.get("code"))
                 for link in data.get("links") or [])
        text = _search_fold(title, meeting_id, account, data.get("details") or {}, links,
                            labels, scrub)
    except (ValueError, AttributeError, TypeError):
        return None
    return _storable(text)


def _search_fold(title: str, meeting_id: str, account: str, details: dict[str, Any],
                 links: Iterable[tuple[Any, Any, Any]], labels: tuple[str, ...],
                 scrub: Callable[[str], str]) -> str:
    """What a filter word is matched against, casefolded and scrubbed: the title, id and
    account, the values of the details under `labels` (the provider's
    `searchable_details`: data, never meettui's explanations), and the links anyone may
    see (`links`: url, sensitive, code) with their codes. Host links (and every token)
    stay out: a search must not probe secrets."""
    parts = [title, meeting_id, account]
    for label in labels:
        value = details.get(label)
        if isinstance(value, str) and value and value != _UNKNOWN:
            parts.append(value)
    for url, sensitive, code in links:
        if not sensitive and isinstance(url, str):
            parts.append(url)
            if isinstance(code, str) and code:
                parts.append(code)
    return _fold(scrub(" ".join(parts)))


def _epoch(now: datetime | None) -> float:
    return now.timestamp() if now is not None else time.time()


def _fold(text: str) -> str:
    return text.casefold()




# A row keeps the write it was first known at (`known_since`, schema v7) while it stays
# present; one that was missing is known anew from this write (`meetings.missing` is the
# old value: SQLite reads a SET's right-hand sides before any column changes).
_UPSERT_HEAD = """
    INSERT INTO meetings (account, id, provider, title, title_fold, start_key,
                          status, payload, updated_at, missing, seen_gen,
                          end_key, expires_key, search_fold, known_since, written)
    VALUES """
_UPSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)"
_UPSERT_TAIL = """
    ON CONFLICT (account, id) DO UPDATE SET
        provider = excluded.provider, title = excluded.title,
        end_key = excluded.end_key, expires_key = excluded.expires_key,
        search_fold = excluded.search_fold,
        title_fold = excluded.title_fold, start_key = excluded.start_key,
        status = excluded.status, payload = excluded.payload,
        updated_at = excluded.updated_at, missing = 0,
        seen_gen = MAX(meetings.seen_gen, excluded.seen_gen),
        known_since = CASE WHEN meetings.missing THEN excluded.known_since
                           ELSE meetings.known_since END,
        written = MAX(meetings.written, excluded.written)
"""
_PARAMS_PER_ROW = _UPSERT_ROW.count("?")
ROWS_PER_STATEMENT = 500
"""Rows one INSERT carries (fewer when SQLite takes fewer variables, 999 before 3.32):
five pages of 100 in one statement, 7% less SQLite CPU than five statements of 100
(each re-walks the indexes' upper levels)."""


@functools.lru_cache(maxsize=4)
def _upsert_rows(count: int) -> str:
    return _UPSERT_HEAD + ",".join([_UPSERT_ROW] * count) + _UPSERT_TAIL


def write_rows(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Upsert `rows` (`_stored`'s parameters) inside the caller's transaction, in order:
    a row whose (account, id) an earlier one of the same call wrote updates it, as one
    statement per row would. Raises sqlite3.Error as the connection does.

    Up to `ROWS_PER_STATEMENT` rows go in one multi-row INSERT rather than one
    `executemany` step per row: SQLite keeps its cursors on the table, its five indexes
    and the triggers' tables open across the rows (half the CPU of a 10k-row sync), and
    the GIL is let go once per statement instead of once per row, so a sync's requests
    and JSON run while SQLite writes instead of queueing behind it row by row."""
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _PARAMS_PER_ROW
    step = max(1, min(ROWS_PER_STATEMENT, limit))
    for start in range(0, len(rows), step):
        chunk = rows[start:start + step]
        conn.execute(_upsert_rows(len(chunk)), list(chain.from_iterable(chunk)))


def _stored(account: str, meetings: list[Meeting], generation: int,
            labels_of: LabelsOf = _no_labels, write: int = 0, *,
            own: bool = False) -> list[tuple[object, ...]]:
    """The `write_rows` parameters of `meetings`, all of `account` (ValueError otherwise):
    the title scrubbed of secrets, the keys, the search text (with the details
    `labels_of` names for each meeting's provider), the payload, and `write`, the
    transaction's number (`next_write`) that a row new to the cache is known from. `own`:
    what the user's own write answered (a create, an edit, an action), marked `written`
    at `write` (schema v11) so that a page requested before it cannot undo it."""
    written = write if own else 0
    now = time.time()
    # An account's meetings are of one provider: its labels are asked for once a page,
    # and each row only compares its kind with the last one's.
    kind: str | None = None
    labels: tuple[str, ...] = ()
    # The registered secrets are looked up once for the batch, not three times a row.
    scrub = secret_scrubber()
    rows: list[tuple[object, ...]] = []
    append = rows.append
    # A full sync stores every meeting it reads: `_start_key`, `_time_key` and `_fold`
    # are written out here (a call each is a tenth of the row's time).
    for meeting in meetings:
        if meeting.account != account:
            raise ValueError(f"meeting {meeting.id} belongs to {meeting.account}")
        title = _storable(scrub(meeting.title))
        if meeting.provider != kind:
            kind = meeting.provider
            labels = labels_of(kind)
        starts, ends, expires = meeting.starts_at, meeting.ends_at, meeting.expires_at
        append((
            account, _storable(meeting.id), meeting.provider, title, title.casefold(),
            starts.timestamp() if starts else NO_START,
            # `_value_`, not `value`: the same text without a Python-level property call.
            meeting.status._value_, _payload(meeting, scrub), now, generation,
            ends.timestamp() if ends else NO_START,
            expires.timestamp() if expires else NO_START,
            _storable(_search_text(meeting, title, scrub, labels)),
            write, written,
        ))
    return rows


def next_write(conn: sqlite3.Connection) -> int:
    """The number of a transaction that writes rows, inside it: one more than the last
    (`row_writes`, schema v7). A mark taken before (`write_mark`) is below it."""
    conn.execute("UPDATE row_writes SET n = n + 1")
    return write_mark(conn)


def write_mark(conn: sqlite3.Connection) -> int:
    """The number of the last transaction that wrote rows: every row known from then or
    earlier has `known_since` at most this, every row first known later more."""
    row = conn.execute("SELECT n FROM row_writes").fetchone()
    return int(row[0]) if row else 0


def _where(accounts: list[str] | None, query: str, now: float, *,
           fts: bool = False) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause (or "") and its parameters for `accounts` (None: all) and
    `query` (`core/search.py`) at `now`. With `fts`, words of MIN_INDEXED or more
    characters are looked up in the full-text index (`cache_fts.py`) and shorter ones
    tested with LIKE; both find the same rows."""
    search = parse_query(query)
    clauses, params = _account_clauses(accounts, search.accounts)
    if search.statuses:
        clauses.append(f"{_STATUS_SQL.format(now=now)} IN "
                       f"({','.join('?' * len(search.statuses))})")
        params.extend(search.statuses)
    indexed = [w for w in search.words if fts and len(w) >= MIN_INDEXED]
    if indexed:
        clauses.append(match_clause())
        params.append(match_expression(indexed))
    for word in search.words:
        if word not in indexed:
            clauses.append("search_fold LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(word))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)




_SERIALIZER = Meeting.__pydantic_serializer__
"""What `model_dump_json` calls, without its wrapper (same arguments, same text)."""
_NOT_STORED = {"missing"}  # never changed: one set for every row


def _payload(meeting: Meeting, scrub: Callable[[str], str] = scrub_secrets) -> str:
    """The stored JSON of `meeting`: compact, non-ASCII as is, credentials scrubbed
    (by `scrub`: `secret_scrubber()` of the batch, else `scrub_secrets`)."""
    try:
        # pydantic-core writes the JSON itself: a third of the time of model_dump plus
        # json.dumps, for the same text (a full sync stores every meeting). Its text is
        # UTF-8 throughout, so it needs no `_storable`.
        return scrub(_SERIALIZER.to_json(meeting, exclude=_NOT_STORED).decode())
    except PydanticSerializationError:
        # A lone surrogate (a provider's broken escape) is no UTF-8: json.dumps keeps
        # it, and `_storable` replaces it.
        data = meeting.model_dump(mode="json", exclude={"missing"})
        return _storable(scrub(json.dumps(data, separators=(",", ":"), ensure_ascii=False)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """`text` as SQLite can store it: a lone surrogate (a provider's broken JSON escape,
    or bytes that were not UTF-8) becomes U+FFFD instead of failing the whole page."""
    # ASCII (most text) holds no surrogate: CPython knows that without a scan.
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _meetings(rows: Iterable[tuple[str, int]]) -> list[Meeting]:
    return [m for m in map(_meeting, rows) if m is not None]


_unreadable_logged: set[int] = set()


def _meeting(row: tuple[str, int]) -> Meeting | None:
    """The row's meeting; None (and a log line, once) for a payload that no longer
    validates, say one written by another version: skipped, never a crash."""
    try:
        meeting = Meeting.model_validate_json(row[0])
    except (ValidationError, ValueError, TypeError) as exc:
        text = str(row[0])
        if hash(text) not in _unreadable_logged:
            _unreadable_logged.add(hash(text))
            first = exc.errors()[0] if isinstance(exc, ValidationError) else None
            what = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(exc)
            _log.warning("skipping a cached meeting that no longer reads (%s): %.200s",
                         what, text)
        return None
    if row[1]:
        meeting.missing = True
    return meeting


_IDS_PER_QUERY = 500
"""Ids bound in one `IN (...)`: well below SQLite's limit on variables (999 before 3.32)."""

# A payload with kept facts, in SQL (the JSON functions are built into SQLite since
# 3.38, and into the usual builds long before): skipping the others without parsing them
# is most of the saving, as most meetings have none. A payload without `kept` (written
# before it existed) is read whole; one that is not JSON is skipped, as `get` skips it.
_HAS_KEPT_SQL = """(CASE WHEN json_valid(payload) THEN
    json_type(payload, '$.kept') IS NULL
    OR coalesce(json_type(payload, '$.kept.title'), 'null') != 'null'
    OR coalesce(json_type(payload, '$.kept.options'), 'null') != 'null'
    OR coalesce(json_array_length(payload, '$.kept.links'), 0) > 0
  ELSE 0 END)"""


def kept_rows(conn: sqlite3.Connection, account: str, ids: list[str]) -> dict[str, Meeting]:
    """The cached meetings of `account` among `ids` whose payload holds kept facts, by
    id (`Cache.kept_of`, which holds the lock). One query per `_IDS_PER_QUERY` ids, and
    only those payloads are parsed: a meeting without kept facts is left out, as is one
    that no longer reads. Raises sqlite3.Error as the connection does."""
    found: dict[str, Meeting] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start:start + _IDS_PER_QUERY]
        rows = conn.execute(
            f"SELECT payload, missing FROM meetings WHERE account = ? AND id IN "
            f"({','.join('?' * len(chunk))}) AND {_HAS_KEPT_SQL}",
            (account, *chunk),
        ).fetchall()
        found.update((m.id, m) for m in _meetings(rows))
    return found


def known_ids(conn: sqlite3.Connection, account: str, ids: list[str], mark: int) -> set[str]:
    """Those of `ids` that `account` has present (not missing) and known since the write
    `mark` or earlier (`Cache.known_before`, which holds the lock). One query per
    `_IDS_PER_QUERY` ids. Raises sqlite3.Error as the connection does."""
    found: set[str] = set()
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start:start + _IDS_PER_QUERY]
        found.update(row[0] for row in conn.execute(
            f"SELECT id FROM meetings WHERE account = ? AND id IN "
            f"({','.join('?' * len(chunk))}) AND missing = 0 AND known_since <= ?",
            (account, *chunk, mark)))
    return found
