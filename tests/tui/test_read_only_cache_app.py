"""The app over a cache that cannot be written (`chmod 444`, honoured for root too):
it opens and lists what the cache holds, says once that it is read-only and what to do,
fetches nothing, and refuses changes with that reason instead of failing each account's
refresh (the app did not start at all: "Cannot open the cache …")."""

from __future__ import annotations

import hashlib
import os

from states import DEMO_NOW, settle

from meettui import demo
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import load_config
from meettui.core.models import MeetingSpec
from meettui.core.service import MeetingService
from meettui.providers.jitsi import JitsiProvider
from meettui.tui.app import MeettuiApp


async def test_the_app_shows_a_read_only_cache_and_refuses_changes(tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.upsert(JitsiProvider.meeting_for("jitsi", "FrontDesk-h7n2c5v8b4x9z3qd",
                                           "meet.jit.si", MeetingSpec(title="Front desk")))
    cache.close()
    os.chmod(path, 0o444)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    cache = Cache(path)
    clock = FixedClock(DEMO_NOW)
    service = MeetingService(load_config(tmp_path / "none.toml"), cache, clock=clock)
    demo.install(service, ("whereby",))
    app = MeettuiApp(service, clock=clock, show_toasts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert [m.title for m in service.window(None, limit=10)] == ["Front desk"]
        assert main.table.row_count == 1
        # Said once, at start: the whole notice for `?`, a short toast.
        said = [w for w in app.startup_warnings if w[1] == "Read-only cache"]
        assert len(said) == 1 and "chattr -i" in said[0][0]
        assert not [m for m in app.messages if "could not be kept" in m[1]]
        status = str(main.query_one("#status-line").render())
        assert "read-only cache: not refreshed" in status
        # Nothing fetched at start: the demo's Whereby account is not in the cache.
        assert service.cache.sync_state("whereby-demo").last_synced is None
        for key in ("n", "d", "e", "ctrl+r", "m", "L"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is main, key
            severity, message = app.messages[-1][:2]
            assert severity == "warning" and "is read-only (the file is read-only)" \
                in message and "chattr -i" in message, (key, message)
    cache.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
