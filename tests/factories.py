"""Test data builders shared across test folders."""

from datetime import UTC, datetime, timedelta

from meettui.core.models import Link, Meeting, Role, Status

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_meeting(i: int, account: str = "acc", title: str | None = None, **kw) -> Meeting:
    return Meeting(
        provider="whereby",
        account=account,
        id=f"m{i:06d}",
        title=title if title is not None else f"Meeting {i:06d}",
        starts_at=T0 + timedelta(minutes=i),
        ends_at=T0 + timedelta(minutes=i + 30),
        status=Status.SCHEDULED,
        links=[
            Link(role=Role.GUEST, url=f"https://x.whereby.com/r{i}"),
            Link(role=Role.HOST, url=f"https://x.whereby.com/r{i}?roomKey=k{i}", sensitive=True),
        ],
        **kw,
    )


def file_page_size(path) -> int:
    """The page size in the file's header (bytes 16-17, big-endian; 1 means 65536)."""
    with open(path, "rb") as handle:
        handle.seek(16)
        size = int.from_bytes(handle.read(2), "big")
    return 65536 if size == 1 else size


WHEREBY_CONFIG = """
builtin_jitsi = false
[[accounts]]
name = "wb"
provider = "whereby"
base_url = "http://whereby.sim/v1"
secret_env = "WB_TEST_KEY"
"""
WHEREBY_KEY = "k-123456"


def whereby_sim_service(tmp_path, *, seed: int, meetings: int, wrap=None):
    """(service, sim, transport): a MeetingService whose one account, "wb" (Whereby),
    is answered in process by the Whereby simulator (`seed`, `meetings` rooms, clock at
    T0). `wrap(transport)` may stand between them, to watch or break requests. The
    caller closes `service.cache`."""
    import httpx

    from meettui.core.cache import Cache
    from meettui.core.clock import FixedClock
    from meettui.core.config import parse_config
    from meettui.core.service import MeetingService
    from meettui.simulators.registry import build

    clock = FixedClock(T0)
    sim = build("whereby", seed=seed, meetings=meetings, api_key=WHEREBY_KEY, clock=clock,
                rate_limit=1_000_000)
    transport = httpx.ASGITransport(app=sim.app)
    if wrap is not None:
        transport = wrap(transport)
    service = MeetingService(
        parse_config(WHEREBY_CONFIG, tmp_path / "config.toml"), Cache(tmp_path / "c.sqlite3"),
        clock=clock, env={"WB_TEST_KEY": WHEREBY_KEY}, transports={"wb": transport})
    return service, sim, transport


def trace_cache_sql(monkeypatch) -> list[str]:
    """From now on, every SQL statement a Cache opened in this test runs, in order
    (SQLite's trace callback on the connections `meettui.core.cache_transactions` makes)."""
    from meettui.core import cache_transactions

    statements: list[str] = []
    real = cache_transactions.connect

    def traced(name):
        conn = real(name)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(cache_transactions, "connect", traced)
    return statements


def damage_the_middle(path, account: str = "acc") -> None:
    """A cache whose first page reads but whose rows are damaged (as a crash or a bad
    disk leaves one): it opens, and fails when read."""
    from meettui.core.cache import Cache

    cache = Cache(path)
    cache.upsert_page(account, [make_meeting(i, account=account) for i in range(2000)])
    with cache._lock:
        cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    # Page 2 is the root of the meetings table (the first table v1 made): every read
    # and write of a row goes through it, and the schema (page 1 and whatever pages
    # it grew into) stays readable, so the file opens.
    page = file_page_size(path)  # new caches use 16 KB pages, older ones 4 KB
    with open(path, "r+b") as handle:
        handle.seek(page)
        handle.write((bytes(range(256)) * (page // 128))[:page])
