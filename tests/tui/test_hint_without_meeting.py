"""The hint line (30 rows or more) offers the keys that act on a meeting only where
there is one: on an empty list it said "Q QR for a guest · y copy the link", keys
greyed there."""

from __future__ import annotations

from states import demo_app, settle

from meettui.tui.screens.main_status import hint_for


def _hint(app) -> str:
    return str(app.screen.query_one("#hint").render())


async def test_the_hint_leaves_out_the_keys_of_a_meeting_while_the_list_is_empty(tmp_path):
    app = demo_app(tmp_path, providers=("whereby",))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "QR for a guest" in _hint(app) and "copy the link" in _hint(app)
        await pilot.press("slash")
        for key in "zzzqqqxxx":
            await pilot.press(key)
        await settle(pilot)
        assert app.screen.selected is None
        hint = _hint(app)
        assert "QR for a guest" not in hint and "copy the link" not in hint, hint
        assert "details" not in hint and "n new meeting" in hint and "? keys" in hint
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.selected is not None
        assert "QR for a guest" in _hint(app)


def test_hint_for_without_a_meeting_has_room_for_the_rest():
    keys = {"qr.open": "Q", "copy.shareable": "y", "meeting.new": "n", "list.filter": "/",
            "detail.full": "i", "app.help": "?"}
    assert hint_for(200, keys.get, selected=False) == "Try: n new meeting · / filter · ? keys"
    assert hint_for(200, keys.get).startswith("Try: Q QR for a guest · y copy the link")
