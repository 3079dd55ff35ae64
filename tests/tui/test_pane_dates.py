"""The detail pane writes every date in meettui's one format, and reads whole what fits.

A provider's facts wrote their dates their own way ("Created 2026-11-01 18:07 UTC",
"2026/12/01 01:40 – 2026/12/01 02:40") beside meettui's "Tue 01 Dec 01:40 UTC"; at
100x30 a short value broke where it need not ("running since Tue 01" then "Dec 03:20
UTC", a host's first name on one line and the rest on the next, "(h copy, r" then
"reveal)"). Read off the terminal, in the demo of every provider, scrolled through."""

from __future__ import annotations

import re

import pytest
from states import demo_app, show_account
from tui_data import screen_text

from meettui.core.display import local_time
from meettui.tui.widgets.detail import DetailPane

PROVIDERS = ("24sessions", "accelevents", "eyeson", "vonage", "whereby")
PER_ACCOUNT = 4
"""Meetings looked at in each account (from the top of its list)."""

PROVIDER_DATE = re.compile(r"\d{4}[-/]\d{2}[-/]\d{2}")
DAY = r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
# A date broken inside its day ("Tue 01" / "Dec …"): the line ends in the middle of it.
BROKEN_DAY = re.compile(rf"{DAY}(?: \d{{2}})?$")
# A day whose time is not on its line: only where the two do not fit on one (then the
# time is whole at the start of the next).
DAY_ALONE = re.compile(rf"{DAY} \d{{2}} [A-Z][a-z]{{2}}(?: \d{{4}})?$")
TIME_FIRST = re.compile(r"^\s*\d{2}:\d{2}(?: – \d{2}:\d{2})? [A-Z]+")
# A time whose zone went to the next line.
BROKEN_TIME = re.compile(r"\b\d{2}:\d{2}$")


async def pane_lines(app, pilot, pane: DetailPane) -> list[str]:
    """Every line the terminal shows inside the pane, scrolled through a page at a time
    (a line seen on two pages is kept once: pages overlap by a line)."""
    lines: list[str] = []
    pane.scroll_home(animate=False, immediate=True)
    await pilot.pause()
    while True:
        region = pane.content_region
        rows = screen_text(app).splitlines()[region.y:region.bottom]
        # (Without the scroll bar, drawn at the pane's right edge.)
        page = [row[region.x:region.right].rstrip(" ▁▂▃▄▅▆▇█▀") for row in rows]
        lines += page[1:] if lines and page and lines[-1] == page[0] else page
        if pane.scroll_y >= pane.max_scroll_y:
            return lines
        pane.scroll_to(y=pane.scroll_y + max(1, pane.size.height - 1), animate=False,
                       immediate=True)
        await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
async def test_every_date_in_the_pane_is_in_one_format_and_read_whole(tmp_path, size):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=size) as pilot:
        looked = set()
        for kind in PROVIDERS:
            await show_account(pilot, f"{kind}-demo")
            screen = app.screen
            pane = screen.query_one(DetailPane)
            for _ in range(PER_ACCOUNT):
                await pane.settled()
                meeting = pane.meeting
                assert meeting is not None
                looked.add(meeting.provider)
                lines = await pane_lines(app, pilot, pane)
                text = "\n".join(lines)
                where = f"{meeting.provider} {meeting.id}:\n{text}"
                assert not PROVIDER_DATE.search(text), where
                # Every line of the facts, as the terminal shows it (the label column
                # cut off: a label may wrap in its column).
                values = [line[value_column(lines):] for line in lines]
                facts_width = pane.query_one("#detail-facts").size.width
                for index, line in enumerate(values):
                    assert not BROKEN_DAY.search(line), where
                    assert not BROKEN_TIME.search(line), where
                    day = DAY_ALONE.search(line)
                    if day:
                        # Broken between day and time only when the date alone is
                        # wider than the value column.
                        time = TIME_FIRST.match(values[index + 1])
                        assert time, where
                        assert len(day.group()) + 1 + len(time.group().strip()) > \
                            facts_width - value_column(lines), where
                now = app.service.clock.now()
                for moment in (meeting.starts_at, meeting.ends_at):
                    if moment is not None:
                        assert local_time(moment, "%a %d %b %H:%M %Z" if moment.year == now.year
                                          else "%a %d %b %Y %H:%M %Z") in text, where
                if any(link.sensitive for link in meeting.links):
                    assert any("(h copy, r reveal)" in line for line in lines), where
                for name in meeting.details.get("Hosts", "").split(", "):
                    assert not name or name in text, where
                await pilot.press("down")
        assert looked == set(PROVIDERS)


def value_column(lines: list[str]) -> int:
    """Where the facts' values start: after the widest "Status" label and its space."""
    status = next(line for line in lines if line.startswith("Status "))
    return len(status) - len(status[len("Status"):].lstrip())
