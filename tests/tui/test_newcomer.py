"""Issue 12, as a newcomer meets the app: the first screen, what it says, every size."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from states import DEMO_PROVIDERS, deterministic_env, first_start_app, settle
from textual.widgets import Static
from tui_data import BASE_CONFIG, NOW, default_meetings

from factories import make_meeting
from meettui.core.models import Status
from meettui.tui.screens.main import MainScreen
from meettui.tui.widgets.detail import DetailPane

UUID_LIKE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def _text(app) -> str:
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        console = Console(width=app.size.width, record=True, file=sink)
        console.print(app.screen._compositor.render_update(full=True))
        return console.export_text()


@pytest.fixture(autouse=True)
def _env() -> None:
    deterministic_env()


def _unfitted_blocks(app) -> list[str]:
    """Detail blocks whose height is not the height of what they show."""
    pane = app.screen.query_one(DetailPane)
    wrong = []
    for block in pane.query(Static):
        width = block.content_region.width
        if not width:
            continue
        wanted = block.get_content_height(block.size, app.size, width)
        if block.content_region.height != wanted:
            wrong.append(f"{block.id}: {block.content_region.height} rows for {wanted}")
    return wrong


@pytest.mark.parametrize("providers", [DEMO_PROVIDERS, None], ids=["pinned", "all"])
async def test_first_start_detail_pane_is_complete(tmp_path, providers):
    # D7: pages land one after another while the pane goes from "No meeting selected"
    # to the first meeting; a stale height showed only the first line of each block.
    app = first_start_app(tmp_path, providers=providers)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DetailPane).meeting is not None
        assert _unfitted_blocks(app) == []


# -- open on what matters now -------------------------------------------------------------


async def test_the_demo_opens_on_what_is_on_now_with_readable_titles(tmp_path):
    app = first_start_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        now = app.clock.now()
        selected = main.selected
        assert selected is not None
        assert selected.effective_status(now) in (Status.LIVE, Status.SCHEDULED)
        assert selected.starts_at is None or selected.starts_at >= now - timedelta(hours=1)
        # The row just before it, if any, began earlier: this is the start of "now/next".
        assert main.table.cursor > 0
        rooms = [m for m in main.service.window(["whereby-demo"], limit=50)]
        assert rooms and not [m.title for m in rooms if UUID_LIKE.search(m.title)]
        assert "Q QR" in _text(app) and "? keys" in _text(app)  # the hint line


async def test_the_hint_line_gives_way_on_short_terminals(tmp_path):
    app = first_start_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Try: Q QR" not in _text(app)


# -- every size ------------------------------------------------------------------------------


def _header(app) -> str:
    return str(app.screen.query_one("#table-header").render())


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_each_width_keeps_title_account_start_and_status(tmp_path, size):
    app = first_start_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        header = _header(app)
        for column in ("Title", "Account", "Start", "Status"):
            assert column in header, (size, header)
        footer = _text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer, footer


async def test_eighty_columns_hide_the_pane_and_i_shows_the_detail_full_screen(tmp_path):
    app = first_start_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(DetailPane).display
        selected = app.screen.selected
        await pilot.press("i")
        from meettui.tui.screens.detail_screen import DetailScreen

        assert isinstance(app.screen, DetailScreen)
        assert f"ID           {selected.id}" in _text(app)
        await pilot.press("escape")
        assert app.screen.query_one(DetailPane).display is False


async def test_one_account_has_no_account_column(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Account" not in _header(app)


async def test_header_and_rows_align_without_a_scrollbar(make_app):
    # D11: a list too short to scroll had its header two columns off its rows, and
    # Status touched the pane border.
    app = make_app(default_meetings(3), config=BASE_CONFIG + TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = _text(app).splitlines()
        header = lines[1]
        row = next(line for line in lines if "Customer call 001" in line)
        assert header.index("Account") == row.index("team")
        assert header.index("Status") == re.search(r"started|live|scheduled", row).start()
        border = row.index("▏")
        assert row[border - 2:border] == "  ", row  # Status does not touch the border


async def test_demo_label_survives_forty_columns(tmp_path):
    app = first_start_app(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert "DEMO" in _text(app).splitlines()[0]


@pytest.mark.parametrize("keys", [(), ("i",), ("Q",), ("n",), ("a",), ("question_mark",)])
async def test_every_screen_survives_one_by_one_and_recovers(tmp_path, keys):
    app = first_start_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        for width, height in [(1, 1), (2, 1), (1, 3), (10, 4), (80, 24)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            _text(app)
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, MainScreen):
            assert "Title" in _header(app)
            assert not _unfitted_blocks(app)


# -- what the list says -----------------------------------------------------------------------


async def test_rows_say_relative_starts_and_the_header_the_zone(make_app):
    meetings = [
        make_meeting(1, account="team", title="Soon").model_copy(update={
            "starts_at": NOW + timedelta(hours=2), "ends_at": NOW + timedelta(hours=3)}),
        make_meeting(2, account="team", title="Running late").model_copy(update={
            "starts_at": NOW - timedelta(minutes=5), "ends_at": NOW + timedelta(hours=1)}),
        make_meeting(3, account="team", title="No times").model_copy(update={
            "starts_at": None, "ends_at": None, "status": Status.UNKNOWN}),
        make_meeting(4, account="team", title="Vanished").model_copy(update={
            "starts_at": NOW - timedelta(minutes=2), "ends_at": NOW + timedelta(hours=1),
            "status": Status.LIVE}),
    ]
    app = make_app(meetings)
    app.service.cache.mark_missing("team", "m000004")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        text = _text(app)
        rows = {line.split("  ")[0].strip(): line for line in text.splitlines()[2:8]}
        assert "in 2h" in rows["Soon"] and "scheduled" in rows["Soon"]
        assert "5m ago" in rows["Running late"] and "started" in rows["Running late"]
        assert "—" in rows["No times"] and "unknown" not in rows["No times"]
        assert "gone" in rows["Vanished"] and "live" not in rows["Vanished"]
        assert "(UTC)" in _header(app)


async def test_shift_letters_sort_and_toggle(make_app):
    titles = ["Bravo", "alpha", "Charlie"]
    app = make_app([make_meeting(i, account="team", title=t) for i, t in enumerate(titles)])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("T")
        table = app.screen.table
        assert [table.meeting_at(i).title for i in range(3)] == ["alpha", "Bravo", "Charlie"]
        assert "Title ▲" in _header(app)
        await pilot.press("T")
        assert [table.meeting_at(i).title for i in range(3)] == ["Charlie", "Bravo", "alpha"]
        assert "Title ▼" in _header(app)
        await pilot.press("S")
        assert [table.meeting_at(i).title for i in range(3)] == titles


async def test_filter_reads_account_status_and_links(make_app):
    meetings = default_meetings(5) + [make_meeting(9, account="other", title="Elsewhere")]
    app = make_app(meetings, config=BASE_CONFIG + TWO_ACCOUNTS)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"account:oth")
        await pilot.pause()  # the list is filtered once typing pauses
        assert app.screen.table.row_count == 1
        await pilot.press("escape", "slash", *"x.whereby.com/r3")  # a guest link
        await pilot.pause()
        assert app.screen.selected.id == "m000003"
        assert app.screen.table.row_count == 1
        await pilot.press("escape", "slash", *"roomKey=k3")  # host links are not searched
        await pilot.pause()
        assert app.screen.table.row_count == 0


TWO_ACCOUNTS = """
[[accounts]]
name = "other"
provider = "jitsi"
"""


async def test_the_form_at_sixty_by_twenty_shows_account_and_title_whole(tmp_path):
    # D16: the form opened scrolled to the title, leaving one line of the Account selector.
    app = first_start_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        body = app.screen.query_one("#form-body")
        select = app.screen.query_one("#field-account")
        assert select.region.height == 3
        assert body.region.contains_region(select.region)
        # The form opens on the highlighted row's account; its first field follows it,
        # in view with its label (the cursor is there). The Account field's label goes
        # above the top: the field it names and the one typed into do not both fit.
        first = app.screen.fields()[0]
        field = app.screen.query_one(f"#field-{first.name}")
        assert app.screen.focused is field
        assert body.region.contains_region(field.region)
        # (A required field's label ends in " *": eyeson's Name is required.)
        label = first.label.replace(" ", "") + ("*" if first.required else "")
        assert f"{label}\n" in _text(app).replace(" ", "").replace("█", "")


@pytest.mark.parametrize("size", [(60, 20), (40, 12), (30, 8)])
async def test_the_qr_view_wraps_the_link_it_cannot_draw(tmp_path, size):
    # D15: when the code does not fit, the link is all the guest has: never cut it.
    app = first_start_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"account:whereby", "enter", "Q")
        await pilot.pause()
        link = app.screen.link.url.removeprefix("https://")
        shown = "".join(line.strip() for line in _text(app).splitlines())
        assert link in shown


@pytest.mark.parametrize(("size", "keys"), [
    ((80, 24), ()), ((80, 24), ("i",)), ((120, 40), ()), ((160, 50), ()), ((40, 12), ()),
], ids=["80x24", "80x24-detail", "120x40", "160x50", "40x12"])
def test_first_screen_snapshots(snap_compare, tmp_path, size, keys):
    from states import keys as press

    app = first_start_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=press(*keys))


async def test_the_full_screen_detail_takes_the_keys_its_hints_name(make_app):
    # Below 100 columns the detail is a screen of its own: `r` reveals there, `h` asks
    # before copying the host link, `y` copies the guest link (they did nothing).
    from meettui.tui.screens.confirm import ConfirmScreen
    from meettui.tui.screens.detail_screen import DetailScreen

    meetings = [make_meeting(i, account="team") for i in range(3)]
    app = make_app(meetings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        selected = app.screen.selected
        host = selected.link(selected.links[1].role).url
        await pilot.press("i")
        assert isinstance(app.screen, DetailScreen)
        assert host not in _text(app)
        await pilot.press("r")
        assert host in _text(app)
        await pilot.press("y")
        assert app.clipboard == selected.shareable_link().url
        await pilot.press("h")
        assert isinstance(app.screen, ConfirmScreen)


@pytest.mark.parametrize("start", [(10, 3), (80, 24)], ids=["starts-tiny", "shrinks"])
async def test_a_terminal_too_small_for_one_row_says_so_and_the_list_comes_back(make_app,
                                                                                start):
    # At 10x3 the title, a header cell, the footer and the scrollbar's thumb were drawn
    # over each other: nothing said the terminal was too small or what size would do.
    app = make_app()
    async with app.run_test(size=start) as pilot:
        await pilot.resize_terminal(10, 3)
        await pilot.pause()
        assert [line.rstrip() for line in _text(app).splitlines()] == [
            "Too small", "needs 16×5", " q quits"]
        await pilot.resize_terminal(*MainScreen.SMALLEST)
        await pilot.pause()
        lines = _text(app).splitlines()
        assert "Too small" not in "".join(lines)
        assert lines[1].startswith("Title") and lines[-1].rstrip().endswith("q Quit")
        # The list has its keys again (hidden, it had lost the focus: j did nothing).
        assert app.screen.focused is app.screen.table
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_too_small_notice_names_the_quit_key_of_the_keymap(make_app):
    app = make_app(config=BASE_CONFIG + '[keymap]\n"app.quit" = "ctrl+q"\n')
    async with app.run_test(size=(10, 3)) as pilot:
        await pilot.pause()
        assert _text(app).splitlines()[2].strip() == "^q quits"
