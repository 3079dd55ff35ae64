"""Every word the detail pane shows is on the screen, at every size: a masked fact
("JoinToken •••••••• (never stored; a join shows it again)"), a masked host link, an
action's join data with its credential masked, the notes, and the empty state ("No
meeting selected" and what to do) after a filter that matches nothing.

Read off the terminal as a user sees it: the cells right of the pane's edge, the pane
scrolled a page at a time. (A tester who cut the pane out of `tmux capture-pane` with
`cut -c` cut bytes, not characters: each "•" or "▏" is three bytes, and the lines that
hold them lost their last words there, not on screen.)"""

from __future__ import annotations

import pytest
from tui_data import NOW, default_meetings, screen_text

from meettui.core.models import SessionData
from meettui.tui.widgets.detail import DetailPane

SIZES = [(100, 30), (110, 30), (120, 40), (160, 50), (200, 60)]
"""Sizes the list shows its detail pane at (from 100 columns)."""

FACTS = {
    "Joined as": "attendee 5ff012ae (user 703767)",
    "Chime meeting": "763d6a87 in us-east-1",
    "JoinToken": "•••••••• (never stored; a join shows it again)",
    "Landing page, hub": "shown",
}
NOTE = "The join gives a JoinToken: shown masked here, never stored; a join shows it again."


def pane_text(app, pane: DetailPane) -> str:
    """What the terminal shows inside the pane, line by line."""
    region = pane.content_region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    return "\n".join(row[region.x:region.right] for row in rows)


async def whole_pane(app, pilot, pane: DetailPane) -> str:
    """The pane's lines as the terminal shows them, scrolled through a page at a time,
    without their spaces (a word a wrap folded is whole again)."""
    seen = []
    pane.scroll_home(animate=False, immediate=True)
    await pilot.pause()
    while True:
        seen.append(pane_text(app, pane))
        if pane.scroll_y >= pane.max_scroll_y:
            break
        pane.scroll_to(y=pane.scroll_y + max(1, pane.size.height - 1), animate=False,
                       immediate=True)
        await pilot.pause()
    return "".join("".join(page.split()) for page in seen)


def missing(shown: str, text: str) -> list[str]:
    return [word for word in text.split() if word not in shown]


@pytest.mark.parametrize(("size", "full"), [*((size, False) for size in SIZES),
                                            ((80, 24), True), ((50, 20), True),
                                            ((200, 60), True)])
async def test_every_word_of_a_masked_fact_link_and_join_data_shows(make_app, size, full):
    """In the list's pane, and in the full-screen detail (`i`)."""
    [first, *rest] = default_meetings(3)
    meeting = first.model_copy(update={"details": FACTS})
    app = make_app([meeting, *rest])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = SessionData(label="Join data (Chime)", data={
            "meeting": {"MeetingId": "763d6a87", "MediaRegion": "us-east-1"},
            "attendee": {"AttendeeId": "5ff012ae", "JoinToken": "secret-token-value"}},
            secret_keys=("JoinToken",), help="The JoinToken lets anyone join as this "
                                             "attendee: copy it as JSON for a client.")
        if full:
            from meettui.tui.screens.detail_screen import DetailScreen

            await app.push_screen(DetailScreen(meeting, NOW, notes=(NOTE,),
                                               session=session))
        pane = app.screen.query_one(DetailPane)
        if not full:
            pane.show(meeting, NOW, notes=(NOTE,), session=session)
        await pane.settled()
        await pilot.pause()
        shown = await whole_pane(app, pilot, pane)
        assert "secret-token-value" not in shown
        for label, value in FACTS.items():
            assert not missing(shown, f"{label} {value}"), (size, label, shown)
        host = meeting.links[1]
        assert not missing(shown, host.masked()), (size, shown)
        assert not missing(shown, session.as_json(reveal=False)), (size, shown)
        assert not missing(shown, session.help), (size, shown)
        assert not missing(shown, NOTE), (size, shown)


@pytest.mark.parametrize("size", SIZES)
async def test_the_empty_pane_says_both_lines_whole_after_a_filter_matches_nothing(
        make_app, size):
    app = make_app(default_meetings(40))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        main = app.screen
        pane = main.query_one(DetailPane)
        await pane.settled()
        # The meeting before scrolled down, as a user may leave it.
        pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("slash", *"zzzznomatch")
        await app.wait_until_settled()
        await pilot.pause()
        await pilot.pause()
        assert pane.meeting is None
        assert pane.scroll_y == 0
        lines = pane_text(app, pane).splitlines()
        assert lines[0].strip() == "No meeting selected"
        said = "".join("".join(line.split()) for line in lines)
        assert not missing(said, "Pick a meeting in the list, or press n to create one."), \
            (size, lines)
