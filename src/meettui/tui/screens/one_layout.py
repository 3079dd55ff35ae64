"""A screen laid out once where Textual lays it out two to five times (`OneLayout`).

Private API (Textual 8.2's Screen and Widget internals; textual is pinned <8.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual import messages
from textual._time import get_time
from textual.screen import Screen
from textual.widget import Widget

from meettui.tui.contrast import without_contrast
from meettui.tui.screens.key_names import key_name_in, spoken_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.filter import LineFilter
    from textual.geometry import Size

ResultType = TypeVar("ResultType")


class OneLayout(Screen[ResultType]):
    """A screen laid out once where Textual lays it out two to five times (on its first
    show, and at each new terminal size): see `_refresh_layout`. What changes on it shows
    through every modal above it (`_compositor_refresh`).

    Private API (Textual 8.2's Screen._screen_resized, _refresh_layout, _on_layout and
    _compositor_refresh; textual is pinned <8.3). `tests/tui/test_first_paint.py` counts
    the layouts and checks a change under two modals, and the snapshots show the screens
    they place."""

    def button_key(self, binding_id: str, default: str) -> str:
        """How a button names the key of its action `binding_id` here ("Save (Ctrl+S)"),
        after the user's [keymap] (`spoken_key`); `default` when nothing binds it. The
        buttons said "Save (Ctrl+S)" and "Discard (y)" of keys a keymap had moved."""
        key = key_name_in(self.app, self._bindings, binding_id)
        return spoken_key(key) if key is not None else default

    # When the last whole layout started (Textual's message clock): asks older than it
    # were answered by it.
    _laid_out_at = float("-inf")

    HELP_TITLE = "meettui"
    """What this screen is, in the user's words: the help titles its keys with it
    ("Keys — Meeting list")."""

    def help_title(self) -> str:
        """What the help on this screen is titled after "Keys — " (`HELP_TITLE`; a
        screen whose name depends on what it shows says so itself)."""
        return self.HELP_TITLE

    def get_line_filters(self) -> Sequence[LineFilter]:
        # The screen draws its background only: under a modal, the screen below faded
        # on purpose, which the contrast guarantee would bring back (`without_contrast`).
        return without_contrast(self)

    def _screen_resized(self, size: Size) -> None:
        # Textual hands the screen a Resize at the size it is laid out at already: the
        # app posts one as it starts and another at its first idle, and a layout posts
        # one to every widget it placed, the screen among them. Each laid the whole
        # screen out again (~1 ms at 120x40) to the same result. A new size, or a
        # layout asked for since the last one, is laid out as before.
        # At the app's size, whatever size the event says: under TERM=dumb the app's
        # start guessed 80x25 (Rich's default), and the layout at that size and the
        # one at the terminal's each posted the screen a Resize of their own size: the
        # screen flipped between the two layouts about 90 times a second for good.
        size = self.app.size
        if size == self._compositor.size and size == self.size \
                and not self._layout_required and not self._layout_widgets:
            return
        super()._screen_resized(size)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        # Each layout asked for a second one of the whole screen, rendered after the
        # first frame to the same result (~4 ms at 120x40): a layout gives each widget
        # its size through the `virtual_size` reactive, whose change asks for a layout;
        # the screen's own flag, which the layout answers, stays up until the next timer
        # tick; and a widget that asked before (composed, or its content changed) asks
        # again when its turn comes, or has asked in a message not yet read. Here a
        # whole layout answers them all, as Textual's would: the arrangements an earlier
        # ask makes stale are cleared first (what Widget._check_refresh does when it
        # hands the ask on), and older messages are dropped (`_on_layout`). Only a
        # widget whose scrollbars came or went in this layout (its content is narrower
        # now) still asks.
        whole = not (scroll and not self._layout_widgets) \
            and bool(self.outer_size if size is None else size)
        if not whole:
            super()._refresh_layout(size, scroll)
            return
        widgets = self._placed_widgets()
        for widget in widgets:
            if widget._layout_required and widget is not self:
                _clear_arrangements(widget)
        self._laid_out_at = get_time()
        bars = {w: (w.show_vertical_scrollbar, w.show_horizontal_scrollbar) for w in widgets}
        super()._refresh_layout(size, scroll)
        for widget in self._placed_widgets():
            # A scrollbar this layout made is in no `bars`: it was placed as it is.
            if bars.get(widget, (widget.show_vertical_scrollbar,
                                 widget.show_horizontal_scrollbar)) \
                    == (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar):
                widget._layout_required = False
        self._laid_out()

    def _laid_out(self) -> None:
        """Called after each whole layout of the screen, its widgets placed."""

    def _compositor_refresh(self) -> None:
        # A modal's translucent background is the screen under it, rendered into the
        # modal's own lines and kept there; Textual hands a change of a screen under the
        # top one to the top screen alone. With two modals up (a confirmation over a
        # form) the one in the middle kept the list as it was: after a resize, the list
        # at the old size, its pane and hint line wrong, until the stack changed (the
        # layouts dropped above used to repaint it by the way); a status line or a
        # countdown stayed as it was too. The screens between this one and the top
        # repaint what changed here.
        app = self.app
        changed = list(self._compositor._dirty_regions)
        between: list[Screen[Any]] = []
        if changed and self is not app.screen and self in app._background_screens:
            stack = app.screen_stack
            between = stack[stack.index(self) + 1:-1]
        super()._compositor_refresh()
        for screen in between:
            screen.refresh(*changed)

    def _placed_widgets(self) -> list[Widget]:
        """The screen, its widgets and their scrollbars (not in the DOM, but laid out)."""
        return [placed for widget in self.walk_children(Widget, with_self=True)
                for placed in (widget, *widget._get_virtual_dom())]

    async def _on_layout(self, message: messages.Layout) -> None:
        # Runs before Screen's handler, which a message the last whole layout answered
        # does not reach.
        if message.time < self._laid_out_at:
            message.stop()
            message.prevent_default()


def _clear_arrangements(widget: Widget) -> None:
    """Clear the arrangements `widget`'s new size can change: its ancestors' up to the
    first with a fixed size (Textual 8.2's Widget._check_refresh, for a layout ask)."""
    for ancestor in widget.ancestors:
        if not isinstance(ancestor, Widget):
            break
        ancestor._clear_arrangement_cache()
        ancestor._layout_updates += 1
        if not ancestor.styles.auto_dimensions:
            break
