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
