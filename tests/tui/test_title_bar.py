"""The title line: the screen's title and sub-title centred, cut with an ellipsis when
too long, following a change of scope; its icon opens the command palette."""

from __future__ import annotations

from meettui.tui.palette import Palette
from meettui.tui.widgets.title_bar import ICON, ICON_WIDTH, RIGHT_WIDTH, TitleBar


def _line(app) -> tuple[str, list]:
    bar = app.screen.query_one(TitleBar)
    strip = bar.render_line(0)
    return strip.text, list(strip)


async def test_the_title_and_scope_are_centred_with_the_scope_dim(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text, segments = _line(app)
        assert len(text) == 120
        assert text.startswith(f" {ICON}")
        title = "meettui — All accounts"
        start = text.index(title)
        room = 120 - ICON_WIDTH - RIGHT_WIDTH
        assert start == ICON_WIDTH + (room - len(title)) // 2
        dim = {s.text for s in segments if s.style and s.style.dim}
        assert dim == {" — ", "All accounts"}


async def test_a_scope_change_retitles_and_a_long_one_is_cut(make_app):
    app = make_app()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        app.screen.sub_title = "support " * 10
        await pilot.pause()
        text, _ = _line(app)
        middle = text[ICON_WIDTH:60 - RIGHT_WIDTH]
        # Cut after a whole word; the app's name gives its room to the scope.
        assert middle.strip() == "support " * 4 + "support…"
        assert len(text) == 60


async def test_a_click_on_the_icon_opens_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, Palette)  # Textual's, its backdrop left faded
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(TitleBar, offset=(60, 0))  # the title itself does nothing
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_a_narrow_line_keeps_the_demo_label_first(make_app):
    """At 25 columns the line was "meettu…": the icon and the clock's space left seven
    cells. Under 42 columns the sub-title shows alone over the whole width, so the DEMO
    label stays in view."""
    app = make_app()
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        app.screen.sub_title = "DEMO — All accounts (simulated data)"
        for width, shown in ((40, "DEMO — All accounts (simulated data)"),
                             (25, "DEMO — All accounts…"),
                             (16, "DEMO — All…")):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            text, segments = _line(app)
            assert text.strip() == shown, width
            assert ICON not in text
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        text, _ = _line(app)
        assert text.startswith(f" {ICON}") and "meettui — DEMO" in text


def _words(text: str) -> set[str]:
    return set(text.replace("…", " ").split())


async def test_the_demo_title_keeps_whole_words_at_every_width(tmp_path):
    """At 80 columns the demo's line was "meettui — DEMO — All accounts (simulated data
    except jitsi; c…": cut mid-word, where accounts are configured lost. Each width
    shows a whole wording (DEMO first), the app's name dropped before a part of it."""
    from states import demo_app, settle

    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        wordings = app.scope_labels()
        assert wordings[0] == app.screen.sub_title
        known = set().union(*(_words(w) for w in wordings)) | {"meettui", "—", ICON}
        expected = {
            120: "meettui — DEMO — All accounts (simulated data except jitsi; configure "
                 "accounts in config.toml)",
            100: "DEMO — All accounts (simulated data except jitsi; configure accounts in "
                 "config.toml)",
            80: "DEMO — All accounts (simulated except jitsi; see config.toml)",
            60: "DEMO — All accounts (simulated except jitsi)",
            40: "DEMO — All accounts (see config.toml)",
            24: "DEMO — All accounts",
            16: "DEMO",
        }
        for width, shown in expected.items():
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            text, _ = _line(app)
            assert text.strip().removeprefix(ICON).strip() == shown, width
            assert len(text) == width and "…" not in text
            assert _words(text) <= known, width
        app.set_scope("jitsi")
        await settle(pilot)
        for width, shown in ((80, "DEMO — jitsi (real, not simulated; configure accounts "
                                  "in config.toml)"),
                             (60, "DEMO — jitsi (real; see config.toml)")):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert _line(app)[0].strip().removeprefix(ICON).strip() == shown, width


async def test_a_long_account_name_is_cut_after_a_whole_part(make_app):
    name = "customer-support-europe-west-and-asia-pacific"
    config = f'builtin_jitsi = false\n[[accounts]]\nname = "{name}"\nprovider = "jitsi"\n'
    app = make_app([], config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.set_scope(name)
        await pilot.pause()
        for width, shown in ((80, f"meettui — {name}"), (60, name),
                             (40, "customer-support-europe-west-and-asia…"),
                             (20, "customer-support…")):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            text, _ = _line(app)
            assert text.strip().removeprefix(ICON).strip() == shown, width
            assert len(text) == width
