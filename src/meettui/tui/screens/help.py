"""The keys of the screen underneath, as they are bound right now (remaps included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.footer import KeyFooter


class HelpScreen(MeettuiModal[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; max-height: 90%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    HelpScreen #help-foot { margin-top: 1; color: $text-muted; }
    HelpScreen.-short > VerticalScroll { max-height: 100%; padding: 0 1; }
    HelpScreen.-short #help-title { margin-bottom: 0; }
    HelpScreen.-short #help-foot { margin-top: 0; }
    HelpScreen.-narrow > VerticalScroll { padding: 0 1; border: round $primary; }
    """
    # A terminal under 16 lines keeps the keys in view (padding and gaps go: at 20x6 the
    # border, padding and footer left no line for them), one under 40 columns the width.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (40, "-wide")]
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, title: str, keys: list[tuple[str, str]], footnote: str = "") -> None:
        super().__init__()
        self._title = title
        self._keys = keys
        self._footnote = footnote

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=10)
        table.add_column()
        for key, description in self._keys:
            table.add_row(Text(key), Text(description))
        with VerticalScroll():
            yield Static(Text(self._title), id="help-title")
            yield Static(table, id="help-keys")
            if self._footnote:
                yield Static(Text(self._footnote), id="help-foot")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
