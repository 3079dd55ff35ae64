"""A yes/no question before anything destructive or risky."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.footer import KeyFooter

BACK = "Back"
"""The button that backs out of a question or an action form when nothing more
telling fits: never a verb an action could have ("Cancel" is one provider's delete and
the start of another action's name)."""


class ConfirmScreen(MeettuiModal[bool]):
    """Dismisses with True for yes (`y`), False for no (`n`, Esc)."""
    HELP_TITLE = "Question"

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        padding: 1 2; border: thick $warning; background: $surface;
    }
    ConfirmScreen #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    ConfirmScreen.-narrow > Vertical { padding: 0 1; }
    ConfirmScreen.-narrow Horizontal { layout: vertical; }
    ConfirmScreen.-narrow Button, ConfirmScreen.-narrow #yes, ConfirmScreen.-narrow #no {
        width: 100%; min-width: 0; height: 1; margin: 0; border: none;
    }
    """
    # Under 50 columns the buttons stack, one line each: side by side, "Keep editing
    # (n)" and "Discard (y)" ran past the dialog's edge at 40 columns.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (50, "-wide")]
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    # A footer too narrow for every hint keeps the answers, before `? Help`.
    FOOTER_VITAL = frozenset({"confirm.yes", "confirm.no"})

    def __init__(self, title: str, body: str, *, yes: str = "Yes", no: str = BACK,
                 danger: bool = True) -> None:
        """`yes` names the action; `no` what backing out does. A `no` that reads like
        `yes` becomes "Back": a cancel asked "Cancel 'X'?" over "Cancel (n)" and
        "Cancel (y)", one of which cancelled the meeting."""
        super().__init__()
        self._title = title
        self._body = body
        self._yes = yes
        self._no = BACK if _first_word(no) == _first_word(yes) else no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title), id="confirm-title")
            yield Static(Text(self._body), id="confirm-body")
            with Horizontal():
                yield Button(f"{self._no} ({self.button_key('confirm.no', 'n')})", id="no")
                yield Button(f"{self._yes} ({self.button_key('confirm.yes', 'y')})", id="yes",
                             variant="error" if self._danger else "primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


def _first_word(label: str) -> str:
    return label.split(maxsplit=1)[0].casefold() if label.strip() else ""
