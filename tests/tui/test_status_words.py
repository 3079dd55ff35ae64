"""The list, the detail pane and the command line say one status, and a room closed
before its expiry shows no countdown as if its links still worked."""

from datetime import timedelta

from tui_data import NOW, screen_text

from factories import make_meeting
from meettui.core.models import Status
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.meeting_rows import COLUMNS, _cell

EXPIRES = len(COLUMNS) - 1

# Scheduled, its start passed, nobody said it is live: the list says "started".
STARTED = make_meeting(1, account="team", title="Past its start")
# A room the provider closed (after use, or by hand) long before its expiry.
CLOSED = make_meeting(2, account="team", title="Closed room").model_copy(
    update={"status": Status.EXPIRED, "ends_at": None,
            "expires_at": NOW + timedelta(days=180)})


def facts(meeting) -> dict[str, str]:
    return dict(DetailPane._fact_rows(meeting, NOW))


def test_the_detail_pane_says_the_list_s_status():
    # The list said "started" where the pane said "scheduled" for the same meeting.
    assert STARTED.status_label(NOW) == "started"
    assert facts(STARTED)["Status"] == "started"
    assert facts(STARTED.model_copy(update={"missing": True}))["Status"] == "gone"


def test_a_room_closed_before_its_expiry_counts_nothing_down():
    # "expired" next to "Link expires in 180d" said the links worked for half a year.
    assert _cell(EXPIRES, CLOSED, NOW) == "closed"
    assert facts(CLOSED)["Link expires"].startswith("closed already (it was to expire ")
    assert _cell(EXPIRES, STARTED.model_copy(update={"expires_at": NOW + timedelta(days=2)}),
                 NOW) == "in 2d"


async def test_the_list_and_pane_agree_on_screen(make_app):
    app = make_app([STARTED, CLOSED])
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "Closed room" in line)
        assert "expired" in row and "closed" in row and "180d" not in row


def test_the_command_line_says_the_same(capsys):
    from argparse import Namespace

    from meettui.cli._output import print_meeting

    print_meeting(STARTED.model_copy(update={"missing": True}), Namespace(text=True), NOW)
    print_meeting(CLOSED, Namespace(text=True), NOW)
    out = capsys.readouterr().out
    # The JSON's `status` word first ("started (gone upstream …)" said another).
    assert ("  status    gone (the provider no longer lists it; last known status: "
            "started)") in out
    assert "  expires   closed already (it was to expire " in out


def test_a_capacity_the_provider_details_is_shown_once():
    # Accelevents showed "Capacity 50" among the facts and again among its details.
    room = STARTED.model_copy(update={"capacity": 50, "details": {"Capacity": "50"}})
    rows = DetailPane._fact_rows(room, NOW)
    assert [label for label, _ in rows].count("Capacity") == 1
    plain = STARTED.model_copy(update={"capacity": 4})
    assert dict(DetailPane._fact_rows(plain, NOW))["Capacity"] == "4"


async def test_each_status_word_is_drawn_in_its_own_look(make_app):
    # A live room the provider no longer lists said "gone" in bold green, the look of
    # "live": the cell was styled by the status underneath, not by the word shown.
    from meettui.tui.widgets.meeting_table import MeetingTable

    live = make_meeting(3, account="team", title="Live room").model_copy(
        update={"status": Status.LIVE, "starts_at": NOW - timedelta(minutes=5),
                "ends_at": NOW + timedelta(hours=1)})
    gone = make_meeting(4, account="team", title="Gone room").model_copy(
        update={"status": Status.LIVE, "starts_at": NOW - timedelta(minutes=5),
                "ends_at": NOW + timedelta(hours=1)})
    app = make_app([live, gone, STARTED])
    app.service.cache.mark_missing("team", gone.id)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(MeetingTable)
        looks = table._looks
        base = looks.base()

        def status_style(word: str, missing: bool = False):
            return looks.row(base, missing, False, word)[1]

        live_style = table.get_component_rich_style("meeting-table--live", partial=True)
        gone_style = status_style("gone", missing=True)
        assert gone_style.color != status_style("live", missing=True).color
        assert not gone_style.bold and gone_style.color != live_style.color
        # Its colour as Textual resolves it on the table: the partial style's bare RGB
        # of `auto` was white, on white in the light theme.
        assert gone_style.color == table.get_component_rich_style(
            "meeting-table--gone").color
        # "started" looks scheduled; each other word has its component's colour.
        assert status_style("started").color == status_style("scheduled").color
        for word in ("live", "scheduled", "ended", "expired", "cancelled"):
            assert status_style(word).color == table.get_component_rich_style(
                f"meeting-table--{word}", partial=True).color, word
        # On screen: the gone row's status cell is not drawn in the live look.
        row = next(i for i in range(table.row_count)
                   if table.meeting_at(i) is not None and table.meeting_at(i).missing)
        strip = table._render_meeting(table.meeting_at(row), row, 118, base)
        cell = next(seg for seg in strip if seg.text.strip() == "gone")
        assert cell.style.color != live_style.color and not cell.style.bold
