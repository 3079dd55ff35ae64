"""The list's column titles, above the table."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from meettui.tui.widgets.meeting_table import MeetingTable


class TableHeader(Widget, can_focus=False):
    """The titles of `table`'s columns, worked out for the table's width when painted.

    The width is the table's, not this line's (its scrollbar takes a column or two), and
    it is known only once the screen is laid out: a Static set before then had the
    wrong width and was painted again after the first frame. Painted from the table at
    render time, the first frame has it right. `refresh_if_stale()` repaints when the
    table's width changed without this line's (a scrollbar came or went).
    """

    DEFAULT_CSS = "TableHeader { height: 1; }"

    def __init__(self, table: MeetingTable, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._table = table
        self._width: int | None = None

    def on_mount(self) -> None:
        # The Account column follows the account names (read at each reload of the table).
        self.watch(self._table, "account_width", self._columns_changed, init=False)

    def _columns_changed(self) -> None:
        self.refresh()

    def _table_width(self) -> int:
        return self._table.scrollable_content_region.width or self.size.width

    def render(self) -> Text:
        self._width = self._table_width()
        return Text(self._table.header_text(self._width), style="bold", no_wrap=True,
                    overflow="crop")

    def refresh_if_stale(self) -> None:
        """Repaint when the table's width is not the one last painted for."""
        if self._width != self._table_width():
            self.refresh()
