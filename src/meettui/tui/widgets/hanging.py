"""Text whose wrapped lines keep their indent (a hanging indent), for the detail pane:
a note's continuation lines under its text, not under its bullet, and a long line of
indented JSON (an action's join data) continued at its own indent. Textual wraps a
line's continuation to the left edge, where it read as a new note or a new key."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from meettui.tui.widgets.facts import GLUE, HINGE, drawn, unglued

BULLET = "• "
"""What leads a line whose continuation goes under the text after it."""


class Hanging(Visual):
    """`text` (rich Text, its styles kept) wrapped at words to the width, each line's
    continuation lines indented as far as the line's own text starts: after its leading
    spaces, and after a leading `BULLET`. An indent of more than half the width is cut
    to it (a narrow pane still shows the text)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self._for_width: tuple[int, list[Content]] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hanging) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text.plain)

    def __str__(self) -> str:
        return self.text.plain

    def lines(self, width: int) -> list[Content]:
        """The lines drawn at `width`."""
        if self._for_width is not None and self._for_width[0] == width:
            return self._for_width[1]
        lines: list[Content] = []
        for line in self.text.split("\n", allow_blank=True):
            plain = line.plain
            indent = len(plain) - len(plain.lstrip(" "))
            if plain[indent:].startswith(BULLET):
                indent += len(BULLET)
            indent = min(indent, max(0, width // 2))
            room = max(1, width - indent)
            if GLUE in plain or HINGE in plain:
                # Glued runs wider than the line break again (`facts.glued`).
                line = Text(unglued(plain, room), spans=line.spans, style=line.style,
                            end="")
            content = Content.from_rich_text(line)
            head, body = content[:indent], content[indent:]
            parts = [drawn(part) for part in body.wrap(room)] or [Content("")]
            lines.append(head + parts[0])
            lines += [Content(" " * indent) + part for part in parts[1:]]
        self._for_width = (width, lines)
        return lines

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return Content("\n").join(self.lines(width)).render_strips(width, height, style,
                                                                   options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((cell_len(line) for line in self.text.plain.split("\n")), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))
