"""The edit form sends what the user changed, and the meeting's own values for what they
left alone: a time shown to the minute is not read back from its text (09:01:20 came
back as 09:01:00), so the edit of a title alone moved the meeting, and 24sessions
rescheduled it and told its guest."""

import json
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from states import DEMO_NOW, demo_app, open_edit_form, settle, show_account
from tui_data import screen_text

from meettui.core.models import Meeting, MeetingSpec
from meettui.simulators.registry import demo_spec
from meettui.tui.screens.form import MeetingFormScreen

SECONDS = timedelta(days=2, minutes=3, seconds=51)
"""A start two days ahead, with seconds (as `+2d` gives one)."""

# Every demo provider whose form shows a time or a title to edit, with what a meeting of
# it needs to be made (the guest of a 24sessions appointment).
CASES = {
    "24sessions": {"guest_name": "Bo", "guest_email": "bo@example.com"},
    "accelevents": {},
    "whereby": {},
    "eyeson": {},
    "jitsi": {},
}


def _account(kind: str) -> str:
    if kind == "jitsi":
        return "jitsi"
    spec = demo_spec(kind)
    assert spec is not None
    return spec.account


def _times(meeting: Meeting) -> tuple:
    return meeting.starts_at, meeting.ends_at, meeting.expires_at


def _record(app, account: str) -> list[tuple[str, str, dict]]:
    """The writes the app sends to `account`'s simulator, as (method, path, JSON body)."""
    sent: list[tuple[str, str, dict]] = []
    transport = app.service.transports.get(account)
    if transport is None:  # a provider with no server (Jitsi)
        return sent
    inner = transport.handle_async_request

    async def handle(request):
        if request.method in ("POST", "PUT", "PATCH"):
            body = request.content
            try:
                fields = json.loads(body) if body else {}
            except ValueError:  # a form's body
                fields = dict(parse_qsl(body.decode()))
            sent.append((request.method, request.url.path, fields))
        return await inner(request)

    transport.handle_async_request = handle
    return sent


async def _made(pilot, kind: str, title: str) -> Meeting:
    """A meeting of `kind` made as `meettui create --start +2d` makes it: times with
    seconds; then shown alone in the list, highlighted."""
    app = pilot.app
    account = _account(kind)
    await show_account(pilot, account)
    start = DEMO_NOW + SECONDS
    caps = app.service.capabilities(account)
    times = {name: value for name, value in (("starts_at", start),
                                             ("ends_at", start + timedelta(minutes=30)))
             if not ((field := caps.field(name)) is not None and field.hidden)}
    meeting = await app.service.create(account, MeetingSpec(
        title=title, options=CASES[kind], **times))
    await pilot.press("slash", *title, "enter")
    await settle(pilot)
    assert app.screen.selected.id == meeting.id
    return meeting


@pytest.mark.parametrize("kind", list(CASES))
async def test_a_title_edit_in_the_form_keeps_the_times_to_the_second(tmp_path, kind):
    app = demo_app(tmp_path, providers=tuple(k for k in CASES if k != "jitsi"))
    async with app.run_test(size=(100, 40)) as pilot:
        made = await _made(pilot, kind, "S24 seconds")
        made = app.service.cached(made.account, made.id)
        assert made is not None
        sent = _record(app, made.account)
        await open_edit_form(pilot)
        await pilot.press("end", "space", "2", "ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not isinstance(app.screen, MeetingFormScreen), screen_text(app)
        now = app.service.cached(made.account, made.id)
        assert now is not None and now.title == "S24 seconds 2"
        # To the second, in the cache and (read back) at the provider.
        assert _times(now) == _times(made)
        if kind != "jitsi":
            fresh = await app.service.pool.get(made.account).get(made.id)
            assert (fresh.starts_at, fresh.ends_at) == (made.starts_at, made.ends_at)
        if kind == "24sessions":
            # Only the description: no new date (24sessions would email the guest).
            assert [body for _method, _path, body in sent] == [{"description": "S24 seconds 2"}]


async def test_a_new_start_alone_moves_the_end_keeping_the_length(tmp_path):
    # The end the user left alone moves with the start, by the meeting's own length to
    # the second (not from the minute its field shows), as `meettui edit --start` does.
    app = demo_app(tmp_path, providers=())
    async with app.run_test(size=(100, 40)) as pilot:
        made = await _made(pilot, "jitsi", "Moved")
        form = await open_edit_form(pilot)
        form.query_one("#field-starts_at").value = "2026-11-26 09:00"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        now = app.service.cached(made.account, made.id)
        assert now is not None
        assert now.starts_at == DEMO_NOW.replace(day=26, hour=9, minute=0)
        assert now.ends_at == now.starts_at + (made.ends_at - made.starts_at)


def _start_and_end(kind: str) -> bool:
    """Whether `kind`'s form shows both a Start and an End (a base field a provider does
    not override is shown; an End showing another time is not one)."""
    from meettui.core.registry import provider_class
    from meettui.tui.screens.form_fields import form_fields

    shown = {f.name: f for f in form_fields(provider_class(kind).capabilities.fields)}
    return "starts_at" in shown and "ends_at" in shown and shown["ends_at"].shows is None


@pytest.mark.parametrize("kind", [kind for kind in CASES if _start_and_end(kind)])
async def test_a_start_moved_past_the_old_end_takes_the_end_along(tmp_path, kind):
    # "End must be after the start." refused a new start alone when it was after the
    # meeting's end: the End the user never touched moves with it, keeping the length.
    app = demo_app(tmp_path, providers=tuple(k for k in CASES if k != "jitsi"))
    async with app.run_test(size=(100, 40)) as pilot:
        made = await _made(pilot, kind, "Moved later")
        made = app.service.cached(made.account, made.id)
        assert made is not None and made.starts_at and made.ends_at
        form = await open_edit_form(pilot)
        form.query_one("#field-starts_at").value = "2026-11-29 15:00"
        moved = DEMO_NOW.replace(day=29, hour=15, minute=0)
        length = made.ends_at - made.starts_at
        spec = form.collect()
        assert spec is not None, screen_text(app)
        assert (spec.starts_at, spec.ends_at) == (moved, moved + length)
        if kind == "whereby":
            return  # its edit makes a new room, after a question: the spec is what counts
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not isinstance(app.screen, MeetingFormScreen), screen_text(app)
        now = app.service.cached(made.account, made.id)
        assert now is not None
        assert (now.starts_at, now.ends_at) == (moved, moved + length)


async def test_an_end_the_user_changed_stays_as_typed_and_is_checked(tmp_path):
    app = demo_app(tmp_path, providers=())
    async with app.run_test(size=(100, 40)) as pilot:
        made = await _made(pilot, "jitsi", "Both moved")
        form = await open_edit_form(pilot)
        form.query_one("#field-starts_at").value = "2026-11-29 15:00"
        form.query_one("#field-ends_at").value = "2026-11-29 14:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "End must be after the start." in screen_text(app)
        form.query_one("#field-ends_at").value = "2026-11-29 17:00"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        now = app.service.cached(made.account, made.id)
        assert now is not None
        assert now.ends_at == DEMO_NOW.replace(day=29, hour=17, minute=0)
