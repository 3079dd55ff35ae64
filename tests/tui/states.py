"""Named app states shared by the snapshot tests and scripts/screenshots.py, so the
README's pictures are the very states the tests pin down."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from meettui import demo
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock
from meettui.core.config import load_config
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.service import MeetingService
from meettui.providers.jitsi import JitsiProvider
from meettui.tui.app import MeettuiApp
from meettui.tui.screens.form import MeetingFormScreen

DEMO_NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def deterministic_env() -> None:
    """What every snapshot needs: UTC, colour on, no blinking cursor."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ.pop("NO_COLOR", None)
    from textual.widgets import Input

    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]


# The providers the demo pictures show. A new provider joins them on purpose, in one
# commit with the regenerated snapshots and screenshots, not by being registered.
DEMO_PROVIDERS = ("whereby", "eyeson")


def demo_app(tmp: Path, *, theme: str = "meettui-dark",
             providers: tuple[str, ...] = DEMO_PROVIDERS) -> MeettuiApp:
    """The demo a new user sees (no config): simulators in-process, plus Jitsi rooms."""
    config = load_config(tmp / "config.toml")  # not there: the demo
    cache = Cache(tmp / "demo.sqlite3")
    clock = FixedClock(DEMO_NOW)
    for room, title in [("TeamStandup-k3v9q2x7m4p8w6rt", "Team standup"),
                        ("FrontDesk-h7n2c5v8b4x9z3qd", "Front desk walk-ins")]:
        cache.upsert(JitsiProvider.meeting_for("jitsi", room, "meet.jit.si", MeetingSpec(
            title=title, starts_at=DEMO_NOW.replace(hour=10), ends_at=DEMO_NOW.replace(hour=11),
        )))
    service = MeetingService(config, cache, clock=clock)
    demo.install(service, providers)
    return MeettuiApp(service, clock=clock, theme=theme, show_toasts=False)


def first_start_app(tmp: Path, *, providers: tuple[str, ...] | None = DEMO_PROVIDERS,
                    theme: str = "meettui-dark") -> MeettuiApp:
    """A true first start: no config, an empty cache (nothing seeded), the demo."""
    config = load_config(tmp / "config.toml")  # not there: the demo
    clock = FixedClock(DEMO_NOW)
    service = MeetingService(config, Cache(tmp / "first.sqlite3"), clock=clock)
    demo.install(service, providers)
    return MeettuiApp(service, clock=clock, theme=theme, show_toasts=False)


async def show_account(pilot, account: str) -> None:
    """The app settled (`settle`), then showing `account` alone and settled again: how a
    test opens one demo account's view."""
    await settle(pilot)
    pilot.app.set_scope(account)
    await settle(pilot)


async def open_edit_form(pilot, meeting: Meeting | None = None) -> MeetingFormScreen:
    """The edit form `e` opens on the list, once it is up: of the highlighted meeting,
    or of `meeting` (the list reloaded keeping it under the cursor first)."""
    app = pilot.app
    if meeting is not None:
        app.screen.table.reload(keep=meeting)
        await pilot.pause()
        assert app.screen.selected.key == meeting.key
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, MeetingFormScreen)
    return form


async def open_long_term_room_edit_form(pilot) -> MeetingFormScreen:
    """The Vonage demo account shown alone (`show_account`), the cursor on the first
    long-term room its list shows (the kind of room edited in place), and its edit form
    (`open_edit_form`)."""
    await show_account(pilot, "vonage-demo")
    table = pilot.app.screen.query_one("MeetingTable")
    row = next(i for i in range(table.row_count)
               if table.meeting_at(i).raw.get("type") == "long_term")
    table.move_to(row)
    await pilot.pause()
    return await open_edit_form(pilot)


async def settle(pilot) -> None:
    """Let the refresh workers finish so the list shows fetched pages, and the detail
    pane the highlighted meeting. A worker that failed has already been reported by the
    app (that is what some tests check)."""
    from textual.worker import WorkerFailed

    app = pilot.app
    # Until nothing is left to wait for: a worker may start another (a failed refresh,
    # then the next page), and under snap_compare this runs as soon as the app is
    # ready, before the list screen has mounted and started its first refresh.
    while True:
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        # The detail pane follows the cursor once it rests, and draws its QR in a
        # thread: scripts/screenshots.py runs without the tests' conftest, so wait here
        # too.
        while app.settling():
            await app.wait_until_settled()
            await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return


def keys(*names: str) -> Callable[[object], Awaitable[None]]:
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press(*names)
        await settle(pilot)

    return run


@dataclass(frozen=True)
class State:
    name: str
    size: tuple[int, int]
    run_before: Callable[[object], Awaitable[None]] = settle
    theme: str = "meettui-dark"
    description: str = field(default="", compare=False)


STATES = [
    State("demo-list", (140, 40), keys("down", "down"),
          description="The demo: every account merged, detail pane with links and QR"),
    State("demo-revealed", (140, 40), keys("down", "down", "r"),
          description="Host link revealed on request"),
    State("demo-qr", (100, 32), keys("down", "down", "Q"),
          description="Full-screen QR for a guest standing in front of the screen"),
    State("demo-accounts", (120, 32), keys("a"),
          description="Accounts with health, last sync and cache size"),
    State("demo-new", (120, 36), keys("home", "n", "ctrl+s"),
          description="Create form with a validation error at its field"),
    State("demo-help", (100, 32), keys("question_mark"), description="Help: the keys"),
    State("demo-light", (140, 40), keys("down"), theme="meettui-light",
          description="The light theme"),
]
