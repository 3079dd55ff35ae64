"""Every text colour of the shipped themes is readable on every background it is drawn
on: at least 4.5:1, WCAG 2 AA for normal text (D33: the light theme's greens and
oranges measured 2.6-3.3:1 on white)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.geometry import Region

THEMES = Path(__file__).resolve().parents[2] / "themes"
BACKGROUNDS = ("background", "surface", "panel")
TEXT = ("foreground", "primary", "secondary", "accent", "warning", "error", "success")


def luminance(colour: str) -> float:
    """WCAG relative luminance of `#RRGGBB`."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_matches_known_ratios():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#40A02B", "#FFFFFF") == pytest.approx(3.34, abs=0.01)  # D33: "3.3:1"


@pytest.mark.parametrize("name", ["meettui-light", "meettui-dark"])
def test_every_text_colour_reads_on_every_background(name):
    theme = tomllib.loads((THEMES / f"{name}.toml").read_text())
    colours = {key: theme[key] for key in TEXT if key in theme}
    colours |= {key: value for key, value in theme.get("variables", {}).items()
                if isinstance(value, str) and value.startswith("#")}
    low = [
        f"{key} {colour} on {ground} {theme[ground]}: {contrast(colour, theme[ground]):.2f}"
        for key, colour in colours.items()
        for ground in BACKGROUNDS if ground in theme
        if contrast(colour, theme[ground]) < 4.5
    ]
    assert low == []


# -- the app's own looks, as it resolves them, in every theme it offers ------------------

STATUS_WORDS = ("live", "scheduled", "started", "ended", "expired", "cancelled", "gone", "—")
CURSORS = {False: "its row", True: "the cursor bar", None: "the blurred cursor bar"}
# Where the list and the pane draw text (the title bar and the key footer are Textual's).
DRAWN = ("#table-header", "#meetings", "#detail", "#status-line", "#hint")


def _meetings():
    from datetime import timedelta

    from tui_data import NOW

    from factories import make_meeting
    from meettui.core.models import Status

    hour = timedelta(hours=1)
    looks = [
        {"status": Status.LIVE, "starts_at": NOW - hour, "ends_at": NOW + hour},
        {"starts_at": NOW + hour, "ends_at": NOW + 2 * hour},
        {"starts_at": NOW - hour, "ends_at": NOW + hour},  # "started"
        {"status": Status.ENDED},
        {"status": Status.EXPIRED},
        {"status": Status.CANCELLED},
        {"missing": True},  # "gone"
        {"status": Status.UNKNOWN, "starts_at": NOW + hour, "ends_at": NOW + 2 * hour},
    ]
    return [make_meeting(i, account="team", title=f"Look {i}", notes="A note.").model_copy(
        update=look) for i, look in enumerate(looks)]


def _themes(app) -> list[str]:
    """The themes the app offers whose colours it chooses: not the ANSI ones, whose
    colours are the terminal's palette."""
    return sorted(name for name in app.available_themes if not app.get_theme(name).ansi)


def _rgb(color) -> tuple[int, int, int]:
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def _short(what: str, fg, bg, *, bar: bool) -> str | None:
    """What is wrong with text `fg` on `bg` (rich colours), or None: TEXT_CONTRAST in
    every rendition (full colour, 256 colours, no colour); on a cursor bar of middle
    lightness, where no colour reaches it in all three, TEXT_CONTRAST in full colour and
    FLOOR in the others."""
    from meettui.tui.contrast import FLOOR, TEXT_CONTRAST, ratio, worst_ratio

    fg, bg = _rgb(fg), _rgb(bg)
    worst, full = worst_ratio(fg, bg), ratio(fg, bg)
    if worst >= TEXT_CONTRAST or (bar and full >= TEXT_CONTRAST and worst >= FLOOR):
        return None
    return f"{what}: {full:.2f}:1 (worst {worst:.2f}:1) {fg} on {bg}"


async def test_every_status_reads_on_its_row_and_on_the_cursor_bars_in_every_theme(make_app):
    # The light theme's "gone" was white on white (1.06:1: `$text-disabled`, an `auto`
    # colour, came out as bare white), its statuses ~2.6:1 on the blue cursor bar, and
    # Textual's own themes drew meettui's default greens on pale bars at 1.01:1.
    app = make_app(_meetings())
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.screen.table
        low = []
        for name in _themes(app):
            app.theme = name
            await pilot.pause()
            base = table._looks.base()
            for status in STATUS_WORDS:
                for missing in (False, True):
                    for cursor, where in CURSORS.items():
                        row, cell = table._looks.row(base, missing, cursor, status)
                        for part, style in (("row", row), (f"status {status!r}", cell)):
                            said = _short(f"{name}: {part} on {where}"
                                          + (" (gone)" if missing else ""),
                                          style.color, style.bgcolor, bar=cursor is not False)
                            if said:
                                low.append(said)
        assert low == []


async def test_the_list_and_the_pane_read_as_drawn_in_every_theme(make_app):
    # Every letter the list, its header, the pane and the status line draw, read off the
    # screen as the app paints it, with the list focused and with the pane focused (its
    # title on the focus bar): the pane's notes in `$text-muted` measured 2.7:1 in
    # catppuccin-mocha, solarized-dark's facts 4.1:1.
    app = make_app(_meetings())
    async with app.run_test(size=(140, 30)) as pilot:
        main = app.screen
        main.query_one("#hint").display = True
        low = set()
        for name in _themes(app):
            app.theme = name
            for focus in ("#meetings", "#detail"):
                main.query_one(focus).focus()
                await pilot.pause()
                await app.wait_until_settled()
                update = main._compositor.render_update(full=True)
                regions = [main.query_one(sel).region for sel in DRAWN]
                # The cursor bars: the list's cursor row, the focused pane's title.
                table = main.table
                bars = [table.region.intersection(Region(
                    0, table.region.y + table.cursor - int(table.scroll_offset.y),
                    main.size.width, 1))]
                if focus == "#detail":
                    bars.append(main.query_one("#detail-title").region)
                for y, line in enumerate(update.strips):
                    x = 0
                    for segment in (segment for strip in line for segment in strip):
                        width = segment.cell_length
                        if any(ch.isalnum() for ch in segment.text) and any(
                                region.contains(x, y) for region in regions):
                            style = segment.style
                            said = _short(f"{name}: {segment.text.strip()[:20]!r} "
                                          f"(focus {focus})", style.color, style.bgcolor,
                                          bar=any(bar.contains(x, y) for bar in bars))
                            if said:
                                low.add(said)
                        x += width
        assert "\n".join(sorted(low)) == ""
