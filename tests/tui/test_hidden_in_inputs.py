"""A hidden character pasted into a text field (a bidi override, an escape, a zero-width
space) is drawn as one marked cell, not raw: Input drew it as it is, and an override
reordered what the filter box and the paste-link box showed. The value keeps what was
pasted (the paste-link box's verdict refuses such a link; a filter finds what it finds)."""

from __future__ import annotations

import pytest
from textual import events
from tui_data import screen_text

from meettui.core.display import is_hidden
from meettui.tui.widgets.ordered_input import HIDDEN_MARK, OrderedInput

PASTED = "ab\u202ecd\x1b[2Jef\u200b"


def drawn(widget: OrderedInput) -> str:
    return "".join(segment.text for segment in widget.render_line(0))


@pytest.mark.parametrize("opening, field", [("slash", "#filter"), ("p", "#paste-link")])
async def test_a_pasted_hidden_character_is_drawn_as_a_mark(make_app, opening, field):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(opening)
        await pilot.pause()
        box = app.screen.query_one(field, OrderedInput)
        box.value = ""
        box.post_message(events.Paste(PASTED))
        await pilot.pause()
        assert box.value == PASTED  # kept as given
        line = drawn(box)
        assert [c for c in line if is_hidden(c)] == []
        assert f"ab{HIDDEN_MARK}cd{HIDDEN_MARK}[2Jef{HIDDEN_MARK}" in line
        assert [c for c in screen_text(app) if is_hidden(c) and c != "\n"] == []
        # The cursor after the last character: one cell a character, marks included.
        assert box.cursor_position == len(PASTED)
        assert box._position_to_cell(len(PASTED)) == len(PASTED)
        assert box._position_to_cell(3) == 3  # after the override's mark
