"""Save in the create and edit forms (`MeetingFormScreen`, `form.py`, extends
`MeetingFormSave`): what is sent (nothing when nothing changed; a question first when
saving replaces the meeting, or when the last save's answer was lost and a second may
make it twice), the save in a worker while the form says it is saving, and what each
answer does to the form (closed with the result, an error at its field, "may have been
saved")."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Button, Input, Static

from meettui.core.display import ellipsize, named, quoted
from meettui.core.errors import MeettuiError, NotFound, ValidationError, maybe_done
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.service_writes import UpdateResult
from meettui.tui.app_writes import TITLE_SHOWN, Write, write_on
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.form_fields import MeetingFormFields


class MeetingFormSave(MeetingFormFields):
    """The form's Save (see the module docstring)."""

    # Set by MeetingFormScreen (see there).
    busy: bool
    maybe_saved: bool
    _maybe_status: int | None
    _heading: str

    # -- submit -----------------------------------------------------------------------

    def action_submit(self) -> None:
        if self.busy:
            return
        if self.maybe_saved:
            # The last save's answer was lost: it may have been made, and a second one
            # would make the meeting twice (or send the change again).
            self.app.push_screen(
                ConfirmScreen(f"Save {self._named()} again?", self._save_again_warning(),
                              yes="Save again", no="Keep editing"),
                lambda ok: self._submit() if ok else None,
            )
            return
        self._submit()

    def _named(self) -> str:
        """The meeting this form saves, as a question names it: the one edited, or the
        title typed for a new one."""
        if self.meeting is not None:
            return named(self.meeting.title, self.meeting.id)
        typed = self.query_one("#field-title", Input).value.strip()
        return quoted(typed) if typed else "the new meeting"

    def _save_again_warning(self) -> str:
        # "Its answer was lost" was said of a save the provider answered 503.
        why = (f"the provider answered {self._maybe_status}, which may come after the "
               "work" if self._maybe_status else "its answer was lost")
        if self.editing:
            return (f"The last save may have been made: {why}. Refresh the list first to "
                    "see whether the change is there; saving again sends it again.")
        return (f"The last save may have made the meeting: {why}. Saving again may make "
                "a second one; refresh the list first to see whether it is there.")

    def _check_first(self) -> str:
        """How to find out whether a save whose answer was lost was made, in the keys of
        this form and of the list under it (after the user's keymap)."""
        close = next((self.app.get_key_display(active.binding)
                      for active in self.active_bindings.values()
                      if active.binding.id == "form.cancel"), "Esc")
        refresh = getattr(self.app, "key_shown", lambda _: None)("list.refresh") or "Ctrl+R"
        for screen in self.app.screen_stack:  # the list is under the form
            keys_for = getattr(screen, "keys_for", None)
            if keys_for is not None and (keys := keys_for("list.refresh")):
                refresh = keys.split(" / ")[0]
                break
        return (f"To see whether it was saved, close this form ({close}) and refresh the "
                f"list ({refresh}); Save asks before saving again.")

    def _submit(self) -> None:
        if self.editing and not self.changed:
            # Saved as it opened: nothing is sent. A provider that edits by recreating
            # would otherwise replace the meeting, and every link with it, for nothing.
            self.app.notify("Nothing to change: the meeting is as it was.",
                            title="Not saved", timeout=5)
            self.dismiss(None)
            return
        spec = self.collect()
        if spec is None:
            return
        meeting = self.meeting
        if meeting is not None and self.service.changes_nothing(meeting, spec):
            # Changed back to what the meeting has (an end typed anew as it stood, a
            # title retyped): nothing to send either; the service would refuse it.
            self.app.notify("Nothing to change: the meeting is as it was.",
                            title="Not saved", timeout=5)
            self.dismiss(None)
            return
        if meeting is not None and self.service.replaces(meeting, spec):
            # Saving replaces the meeting: every link anyone was given stops working.
            # Asked here as `meettui edit` asks.
            display_name = self.service.display_name(self.account)
            self.app.push_screen(
                ConfirmScreen(
                    f"Replace {named(meeting.title, meeting.id)}?",
                    f"{display_name} cannot edit a meeting in place: saving creates a new "
                    "meeting with these changes and deletes this one. Every link changes, "
                    "and anyone with the old links can no longer join.",
                    yes="Replace", no="Keep editing",
                ),
                lambda ok: self._start_save(spec) if ok else None,
            )
            return
        self._start_save(spec)

    def _start_save(self, spec: MeetingSpec) -> None:
        if self.busy:
            return
        self._saving(True)
        self.run_worker(self._save(spec), group="form-save", exclusive=True,
                        exit_on_error=False)

    def _write(self, spec: MeetingSpec) -> Write:
        """What the save of `spec` is, while it is under way (`MeettuiApp.writes`)."""
        meeting = self.meeting
        if meeting is None:
            return Write(f"Saving the new meeting {quoted(ellipsize(spec.title, TITLE_SHOWN))}"
                         if spec.title else "Saving a new meeting", account=self.account)
        return write_on("Replacing" if self.service.replaces(meeting, spec) else "Saving",
                        meeting)

    async def _save(self, spec: MeetingSpec) -> None:
        with self.app.under_way(self._write(spec)):
            await self._send(spec)

    async def _send(self, spec: MeetingSpec) -> None:
        try:
            if self.meeting is None:
                result: Meeting | UpdateResult = await self.service.create(self.account, spec)
            else:
                result = await self.service.update(self.account, self.meeting.id, spec)
        except NotFound:
            self._on_top()
            # Removed elsewhere (another meettui, the provider's site) since the list
            # was read: there is nothing left to save into.
            title = quoted(self.meeting.title) if self.meeting else "This meeting"
            self.app.notify(f"{title} no longer exists: it was removed elsewhere. "
                            "Nothing was saved; the list is refreshed.",
                            title="Gone", severity="warning", timeout=10)
            self.dismiss(None)
            return
        except ValidationError as exc:
            self.show_error(exc.field, exc.message, title="Not saved")
        except MeettuiError as exc:
            maybe = maybe_done(exc, "saved")
            if maybe is None:
                self.show_error(None, exc.paragraph(), title="Not saved")
            else:
                # Not "Not saved": the provider may have made it (the message says so).
                self.maybe_saved = True
                self._maybe_status = getattr(exc, "status", None)
                self.show_error(None, f"{exc.paragraph()} {self._check_first()}", title=maybe)
        else:
            self._on_top()
            self.dismiss(result)
            return
        finally:
            self.busy = False
        self._saving(False)

    def writes_changed(self) -> None:
        """What the save waits for changed (a 429's wait began or ended): said in the
        heading (it waited 9 s under "saving…" alone)."""
        if self.busy and self.is_mounted:
            self._say_saving()

    def _say_saving(self) -> None:
        """The heading: the form's own, and while a save is under way "saving…" with
        what it waits for ("rate limited, retrying in 9 s")."""
        waiting = self.app.write_activity(self.account) if self.busy else None
        said = (f" — saving… ({waiting})" if waiting else " — saving…") if self.busy else ""
        self.query_one("#form-title", Static).update(Text(self._heading + said))

    def _on_top(self) -> None:
        """Close what was opened over the form while it saved (help, a question), so
        that the answer closes the form and not what is above it."""
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()

    def _saving(self, busy: bool) -> None:
        """Say that a save is under way (a slow provider took 3-30 s with no sign of it):
        in the heading, scrolled into view, and on the Save button, which waits
        meanwhile."""
        self.busy = busy
        button = self.query_one("#save", Button)
        button.disabled = busy
        save = self.button_key("form.save", "Ctrl+S")
        button.label = "Saving…" if busy else (
            f"Save again ({save})" if self.maybe_saved else f"Save ({save})")
        self._say_saving()
        heading = self.query_one("#form-title", Static)
        if busy:
            # On a short terminal the heading scrolls with the fields (and the button
            # is hidden): brought back into view to say so.
            heading.scroll_visible(animate=False, immediate=True)
