"""A cache file, or its folder, that cannot be written is opened read-only: what it
holds is shown, meettui says once that nothing fetched or changed can be kept and what
to do, and every write (a sync, a create, an edit, a delete) is refused before anything
is sent, the file left exactly as it was. It was refused whole ("Cannot open the cache
…: permission denied"), even for `meettui list --offline`.

Made read-only with the mode bits (`chmod 444` on the file, `555` on its folder), which
meettui honours for root too: the tests run as root, where the kernel would let the
writes through, and still take SQLite's read-only path."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factories import make_meeting
from meettui.core.cache import Cache
from meettui.core.config import load_config
from meettui.core.errors import CacheReadOnly, ConfigError
from meettui.core.models import MeetingSpec
from meettui.core.service import MeetingService


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _side_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm")))


@contextmanager
def _mode(path: Path, mode: int) -> Iterator[None]:
    """`path` at `mode` (chmod) for the block, then as it was (pytest removes the
    folder afterwards)."""
    before = stat.S_IMODE(os.stat(path).st_mode)
    os.chmod(path, mode)
    try:
        yield
    finally:
        os.chmod(path, before)


def _cache_with(path: Path, *numbers: int) -> None:
    cache = Cache(path)
    try:
        for number in numbers:
            cache.upsert(make_meeting(number))
    finally:
        cache.close()


def _refusals(cache: Cache) -> list[str]:
    """Each kind of write tried on `cache`: the messages of their refusals."""
    said: list[str] = []
    for write in (lambda: cache.upsert(make_meeting(9)),
                  lambda: cache.delete("acc", "m000001"),
                  lambda: cache.mark_missing("acc", "m000001"),
                  lambda: cache.begin_sync("acc"),
                  lambda: cache.catch_up_index()):
        try:
            write()
        except CacheReadOnly as refused:
            said.append(refused.message)
    return said


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_cache_that_cannot_be_written_is_read_and_left_as_it_is(tmp_path, what):
    folder = tmp_path / "c"
    folder.mkdir()
    path = folder / "cache.sqlite3"
    _cache_with(path, 1, 2)
    before = _digest(path)
    target, mode = (path, 0o444) if what == "file" else (folder, 0o555)
    with _mode(target, mode):
        cache = Cache(path, variable="MEETTUI_CACHE")
        try:
            reason = f"the {what} is read-only" if what == "file" else \
                "its folder is read-only"
            assert cache.read_only == reason
            assert [m.id for m in cache.window(["acc"], limit=10)] == ["m000001", "m000002"]
            assert cache.get("acc", "m000002").title == "Meeting 000002"
            # Said once, with what it means and what to do (not only "chmod").
            assert cache.notice.startswith(f"The cache {path} is read-only ({reason}): "
                                           "meettui shows what it holds")
            assert "chmod u+w" in cache.notice and "chattr -i" in cache.notice
            assert "MEETTUI_CACHE" in cache.notice
            said = _refusals(cache)
            # catch_up_index has nothing to write: read-only, it indexes nothing.
            assert len(said) == 4, said
            assert all(s.startswith(f"The cache {path} is read-only ({reason}), so ")
                       and s.endswith("nothing was sent or changed.") for s in said)
        finally:
            cache.close()
        # Not written, not tightened to 0600, nothing made beside it.
        assert _digest(path) == before
        assert stat.S_IMODE(os.stat(target).st_mode) == mode
        assert _side_files(folder) == []


def test_changes_still_in_the_wal_are_read_from_a_read_only_folder(tmp_path):
    # A meettui that stopped without closing the cache leaves its last changes in the
    # -wal: the read-only opening reads them (the file alone would lack them).
    folder = tmp_path / "c"
    folder.mkdir()
    path = folder / "cache.sqlite3"
    _cache_with(path, 1)
    script = textwrap.dedent(f"""
        import os
        from factories import make_meeting
        from meettui.core.cache import Cache
        cache = Cache({str(path)!r})
        cache._conn.execute("PRAGMA wal_autocheckpoint=0")
        cache.upsert(make_meeting(2))
        os._exit(0)
    """)
    tests = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", script], check=True,
                   env={**os.environ, "PYTHONPATH": str(tests)})
    assert (folder / "cache.sqlite3-wal").stat().st_size > 0
    with _mode(folder, 0o555):
        cache = Cache(path)
        try:
            assert cache.read_only == "its folder is read-only"
            assert [m.id for m in cache.window(["acc"], limit=10)] == ["m000001", "m000002"]
        finally:
            cache.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 10])
def test_a_read_only_file_meettui_cannot_read_is_refused_untouched(tmp_path, content):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(content)
    with _mode(path, 0o444), pytest.raises(ConfigError) as info:
        Cache(path)
    what = "empty" if not content else "not an SQLite file"
    assert info.value.message == (
        f"The cache {path} is {what}, and read-only (the file is read-only): meettui "
        "can neither read it nor start a fresh one there.")
    assert "chattr -i" in info.value.hint
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.sqlite3"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root's SQLite makes the -shm in a folder "
                    "it may not write to, so the read goes through")
def test_changes_in_the_wal_that_cannot_be_read_are_said_so(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    path = folder / "cache.sqlite3"
    _cache_with(path, 1)
    (folder / "cache.sqlite3-wal").write_bytes(b"x" * 100)
    with _mode(folder, 0o555), pytest.raises(ConfigError) as info:
        Cache(path)
    assert "holds changes not yet written into it" in info.value.message


async def test_the_service_refuses_every_write_before_sending_anything(tmp_path):
    from meettui import demo

    path = tmp_path / "cache.sqlite3"
    _cache_with(path)
    before = _digest(path)
    with _mode(path, 0o444):
        cache = Cache(path)
        service = MeetingService(load_config(tmp_path / "none.toml"), cache)
        demo.install(service, ("whereby",))
        transport = service.transports["whereby-demo"]
        sent: list[str] = []

        class Counting(type(transport)):  # the demo's in-process simulator, counted
            async def handle_async_request(self, request):
                sent.append(f"{request.method} {request.url.path}")
                return await transport.handle_async_request(request)

        counting = Counting.__new__(Counting)
        counting.__dict__.update(transport.__dict__)
        service.transports["whereby-demo"] = counting
        try:
            assert service.is_read_only("jitsi") and service.is_read_only("whereby-demo")
            spec = MeetingSpec(title="Kept nowhere",
                               ends_at=datetime(2030, 1, 1, 12, tzinfo=UTC))
            for call in (service.refresh("whereby-demo"), service.load_more("whereby-demo"),
                         service.sync_all("whereby-demo"),
                         service.create("whereby-demo", spec),
                         service.create("jitsi", spec),
                         service.delete("whereby-demo", "abc"),
                         service.fetch("whereby-demo", "abc")):
                with pytest.raises(CacheReadOnly) as refused:
                    await call
                assert "nothing was sent or changed" in refused.value.message
                assert "chattr -i" in refused.value.hint
            assert sent == []
        finally:
            await service.aclose()
            cache.close()
    assert _digest(path) == before
