"""A change whose outcome is not known (its answer was lost, it timed out, a 5xx after
the work: `OutcomeUnknown`) is never titled as failed: "Not saved" beside "the change may
have been made" invited saving it twice. The form says "Maybe saved", how to check, and
asks before saving again; a delete says "Maybe deleted", an action "Maybe done"."""

from __future__ import annotations

from states import demo_app, show_account

from meettui.core.errors import OutcomeUnknown, Unavailable
from meettui.tui.app_failures import failure_title
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.form import MeetingFormScreen


def titled(app, monkeypatch) -> list[tuple[str, str]]:
    """Every notification from now on as (title, message)."""
    seen: list[tuple[str, str]] = []
    real = app.notify

    def spy(message, **kwargs):
        seen.append((kwargs.get("title", ""), message))
        real(message, **kwargs)

    monkeypatch.setattr(app, "notify", spy)
    return seen


async def open_new_form(pilot, app) -> MeetingFormScreen:
    await show_account(pilot, "whereby-demo")
    await pilot.press("n")
    form = app.screen
    assert isinstance(form, MeetingFormScreen)
    form.query_one("#field-title").value = "Board"
    form.query_one("#field-ends_at").value = "+1h"
    return form


async def save(pilot, app) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_lost_save_is_maybe_saved_and_save_asks_before_trying_again(tmp_path,
                                                                          monkeypatch):
    app = demo_app(tmp_path)
    calls = []

    async def lost(account, spec):
        calls.append(spec.title)
        raise OutcomeUnknown("POST /meetings → 500: Internal Server Error; the change may "
                             "have been made before the server failed", provider="whereby",
                             status=500)

    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_form(pilot, app)
        monkeypatch.setattr(form.service, "create", lost)
        seen = titled(app, monkeypatch)
        await save(pilot, app)
        assert calls == ["Board"]
        title, message = seen[-1]
        assert title == "Maybe saved"
        assert message == (
            "whereby: POST /meetings → 500: Internal Server Error; the change may have been "
            "made before the server failed. The provider may have done it: refresh and check "
            "before you try again, so that nothing is done twice. To see whether it was "
            "saved, close this form (esc) and refresh the list (^r); Save asks before "
            "saving again.")
        assert str(form.query_one("#save").label) == "Save again (Ctrl+S)"
        # Save again asks first; "Keep editing" sends nothing.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen._title == "Save 'Board' again?"
        assert "may make a second one" in app.screen._body
        # Said as it was: the provider answered 500 ("its answer was lost" was said).
        assert app.screen._body.startswith("The last save may have made the meeting: the "
                                           "provider answered 500, which may come after "
                                           "the work.")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and calls == ["Board"]
        # Said yes to, it saves.
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert calls == ["Board", "Board"]


async def test_a_save_that_was_refused_is_still_not_saved(tmp_path, monkeypatch):
    app = demo_app(tmp_path)

    async def refused(account, spec):
        raise Unavailable("POST /meetings failed: connection problem (ConnectError)",
                          provider="whereby")

    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_form(pilot, app)
        monkeypatch.setattr(form.service, "create", refused)
        seen = titled(app, monkeypatch)
        await save(pilot, app)
        assert seen[-1][0] == "Not saved"
        assert str(form.query_one("#save").label) == "Save (Ctrl+S)"
        await pilot.press("ctrl+s")  # no question: nothing was made
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)


async def test_a_lost_delete_is_maybe_deleted(tmp_path, monkeypatch):
    app = demo_app(tmp_path)

    async def lost(account, meeting_id):
        raise OutcomeUnknown("DELETE /meetings/x got no answer within 15 s",
                             provider="whereby")

    async with app.run_test(size=(120, 40)) as pilot:
        await show_account(pilot, "whereby-demo")
        monkeypatch.setattr(app.service, "delete", lost)
        seen = titled(app, monkeypatch)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen[-1][0] == "Maybe deleted"


def test_any_other_failure_of_unknown_outcome_is_maybe_done():
    assert failure_title(OutcomeUnknown("POST /x got no answer within 15 s")) == "Maybe done"
    assert failure_title(Unavailable("POST /x failed")) == "Provider error"


async def test_a_save_made_but_not_read_back_is_saved_not_re_read(tmp_path, monkeypatch):
    # The provider made it (its answer said so) but the read-back failed: the form
    # closes, as after any save, and the toast says so ("Not saved" or "Maybe saved"
    # would invite a second one).
    app = demo_app(tmp_path)
    said = ("whereby-demo (whereby): POST /meetings was done (meeting m1), but meettui "
            "could not read it back. What is shown is what meettui sent; refresh to see it "
            "as the provider has it. Do not do it again.")

    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_form(pilot, app)
        real = form.service.create

        async def made(account, spec):
            meeting = await real(account, spec)
            return meeting.model_copy(update={"unread": said})

        monkeypatch.setattr(form.service, "create", made)
        seen = titled(app, monkeypatch)
        await save(pilot, app)
        assert app.screen is not form
        assert seen[-1] == ("Saved, not re-read", said)
