"""Every text the app draws reads on its background, in every theme it offers, in full
colour, in 256 colours and without colour (NO_COLOR): read off the screen as the app
paints it, in its main states (the list, the pane, a form, dialogs, the help, the command
palette, a footer with greyed keys). `tui/contrast.py` says what is held where: 4.5:1
(WCAG 2 AA); on a background of middle lightness, where no colour reaches that in every
rendition, 4.5:1 in full colour and 3:1 in the others; a greyed footer key 3:1 in every
rendition. Left as drawn:
a modal's backdrop (faded on purpose), borders, scroll bars and the QR code."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from rich.segment import Segment
from rich.style import Style
from states import demo_app, settle
from textual.screen import Screen

from meettui.tui.contrast import FLOOR, TEXT_CONTRAST, ratio, worst_ratio
from meettui.tui.widgets.footer import KeyFooter

RGB = tuple[int, int, int]
ENDS: tuple[RGB, RGB] = ((0, 0, 0), (255, 255, 255))
DIM_FACTOR = 0.66  # Textual's default: a dim colour is this share of the way from its bg
TEXT = re.compile(r"[^\s\u2500-\u259f]")  # a glyph: not blank, not a box or block piece


def _rgb(color) -> RGB | None:
    if color is None or color.is_default or color.number is not None and color.number < 16:
        return None
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def _drawn(style: Style) -> tuple[RGB, RGB] | None:
    """The colour of the glyphs of a segment drawn in `style` and of the cells behind
    them, as the terminal shows them: reversed, the other way round; dim, the colour
    Textual makes of it (`DIM_FACTOR` of the way from the background)."""
    fg, bg = _rgb(style.color), _rgb(style.bgcolor)
    if style.reverse:
        fg, bg = bg, fg
    if fg is None or bg is None:
        return None
    if style.dim:
        fg = tuple(round(b + (f - b) * DIM_FACTOR) for f, b in zip(fg, bg, strict=True))
    return fg, bg


def _mid(bg: RGB) -> bool:
    """No colour reaches TEXT_CONTRAST on `bg` in every rendition."""
    return max(worst_ratio(end, bg) for end in ENDS) < TEXT_CONTRAST


def _greyed(screen: Screen) -> set[tuple[int, int]]:
    """The cells of the footer's greyed (disabled) keys."""
    cells = set()
    for footer in screen.query(KeyFooter):
        region = footer.region
        for start, end, hint in footer._spans:
            if not hint.enabled:
                cells |= {(region.x + x, region.y) for x in range(start, end)}
    return cells


def short_texts(app, where: str) -> set[str]:
    """What on the screen shown falls short, one line each: the text, its colours and
    its contrast in full colour and at worst (256 colours, no colour)."""
    screen = app.screen
    update = screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    greyed = _greyed(screen)
    low: set[str] = set()
    for y, line in enumerate(update.strips):
        x = 0
        for segment in (segment for strip in line for segment in strip):
            at, x = x, x + segment.cell_length
            if segment.style is None or not TEXT.search(segment.text):
                continue
            try:
                widget, _ = screen.get_widget_at(at, y)
            except Exception:  # noqa: BLE001 (no widget there: nothing to check)
                continue
            if isinstance(widget, Screen):
                continue  # a modal's backdrop: the screen below, faded on purpose
            drawn = _drawn(segment.style)
            if drawn is None:  # the terminal's colours: only in the ANSI themes, not here
                low.add(f"{where}: {segment.text.strip()[:24]!r} in {type(widget).__name__}"
                        f" has a colour the terminal chooses: {segment.style}")
                continue
            fg, bg = drawn
            full, worst = ratio(fg, bg), worst_ratio(fg, bg)
            if (at, y) in greyed:
                ok = worst >= FLOOR
            elif _mid(bg):
                ok = full >= TEXT_CONTRAST and worst >= FLOOR
            else:
                ok = worst >= TEXT_CONTRAST
            if not ok:
                low.add(f"{where}: {segment.text.strip()[:24]!r} in {type(widget).__name__} "
                        f"{full:.2f}:1 (worst {worst:.2f}:1) {fg} on {bg}")
    return low


@dataclass(frozen=True)
class Shown:
    name: str
    open: Callable[[object], Awaitable[None]]


def _keys(*names: str) -> Callable[[object], Awaitable[None]]:
    async def run(pilot) -> None:
        await pilot.press(*names)
        await settle(pilot)

    return run


async def _on_a_room_that_cannot_be_deleted(pilot) -> None:
    # A Vonage room among rooms that can be deleted: the footer greys `d`.
    for _ in range(40):
        if _greyed(pilot.app.screen):
            return
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError("no greyed key in the footer")


async def _focus_pane(pilot) -> None:
    pilot.app.screen.query_one("#detail").focus()
    await settle(pilot)


# Each opened from the list, in turn, under every theme (the list shown again after
# each).
DEMO = [
    Shown("list, a greyed key", _on_a_room_that_cannot_be_deleted),
    Shown("pane focused", _focus_pane),
    Shown("create form, an error at its field", _keys("home", "n", "ctrl+s")),
    Shown("delete question", _keys("d")),
    Shown("accounts", _keys("a")),
    Shown("help", _keys("question_mark")),
    Shown("command palette", _keys("ctrl+p")),
    Shown("QR view", _keys("Q")),
]


def _themes(app) -> list[str]:
    """The themes the app offers whose colours it chooses (not the ANSI ones, whose
    colours are the terminal's palette): Textual's and the shipped `themes/`."""
    return sorted(name for name in app.available_themes if not app.get_theme(name).ansi)


# Without colour, every theme is checked in full colour already (`worst_ratio` takes in
# its greys); these confirm the greys Textual draws: the shipped themes and nord's
# mid-grey bars.
NO_COLOR_THEMES = ("meettui-dark", "meettui-light", "nord")


async def _in_themes(app, pilot, names, where: str) -> set[str]:
    low: set[str] = set()
    for name in names:
        app.theme = name
        await pilot.pause()
        low |= short_texts(app, f"{name}, {where}")
    return low


async def _back_to(main, app, pilot) -> None:
    while app.screen is not main:
        app.pop_screen()
        await pilot.pause()
    main.table.focus()
    await settle(pilot)


@pytest.fixture(params=["colour", "NO_COLOR"])
def colours(request, monkeypatch) -> str:
    if request.param == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    return request.param


async def test_every_text_reads_in_every_state_and_theme(tmp_path, colours):
    # Before: Textual's themes drew a form's labels, a dialog's text and the palette's
    # help in `$text-muted` at 2.5-4:1, a focused button's label on `$primary` at 3:1.
    app = demo_app(tmp_path, providers=("vonage", "whereby", "eyeson"))
    low: set[str] = set()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = app.screen
        themes = _themes(app) if colours == "colour" else NO_COLOR_THEMES
        for shown in DEMO:
            app.theme = "meettui-dark"
            await shown.open(pilot)
            low |= await _in_themes(app, pilot, themes, f"{shown.name} ({colours})")
            await _back_to(main, app, pilot)
    assert "\n".join(sorted(low)) == ""


@pytest.mark.parametrize("key", ["question_mark", "ctrl+p"], ids=["help", "palette"])
async def test_a_modal_s_backdrop_stays_faded(tmp_path, key):
    # The screen below a dialog (the help, the command palette) is drawn through the
    # dialog's translucent background on purpose: its text is left as faded as Textual
    # makes it.
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        update = screen._compositor.render_update(full=True,
                                                  screen_stack=app._background_screens)
        behind = []
        for y, line in enumerate(update.strips):
            x = 0
            for segment in (segment for strip in line for segment in strip):
                at, x = x, x + segment.cell_length
                if TEXT.search(segment.text) and isinstance(
                        screen.get_widget_at(at, y)[0], Screen):
                    behind.append(ratio(*_drawn(segment.style)))
        assert behind and min(behind) < FLOOR


async def test_an_unticked_box_is_empty(tmp_path):
    from meettui.tui.widgets.tick_box import TickBox

    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        box = app.screen.query(TickBox).first()
        for value in (False, True, False):
            box.value = value
            await pilot.pause()
            drawn = box.render_line(0).text
            assert ("▐X▌" in drawn) is value and ("▐ ▌" in drawn) is not value, drawn


def _filtered(text: str, style: Style) -> Style:
    from meettui.tui.contrast import CONTRAST

    [segment] = CONTRAST.apply([Segment(text, style)], None)
    return segment.style


def test_the_filter_leaves_borders_bars_and_the_qr_code_as_they_are():
    faint = Style(color="#303030", bgcolor="#202020")
    for drawing in ("▀▀▄", "─│╭", "▁▂▐▌", "▏", "   "):
        assert _filtered(drawing, faint) == faint
    raised = _filtered("Title", faint)
    assert worst_ratio(_drawn(raised)[0], (0x20, 0x20, 0x20)) >= TEXT_CONTRAST


def test_dim_text_is_drawn_as_its_dim_colour_and_reads():
    from meettui.tui.contrast import greyed

    # Dim text (the pane's asides, a masked link) is text: 4.5:1 as its dim colour.
    faint = Style(color="#505050", bgcolor="#202020", dim=True)
    style = _filtered("(masked)", faint)
    assert style.dim is False
    assert worst_ratio(*_drawn(style)) >= TEXT_CONTRAST
    # A greyed key keeps 3:1, and no more where it need not: greyed beside the others.
    style = greyed(Style(color="#505050", bgcolor="#202020"))
    assert style.dim is False
    assert FLOOR <= worst_ratio(*_drawn(style)) < TEXT_CONTRAST
    lit = greyed(Style(color="#E0E0E0", bgcolor="#202020"))
    assert FLOOR <= worst_ratio(*_drawn(lit)) < ratio((0xE0,) * 3, (0x20,) * 3)


def test_reversed_text_reads_on_its_colour():
    style = _filtered("abc", Style(color="#203040", bgcolor="#304050", reverse=True))
    assert style.color == Style.parse("#203040").color
    fg, bg = _drawn(style)
    assert worst_ratio(fg, bg) >= TEXT_CONTRAST


@pytest.mark.parametrize("bar", ["#0178D4", "#B00020", "#008A00"])
def test_text_on_a_saturated_background_is_black_or_white(bar):
    style = _filtered("Live", Style(color="#40A02B", bgcolor=bar))
    from meettui.tui.contrast import shown_style

    assert _drawn(style)[0] in ENDS
    assert shown_style(style) == style  # and stays so


def test_mid_grey_keeps_4_5_in_full_colour_and_3_in_the_others():
    fg, bg = _drawn(_filtered("Team", Style(color="#888888", bgcolor="#007777")))
    assert _mid(bg) and ratio(fg, bg) >= TEXT_CONTRAST and worst_ratio(fg, bg) >= FLOOR
