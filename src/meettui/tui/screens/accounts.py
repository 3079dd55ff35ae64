"""Pick which account the list shows, or all of them merged."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.scalar import Scalar
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from meettui.core.display import printable, since
from meettui.core.service import AccountInfo, Health
from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.footer import KeyFooter
from meettui.tui.widgets.hanging import Hanging

ALL = "__all__"

HEALTH_STYLE = {
    Health.OK: "green",
    Health.LOCAL: "cyan",
    Health.UNCHECKED: "dim",
    Health.NEEDS_CREDENTIALS: "yellow",
    Health.AUTH_FAILED: "red",
    Health.UNREACHABLE: "red",
    Health.NO_ANSWER: "yellow",
    Health.RATE_LIMITED: "yellow",
    Health.ERROR: "red",
    Health.DEPRECATED: "yellow",
}


MESSAGE_INDENT = "    "
"""What leads an account's message (why it fails, a deprecation) under its two lines;
its wrapped lines start there too."""


def account_label(info: AccountInfo, cached: int, now: datetime, *, name_width: int = 22,
                  kind_width: int = 18, width: int | None = None) -> Text:
    """Two lines an account: who and how it is, then sync facts, so nothing wraps oddly.
    The name and provider columns are `name_width` and `kind_width` cells wide (the
    longest of the dialog's, `column_widths`). In `width` cells (None: any), a first
    line too long drops the provider's name, then is cut with "…", and so is the second:
    at 40 columns a provider's name and the health wrapped, and an entry took three rows
    of a list that shows two. The account's message follows, whole, its lines wrapped
    in `width` under its text (`MESSAGE_INDENT`)."""
    first = Text()
    first.append(f"{printable(info.name):<{name_width}}", style="bold")
    kind = Text(f" {printable(info.display_name):<{kind_width}}")
    state = Text()
    state.append(f" {info.health.value}", style=HEALTH_STYLE.get(info.health, ""))
    if info.capabilities.deprecation and info.health != Health.DEPRECATED:
        # Reachable (a simulator, old recordings) but never current: say so whatever
        # the last call said.
        state.append("  DEPRECATED", style=HEALTH_STYLE[Health.DEPRECATED])
    if info.demo:
        state.append("  DEMO", style="bold reverse")
    if width is None or first.cell_len + kind.cell_len + state.cell_len <= width:
        first += kind
    elif width is not None:
        first = Text(printable(info.name), style="bold")
    first += state
    second = Text()
    second.append(f"  synced {since(info.sync.last_synced, now)} · {cached:,} cached",
                  style="dim")
    if info.read_only:
        second.append("  read-only", style="italic")
    if width is not None:
        for line in (first, second):
            line.truncate(max(1, width), overflow="ellipsis")
    text = Text.assemble(first, "\n", second)
    if info.message:
        # Its wrapped lines under its text, not at the entry's left edge, where they
        # read as another account's lines (a hanging indent: `Hanging`).
        message = MESSAGE_INDENT + printable(info.message)
        rows = [message] if width is None else [
            row.plain.rstrip() for row in Hanging(Text(message)).lines(max(1, width))]
        for row in rows:
            text.append("\n" + row, style="dim italic")
    return text


def column_widths(infos: list[AccountInfo]) -> tuple[int, int]:
    """The name and provider columns' widths: the longest of `infos` (at most 22 and 18
    cells). Fixed at 22 and 18, the health wrapped to a line of its own at 60 columns
    ("local" / "only") though every name was shorter."""
    names = max((cell_len(printable(i.name)) for i in infos), default=0)
    kinds = max((cell_len(printable(i.display_name)) for i in infos), default=0)
    return min(22, names), min(18, kinds)


class AccountList(OptionList):
    """The accounts, with j/k beside ↓/↑ as in the meeting list (and k9s): `a j j Enter`
    opened "All accounts" without a word. Bound on the list itself, as its ↓ and Enter
    are, so keys typed ahead act in order."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="accounts.down"),
        Binding("k", "cursor_up", "Up", show=False, id="accounts.up"),
    ]

    def scroll_to_highlight(self, top: bool = False) -> None:
        """As OptionList's, but an entry as tall as the list or taller shows from its
        first line (its name): at 40x12 the list scrolled to an entry's end and showed
        "synced never · 0 cached" with no account name above it."""
        highlighted = self.highlighted
        if highlighted is not None and self.is_mounted:
            self._update_lines()
            try:
                height = self._heights[highlighted]
            except (KeyError, IndexError):
                height = 0
            if height >= self.scrollable_content_region.height:
                top = True
        super().scroll_to_highlight(top=top)


class AccountsScreen(MeettuiModal[str | None]):
    """Dismisses with an account name, ALL, or None when cancelled."""
    HELP_TITLE = "Accounts"

    DEFAULT_CSS = """
    AccountsScreen { align: center middle; }
    AccountsScreen > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AccountsScreen #accounts-title { text-style: bold; padding: 1 0; }
    AccountsScreen OptionList { height: auto; max-height: 30; border: none; min-width: 16; }
    AccountsScreen #accounts-help { color: $text-muted; padding: 1 0 0 0; }
    AccountsScreen.-short #accounts-title { padding: 0; }
    AccountsScreen.-short #accounts-help { display: none; }
    AccountsScreen.-untitled #accounts-title { display: none; }
    AccountsScreen.-bare OptionList, AccountsScreen.-bare OptionList:focus { border: none; }
    """
    # Under 16 rows the title's blank rows and the help line (Esc and Enter are in the
    # footer) go, so the list keeps the rows.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="accounts.close"),
        # The list takes Enter itself (a priority binding here would act before keys
        # typed ahead reach the list); bound here so help names it.
        Binding("enter", "switch", "Switch to it", id="accounts.switch"),
    ]

    def __init__(self, infos: list[AccountInfo], counts: dict[str, int], now: datetime,
                 current: str | None, demo: str | None) -> None:
        """`demo`: what the demo shows ("simulated data except jitsi"); None when
        accounts are configured."""
        super().__init__()
        self._infos = infos
        self._counts = counts
        self._now = now
        self._current = current
        self._demo = demo
        self._title_text = Text("Accounts" + (
            f" — DEMO: no account configured, showing {demo}" if demo else ""))
        self._labels_width: int | None = None
        self._help_text = Text("Enter switches · Esc closes · accounts live in config.toml "
                               "(`meettui locate`)")

    def compose(self) -> ComposeResult:
        # The keys as the user's [keymap] has them: "Esc closes" was said where a
        # keymap had moved Close to `b`, and Esc did nothing.
        self._help_text = Text(
            f"{self.button_key('accounts.switch', 'Enter')} switches · "
            f"{self.button_key('accounts.close', 'Esc')} closes · accounts live in "
            "config.toml (`meettui locate`)")
        options = [Option(self._all_label(), id=ALL)]
        name_width, kind_width = column_widths(self._infos)
        options += [
            Option(account_label(i, self._counts.get(i.name, 0), self._now,
                                 name_width=name_width, kind_width=kind_width), id=i.name)
            for i in self._infos
        ]
        with Vertical():
            yield Static(self._title_text, id="accounts-title")
            yield AccountList(*options, id="accounts-list")
            yield Static(self._help_text, id="accounts-help")
        yield KeyFooter()

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        target = self._current or ALL
        for index in range(option_list.option_count):
            if option_list.get_option_at_index(index).id == target:
                option_list.highlighted = index
        option_list.focus()
        self._fit_list()

    def on_resize(self) -> None:
        self._fit_list()

    def _fit_list(self) -> None:
        """The list as tall as the dialog leaves it at this size (it scrolls within that):
        its own height is `auto`, which the dialog's `max-height` does not bound, so at
        80x24 the last accounts and the help line were cut off, and ↓ could pick an
        account out of sight. Worked out from the size and the texts, not from the
        layout on screen, which a resize leaves stale until it is done (a list measured
        then had no rows at all)."""
        width, height = self.size
        if not width or not height:
            return
        inner = max(1, min(96, width) - 4)  # the dialog's border and padding
        short = height < 16  # VERTICAL_BREAKPOINTS: no blank rows, no help line
        title = self._rows(self._title_text, inner) + (0 if short else 2)
        chrome = 2
        if not short:
            chrome += self._rows(self._help_text, inner) + 1
        # 90%: the dialog's max-height, of the screen less the footer's line.
        space = int((height - 1) * 0.9) - chrome
        # Too short for the title and one account (two rows in the list's own border),
        # the title goes, then the list's border: at 20x6 the title took every row, and
        # the list, still there for ↓ and Enter, showed none.
        untitled = space - title < 4
        self.set_class(untitled, "-untitled")
        self.set_class(space < 4, "-bare")
        room = max(2, min(30, space - (0 if untitled else title)))
        option_list = self.query_one(OptionList)
        if option_list.styles.max_height != Scalar.from_number(room):
            option_list.styles.max_height = room
            self.call_after_refresh(option_list.scroll_to_highlight)
        # The entries fitted to the list's width: its border (2), the options' padding
        # (2) and the scrollbar (2) from the dialog's inside.
        self._fit_labels(inner - 6)

    def _fit_labels(self, width: int) -> None:
        """Each account's entry in `width` cells: no line of it wraps."""
        if width == self._labels_width:
            return
        self._labels_width = width
        option_list = self.query_one(OptionList)
        name_width, kind_width = column_widths(self._infos)
        for info in self._infos:
            option_list.replace_option_prompt(info.name, account_label(
                info, self._counts.get(info.name, 0), self._now, name_width=name_width,
                kind_width=kind_width, width=width))
        option_list.replace_option_prompt(ALL, self._all_label(width))
        self.call_after_refresh(option_list.scroll_to_highlight)

    def _all_label(self, width: int | None = None) -> Text:
        total = sum(self._counts.values())
        first = Text("All accounts")
        second = Text(f"  {total:,} cached, merged in one list")
        if width is not None:
            second.truncate(max(1, width), overflow="ellipsis")
        return Text.assemble(first, "\n", second, style="bold")

    def _rows(self, text: Text, width: int) -> int:
        return len(text.wrap(self.app.console, width))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_switch(self) -> None:
        """Show the highlighted account (or all of them)."""
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            self.dismiss(option_list.get_option_at_index(option_list.highlighted).id)

    def action_cancel(self) -> None:
        self.dismiss(None)
