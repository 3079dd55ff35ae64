"""The detail pane: everything about the highlighted meeting, links by role, the QR."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from meettui.core import qr as qr_module
from meettui.core.dead_links import dead_link
from meettui.core.display import countdown, printable, screen_time, shown_dates
from meettui.core.models import Meeting, Role, SessionData
from meettui.core.open_facts import shown_details
from meettui.tui.debounce import Debounce
from meettui.tui.widgets.facts import FactsGrid, glued, hinged
from meettui.tui.widgets.hanging import BULLET, Hanging
from meettui.tui.widgets.qr import QRCodeView, encode_or_none

ROLE_KEYS = {Role.GUEST: "copy.guest", Role.HOST: "copy.host", Role.VIEWER: "copy.viewer",
             Role.ATTENDEE: "copy.attendee"}
"""The id of the key that copies a link of each role (`link_keys.LINK_KEYS`): the pane
names the key in effect for it on its screen (`DetailPane.key`), after a [keymap]."""

INLINE_QR = 120
"""Links up to this many characters are encoded on the UI thread when the cursor rests:
about 1.5 ms at most here, less than handing the work to a thread and back costs.
Longer links are encoded in a thread."""


class Block(Static):
    """A Static whose height always follows its latest content, and that skips work when
    shown the same content again (the pane is refreshed on every cursor move).

    Textual 8.2 caches a widget's box model under a counter that `refresh(layout=True)`
    bumps only when no layout is pending yet. When a layout of the screen runs between
    two updates (the first start does this: pages land one after another while the
    pane changes from "No meeting selected" to the first meeting), the height measured
    for the older content is found in that cache again, and the pane shows the first
    line of each block only. Bumping the counter on every update keys the cache on the
    content that is shown.
    """

    _shown_key: object = None
    # (width, one entry per row) of what `show` put on screen, when its rows are known
    # without wrapping; what a new content is compared with, row by row.
    _shown_rows: tuple[int, tuple[object, ...]] | None = None
    # The rows the next content-only refresh repaints (set by `show` around update()).
    _repaint_only: tuple[Region, ...] | None = None

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show `content`, and measure the height again at the next layout."""
        self._shown_rows = None
        super().update(content, layout=layout)
        if layout:
            self._layout_updates += 1

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        only = self._repaint_only
        if only is not None and not regions and repaint and not layout and not recompose:
            if not only:
                return self  # every row is the same as on screen
            regions = only
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def show(self, content: VisualType, key: object = None) -> None:
        """Show `content` unless it is what is shown already (compared by `key`, or by the
        content itself when no key is given: rich Text compares by text and styles).

        Lays the screen out again only when the new content needs another height at the
        current width; the same height is a repaint of this block alone.
        """
        key = content if key is None else key
        if key == self._shown_key and self._shown_key is not None:
            return
        self._shown_key = key
        width, height = self.size
        rows = self._rows(content, width)
        shown, self._shown_rows = self._shown_rows, (width, rows) if rows is not None else None
        if width and rows is not None and shown is not None and shown[0] == width \
                and len(shown[1]) == len(rows) == height:
            # The same height: repaint the rows that differ only (a meeting's facts share
            # their labels, status and account lines with the next one's, often).
            self._repaint_only = tuple(Region(0, y, width, 1) for y, (old, new)
                                       in enumerate(zip(shown[1], rows, strict=True))
                                       if old != new)
        try:
            super().update(content, layout=False)
        finally:
            self._repaint_only = None
        new_height = len(rows) if rows is not None else None
        if not width or (new_height or self.get_content_height(self.size, self.size, width)
                         ) != height:
            self.refresh(layout=True)
            self._layout_updates += 1

    @staticmethod
    def _rows(content: VisualType, width: int) -> tuple[object, ...] | None:
        """One entry per row `content` takes at `width` (equal entries draw equal rows),
        or None when that is not known without wrapping it: Text whose every line fits
        takes one row per line, and so does a FactsGrid whose lines fit (most of the
        pane's text, on every cursor rest)."""
        if isinstance(content, FactsGrid):
            return content.lines(width)
        if isinstance(content, Hanging):
            return tuple(content.lines(width)) if width else None
        if isinstance(content, Text) and content.plain and "\t" not in content.plain:
            lines = content.split("\n", allow_blank=True)
            if len(lines) == content.plain.count("\n") + 1 and \
                    all(line.cell_len <= width for line in lines):
                return tuple(lines)
        return None


class DetailPane(VerticalScroll):
    """Everything about one meeting: title, facts, links by role, the guest QR, notes.

    `show` fills it at once; `show_soon` waits until the cursor has rested DEBOUNCE
    seconds (each call restarts the wait), so holding ↓ repaints the table only.
    `settled()` returns once the pane shows what was last asked for, QR included.
    """

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane #detail-title { text-style: bold; color: $text; margin-bottom: 1; }
    DetailPane #detail-links { margin-top: 1; }
    DetailPane #detail-qr { height: auto; width: auto; margin-top: 1; }
    DetailPane #detail-notes { margin-top: 1; color: $text-muted; }
    """

    DEBOUNCE = 0.06
    """Seconds the cursor must rest before the pane follows it (key repeat is ~0.03 s)."""

    def __init__(self, *, lazy: bool = False, **kw) -> None:
        """`lazy`: build the blocks and the QR view at the first `show` or `show_soon`
        rather than with the pane, so that the screen's first paint does not wait for
        them (the list screen; issue #16)."""
        super().__init__(**kw)
        self._built = not lazy
        self._building = False
        self.meeting: Meeting | None = None
        self.revealed = False
        self._later: Callable[[], None] | None = None
        self._later_qr: str | None = None
        self._prefetching: str | None = None
        self._debounce = Debounce(self, self.DEBOUNCE, self._run_later, name="detail-debounce")
        self._progress = asyncio.Event()

    def compose(self) -> ComposeResult:
        if self._built:
            yield from self._parts()

    @staticmethod
    def _parts() -> list[Widget]:
        return [Block(id="detail-title"), Block(id="detail-facts"), Block(id="detail-links"),
                QRCodeView(None, id="detail-qr", threaded=True), Block(id="detail-notes")]

    def _build_then_run_later(self) -> None:
        """Mount the parts of a lazy pane, then run the latest request. Requests that
        come while they mount only replace `_later`: the latest one runs."""
        if self._building:
            return
        self._building = True
        mounting = self.mount_all(self._parts())

        async def built() -> None:
            await mounting
            self._building = False
            if not self.query("#detail-title"):
                # The app closed while the parts mounted (a quit within the cursor's
                # rest of a move): there is nothing to show them in.
                return
            self._built = True
            self._run_later()

        self.call_later(built)

    # -- following the cursor ---------------------------------------------------------

    def show_soon(self, update: Callable[[], None], qr_data: str | None = None, *,
                  wait: bool = True) -> None:
        """Call `update` (which calls `show`) once no other `show_soon` came for DEBOUNCE
        seconds, or now with `wait=False` (the cursor is known to rest). Only the last
        `update` runs. `qr_data`, the link the QR will show, is encoded before `update`
        runs (in a thread when longer than INLINE_QR), so that the pane changes in one
        repaint, without a placeholder in the QR's place."""
        self._later = update
        self._later_qr = qr_data
        self._debounce.delay = self.DEBOUNCE
        self._debounce.request()
        if not wait:
            self._debounce.flush()

    def _run_later(self) -> None:
        if not self._built:
            self._build_then_run_later()
            return
        data = self._later_qr
        if data and qr_module.cached_matrix(data) is None:
            if len(data) <= INLINE_QR:
                encode_or_none(data)  # kept by core.qr, where the QR view finds it
                self._show_later()
                return
            self._prefetching = data
            self.run_worker(partial(encode_or_none, data), name=data, group="detail-prefetch",
                            thread=True, exclusive=True, exit_on_error=False)
            return
        self._show_later()

    def _show_later(self) -> None:
        update, self._later = self._later, None
        if update is not None:
            update()
        self._progress.set()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "detail-prefetch":
            return
        event.stop()
        # A cancelled prefetch was replaced by a newer one, which shows the pane.
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR) and \
                event.worker.name == self._prefetching:
            self._prefetching = None
            self._show_later()

    @on(QRCodeView.Drawn)
    def _qr_drawn(self, message: QRCodeView.Drawn) -> None:
        # Nothing above the pane listens: not passed up through four more nodes a move.
        message.stop()
        self._progress.set()

    @property
    def is_settled(self) -> bool:
        """True when no update waits for the cursor to rest or for its QR code, and the
        QR shown is drawn."""
        if not self._built:
            return not self._debounce.pending and not self._building
        return (not self._debounce.pending and self._prefetching is None
                and not self.query_one(QRCodeView).pending)

    async def settled(self) -> None:
        """Wait until the pane shows what it was last asked to (after `show_soon`'s wait
        and the QR's encode). Returns at once when nothing is pending."""
        while not self.is_settled:
            if self._debounce.pending:
                await self._debounce.settled()
            else:
                # Checked and cleared with no await between: progress cannot slip past.
                self._progress.clear()
                await self._progress.wait()

    # -- content ----------------------------------------------------------------------

    def key(self, binding_id: str) -> str | None:
        """The key the screen this pane is on binds to `binding_id`, after the user's
        [keymap] (`MeettuiScreen.bound_key`); None where it binds none (its hint is
        then left out: the key does nothing there)."""
        bound_key = getattr(self.screen, "bound_key", None) if self.is_attached else None
        return bound_key(binding_id) if bound_key is not None else None

    def _create_hint(self) -> str:
        """What the pane with no meeting says: where to pick one, and the key that
        creates one while it creates one here (not on a read-only account, nor where no
        account in view makes meetings: `check_action`)."""
        key = self.key("meeting.new")
        if key is not None and self.screen.check_action("new", ()) is True:
            return f"Pick a meeting in the list, or press {key} to create one."
        return "Pick a meeting in the list."

    def show(self, meeting: Meeting | None, now: datetime, *, revealed: bool = False,
             notes: tuple[str, ...] = (), session: SessionData | None = None) -> None:
        """Show `meeting` (None: nothing selected). `session` is join data an action
        returned for it: shown with its credentials masked, always (copying it is a
        palette command that asks first). Blocks whose text did not change are left
        alone, and the QR is encoded off the UI thread (see QRCodeView). A lazy pane not
        built yet shows it once its parts are mounted."""
        if not self._built:
            self._later = partial(self.show, meeting, now, revealed=revealed, notes=notes,
                                  session=session)
            shareable = meeting.shareable_link() if meeting is not None else None
            self._later_qr = shareable.url if shareable else None
            self._run_later()
            return
        previous, self.meeting = self.meeting, meeting
        self.revealed = revealed
        if self.scroll_y and _key(previous) != _key(meeting):
            # Another meeting opens at its title, not where the last one was scrolled to.
            self.scroll_to(y=0, animate=False, immediate=True)
        title = self.query_one("#detail-title", Block)
        facts = self.query_one("#detail-facts", Block)
        links = self.query_one("#detail-links", Block)
        qr = self.query_one("#detail-qr", QRCodeView)
        notes_widget = self.query_one("#detail-notes", Block)
        if meeting is None:
            title.show(Text("No meeting selected"))
            facts.show(Text(self._create_hint(), style="dim"))
            links.show(Text(""))
            qr.data = None
            notes_widget.show(Text(""))
            return
        # Provider text is data, never markup: Text() shows it exactly as typed.
        title.show(Text(printable(meeting.title) or "(untitled)"))
        rows = self._fact_rows(meeting, now)
        facts.show(FactsGrid(rows), key=rows)
        shown_links = self._links(meeting, revealed)
        if session is not None:
            shown_links.append("\n\n")
            shown_links.append(printable(session.label), style="bold")
            palette = self.key("app.palette")
            shown_links.append(f"  ({palette}: copy as JSON; credentials masked here)\n"
                               if palette else "  (credentials masked here)\n", style="dim")
            shown_links.append("\n".join(printable(line) for line in
                                          session.as_json(reveal=False).splitlines()))
            if session.help:
                shown_links.append("\n" + printable(session.help), style="dim")
        # Wrapped at its own indent: a long line of the join data's JSON went on at the
        # left edge, where it read as another key.
        links.show(Hanging(shown_links))
        shareable = meeting.shareable_link()
        qr.data = shareable.url if shareable else None
        note_lines = list(notes)
        if meeting.missing:
            note_lines.insert(0, "No longer listed by the provider (deleted or expired upstream).")
        else:
            dead = dead_link(meeting, now)
            if dead is not None and shareable is not None:
                # Under the code, as the full-screen QR says it: the status line at the
                # pane's top was far from a code a guest could be shown.
                note_lines.insert(0, f"{dead.lead}.")
        # One bullet a note, its continuation lines under its text: wrapped to the
        # edge, a long notice ran into the next one.
        notes_widget.show(Hanging(Text("\n".join(BULLET + line for line in note_lines)))
                          if note_lines else Text(""))

    @staticmethod
    def _fact_rows(meeting: Meeting, now: datetime) -> tuple[tuple[str, str], ...]:
        """(label, value) per fact line, as shown: also what tells that the facts changed."""
        rows = [
            ("Status", meeting.status_label(now)),
            ("Account", f"{printable(meeting.account)} ({printable(meeting.provider)})"),
            ("Starts", _date(screen_time(meeting.starts_at, now))),
            ("Ends", _date(screen_time(meeting.ends_at, now))),
        ]
        # Every date in the pane in one format (`display.screen_time`): the expiry said
        # "26 Jan 11:00" and a provider's facts "2027-01-26 11:00 UTC" or "2026/12/01
        # 01:40" beside "Tue 01 Dec 01:40 UTC".
        # A date, a countdown, a name in a list are read whole (`glued`): "running since
        # Tue 01" then "Dec 03:20 UTC", a host's first name on one line and the rest on
        # the next.
        if meeting.closed_early(now):
            rows.append(("Link expires", "closed already (it was to expire "
                                         f"{_date(screen_time(meeting.expires_at, now))})"))
        elif meeting.expires_at:
            rows.append(("Link expires",
                         f"{_date(screen_time(meeting.expires_at, now))} "
                         f"{glued(f'({countdown(meeting.expires_at, now)})')}"))
        if meeting.capacity and "Capacity" not in meeting.details:
            # A provider's own Capacity detail says more ("no limit"): shown once.
            rows.append(("Capacity", f"{meeting.capacity:,}"))
        rows.append(("ID", printable(meeting.id)))
        # Without what only means something while it can be opened (a waiting room,
        # join settings) once it is cancelled, over or gone (`open_facts`).
        rows.extend((printable(label), _fact_value(value, now))
                    for label, value in shown_details(meeting, now).items())
        return tuple(rows)

    def _links(self, meeting: Meeting, revealed: bool) -> Text:
        if not meeting.links:
            return Text("This meeting has no links.", style="dim")
        # One block per link: role and keys on a line, the URL on its own full-width line,
        # so a long URL wraps as a whole instead of squeezing into a column.
        text = Text()
        for index, link in enumerate(meeting.links):
            if index:
                text.append("\n")
            url = link.url if (revealed or not link.sensitive) else link.masked()
            text.append(link.role.value, style="bold")
            if link.label:
                text.append(f" · {printable(link.label)}")
            # The keys in effect on this screen (after a [keymap]), each only where
            # the screen binds it.
            copy = self.key(ROLE_KEYS[link.role]) if link.role in ROLE_KEYS else None
            hints = [f"{copy} copy"] if copy else []
            reveal = self.key("detail.reveal") if link.sensitive else None
            if reveal:
                hints.append(f"{reveal} hide" if revealed else f"{reveal} reveal")
            if hints:
                # On the role's line when it fits, else whole on the next ("(h copy, r"
                # then "reveal)").
                text.append("  " + glued("(" + ", ".join(hints) + ")"), style="dim")
            text.append("\n")
            text.append(printable(url),
                        style="underline" if not link.sensitive or revealed else "dim")
        return text


_CLOCK = re.compile(r"(.+?) (\d{1,2}:\d{2}\b.*)")


def _date(text: str) -> str:
    """A date as written on screen, read whole where the line allows; where it does not,
    broken between its day and its time ("Mon 04 Jan 2027" then "08:00 UTC"), never
    inside either."""
    split = _CLOCK.fullmatch(text)
    return glued(text) if split is None else hinged(split[1], split[2])


_LIST_PROSE = re.compile(r"[;:()\[\]<>]")
"""What a name in a list has none of: a sentence's punctuation (its parenthetical aside,
`_NAMED`)."""
_NAMED = re.compile(r"(?P<name>[^;:()\[\]<>]+?) (?P<about>\([^;:()\[\]<>]+\)|<[^\s<>]+>)")
"""A name with what says which one it is: "Mateo Alvarez (user 14)", "Ann Berg
<ann@example.com>"."""
LIST_ITEM_WORDS = 4
"""The most words an item of a list of names has (a longer one is prose), and its
parenthetical."""


def _fact_value(value: str, now: datetime) -> str:
    """A provider's fact as the pane shows it: its dates in meettui's format
    (`shown_dates`), each kept whole on a line, and so is each item of a list of short
    names ("Ines Shah, Yusuf Rahman": a name is not split over two lines), with the
    parenthetical that goes with a name ("Mateo Alvarez (user 14)", alone or in a list:
    it showed as "Mateo Alvarez (user" then "14)"), broken between the two only where
    the whole is wider than the line. Prose wraps as prose: "(Google, GitHub or
    Facebook) to become moderator; …" kept "to become moderator" whole and left a line
    short."""
    shown = shown_dates(printable(value), now, mark=_date)
    items = _top_level_items(shown)
    kept = [_name_item(item) for item in items]
    if any(item is None for item in kept):
        return shown
    if len(items) == 1 and _NAMED.fullmatch(items[0]) is None:
        return shown  # one short value, no list: as it is
    return ", ".join(item for item in kept if item is not None)


def _top_level_items(text: str) -> list[str]:
    """`text` cut at each ", " outside brackets ("Ann (user 1, admin), Bo": two)."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "(<[":
            depth += 1
        elif char in ")>]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0 and text.startswith(", ", i):
            items.append(text[start:i])
            start = i + 2
    items.append(text[start:])
    return items


def _a_name(name: str, about: str) -> bool:
    """`name` with its aside `about` reads as someone named: a capitalised name
    ("Mateo Alvarez (user 14)"), or one the aside numbers ("attendee 41 (user 7)"). A
    phrase with an aside is prose: "at creation (the provider ignores start times)"
    wraps as prose does."""
    return name[:1].isupper() or any(char.isdigit() for char in about)


def _name_item(item: str) -> str | None:
    """`item` of a list of names kept whole where the line allows (a name and its
    parenthetical, broken between them only where the whole is wider than the line);
    None when it is not a short name (prose)."""
    if item.strip() != item:
        return item if item.strip() else None  # as the text has it
    named = _NAMED.fullmatch(item)
    if named is not None:
        if _a_name(named["name"], named["about"]) and all(
                0 < len(part.split()) <= LIST_ITEM_WORDS for part in named.groups()):
            return hinged(named["name"], named["about"])
        return None
    if _LIST_PROSE.search(item) or not 0 < len(item.split()) <= LIST_ITEM_WORDS:
        return None
    return glued(item)


def _key(meeting: Meeting | None) -> object:
    return meeting.key if meeting is not None else None
