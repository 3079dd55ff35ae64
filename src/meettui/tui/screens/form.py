"""Create and edit forms, built from what the account's provider says it accepts: the
screen itself (its layout, the account picker, Esc and Save, and the save in a worker).
Which fields it shows and how they are read and checked: `form_fields`."""

from __future__ import annotations

import contextlib
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from meettui.core.capabilities import Capabilities, FieldKind, FieldSpec
from meettui.core.display import named, quoted
from meettui.core.models import Meeting
from meettui.core.service import MeetingService
from meettui.core.wording import spoken
from meettui.tui.key_hold import acts_at_once
from meettui.tui.screens.base import FIELD_BINDINGS
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.form_fields import literal_choices
from meettui.tui.screens.form_save import MeetingFormSave
from meettui.tui.widgets.footer import KeyFooter
from meettui.tui.widgets.ordered_input import OrderedInput
from meettui.tui.widgets.tick_box import TickBox


class FormBody(VerticalScroll, can_focus=False):
    """The form's fields, scrolled to the focused one. Not a Tab stop of its own:
    Textual's scroll container took focus between Save and the first field and showed
    none, so a Tab there seemed to do nothing. Every field is a stop, and the focused
    one is brought into view with its hint and error (`MeettuiModal.focused_in_view`);
    the wheel still scrolls it. What it holds below its last row is named beside the
    buttons (`fields_below`)."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # A smooth scroll goes on after its form closed (Tab Tab Ctrl+S at 80x24): the
        # body is then on no screen, and asking for it ended the app (NoScreen).
        screen = self.screen if self.is_attached else None
        if isinstance(screen, MeetingFormScreen):
            # Once the scroll is drawn: Textual's watcher can run before the value
            # it ends at (a focus scrolls in two steps), and the line kept "Template"
            # with the form at its end.
            self.call_after_refresh(screen.say_fields_below)

    def fields_below(self) -> list[str]:
        """The labels of the fields whose label lies below the rows shown ("End *": the
        star marks a required one), top first; not those of fields an edit cannot change
        (class `-fixed`): there is nothing to go down to them for."""
        bottom = self.scroll_y + self.scrollable_content_region.height
        # The label's text, under its padding row: a label whose padding was the last
        # row shown, its text hidden, was left out ("Domain" at 100x32).
        return [str(label.render()) for label in self.query_children(".field-label")
                if label.virtual_region.y + label.styles.padding.top >= bottom
                and not label.has_class("-fixed")]


class MeetingFormScreen(MeetingFormSave):
    DEFAULT_CSS = """
    MeetingFormScreen { align: center middle; }
    MeetingFormScreen > Vertical {
        width: 80; max-width: 100%; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    MeetingFormScreen #form-title { text-style: bold; padding: 1 0 0 0; }
    MeetingFormScreen #form-warning { color: $warning; padding: 1 0 0 0; }
    MeetingFormScreen .field-label { padding: 1 0 0 0; text-style: bold; }
    MeetingFormScreen .field-help { color: $text-muted; }
    MeetingFormScreen .field-error { color: $error; text-style: bold; display: none; }
    MeetingFormScreen .field-error.-said { display: block; }
    MeetingFormScreen #form-error { color: $error; text-style: bold; padding: 1 0 0 0; }
    MeetingFormScreen #form-buttons { height: auto; align-horizontal: right; padding: 1 0; }
    MeetingFormScreen #form-buttons Button { margin-left: 2; }
    MeetingFormScreen #form-below {
        width: 1fr; height: 3; content-align: left middle; color: $text-accent;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    MeetingFormScreen.-short > Vertical { height: 100%; overflow-y: auto; }
    MeetingFormScreen.-short #form-body { height: auto; overflow-y: hidden; }
    MeetingFormScreen.-short #form-buttons { display: none; }
    MeetingFormScreen.-short #form-title { padding: 0; }
    MeetingFormScreen.-short .field-label { padding: 0; }
    """
    # Under 20 rows the buttons (five rows; Esc and Ctrl+S do the same, and the footer
    # says so) and the blank rows between fields go, and the form takes the whole
    # height: at 40x12 the fields had one row left, blank. The heading scrolls with the
    # fields there: held above them, it left too few rows for a field and its error.
    # A field's error sits right under it, before its hint, and takes no row until it
    # says something: under the hint, at 40x12, it was cut off below the field.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    # `on_mount` chooses the field to focus and scrolls it into view with its label:
    # Textual's auto-focus ran first, on the first field it could focus, and centred
    # it with a smooth scroll that ended after ours (an edit at 80x24 showed
    # Expires without its label, then a blank frame mid-scroll).
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
        *FIELD_BINDINGS,
    ]

    def __init__(self, service: MeetingService, *, accounts: list[str],
                 meeting: Meeting | None = None, account: str | None = None) -> None:
        """A form to edit `meeting`, or to create one in one of `accounts` (`account`
        first, when it is one of them: the highlighted row's)."""
        super().__init__()
        self.service = service
        self.meeting = meeting
        self.accounts = accounts
        if meeting is not None:
            self.account = meeting.account
        else:
            self.account = account if account in accounts else accounts[0]
        self.busy = False
        self.maybe_saved = False
        """A save's outcome is not known (its answer was lost, or a server error that
        may have come after the work): Save asks before saving again, which could make
        the meeting twice."""
        self._maybe_status: int | None = None
        """The status that answered that save (a 5xx), None when no answer came."""

    def compose(self) -> ComposeResult:
        self._escaped.clear()  # recomposed for another account: its own fields
        caps = self.service.capabilities(self.account)
        display_name = self.service.display_name(self.account)
        with Vertical():
            if self.meeting is not None:
                self._heading = f"Edit {quoted(self.meeting.title)} — {self.account}"
            else:
                self._heading = f"New meeting — {self.account} ({display_name})"
            yield Static(Text(self._heading), id="form-title")
            if self.editing and caps.update_changes_links:
                yield Static(
                    Text(self._replace_warning(caps, display_name)),
                    id="form-warning",
                )
            with FormBody(id="form-body"):
                if not self.editing and len(self.accounts) > 1:
                    yield Label("Account", classes="field-label")
                    yield Select(
                        literal_choices(self.accounts), value=self.account,
                        allow_blank=False, id="field-account",
                    )
                for spec in self.fields():
                    yield from self._field(spec)
                yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Static(id="form-below")
                yield Button(f"Cancel ({self.button_key('form.cancel', 'Esc')})", id="cancel")
                yield Button(f"Save ({self.button_key('form.save', 'Ctrl+S')})", id="save",
                             variant="primary")
        yield KeyFooter()

    def _field(self, spec: FieldSpec) -> ComposeResult:
        disabled = self.editing and not spec.editable
        # A field fixed at creation is nothing to fill in on an edit: no star, and not
        # named among the fields below (`FormBody.fields_below`). "Guest name *" and
        # "↓ Below: Guest email *" sent a user to type into a field Tab passes over,
        # and the text went to the next one that takes it.
        label = spec.label + (" *" if spec.required and not disabled else "")
        yield Label(label, classes="field-label -fixed" if disabled else "field-label")
        value = self._initial(spec)
        widget_id = f"field-{spec.name}"
        if spec.kind == FieldKind.BOOL:
            yield TickBox(spec.label, value=bool(value), id=widget_id, disabled=disabled)
        elif spec.kind == FieldKind.CHOICE:
            yield Select(literal_choices(spec.choices),
                         value=value if value in spec.choices else Select.NULL,
                         allow_blank=not spec.required, id=widget_id, disabled=disabled)
        else:
            # An edit form puts the cursor after the old value: typing adds to it. No
            # `max_length`: Input would drop what goes past it without a word (typed
            # keys) or refuse a paste; the field says it is too long instead
            # (`_check_length`) and Save refuses, as the CLI does.
            text = "" if value is None else str(value)
            shown = self.prefill(spec.name, text)
            yield OrderedInput(
                value=shown,
                placeholder=spec.label,
                type="integer" if spec.kind == FieldKind.INT else "text",
                id=widget_id,
                disabled=disabled,
                select_on_focus=False,
            )
        yield Static("", id=f"error-{spec.name}", classes="field-error")
        # A create form and an edit form say what an empty field does differently.
        hint = spec.edit_help if self.editing and spec.edit_help is not None else spec.help
        if hint:
            yield Static(Text(spoken(hint)), classes="field-help")
        shown_hint = self.prefill_hint(spec.name)
        if shown_hint is not None:
            yield Static(Text(shown_hint), classes="field-help")
        if disabled:
            yield Static(Text("Set when the meeting is created; cannot be changed."),
                         classes="field-help")

    def holds_key(self, key: events.Key) -> bool:
        """While saving, the keys typed wait (`key_hold.py`): the form closes once saved,
        and they are for what is on top then. Not Esc: pressed during a slow save, it
        says at once that the form waits for it, nor the app's own keys (`acts_at_once`)."""
        return self.busy and not acts_at_once(self.app, key)

    def say_fields_below(self) -> None:
        """Name the fields scrolled out of view below, beside the buttons: at 80x24 a new
        meeting's form showed Account and Title above the buttons, and a required End
        only as a scrollbar thumb hard to see."""
        if not self.is_attached:
            return  # closed meanwhile (a scroll's last step came after Save)
        body = next(iter(self.query(FormBody)), None)
        line = next(iter(self.query("#form-below").results(Static)), None)
        if body is None or line is None:
            return  # recomposed for another account: its own say comes
        below = body.fields_below()
        line.update(Text("↓ Below: " + ", ".join(below)) if below else Text(""))

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self.say_fields_below)

    def fields_moved(self) -> None:
        self.say_fields_below()  # an error line came or went: the fields moved

    @staticmethod
    def _replace_warning(caps: Capabilities, display_name: str) -> str:
        """What saving this edit does, where the provider edits by recreating."""
        local = " or ".join(f.label.lower() for f in caps.fields if f.local)
        more = f"more than a new {local}" if local else "it"
        return (f"{display_name} cannot edit a meeting in place: saving {more} creates a "
                "new meeting and deletes this one, and every link changes.")

    def help_note(self) -> str:
        return self.form_keys_note("form.save", "Save")

    def on_mount(self) -> None:
        # The first field the user can change, a text one before a box or a choice (the
        # Account picker above the title stays unfocused): a field fixed at creation
        # took the focus, and what was typed went nowhere.
        changeable = [w for w in self.query("#form-body Input, #form-body Select, "
                                            "#form-body Checkbox")
                      if not w.disabled and w.id != "field-account"]
        first = next((w for w in changeable if isinstance(w, Input)),
                     changeable[0] if changeable else None)
        if first is not None:
            # In view as the form opens, the Account field above it too when both fit
            # (MeettuiModal.focused_in_view; D16: scrolled to the title, a short
            # terminal hid the Account field's label and value).
            if isinstance(first, Input):
                first.cursor_position = len(first.value)
            first.focus(scroll_visible=False)
        self._pristine = self.snapshot()
        self.call_after_refresh(self.say_fields_below)

    @on(Select.Changed, "#field-account")
    def _account_changed(self, event: Select.Changed) -> None:
        if event.value != self.account and isinstance(event.value, str):
            # What was typed or picked goes over to the fields of the same name (the
            # title, the times): recomposed for the new account, the form lost them,
            # and as it then looked untouched, Esc closed it without asking.
            before = self._pristine or {}
            typed = {key: value for key, value in self.snapshot().items()
                     if key != "field-account" and value != before.get(key)}
            self.account = event.value
            self.refresh(recompose=True)
            self.call_after_refresh(self._after_recompose, typed)

    def _after_recompose(self, typed: dict[str, Any]) -> None:
        # Another account's fields: what counts as "changed" starts from them, and what
        # was typed before is put back where the new fields have a place for it. The
        # focus goes back to the account (rebuilt, it had none: Tab then typing went
        # nowhere).
        self._pristine = self.snapshot()
        self.query_one("#field-account").focus(scroll_visible=False)
        self.say_fields_below()
        for widget in self.query("Input, Select, Checkbox"):
            value = typed.get(widget.id or "")
            if value is None:
                continue
            if isinstance(widget, Input | Checkbox):
                if isinstance(value, str if isinstance(widget, Input) else bool):
                    widget.value = value
            elif isinstance(widget, Select):
                with contextlib.suppress(InvalidSelectValueError):  # not a choice here
                    widget.value = value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        """Close; when something was typed, ask first. Not while a save is under way:
        the provider has the request, and the form waits for its answer (closed then,
        the answer closed the question instead, and a second save made a second room)."""
        if self.busy:
            # "The provider has the request" was said while meettui waited out a 429:
            # the provider had refused it, and the save was yet to be sent again.
            waiting = self.app.write_activity(self.account)
            self.app.notify(f"Saving: {waiting}. The form closes when the save is done."
                            if waiting else "Saving: the provider has the request. The "
                            "form closes when it answers.", title="Wait", timeout=5)
            return
        if not self.changed:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        what = f" to {named(self.meeting.title, self.meeting.id)}" if self.meeting else ""
        self.app.push_screen(ConfirmScreen(
            f"Discard changes{what}?", "What you typed in this form is lost.",
            yes="Discard", no="Keep editing"), answer)
