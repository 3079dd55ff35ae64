import time

import pytest
from tui_data import screen_text

from factories import make_meeting
from meettui.core.models import Link, Meeting, Role
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.widgets.detail import DetailPane


async def test_cached_rows_show_at_once_and_detail_follows_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.screen
        assert main.table.row_count == 40
        assert main.selected.id == "m000000"
        await pilot.press("down", "down")
        assert main.selected.id == "m000002"
        await pilot.pause()  # the pane follows once the cursor rests (and pause waits)
        detail = app.screen.query_one(DetailPane)
        assert detail.meeting.id == "m000002"
        text = screen_text(app)
        assert "Customer call 002" in text
        assert "40 meetings" in text


async def test_host_link_masked_until_revealed(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "roomKey=k0" not in text
        assert "••••••••" in text
        await pilot.press("r")
        assert "roomKey=k0" in screen_text(app)
        await pilot.press("r")
        assert "roomKey=k0" not in screen_text(app)


async def test_a_revealed_host_link_is_masked_again_once_its_meeting_is_left(make_app):
    """The tester came back to a meeting minutes later and found its host link still
    shown: a reveal lasts while the meeting is selected."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "roomKey=k0" in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert "roomKey=k1" not in screen_text(app)
        await pilot.press("up")
        await pilot.pause()
        assert app.screen.selected.id == "m000000"
        assert "roomKey=k0" not in screen_text(app) and "••••••••" in screen_text(app)


async def test_reveal_without_the_pane_says_where_to_look(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        assert app.messages[-1] == (
            "information", "Hidden links of 'Customer call 000' shown: press i to see them.")
        await pilot.press("i")
        assert "roomKey=k0" in screen_text(app)
        await pilot.press("escape", "r")  # (closing the detail masked them)
        assert app.messages[-1] == (
            "information", "Hidden links of 'Customer call 000' shown: press i to see them.")
        await pilot.press("r")
        assert app.messages[-1] == (
            "information", "Hidden links of 'Customer call 000' masked again.")
        # On the detail screen the links themselves change: no toast to cover them.
        said = len(app.messages)
        await pilot.press("i", "r")
        await pilot.pause()
        assert "roomKey=k0" in screen_text(app) and len(app.messages) == said


@pytest.mark.parametrize("key", ["escape", "i", "q"])
async def test_closing_the_detail_masks_its_host_links_again(make_app, key):
    # `i`, `r`, Esc, then `i` again showed the host link whole, and so did the side
    # pane once the terminal was widened: closing the detail is leaving the meeting.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i", "r")
        await pilot.pause()
        assert "roomKey=k0" in screen_text(app)
        await pilot.press(key)
        await pilot.press("i")
        await pilot.pause()
        assert "roomKey=k0" not in screen_text(app) and "••••••••" in screen_text(app)
        await pilot.press("escape")
        await pilot.resize_terminal(120, 36)
        await app.wait_until_settled()
        await pilot.pause()
        assert app.screen.selected.id == "m000000"
        assert "roomKey=k0" not in screen_text(app) and "••••••••" in screen_text(app)


async def test_copy_guest_link_sets_clipboard_and_says_so(make_app, monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")  # keep the real system clipboard out of tests
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("down", "g")
        assert app.clipboard == "https://x.whereby.com/r1"
        assert app.messages[-1] == ("information", "Copied the guest link: https://x.whereby.com/r1")


async def test_copy_host_link_asks_first_and_masks_the_toast(make_app, monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.clipboard == ""
        await pilot.press("h")
        await pilot.press("y")
        assert app.clipboard == "https://x.whereby.com/r0?roomKey=k0"
        severity, message = app.messages[-1]
        assert "roomKey" not in message and "••••" in message


async def test_copy_missing_role_warns(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("v")
        assert app.messages[-1] == ("warning", "This meeting has no viewer link.")


async def test_filter_is_sql_and_escape_clears(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        await pilot.press(*'"call 03"')
        await pilot.pause()  # the list is filtered once typing pauses
        main = app.screen
        assert main.table.row_count == 10
        assert main.selected.title == "Customer call 030"
        assert main.service.count(main.scope, '"call 03"') == 10
        await pilot.press("enter", "escape")
        assert main.table.row_count == 40


async def test_escape_keeps_the_meeting_the_filter_found(make_app):
    # Esc cleared the filter and took the cursor back to what is on now, away from the
    # meeting just looked for: it stays on it, now among all of them.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.screen
        opened = main.selected.title
        await pilot.press("slash", *'"call 03"')
        await pilot.pause()
        await pilot.press("enter")
        assert main.selected.title == "Customer call 030" != opened
        await pilot.press("escape")
        await pilot.pause()
        assert main.table.row_count == 40
        assert main.selected.title == "Customer call 030"
        # Moved in the filtered list first: the meeting moved to stays too.
        await pilot.press("slash", *'"call 03"')
        await pilot.pause()
        await pilot.press("enter", "down", "down", "escape")
        await pilot.pause()
        assert main.selected.title == "Customer call 032"


@pytest.mark.parametrize("order", [None, "T"], ids=["by-start", "by-title"])
async def test_a_filter_that_leaves_the_cursor_meeting_out_goes_where_the_list_opens(
        make_app, order):
    # The cursor kept its row number, clamped to the filtered list: moved to row 25,
    # '/call 03' put it on "Customer call 039", the last match, and Enter, Q or y acted
    # on a meeting the user never chose.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        if order:
            await pilot.press(order)
        await pilot.press(*["down"] * 25)
        main = app.screen
        assert main.selected.title == "Customer call 025"
        await pilot.press("slash", *'"call 03"')
        await pilot.pause()
        assert main.table.row_count == 10
        assert main.selected.title == "Customer call 030"
        # One still in the result stays under the cursor.
        await pilot.press("enter", "down", "down")
        await pilot.press("slash", "backspace", "enter")
        await pilot.pause()
        assert main.table.row_count > 10 and main.selected.title == "Customer call 032"


def count_layouts(monkeypatch, widget_class) -> list[int]:
    """A list that grows by one for every `refresh(layout=True)` of a `widget_class`
    from now on (the refresh itself still happens)."""
    layouts: list[int] = []
    original = widget_class.refresh

    def counting(self, *regions, layout=False, **kwargs):
        if layout:
            layouts.append(1)
        return original(self, *regions, layout=layout, **kwargs)

    monkeypatch.setattr(widget_class, "refresh", counting)
    return layouts


async def test_a_filter_changes_the_length_without_laying_the_screen_out(make_app, monkeypatch):
    from meettui.tui.widgets.meeting_table import MeetingTable

    rows = [make_meeting(i, account="team", title="alpha" if i < 50 else "beta")
            for i in range(60)]
    app = make_app(rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        table = main.table
        view = table.size.height
        assert table.show_vertical_scrollbar and table.max_scroll_y == 61 - view
        layouts = count_layouts(monkeypatch, MeetingTable)
        main.query_text = "alpha"  # 50 rows: still longer than the view
        table.reload()
        await pilot.pause()
        assert table.virtual_size.height == 51 and table.max_scroll_y == 51 - view
        assert table.show_vertical_scrollbar and layouts == []
        await pilot.press("end")
        assert main.selected.id == "m000049"
        main.query_text = "beta"  # 10 rows: the scrollbar goes, which is a layout
        table.reload()
        await pilot.pause()
        assert table.virtual_size.height == 11 and table.max_scroll_y == 0
        assert not table.show_vertical_scrollbar and layouts
        main.query_text = ""
        table.reload()
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.max_scroll_y == 61 - view


async def test_markup_and_escape_titles_render_literally(make_app):
    evil = "[bold red]Boss[/] \x1b[31mred\x1b[0m [link=http://x]y[/link]"
    app = make_app([make_meeting(1, account="team", title=evil)])
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold red]Boss[/]" in text
        assert "\\x1b[31mred" in text
        assert "[link=http://x]y[/link]" in text


async def test_delete_jitsi_asks_and_forgets_locally(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Local only" in screen_text(app)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.service.cached("team", "m000000") is None
        assert app.screen.table.row_count == 39


async def test_read_only_hides_destructive_actions(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("L")
        assert app.screen.service.is_read_only("team")
        await pilot.press("d")
        assert not isinstance(app.screen, ConfirmScreen)
        # Hidden from the footer (False; None would only grey them out)...
        assert app.screen.check_action("delete", ()) is False
        assert app.screen.check_action("new", ()) is False
        assert app.screen.check_action("edit", ()) is False
        # ...and the key says why instead of doing nothing silently.
        assert app.messages[-1] == ("warning", "Account 'team' is read-only. To make it "
                                    "writable for this session, press L.")
        await pilot.press("n")
        assert not isinstance(app.screen, MeetingFormScreen)
        assert app.messages[-1] == ("warning", "Account 'team' is read-only. To make it "
                                    "writable for this session, press L.")
        await pilot.press("L")
        assert app.screen.check_action("delete", ()) is True


async def test_help_lists_keys_including_remaps(make_app):
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
              '[keymap]\n"copy.guest" = "c"\n')
    app = make_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        assert app.clipboard == "https://x.whereby.com/r0"
        await pilot.press("question_mark")
        keys = dict(app.screen._keys)  # the help is longer than the screen: read its list
        assert keys["c"] == "Copy guest"  # the remapped key, not the default g
        # d named as the account deletes: a Jitsi room is forgotten.
        assert "Filter" in keys.values() and "Forget" in keys.values()
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_switch_account_scope(make_app):
    config = (
        'builtin_jitsi = false\n'
        '[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
        '[[accounts]]\nname = "other"\nprovider = "jitsi"\n'
    )
    meetings = [make_meeting(i, account="team") for i in range(5)]
    meetings += [make_meeting(100 + i, account="other") for i in range(3)]
    app = make_app(meetings, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.table.row_count == 8
        await pilot.press("a")
        assert type(app.screen).__name__ == "AccountsScreen"
        # All accounts, team, other
        await pilot.press("down", "down", "enter")
        assert app.scope == "other"
        assert app.screen.table.row_count == 3
        assert "other" in app.screen.sub_title


async def test_unknown_theme_falls_back_with_a_message(make_app):
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(100, 30)):
        assert app.theme == "meettui-dark"
        assert ("warning", "Unknown theme 'no-such-theme'; using meettui-dark. "
                'Pick one with Ctrl+P → "Change theme".') in app.messages


async def test_the_unknown_theme_notice_names_a_palette_entry_there_is(make_app):
    # It sent the user to "Ctrl+P → Theme", an entry the palette does not have.
    from meettui.tui.commands import MeettuiCommands

    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notice = next(m for _, m in app.messages if m.startswith("Unknown theme"))
        named = notice.split("Ctrl+P → ", 1)[1].rstrip(".").strip('"')
        entries = [str(hit.text) async for hit in MeettuiCommands(app.screen).discover()]
        assert named in entries


@pytest.mark.parametrize(("content", "problem"), [
    ('dark = "yes"', "`dark` must be true or false, not 'yes'"),
    ('primary = "notacolor"', "`primary`: failed to parse 'notacolor' as a color"),
    ("luminosity_spread = true", "`luminosity_spread` must be a number from 0 to 1, not True"),
    ('variables = { accent = 3 }', "`variables` must be a table of strings"),
    # Each of these passed and ended the app when the theme was chosen.
    ('variables = { "status-live" = "blurple" }',
     "`variables` 'status-live': 'blurple' is not a colour Textual can use there"),
    ('variables = { "block-cursor-text-style" = "red" }',
     "`variables` 'block-cursor-text-style': 'red' is not a text style Textual can use there"),
    ("luminosity_spread = nan", "`luminosity_spread` must be a number from 0 to 1, not nan"),
    ("text_alpha = 1e300", "`text_alpha` must be a number from 0 to 1, not 1e+300"),
    # Textual reads "a,b" as "a, else b": listed, but choosing it gave another theme.
    ('name = "a,b"', "`name` must be a name without commas or control characters, "
                     "not 'a,b'"),
])
async def test_a_theme_file_with_a_bad_value_is_skipped_with_a_message(
        make_app, tmp_path, monkeypatch, content, problem):
    # Such a file used to pass at start and crash the app when the theme was chosen, and
    # one named like the default theme stopped every start.
    themes = tmp_path / "themes"
    themes.mkdir()
    lines = ['name = "meettui-dark"', 'primary = "#00ff00"', content]
    (themes / "bad.toml").write_text("\n".join(
        line for line in lines if line.split(" =")[0] != content.split(" =")[0]
        or line == content) + "\n")
    monkeypatch.setenv("MEETTUI_THEMES", str(themes))
    app = make_app(theme="meettui-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "meettui-dark"
        assert app.current_theme.primary != "#00ff00"  # the shipped theme, not the file's
        assert any(f"bad.toml: {problem}" in m for _, m in app.messages)


async def test_remember_theme(make_app, tmp_path):
    app = make_app(theme="meettui-light")
    async with app.run_test(size=(100, 30)):
        app.action_remember_theme()
    from meettui.core.prefs import load_prefs

    assert load_prefs()["theme"] == "meettui-light"


async def test_list_of_100k_stays_responsive(make_app):
    meetings = [make_meeting(i, account="team") for i in range(100_000)]
    app = make_app(meetings)
    started = time.perf_counter()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        opened = time.perf_counter() - started
        main = app.screen
        assert main.table.row_count == 100_000
        t = time.perf_counter()
        await pilot.press("end")
        assert main.selected.id == "m099999"
        await pilot.press("home")
        assert main.selected.id == "m000000"
        await pilot.press("slash", *"099998")
        await pilot.pause()
        assert main.table.row_count == 1
        moved = time.perf_counter() - t
    # Generous bounds: the point is "not linear in rows"; bench/ has the real numbers.
    assert opened < 5.0
    assert moved < 5.0


async def test_meeting_without_links(make_app):
    bare = Meeting(provider="jitsi", account="team", id="x", title="Bare", links=[])
    app = make_app([bare])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("y")
        assert app.messages[-1][0] == "warning"
        # The pane says so once the cursor has first rested (a timer): press() does not
        # wait for it, pause() does (conftest). Without the pause the check raced the
        # timer, and lost now and then once the first paint got quicker.
        await pilot.pause()
        assert "no links" in screen_text(app)


def test_link_mask():
    link = Link(role=Role.HOST, url="https://a.whereby.com/room?roomKey=abc", sensitive=True)
    assert link.masked() == "https://a.whereby.com/••••••••"


@pytest.mark.parametrize("burst", [False, True], ids=["pressed", "in-one-read"])
async def test_a_remapped_list_key_moves_and_the_old_one_no_longer_does(make_app, burst):
    # The list runs its own keys as it reads them: from the keymap, as Textual would.
    from test_forms_more import feed_terminal_bytes

    config = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
              '[keymap]\n"list.down" = "x"\n')
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.screen
        if burst:
            await feed_terminal_bytes(app, "xxj")
            for _ in range(3):
                await pilot.pause()
        else:
            await pilot.press("x", "x", "j")
        assert main.table.cursor == 2


async def test_unknown_keymap_ids_are_reported(make_app):
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
              '[keymap]\n"copy.gest" = "c"\n"copy.host" = "H"\n')
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        assert any("unknown key ids: copy.gest" in m for _, m in app.messages)
        await pilot.press("H")
        assert type(app.screen).__name__ == "ConfirmScreen"


async def test_a_keymap_that_takes_a_key_from_another_action_says_so(make_app):
    # `"qr.open" = "y"` took y from copying the link without a word.
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
              '[keymap]\n"qr.open" = "y"\n"copy.guest" = "c"\n')
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)):
        clashes = [m for _, m in app.messages if m.startswith("[keymap] gives")]
        assert len(clashes) == 1
        assert clashes[0].startswith("[keymap] gives 'y' to qr.open (QR), but "
                                     "copy.shareable (Copy link) has it in the list")
        assert "in the list" in clashes[0] and "Choose another key" in clashes[0]


async def test_a_keymap_cannot_take_quit_s_key(make_app):
    # `"qr.open" = "q"` took q from Quit: the footer lost "q Quit". The app's keys stay
    # theirs: q quits, the warning says so, QR keeps its default keys.
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
              '[keymap]\n"qr.open" = "q"\n')
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        said = [m for _, m in app.messages if m.startswith("[keymap] gives")]
        assert said == ["[keymap] gives 'q' to qr.open (QR), but app.quit (Quit) has it on "
                        "every screen, and keeps it: qr.open keeps its default 'Q' and "
                        "'enter'. Choose another key for qr.open."]
        await pilot.press("Q")
        await pilot.pause()
        assert type(app.screen).__name__ == "QRScreen"
        await pilot.press("escape", "q")
        await pilot.pause()
    assert app.return_code == 0


def test_two_remapped_ids_on_one_key_clash_and_apart_do_not():
    from meettui.tui.keymap import keymap_clashes

    assert keymap_clashes({"copy.guest": "x", "copy.host": "x"}) == [
        "[keymap] gives 'x' to both copy.guest (Copy guest) and copy.host (Copy host) in "
        "the list and on the details: pressed there, it does only one of them. Choose "
        "another key for one of them."]
    assert keymap_clashes({"copy.guest": "f3", "copy.host": "f4", "qr.open": "f2"}) == []


def test_a_key_given_to_what_it_already_does_is_no_clash():
    # `"app.quit" = "ctrl+q"` (Textual's own Ctrl+Q quits) said that Quit clashed with
    # itself "(in the list, on the accounts screen, …)", in a sentence that did not parse.
    from meettui.tui.keymap import keymap_clashes

    assert keymap_clashes({"app.quit": "ctrl+q"}) == []
    assert keymap_clashes({"app.quit": "q,ctrl+q"}) == []
    # The details' q closes them already (over the app's Quit), as it did before.
    assert keymap_clashes({"detail.close": "escape,i,q"}) == []


def test_a_clash_is_said_in_a_sentence_naming_each_place():
    from meettui.tui.keymap import keymap_clashes

    assert keymap_clashes({"qr.open": "q"}) == [
        "[keymap] gives 'q' to qr.open (QR), but app.quit (Quit) has it in the list and "
        "app.quit (Quit) and detail.close (Back) have it on the details already: pressed "
        "there, it does only one of them. Choose another key for qr.open."]


async def test_a_filter_that_can_match_nothing_says_why(make_app):
    # `status:bogus` emptied the list with "No meetings match the filter." only.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"status:bogus", "enter")
        await pilot.pause()
        assert app.screen.table.footer_text == (
            "No meetings match the filter: no status 'bogus' (use scheduled, started, live, "
            "ended, expired, cancelled, gone, unknown).")


def list_text(app) -> str:
    """What the list shows (the table's part of the screen), its lines joined by
    spaces, runs of spaces made one."""
    region = app.screen.table.region
    lines = screen_text(app).splitlines()[region.y:region.bottom]
    return " ".join(" ".join(line[region.x:region.right] for line in lines).split())


@pytest.mark.parametrize("width", [80, 200])
async def test_every_filter_warning_shows_whole_in_the_list(make_app, width):
    # The message was one line cut at the pane's edge: "…cancelled, gone, unknow", and
    # the second warning (`no account 'nosuch'`) never showed.
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("slash", *"account:nosuch status:bogus", "enter")
        await pilot.pause()
        assert ("No meetings match the filter: no status 'bogus' (use scheduled, started, "
                "live, ended, expired, cancelled, gone, unknown); no account 'nosuch' "
                "(there are team).") in list_text(app)


def test_readme_lists_every_binding_id():
    from pathlib import Path

    from meettui.tui.keymap import binding_ids

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = sorted(i for i in binding_ids() if f"`{i}`" not in readme)
    assert not missing, f"README's key id list lacks: {missing}"


async def test_typing_in_the_filter_box_repaints_it_and_lays_nothing_out(make_app, monkeypatch):
    from meettui.tui.widgets.filter_box import FilterBox

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        box = app.screen.query_one("#filter", FilterBox)
        layouts = count_layouts(monkeypatch, FilterBox)
        await pilot.press(*"call 03")
        await pilot.pause()
        assert box.value == "call 03" and layouts == []
        assert app.screen.table.row_count == app.screen.service.count(None, "call 03") == 11
        # Wider than the box, the text still scrolls to keep the cursor in view.
        text = " customer call" * 6 + " end"
        await pilot.press(*text)
        await pilot.pause()
        assert box.virtual_size.width > box.content_size.width and box.scroll_x > 0
        assert "call end" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert box.scroll_x == 0 and "call 03 customer" in screen_text(app)


async def test_ctrl_r_reads_the_cache_again_and_says_so(make_app, tmp_path):
    """A meeting another meettui wrote (`meettui create` in a shell, here a second
    connection to the same file) shows after Ctrl+R in a Jitsi account's view, where
    nothing is fetched; the toast says what Ctrl+R did."""
    from meettui.core.cache import Cache

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        before = main.table.row_count
        other = Cache(main.service.cache.path)
        try:
            other.upsert(make_meeting(900, account="team", title="Made in a shell"))
        finally:
            other.close()
        await pilot.pause()
        assert main.table.row_count == before
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert main.table.row_count == before + 1
        assert main.service.count(["team"], "shell") == 1
        assert app.messages[-1] == (
            "information", "Refresh: team read again from this machine's cache.")


@pytest.mark.parametrize("size", [(20, 6), (16, 5)])
async def test_the_cursor_row_stays_in_view_when_the_terminal_shrinks(make_app, size):
    # At 80x24 with the cursor well down the list, a terminal taken down to 20x6 showed
    # two other rows, none highlighted, and `d` asked about a row out of sight.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.screen
        for _ in range(14):
            await pilot.press("down")
        await pilot.pause()
        table = main.table
        assert table.cursor == 14 and table.scroll_offset.y == 0
        await pilot.resize_terminal(*size)
        await pilot.pause()
        top = int(table.scroll_offset.y)
        assert table.size.height and top <= table.cursor < top + table.size.height, \
            (top, table.size)
        if size[0] >= 20:  # at 16 columns the title is cut before its number
            assert "Customer call 014" in screen_text(app)


async def test_help_on_a_tiny_terminal_keeps_the_descriptions_readable(make_app):
    # At 20x6 the key column kept 10 cells and the descriptions were cut to one letter:
    # "↓ / j  D…", "home  F…".
    app = make_app()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "↑ / k  Up" in text and "↓ / j  Down" in text, text
        await pilot.press("down", "down")
        await pilot.pause()
        assert "home  First" in screen_text(app), screen_text(app)
