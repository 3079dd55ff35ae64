""""Save calendar file…" from the palette: the highlighted meeting as an iCalendar file
(RFC 5545, `core/ics.py`), with its guest link only, saved where the user says (the
offer: ~/Downloads, else the current folder). The file is small, so it is written at
once; a file that exists is replaced only once the user says so, meettui's own files
never, and a path that cannot be written is said at the path, naming why, the dialog
still open to give another (never a crash)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from meettui.core import ics
from meettui.core.capabilities import ActionSpec, FieldSpec
from meettui.core.dead_links import dead_link
from meettui.core.models import Meeting
from meettui.core.wording import key
from meettui.core.write_failure import cannot_write

if TYPE_CHECKING:
    from meettui.tui.app import MeettuiApp


def save_calendar_file(app: MeettuiApp, meeting: Meeting) -> None:
    """Ask where to save `meeting`'s calendar file, then write it and say where.
    A meeting that cannot be an event (no start time…) is refused with the reason."""
    from meettui.tui.screens.action import ActionFormScreen

    reason = ics.why_left_out(meeting, app.clock.now())
    if reason is not None:
        advice = ""
        dead = dead_link(meeting, app.clock.now())
        if dead is not None and dead.status is not None:
            # Expired: how to meet (a new meeting), as the full-screen QR says it.
            advice = f" To meet, make a new meeting ({key('meeting.new', 'n')})."
        elif meeting.missing:
            # As `meettui ics ID` says it, in the app's words: refresh, or forget it.
            from meettui.core.service_checks import gone_advice

            advice = " " + gone_advice(meeting)
        elif meeting.starts_at is None:
            settable = (app.service.capabilities_for(meeting).takes_start()
                        and app.service.can_write(meeting.account) is None)
            advice = " " + ics.no_start_advice(meeting, start_settable=settable)
        app.notify(f"This meeting cannot be a calendar event: {reason}.{advice}",
                   severity="warning")
        return
    # The action form asks for the path: a one-field form like any action's.
    ask = ActionSpec(
        name="save_calendar", label="Save calendar file",
        help="An iCalendar (.ics) file with the meeting's time and guest link, for a "
             "calendar app. Host links never go in it.",
        fields=(FieldSpec(name="path", label="Save as", required=True,
                          default=str(ics.default_path(meeting)),
                          help="a file path (~ is your home folder)"),),
    )

    def submit(form: ActionFormScreen, params: dict[str, Any]) -> None:
        write(form, Path(str(params["path"])), replace=False)

    def write(form: ActionFormScreen, path: Path, *, replace: bool) -> None:
        # Whatever goes wrong is said at the path, the dialog still open with it: closed,
        # the path typed was lost with it.
        try:
            data = ics.one(meeting, app.service.clock.now()).data
            written = ics.write_file(path, data, replace=replace)
        except FileExistsError:
            from meettui.tui.screens.confirm import ConfirmScreen

            # "Keep it" goes back to the dialog, to give another path.
            app.push_screen(
                ConfirmScreen(f"Replace {path.name}?", f"{path} exists; saving replaces it.",
                              yes="Replace", no="Keep it"),
                lambda ok: write(form, path, replace=True) if ok else None)
            return
        except OSError as exc:
            # The same words as the command line's, a file name of this kind offered
            # for a folder (it said "Cannot write …: Is a directory." and no more).
            failure = cannot_write(str(path.expanduser()), exc,
                                   example=ics.file_name(meeting))
            form.show_error("path", failure.paragraph())
            app.notify(failure.as_lines(), title="Not saved", severity="error",
                       toast=False)
            return
        form.dismiss(None)
        # (notify shows provider and user text literally: control characters escaped)
        app.notify(f"Saved calendar file {written}")

    app.push_screen(ActionFormScreen(ask, meeting, submit=submit))
