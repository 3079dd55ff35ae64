"""The meeting list with the detail pane: where an agent spends the day."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from meettui.core.cache_window import Position, StoredRow
from meettui.core.capabilities import Capabilities, DeleteMode, UpdateMode
from meettui.core.delete_key import delete_key
from meettui.core.models import Meeting, SessionData
from meettui.core.rowblocks import Read
from meettui.core.search import DEFAULT_ORDER
from meettui.core.service import MeetingService
from meettui.tui.debounce import Settling
from meettui.tui.key_hold import acts_at_once
from meettui.tui.screens.base import HELP_KEYS
from meettui.tui.screens.link_keys import LINK_KEYS, SHARE_ACTIONS
from meettui.tui.screens.main_actions import PANE_KEYS, PANE_KEYS_NARROW, SELECTION_ACTIONS
from meettui.tui.screens.main_fetch import MainScreenFetch
from meettui.tui.screens.main_status import hint_for
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.footer import KeyFooter
from meettui.tui.widgets.meeting_table import MeetingTable, TableSource
from meettui.tui.widgets.table_header import TableHeader
from meettui.tui.widgets.title_bar import TitleBar


class MainScreen(MainScreenFetch):
    HELP_TITLE = "Meeting list"
    BINDINGS = [
        # Priority: the app runs it before it hands on the keys read with it, so a
        # filter typed in one burst ("/lunch") lands in the box (see action_filter).
        Binding("slash", "filter", "Filter", id="list.filter", priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="list.clear_filter"),
        # Acts in the filter box only (elsewhere ↓ goes on to the focused widget).
        Binding("down", "filter_to_list", "Keep filter, back to the list", show=False,
                id="list.from_filter", priority=True),
        Binding("a", "accounts", "Accounts", id="app.accounts"),
        *LINK_KEYS,
        # Shown: below 100 columns there is no side pane, and `i` is the only way to a
        # meeting's links and details (it was in no footer and no hint line there).
        Binding("i", "details", "Details", id="detail.full"),
        Binding("n", "new", "New", id="meeting.new"),
        Binding("e", "edit", "Edit", id="meeting.edit"),
        Binding("d,delete", "delete", "Delete", id="meeting.delete"),
        Binding("ctrl+r,f5", "refresh", "Refresh", show=False, id="list.refresh"),
        Binding("m", "load_more", "More", show=False, id="list.load_more"),
        Binding("L", "toggle_read_only", "Read-only", show=False, id="account.read_only"),
        Binding(HELP_KEYS, "help", "Help", id="app.help"),
        # k9s: Shift+<column letter> sorts by that column; again reverses it.
        Binding("T", "sort('title')", "Sort by title", show=False, id="sort.title"),
        Binding("A", "sort('account')", "Sort by account", show=False, id="sort.account"),
        Binding("S", "sort('start')", "Sort by start", show=False, id="sort.start"),
        Binding("E", "sort('end')", "Sort by end", show=False, id="sort.end"),
        Binding("U", "sort('status')", "Sort by status", show=False, id="sort.status"),
    ]

    DEFAULT_CSS = """
    MainScreen #filter { display: none; }
    MainScreen #filter.visible { display: block; }
    MainScreen #hint { height: 1; padding: 0 1; color: $text-muted; display: none; }
    MainScreen #hint.visible { display: block; }
    MainScreen.too-small > * { display: none; }
    MainScreen.too-small > #too-small { display: block; }
    MainScreen #too-small { display: none; width: 1fr; height: 1fr; content-align: center middle;
                            text-align: center; }
    """

    # The list has focus from the start: focusing the (hidden) filter box first, as
    # Textual would, validated and restyled it when the list took the focus.
    AUTO_FOCUS = "#meetings"

    # Below this width the detail pane gives way to the list (`i` shows it full screen).
    NARROW = 100
    # From this height the hint line shows (the list keeps at least 12 rows).
    TALL = 30
    # Below this size (columns, rows) the list has no room for one readable row: the
    # screen says so instead of drawing its parts over each other. At 16x5 it still
    # shows a title, a row, the status line and `? Help q Quit`.
    SMALLEST = (16, 5)
    # Seconds between checks for another process's writes to the cache (`follow_cache`).
    FOLLOW_CACHE = 1.5

    def __init__(self, service: MeetingService) -> None:
        super().__init__()
        self.service = service
        self.query_text = ""
        self.revealed: set[tuple[str, str]] = set()
        self.importing = 0
        """Links being imported (`paste_link.start_import`): keys wait meanwhile."""
        # Join data actions returned (with credentials): in this screen's memory only.
        self.session_data: dict[tuple[str, str], SessionData] = {}
        self.order = DEFAULT_ORDER
        self._resumed = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Sized for the terminal from the start: a class changed at the first resize
        # would style and lay out the screen a second time before its first paint.
        width, height = self.app.size
        narrow = width < self.NARROW
        self.set_class(narrow, "narrow")
        self._name_pane_keys(narrow)
        yield TitleBar()
        # One container: the pane docks to its right (app.tcss), the list takes the rest.
        # A row of two containers, as before, styled, laid out and painted two more
        # widgets (each a layer of blank lines) for the same cells.
        with Vertical(id="body"):
            table = MeetingTable(
                TableSource(self._locate, self._rows, lambda: self.scope),
                now=self.app.clock.now,
                id="meetings",
            )
            yield TableHeader(table, id="table-header")
            yield table
            yield DetailPane(id="detail", lazy=True)
        yield Static(hint_for(width - 2, self._key_shown), id="hint",
                     classes="visible" if height >= self.TALL else "")
        yield Static(id="status-line")
        footer = KeyFooter()
        footer.set_reactive(KeyFooter.compact, narrow)
        footer.set_reactive(KeyFooter.show_command_palette, not narrow)
        yield footer

    def deferred(self) -> list[Settling]:
        """The filter's debounce, and the pane that follows the cursor."""
        return [self.filter_debounce, self.query_one(DetailPane)]

    @property
    def table(self) -> MeetingTable:
        return self.query_one(MeetingTable)

    @property
    def scope(self) -> list[str]:
        return self.app.scope_accounts()

    # The list's reads of the cache: a cache that fails while the app runs (damage in a
    # part of the file not read before) empties the list and says so, never quits.

    # A read another process keeps from the file now (`cache_read`'s busy) gives None:
    # the list keeps what it shows, and reads again once the cache is free.

    def _locate(self, keep: Meeting | None, home: bool, near: int | None) -> Position | None:
        # Open on what matters now: the first meeting not over (start order only).
        return self.app.cache_read(lambda: self.service.locate(
            self.scope, self.query_text, target=keep,
            home=home and self.order == DEFAULT_ORDER, near=near, order=self.order),
            Position(count=0), busy=None)

    def _rows(self, read: Read) -> list[StoredRow] | None:
        none: list[StoredRow] = []
        return self.app.cache_read(
            lambda: self.service.rows(self.scope, self.query_text, read, order=self.order),
            none, busy=None)

    def _index_of(self, meeting: Meeting) -> int | None:
        return self.app.cache_read(lambda: self.service.index_of(
            meeting, self.scope, self.query_text, self.order), None)

    def on_mount(self) -> None:
        self.table.focus()
        # Called once now (the first scope), then whenever the app's scope changes.
        self.watch(self.app, "scope", self._scope_changed)
        # Statuses and countdowns move with the clock even when no data changes.
        self.set_interval(30, self._tick, name="countdowns")
        # While a page loads, the status line says what it waits for (a rate limit's
        # countdown), so it is kept current every second.
        self.set_interval(1, self._loading_tick, name="loading")
        # What another meettui writes to the cache (`meettui create` in a shell) shows
        # without Ctrl+R: a check that reads no table, then the list read again.
        self.set_interval(self.FOLLOW_CACHE, self.follow_cache, name="follow-cache")
        # Rows another meettui wrote (`meettui list` syncs) wait for the filter's index;
        # index them once the list has painted.
        self.call_after_refresh(self._index_in_background)
        # Before the first frame (the scope's first rows are read): the footer worked
        # out then keeps `d` as named here.
        self.name_delete_key()

    def follow_cache(self) -> None:
        """Read the list again when another process wrote to the cache since the last
        check (`Cache.written_elsewhere`): its rows, the count and the pane, the cursor
        on the meeting it was on. Nothing is fetched."""
        if self.service.cache.written_elsewhere():
            self.cache_busy_changed()

    def _tick(self) -> None:
        self.table.repaint_all()
        self.show_detail(self.selected)
        self.update_status()

    def on_resize(self) -> None:
        self._fit()
        self.call_after_refresh(self.update_status)  # a column the order is by may hide

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. The app's first screen is resumed right
        # after it mounted, and Textual then restyles every node of it (~50 rule
        # matches, a quarter of the first paint's styling) although each was styled
        # as it mounted, with the same classes and theme. Later resumes (a modal
        # closed) restyle as Textual does.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _fit(self) -> None:
        """Choose what this size shows: the detail pane from NARROW columns, the hint
        line when the list keeps at least 12 rows."""
        narrow = self.size.width < self.NARROW
        self.set_class(narrow, "narrow")
        self._name_pane_keys(narrow)
        self._say_if_too_small()
        # Compact keys at 80 columns keep `? Help` and `q Quit` in the footer.
        footer = self.query_one(KeyFooter)
        footer.compact = narrow
        footer.show_command_palette = not narrow  # Ctrl+P still works; `?` says so
        self.query_one("#hint", Static).set_class(self.size.height >= self.TALL, "visible")
        self.show_hint()
        # A scrollbar that came or went changes the table's width, not the header's.
        self.call_after_refresh(self._header_if_stale)

    def _name_pane_keys(self, narrow: bool) -> None:
        """Name Tab's binding in the help (`app.next_pane`) for this width: below NARROW
        columns there is no pane to move to."""
        self.describe_binding("app.next_pane", PANE_KEYS_NARROW.format(columns=self.NARROW)
                              if narrow else PANE_KEYS)

    def show_hint(self) -> None:
        """The hint line's tips for this width, and for a list with or without a
        meeting to act on, each only while its key does something here (`hint_for`,
        `tip_works`)."""
        hint = self.query_one("#hint", Static)
        # (`tip_works` leaves out the tips of keys that act on a meeting while none is.)
        text = hint_for(self.size.width - 2, self._key_shown,  # (padding: a cell each side)
                        works=self.tip_works)
        if str(hint.content) != text:
            hint.update(text, layout=False)

    def _say_if_too_small(self) -> None:
        """Below `SMALLEST`, one message instead of the list (its notice is mounted the
        first time it is needed: a screen never that small pays nothing for it)."""
        columns, rows = self.SMALLEST
        width, height = self.size
        small = width < columns or height < rows
        notice = next(iter(self.query("#too-small").results(Static)), None)
        if small:
            # Short lines, the one to act on first: at 10x3 all three fit.
            text = f"Too small\nneeds {columns}×{rows}\n{self.key_for('app.quit')} quits"
            if notice is None:
                self.mount(Static(text, id="too-small"))
            else:
                notice.update(text)
        regained = not small and self.has_class("too-small")
        self.set_class(small, "too-small")
        if regained and self.focused is None:
            # Hidden, the list lost the focus: grown back, its keys (j, k, Enter) did
            # nothing until a click.
            self.set_focus(self.table)

    def _header_if_stale(self) -> None:
        if self.is_attached:
            self.query_one(TableHeader).refresh_if_stale()

    def _update_header(self) -> None:
        """The columns or their titles changed (scope, sort): paint the titles again."""
        self.query_one(TableHeader).refresh()

    # -- the detail pane follows the cursor --------------------------------------------

    @on(MeetingTable.Highlighted)
    def _highlighted(self, message: MeetingTable.Highlighted) -> None:
        message.stop()  # the app has no use for it: one dispatch a move, not two
        # Once the cursor rests: holding ↓ costs table repaints only.
        self.follow_cursor(message.meeting, wait=True)

    def follow_cursor(self, meeting: Meeting | None, *, wait: bool) -> None:
        """The detail pane shows `meeting`, the one under the cursor: once the cursor
        has rested (`wait`), or now."""
        self.write_keys_follow()
        if meeting is None or meeting.key not in self.revealed:
            # A host link revealed stays so while its meeting is selected, not for the
            # rest of the session: leaving the meeting masks it again.
            self.revealed.clear()
        link = meeting.shareable_link() if meeting else None
        self.query_one(DetailPane).show_soon(lambda: self.show_detail(self.selected),
                                             qr_data=link.url if link else None, wait=wait)

    def show_detail(self, meeting: Meeting | None) -> None:
        notes = self.notes_for(meeting) if meeting is not None else ()
        self.query_one(DetailPane).show(
            meeting, self.app.clock.now(),
            revealed=meeting is not None and meeting.key in self.revealed, notes=notes,
            session=self.session_data.get(meeting.key) if meeting is not None else None,
        )

    # -- the selection -----------------------------------------------------------------

    @property
    def selected(self) -> Meeting | None:
        return self.table.highlighted

    # What acts on it (the meeting acted on, copying, the full-screen QR): MainScreenLinks.

    def action_accounts(self) -> None:
        self.app.action_accounts()

    def action_sort(self, key: str) -> None:
        """Sort by `key`'s column; the same key again reverses it (k9s's Shift+letter)."""
        self.order = self.order.toggled(key)
        self.table.sort_column = (self.order.key, self.order.descending)
        self.table.reload(keep=self.selected)
        self._update_header()
        self.update_status()

    def action_help(self) -> None:
        self.app.action_help()

    @staticmethod
    def _can(action: str, caps: Capabilities, meeting: Meeting | None = None) -> bool:
        """Whether `caps` allow `action` (edit, delete) at all; given `meeting`, whether
        the key does something to it (`d` on a meeting cancelled already with nothing
        left to remove does nothing: `delete_key`)."""
        if action == "edit":
            # A meeting gone upstream has nothing to edit: the form opened, and saving
            # was refused after the user had typed.
            return caps.update != UpdateMode.NONE and not (meeting is not None
                                                           and meeting.missing)
        if meeting is not None:
            return delete_key(caps, meeting).works
        return caps.delete != DeleteMode.NONE

    def holds_key(self, key: events.Key) -> bool:
        """While a pasted link is imported, the keys typed wait (`key_hold.py`): they
        are for the meeting it selects once found, not the one highlighted before."""
        return bool(self.importing) and not acts_at_once(self.app, key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("filter_to_list", "filter"):
            in_box = self.focused is not None and self.focused is self._filter_box
            # In the box `/` is typed (an id or a link holds one): the footer said "/
            # Filter" there, of a key that filtered nothing. (False: not shown, and the
            # key goes on to the box.)
            return in_box if action == "filter_to_list" else not in_box
        if action in SELECTION_ACTIONS:
            # Greyed, not hidden: the footer keeps its place; `on_key` says why. Those of
            # the link a guest is given, greyed too on a meeting that has none (a
            # pasted start link): `y Copy link` and `Q QR` showed lit there.
            meeting = self.selected
            if meeting is None or (action in SHARE_ACTIONS and parameters in ((), ("share",))
                                   and meeting.shareable_link() is None):
                return None
            return True
        if action in ("new", "edit", "delete"):
            # Hidden where read-only refuses it, or where no account in view can do it at
            # all (`n New` showed on the imported account, which makes no meetings);
            # greyed out where another meeting here could. Pressed anyway, it says why
            # in the account's terms (`on_key`).
            if self.write_refusal(action) is not None:
                return False
            if action == "new":
                return bool(self._writable_accounts())
            meeting = self.selected
            if meeting is None or self.service.is_read_only(meeting.account):
                return None
            if self._can(action, self.service.capabilities_for(meeting), meeting):
                return True
            return None if any(self._can(action, self.service.capabilities(name))
                               for name in self.scope) else False
        return True
