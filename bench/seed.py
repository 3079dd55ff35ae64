"""Cached meetings for the benchmark, written through the cache's own API.

Run as a child of `bench/run.py`:

    python bench/seed.py fingerprint          # prints the schema fingerprint
    python bench/seed.py build PATH N         # writes N meetings to a new cache at PATH

The rows are the ones `bench/bench_list.py` has always used: Jitsi meetings of one
account "bench", 7 minutes apart from T0, titles "<Word> <i:07d>", written by
`Cache.upsert_page` in batches of 5,000.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ACCOUNT = "bench"
CONFIG = f'builtin_jitsi = false\n[[accounts]]\nname = "{ACCOUNT}"\nprovider = "jitsi"\n'
WORDS = ["Onboarding", "Support", "Review", "Standup", "Demo", "Advice", "Claims", "Intake"]
BATCH = 5000
# Bump when the rows written here change: cached files are rebuilt.
SEED_VERSION = 2  # 2: the filter's index caught up, as the app leaves it


def meetings(n: int) -> Iterator[list]:
    """The n meetings, in batches of BATCH."""
    from meettui.core.models import Link, Meeting, Role, Status

    batch: list[Meeting] = []
    for i in range(n):
        batch.append(Meeting(
            provider="jitsi", account=ACCOUNT, id=f"room-{i:07d}",
            title=f"{WORDS[i % len(WORDS)]} {i:07d}",
            starts_at=T0 + timedelta(minutes=7 * i), ends_at=T0 + timedelta(minutes=7 * i + 30),
            status=Status.SCHEDULED,
            links=[Link(role=Role.GUEST, url=f"https://meet.jit.si/room-{i:07d}")],
        ))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def search_text(i: int) -> str:
    """What the filter matches for meeting i (title, id, account, guest link), folded:
    used to know how many rows a query must leave, without asking meettui."""
    digits = f"{i:07d}"
    return (f"{WORDS[i % len(WORDS)]} {digits} room-{digits} {ACCOUNT} "
            f"https://meet.jit.si/room-{digits}").casefold()


def expected_count(n: int, query: str) -> int:
    """Rows of an n-row cache that `query` (plain words, all must match) leaves."""
    words = query.casefold().split()
    if not words:
        return n
    return sum(1 for i in range(n) if all(w in search_text(i) for w in words))


def expected_count_table(n: int, queries: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """{query: {prefix: rows left}} for every prefix of each query, in one pass."""
    prefixes = {(q, q[:k]) for q in queries for k in range(1, len(q) + 1)}
    counts = {pair: 0 for pair in prefixes}
    for i in range(n):
        text = search_text(i)
        for pair in prefixes:
            if all(w in text for w in pair[1].casefold().split()):
                counts[pair] += 1
    return {q: {p: c for (q2, p), c in sorted(counts.items()) if q2 == q} for q in queries}


def seed(path: Path, n: int, progress: bool = False) -> None:
    from meettui.core.cache import Cache

    cache = Cache(path)
    started = time.monotonic()
    done = 0
    for batch in meetings(n):
        cache.upsert_page(ACCOUNT, batch)
        done += len(batch)
        if progress and done % 100_000 == 0:
            print(f"  seeded {done:,}/{n:,} in {time.monotonic() - started:.0f} s",
                  file=sys.stderr, flush=True)
    # Writes only note rows for the filter's full-text index (core/cache_fts.py); the app
    # indexes them in a worker after a sync or at start. Measure the state it leaves.
    cache.catch_up_index()
    cache.close()


def fingerprint() -> dict[str, object]:
    """What a cached file depends on: the schema a fresh `Cache` creates (its
    `PRAGMA user_version` and every table, index and trigger), and SEED_VERSION."""
    from meettui.core.cache import Cache

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.sqlite3"
        Cache(path).close()
        conn = sqlite3.connect(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            schema = conn.execute(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
            ).fetchall()
        finally:
            conn.close()
    digest = hashlib.sha256(json.dumps([SEED_VERSION, version, schema]).encode()).hexdigest()
    return {"fingerprint": f"v{version}-{digest[:10]}", "user_version": version,
            "seed_version": SEED_VERSION}


def main(argv: list[str]) -> int:
    if argv[:1] == ["fingerprint"]:
        print(json.dumps(fingerprint()))
        return 0
    if argv[:1] == ["build"] and len(argv) == 3:
        seed(Path(argv[1]), int(argv[2]), progress=True)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
