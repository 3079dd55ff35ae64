""""Paste a meeting link": a small modal with one input, prefilled from the clipboard
when it holds a link, and the import that follows (`core/importing.py`).

The link is checked as it is typed (`core/links.py`, pure and instant): the line under
the input says which service it is and whether it may be shared, or why it is refused.
Enter imports it; a link of a meeting meettui manages selects that meeting instead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from meettui.core.config import Config
from meettui.core.display import printable
from meettui.core.errors import MeettuiError
from meettui.core.importing import ImportResult, import_link, recognise_for
from meettui.core.links import MAX_LINK, BadLink
from meettui.tui.screens.base import MeettuiModal
from meettui.tui.widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from meettui.tui.screens.main import MainScreen

log = logging.getLogger("meettui.tui")

RECOGNISED = ("Zoom, Microsoft Teams, Google Meet, Webex, GoTo, Amazon Chime, Jitsi and the "
              "providers meettui manages; any other https link is kept as a plain link.")


def clipboard_link() -> str:
    """The system clipboard's text when it is one http(s) link, else "" (no clipboard,
    other text, or something too long to be a link). Never raises; may take a moment
    (it runs xclip or wl-paste), so it is called off the UI thread."""
    try:
        import pyperclip

        text = pyperclip.paste()
    except Exception:  # noqa: BLE001 - no clipboard tool, no display: nothing to prefill
        log.debug("clipboard unavailable", exc_info=True)
        return ""
    text = text.strip() if isinstance(text, str) else ""
    if len(text) > MAX_LINK or not text.lower().startswith(("https://", "http://")) \
            or any(c.isspace() for c in text):
        return ""
    return text


def describe(config: Config, text: str) -> tuple[str, bool]:
    """What the line under the input says about `text`, and whether it can be imported."""
    if not text.strip():
        return "Paste or type a meeting link.", False
    try:
        rec = recognise_for(config, text)
    except BadLink as exc:
        return str(exc), False
    what = f"{rec.service_name} {rec.kind}" + (f" {rec.meeting_id}" if rec.meeting_id else "")
    notes = "".join(f" {note}" for note in rec.notes)
    if rec.shareable:
        return f"{what}: shareable (a guest link).{notes}", True
    return f"{what}: NOT shareable, kept as a host link ({rec.why}).{notes}", True


class LinkInput(OrderedInput):
    """The dialog's one field. A paste of several lines is kept whole, its line breaks
    as spaces, so that the verdict refuses it as `meettui import` does ("holds a space
    or a line break … one link at a time"): Textual's Input keeps a paste's first line
    only, and the dialog imported the first of two links without a word. Blank lines
    and the spaces around a line are left out."""

    def _on_paste(self, event: events.Paste) -> None:
        # Blank lines around a link are no second link (Textual's own took a paste that
        # began with a line break as nothing at all).
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        event.prevent_default()
        event.stop()
        if not lines:
            return
        text = " ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)


class PasteLinkScreen(MeettuiModal[str | None]):
    """The modal; dismisses with the link to import, or None."""
    HELP_TITLE = "Paste a meeting link"

    DEFAULT_CSS = """
    PasteLinkScreen { align: center middle; }
    PasteLinkScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    PasteLinkScreen #paste-title { text-style: bold; }
    PasteLinkScreen #paste-help { color: $text-muted; }
    PasteLinkScreen #paste-verdict { height: auto; min-height: 1; }
    PasteLinkScreen #paste-verdict.refused { color: $error; }
    PasteLinkScreen Horizontal { height: auto; align-horizontal: right; }
    PasteLinkScreen Button { margin-left: 2; }
    PasteLinkScreen.-short Button, PasteLinkScreen.-short #paste-cancel,
    PasteLinkScreen.-short #paste-import { height: 1; min-width: 0; border: none; }
    """
    # Under 20 rows the buttons take one line each (Esc and Enter do the same): at 40x12
    # they were below the dialog's edge.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="paste.cancel")]

    def __init__(self, config: Config, *, read_clipboard: bool = True) -> None:
        super().__init__()
        self._config = config
        self._read_clipboard = read_clipboard

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Paste a meeting link", id="paste-title")
            yield Static(Text(RECOGNISED), id="paste-help")
            yield LinkInput(placeholder="https://…", id="paste-link")
            yield Static(id="paste-verdict")
            with Horizontal():
                yield Button(f"Cancel ({self.button_key('paste.cancel', 'Esc')})",
                             id="paste-cancel")
                yield Button("Import (Enter)", id="paste-import", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._show("")
        if self._read_clipboard:
            self.run_worker(self._prefill(), exit_on_error=False, group="paste-clipboard")

    async def _prefill(self) -> None:
        text = await asyncio.to_thread(clipboard_link)
        box = self.query_one(Input)
        if text and not box.value:  # what the user typed meanwhile wins
            box.value = text
            box.cursor_position = len(text)

    def _show(self, text: str) -> bool:
        verdict, ok = describe(self._config, text)
        line = self.query_one("#paste-verdict", Static)
        line.update(Text(printable(verdict)))
        line.set_class(bool(text.strip()) and not ok, "refused")
        self.query_one("#paste-import", Button).disabled = not ok
        return ok

    @on(Input.Changed, "#paste-link")
    def _changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#paste-link")
    def _submitted(self, event: Input.Submitted) -> None:
        self._import()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "paste-import":
            self._import()
        else:
            self.dismiss(None)

    def _import(self) -> None:
        text = self.query_one(Input).value
        if self._show(text):
            self.dismiss(text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_import(main: MainScreen, text: str) -> None:
    """Import `text` in a worker (a managed account may be read first), then select the
    meeting and say what happened. The keys typed meanwhile wait until it is selected
    (`MainScreen.holds_key`): `p URL Enter d y` deleted the meeting highlighted before,
    while a provider was read to find the link's."""
    main.importing += 1
    main.run_worker(_import(main, text), group="import-link", exit_on_error=False,
                    description="import a link")


async def _import(main: MainScreen, text: str) -> None:
    app = main.app
    try:
        try:
            result = await import_link(main.service, text)
        except BadLink as exc:
            app.notify(str(exc), title="Link refused", severity="error", timeout=10)
            return
        except MeettuiError as exc:
            app.notify(exc.message, title="Import", severity="error", timeout=10)
            return
        _show_result(main, result)
    finally:
        # After the list's reload that selects it (queued before this).
        main.call_after_refresh(_imported, main)


def _imported(main: MainScreen) -> None:
    main.importing -= 1


def _show_result(main: MainScreen, result: ImportResult) -> None:
    app = main.app
    meeting = result.meeting
    for warning in result.warnings:
        app.notify(f"{warning}; imported as a copy.", severity="warning", timeout=10)
    if result.existing:
        app.notify(f"Already in {meeting.account}: {meeting.id}.", title="Import")
    else:
        rec = result.recognised
        app.notify(result.message + "".join(f"\n{note}" for note in rec.notes),
                   title="Imported", severity="information" if rec.shareable else "warning")
    if meeting.account not in main.scope:
        app.set_scope(None)  # the list shows another account: show them all
    main.call_after_refresh(main.table.reload, meeting)
    main.call_after_refresh(main.update_status)
