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
        assert ("warning", "Some theme files could not be read:\nvarbad.toml: `variables` "
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
