"""The keys of the screen underneath, as they are bound right now (remaps included)."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.footer import KeyFooter


class KeyTable:
    """Keys and what they do, side by side, laid out for the width it is given: the
    key column at least KEY_MIN wide where there is room; narrower, as wide as the
    widest key; and where even that leaves a description under DESCRIPTION_MIN cells,
    each key followed by its description on the same line, wrapped. (A fixed 10-cell key column
    left a 20-column terminal one letter of each description: "↓ / j  D…".)"""

    KEY_MIN = 10
    DESCRIPTION_MIN = 12
    GAP = 2

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        self.keys = keys
        self.key_width = max((cell_len(key) for key, _ in keys), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if width - self.GAP - max(self.KEY_MIN, self.key_width) >= 2 * self.DESCRIPTION_MIN:
            yield self._table(min_width=self.KEY_MIN)
        elif width - self.GAP - self.key_width >= self.DESCRIPTION_MIN:
            yield self._table(min_width=None)
        else:
            # No room for a column: each key runs on into its description, wrapped.
            for key, description in self.keys:
                yield Text.assemble((key, "bold"), " " * self.GAP, description)

    def _table(self, min_width: int | None) -> Table:
        table = Table.grid(padding=(0, self.GAP))
        table.add_column(style="bold", no_wrap=True, min_width=min_width)
        table.add_column()
        for key, description in self.keys:
            table.add_row(Text(key), Text(description))
        return table


class HelpScreen(MeettuiModal[None]):
    HELP_TITLE = "Help"
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; max-height: 90%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    HelpScreen #help-foot { margin-top: 1; color: $text-muted; }
    HelpScreen #help-warnings-title { text-style: bold; color: $text-warning; }
    HelpScreen .help-warning { color: $text-warning; }
    HelpScreen .help-warning:last-of-type { margin-bottom: 1; }
    HelpScreen.-short > VerticalScroll { max-height: 100%; padding: 0 1; }
    HelpScreen.-short #help-title {
        margin-bottom: 0; text-wrap: nowrap; text-overflow: ellipsis;
    }
    HelpScreen.-short #help-foot { margin-top: 0; }
    HelpScreen.-narrow > VerticalScroll { padding: 0 1; border: round $primary; }
    """
    # A terminal under 16 lines keeps the keys in view (padding and gaps go: at 20x6 the
    # border, padding and footer left no line for them; the title takes one line, cut
    # with "…"), one under 40 columns the width.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (40, "-wide")]
    # F1, the help's other key, closes it too (`MeettuiApp.action_help`); not shown as
    # "Help" beside "Close". Under the help's own id, so that a keymap moves it with `?`.
    CLOSE_KEYS = "escape,q,question_mark"
    BINDINGS = [Binding(CLOSE_KEYS, "close", "Close", id="help.close"),
                Binding("f1", "app.help", "Help", show=False, id="app.help")]

    def __init__(self, title: str,
                 keys: list[tuple[str, str]] | Callable[[], list[tuple[str, str]]],
                 footnote: str = "", *, warnings: list[str] | None = None,
                 logged: bool = True) -> None:
        """`keys`: (keys, description) pairs, or how to read them from the screen
        underneath, again at each resize (what a key does can depend on the size: the
        help kept the list it opened with). `warnings`: what the app said at start
        (config, themes, cache), listed first: its toast went, or was cut on a small
        terminal. `logged`: they are in the log too (False: this run has none, one of
        the warnings says why)."""
        super().__init__()
        # The footer names an action by its first key, and `?` came first (MeettuiModal
        # binds it, to open the help, before this class rebinds it): the footer said
        # "? Close" alone, where every other dialog says "esc Close". The close keys go
        # in the order written here; a keymap's order still rules over them.
        bound = self._bindings.key_to_bindings
        for key in self.CLOSE_KEYS.split(","):
            bound[key] = bound.pop(key)
        self._logged = logged
        self._title = title
        self._read_keys = keys if callable(keys) else None
        self._keys = keys() if callable(keys) else keys
        self._footnote = footnote
        self._warnings = warnings or []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self._title), id="help-title")
            if self._warnings:
                count = len(self._warnings)
                where = "also in the log" if self._logged else "no log this run"
                yield Static(Text(f"{count:,} start-up warning{'s' if count > 1 else ''} "
                                  f"({where}):"), id="help-warnings-title")
                for warning in self._warnings:
                    yield Static(Text(f"• {warning}"), classes="help-warning")
            yield Static(KeyTable(self._keys), id="help-keys")
            if self._footnote:
                yield Static(Text(self._footnote), id="help-foot")
        yield KeyFooter()

    def on_resize(self, _event: events.Resize) -> None:
        if self._read_keys is not None:
            # After the screen underneath has taken the new size (its Resize comes
            # after this screen's) and named its keys for it.
            self.call_after_refresh(self._keys_again)

    def _keys_again(self) -> None:
        if self._read_keys is None or not self.is_attached:
            return
        keys = self._read_keys()
        if keys != self._keys:
            self._keys = keys
            self.query_one("#help-keys", Static).update(KeyTable(keys))

    def action_close(self) -> None:
        self.dismiss(None)
