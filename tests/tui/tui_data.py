"""Data the TUI tests share (a module of its own: a test cannot import a conftest by name
when several test folders have one)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from factories import T0, make_meeting
from meettui.core.models import Meeting

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

BASE_CONFIG = """
theme = "meettui-dark"
builtin_jitsi = false
[[accounts]]
name = "team"
provider = "jitsi"
"""



def default_meetings(n: int = 40) -> list[Meeting]:
    # An hour each, so that at NOW none is over and the list opens on its first row.
    return [make_meeting(i, account="team", title=f"Customer call {i:03d}").model_copy(
        update={"ends_at": T0 + timedelta(minutes=i + 60)}) for i in range(n)]


def screen_text(app) -> str:
    """The app's whole screen as plain text, line by line, as a terminal shows it."""
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        console = Console(width=app.size.width, record=True, file=sink)
        console.print(app.screen._compositor.render_update(full=True))
        return console.export_text()
