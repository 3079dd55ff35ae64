"""`d` on a meeting gone at the provider already (a row marked gone: the last full
sync no longer saw it) says so, and only meettui's copy is forgotten: nothing is sent.
It asked "The meeting is deleted at the provider. Its links stop working and anyone in
it is removed." of a Whereby room that had expired."""

from __future__ import annotations

import pytest
from states import demo_app, settle, show_account

from meettui.tui.screens.confirm import ConfirmScreen


@pytest.mark.parametrize("provider", ["whereby", "eyeson", "24sessions", "accelevents"])
async def test_deleting_a_meeting_gone_upstream_only_forgets_it(tmp_path, provider):
    app = demo_app(tmp_path, providers=(provider,))
    account = f"{provider}-demo"
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, account)
        main, service = app.screen, app.service
        meeting = main.selected
        service.cache.mark_missing(account, meeting.id)
        main.table.reload(keep=meeting)
        await settle(pilot)
        assert main.selected.missing and main.selected.id == meeting.id
        sent: list[str] = []
        provider_client = service.provider(account)

        async def delete(meeting_id):
            sent.append(meeting_id)

        provider_client.delete = delete
        await pilot.press("d")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question._title.startswith("Forget ")
        assert question._body == (
            "It is gone at the provider already (the last refresh no longer found it "
            "there): nothing is sent to the provider, and only meettui's copy is "
            "forgotten.")
        assert "Links stop working" not in question._body
        await pilot.press("y")
        await settle(pilot)
        assert sent == []
        assert service.cached(account, meeting.id) is None
        assert app.messages[-1][1].startswith("Forgot '")
