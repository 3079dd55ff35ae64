"""The main screen's filter box: `/` opens it, typing filters once the typing pauses,
Enter keeps the filter and goes back to the list, Esc clears it.

`MainScreen` inherits this (it holds the bindings, the box and the table)."""

from __future__ import annotations

import asyncio
import contextlib

from textual import on
from textual.widget import Widget
from textual.widgets import Input

from meettui.tui.debounce import Debounce
from meettui.tui.screens.main_links import MainScreenLinks
from meettui.tui.widgets.detail import DetailPane
from meettui.tui.widgets.filter_box import PLACEHOLDERS, FilterBox

FILTER_DEBOUNCE = 0.15
"""Seconds after the last keystroke before the list is filtered: every reload counts and
scans the account's rows, so a word typed at speed reloads once, not once a letter."""


class MainScreenFilter(MainScreenLinks):
    """The filter box's actions and handlers (see module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.filter_debounce = Debounce(self, FILTER_DEBOUNCE, self._apply_filter,
                                        name="filter-debounce")
        self._box: FilterBox | None = None

    @property
    def _filter_box(self) -> Input | None:
        """The box, once `/` has mounted it (the first paint does without it)."""
        return self._box

    async def action_filter(self) -> None:
        # The keys read before `/` go first: a priority binding runs before the list has
        # handled them, and `j / word Enter` moved the cursor after the filter.
        await self._caught_up(self._main.table)
        app = self.app
        if app.screen is not self:
            # A key read before this one covered the list ('p' then a pasted
            # 'https://…': the first '/' opened the filter under the dialog and was
            # lost to the link). The '/' is the dialog's.
            key = app.key_in_hand
            if key is not None and key.key == "slash":
                app.hand_on(key)
            return
        box = self._box
        if box is None:
            # Mounted at the first `/`: an Input styled and laid out with the first
            # screen is ~6% of its first paint, for a box most sessions never open.
            # Awaited here, so the keys read with `/` reach it, not the list.
            box = self._box = FilterBox(placeholder=PLACEHOLDERS[0], id="filter")
            await self.mount(box, before="#table-header")
        box.add_class("visible")
        # Focus now, not through Widget.focus() (a callback queued behind the keys
        # already read): "/lunch" typed in one burst must reach the box, not the list,
        # where `n` would open the New form.
        self.set_focus(box)

    def _index_in_background(self) -> None:
        """Index, in a thread, the rows the filter's full-text index has not seen: those
        a sync wrote (here or by `meettui list`) are only noted (`core/cache_fts.py`).
        Most starts find none: then no thread, worker and state messages are started
        for a catch-up with nothing to do."""
        if not self.app.cache_read(self._main.service.index_waiting, False):
            return
        self.run_worker(self._main.service.catch_up_index, thread=True, group="index",
                        exit_on_error=False, description="index the filter")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value.strip() == self._main.query_text and not self.filter_debounce.pending:
            return  # cleared by Esc (already applied), or only spaces were typed
        self.filter_debounce.request()

    def _apply_filter(self) -> None:
        main = self._main
        box = self._filter_box
        text = box.value.strip() if box is not None else ""
        if text == main.query_text:
            return
        # A filter cleared (Esc, or its words deleted) keeps the meeting it found: the
        # cursor went back to what is on now, away from the meeting looked for.
        found = main.table.highlighted if main.query_text and not text else None
        main.query_text = text
        # The typing has paused already (this debounce): the pane follows the cursor at
        # once, in the frame that shows the filtered rows. Through `Highlighted` it came
        # a frame later, and the pane's own wait for the cursor to rest another later.
        main.table.reload(found, home_if_gone=True, announce=False)
        main.follow_cursor(main.table.highlighted, wait=False)
        main.update_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.filter_debounce.flush()
        self._main.table.focus()

    async def action_filter_to_list(self) -> None:
        """↓ or Enter in the filter box: keep the filter (applied now) and go back to the
        list; keys typed next then act on the filtered list. A priority binding (the keys
        read with it in one burst wait for it, and then follow the focus), enabled only
        while the box has focus (`MainScreen.check_action`): elsewhere they are the
        list's.

        The box is waited for first: the letters of a burst ('/lunch' ↓ ↓ Enter in one
        read) are queued at the box, and a priority key is handled before them. Going
        back at once, the list kept its unfiltered rows, and ↓ ↓ Enter opened the QR
        code of a meeting the filter leaves out."""
        await self._box_caught_up()
        self.filter_debounce.cancel()
        self._apply_filter()
        self.set_focus(self._main.table)

    async def _box_caught_up(self) -> None:
        """Return once the filter box has handled every key sent to it so far (a
        callback queued behind them has run); at once when there is no box."""
        if self._box is not None:
            await self._caught_up(self._box)

    @staticmethod
    async def _caught_up(widget: Widget) -> None:
        """Return once `widget` has handled every message sent to it so far (a callback
        queued behind them has run)."""
        caught_up = asyncio.Event()
        if widget.call_later(caught_up.set):
            with contextlib.suppress(TimeoutError):
                # A box removed meanwhile never runs it; a second is plenty otherwise.
                await asyncio.wait_for(caught_up.wait(), 1.0)

    async def action_next_pane(self) -> None:
        """Tab, Shift+Tab: the keys go from the list to the detail pane and back. Not
        through Textual's focus chain, which held the filter box once a filter was kept:
        Tab from the list focused the box with its text selected, and the next letter
        replaced the filter. From the box, the filter is kept (as Enter keeps it) and
        Tab goes on to the pane, Shift+Tab back to the list.

        A priority binding, so that the keys read after it in one burst follow the
        focus it gives ('Tab /lunch Enter' from the pane filtered the list). Those read
        before it go first: it waits for the focused widget's queue, as `/` does; when
        one of them covered the list (`n Hello Tab +1h`: the New form), the Tab is the
        form's, and goes there in its place among the keys held for it."""
        app = self.app
        key = app.key_in_hand
        focused = self.focused
        if focused is not None:
            await self._caught_up(focused)
        if app.screen is not self:
            if key is not None and self._is_pane_key(key.key):
                app.hand_on(key)
            return
        main = self._main
        pane = main.query_one(DetailPane)
        backward = key is not None and key.key == "shift+tab"
        focused = self.focused
        box = self._box
        if box is not None and focused is box:
            self.filter_debounce.cancel()
            self._apply_filter()
            target: Widget = main.table if backward else pane
        elif focused is not None and pane in focused.ancestors_with_self:
            target = main.table
        else:
            target = pane
        if target is pane and not pane.display:
            # Narrow: the pane gives way to the list. Tab did nothing, or went into the
            # filter box.
            self.set_focus(main.table)
            details = main._key_shown("detail.full")
            app.notify("The detail pane shows from "
                       f"{main.NARROW} columns on"
                       + (f"; {details} shows the details full screen." if details
                          else "."), title="No detail pane", timeout=5,
                       replaces="next-pane")
            return
        # Now, not through Widget.focus() (a callback queued behind the keys already
        # read): the keys read with Tab act where it sent them.
        self.set_focus(target)

    def _is_pane_key(self, key: str) -> bool:
        """Whether `key` is one of Tab's here (after the user's keymap)."""
        active = self.active_bindings.get(key)
        return active is not None and active.binding.id == "app.next_pane"

    def action_clear_filter(self) -> None:
        box = self._filter_box
        self.filter_debounce.cancel()
        if box is not None and box.value:
            box.value = ""
        self._apply_filter()
        if box is not None:
            box.remove_class("visible")
        # Now, not at the next turn (`focus()`): a key read with Esc goes to the list.
        self.set_focus(self._main.table)
