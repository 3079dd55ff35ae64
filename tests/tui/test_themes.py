"""Theme files and theme switches: a theme the stylesheet cannot use is skipped at start
or given up for the theme before it, with a message; the app never ends for it."""

from __future__ import annotations

import pytest
from textual.theme import Theme
from tui_data import BASE_CONFIG

from meettui.tui.app import MeettuiApp

VARBAD = """name = "varbad"
dark = true
primary = "#ff0000"
[variables]
"status-live" = "blurple"
"""


@pytest.fixture
def themes_dir(tmp_path, monkeypatch):
    folder = tmp_path / "themes"
    folder.mkdir()
    monkeypatch.setenv("MEETTUI_THEMES", str(folder))
    return folder


@pytest.fixture
def unchecked_themes(monkeypatch):
    """Themes registered as the app starts, past the checks of theme files: what the
    stylesheet does with values those checks would not have let through."""
    themes: list[Theme] = []
    load = MeettuiApp._load_themes

    def with_unchecked(self):
        for theme in themes:
            self.register_theme(theme)
        return load(self)

    monkeypatch.setattr(MeettuiApp, "_load_themes", with_unchecked)
    return themes


async def test_a_remembered_theme_whose_variables_are_unreadable_falls_back_with_a_message(
        make_app, themes_dir):
    # `theme = "varbad"` (what "Remember this theme" writes) ended every start with a
    # CSS traceback: the file's [variables] were never checked.
    (themes_dir / "varbad.toml").write_text(VARBAD)
    app = make_app(config='theme = "varbad"\n' + BASE_CONFIG.replace('theme = "meettui-dark"', ""),
                   theme=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "meettui-dark"
        assert "varbad" not in app.available_themes
        assert ("warning", "Some theme files were skipped:\nvarbad.toml: `variables` "
                "'status-live': 'blurple' is not a colour Textual can use there") in app.messages
        assert ("warning", "Theme 'varbad' cannot be used: varbad.toml was skipped (see "
                "why above). Using meettui-dark.") in app.messages
        await pilot.press("j")
        assert app.screen.table.cursor == 1  # running


async def test_a_theme_that_fails_to_apply_leaves_the_app_on_the_theme_before(
        make_app, unchecked_themes):
    unchecked_themes += [
        Theme(name="blurple", primary="#ff0000", variables={"status-live": "blurple"}),
        # Fails as it is tokenized, before any rule reads it.
        Theme(name="brace", primary="#ff0000", variables={"status-live": "red; }"}),
    ]
    app = make_app(theme="meettui-light")
    async with app.run_test(size=(100, 30)) as pilot:
        for name, shown in (("blurple", "'blurple'"), ("brace", "'red; }'")):
            app.theme = name
            # What the choice queues, run now: the test, not the app, gets what it raises
            # (an app that ends on it leaves pause() waiting).
            app.refresh_css(animate=False)
            await pilot.pause()
            assert app.theme == "meettui-light"
            assert app.messages[-1] == (
                "error", f"Theme {name!r} cannot be used: Textual cannot read its "
                f"$status-live {shown}. Using 'meettui-light'.")
        # The light theme's colours are back in the stylesheet, and it still reads.
        assert app.stylesheet._variables["status-live"] == \
            app.available_themes["meettui-light"].variables["status-live"]
        await pilot.press("j")
        assert app.screen.table.cursor == 1
        said = len(app.messages)
        app.theme = "meettui-dark"  # a good theme after them applies as ever
        await pilot.pause()
        assert app.theme == "meettui-dark" and len(app.messages) == said


async def test_a_start_theme_that_fails_gives_way_to_the_default(make_app, unchecked_themes):
    unchecked_themes.append(
        Theme(name="blurple", primary="#ff0000", variables={"status-live": "blurple"}))
    app = make_app(theme="blurple")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "meettui-dark"
        assert ("error", "Theme 'blurple' cannot be used: Textual cannot read its "
                "$status-live 'blurple'. Using 'meettui-dark'.") in app.messages
        await pilot.press("j")
        assert app.screen.table.cursor == 1


def write_theme(folder, file: str, name: str, primary: str) -> None:
    (folder / file).write_text(f'name = "{name}"\nprimary = "{primary}"\n')


async def test_two_theme_files_with_one_name_are_said_and_the_first_is_used(
        make_app, themes_dir):
    # One replaced the other without a word.
    write_theme(themes_dir, "a.toml", "mine", "#111111")
    write_theme(themes_dir, "b.toml", "mine", "#222222")
    app = make_app()
    async with app.run_test(size=(100, 30)):
        assert app.available_themes["mine"].primary == "#111111"
        assert ("warning", "Some theme files were skipped:\nb.toml: names its theme 'mine' "
                "as a.toml does, which is used; rename one") in app.messages


async def test_a_user_theme_named_like_a_shipped_or_textual_one_replaces_it_and_says_so(
        make_app, themes_dir):
    # A file named like meettui-dark replaced it silently.
    from meettui.tui.themes import shipped_themes_dir

    write_theme(themes_dir, "my-dark.toml", "meettui-dark", "#123456")
    write_theme(themes_dir, "my-nord.toml", "nord", "#654321")
    app = make_app(theme="meettui-dark")
    async with app.run_test(size=(100, 30)):
        assert app.current_theme.primary == "#123456"
        assert app.available_themes["nord"].primary == "#654321"
        assert ("information",
                f"Theme 'meettui-dark' is {themes_dir / 'my-dark.toml'}, in place of "
                f"{shipped_themes_dir() / 'meettui-dark.toml'}.\n"
                f"Theme 'nord' is {themes_dir / 'my-nord.toml'}, in place of Textual's own."
                ) in app.messages


MARKUP = "[bold red]markup[/]"


async def test_a_theme_name_is_shown_as_written_in_the_palettes(make_app, themes_dir):
    # The theme picker showed `[bold red]markup[/]` as a red "markup".
    from textual.command import CommandList
    from textual.content import Content

    from meettui.tui.commands import MeettuiCommands

    write_theme(themes_dir, "markup.toml", MARKUP, "#ff0000")
    app = make_app(theme=MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        hits = {hit.text: hit.help async for hit in MeettuiCommands(app.screen).discover()}
        assert Content.from_markup(hits["Remember this theme"]).plain == \
            f"use {MARKUP} at every start"
        app.action_change_theme()
        await pilot.pause()
        for query in ("", "markup"):  # as listed, and as found (highlighted)
            await pilot.press(*query)
            shown: list[str] = []
            for _ in range(100):  # the palette gathers its entries in a worker
                await pilot.pause()
                commands = app.screen.query_one(CommandList)
                shown = [str(commands.get_option_at_index(i).prompt)
                         for i in range(commands.option_count)]
                if any("markup" in entry for entry in shown):
                    break
            assert MARKUP in shown


@pytest.mark.parametrize("text", [MARKUP, "[$accent]x[/]", "[B]x", "a\\[b]", "a\\\\[b]",
                                  "x\\", "[", "]"])
def test_literal_markup_shows_text_as_written(text):
    from textual.content import Content

    from meettui.tui.commands import literal_markup

    assert Content.from_markup(literal_markup(text)).plain == text


def test_a_theme_file_cut_short_names_its_last_line(tmp_path):
    from meettui.tui.themes import ThemeFileError, load_theme_file

    path = tmp_path / "cut.toml"
    path.write_text('name = "cut"\nprimary = "#1', encoding="utf-8")
    with pytest.raises(ThemeFileError) as info:
        load_theme_file(path)
    assert str(info.value) == ('line 2, where the file ends: not valid TOML: Unterminated '
                               'string (`primary = "#1`)')


def test_theme_files_that_cannot_be_read_say_so_in_words(tmp_path):
    # The warnings were Python's own: "'utf-8' codec can't decode byte 0xff in position
    # 0: invalid start byte", "[Errno 21] Is a directory: '…'"; a named pipe hung.
    import os

    from meettui.tui.themes import load_themes

    (tmp_path / "bin.toml").write_bytes(b'name = "x"\n\xff\n')
    (tmp_path / "dir.toml").mkdir()
    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop.toml")
    found = load_themes(tmp_path)
    assert found.problems == [
        "bin.toml: line 2: not UTF-8 text (byte 0xff); save it as UTF-8",
        "dir.toml: is a folder, not a theme file",
        f"loop.toml: cannot be read: too many levels of symbolic links ({tmp_path}/loop.toml"
        " is a symbolic link that leads round in a loop: point it at a file (ls -l shows "
        "where it leads))",
        "pipe.toml: is a named pipe, not a theme file",
    ]


@pytest.mark.parametrize("theme", ["ansi-light", "ansi-dark"])
async def test_an_ansi_theme_draws_statuses_in_the_terminals_own_colours(tmp_path, theme):
    # The status colours were fixed RGB (live #7fd17f) on the terminal's own background:
    # 1.6:1 on a light terminal's white under ansi-light, which no check could correct.
    from rich.color import ColorType
    from states import demo_app, settle, show_account

    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        app.theme = theme
        await settle(pilot)
        table = app.screen.table
        statuses = {}
        for row in range(1, table.row_count):  # (row 0: the cursor's own colours)
            for segment in table.render_line(row):
                word = segment.text.strip()
                if word in ("live", "scheduled", "ended", "expired") and segment.style:
                    statuses[word] = segment.style.color
        assert statuses, "no status drawn"
        for word, color in statuses.items():
            assert color is not None and color.type in (ColorType.STANDARD,
                                                        ColorType.DEFAULT), (word, color)
