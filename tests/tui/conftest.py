"""Apps for Pilot and snapshot tests: a fixed clock, UTC, a temporary cache and config,
a fixed theme, no toasts in the frame."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from tui_data import BASE_CONFIG, NOW, default_meetings

from cli_helpers import isolate_paths
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import parse_config
from meettui.core.models import Meeting
from meettui.core.service import MeetingService
from meettui.tui.app import MeettuiApp


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch, tmp_path):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("MEETTUI_STATE", str(tmp_path / "prefs.json"))
    isolate_paths(monkeypatch, tmp_path)
    # A blinking cursor would make snapshots depend on timing.
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    # The machine's clipboard is not the tests' to read or fill: a system clipboard that
    # takes every copy (a test that needs none replaces it).
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", lambda _text: None)
    yield
    time.tzset()


AppFactory = Callable[..., MeettuiApp]


@pytest.fixture
def make_app(tmp_path) -> AppFactory:
    services: list[MeetingService] = []

    def build(
        meetings: list[Meeting] | None = None,
        *,
        config: str = BASE_CONFIG,
        theme: str | None = "meettui-dark",
        show_toasts: bool = False,
        transports: dict | None = None,
    ) -> MeettuiApp:
        cache = Cache(tmp_path / f"cache-{len(services)}.sqlite3")
        if meetings is None:
            meetings = default_meetings()
        by_account: dict[str, list[Meeting]] = {}
        for meeting in meetings:
            by_account.setdefault(meeting.account, []).append(meeting)
        for account, rows in by_account.items():
            cache.upsert_page(account, rows)
        clock = FixedClock(NOW)
        service = MeetingService(
            parse_config(config, tmp_path / "config.toml"), cache, clock=clock,
            transports=transports or {},
        )
        services.append(service)
        return MeettuiApp(service, clock=clock, theme=theme, show_toasts=show_toasts)

    yield build
    for service in services:
        service.cache.close()
