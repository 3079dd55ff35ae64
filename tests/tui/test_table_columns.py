"""The list's columns: a cut cell ends in "…", the Account column is as wide as the
longest account name when there is room, and the title takes what is left."""

from __future__ import annotations

from tui_data import screen_text

from factories import make_meeting
from meettui.core.display import fit
from meettui.tui.widgets.meeting_rows import (
    ACCOUNT,
    ACCOUNT_MAX,
    MIN_TITLE,
    TITLE,
    account_column_width,
    column_widths,
)
from meettui.tui.widgets.meeting_table import MeetingTable

# The demo's account names, each provider's own (README: "What each size shows").
DEMO_ACCOUNTS = """
theme = "meettui-dark"
builtin_jitsi = false
[[accounts]]
name = "24sessions-demo"
provider = "jitsi"
[[accounts]]
name = "accelevents-demo"
provider = "jitsi"
"""

LONG = "Support session with Sami Kowalski (Riverbank Bank)"
CONSULTATION = "Video consultation with Wen Okafor"


def _meetings():
    return [
        make_meeting(0, account="24sessions-demo", title=LONG),
        make_meeting(1, account="accelevents-demo", title=CONSULTATION),
        make_meeting(2, account="24sessions-demo", title="Lunch"),
    ]


def test_a_cut_cell_ends_in_an_ellipsis():
    assert fit(LONG, 42) == "Support session with Sami Kowalski (River…"
    assert fit(LONG, 30).endswith("…") and len(fit(LONG, 30)) == 30
    # A cut after a word keeps no space before the ellipsis; a wide character cut in
    # half neither.
    assert fit("Video consultation with Wen Okafor", 28) == "Video consultation with Wen…"
    assert fit("wide 会議 title", 9) == "wide 会… "
    assert fit("Lunch", 8) == "Lunch   "
    assert fit("Lunch", 1) == "…" and fit("Lunch", 0) == ""


def test_the_account_column_is_as_wide_as_the_longest_name_within_a_cap():
    assert account_column_width(["24sessions-demo", "accelevents-demo", "jitsi"]) == 16
    assert account_column_width(["x" * 60]) == ACCOUNT_MAX
    assert account_column_width(["a"]) == len("Account ▲")  # the title and its sort mark


def test_the_title_keeps_room_before_the_optional_columns_take_it():
    for width in range(20, 240):
        widths = column_widths(width, 16)
        optional = any(widths[i] for i in range(4, len(widths)))
        assert sum(widths) + sum(1 for w in widths if w) - 1 <= max(width, widths[TITLE])
        if optional:
            assert widths[TITLE] >= MIN_TITLE, width
        if widths[ACCOUNT]:
            assert widths[ACCOUNT] >= 12


async def test_every_cut_cell_of_the_list_ends_in_an_ellipsis(make_app):
    app = make_app(_meetings(), config=DEMO_ACCOUNTS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.table
        title = table.column_widths(table.scrollable_content_region.width)[TITLE]
        assert title < len(LONG)
        row = next(line for line in screen_text(app).splitlines()
                   if line.startswith("Support"))
        # Was "Support session with Sami Kowalski (Riverb": cut mid-word, no "…".
        assert row[:title] == LONG[:title - 1] + "…"


async def test_account_names_show_whole_at_80_and_160_columns(make_app):
    for size in ((80, 24), (160, 50)):
        app = make_app(_meetings(), config=DEMO_ACCOUNTS)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one(MeetingTable)
            assert table.account_width == 16
            text = screen_text(app)
            # Was "24sessions-dem" and "accelevents-de" at every width.
            assert "24sessions-demo " in text and "accelevents-demo " in text, size


async def test_at_160_columns_with_the_pane_the_title_gets_the_room(make_app):
    app = make_app(_meetings(), config=DEMO_ACCOUNTS)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        table = app.screen.table
        widths = table.column_widths(table.scrollable_content_region.width)
        # Was 28 ("Video consultation with Wen "), End taking the room.
        assert widths[TITLE] >= MIN_TITLE
        assert f"{CONSULTATION} " in screen_text(app)
