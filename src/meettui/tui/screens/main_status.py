"""The two lines under the main screen's list: the hint line (a few tips, each led by
the key in effect now) and the status line (how many meetings, each account's state,
and the sentence at the list's end).

`MainScreen` inherits these (it composes both lines and keeps them current)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from meettui.core.display import since
from meettui.core.search import accounts_outside, parse_query, unknown_terms
from meettui.core.service import Health
from meettui.tui.app_writes import under_way_line
from meettui.tui.screens.key_names import key_in
from meettui.tui.screens.main_writes import MainScreenWrites
from meettui.tui.widgets.meeting_rows import COLUMNS


def _set_line(line: Static, text: Text) -> None:
    """Show `text` in a one-row Static (app.tcss gives it `height: 1`): a repaint when the
    text changed, nothing when it did not, never a layout of the screen."""
    if line.content != text:
        line.update(text, layout=False)


HINT_TIPS = (("qr.open", "QR for a guest"), ("copy.shareable", "copy the link"),
             ("meeting.new", "new meeting"), ("list.filter", "filter"),
             ("detail.full", "details"))
"""The hint line's tips, most useful first: the id of the key, and what it does. The
key shown is the one in effect (`Q QR for a guest`, or `f2 QR…` after a keymap);
`? keys` (app.help) always ends the line."""

NEED_A_MEETING = frozenset({"qr.open", "copy.shareable", "detail.full"})
"""The tips whose keys act on the highlighted meeting: left out while the list is
empty, where those keys are greyed (`SELECTION_ACTIONS`)."""


def hint_for(width: int, key_of: Callable[[str], str | None], *,
             selected: bool = True, works: Callable[[str], bool] | None = None) -> str:
    """The hint line for `width` cells of text: "Try: " and the tips that fit, in order,
    then "? keys", each led by its key now (`key_of(binding id)`; a tip with no key is
    left out). Whole tips only: cut at the edge, it lost "? keys" at 80 columns and
    ended on a dangling "·" at 60. The keys were written in the tips, and stayed the
    default ones after a keymap moved them. Without a meeting `selected` (an empty
    list), the tips of keys that act on one are left out: they are greyed there. A tip
    shows only while its key does something there: `works(binding id)` says so (False:
    left out; `n new meeting` on a read-only account, `y copy the link` on a meeting
    with no link to share)."""
    end = f"{key_of('app.help') or '?'} keys"
    tips: list[str] = []
    for binding_id, words in HINT_TIPS:
        if not selected and binding_id in NEED_A_MEETING:
            continue
        if works is not None and not works(binding_id):
            continue
        key = key_of(binding_id)
        if key is None:
            continue
        tip = f"{key} {words}"
        if cell_len("Try: " + " · ".join([*tips, tip, end])) > width:
            break
        tips.append(tip)
    return "Try: " + " · ".join([*tips, end])


def failing_word(health: Health) -> str | None:
    """How the status line names `health` when the account's calls fail
    ("unreachable", "auth failed", "needs credentials"…): its one word, as the accounts
    screen, `meettui accounts` and the MCP tools say it ("offline" here was the name of
    the cache-only mode, `--offline`); None when they do not fail."""
    if health in (Health.UNREACHABLE, Health.NO_ANSWER, Health.AUTH_FAILED,
                  Health.NEEDS_CREDENTIALS, Health.ERROR, Health.RATE_LIMITED):
        return health.value
    return None


class MainScreenStatus(MainScreenWrites):
    """The hint line's keys and the status line of the list screen (see module
    docstring)."""

    def _key_shown(self, binding_id: str) -> str | None:
        """The first key this screen binds to `binding_id`, after the user's keymap, as
        the footer shows it (None: none). Read from the bindings, as the screen's
        binding chain applies the keymap: the hint is composed before the list that
        `active_bindings` asks about (check_action) exists."""
        return key_in(self.app, self._bindings, binding_id)

    def tip_works(self, binding_id: str) -> bool:
        """Whether the key of hint tip `binding_id` (`HINT_TIPS`) does something on
        the list now: `n` where a meeting can be made here (not on a read-only account:
        `check_action`), the QR and the copy where the highlighted meeting has a link
        to share, the details where a meeting is highlighted."""
        main = self._main
        meeting = main.selected
        if binding_id in ("qr.open", "copy.shareable"):
            return meeting is not None and meeting.shareable_link() is not None
        if binding_id in NEED_A_MEETING:
            return meeting is not None
        if binding_id == "meeting.new":
            return main.check_action("new", ()) is True
        return True

    def _loading_tick(self) -> None:
        if self._main.fetching:
            self.update_status()

    def update_status(self) -> None:
        main = self._main
        now = self.app.clock.now()
        parts: list[str] = []
        total = main.table.row_count
        parts.append(f"{total:,} meeting{'s' if total != 1 else ''}"
                     + (f" matching {main.query_text!r}" if main.query_text else ""))
        more = False
        # "so far (m loads more)" only of accounts the filter lets in: `account:von` of
        # a fully loaded account said "so far" while others had pages left.
        wanted = parse_query(main.query_text).accounts if main.query_text else ()
        failing: list[str] = []  # "name: health" of the accounts whose calls fail now
        for name in main.scope:
            info = self.app.cache_read(partial(main.service.account_info, name), None)
            if info is None:
                if not self.app.cache_busy:
                    parts.append(f"{name}: cache unreadable")
                continue
            if name in main.fetching:
                activity = main.service.activity(name)
                parts.append(f"{name}: {activity or 'loading…'}")
                continue
            synced = info.sync.last_synced
            ago = since(synced, now)
            word = failing_word(info.health)
            if word is not None:
                failing.append(f"{name}: {word}")
                parts.append(failing[-1] + (f", last synced {ago}" if info.health in
                                            (Health.UNREACHABLE, Health.NO_ANSWER) else ""))
            if info.read_only and main.service.cache.read_only is None:
                parts.append(f"{name}: read-only")
            if info.capabilities.remote_list and not info.sync.complete and synced \
                    and (not wanted or any(term.casefold() in name.casefold()
                                           for term in wanted)):
                more = True
        if main.service.cache.read_only is not None:
            # Every account, for one reason: said once (`?` says what to do).
            parts.append("read-only cache: not refreshed")
        # The keys as they are now, after the user's [keymap]: "press m" was said where
        # `m` did something else.
        def key(binding_id: str, default: str) -> str:
            return main._key_shown(binding_id) or default

        if more:
            # The count is of what is cached so far: it grows as pages load.
            parts[0] += f" so far ({key('list.load_more', 'm')} loads more)"
        parts[0] += self._hidden_order()  # after "so far": "405 meetings so far (…), by end ▲"
        # What in the filter can match nothing comes first: no page still to load or
        # loading can match it ("More meetings on the server" hid the warnings).
        unknown = unknown_terms(parse_query(main.query_text),
                                [a.name for a in main.service.config.accounts]) \
            if main.query_text and not total else []
        outside = self._accounts_outside() if main.query_text and not total else ""
        if unknown:
            footer = "No meetings match the filter: " + "; ".join(unknown) + "."
        elif outside:
            footer = outside
        elif main.fetching:
            footer = "Loading more meetings…"
        elif more:
            footer = ("More meetings on the server — move down or press "
                      f"{key('list.load_more', 'm')} to load them")
        elif total:
            footer = "— end of list: every page loaded —"
        elif failing and not main.query_text:
            # Not "No meetings yet": nothing could be read (a first sync that failed).
            footer = (f"Could not load the meetings ({'; '.join(failing)}) — "
                      f"{key('list.refresh', 'Ctrl+R')} tries again; "
                      f"{key('app.accounts', 'a')} (Accounts) says why.")
        elif main.query_text:
            footer = "No meetings match the filter."
        else:
            # Only where a new meeting can be made here (not in a read-only account,
            # nor in one that makes none).
            footer = (f"No meetings yet — press {key('meeting.new', 'n')} to create one."
                      if main.check_action("new", ()) is True else "No meetings yet.")
        main.table.footer_text = footer
        # What the user must not miss first: the line is cut at its right edge. A
        # change under way; start-up warnings whose toast went (or was cut), until `?`
        # has shown them.
        app = self.app
        if app.startup_warnings and not app.startup_warnings_read:
            count = len(app.startup_warnings)
            parts.insert(0, f"{count:,} start-up warning{'s' if count > 1 else ''}: "
                            f"{app.startup_pointer()}")
        if app.cache_busy:
            # What the list shows may be behind: it is read again every second.
            parts.insert(0, "cache busy (another process holds it) — reading again soon")
        under_way = under_way_line(app.writes, app.write_activity)
        if under_way:
            parts.insert(0, under_way)
        _set_line(self.query_one("#status-line", Static), Text(" · ".join(parts)))

    def _accounts_outside(self) -> str:
        """What to say of a filter naming only accounts this view leaves out
        (`account:desk` in the view of account team), or "": it said only "No
        meetings match the filter"."""
        main = self._main
        configured = [a.name for a in main.service.config.accounts]
        scope = main.scope
        outside = accounts_outside(parse_query(main.query_text), scope, configured)
        if not outside:
            return ""
        key = self._key_shown("app.accounts")
        how = (f"press {key} and choose All accounts" if key
               else "choose \"Show all accounts\" in the command palette")
        terms = " and ".join(f"account:{term}" for term in outside)
        return (f"No meetings match the filter: {terms} names another account, and "
                f"this view shows {' and '.join(scope)} only. To filter every account, "
                f"{how}.")

    def writes_changed(self) -> None:
        """A change began or ended: the status line says what is under way."""
        self.update_status()

    def cache_busy_changed(self) -> None:
        """The cache was busy (another process held it) or is read again: the list and
        the status line read it now (a list that still cannot be read keeps its rows)."""
        self._main.table.reload()
        self.update_status()

    def _hidden_order(self) -> str:
        """", by end ▼" when the list is sorted by a column this width hides (End below
        ~145 columns): the header's ▲/▼ showed nowhere then."""
        main = self._main
        key, descending = main.table.sort_column
        width = main.table.scrollable_content_region.width
        if not width:
            return ""
        for column, shown in zip(COLUMNS, main.table.column_widths(width), strict=True):
            if column.sort == key and not shown:
                return f", by {column.title.lower()} {'▼' if descending else '▲'}"
        return ""
