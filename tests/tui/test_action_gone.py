"""A provider action on a meeting removed upstream since the list was read: the
provider's 404 marks the row gone at once and is said as the edit form says it ("…
no longer exists …: it was removed elsewhere"), titled "Gone". It was a "Provider
error" toast with "GET /permalink/… → 404 Not Found. It may have been deleted or
expired upstream; refresh the list.", the row as it was."""

from __future__ import annotations

from states import demo_app, settle, show_account

from meettui.core.errors import NotFound


async def test_an_action_that_finds_the_meeting_gone_marks_it_and_says_so(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        main, service = app.screen, app.service
        meeting = main.selected
        spec = next(a for a in service.capabilities_for(meeting).actions
                    if not a.dangerous and not a.removes)

        async def removed(meeting_id, action, params, *, kept=None):
            raise NotFound(f"GET /permalink/{meeting_id} → 404 Not Found", provider="eyeson")

        service.provider("eyeson-demo").run_action = removed
        main._start_action(meeting, spec.name, {})  # (as the palette's form submits it)
        await settle(pilot)
        await pilot.pause()
        severity, said = app.messages[-1]
        assert "no longer exists in 'eyeson-demo': it was removed elsewhere. Nothing was " \
               "done." in said, said
        assert "404" not in said and "refresh the list." not in said
        assert service.cached("eyeson-demo", meeting.id).missing
        assert main.selected.id == meeting.id and main.selected.missing
