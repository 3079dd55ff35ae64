"""A name's parenthetical stays with it in the detail pane: "Mateo Alvarez (user 14)"
showed as "Mateo Alvarez (user" then "14)" at 100x30, as the rule that keeps a list's
names whole took any parenthesis for prose. Every fact that lists names (a host, a
guest with an address, speakers, hosts, who a join was made as), alone or in a list,
at the detail screen's width at 80x24 and the pane's at 100x30 and 160x50."""

from __future__ import annotations

import re

import pytest
from states import demo_app, settle

from meettui.tui.screens.detail_screen import DetailScreen
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.facts import GLUE, HINGE, FactsGrid

PROVIDERS = ("24sessions", "accelevents", "eyeson", "vonage", "whereby")
ASIDE = re.compile(r"\S+ (?:\([^;:()]+\)|<[^\s<>]+>)")
# Facts some meetings carry only now and then (or in longer lists), as their providers
# write them.
SOMETIMES = (("Joined as", "attendee 41 (user 7)"),
             ("Speakers", "Ann Berg (Fabrikam), Yusuf Rahman (user 3), Bo Li"))


async def _facts_width(tmp_path, size) -> int:
    app = demo_app(tmp_path, providers=())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if size[0] < 100:  # no pane beside the list: the details take the screen
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
        pane = app.screen.query_one(DetailPane)
        await pane.settled()
        return pane.query_one("#detail-facts").size.width


def _value_lines(lines: list[str], label: str) -> tuple[list[str], int]:
    """The lines `label`'s value takes, without the label column, and that column's
    width (where the first row's value starts). A label wider than the column wraps
    within it: its value's lines go on beside its own."""
    first = lines[0]
    column = len(first) - len(first[len("Status"):].lstrip())
    words = label.split()
    start = next(i for i, line in enumerate(lines)
                 if line[:column].split() and words[:len(line[:column].split())]
                 == line[:column].split())
    taken = len(lines[start][:column].split())
    shown = [lines[start][column:]]
    for line in lines[start + 1:]:
        head = line[:column].split()
        if head and taken >= len(words):
            break  # the next label
        taken += len(head)
        shown.append(line[column:])
    return shown, column


def _drawn(text: str) -> str:
    return text.replace(GLUE, " ").replace(HINGE, " ")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_a_names_parenthetical_stays_with_it(tmp_path, size):
    width = await _facts_width(tmp_path / "w", size)
    app = demo_app(tmp_path / "all", providers=PROVIDERS)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        meetings = app.service.cache.window(limit=10_000)
        now = app.service.clock.now()
    checked = 0
    for meeting in meetings:
        more = {label: value for label, value in SOMETIMES if label not in meeting.details}
        for shown_meeting in (meeting, meeting.model_copy(
                update={"details": {**meeting.details, **more}})):
            grid_rows = DetailPane._fact_rows(shown_meeting, now)
            lines = [_drawn(line.plain).rstrip()
                     for line in FactsGrid(grid_rows).lines(width) or ()]
            for label, value in grid_rows:
                plain = _drawn(value)
                if ";" in plain or label in ("Host link", "Guest link", "Guests"):
                    continue  # prose
                shown, column = _value_lines(lines, label)
                items = plain.split(", ")
                for n, item in enumerate(items):
                    # (with the comma after it, where one follows)
                    wide = len(item) + (n < len(items) - 1)
                    if ASIDE.search(item) is None or wide > width - column:
                        continue
                    checked += 1
                    assert any(item in line for line in shown), \
                        (meeting.provider, label, width, shown)
    assert checked > 0



@pytest.mark.parametrize("value", ["at creation (the provider ignores start times)",
                                   "running room (not a permalink)",
                                   "UTC (the account's time_zone; none sent)"])
def test_a_phrase_with_an_aside_wraps_as_prose(value):
    from datetime import UTC, datetime

    from meettui.tui.widgets.detail import _fact_value

    shown = _fact_value(value, datetime(2026, 12, 1, tzinfo=UTC))
    assert GLUE not in shown and HINGE not in shown
