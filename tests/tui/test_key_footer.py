"""The main screen's one-widget footer: the same hints as Textual's Footer, worked out
again on a focus change but repainted only when they changed; a click presses the key."""

from __future__ import annotations

from meettui.tui.screens.help import HelpScreen
from meettui.tui.widgets.footer import KeyFooter


async def test_the_footer_follows_focus_and_keeps_equal_hints(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        shown = footer.hints
        assert [h.description for h in shown][:2] == ["Filter", "Accounts"]
        app.screen.refresh_bindings()  # bindings "changed" with nothing different
        await pilot.pause()
        assert footer.hints is shown  # equal hints are not even replaced
        # The filter box takes printable keys: their hints go while it has focus
        # (as with Textual's Footer), and come back with Esc.
        await pilot.press("slash")
        await pilot.pause()
        assert "Accounts" not in {h.description for h in footer.hints}
        await pilot.press("escape")
        await pilot.pause()
        assert footer.hints == shown


async def test_read_only_drops_the_write_keys_from_the_footer(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        # (d is named as a Jitsi room is deleted: forgotten here.)
        assert {"New", "Edit", "Forget"} <= {h.description for h in footer.hints}
        await pilot.press("L")
        await pilot.pause()
        assert not {"New", "Edit", "Forget", "Delete"} & {h.description for h in footer.hints}


async def test_clicking_a_hint_presses_its_key(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        line = footer.render_line(0).text
        await pilot.click(KeyFooter, offset=(line.index("? Help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_narrow_footer_is_compact_and_keeps_help_and_quit(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert footer.compact and footer.palette is None
        line = footer.render_line(0).text
        assert "? Help" in line and "q Quit" in line and "^p" not in line


async def test_a_footer_too_short_for_every_hint_keeps_help_and_quit_whole(make_app):
    """The tester's widths: at 70 columns the line ended `? Help q Qu`, at 60 `d Delete
    ?`, below that Help and Quit were gone. Hints that do not fit go whole, last first,
    except the ways to learn the keys and to leave."""
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        for width in (70, 60, 50, 40, 30):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            line = footer.render_line(0).text.rstrip()
            assert line.endswith("? Help q Quit"), (width, line)
            shown = [h for h in footer.hints if f"{h.display} {h.description}" in line]
            assert line == " ".join(f"{h.display} {h.description}" for h in shown)
            assert shown[0].description == "Filter"  # the first hints go last


async def test_edit_and_delete_follow_what_the_highlighted_meeting_s_provider_can_do(tmp_path):
    # The footer worked its keys out when the focus moved, not the cursor: `d Delete`
    # stayed lit on a Vonage room (Vonage cannot delete), and greyed on meetings that
    # can be deleted, whatever the meeting highlighted when it was last worked out.
    from states import demo_app, settle

    from meettui.core.delete_key import delete_key

    app = demo_app(tmp_path, providers=("vonage", "whereby"))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        footer = main.query_one(KeyFooter)
        seen: dict[str, set[tuple[bool, bool]]] = {}
        for _ in range(60):
            await pilot.press("down")
            await pilot.pause()
            meeting = main.selected
            caps = main.service.capabilities_for(meeting)
            lit = {h.description: h.enabled for h in footer.hints}
            line = footer.render_line(0).text
            # d named as this meeting's account deletes ("Forget" a Jitsi room).
            word = delete_key(caps, meeting).label
            assert f"d {word}" in line and "e Edit" in line
            expected = (caps.update != "none", caps.delete != "none")
            assert (lit["Edit"], lit[word]) == expected, meeting.account
            seen.setdefault(meeting.account, set()).add(expected)
        assert seen["vonage-demo"] and all(not delete for _, delete in seen["vonage-demo"])
        assert (True, True) in seen["whereby-demo"]


async def test_a_question_s_footer_keeps_both_answers_before_help(make_app):
    # At 16x5 a confirmation's footer kept `? Help y Yes` and lost `n No`.
    from meettui.tui.screens.confirm import ConfirmScreen

    app = make_app()
    async with app.run_test(size=(16, 5)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        line = app.screen.query_one(KeyFooter).render_line(0).text
        assert "y Yes" in line and "n No" in line, line
    async with make_app().run_test(size=(40, 12)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        line = pilot.app.screen.query_one(KeyFooter).render_line(0).text
        assert "? Help" in line and "y Yes" in line and "n No" in line, line


async def test_the_accounts_dialog_shows_an_account_at_20x6(make_app):
    # The title took every row the dialog had: choosing an account was blind.
    from tui_data import screen_text

    app = make_app()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert "All accounts" in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert "team" in screen_text(app)


async def _footer_after_slash(pilot) -> str:
    """The footer's line once `/` has opened the filter box."""
    await pilot.press("slash")
    await pilot.pause()
    return pilot.app.screen.query_one(KeyFooter).render_line(0).text


async def test_the_filter_box_s_footer_says_how_to_keep_and_clear_the_filter(make_app):
    # After `/` the footer said only "/ Filter  f1 Help": neither Enter (keep the
    # filter, back to the list) nor Esc (clear it) was named.
    from tui_data import BASE_CONFIG

    for size in ((80, 24), (120, 36)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            line = await _footer_after_slash(pilot)
            footer = app.screen.query_one(KeyFooter)
            assert "⏎ Keep filter" in line and "esc Clear filter" in line, (size, line)
            assert "f1 Help" in line, (size, line)
            # `/` types itself there: the footer does not offer it as "Filter".
            assert "/ Filter" not in line, (size, line)
            shown = footer.hints
            app.screen.refresh_bindings()  # nothing new: the hints are not even replaced
            await pilot.pause()
            assert footer.hints is shown
            await pilot.press("escape")
            await pilot.pause()
            assert "Keep filter" not in footer.render_line(0).text
    # The keys after the user's keymap.
    config = BASE_CONFIG + '[keymap]\n"filter.keep" = "ctrl+k"\n"filter.clear" = "ctrl+g"\n'
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        line = await _footer_after_slash(pilot)
        assert "^k Keep filter" in line and "^g Clear filter" in line, line


async def test_a_narrow_filter_footer_keeps_its_way_out(make_app):
    # Esc is the filter box's way out: kept, with the help, where the line is short.
    app = make_app()
    async with app.run_test(size=(28, 12)) as pilot:
        line = await _footer_after_slash(pilot)
        assert "esc Clear filter" in line and "f1 Help" in line, line


async def test_a_slash_typed_in_the_filter_box_is_text(make_app):
    # Not offered as "/ Filter" there (above): the key types itself, in any burst.
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "a/b"
        await pilot.press("left", "slash")
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "a//b"


async def test_a_narrow_footer_gives_up_greyed_keys_before_lit_ones(tmp_path):
    # At 80 columns a cancelled 24sessions meeting's footer lost `d Delete for good`,
    # which works, and kept `e Edit`, greyed: a cancelled meeting is not rescheduled.
    from states import demo_app, settle

    from meettui.core.models import Status

    app = demo_app(tmp_path, providers=("24sessions",))
    # 90 columns since the footer shows `i Details` (no side pane below 100): at 80 the
    # lit `d Delete for good` no longer fits beside it either.
    async with app.run_test(size=(90, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("home")
        for _ in range(main.table.row_count):
            if main.selected.status == Status.CANCELLED:
                break
            await pilot.press("down")
        await pilot.pause()
        assert main.selected.status == Status.CANCELLED
        footer = main.query_one(KeyFooter)
        line = footer.render_line(0).text
        assert "d Delete for good" in line and "e Edit" not in line, line
        assert line.rstrip().endswith("? Help q Quit")
