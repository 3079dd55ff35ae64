"""The full-screen "show it to the guest" QR view.

Only links that are not sensitive are ever drawn or printed here: a host link or a
token-bearing link must not end up on a screen turned towards a guest. The code is as
large as the terminal allows; when even the smallest code does not fit, the screen says
exactly how large the terminal must be rather than draw a code that cannot scan.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.notifications import Notification
from textual.timer import Timer
from textual.widgets import Static

from meettui.core import qr
from meettui.core.dead_links import dead_link
from meettui.core.display import cut, printable
from meettui.core.link_check import usable
from meettui.core.models import Link, Meeting, Role
from meettui.tui.notifications import handling_key
from meettui.tui.screens.base import MeettuiScreen
from meettui.tui.widgets.qr import QRCodeView

# Title, "Scan to join" and the short link: one row each around the code, at least
# (the lines under it wrap: `_lines_under`).
CHROME_ROWS = 3
MAX_SCALE = 4


def safe_links(meeting: Meeting) -> list[Link]:
    """The links that may be shown to a guest, the default one (guest preferred) first."""
    first = meeting.shareable_link()
    if first is None:
        return []
    rest: list[Link] = []
    seen = {first.url}
    for link in meeting.links:
        if not link.sensitive and link.url not in seen and usable(link.url):
            seen.add(link.url)
            rest.append(link)
    return [first, *rest]


def nothing_to_show(meeting: Meeting) -> str:
    """Why `meeting` has no QR code to show (it has no `safe_links`), on two lines."""
    refused = meeting.refused_links
    if refused:
        # As `meettui qr` says it: the provider's links were refused, and why.
        return (f"This meeting has no link to show: {printable(refused)}.\n"
                "The provider's own app or site shows the meeting.")
    return ("This meeting has no link that is safe to show a guest.\n"
            "Host links are never shown as a QR code.")


def short_form(url: str) -> str:
    """What a guest types when the camera will not cooperate: no scheme, no trailing slash."""
    _, sep, rest = url.partition("://")
    text = rest if sep else url
    return printable(text.removeprefix("www.").rstrip("/"))


class QRScreen(MeettuiScreen[None]):
    """Shows one safe link of ``meeting`` as a large QR code; ``role`` picks the first one.
    A meeting whose links most likely lead nowhere (gone upstream, cancelled, expired:
    `dead_links.dead_link`) is shown too, its caption saying so: the user asked for it
    and sees its status (the command line refuses).

    No toast is drawn here: one covered the code's right half for ten seconds (a
    failing account's, at start), and a code half hidden does not scan. What is said
    while the code is up takes the caption's line for as long as its toast would stay
    (`show_note`); the toasts still alive show again once the view closes, and every
    message is in the log. What the caption said is not said again as a toast once the
    view closes: the note on show then, one whose time ran out, and one that answered a
    key pressed here (read as the key was pressed); news cut short by a later note may
    not have been read, and its toast shows after the view."""
    HELP_TITLE = "QR code"

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="qr.close"),
        # Tab and Shift+Tab step through the links. Not `r` too: everywhere else `r`
        # reveals host links, and here it showed another link instead; it says why
        # no host link is shown here (`action_reveal`), under the same id, so a keymap
        # that moves reveal moves it here too.
        Binding("tab", "next_link", "Next link", id="qr.next_role"),
        Binding("shift+tab", "previous_link", "Previous link", show=False, id="qr.previous_role"),
        Binding("r", "reveal", "Reveal host (never here)", show=False, id="detail.reveal"),
        # On a terminal too small for the link a guest types, it scrolls (the wheel
        # alone reached its end).
        Binding("down", "scroll_down", show=False), Binding("up", "scroll_up", show=False),
        Binding("pagedown", "page_down", show=False), Binding("pageup", "page_up", show=False),
        Binding("end", "scroll_end", show=False), Binding("home", "scroll_home", show=False),
    ]

    # Theme colours everywhere except the code itself (QRCodeView paints explicit black
    # and white). No tint or opacity here: it would reach the code's cells.
    DEFAULT_CSS = """
    QRScreen {
        layout: vertical;
        align: center top;
    }
    QRScreen > Static {
        width: 1fr;
        height: 1;
        text-align: center;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    QRScreen > #qr-title { text-style: bold; }
    QRScreen > #qr-link { text-style: bold; }
    /* When the code does not fit, this link is all the guest has: wrap, never cut. */
    /* The lines under the code come wrapped to the width (`_lines_under`): every word
       of the advice, the link and its code show; the code gets the rows left. */
    QRScreen > #qr-caption, QRScreen > #qr-link { height: auto; }
    QRScreen > #qr-caption { color: $text-muted; }
    QRScreen > #qr-message {
        height: 1fr;
        content-align: center middle;
        text-wrap: wrap;
        color: $text-warning;
    }
    QRScreen > QRCodeView { width: 1fr; height: 1fr; }
    QRScreen > #qr-caption.-note { color: $text-warning; text-style: bold; }
    QRScreen > #qr-caption.-error { color: $text-error; }
    /* Toasts are kept (they show when the view closes), never drawn over the code. */
    QRScreen Toast { display: none; }
    """

    def __init__(self, meeting: Meeting, role: Role | str | None = None) -> None:
        super().__init__()
        self.meeting = meeting
        self.links = safe_links(meeting)
        self.index = next((i for i, lk in enumerate(self.links) if lk.role == role), 0)
        # What was said last while the view is up (one line), and its severity; None
        # once its time is over.
        self._note: tuple[str, str] | None = None
        self._note_timer: Timer | None = None
        # The note's toast (held back here: toasts are hidden), and whether the note
        # answered a key pressed here.
        self._note_toast: Notification | None = None
        self._note_answers_key = False

    @property
    def link(self) -> Link | None:
        """The link on show; never a sensitive one."""
        return self.links[self.index] if self.links else None

    def compose(self) -> ComposeResult:
        yield Static(Content(self._line(self._title())), id="qr-title")
        yield QRCodeView(self.link.url if self.link else None, max_scale=MAX_SCALE)
        yield Static(id="qr-message")
        yield Static(id="qr-caption")
        yield Static(id="qr-link")

    def on_mount(self) -> None:
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        self._show()

    def show_note(self, title: str, message: str, severity: str, timeout: float, *,
                  toast: Notification | None = None) -> None:
        """Say `message` in the caption's place, in place of the keys, for `timeout`
        seconds (a toast's time): never over the code, wrapped to the width (the code
        gets the rows left). Its `toast` is taken away once the note has been read
        (`_note_read`)."""
        if self._note_answers_key:
            self._note_read()
        self._note_toast, self._note_answers_key = toast, handling_key.get()
        text = " ".join(message.split())
        if title:
            text = f"{title}{' ' if title[-1] in '.?!:' else ': '}{text}"
        self._note = (text, severity)
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(timeout, self._note_over)
        if self.is_mounted:
            self._show()

    def _note_over(self) -> None:
        self._note_read()
        self._note, self._note_timer = None, None
        self._show()

    def _note_read(self) -> None:
        """The note in the caption has been read: its toast is not to pop up with the
        same words when the view closes."""
        if self._note_toast is not None:
            self.app.drop_toast(self._note_toast)
        self._note_toast, self._note_answers_key = None, False

    def action_close(self) -> None:
        self._note_read()
        self.dismiss(None)

    def action_reveal(self) -> None:
        """`r` reveals host links elsewhere; this view faces guests and never shows one."""
        # It takes the caption's place (`show_note`), wrapped to the width.
        self.app.notify(f"Host links never show here: guests see this view. "
                        f"{self.key_for('qr.close')}, then {self.key_for('detail.reveal')} "
                        "reveals them.", severity="warning", timeout=5)

    def action_next_link(self) -> None:
        self._step(1)

    def action_previous_link(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if len(self.links) > 1:
            self.index = (self.index + delta) % len(self.links)
            self._show()
            return
        # Tab did nothing and said nothing: say there is no other link to show.
        hidden = any(link.sensitive for link in self.meeting.links)
        shown = f"the {self.link.role.value} link" if self.link is not None else "no link"
        self.app.notify(f"No other link to show: this view has {shown} only"
                        + (" (host links never show here)." if hidden else "."),
                        timeout=5)

    def too_small_message(self, chrome: int = CHROME_ROWS,
                          needs: Callable[[int], int] | None = None) -> tuple[str, ...] | None:
        """What to say instead of the code, given the current screen size and the rows
        the lines around it take (`chrome`), in the ways it can be said, longest first
        (`_fitted` shows the longest the rows left hold); None: draw the code. `needs`:
        the rows those lines would take at a given width (the size to ask for: at the
        code's width they wrap less)."""
        link = self.link
        if link is None:
            return (nothing_to_show(self.meeting),)
        view = self.query_one(QRCodeView)
        matrix = view.matrix
        if matrix is None:
            return ("This link is too long for a QR code: type it instead.",)
        width, height = self.size
        if qr.fit(matrix, width, height - chrome, max_scale=MAX_SCALE) is None:
            cols, rows = qr.needed_cells(matrix)
            if needs is not None:
                chrome = needs(max(cols, width))
            size = f"{cols}×{rows + chrome}"
            # Shorter forms for fewer rows: the sentence, centred in one row at 30x6,
            # showed "Make the terminal at least" and neither the size nor why.
            return (f"Make the terminal at least {size}\n"
                    f"(now {width}×{height}) to show the QR code.",
                    f"Make the terminal at least {size}.",
                    f"QR needs {size}")
        return None

    def _fitted(self, forms: tuple[str, ...], around: list[int]) -> tuple[str, int]:
        """The longest of `forms` (`too_small_message`) whose lines, wrapped to the
        width, fit the rows the lines `around` it leave, and how many of those lines
        (counted from the first: the caption, then the title) give up their rows for
        it, the link a guest types kept whole: at 20x6 the title, the keys and the
        link took every row, and the message was drawn over the link's last line. The
        last of `around` (the link) is never given up."""
        width, height = self.size
        for dropped in range(len(around)):
            room = height - sum(around[dropped:])
            for form in forms:
                if len(self._lines_under(Content(form), width)) <= room:
                    return form, dropped
        # Not even the link fits: it comes first, the screen scrolls to the rest.
        return forms[-1], len(around) - 1

    def _title(self) -> str:
        return printable(self.meeting.title) or "(untitled)"

    def _line(self, text: str) -> str:
        """`text` cut to the screen's width by `display.cut`, which never cuts inside an
        escape (`\\u202…`) as the lines' own `text-overflow: ellipsis` would."""
        width = self.size.width
        return cut(text, width) if width else text

    def _show(self) -> None:
        link = self.link
        title_widget = self.query_one("#qr-title", Static)
        title_widget.update(Content(self._line(self._title())))
        view = self.query_one(QRCodeView)
        view.data = link.url if link else None
        caption = self._caption(link, code_shown=True)
        typed, code = self._link_lines(link)
        # Every line under the code whole; the code gets the rows left. When they leave
        # it too few, the meeting code goes first (the code scans; the meeting code is
        # for when it does not), then, while a note is said, the link (it comes back
        # with the keys); with no room for the code even so, all of them show.
        def needs(width: int) -> int:  # the fewest lines: the meeting code goes first
            return (1 + len(self._caption(link, code_shown=True, width=width))
                    + len(self._link_lines(link, width)[0]))

        forms = self.too_small_message(1 + len(caption) + len(typed) + len(code), needs)
        fewer: list[tuple[list[Content], list[Content]]] = [(typed, [])] if code else []
        if self._note is not None:
            fewer.append(([], []))
        for less_typed, less_code in fewer:
            if forms is None:
                break
            if self.too_small_message(1 + len(caption) + len(less_typed), needs) is None:
                forms, typed, code = None, less_typed, less_code
        message, dropped = None, 0
        if forms is not None:
            caption = self._caption(link, code_shown=False)  # (no more lines than before)
            message, dropped = self._fitted(forms, [len(caption), 1, len(typed) + len(code)])
            width, height = self.size
            if message is not None and len(self._lines_under(Content(message))) + len(
                    typed) + len(code) > height and width > self.styles.scrollbar_size_vertical:
                # The screen scrolls: its scrollbar takes columns from the lines, and the
                # link wrapped to the whole width lost a few characters a line (at 20x5,
                # "eby", "5-4"…), so a guest typing it got a wrong address.
                typed, code = self._link_lines(
                    link, width - self.styles.scrollbar_size_vertical)
        title_widget.display = dropped < 2
        view.display = message is None
        self.set_class(message is not None, "no-code")
        message_widget = self.query_one("#qr-message", Static)
        # The link a guest types before the size to ask for: where the two overflow the
        # screen, the size goes (at 20x5 "QR needs 41×27" kept its row while the link's
        # end was below the fold, out of reach of any key).
        height = self.size.height
        link_rows = len(typed) + len(code)
        message_widget.display = message is not None and (
            not link_rows
            or link_rows + len(self._lines_under(Content(message))) <= height)
        message_widget.update(Content(message or ""))
        caption_widget = self.query_one("#qr-caption", Static)
        link_widget = self.query_one("#qr-link", Static)
        # With no link to show, the caption still says how to leave: this screen has
        # no footer.
        caption_widget.display = dropped < 1
        link_widget.display = bool(typed)
        caption_widget.set_class(self._note is not None, "-note")
        caption_widget.set_class(self._note is not None and self._note[1] == "error", "-error")
        caption_widget.update(Content("\n").join(caption))
        link_widget.update(Content("\n").join(typed + code))

    def _lines_under(self, content: Content, width: int | None = None) -> list[Content]:
        """`content` wrapped to `width`, else the screen's (a word longer than it
        folded)."""
        width = width or self.size.width
        if not width:
            return [content]
        return content.wrap(width, overflow="fold") or [Content("")]

    def _caption(self, link: Link | None, *, code_shown: bool,
                 width: int | None = None) -> list[Content]:
        """The caption's lines: what was said last, else the keys."""
        if self._note is not None:
            return self._lines_under(Content(self._note[0]), width)
        if link is None:
            return self._lines_under(Content(f"{self.key_for('qr.close')} close"), width)
        lead = ("Scan to join" if code_shown else "Join at", "bold $text")
        dead = dead_link(self.meeting, self.app.clock.now())
        if dead is not None:
            # Under the code for as long as it shows, not only in the note said as it
            # opened (`MainScreen.action_show_qr`): its link most likely leads nowhere.
            lead = (dead.lead, "bold $text-warning")
        parts = [f"{link.role.value} link"]
        if len(self.links) > 1:
            following = self.links[(self.index + 1) % len(self.links)]
            parts.append(f"{self.key_for('qr.next_role')} {following.role.value}")
        parts.append(f"{self.key_for('qr.close')} close")
        return self._lines_under(Content.assemble(lead, "  ·  ",
                                                  "  ·  ".join(parts)), width)

    def _link_lines(self, link: Link | None,
                    width: int | None = None) -> tuple[list[Content], list[Content]]:
        """The link's short form under the caption (what a guest types), and the
        meeting code a guest can enter instead, if the link has one."""
        if link is None:
            return [], []
        typed = self._lines_under(Content(short_form(link.url)), width)
        if not link.code:
            return typed, []
        return typed, self._lines_under(Content(f"or enter the code {printable(link.code)}"),
                                        width)
