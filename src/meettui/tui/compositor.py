"""A compositor that renders, for a partial update, only what the update can show.

Textual 8.2's `Compositor._get_renders` renders, for every partial update, every line
of every widget whose clip touches the updated area: the title bar, the key footer and
the status line (their clip is the whole screen), the screen and the containers under
the list (covered by it), the detail pane beside it. A PgDn repaints the list's 35 rows,
and each of those widgets was rendered whole too, about a millisecond of a frame.

`CroppingCompositor` renders a widget only if some of it shows in the update's area
and no widget in front of it covers that part, and then only the update's lines.
What reaches the terminal is the same: `_render_chops` keeps, per line and cut, the
front-most strip, and `ChopsUpdate` writes only the updated spans, which lie in the
update's area. A full render (a resize, a screenshot) goes through Textual's own code.

Private Textual API (`Compositor`, `_get_renders`, `Screen._compositor`): textual is
pinned <8.3 for it; `tests/tui/test_compositor.py` compares the frames with Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class CroppingCompositor(Compositor):
    """Textual's compositor, rendering less for a partial update (see the module)."""

    def _get_renders(self, crop: Region | None = None
                     ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None or crop == self.size.region:
            yield from super()._get_renders(crop)
            return
        top, height = crop.y, crop.height
        crop_intersection = crop.intersection
        painted: list[Region] = []  # what the widgets in front paint, every cell of it
        # Front-most first, as _render_chops expects (it keeps the first strip per cut).
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            shown = crop_intersection(visible)
            if not shown:
                continue
            # A widget draws every cell of its region, so what is behind it never shows.
            if any(front.contains_region(shown) for front in painted):
                continue
            painted.append(visible)
            # The update's lines only; the whole width, so the strip still starts at
            # the widget's left edge, where _render_chops cuts it.
            band = visible.intersection(Region(visible.x, top, visible.width, height))
            yield region, band, widget.render_lines(
                Region(band.x - region.x, band.y - region.y, band.width, band.height))
