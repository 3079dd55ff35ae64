"""The app's notifications, in one place: every notification goes through `notify`
(provider text made printable, kept in `messages` and the log, cut to a toast's size);
the start-up warnings are said once and kept for the help. Failures become
notifications in `app_failures.py`.

`MeettuiApp` inherits this (a mixin: put it before `App`)."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from textual.notifications import SeverityLevel

from meettui.core.display import cut, ellipsize, printable
from meettui.core.masking import mask_urls

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import Notification, Notify
    from textual.screen import Screen
    from textual.timer import Timer

    from meettui.core.service import MeetingService

    _Mixin = App[int]
else:
    # A plain class at run time: MeettuiApp's DOM-node bases, along which Textual reads
    # CSS and bindings, stay App's own (as for `OrderedKeys`).
    _Mixin = object

T = TypeVar("T")


class StartupWarning(NamedTuple):
    """One thing said at start: the whole `message` (which `?` lists and the log keeps),
    its toast's title, severity and timeout, and `toast`, what the toast says instead
    when the whole is too long to read in one (a moved cache's two paths)."""

    message: str
    title: str
    severity: SeverityLevel
    timeout: int
    toast: str | None = None


AnyWarning = StartupWarning | tuple[str, str, "SeverityLevel", int]
"""A start-up warning, or its first four fields (no shorter toast)."""

log = logging.getLogger("meettui.tui")

handling_key: ContextVar[bool] = ContextVar("meettui_handling_key", default=False)
"""True while the app handles a key (its bindings' actions run then, in the app's own
task): what is said then is the user's doing, on the screen on top (`said_by`)."""

TOAST_LINE_MAX = 400
"""The most characters a toast shows of one line (about eight lines of a toast)."""
TOAST_LINES_MAX = 12
LOG_MESSAGE_MAX = 2000


def fitted(text: str, width: int, height: int, *, title: str = "") -> tuple[str, str]:
    """`title` and `text` cut with "…" to the rows a toast has on a `width`×`height`
    terminal: (title, text).

    A toast is Textual's: 60 columns or half its rack's width (the terminal's less the
    rack's 2-column scrollbar), whichever is less, of which a bar and the padding take
    3; its padding and the rack's edge take 3 rows, the title what it wraps to (all but
    one row at most), the text the rest. A toast taller than the screen showed the end
    of its text only (at 20x6, a piece of a link from its middle, ".team/permal
    ink?gu"; a title of six rows left a fragment of it); cut, it shows how it begins.
    Rows are counted as Rich wraps them."""
    import io

    from rich.console import Console
    from rich.text import Text

    columns = max(1, min(60, (width - 2) // 2) - 3)
    console = Console(width=columns, file=io.StringIO())
    room = max(1, height - 3)

    def cut_to(said: str, rows: int) -> tuple[str, int]:
        wrapped = [line.plain for line in Text(said).wrap(console, columns)]
        if len(wrapped) <= rows:
            return said, len(wrapped)
        kept = wrapped[:rows]
        kept[-1] = cut(kept[-1].rstrip() + "…", columns)
        return "\n".join(kept), rows

    title, title_rows = cut_to(title, max(1, room - 1)) if title else ("", 0)
    text, _rows = cut_to(text, max(1, room - title_rows))
    return title, text


def toast_text(lines: list[str]) -> str:
    """What a toast shows of `lines`: each cut with "…" at TOAST_LINE_MAX, at most
    TOAST_LINES_MAX of them. A toast is a few lines in a corner; a 10,000-character
    title must not fill the screen (the detail pane and the log have the text)."""
    shown = [ellipsize(line, TOAST_LINE_MAX) for line in lines[:TOAST_LINES_MAX]]
    if len(lines) > TOAST_LINES_MAX:
        shown[-1] = ellipsize(shown[-1], TOAST_LINE_MAX - 2) + " …"
    return "\n".join(shown)


class AppNotifications(_Mixin):
    """Notifications of the app (see module docstring)."""

    # Set by MeettuiApp.__init__ (see there).
    service: MeetingService
    show_toasts: bool
    messages: list[tuple[str, str]]
    _cache_failures: set[str]
    cache_busy: bool
    """Whether the last read found the cache held by another process (`cache_read`)."""
    _busy_retry: Timer | None
    _grouped_toasts: dict[str, Notification]
    """The toast shown last of each `replaces` kind."""
    _superseded: set[str]
    """Identities of toasts replaced before they were shown (`_toast`)."""
    _toasts_on_the_way: dict[str, Notification]
    """Toasts posted and not shown yet, by identity (`dismiss_toasts` drops them too)."""
    _held_toasts: dict[str, Notification]
    """Toasts of background work said while a dialog is open, by identity: shown once
    no dialog is on top (`_refresh_notifications`)."""
    _to_hold: set[str]
    """Identities of toasts posted to be held (`_toast`), until they arrive."""
    log_problem: str | None
    startup_warnings: list[StartupWarning]
    """What was said at start (`say_at_start`): `?` lists it for the whole session."""
    startup_warnings_read: bool
    """The help has shown them: the status line stops pointing to them."""

    def say_at_start(self, warnings: list[AnyWarning]) -> None:
        """Say the start-up warnings (themes, keymap, cache) so that each is seen: one
        toast, which lists them all when there are several (stacked one a toast, the
        first ones went off the top of a 24-row terminal, seen only in the log), and
        `?` lists them whole as long as the app runs. The status line says how many
        and where until `?` has shown them: a toast is cut to the rows it has, and it
        goes."""
        self.startup_warnings_read = False
        self.startup_warnings = [StartupWarning(*warning) for warning in warnings]
        for message, title, severity, timeout, toast in self.startup_warnings:
            self.notify(message, title=title, severity=severity, timeout=timeout,
                        toast=len(warnings) == 1, shown=toast)
        if len(warnings) > 1:
            worst: SeverityLevel = next(
                (level for level in ("error", "warning") if any(
                    w[2] == level for w in warnings)), "information")
            self.notify("\n".join(f"• {w.toast or w.message}"
                                  for w in self.startup_warnings),
                        title=f"{len(warnings)} start-up warnings: {self.startup_pointer()}",
                        severity=worst, timeout=max(w[3] for w in warnings) + 10,
                        record=False)

    def startup_pointer(self) -> str:
        """Where the start-up warnings are read whole: "? lists them" (the help key
        after the keymap)."""
        return f"{self.help_key()} lists them"

    def help_key(self) -> str:
        """The key that opens the help, after the keymap ("?")."""
        from textual.binding import Binding

        keys = self._keymap.get("app.help", "question_mark")
        return self.get_key_display(Binding(keys.split(',')[0], 'help'))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False, toast: bool = True,
               replaces: str | None = None, record: bool = True,
               shown: str | None = None) -> None:
        # Notification text often carries provider text: never interpret it as markup,
        # and show every control or bidi character it holds (escaped text stays as it is).
        # A toast is a few lines in a corner: a 10,000-character title must not fill the
        # screen (the whole text is in the log and the detail pane). `toast=False`: kept
        # in `messages` and the log only (what the screen says another way);
        # `record=False`: a toast only, that sums up notifications kept one by one.
        # `shown`: what the toast says when the whole message (kept and logged) is too
        # long to read in one.
        lines = [printable(line) for line in message.split("\n")]
        message = "\n".join(lines)
        if shown is not None:
            lines = [printable(line) for line in shown.split("\n")]
        if record:
            self.messages.append((severity, message))
            # Links masked, every one: a revealed host link copied by hand from a toast
            # was logged whole ("host links … never logged"), and the log's own redaction
            # knows only the token shapes of some providers.
            log.info("notify[%s] %s", severity,
                     ellipsize(mask_urls(message), LOG_MESSAGE_MAX))
        if not toast:
            return
        posted: Notification | None = None
        if self.show_toasts:
            size = self.size
            shown_title, text = fitted(toast_text(lines), size.width, size.height,
                                       title=title)
            posted = self._toast(text, shown_title, severity, timeout, markup, replaces)
        from meettui.tui.screens.base import MeettuiScreen

        screen = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, MeettuiScreen):
            screen.show_note(title, "\n".join(lines) if shown is not None else message,
                             severity,
                             self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
                             toast=posted)

    def _toast(self, text: str, title: str, severity: SeverityLevel, timeout: float | None,
               markup: bool, replaces: str | None) -> Notification:
        """Textual's toast, posted and returned; one of kind `replaces` removes the one
        before it. Textual's `notify` returns nothing to remove later, so the toast is
        built here as it does (`Notification`, posted as `Notify`) and removed with
        `App._unnotify`, the private method Textual's own toasts call when clicked
        away."""
        from textual.notifications import Notification, Notify

        notification = Notification(
            text, title, severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=markup)
        if replaces is not None:
            shown = self._grouped_toasts
            before = shown.get(replaces)
            if before is not None:
                if self._held_toasts.pop(before.identity, None) is not None:
                    pass  # held for after the dialog: the new one takes its place
                elif before in self._notifications:
                    self._unnotify(before)
                else:
                    # Posted and not shown yet (two copies within one turn of the loop):
                    # it is dropped when it arrives (`_on_notify`), or both stacked.
                    self._superseded.add(before.identity)
            shown[replaces] = notification
        self._toasts_on_the_way[notification.identity] = notification
        if self._dialog_on_top() is not None and not self._said_in_dialog():
            self._to_hold.add(notification.identity)
        self.post_message(Notify(notification))
        return notification

    def drop_toast(self, notification: Notification) -> None:
        """Take the toast `notification` away, shown, on its way or held (what it said
        stays in `messages` and the log): a screen that said it itself (the QR view's
        caption, `show_note`) has been read, and the same words popped up again as a
        toast once the view closed."""
        identity = notification.identity
        if self._toasts_on_the_way.pop(identity, None) is not None:
            self._superseded.add(identity)
        elif notification in self._notifications:
            self._unnotify(notification)
        self._held_toasts.pop(identity, None)
        for kind, shown in list(self._grouped_toasts.items()):
            if shown is notification:
                del self._grouped_toasts[kind]

    def _dialog_on_top(self) -> Screen[Any] | None:
        """The dialog on top (a form, a question, the help, the palette), if one is."""
        from textual.screen import ModalScreen

        screen = self.screen_stack[-1] if self.screen_stack else None
        return screen if isinstance(screen, ModalScreen) else None

    def _said_in_dialog(self) -> bool:
        """Whether what is said now is the doing of the dialog on top: a key pressed in
        it, a handler of its own or of one of its widgets (a button, a field), its own
        worker or timer. What another screen's work says (a sync's result, a page that
        left rows out, the cache busy) is background: its toast covered the dialog's
        fields and buttons."""
        from textual._context import active_message_pump
        from textual.worker import active_worker

        dialog = self._dialog_on_top()
        try:
            origin: object = active_worker.get().node
        except LookupError:
            origin = active_message_pump.get(None)
        if origin is None or dialog is None:
            return True  # not said by any part of the app: shown as before
        if origin is self:
            # The app's own task: a key's binding runs there (the dialog's too), and so
            # do the app's handlers of background news (a worker's failure).
            return handling_key.get()
        node = origin
        while node is not None:
            if node is dialog:
                return True
            node = getattr(node, "_parent", None)
        return False

    def _refresh_notifications(self) -> None:
        # Textual shows every notification on the screen on top. A dialog's shows what
        # was said in it; background news said meanwhile waits until no dialog is on
        # top, and shows then for its whole time (it was not seen before).
        from textual.css.query import NoMatches
        from textual.notifications import Notifications
        from textual.widgets._toast import ToastRack

        screen = self.screen_stack[-1] if self.screen_stack else None
        if screen is None:
            return
        if self._dialog_on_top() is None:
            if self._held_toasts:
                now = time.time()
                for notification in self._held_toasts.values():
                    notification.raised_at = now
                    self._notifications.add(notification)
                self._held_toasts.clear()
            super()._refresh_notifications()
            return
        try:
            rack = screen.get_child_by_type(ToastRack)
        except NoMatches:
            return
        shown = Notifications()
        for notification in self._notifications:
            shown.add(notification)
        self.call_later(rack.show, shown)

    def _on_notify(self, event: Notify) -> None:
        # Textual runs App's own handler after this one (it shows the toast) unless
        # told not to: a toast replaced (or dismissed) before it was shown is not; one
        # of background work said while a dialog is open is held until it closes.
        identity = event.notification.identity
        self._toasts_on_the_way.pop(identity, None)
        held = identity in self._to_hold
        self._to_hold.discard(identity)
        if identity in self._superseded:
            self._superseded.discard(identity)
            event.prevent_default()
        elif held and self._dialog_on_top() is not None:
            self._held_toasts[identity] = event.notification
            event.prevent_default()

    def dismiss_toasts(self) -> None:
        """Take every toast off the screen, those posted and not shown yet too (what
        they said stays in `messages` and the log). A dialog does this as it opens
        (`MeettuiModal.on_mount`, the palette's `action_command_palette`), and a
        full-screen view (the detail's): a toast said before it covered its fields and
        buttons ("Maybe not copied" over the calendar dialog's Save button, the
        start-up warnings over half the help that lists them). Background news held
        while a dialog is open stays held (`_refresh_notifications`).

        The screens under the top one lose theirs too: Textual refreshes the top
        screen's toasts only, and a dialog draws the screen under it, whose toast
        ("This meeting has no viewer link.") stayed beside the help and the forms."""
        from textual.css.query import NoMatches
        from textual.notifications import Notifications
        from textual.widgets._toast import ToastRack

        for notification in list(self._notifications):
            self._unnotify(notification, refresh=False)
        self._superseded.update(self._toasts_on_the_way)
        self._toasts_on_the_way.clear()
        self._grouped_toasts.clear()
        for screen in self.screen_stack[:-1]:
            try:
                screen.get_child_by_type(ToastRack).show(Notifications())
            except NoMatches:
                continue
        self._refresh_notifications()
