"""Ask for a provider action's inputs (a name for a new host, …)."""

from __future__ import annotations

from typing import Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from meettui.core.capabilities import ActionSpec, FieldKind, FieldSpec
from meettui.core.display import printable
from meettui.core.models import Meeting
from meettui.tui.screens.base import FIELD_BINDINGS, MeettuiModal
from meettui.tui.screens.confirm import BACK
from meettui.tui.widgets.footer import KeyFooter
from meettui.tui.widgets.ordered_input import OrderedInput


class ActionFormScreen(MeettuiModal[dict[str, Any] | None]):
    """Dismisses with the parameters, or None when cancelled."""

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
                 values: dict[str, Any] | None = None) -> None:
        """The form of `action` for `meeting`; `values` (by field name, as the form
        dismissed with them) fill it instead of the fields' defaults: the form again
        after a "Back" from the question that follows it."""
        super().__init__()
        self.action_spec = action
        self.meeting = meeting
        self.values = values or {}

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
                yield Button(f"{BACK} (Esc)", id="cancel")
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
        if spec.kind == FieldKind.CHOICE:
            yield Select([(c, c) for c in spec.choices],
                         value=start if start in spec.choices else Select.NULL,
                         # A choice with a default offers no blank: it sent the
                         # default anyway ("Cancelled by" showed an empty entry).
                         allow_blank=spec.default is None,
                         id=widget_id)
        elif spec.kind == FieldKind.BOOL:
            yield Checkbox(spec.label, value=bool(start), id=widget_id)
        else:
            yield OrderedInput(value="" if start is None else str(start),
                               placeholder=spec.label, id=widget_id)
        if spec.help:
            yield Static(Text(spec.help), classes="field-help")

    def focus_companions(self, focused: Widget) -> list[Widget]:
        """The field's label and its help, then the form's error when it says
        something."""
        shown = super().focus_companions(focused)
        siblings = list(focused.parent.children) if isinstance(focused.parent, Widget) else []
        after = siblings.index(focused) + 1 if focused in siblings else len(siblings)
        if after < len(siblings) and siblings[after].has_class("field-help"):
            shown.append(siblings[after])
        error = self.query_one("#action-error", Static)
        return shown + ([error] if str(error.render()) else [])

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
            self.dismiss(None)

    def _submit(self) -> None:
        params: dict[str, Any] = {}
        for spec in self.action_spec.fields:
            value = self._value(spec)
            if spec.required and (value is None or value == ""):
                self.query_one("#action-error", Static).update(
                    Text(f"{spec.label} is required."))
                return
            if value is not None and value != "":
                params[spec.name] = value
        self.dismiss(params)

    def _value(self, spec: FieldSpec) -> Any:
        """What the field holds: text stripped, a choice or None, a bool."""
        widget = self.query_one(f"#action-{spec.name}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        return cast(Input, widget).value.strip()

    def action_cancel(self) -> None:
        self.dismiss(None)
