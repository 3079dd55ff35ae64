"""A damaged cache moved aside, and what it still gives of what existed only on this
machine for the fresh cache to start with: the meetings of the kinds that live only in
the cache (`Capabilities.remote_list` False) and the facts meettui kept about the others
(`Meeting.kept`: titles, creation options, host links it learned), and which meeting an
edit replaced with which (`cache_replacements.py`). Everything else is
fetched again from the providers. `CacheConnection` (`cache_connection.py`) calls
`move_aside` when it finds the file damaged, then `carry_over` once the fresh cache is
open.

The moved file is opened read-only and never written. What can be read is read, what
fails is skipped: the rows are read a rowid window at a time, and a window that fails a
row at a time, so a damaged page loses its own rows only. Nothing in the carry-over
raises: a file that cannot be opened or read gives nothing (`Salvage.whole` False), and
the start goes on with a fresh cache all the same.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meettui.core import cache_file, cache_replacements
from meettui.core.cache_replacements import Replacement
from meettui.core.cache_rows import SearchLabels, _meeting, _stored, next_write, write_rows
from meettui.core.models import Meeting
from meettui.core.registry import kept_only_here, kinds_kept_only_here

_log = logging.getLogger("meettui.cache")

WINDOW = 1000
"""Rowids read per query."""
PROBES = 100_000
"""The most single rows read one by one in windows that failed (a file damaged all
over is given up on rather than probed row by row for minutes)."""
MIN_PAYLOAD = 64
"""Fewer bytes than any stored meeting takes: the file's size over it bounds the rowids
when the table's largest one cannot be read."""

LocalName = Callable[[str], str | None]
"""A provider kind → its display name when its meetings live only in the cache, else
None (`registry.kept_only_here`)."""

# The row holds what meettui kept (`cache_rows._HAS_KEPT_SQL`, on text alone: a damaged
# payload may be a blob, which the JSON functions refuse).
_KEPT_SQL = """CASE WHEN typeof(payload) = 'text' AND json_valid(payload) THEN
    json_type(payload, '$.kept') IS NULL
    OR coalesce(json_type(payload, '$.kept.title'), 'null') != 'null'
    OR coalesce(json_type(payload, '$.kept.options'), 'null') != 'null'
    OR coalesce(json_array_length(payload, '$.kept.links'), 0) > 0
  ELSE 0 END"""
_COLUMNS = f"rowid, provider, payload, missing, {_KEPT_SQL}"


@dataclass
class Salvage:
    """What was read from the moved file."""

    local: list[Meeting] = field(default_factory=list)
    """Meetings of kinds that live only in the cache."""
    kept: list[Meeting] = field(default_factory=list)
    """Meetings of other kinds that hold kept facts."""
    replacements: list[Replacement] = field(default_factory=list)
    """Which meeting an edit replaced with which (`cache_replacements.py`)."""
    whole: bool = False
    """Every row was read (False: the file could not be opened, or some rows failed)."""

    @property
    def meetings(self) -> list[Meeting]:
        return [*self.local, *self.kept]


@dataclass(frozen=True)
class Moved:
    """A damaged cache file moved aside (`move_aside`), its meetings not carried over
    yet."""

    path: Path
    """Where it went (`<name>.broken-<UTC time>`)."""
    reason: str
    """Why it could not be read (SQLite's error, or "it is not an SQLite file")."""
    readable: bool
    """It is an SQLite file, worth reading (`salvage`)."""


def move_aside(path: Path, reason: str, *, readable: bool = True) -> Moved:
    """Move the cache file at `path` that could not be read (`reason`) aside, with its
    -wal and -shm (`cache_file.move_aside`, which raises ConfigError when it cannot)."""
    moved = cache_file.move_aside(path)
    # Only the move: what came over is logged once known (`carry_over`). The whole
    # notice here said "Nothing could be carried over" just before it was.
    _log.warning("the cache %s could not be read (%s): moved to %s", path, reason, moved)
    return Moved(moved, reason, readable)


def carry_over(path: Path, moved: Moved, write: Callable[[Salvage], None]) -> str:
    """Bring what existed only on this machine from `moved` (the meetings that live only
    in the cache, the facts meettui kept about the others) into the fresh cache at
    `path` through `write` (`write_carried`, under the cache's lock); the notice saying
    what came over and what stays in the moved file (logged too). Never raises: whatever
    fails, the fresh cache is used."""
    found = Salvage()
    carried = ""
    try:
        if moved.readable:
            found = salvage(moved.path, kept_only_here)
        if found.meetings or found.replacements:
            write(found)
            carried = carried_text(found, kept_only_here)
    except Exception as exc:  # noqa: BLE001 - the start goes on without them
        _log.warning("carrying over from the moved cache %s failed: %s", moved.path, exc)
        found, carried = Salvage(), ""
    notice = moved_notice(path, moved, found, carried)
    _log.warning("%s", notice)
    return notice


def moved_notice(path: Path, moved: Moved, found: Salvage, carried: str) -> str:
    """What the user is told of the cache at `path` moved aside (`moved`): where it
    went, what came over (`carried`, from `found`), and what stays in the moved file."""
    said = (f"The cache {path} could not be read ({moved.reason}), so meettui moved it "
            f"to {moved.path} and started a fresh cache.")
    if carried:
        said += f" Carried over from it: {carried}."
    if found.whole:
        if not carried:
            said += " Nothing in it existed only on this machine."
        return said + " Everything else is fetched again from each account."
    facts = local_facts(kinds_kept_only_here())
    if carried:
        return (f"{said} Part of it could not be read: anything else that existed only "
                f"on this machine ({facts}) stays in the moved file; the rest is "
                "fetched again from each account.")
    return (f"{said} Nothing could be carried over: what existed only on this "
            f"machine ({facts}) stays in the moved file. Meetings are fetched again "
            "from each account.")


def write_carried(conn: sqlite3.Connection, found: Salvage, labels: SearchLabels) -> bool:
    """Write what was read from the moved file (`found`) into the fresh cache on `conn`,
    in one transaction: the meetings marked missing as they were, the replacements as
    they were (not pruned here: the accounts' meetings are not fetched again yet). The
    meetings' search text waits for the
    service's labels when these are not given yet (`cache_retext.py`): True when rows
    were queued for it. The caller holds the cache's writer lock."""
    meetings = found.meetings
    by_account: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        by_account.setdefault(meeting.account, []).append(meeting)
    queued = False
    conn.execute("BEGIN IMMEDIATE")
    try:
        write = next_write(conn)
        for account, rows in by_account.items():
            write_rows(conn, _stored(account, rows, 0, labels, write))
        conn.executemany(
            "UPDATE meetings SET missing = 1 WHERE account = ? AND id = ?",
            [(m.account, m.id) for m in meetings if m.missing])
        cache_replacements.write_all(conn, found.replacements)
        if meetings and not labels.given:
            conn.execute(
                "INSERT INTO search_retext (next, last) "
                "SELECT MIN(rowid), MAX(rowid) FROM meetings "
                "WHERE NOT EXISTS (SELECT 1 FROM search_retext) "
                "HAVING MAX(rowid) IS NOT NULL")
            queued = True
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return queued


def salvage(path: Path, local_name: LocalName) -> Salvage:
    """What `path` (a moved-aside cache) holds that exists only on this machine. Never
    raises: what cannot be read is left in the file."""
    found = Salvage()
    try:
        conn = _open_read_only(path)
    except (sqlite3.Error, OSError, ValueError) as exc:
        _log.warning("the moved cache %s cannot be opened to carry anything over: %s",
                     path, exc)
        return found
    try:
        found.whole = _read(conn, path, local_name, found)
        found.whole = _read_replacements(conn, path, found) and found.whole
    except Exception as exc:  # noqa: BLE001 - whatever fails, the start goes on
        _log.warning("reading the moved cache %s stopped: %s", path, exc)
        found.whole = False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
    return found


def _open_read_only(path: Path) -> sqlite3.Connection:
    """`path` opened read-only (its -wal read, nothing written back: a read-only
    connection neither checkpoints nor removes it), checked to be readable at all."""
    try:
        return _connect(f"{path.resolve().as_uri()}?mode=ro")
    except sqlite3.Error:
        # A WAL file SQLite cannot use read-only (no -shm beside it): the main file
        # alone, as it was at the last checkpoint.
        return _connect(f"{path.resolve().as_uri()}?immutable=1")


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=0)
    try:
        conn.execute("PRAGMA query_only=1")
        # A file shorter than its header says (truncated) is refused whole unless the
        # schema is writable; with it, the pages present are read (`query_only` still
        # keeps the file unwritten).
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("SELECT 1 FROM meetings LIMIT 0").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def _read(conn: sqlite3.Connection, path: Path, local_name: LocalName,
          found: Salvage) -> bool:
    """Read the rows into `found`; whether every one was read."""
    whole = True
    try:
        top = conn.execute("SELECT MAX(rowid) FROM meetings").fetchone()[0] or 0
    except sqlite3.Error:
        whole = False
        try:
            top = path.stat().st_size // MIN_PAYLOAD
        except OSError:
            top = 0
    names: dict[str, str | None] = {}
    probes = 0
    seen: list[int] = []  # the rowids read, ascending
    low = 0  # rows above it are still to read
    while low < top:
        high = low + WINDOW
        try:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM meetings WHERE rowid > ? AND rowid <= ?",
                (low, high)).fetchall()
        except sqlite3.Error:
            whole = False
            rows = []
            for rowid in range(low + 1, high + 1):
                if probes >= PROBES:
                    break
                probes += 1
                rows += _probe(conn, rowid)
        seen += (row[0] for row in rows)
        whole = _keep_rows(rows, local_name, names, found) and whole
        low = high
    # A damaged table can end a scan early without an error: a page of it unreadable
    # in a walk is skipped, its rows (Jitsi rooms among them) neither read nor said
    # lost. Its indexes are other pages: the rowids one lists that no scan gave are
    # read one by one, and any still unread makes the read not whole.
    unread = _unread_rowids(conn, seen)
    if unread is None:
        whole = False
    for rowid in unread or ():
        if probes >= PROBES:
            whole = False
            break
        probes += 1
        rows = _probe(conn, rowid)
        whole = bool(rows) and _keep_rows(rows, local_name, names, found) and whole
    return whole


def _probe(conn: sqlite3.Connection, rowid: int) -> list[Any]:
    """The row `rowid` read alone (a seek from the table's root), or none."""
    try:
        return conn.execute(f"SELECT {_COLUMNS} FROM meetings WHERE rowid = ?",
                            (rowid,)).fetchall()
    except sqlite3.Error:
        return []


def _unread_rowids(conn: sqlite3.Connection, seen: list[int]) -> list[int] | None:
    """The rowids the index of the meetings by account lists that are not in `seen`
    (ascending), [] when it lists no other; None when the index cannot be read (nor
    the counts the triggers keep, against which `seen` is then checked: None as well
    when they count more rows than were read)."""
    try:
        listed = conn.execute("SELECT COUNT(*) FROM meetings "
                              "INDEXED BY meetings_by_account_start").fetchone()[0]
        if listed <= len(seen):
            return []
        known = conn.execute("SELECT rowid FROM meetings INDEXED BY "
                             "meetings_by_account_start ORDER BY rowid")
        read = set(seen)
        return [rowid for (rowid,) in known if rowid not in read]
    except sqlite3.Error:
        pass
    try:
        counted = conn.execute("SELECT SUM(n) FROM meeting_counts").fetchone()[0] or 0
    except sqlite3.Error:
        return None
    return [] if counted <= len(seen) else None


def _keep_rows(rows: list[Any], local_name: LocalName, names: dict[str, str | None],
               found: Salvage) -> bool:
    """Add the meetings of `rows` worth carrying over to `found` (`names`: the kinds'
    local names, asked of `local_name` once each); whether every row read."""
    whole = True
    for _rowid, kind, payload, missing, kept in rows:
        if not isinstance(kind, str):
            whole = False
            continue
        if kind not in names:
            names[kind] = local_name(kind)
        if names[kind] is None and not kept:
            continue
        meeting = _meeting((payload, missing)) if isinstance(payload, str) else None
        if meeting is None or meeting.provider != kind:
            whole = False
            continue
        if names[kind] is not None:
            found.local.append(meeting)
        elif not meeting.kept.is_empty():
            found.kept.append(meeting)
    return whole


def _read_replacements(conn: sqlite3.Connection, path: Path, found: Salvage) -> bool:
    """Read the replacements into `found`; whether the table read (a file from before
    it has none: nothing lost)."""
    try:
        found.replacements = cache_replacements.read_all(conn)
    except sqlite3.Error as exc:
        _log.warning("the replacements in the moved cache %s cannot be read: %s", path, exc)
        return False
    return True


def carried_text(found: Salvage, local_name: LocalName) -> str:
    """What was carried over, in words: "4 meetings kept only on this machine (Jitsi 3,
    Imported links 1), what meettui kept about 2 other meetings (titles of 2,
    creation options of 1) and 3 replaced meeting ids"; "" for nothing."""
    parts: list[str] = []
    if found.local:
        counts: dict[str, int] = {}
        for meeting in found.local:
            name = local_name(meeting.provider) or meeting.provider
            counts[name] = counts.get(name, 0) + 1
        each = ", ".join(f"{name} {n}" for name, n in counts.items())
        parts.append(f"{_meetings(len(found.local))} kept only on this machine ({each})")
    if found.kept:
        facts = [(what, n) for what, n in (
            ("titles", sum(1 for m in found.kept if m.kept.title)),
            ("creation options", sum(1 for m in found.kept if m.kept.options is not None)),
            ("host links meettui learned", sum(1 for m in found.kept if m.kept.links)),
        ) if n]
        other = " other" if found.local else ""
        parts.append(f"what meettui kept about {_meetings(len(found.kept), other)} ("
                     + ", ".join(f"{what} of {n}" for what, n in facts) + ")")
    if found.replacements:
        n = len(found.replacements)
        parts.append(f"{n} replaced meeting id{'' if n == 1 else 's'} (each leading to "
                     "the meeting an edit made in its place)")
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _meetings(n: int, other: str = "") -> str:
    return f"{n}{other} meeting" if n == 1 else f"{n}{other} meetings"


def local_facts(local_names: list[str]) -> str:
    """Every kind of fact that exists only on this machine, for a message that cannot
    say which of them a file holds."""
    facts = ["titles meettui keeps for providers that have none", "creation options",
             "host links meettui learned",
             "which meeting an edit replaced with which"]
    if local_names:
        facts.append("the meetings of " + " and ".join(local_names))
    return ", ".join(facts)
