"""Counts read as the command line writes them (1,001, not 1001), and a one-line status
cut at the edge says so with "…"."""

from __future__ import annotations

from datetime import timedelta

from tui_data import screen_text

from factories import T0, make_meeting


def _many(n: int):
    return [make_meeting(i, account="team", title=f"Call {i}").model_copy(
        update={"ends_at": T0 + timedelta(minutes=i + 60)}) for i in range(n)]


async def test_counts_have_thousands_separators(make_app):
    app = make_app(_many(1001))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1,001 meetings" in text, text
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        assert "1,001 cached, merged in one list" in text and "· 1,001 cached" in text, text


async def test_a_status_line_too_long_ends_in_an_ellipsis(make_app):
    app = make_app(_many(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        main.query_text = "zzzz " * 30
        main.update_status()
        await pilot.pause()
        line = screen_text(app).splitlines()[-2]
        assert line.rstrip().endswith("…"), line


async def test_the_accounts_list_at_40x12_shows_each_entry_from_its_name(tmp_path):
    # "synced never · 0 cached" showed with no account name above it, and "Whereby /
    # Embedded ok" wrapped: an entry took more rows than the list has.
    from states import demo_app, settle

    from meettui.tui.screens.accounts import AccountsScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        option_list = screen.query_one("#accounts-list")
        names = [i.name for i in screen._infos]
        for _ in range(len(names) + 1):
            await pilot.press("down")
            await pilot.pause()
            await pilot.pause()
            highlighted = option_list.get_option_at_index(option_list.highlighted).id
            text = screen_text(app)
            shown = [line for line in text.splitlines() if "▊" in line]
            if highlighted in names:
                assert any(f"▊ {highlighted} " in line for line in shown), (highlighted, text)
            # No entry wraps: two lines each.
            assert all(height == 2 for height in option_list._heights.values()), text


async def test_the_detail_s_under_way_line_too_long_ends_in_an_ellipsis(make_app):
    from meettui.tui.app_writes import Write
    from meettui.tui.screens.detail_screen import DetailScreen

    app = make_app(_many(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        app.writes.append(Write("Running 'Start the meeting now' on 'Evil " + "x" * 90 + "'"))
        detail.writes_changed()
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "Running" in line)
        assert line.rstrip().endswith("…"), line
        app.writes.clear()
