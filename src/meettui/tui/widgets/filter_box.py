"""The list's filter box: a one-line `Input` whose typing repaints it, never the screen.

Textual's `Input` sets its `virtual_size` (its text's width) on every change, and that
reactive asks for a layout of the whole screen (~3 ms, then a repaint) although the
box keeps its size: here it only repaints the box. The box's width and height are
fixed by CSS (not `auto`), which is what makes the layout useless.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive

from meettui.tui.widgets.ordered_input import OrderedInput

PLACEHOLDERS = (
    "Filter: words, account:NAME, status:live (Enter keeps it, Esc clears)",
    "Filter: words, account:NAME, status:live",
    "Filter: words, account:, status:",
    "Filter",
)
"""What the empty box says, longest first: the longest that fits its width is shown
(`FilterBox.on_resize`). Below 80 columns the first was cut mid-word ("(Enter keeps");
Enter and Esc are in the footer too."""


class FilterBox(OrderedInput):
    """An `Input` (same messages and styles) that lays nothing out as it is typed in, and
    whose Enter keeps the filter and goes back to the list before the app reads on."""

    # Priority: the app waits for it before it hands on the keys read with it. As the
    # Input's own Enter, the second Enter of '/lunch' Enter Enter reached the box too
    # (the list had not the focus yet), and no QR code opened.
    # Esc too: as the screen's binding it ran only after the keys read with it, so
    # 'Esc n' in one burst typed "n" into the box instead of opening New.
    # Shown: with the box focused the footer said only "/ Filter  f1 Help", and neither
    # how to keep the filter nor how to leave the box.
    BINDINGS = [
        Binding("enter", "keep", "Keep filter", priority=True, id="filter.keep"),
        Binding("escape", "clear", "Clear filter", priority=True, id="filter.clear"),
    ]

    async def action_keep(self) -> None:
        """What ↓ does here (`MainScreenFilter.action_filter_to_list`)."""
        await self.screen.run_action("filter_to_list")

    async def action_clear(self) -> None:
        """What Esc does on the list (`MainScreenFilter.action_clear_filter`)."""
        await self.screen.run_action("clear_filter")

    # Same name and internal attribute as Widget's: Textual's own writes go through it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def on_resize(self, event: events.Resize) -> None:
        """Say the longest of `PLACEHOLDERS` that fits the box's text width."""
        room = self.content_region.width - 1  # the cursor's cell after the text
        self.placeholder = next((text for text in PLACEHOLDERS if len(text) <= room),
                                PLACEHOLDERS[-1])
