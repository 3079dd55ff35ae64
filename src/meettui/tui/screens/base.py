"""Screens that know they belong to the meettui app: a typed `app`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events, on
from textual.binding import Binding
from textual.geometry import Offset, Region, Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Label

from meettui.tui.compositor import CroppingCompositor, RepaintingCompositor
from meettui.tui.screens.key_names import key_in
from meettui.tui.screens.one_layout import OneLayout
from meettui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.notifications import Notification

    from meettui.tui.app import MeettuiApp
    from meettui.tui.debounce import Settling

ResultType = TypeVar("ResultType")

HELP_KEYS = "question_mark,f1"
"""The keys that open the help, on every screen, form and modal (`app.help`): `?`, and
F1 where `?` is typed into a text field."""

FIELD_BINDINGS = [
    # Priority: the app moves focus the moment it reads Tab, before it hands on the keys
    # after it. As an ordinary binding, Tab is acted on only after it has bubbled up from
    # the focused field, and keys that arrived in the same burst (a paste, a fast typist,
    # tmux send-keys) have by then gone to the old field: `abc⇥+1h` gave "abc+1h".
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True,
            id="form.next_field"),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True,
            id="form.previous_field"),
]
"""Tab and Shift+Tab in forms."""

FORM_KEYS_NOTE = ("In a field: Enter in a text field does what {submit} does; Space ticks "
                  "a box; Enter opens a choice, ↑ ↓ move in it and Enter takes one. `?` "
                  "is typed into a text field: {help} opens this help there.")
"""The keys a form's fields take themselves (`MeettuiModal.help_note`): `{submit}` is
the form's key for its Save or Run, `{help}` the help's key outside `?`."""


class MeettuiScreen(OneLayout[ResultType]):
    """A full screen of meettui."""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # Renders only what a partial update shows (a PgDn: the list's rows, not the
        # footer, title bar and containers too). Private API: see tui/compositor.py.
        self._compositor = CroppingCompositor()

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)

    def deferred(self) -> list[Settling]:
        """The work this screen defers to a timer or a thread (MeettuiApp.settling)."""
        return []

    def cache_replaced(self) -> None:
        """The cache was found damaged and a fresh one started in its place: what this
        screen shows of the old one is to be read again."""

    def cache_busy_changed(self) -> None:
        """Another process began or stopped holding the cache (`MeettuiApp.cache_busy`):
        what this screen reads of it is read again, and its status says so."""

    def writes_changed(self) -> None:
        """A change began or ended (`MeettuiApp.writes`): a screen that says what is
        under way says it anew."""

    def show_note(self, title: str, message: str, severity: str, timeout: float, *,
                  toast: Notification | None = None) -> None:
        """A notification raised while this screen is on top (`AppNotifications.notify`),
        and its toast (None: no toasts this run). Toasts show it; a screen that hides
        them (the QR view) says it itself."""

    def key_for(self, binding_id: str) -> str:
        """The key a user presses for `binding_id` here, after their keymap ("?" when
        no active binding has that id)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return "?"

    def bound_key(self, binding_id: str) -> str | None:
        """The first key this screen binds to `binding_id`, after the user's [keymap],
        as the footer shows it; else the app's own key for it (the palette's `^p`);
        None when neither binds it. Read from the bindings themselves, whether or not
        the key is lit now (`key_for` asks the active ones): the screen's and pane's
        hints name the keys in effect, not the defaults, even while they are composed.
        """
        for bindings in (self._bindings, self.app._bindings):
            key = key_in(self.app, bindings, binding_id)
            if key is not None:
                return key
        return None

    def describe_binding(self, binding_id: str, description: str) -> bool:
        """Name this screen's binding `binding_id` `description` in the footer and the
        help from now on (`d Cancel` where the delete cancels); True when it changed
        (then `refresh_bindings()` shows it)."""
        changed = False
        for key, bound in self._bindings.key_to_bindings.items():
            if any(b.id == binding_id and b.description != description for b in bound):
                self._bindings.key_to_bindings[key] = [
                    replace(b, description=description) if b.id == binding_id else b
                    for b in bound]
                changed = True
        return changed

    def on_mount(self) -> None:
        _keys_now(self)


class MeettuiModal(ModalScreen[ResultType], OneLayout[ResultType]):
    """A modal screen of meettui (forms, confirmations, pickers)."""

    # A modal cuts the app's bindings off, so `?` and F1 are bound here too: help on
    # every modal and form. A field that takes text keeps its `?` (it is typed), and
    # the footer shows F1 there: a form said only "esc Cancel ^s Save", and `?` typed.
    BINDINGS = [Binding(HELP_KEYS, "app.help", "Help", id="app.help"),
                # Ctrl+C says how to quit here too (it said nothing on a dialog); a text
                # field's own Ctrl+C (copy) comes first.
                Binding("ctrl+c", "app.help_quit", show=False, system=True)]

    def help_note(self) -> str:
        """What the help says of this modal's keys besides its bindings (a form's fields
        take Enter, Space and the arrows themselves), before the app's own footnote."""
        return ""

    def writes_changed(self) -> None:
        """A change began or ended, or what one waits for changed (`MeettuiApp.writes`):
        a form that saves says it anew."""

    def form_keys_note(self, submit_id: str, submit: str) -> str:
        """`FORM_KEYS_NOTE` for a form whose Save or Run is `submit`, bound as
        `submit_id`, in the keys of this form after the user's keymap."""
        in_fields = next((self.app.get_key_display(active.binding)
                          for active in self.active_bindings.values()
                          if active.binding.id == "app.help"
                          and active.binding.key != "question_mark"), "F1")
        # The screen's own key for it, after the keymap: `key_for` asks the active
        # bindings, where a text field's own key (Ctrl+W) hides a Save moved onto it,
        # and said "Ctrl+S", which no longer saved.
        return FORM_KEYS_NOTE.format(
            submit=f"{key_in(self.app, self._bindings, submit_id) or 'Ctrl+S'} ({submit})",
            help=in_fields)

    def key_for(self, binding_id: str, default: str) -> str:
        """The key a user presses for `binding_id` here, after their keymap (`default`
        when no active binding has that id)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return default

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # A toast that goes is repainted over a modal too (see RepaintingCompositor).
        # Not the cropping one: a modal draws the screen under it into its own lines.
        self._compositor = RepaintingCompositor()

    # The terminal size the modal was last laid out for (None before it was shown).
    _shown_at: Size | None = None
    # The terminal's size changed: the next whole layout scrolls to the focused widget.
    _follow_focus = False
    # Scrolls to the focused widget asked for after a refresh and not run yet.
    _focus_passes = 0
    # Layouts after the follow's first that follow the focus again (see _laid_out).
    _late_layouts = 0
    # A widget to scroll into view once it has its size (`bring_into_view`).
    _bring: Widget | None = None

    @property
    def following_focus(self) -> bool:
        """True while a scroll to the focused widget is still to come (a resize or the
        opening asked for one, run after the next refresh or the next whole layout):
        what is in view then is not final yet."""
        return self._follow_focus or self._focus_passes > 0

    def _after_refresh(self, scroll: Callable[[], None]) -> None:
        """`scroll` after the next refresh, counted in `following_focus`."""
        self._focus_passes += 1

        def run() -> None:
            self._focus_passes -= 1
            scroll()
        self.call_after_refresh(run)

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)

    def on_mount(self) -> None:
        _keys_now(self)
        # The toasts said before it opened go (kept in the messages and the log): in
        # the corner the dialog fills, they hid its fields and buttons. The help lists
        # the start-up warnings whose toast pointed to it.
        self.app.dismiss_toasts()
        self._shown_at = self.app.size
        # Opened with the focused field in view (the one rule, as after a resize): a
        # modal opened at its top left a first field below the fold focused, and what
        # was typed went there unseen. Scrolled from the top as little as that takes,
        # so the top stays in view when both fit. Once now that the modal is laid out,
        # and again after the next whole layout (a breakpoint class set at the first
        # one lays it out anew).
        self._follow_focus = True
        self._after_refresh(self.focused_in_view)

    @on(events.Resize)
    def _follow_resize(self, event: events.Resize) -> None:
        # A new size lays the modal out again and its scrolled part keeps its offset, or
        # is clamped to the top: a form taken down to 40x12 and back showed its first
        # fields while the cursor and the error were in a field out of view, and typing
        # went there unseen. The same size again (Textual posts it after a layout) is
        # no move of the user's.
        # Runs before Screen's own handler lays the modal out at the new size; a size
        # that crosses a breakpoint (`-short`) lays it out once more with its new
        # classes, after the next refresh: that one places the fields where they end
        # up, so it scrolls to the focused widget again.
        if event.size == self._shown_at:
            return
        self._shown_at = event.size
        self._after_refresh(self._resized)

    def _resized(self) -> None:
        self.focused_in_view()
        self._follow_focus = True

    def bring_into_view(self, widget: Widget) -> None:
        """Scroll `widget` into view once it has its size (after the next refresh, and
        after each whole layout), and keep it there past the scrolls to the focused
        widget until the focus moves. A message just put into a form's error line under
        its last field has its rows only after the layout: a scroll before it stopped
        short, or the form's own scroll to its focused field came after it, and the
        message stayed below the fold."""
        self._bring = widget
        self._after_refresh(self._bring_now)

    def _bring_now(self) -> None:
        widget = self._bring
        if widget is not None and widget.is_attached:
            widget.scroll_visible(animate=False, immediate=True)

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        self._bring = None  # the user went on: the focused field is followed again

    def _laid_out(self) -> None:
        if self._bring is not None and not (self._follow_focus or self._late_layouts):
            self._bring_now()
            self._after_refresh(self._bring_now)  # once drawn too (see below)
            return
        if self._follow_focus:
            self._follow_focus = False
            self._late_layouts = 2
        elif self._late_layouts:
            # A layout the follow's own scroll brought (a scrollbar shown or gone
            # narrows the fields, and the texts under them wrap anew): the error under
            # the last field moved out of view after the last pass, on a loaded machine.
            self._late_layouts -= 1
        else:
            return
        self.focused_in_view()
        # And once the frame is drawn: a text that wraps anew at the new width (a
        # form's own error under its last field) has its final height only then,
        # and was left a line below the view.
        self._after_refresh(self.focused_in_view)

    def focused_in_view(self) -> None:
        """Scroll the focused widget into view, with what belongs to it
        (`focus_companions`: its label, its error) as far as they fit, moving as little
        as that takes. What scrolls is the nearest container around it that has more
        than it shows (on a short terminal a form scrolls its heading away too)."""
        focused = self.focused
        if focused is None or not isinstance(focused.parent, Widget):
            return
        scroller = _scroller(focused)
        region = _region_in(focused, scroller)
        room = scroller.scrollable_content_region.height
        for companion in self.focus_companions(focused):
            if scroller in companion.ancestors and companion.display:
                both = region.union(_region_in(companion, scroller))
                if both.height <= room:
                    region = both
        scroller.scroll_to_region(region, animate=False, immediate=True)
        # The containers around it, as Textual's own scroll_visible does.
        if isinstance(scroller.parent, Widget):
            self.scroll_to_widget(scroller, animate=False, immediate=True)
        self._bring_now()  # what was said since comes before (`bring_into_view`)

    def focus_companions(self, focused: Widget) -> list[Widget]:
        """What should be in view with `focused`, first things first: the label above
        it (a form adds the field's error)."""
        siblings = focused.parent.children if isinstance(focused.parent, Widget) else []
        index = siblings.index(focused) if focused in siblings else 0
        before = siblings[index - 1] if index > 0 else None
        return [before] if isinstance(before, Label) else []


def _scroller(widget: Widget) -> Widget:
    """The nearest container around `widget` that can scroll (has more than it shows),
    else its parent."""
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Widget) and ancestor.max_scroll_y > 0:
            return ancestor
    return cast(Widget, widget.parent)


def _region_in(widget: Widget, scroller: Widget) -> Region:
    """`widget`'s region (with its margin) in the scrolled content of `scroller`, one of
    its ancestors."""
    region = widget.virtual_region_with_margin
    node = widget.parent
    while isinstance(node, Widget) and node is not scroller:
        gutter = node.styles.gutter
        region = region.translate(node.virtual_region.offset
                                  + Offset(gutter.left, gutter.top) - node.scroll_offset)
        node = node.parent
    return region


def _keys_now(screen: Screen[Any]) -> None:
    """Work the footer's keys out again before the first frame. Runs after the screen's
    own `on_mount` (Textual calls each class's handler, the subclass's first), once its
    widgets are mounted and its state set. The footer's own first look is earlier, as
    it mounts: on the list, before the list had read the cache, so the first frame
    showed Edit and Delete greyed out and a second frame lit them."""
    for footer in screen.query(KeyFooter):
        footer.update_hints()
