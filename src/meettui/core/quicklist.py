"""`meettui list --offline` without pydantic: the cached rows read with sqlite3 and each
stored payload projected to the meeting's JSON document, as `contract.MeetingOut`
writes it.

The cache stores each meeting as the JSON its model wrote (`cache_rows._payload`), so
for such a payload the projection is a matter of picking fields and masking links. It
is taken only when that is certain: every row's payload must hold exactly the fields
and types the model writes (times as pydantic writes UTC times, statuses and roles the
enums know, no key but the model's). Anything else (a payload from an older meettui, a
damaged row, a cache of another schema version, a file it cannot open read-only, one
readable by others, which the full path tightens) answers None: the caller takes the
full path, which skips or reports what it must, as ever. Nothing here writes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from meettui.core.cache_schema import SCHEMA_VERSION
from meettui.core.cache_sql import _STATUS_SQL, _account_clauses, _order_columns
from meettui.core.link_check import usable
from meettui.core.list_cursor import Key
from meettui.core.masking import masked_url
from meettui.core.roles import Role
from meettui.core.search import DEFAULT_ORDER, STATUSES
from meettui.core.status import Status

# The fields of `models.Meeting` a payload holds (`missing` has its own column, and
# `session_data` is never stored), of `Link`, and of `KeptFacts`.
_MEETING_KEYS = frozenset({"provider", "account", "id", "title", "starts_at", "ends_at",
                           "expires_at", "status", "links", "capacity", "details", "raw",
                           "kept"})
_LINK_KEYS = frozenset({"role", "url", "label", "sensitive", "code", "run_started"})
_KEPT_KEYS = frozenset({"title", "options", "links"})
_STATUSES = frozenset(s.value for s in Status)
_SHOWN = frozenset(STATUSES)
_ROLES = frozenset(r.value for r in Role)
# A UTC time as pydantic writes it: "Z", microseconds only when there are some.
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(?!000000)\d{6})?Z")
# A \uD800-\uDFFF escape: pydantic's JSON parser refuses a lone one (the row is
# skipped); json.loads would take it. Pairs are sent to the full path too (never
# written: stored JSON keeps non-ASCII as it is).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# pydantic's JSON parser refuses deeper nesting (about 255 levels); a payload with
# fewer brackets than this cannot come near it, and is not measured.
_DEPTH_CHECKED_FROM = 200


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """The cache at `path` opened read-only, or None when the full path must open it:
    no such file (it creates one), readable by others (it tightens it), another schema
    version (it migrates or refuses), held locked by another process (it waits, then
    says so), or anything SQLite refuses."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            return None
        # No wait for a lock: a cache another process holds goes to the full path at
        # once, which waits once and says so (both waiting made it 10 s, not 5).
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def cached_count(conn: sqlite3.Connection) -> Callable[[str], int]:
    """`Cache.count([name])` for one account, as the imported account's rule asks it."""

    def count(name: str) -> int:
        clauses, params = _account_clauses([name], ())
        row = conn.execute(f"SELECT SUM(n) FROM meeting_counts WHERE {' AND '.join(clauses)}",
                           params).fetchone()
        return int(row[0] or 0)

    return count


def quick_meetings(conn: sqlite3.Connection, accounts: list[str], limit: int,
                   reveal: bool, now: float) -> tuple[list[dict[str, Any]], Key | None] | None:
    """The documents (`MeetingOut` as JSON data) of the first `limit` cached meetings
    of `accounts` in start order, what `Cache.window(accounts, "", limit=limit)` gives,
    their status as shown at `now` (seconds since 1970), host links masked unless
    `reveal`; and the last one's key (start, account, id: what a list continuation
    holds), None when there is none. None when a row is not certain to project (see
    the module), or SQLite fails."""
    clauses, params = _account_clauses(accounts, ())
    order = ", ".join(_order_columns(DEFAULT_ORDER, 0.0))
    shown = _STATUS_SQL.format(now=float(now))
    try:
        rows = conn.execute(f"SELECT payload, missing, {shown}, start_key, account, id "
                            f"FROM meetings WHERE {' AND '.join(clauses)} "
                            f"ORDER BY {order} LIMIT ?", (*params, max(0, limit))).fetchall()
    except sqlite3.Error:
        return None
    out = []
    for payload, missing, status, *_ in rows:
        document = project(payload, missing, reveal, status)
        if document is None:
            return None
        out.append(document)
    last = rows[-1][3:] if rows else None
    return out, (float(last[0]), str(last[1]), str(last[2])) if last else None


def write_mark(conn: sqlite3.Connection) -> int:
    """`Cache.write_mark`: the number of the cache's last transaction that wrote rows."""
    row = conn.execute("SELECT n FROM row_writes").fetchone()
    return int(row[0]) if row else 0


def project(payload: object, missing: object, reveal: bool,
            shown: object) -> dict[str, Any] | None:
    """The `MeetingOut` JSON data of a row (its stored `payload` and `missing` column,
    and `shown`, its status as the list shows it: `_STATUS_SQL`), links masked unless
    `reveal`; None unless the payload is one the model wrote."""
    if type(payload) is not str or _SURROGATE_ESCAPE.search(payload):
        return None
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if type(data) is not dict or not data.keys() <= _MEETING_KEYS:
        return None
    if payload.count("{") + payload.count("[") >= _DEPTH_CHECKED_FROM and _too_deep(data):
        return None
    links = _links(data.get("links", []))
    kept = data.get("kept", {})
    if not (links is not None and _is_str(data, "provider") and _is_str(data, "account")
            and _is_str(data, "id") and type(data.get("title", "")) is str
            and all(_is_time(data.get(key)) for key in ("starts_at", "ends_at", "expires_at"))
            and _is_one_of(data.get("status", "unknown"), _STATUSES)
            and _is_one_of(shown, _SHOWN)
            and (data.get("capacity") is None or type(data.get("capacity")) is int)
            and _is_str_dict(data.get("details", {})) and type(data.get("raw", {})) is dict
            and type(kept) is dict and kept.keys() <= _KEPT_KEYS
            and type(kept.get("title", "")) in (str, type(None))
            and type(kept.get("options")) in (dict, type(None))
            and _links(kept.get("links", [])) is not None):
        return None
    return {
        "provider": data["provider"], "account": data["account"], "id": data["id"],
        "title": data.get("title", ""), "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"), "expires_at": data.get("expires_at"),
        "status": shown, "reported_status": data.get("status", "unknown"),
        "links": [_link_document(link, reveal) for link in links],
        "capacity": data.get("capacity"), "details": data.get("details", {}),
        "missing": bool(missing),
    }


def _link_document(link: dict[str, Any], reveal: bool) -> dict[str, Any]:
    """`contract.LinkOut` as JSON data: `code` only when there is one."""
    sensitive = link.get("sensitive", False)
    out = {"role": link["role"],
           "url": link["url"] if reveal else masked_url(link["url"], sensitive),
           "label": link.get("label", ""), "sensitive": sensitive}
    if link.get("code"):
        out["code"] = link["code"]
    return out


def _links(value: object) -> list[dict[str, Any]] | None:
    """`value` when it is a list of links as `models.Link` writes them, each one the model
    keeps (`link_check`: a cache written before that rule may hold others, which the
    full path leaves out and says why), else None."""
    if type(value) is not list:
        return None
    for link in value:
        if not (type(link) is dict and link.keys() <= _LINK_KEYS
                and _is_one_of(link.get("role"), _ROLES) and usable(link.get("url"))
                and type(link.get("label", "")) is str
                and type(link.get("sensitive", False)) is bool
                and type(link.get("code")) in (str, type(None))
                and _is_time(link.get("run_started"))):
            return None
    return value


def _is_str(data: dict[str, Any], key: str) -> bool:
    return type(data.get(key)) is str


def _is_str_dict(value: object) -> bool:
    return type(value) is dict and all(type(v) is str for v in value.values())


def _is_time(value: object) -> bool:
    """None, or a valid UTC time written as pydantic writes one."""
    if value is None:
        return True
    if type(value) is not str or not _UTC_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_one_of(value: object, values: frozenset[str]) -> bool:
    return type(value) is str and value in values


def _too_deep(data: object) -> bool:
    try:
        return _depth(data) > _DEPTH_CHECKED_FROM
    except RecursionError:
        return True


def _depth(value: object) -> int:
    if type(value) is dict:
        return 1 + max(map(_depth, value.values()), default=0)
    if type(value) is list:
        return 1 + max(map(_depth, value), default=0)
    return 0
