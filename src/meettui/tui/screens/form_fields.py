"""The meeting form's fields: which ones a form shows (the base fields, overridden and
extended by the provider's own), what each opens with, what changed since the form
opened, and reading them back into a MeetingSpec, checked on the way (required, times,
lengths), with each error said at its field.

`MeetingFormScreen` inherits these (it composes the fields, and saves what `collect`
reads)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from meettui.core.capabilities import FieldKind, FieldSpec
from meettui.core.display import printable
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.service import MeetingService
from meettui.core.service_writes import UpdateResult
from meettui.core.timeparse import format_local, parse_when
from meettui.tui.screens.field_errors import FieldErrorsModal

BASE_FIELDS = (
    FieldSpec(name="title", label="Title", required=True),
    FieldSpec(name="starts_at", label="Start", kind=FieldKind.DATETIME,
              help="YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d"),
    FieldSpec(name="ends_at", label="End", kind=FieldKind.DATETIME,
              help="YYYY-MM-DD HH:MM (local), or +1h counted from the start"),
)
BASE_NAMES = {f.name for f in BASE_FIELDS}


def form_fields(provider_fields: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    """Base fields, overridden by the provider's own spec of the same name, then extras.
    Every time field says how a time is typed, on the create form and on the edit form
    (`_with_format`): one provider's Start said where the time goes, and not how to
    write it, where every other form's did; an Expires said it on a create, and not on
    an edit (its `edit_help`)."""
    own = {f.name: f for f in provider_fields}
    fields = [_with_format(own[f.name], f.help) if f.name in own else f
              for f in BASE_FIELDS]
    extras = [_with_format(f, TIME_FORMAT) for f in provider_fields
              if f.name not in BASE_NAMES]
    return [f for f in fields + extras if not f.hidden]


TIME_FORMAT = "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d"
"""How a time is typed, said first in a provider's time field whose help does not say it
(what a relative time counts from is the field's own help's to say: an end with no
start to count from counts from now)."""


def _with_format(own: FieldSpec, plain: str) -> FieldSpec:
    """`own`, a provider's field, with each of its hints (`help`, and `edit_help` when
    it has one) that does not say how to type a time saying it: `TIME_FORMAT` before
    the hint, or `plain` (the base field's help, `TIME_FORMAT` for a field of the
    provider's own) in place of an empty one. As it is when it is no time field or its
    hints say it ("YYYY")."""
    if own.kind != FieldKind.DATETIME:
        return own

    def said(hint: str) -> str:
        if "YYYY" in hint:
            return hint
        return f"{TIME_FORMAT}. {hint}" if hint else plain

    update = {"help": said(own.help)}
    if own.edit_help is not None:
        update["edit_help"] = said(own.edit_help)
    return own.model_copy(update=update)


HIDDEN_SHOWN = ("Hidden characters (control, bidi, zero-width) are shown as escapes such "
                "as \\x1b. Left as it is, the field keeps its text as it was; changed, "
                "it is saved as shown.")
"""The hint under a field that opened with hidden characters shown as escapes."""
BREAKS_SHOWN = ("Line breaks and tabs are shown as spaces. Left as it is, the field keeps "
                "its text as it was; changed, it is saved as shown.")
"""The hint under a field whose text had line breaks or tabs only, shown as spaces (it
said "shown as escapes" of a field that showed none)."""


def literal_choices(values: Iterable[str]) -> list[tuple[Text, str]]:
    """A Select's options for `values`, each shown as written (`printable`) and standing
    for itself. Select reads a str prompt as markup: a host named `[red]Cy[/red] Ng` was
    listed as a red "Cy Ng". Text, not Content: the Select's type-to-search reads
    `Text.plain` and passes over a Content."""
    return [(Text(printable(value)), value) for value in values]


class MeetingFormFields(FieldErrorsModal[Meeting | UpdateResult | None]):
    """Reading and checking the meeting form's fields (see module docstring)."""

    # Set by MeetingFormScreen.__init__ (`account`: the one the form saves to).
    service: MeetingService
    meeting: Meeting | None
    account: str

    def __init__(self) -> None:
        super().__init__()
        # What the fields held when the form opened: Esc asks only when it changed.
        self._pristine: dict[str, Any] | None = None
        # Text fields that opened with hidden characters shown as escapes: name ->
        # (the text shown, the value it stands for). See `prefill`.
        self._escaped: dict[str, tuple[str, str]] = {}

    @property
    def editing(self) -> bool:
        return self.meeting is not None

    def help_title(self) -> str:
        return "Edit meeting" if self.editing else "New meeting"

    def fields(self) -> list[FieldSpec]:
        """The fields this form shows: an edit-only one (a reason for rescheduling) is
        left out of a create form."""
        fields = form_fields(self.service.capabilities(self.account).fields)
        return fields if self.editing else [f for f in fields if f.creatable]

    def _initial(self, spec: FieldSpec) -> Any:
        meeting = self.meeting
        if meeting is not None:
            if spec.name == "title":
                return meeting.title
            if spec.name in ("starts_at", "ends_at"):
                return format_local(getattr(meeting, spec.shows or spec.name))
            # Options meettui remembers (the provider may never return them), then raw.
            remembered = meeting.kept.options or {}
            if spec.name in remembered:
                return remembered[spec.name]
            if spec.name in meeting.raw:
                return meeting.raw[spec.name]
        return self.service.form_defaults(self.account).get(spec.name, spec.default)

    def prefill(self, name: str, text: str) -> str:
        """What the text field `name` opens with for the value `text`: `text` itself, or,
        when it holds hidden characters (a provider's title with `ESC ]2;…` in it, a
        bidi override), `printable(text)`. An Input draws its value raw: the escape
        sequence retitled the terminal window and moved the cursor, the override
        reordered the field. Such a field reads back as `text` while it shows what it
        opened with (`_read_text`); typed over, it is saved as shown."""
        shown = printable(text)
        if shown != text:
            self._escaped[name] = (shown, text)
        return shown

    def prefill_hint(self, name: str) -> str | None:
        """The hint under text field `name` for what `prefill` showed differently:
        HIDDEN_SHOWN where it shows an escape, BREAKS_SHOWN where only line breaks and
        tabs became spaces; None where it shows the text as it is."""
        opened = self._escaped.get(name)
        if opened is None:
            return None
        shown, text = opened
        # An escape shown is a backslash the text did not have there.
        return HIDDEN_SHOWN if shown.count("\\") > text.count("\\") else BREAKS_SHOWN

    def _read_text(self, name: str, shown: str) -> str:
        """The value of the text field `name` that shows `shown`: the hidden
        characters it opened with when it still shows them as it opened (`prefill`),
        else what it shows, without surrounding blanks."""
        opened = self._escaped.get(name)
        if opened is not None and shown == opened[0]:
            return opened[1].strip()
        return shown.strip()

    def snapshot(self) -> dict[str, Any]:
        """Every field's current value, by widget id (the account selector too)."""
        values: dict[str, Any] = {}
        for widget in self.query("Input, Select, Checkbox"):
            if widget.id and widget.id.startswith("field-"):
                values[widget.id] = widget.value  # type: ignore[attr-defined]
        return values

    def _touched(self) -> set[str]:
        """The names of the fields whose value differs from the one they opened with."""
        before = self._pristine or {}
        return {key.removeprefix("field-") for key, value in self.snapshot().items()
                if value != before.get(key)}

    @property
    def changed(self) -> bool:
        """True when something was typed, picked or ticked since the form opened."""
        return self._pristine is not None and self.snapshot() != self._pristine

    def _too_long(self, spec: FieldSpec, value: str) -> str | None:
        """What the field says when `value` is longer than `spec`'s limit, else None."""
        limit = self.service.capabilities(self.account).max_length(spec.name)
        if limit is not None and len(value) > limit:
            return (f"{spec.label} is {len(value):,} characters long; at most {limit:,} "
                    "are allowed.")
        return None

    @on(Input.Changed)
    def _check_length(self, event: Input.Changed) -> None:
        # Said as it happens (a paste, a key too many), at the field, not only at Save;
        # short enough again, the value changed, and the message goes with any other
        # (`FieldErrorsModal`).
        name = (event.input.id or "").removeprefix("field-")
        spec = next((f for f in self.fields() if f.name == name), None)
        if spec is None:
            return
        message = self._too_long(spec, self._read_text(name, event.value))
        if message is not None:
            self.say_at(name, message)

    def focus_companions(self, focused: Widget) -> list[Widget]:
        """The field's label, then its error line when it says something, then the
        form's own error (a save's that names no field, under the last field) when it
        does: after a resize it stayed below while the field was scrolled to."""
        name = (focused.id or "").removeprefix("field-")
        errors = [next(iter(self.query(f"#error-{name}")), None) if name else None,
                  next(iter(self.query("#form-error")), None)]
        said = [error for error in errors
                if isinstance(error, Static) and str(error.render())]
        return super().focus_companions(focused) + said

    # -- validation -------------------------------------------------------------------

    def _clear_errors(self) -> None:
        self.clear_field_errors()
        self.query_one("#form-error", Static).update("")

    def show_error(self, field: str | None, message: str, *, focus: bool = True,
                   title: str | None = None) -> None:
        """`message` under `field` (focused and scrolled to, unless `focus` is False),
        or under the form's fields when it names none of them. `title`: the message
        is a save's outcome ("Not saved", "Maybe saved"): kept in the app's messages
        and the log under that title, the line under the fields begins with it, and
        no toast says it again (one drawn over the form hid this error and the
        buttons)."""
        # Messages can carry the provider's own text.
        message = printable(message)
        if title is not None:
            self.app.notify(message, title=title, severity="error", timeout=10, toast=False)
        if field and self.say_at(field, message):
            widget = next(iter(self.query(f"#field-{field}")), None)
            if widget is not None and focus:
                # Scrolled to once the error has its rows: the field with its error
                # (and its label, when they fit), not the field alone.
                widget.focus(scroll_visible=False)
                self.call_after_refresh(self.focused_in_view)
            return
        # Under the last field, scrolled into view once it has its height: at 80x24 it
        # is below the fold (it stayed hidden below "Template" while the form looked as
        # if nothing happened).
        error = self.query_one("#form-error", Static)
        error.update(Text(f"{title}: {message}" if title else message))
        self.bring_into_view(error)

    def _kept(self, spec: FieldSpec, touched: set[str]) -> tuple[Any] | None:
        """The value an edit keeps for the base field `spec` (title, start, end) when the
        user left it as it opened (not in `touched`): the meeting's own, exact (its time
        to the second, its title as stored), in a 1-tuple; None when the field's text is
        to be read (a new meeting, a field changed, an option)."""
        meeting = self.meeting
        if meeting is None or spec.name in touched or spec.name not in BASE_NAMES:
            return None
        return (getattr(meeting, spec.name),)

    def collect(self) -> MeetingSpec | None:
        """Read the form; show errors at their fields and return None when invalid."""
        self._clear_errors()
        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        now = self.service.clock.now().astimezone()
        start = None
        touched = self._touched()
        for spec in self.fields():
            widget = self.query_one(f"#field-{spec.name}")
            if spec.kind == FieldKind.BOOL:
                value: Any = widget.value  # type: ignore[attr-defined]
            elif spec.kind == FieldKind.CHOICE:
                raw = widget.value  # type: ignore[attr-defined]
                value = None if raw is Select.NULL else raw
            else:
                value = self._read_text(spec.name, widget.value)  # type: ignore[attr-defined]
            if spec.shows and self.editing and spec.name not in touched:
                continue  # shown from another time: sent only when changed (`shows`)
            kept = self._kept(spec, touched)
            if kept is not None:
                # Untouched: the meeting's own value, not the field's text read back (a
                # time shown to the minute read back as 09:01:00 for 09:01:20, and the
                # edit of a title alone moved the meeting, which a provider may tell its
                # guests about).
                value = kept[0]
                if spec.name == "starts_at":
                    start = value
            # A field an edit cannot change is not sent (`options` below) and shows no
            # star: empty (the provider gave no value), it must not hold the save up
            # with an error the user can do nothing about.
            fixed = self.editing and not spec.editable
            if spec.required and not fixed and value in (None, ""):
                errors.append((spec.name, f"{spec.label} is required."))
                continue
            if kept is not None:
                values[spec.name] = value if value != "" else None
                continue
            if spec.kind == FieldKind.DATETIME and value:
                try:
                    value = parse_when(value, now=start if spec.name == "ends_at" and start
                                       else now)
                except ValueError as exc:
                    text = str(exc)  # capitalize() would lowercase the input it quotes
                    errors.append((spec.name, text[:1].upper() + text[1:]))
                    continue
                if spec.name == "starts_at":
                    start = value
            elif spec.kind == FieldKind.INT and value:
                value = int(value)
            too_long = self._too_long(spec, value) if isinstance(value, str) else None
            if too_long is not None:
                errors.append((spec.name, too_long))
                continue
            values[spec.name] = value if value != "" else None
        meeting = self.meeting
        if meeting is not None and "starts_at" in touched and "ends_at" not in touched \
                and values.get("starts_at") and values.get("ends_at") \
                and meeting.starts_at is not None and meeting.ends_at is not None:
            # A new start alone moves the meeting, its end with it (keeping its length),
            # as `meettui edit --start` does: a start moved past the old end was refused
            # ("End must be after the start") for an end the user never touched.
            values["ends_at"] = values["starts_at"] + (meeting.ends_at - meeting.starts_at)
        start, end = values.get("starts_at"), values.get("ends_at")
        if not errors and start and end and end <= start:
            errors.append(("ends_at", "End must be after the start."))
        # Every field's error at once; the first is focused (the one a Tab order meets).
        for number, (name, message) in enumerate(errors):
            self.show_error(name, message, focus=number == 0)
        if errors:
            return None
        options = {k: v for k, v in values.items() if k not in BASE_NAMES and v is not None}
        if self.editing:
            # Only send what can change and was changed: fixed-at-creation fields keep
            # their values, and an untouched box (a lock left as it showed) is no
            # edit: sent, it would make a provider that edits by recreating do so.
            editable = {f.name for f in self.fields() if f.editable}
            options = {k: v for k, v in options.items() if k in editable and k in touched}
        return MeetingSpec(
            title=values.get("title") or "",
            starts_at=values.get("starts_at"),
            ends_at=values.get("ends_at"),
            options=options,
        )
