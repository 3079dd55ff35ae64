"""Builds the service the CLI and the TUI share, from config and cache paths."""

from __future__ import annotations

from meettui.core.cache import Cache
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import cache_path, load_config
from meettui.core.service import MeetingService


def open_service(clock: Clock = SYSTEM_CLOCK) -> MeetingService:
    config = load_config()
    cache = Cache(cache_path())
    return MeetingService(config=config, cache=cache, clock=clock)
