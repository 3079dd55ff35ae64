"""Dialogs whose fields each have an error line under them (the meeting form, the action
form): the line takes a row only while it says something, and what it says goes once the
field's value changes, Save or Run checking again as before. An error stayed after the
field was corrected ("Name is required." under a name typed since), until the next save.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static

from meettui.tui.screens.base import MeettuiModal

ResultType = TypeVar("ResultType")

SAID = "-said"
"""The class of an error line that says something (`display: block` in the dialogs'
CSS; without it the line takes no row)."""


class FieldErrorsModal(MeettuiModal[ResultType]):
    """A modal whose field `name` is the widget `#{FIELD_PREFIX}{name}` and its error
    line the Static `#{ERROR_PREFIX}{name}` (class `field-error`)."""

    FIELD_PREFIX: ClassVar[str] = "field-"
    ERROR_PREFIX: ClassVar[str] = "error-"

    def __init__(self) -> None:
        super().__init__()
        self._said_at: dict[str, Any] = {}
        """The value each field held when its error was said, by field name."""

    def field_error(self, name: str) -> Static | None:
        """The error line of field `name`, or None when the dialog has no such field."""
        found = next(iter(self.query(f"#{self.ERROR_PREFIX}{name}")), None)
        return found if isinstance(found, Static) else None

    def _field_value(self, name: str) -> Any:
        widget = next(iter(self.query(f"#{self.FIELD_PREFIX}{name}")), None)
        return getattr(widget, "value", None) if widget is not None else None

    def say_at(self, name: str, message: str) -> bool:
        """Say `message` under field `name` ("" empties the line), kept until the field's
        value changes; False when there is no such field (nothing said)."""
        error = self.field_error(name)
        if error is None:
            return False
        error.update(Text(message))
        error.set_class(bool(message), SAID)
        if message:
            self._said_at[name] = self._field_value(name)
        else:
            self._said_at.pop(name, None)
        self.call_after_refresh(self.fields_moved)
        return True

    def clear_field_errors(self) -> None:
        """Empty every field's error line (before a new check)."""
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.remove_class(SAID)
        self._said_at.clear()
        self.call_after_refresh(self.fields_moved)

    def fields_moved(self) -> None:
        """Called once an error line that came or went has moved the fields below it
        (laid out again): a dialog that says where its fields are overrides it."""

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        # Compared with the value the error was said for, not cleared at any Changed:
        # the Changed of the last key of a burst ("abc" then Ctrl+S) can arrive after
        # the save said what is wrong with "abc", and must not take that away.
        widget: Widget = event.control
        name = (widget.id or "").removeprefix(self.FIELD_PREFIX)
        if name not in self._said_at or not (widget.id or "").startswith(self.FIELD_PREFIX):
            return
        if getattr(widget, "value", None) != self._said_at[name]:
            self.say_at(name, "")
