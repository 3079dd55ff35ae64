"""The composition root: builds the service the CLI and the TUI share from the config
and cache paths, and adds the demo when no account is configured. The only module that
knows core, the providers and the simulators together (with `demo.py`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from meettui.core.cache import Cache
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import CACHE_ENV, cache_path, load_config, overridden
from meettui.core.service import MeetingService


def open_cache() -> Cache:
    """The user's cache. A cache that had to be moved aside is reported once on stderr
    (the app shows the same notice, `Cache.notice`, as a warning when it starts)."""
    cache = Cache(cache_path(), variable=CACHE_ENV if overridden(CACHE_ENV) else None)
    if cache.notice:
        print(f"meettui: {cache.notice}", file=sys.stderr)
    return cache


def open_service(clock: Clock = SYSTEM_CLOCK, *,
                 demo_providers: Iterable[str] | None = None) -> MeetingService:
    """The service over the user's config and cache. With no account configured, the
    demo accounts are added (`demo_providers` limits their kinds). Raises ConfigError
    for a config or cache that cannot be read, with the file and what to do."""
    config = load_config()
    cache = open_cache()
    service = MeetingService(config=config, cache=cache, clock=clock)
    if config.is_demo:
        from meettui import demo

        demo.install(service, demo_providers)
    return service
