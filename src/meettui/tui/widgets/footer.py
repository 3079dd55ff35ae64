"""A one-line footer of key hints, drawn by one widget.

Textual's Footer mounts a widget per key and rebuilds all of them whenever the bindings
change, which they do on every focus change: `/` and Esc on the main screen moved focus
and restyled some twenty widgets each time. This footer works out the hints (key, label,
enabled) from the screen's active bindings and repaints only when they changed. It looks
like Textual's Footer (same theme variables and spacing) and, like it, a click on a hint
presses its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from meettui.tui.contrast import greyed, shown_style, without_contrast


@dataclass(frozen=True)
class Hint:
    """One key shown in the footer: the key to press, how it is shown, its label."""

    key: str
    display: str
    description: str
    enabled: bool
    essential: bool = False
    """Kept when the line is too short for every hint: the way out and the key list."""
    vital: bool = False
    """Kept before even the essential ones: a question's answers (`y Yes`, `n No`)."""


ESSENTIAL_ACTIONS = frozenset({"help", "quit", "close", "cancel", "clear"})
"""Actions whose hints a narrow footer keeps (`? Help`, `q Quit`, `esc Back`, the filter
box's `esc Clear filter`…): from them the user finds every other key."""

VITAL_BINDINGS = "FOOTER_VITAL"
"""The screen attribute naming (by binding id) the hints a footer keeps above all: on
a question, its answers. At 16 columns a confirmation kept `? Help y Yes` and lost
`n No`, the way to say no."""


class KeyFooter(Widget, can_focus=False):
    """The bindings of the screen that have `show=True`, one hint per action, with the
    command palette's key at the right end (unless `show_command_palette` is False).

    `compact` packs the hints tighter, as Textual's Footer does. The hints are worked
    out again when the screen's bindings change (focus moves, `refresh_bindings()`), and
    the widget repaints only when they differ from the ones shown.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--separator",
    }

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--separator { color: $foreground 20%; }
    """

    compact: reactive[bool] = reactive(False, repaint=False, init=False)
    show_command_palette: reactive[bool] = reactive(True, repaint=False, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hints: tuple[Hint, ...] = ()
        self.palette: Hint | None = None
        # (first column, end column, key) of each hint drawn, for clicks.
        self._spans: list[tuple[int, int, Hint]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # Not now: the screen's check_action may ask for widgets still being mounted.
        self.call_after_refresh(self.update_hints)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.update_hints()

    def get_line_filters(self) -> Sequence[LineFilter]:
        # The footer sees to its contrast itself (`_hint_segments`): a greyed key keeps
        # 3:1, not the 4.5:1 of text, to look greyed beside the keys that work, which
        # the app's filter could not tell from text (Textual has drawn dim as a colour
        # by then).
        return without_contrast(self)

    def _watch_compact(self) -> None:
        self.refresh()

    def _watch_show_command_palette(self) -> None:
        self.update_hints()

    def update_hints(self) -> None:
        """Work the hints out from the screen's active bindings; repaint if they changed."""
        if not self.is_attached:
            return
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, Hint] = {}
        vital_ids: frozenset[str] = getattr(self.screen, VITAL_BINDINGS, frozenset())
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in by_action:
                essential = binding.action.rsplit(".", 1)[-1] in ESSENTIAL_ACTIONS
                by_action[binding.action] = Hint(binding.key, app.get_key_display(binding),
                                                 binding.description, enabled, essential,
                                                 vital=binding.id in vital_ids)
        palette: Hint | None = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            entry = active.get(app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                palette = Hint(binding.key, app.get_key_display(binding),
                               binding.description, enabled)
                by_action.pop(binding.action, None)
        hints = tuple(by_action.values())
        if (hints, palette) != (self.hints, self.palette):
            self.hints, self.palette = hints, palette
            self.refresh()

    def _hint_segments(self, hint: Hint, key_style: Style, description_style: Style,
                       *, compact: bool) -> list[Segment]:
        # Read as all text is (`tui/contrast.py`), a greyed key at 3:1 (`greyed`).
        if hint.enabled:
            key_style, description_style = shown_style(key_style), shown_style(description_style)
        else:
            key_style, description_style = greyed(key_style), greyed(description_style)
        if compact:
            return [Segment(hint.display, key_style),
                    Segment(f" {hint.description}", description_style)]
        return [Segment(f" {hint.display} ", key_style),
                Segment(f"{hint.description} ", description_style)]

    def _hint_width(self, hint: Hint, compact: bool) -> int:
        """Cells `hint` takes, with the margin after a compact one."""
        parts = self._hint_segments(hint, Style(), Style(), compact=compact)
        return sum(part.cell_length for part in parts) + (1 if compact else 0)

    def fitted(self, width: int) -> tuple[tuple[Hint, ...], Hint | None, bool]:
        """The hints drawn in `width` cells, the palette hint (or None) and whether they
        are drawn compact: all of them as set when they fit; else compact, then without
        the palette's hint (Ctrl+P still works), then without the hints that are not
        `essential`, last first, the greyed ones before the rest, so that the way out
        and `? Help` (which lists every key) stay; then, still too long, the essential
        ones but the `vital` (a question's answers). Whole hints go, never half a
        word."""
        hints, palette, compact = self.hints, self.palette, self.compact

        def needed(shown: tuple[Hint, ...], palette: Hint | None, compact: bool) -> int:
            cells = sum(self._hint_width(hint, compact) for hint in shown)
            return cells + (self._hint_width(palette, True) + 1 if palette else 0)

        if needed(hints, palette, compact) <= width:
            return hints, palette, compact
        compact = True
        if needed(hints, palette, compact) <= width:
            return hints, palette, compact
        palette = None
        shown = list(hints)
        # Greyed keys go before lit ones: at 80 columns a cancelled meeting's footer lost
        # `d Delete for good`, which works, and kept `e Edit`, which does not.
        for keep in (lambda hint: hint.essential or hint.vital or hint.enabled,
                     lambda hint: hint.essential or hint.vital, lambda hint: hint.vital):
            for hint in reversed(hints):
                if needed(tuple(shown), None, compact) <= width:
                    return tuple(shown), None, compact
                if hint in shown and not keep(hint):
                    shown.remove(hint)
        return tuple(shown), None, compact

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        hints, palette, compact = self.fitted(width)
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        segments: list[Segment] = []
        spans: list[tuple[int, int, Hint]] = []
        x = 0
        for hint in hints:
            parts = self._hint_segments(hint, key_style, description_style, compact=compact)
            if compact:
                parts.append(Segment(" ", base))  # Footer's margin between compact keys
            length = sum(segment.cell_length for segment in parts)
            spans.append((x, x + length, hint))
            segments.extend(parts)
            x += length
        strip = Strip(segments).crop_extend(0, width, base)
        if palette is not None:
            separator = self.get_component_rich_style("key-footer--separator")
            # Drawn compact at every width, as Textual's Footer draws it.
            parts = [Segment("▏", separator),
                     *self._hint_segments(palette, key_style, description_style,
                                          compact=True),
                     Segment(" ", base)]
            right = Strip(parts)
            start = max(0, width - right.cell_length)
            strip = Strip.join([strip.crop(0, start), right]).crop_extend(0, width, base)
            spans = [span for span in spans if span[1] <= start]
            spans.append((start, width, palette))
        self._spans = spans
        return strip

    def on_click(self, event: events.Click) -> None:
        for start, end, hint in self._spans:
            if start <= event.x < end:
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return
