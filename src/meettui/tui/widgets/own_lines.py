"""Widgets that draw their lines themselves, without Textual's per-line styling.

Textual renders a widget's lines through `StylesCache.render_line`, which reads the
border, outline, padding, tint, hatch and opacity again for every line (~50 µs a line
here): a PgDn repaints the list's 35 rows and, once the cursor rests, the QR code's
~20 lines. For a widget whose styles add none of those, a line is the widget's content
line at the content width with the app's line filters applied; `OwnLines` makes it so
with the styles read once a call, keeping the lines in the widget's `StylesCache` store
as Textual does. Mirrors Textual 8.2's `StylesCache.render` and uses its private store
(`_cache`, `_dirty_lines`, `_width`: textual is pinned <8.3);
`tests/tui/test_own_lines.py` compares the two in every state these widgets are drawn in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    # Not a widget class at run time: Textual inherits CSS and component classes along
    # the first base that is a DOM node, which must stay the widget's own.
    _Mixin = object


class OwnLines(_Mixin):
    """A widget (a mixin: put it before the widget class) whose lines are its
    `content_lines`, drawn without `StylesCache` when its styles allow (`lines_are_own`)
    and through it otherwise."""

    def content_lines(self, lines: Sequence[int]) -> Iterable[Strip]:
        """The content lines `lines` (widget coordinates, ascending), one strip each,
        of any length: shorter ones are filled with the background, longer ones cut.
        The default asks `render_line` line by line; a widget may read what every line
        needs (its size, its scroll offset) once."""
        return map(self.render_line, lines)

    def lines_are_own(self) -> bool:
        """True when the styles add nothing around or over the lines: no border title,
        border, outline, padding, tint, hatch, opacity or text opacity (the conditions
        under which `StylesCache.render_line` returns a content line as it is)."""
        styles = self.styles
        return (self._border_title is None and self._border_subtitle is None
                and not any(edge for edge, _ in styles.border)
                and not any(edge for edge, _ in styles.outline)
                and not any(styles.padding) and not styles.tint.a
                and self.opacity == 1.0 and styles.text_opacity == 1.0
                and (not styles.has_rule("hatch") or styles.hatch == "none"))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of `crop` (widget coordinates), as Textual's path would make them.
        Lines are kept as `StylesCache` keeps them (its own store, so that either path
        finds the other's): only those a refresh marked, or never drawn, are drawn."""
        if not self.lines_are_own():
            return super().render_lines(crop)
        width = self.content_region.width
        cache = self._styles_cache
        if width != cache._width:
            cache.clear()
            cache._width = width
        stored, dirty = cache._cache, cache._dirty_lines
        lines = crop.line_range
        todo = [y for y in lines if y in dirty or y not in stored]
        base_background, background = self.background_colors
        if todo:
            inner = Style(bgcolor=(base_background + background).rich_color)
            for y, strip in zip(todo, self.content_lines(todo), strict=True):
                stored[y] = strip.adjust_cell_length(width, inner)
        dirty.difference_update(lines)
        filters = self.get_line_filters()
        strips = []
        for y in lines:
            strip = stored[y]
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips
