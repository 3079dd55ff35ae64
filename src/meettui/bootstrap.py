"""The composition root: builds the service the CLI and the TUI share from the config
and cache paths, and adds the demo when no account is configured. The only module that
knows core, the providers and the simulators together (with `demo.py`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from meettui.core.cache import Cache
from meettui.core.clock import SYSTEM_CLOCK, Clock
from meettui.core.config import CACHE_ENV, cache_path, load_config, overridden
from meettui.core.errors import CacheError
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
    try:
        service = MeetingService(config=config, cache=cache, clock=clock)
    except CacheError as exc:
        # Damage the first reads found (past what opening the file reads): set aside
        # as at opening, with what only it held carried over (`Cache.start_afresh`),
        # instead of stopping every command and the app with "move it aside", which
        # left the titles and rooms kept only here behind.
        if exc.damaged is None:
            raise
        notice = cache.start_afresh(exc)
        if notice:
            print(f"meettui: {notice}", file=sys.stderr)
        service = MeetingService(config=config, cache=cache, clock=clock)
    if config.is_demo:
        from meettui import demo

        demo.install(service, demo_providers)
    else:
        drop_demo_rows(service)
    return service


def drop_demo_rows(service: MeetingService) -> None:
    """With accounts configured, the demo's rows (its simulated accounts', written when
    meettui ran with no config on the same cache) leave the cache: they were hidden
    but kept, taking room. Its real accounts (the built-in Jitsi, imported links) are
    the user's and stay. Tried once, without waiting: a cache another process holds is
    left for a later start."""
    configured = {a.name for a in service.config.accounts}
    try:
        unlisted = service.cache.accounts_held() - configured
        if not unlisted:
            return  # the usual start: nothing else is looked up
        from meettui import demo

        stale = sorted(unlisted & {a.name for a in demo.demo_accounts()})
        if stale:
            service.cache.forget_accounts(stale, wait=False)
    except CacheError:
        pass  # busy or failing: the next start tries again (a read says any failure)
