"""A compositor that renders only what a frame can show.

Textual 8.2's `Compositor._get_renders` renders every line of every visible widget the
update touches, front to back, and `_render_chops` then keeps, per line and cut, the
front-most strip. What is behind another widget is rendered, cut at every edge on its
line, and thrown away:

* a partial update (a PgDn repaints the list's 35 rows) rendered the title bar, the key
  footer and the status line too (their clip is the whole screen), the screen and the
  containers under the list, the detail pane beside it: about a millisecond a frame;
* a full update (the first frame, a resize) rendered the screen's 40 blank lines and the
  list's container's 36 under the widgets that cover them, and divided each of those
  strips at the detail pane's edge: about 2 ms of the first frame.

`CroppingCompositor` renders a widget's lines only where some cell of them is not
covered by the widgets in front of it, and, for a partial update, only the update's
lines. What reaches the terminal is the same: per line and cut, the front-most strip is
kept, and a line skipped here has, for each of its cuts, a widget in front that draws it.
A widget draws every cell of its region (its background is resolved from its ancestors'
styles, not blended by the compositor), so what is behind it never shows.

Private Textual API (`Compositor`, `_get_renders`, `full_map`, `_full_map`,
`_full_map_invalidated`, `_dirty_regions`, `Screen._compositor`): textual is
pinned <8.3 for it; `tests/tui/test_compositor.py` compares the frames with Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual._compositor import Compositor, CompositorMap
from textual.geometry import Region
from textual.strip import Strip


def uncovered_bands(shown: Region, front: list[Region]) -> Iterator[tuple[int, int]]:
    """The runs of lines of `shown`, as (first line, end line), where some cell of the
    line is in none of the `front` regions. Lines between the same edges of the front
    regions are covered alike, so each such band is checked once."""
    x0, x1 = shown.x, shown.right
    top, bottom = shown.y, shown.bottom
    over = [r for r in front if r.x < x1 and r.right > x0 and r.y < bottom and r.bottom > top]
    edges = {top, bottom}
    for r in over:
        edges.add(min(max(r.y, top), bottom))
        edges.add(min(max(r.bottom, top), bottom))
    cuts = sorted(edges)
    start: int | None = None
    for y0, y1 in zip(cuts, cuts[1:], strict=False):
        spans = sorted((r.x, r.right) for r in over if r.y <= y0 and r.bottom >= y1)
        reach = x0
        for left, right in spans:
            if left > reach:
                break
            reach = max(reach, right)
        if reach < x1:
            if start is None:
                start = y0
        elif start is not None:
            yield start, y0
            start = None
    if start is not None:
        yield start, bottom


class RepaintingCompositor(Compositor):
    """Textual's compositor, repainting what a lazy rebuild of its map finds changed
    (`full_map`): every meettui screen's, modals' included."""

    @property
    def full_map(self) -> CompositorMap:
        """Textual's map of every widget, rebuilt when a widget outside the frame was
        refreshed. Textual's rebuild replaces the map without marking what changed, and
        the layout that follows compares its new map with that one: a toast removed in
        between (a hidden detail pane's parts had been refreshed; the toast's own removal
        looks up its rack's size, which rebuilds) changed nothing it could see, and its
        text stayed on the terminal. The regions that changed are marked here, as
        `reflow` marks them."""
        if self.root is None or not self._full_map_invalidated:
            return super().full_map
        before = self._full_map
        after = super().full_map
        screen = self.size.region
        if screen not in self._dirty_regions:
            self._dirty_regions.update(
                region for region in (geometry.clip.intersection(geometry.region)
                                      for _, geometry in after.items() ^ before.items())
                if region)
        return after


class CroppingCompositor(RepaintingCompositor):
    """The compositor that renders only what shows (see the module)."""

    def _get_renders(self, crop: Region | None = None
                     ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:
            crop = self.size.region
        crop_intersection = crop.intersection
        painted: list[Region] = []  # what the widgets in front paint, every cell of it
        # Front-most first, as _render_chops expects (it keeps the first strip per cut).
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            shown = crop_intersection(visible)
            if not shown:
                continue
            if any(front.contains_region(shown) for front in painted):
                continue
            bands = list(uncovered_bands(shown, painted))
            painted.append(visible)
            # The whole width of each band, so the strip still starts at the widget's
            # left edge, where _render_chops cuts it.
            for first, end in bands:
                band = Region(visible.x, first, visible.width, end - first)
                yield region, band, widget.render_lines(
                    Region(band.x - region.x, band.y - region.y, band.width, band.height))
