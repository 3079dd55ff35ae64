"""Ask for a provider action's inputs (a name for a new host, …), or any one-form
question of the same shape (where to save a calendar file).

With a `submit` handler the form stays open while what it asked for is done: the
handler asks a question over it (which "Back" returns to the form from), runs the
action in the form (`run`), or says what is wrong at the field (`show_error`), and the
values typed stay where they were. Without one the form closes with its values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from meettui.core.capabilities import ActionSpec, FieldKind, FieldSpec
from meettui.core.display import ellipsize, printable
from meettui.core.errors import ValidationError
from meettui.core.models import Meeting
from meettui.tui.app_failures import failure_title
from meettui.tui.key_hold import acts_at_once
from meettui.tui.screens.base import FIELD_BINDINGS
from meettui.tui.screens.confirm import BACK
from meettui.tui.screens.field_errors import FieldErrorsModal
from meettui.tui.screens.form_fields import literal_choices
from meettui.tui.widgets.footer import KeyFooter
from meettui.tui.widgets.ordered_input import OrderedInput
from meettui.tui.widgets.tick_box import TickBox

Submit = Callable[["ActionFormScreen", dict[str, Any]], None]
"""What a form's Run does with the values (see the module docstring)."""

VALUE_SHOWN = 80
"""The most characters of a value a question names (`given`)."""


class ActionFormScreen(FieldErrorsModal[dict[str, Any] | None]):
    """Dismisses with the parameters, or None when cancelled. A field's error goes once
    its value changes (`FieldErrorsModal`)."""

    FIELD_PREFIX = "action-"
    ERROR_PREFIX = "action-error-"

    DEFAULT_CSS = """
    ActionFormScreen { align: center middle; }
    ActionFormScreen > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 1 2; overflow-y: auto;
    }
    ActionFormScreen #action-title { text-style: bold; }
    ActionFormScreen .field-label { padding: 1 0 0 0; text-style: bold; }
    ActionFormScreen .field-help { color: $text-muted; }
    ActionFormScreen #action-error { color: $error; text-style: bold; }
    ActionFormScreen .field-error { color: $error; text-style: bold; display: none; }
    ActionFormScreen .field-error.-said { display: block; }
    ActionFormScreen #action-buttons {
        height: auto; align-horizontal: right; padding: 1 0 0 0;
    }
    ActionFormScreen #action-buttons Button { margin-left: 2; }
    ActionFormScreen.-short > Vertical { padding: 0 1; }
    ActionFormScreen.-short .field-label { padding: 0; }
    ActionFormScreen.-short #action-buttons { display: none; }
    """
    # Under 20 rows the blank rows and the buttons go (Esc, Enter and Ctrl+S do the
    # same; the footer says so), as in the meeting form, and what is still too tall
    # scrolls: at 50x15 a one-field form ("Save calendar file") had its buttons below
    # the dialog's edge, and at 40x12 its field too.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    # The first field is focused in `on_mount`, without Textual's scroll: its auto-focus
    # centred the field with a smooth scroll, and the dialog's title (which meeting it
    # is for) went off the top at 80x24. `MeettuiModal.focused_in_view` scrolls as
    # little as the field and its label and help need.
    AUTO_FOCUS = ""
    # "Back", not "Cancel": beside an action named "Cancel with a reason" the way out
    # read like the action.
    BINDINGS = [Binding("escape", "cancel", BACK, id="action.cancel"),
                Binding("ctrl+s", "submit", "Run", id="action.run"), *FIELD_BINDINGS]

    def __init__(self, action: ActionSpec, meeting: Meeting, *,
                 values: dict[str, Any] | None = None, submit: Submit | None = None) -> None:
        """The form of `action` for `meeting`; `values` (by field name, as the form
        dismissed with them) fill it instead of the fields' defaults. `submit`: what Run
        does with the values, the form still open (else it closes with them)."""
        super().__init__()
        self.action_spec = action
        self.meeting = meeting
        self.values = values or {}
        self._submit_to = submit
        self.busy = False
        """What the form asked for is under way (`run`): Run waits, Esc says so."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"{self.action_spec.label} — {printable(self.meeting.title)}"),
                         id="action-title")
            if self.action_spec.help:
                yield Static(Text(self.action_spec.help))
            for spec in self.action_spec.fields:
                yield from self._field(spec)
            yield Static("", id="action-error")
            # By id: a Select is a Horizontal inside, which the rules for the buttons'
            # row padded (and hid on a short terminal).
            with Horizontal(id="action-buttons"):
                yield Button(f"{BACK} ({self.button_key('action.cancel', 'Esc')})",
                             id="cancel")
                yield Button(self.action_spec.label, id="run", variant="primary")
        yield KeyFooter()

    def _field(self, spec: FieldSpec) -> ComposeResult:
        """A field as its kind asks: a choice is picked from its choices (one who
        cancelled was typed, and a typo was refused only by the provider), a
        yes/no is a checkbox, the rest is typed. The help is a line under the field: as
        the placeholder it was cut at the dialog's edge, and gone once typing began."""
        yield Label(spec.label + (" *" if spec.required else ""), classes="field-label")
        widget_id = f"action-{spec.name}"
        start = self.values.get(spec.name, spec.default)
        # Choices the meeting holds (its hosts' names) are picked too: typed, a name
        # was refused only once the provider had been asked ("No host named 'nobody'").
        choices = spec.choices_for(self.meeting)
        if spec.kind == FieldKind.CHOICE or (spec.choices_from and choices):
            yield Select(literal_choices(choices),
                         value=start if start in choices else Select.NULL,
                         # A choice with a default offers no blank: it sent the
                         # default anyway ("Cancelled by" showed an empty entry).
                         # Without one it opens blank, a host to remove too: one
                         # chosen for the user would be removed on a hasty Ctrl+S y.
                         allow_blank=spec.default is None,
                         id=widget_id)
        elif spec.kind == FieldKind.BOOL:
            yield TickBox(spec.label, value=bool(start), id=widget_id)
        else:
            yield OrderedInput(value="" if start is None else str(start),
                               placeholder=spec.label, id=widget_id)
        # What is wrong with the value, said under it (takes no row until then).
        yield Static("", id=f"action-error-{spec.name}", classes="field-error")
        if spec.help:
            yield Static(Text(spec.help), classes="field-help")

    def focus_companions(self, focused: Widget) -> list[Widget]:
        """The field's label, its error when it says something, and its help, then the
        form's error when it says something."""
        shown = super().focus_companions(focused)
        siblings = list(focused.parent.children) if isinstance(focused.parent, Widget) else []
        after = siblings.index(focused) + 1 if focused in siblings else len(siblings)
        while after < len(siblings) and siblings[after].has_class("field-error"):
            if siblings[after].has_class("-said"):
                shown.append(siblings[after])
            after += 1
        if after < len(siblings) and siblings[after].has_class("field-help"):
            shown.append(siblings[after])
        error = self.query_one("#action-error", Static)
        return shown + ([error] if str(error.render()) else [])

    def help_title(self) -> str:
        return self.action_spec.label  # "Save calendar file", "Add a host"

    def help_note(self) -> str:
        return self.form_keys_note("action.run", "Run")

    def on_mount(self) -> None:
        fields = self.query("Input, Select, Checkbox")
        if fields:
            fields.first().focus(scroll_visible=False)

    def on_input_submitted(self) -> None:
        self._submit()

    def action_submit(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run":
            self._submit()
        else:
            self.action_cancel()

    def _submit(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        params: dict[str, Any] = {}
        for spec in self.action_spec.fields:
            value = self._value(spec)
            if spec.required and (value is None or value == ""):
                self.show_error(spec.name, f"{spec.label} is required.")
                return
            if value is not None and value != "":
                params[spec.name] = value
        if self._submit_to is None:
            self.dismiss(params)
        else:
            self._submit_to(self, params)

    # -- what the handler does with the form ------------------------------------------

    def clear_errors(self) -> None:
        """Empty every error line, the fields' and the form's."""
        self.clear_field_errors()
        self.query_one("#action-error", Static).update("")

    def show_error(self, field: str | None, message: str) -> None:
        """`message` under `field` (focused, in view with its label), or under the
        form's fields when it names none of them; the values stay as they are."""
        message = printable(message)  # it may quote the provider's text
        target = self.field_error(field) if field else None
        if field and target is not None:
            self.say_at(field, message)
            widget = self.query_one(f"#action-{field}")
            widget.focus(scroll_visible=False)
        else:
            error = self.query_one("#action-error", Static)
            error.update(Text(message))
        # Once the error has its rows: the field with its error and label, or the
        # form's error under the last field.
        if target is not None:
            self.call_after_refresh(self.focused_in_view)
        else:
            self.bring_into_view(self.query_one("#action-error", Static))

    def given(self, params: dict[str, Any]) -> str:
        """The values in `params` a question before running names, one a line ("Host:
        Sami Lindqvist"), in the form's order: what the action will act on."""
        lines = []
        for spec in self.action_spec.fields:
            value = params.get(spec.name)
            if value is None or value == "":
                continue
            shown = ("yes" if value else "no") if isinstance(value, bool) else \
                ellipsize(printable(str(value)), VALUE_SHOWN)
            lines.append(f"{spec.label}: {shown}")
        return "\n".join(lines)

    def run(self, work: Callable[[], Awaitable[object]], *, doing: str = "running") -> None:
        """Do `work` (the action asked for) with the form open and waiting: an error
        about a value (`ValidationError`) is said at its field and the form stays, as
        typed, to be corrected; done, the form closes; any other failure closes it and
        is said as the app says failures."""
        if self.busy:
            return
        self._busy(True, doing)
        self.run_worker(self._run(work), group="action-form", exclusive=True,
                        exit_on_error=False)

    async def _run(self, work: Callable[[], Awaitable[object]]) -> None:
        try:
            await work()
        except ValidationError as exc:
            self._busy(False)
            self._on_top()
            names = {spec.name for spec in self.action_spec.fields}
            field = exc.field if exc.field in names else None
            # At the field, without the account in front (the form is of its meeting).
            said = exc.message.removeprefix(f"{exc.label}: ") if exc.label else exc.message
            self.show_error(field, said if field else exc.paragraph())
            # Kept in the messages and the log, without a toast: it would be drawn over
            # the form, its error and its buttons.
            self.app.notify(exc.as_lines(), title=failure_title(exc), severity="error",
                            timeout=10, toast=False)
            return
        except Exception as exc:  # noqa: BLE001 - said as any worker's failure is
            self._busy(False)
            self._close()
            self.app.report_failure(exc, self.action_spec.label)
            return
        self._busy(False)
        self._close()

    def _close(self) -> None:
        self._on_top()
        if self.is_attached and self in self.app.screen_stack:
            self.dismiss(None)

    def _on_top(self) -> None:
        """Close what was opened over the form while it ran (help, a question), so that
        the outcome is said on the form, or closes the form and not what is above it."""
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()

    def holds_key(self, key: events.Key) -> bool:
        """While the action runs, the keys typed wait (`key_hold.py`), as a form's do,
        but Esc, which says at once that the form waits for it."""
        return self.busy and not acts_at_once(self.app, key)

    def _busy(self, busy: bool, doing: str = "") -> None:
        """Say that the action is under way, on the Run button (which waits) and in the
        title."""
        self.busy = busy
        button = self.query_one("#run", Button)
        button.disabled = busy
        button.label = f"{doing[:1].upper()}{doing[1:]}…" if busy else self.action_spec.label
        title = self.query_one("#action-title", Static)
        heading = f"{self.action_spec.label} — {printable(self.meeting.title)}"
        title.update(Text(heading + (f" — {doing}…" if busy else "")))

    def _value(self, spec: FieldSpec) -> Any:
        """What the field holds: text stripped, a choice or None, a bool."""
        widget = self.query_one(f"#action-{spec.name}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        return cast(Input, widget).value.strip()

    def action_cancel(self) -> None:
        if self.busy:
            # The provider has the request; the form closes when it answers.
            self.app.notify(f"{self.action_spec.label}: under way. The form closes when "
                            "it is done.", title="Wait", timeout=5)
            return
        self.dismiss(None)
