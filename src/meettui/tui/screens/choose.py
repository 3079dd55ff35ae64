"""Pick one of a few named things (which host's link to copy, …)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.footer import KeyFooter


class ChooseScreen(MeettuiModal[str | None]):
    """Dismisses with the chosen option's id, or None when cancelled."""

    DEFAULT_CSS = """
    ChooseScreen { align: center middle; }
    ChooseScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ChooseScreen #choose-title { text-style: bold; padding: 1 0; }
    ChooseScreen OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        """`options` are (id, label) pairs, shown in order."""
        super().__init__()
        self._title = title
        self._options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title), id="choose-title")
            yield OptionList(*[Option(Text(label), id=key) for key, label in self._options],
                             id="choose-list")
        yield KeyFooter()

    def help_title(self) -> str:
        return self._title  # what it asks ("Copy whose host link?")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
