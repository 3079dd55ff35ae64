"""A change sent to a provider (a delete, a cancel, an action, a save) says it is under
way while the provider has not answered, and `q` then asks instead of quitting: `q` a
second after `d y` closed the app at once, the delete reached the provider, and the
cache never learnt it (the next `meettui list` showed the meeting "gone")."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from states import demo_app, open_edit_form, settle, show_account
from tui_data import screen_text

from meettui.core.display import ellipsize, quoted
from meettui.core.models import Status
from meettui.tui.screens.action import ActionFormScreen
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.main import MainScreen

WB_KEY = "held-answers-key-5c1e"


class HeldAnswers(httpx.AsyncBaseTransport):
    """Sends every request on; the answer to one whose method is in `methods` is held
    (the provider has done it, the client does not know yet) until `release()`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, methods: set[str]) -> None:
        self.inner = inner
        self.methods = methods
        self.answered = asyncio.Event()  # the provider has answered a held request
        self._gate = asyncio.Event()

    def release(self) -> None:
        self._gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method in self.methods:
            self.answered.set()
            await self._gate.wait()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def whereby_held(sim_server, sim_clock, monkeypatch):
    """(config, server, transport): a Whereby account "wb" on the simulator over
    127.0.0.1, its DELETE answers held."""
    server = sim_server("whereby", clock=sim_clock, meetings=3, api_key=WB_KEY,
                        rate_limit=1_000_000)
    monkeypatch.setenv("MEETTUI_TEST_WB_HELD", WB_KEY)
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
              f'base_url = "{server.base_url}"\nsecret_env = "MEETTUI_TEST_WB_HELD"\n')
    return config, server, HeldAnswers(httpx.AsyncHTTPTransport(), {"DELETE"})


def status_line(app) -> str:
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return str(main.query_one("#status-line").render())


async def _delete_held(pilot, transport) -> str:
    """`d y` on the highlighted meeting; returns its id once the provider has it."""
    app = pilot.app
    await settle(pilot)
    meeting = app.screen.selected
    await pilot.press("d", "y")
    await transport.answered.wait()
    await pilot.pause()
    return meeting.id


@pytest.mark.parametrize("size", [(120, 30), (80, 24)])
async def test_q_during_a_delete_asks_and_waiting_leaves_the_cache_as_the_provider_has_it(
        make_app, whereby_held, size):
    config, server, transport = whereby_held
    app = make_app([], config=config, transports={"wb": transport})
    async with app.run_test(size=size) as pilot:
        meeting_id = await _delete_held(pilot, transport)
        title = app.service.cached("wb", meeting_id).title
        named = quoted(ellipsize(title, 40))
        shown = f"Deleting {named}…"
        assert status_line(app).startswith(shown)
        await pilot.press("q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen) and app.return_code is None
        assert question._title == f"Deleting {named} is under way: quit anyway?"
        assert "Quit now and its outcome will be unknown" in question._body
        await pilot.press("n")  # wait
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.return_code is None
        assert status_line(app).startswith(shown)
        transport.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Done upstream, and the cache knows it: not a row left to show "gone" later.
        answer = httpx.get(f"{server.base_url}/meetings/{meeting_id}",
                           headers={"Authorization": f"Bearer {WB_KEY}"})
        assert answer.status_code == 404
        assert app.service.cached("wb", meeting_id) is None
        assert not status_line(app).startswith("Deleting")
        assert ("information", f"Deleted '{title}'.") in app.messages
        await pilot.press("q")  # nothing under way: quits at once
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_anyway_quits_and_says_the_outcome_is_unknown(make_app, whereby_held,
                                                                  capsys):
    config, _server, transport = whereby_held
    app = make_app([], config=config, transports={"wb": transport})
    async with app.run_test(size=(80, 24)) as pilot:
        await _delete_held(pilot, transport)
        capsys.readouterr()
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0
    # Said in the terminal once the app has gone.
    said = " ".join(capsys.readouterr().err.split())
    assert said.startswith("meettui quit while a change was under way (deleting '")
    assert said.endswith("whether the provider did it is unknown. `meettui list` shows what "
                         "it has now.")


async def test_the_question_closes_itself_when_the_change_ends(make_app, whereby_held):
    config, _server, transport = whereby_held
    app = make_app([], config=config, transports={"wb": transport})
    async with app.run_test(size=(80, 24)) as pilot:
        meeting_id = await _delete_held(pilot, transport)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        transport.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Nothing is under way: the question no longer applies; the app stays to say
        # how it went.
        assert isinstance(app.screen, MainScreen) and app.return_code is None
        assert app.service.cached("wb", meeting_id) is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def _hold(app, account: str, methods: set[str]) -> HeldAnswers:
    """Hold the answers of `account`'s demo simulator to `methods` requests."""
    held = HeldAnswers(app.service.transports[account], methods)
    app.service.transports[account] = held
    return held


async def _cancel(pilot, app) -> str:
    await pilot.press("d", "y")
    return "Cancelling"


def _start_label(app) -> str:
    """The start action's label for the meeting acted on (the demo's meeting on now
    runs already: "Join the running meeting as host")."""
    main = next(s for s in app.screen_stack if hasattr(s, "acted_on"))
    return app.service.capabilities_for(main.acted_on).action("start").label


async def _start_now(pilot, app) -> str:
    label = _start_label(app)
    await pilot.press("ctrl+p", *label.lower(), "enter")
    await pilot.pause()
    assert isinstance(app.screen, ActionFormScreen)
    await pilot.press("ctrl+s")
    return f"Running '{label}' on"


async def _replace(pilot, app) -> str:
    form = await open_edit_form(pilot)
    form.query_one("#field-starts_at").value = ""
    form.query_one("#field-ends_at").value = "+2h"
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("y")  # "Replace?"
    return "Replacing"


async def _edit_in_place(pilot, app) -> str:
    form = await open_edit_form(pilot)
    form.query_one("#field-starts_at").value = "+3h"
    await pilot.press("ctrl+s")
    return "Saving"


@pytest.mark.parametrize(("account", "methods", "change"), [
    ("24sessions-demo", {"DELETE", "PUT", "POST"}, _cancel),
    ("eyeson-demo", {"POST"}, _start_now),
    ("whereby-demo", {"POST"}, _replace),
    ("24sessions-demo", {"PUT", "POST", "PATCH"}, _edit_in_place),
], ids=["cancel", "action", "edit-that-replaces", "edit"])
async def test_every_change_says_it_is_under_way_and_q_asks(tmp_path, account, methods,
                                                            change):
    app = demo_app(tmp_path, providers=("whereby", "eyeson", "24sessions"))
    held = _hold(app, account, methods)
    async with app.run_test(size=(120, 30)) as pilot:
        await show_account(pilot, account)
        main = app.screen
        meeting = main.selected
        if account.startswith("24sessions"):
            # One not cancelled yet: its delete is a cancel.
            while main.service.capabilities_for(meeting).delete != "cancel" or \
                    meeting.status == Status.CANCELLED:
                await pilot.press("down")
                await pilot.pause()
                meeting = main.selected
        verb = await change(pilot, app)
        await held.answered.wait()
        await pilot.pause()
        doing = f"{verb} {quoted(ellipsize(meeting.title, 40))}"
        assert [write.doing for write in app.writes] == [doing]
        assert status_line(app).startswith(f"{doing}…")
        await pilot.press("ctrl+q")  # Textual's own quit key asks too
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen._title == f"{doing} is under way: quit anyway?"
        held.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.writes and app.return_code is None
        # The question closed itself (an edit that replaced the room asks to copy the
        # new link).
        assert "quit anyway" not in getattr(app.screen, "_title", "")
        assert not status_line(app).startswith(verb)


async def test_the_full_screen_detail_says_what_is_under_way(tmp_path):
    # Below 100 columns the detail covers the list and its status line: a change run
    # from its palette says itself there.
    from meettui.tui.screens.detail_screen import DetailScreen

    app = demo_app(tmp_path)
    held = _hold(app, "eyeson-demo", {"POST"})
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "eyeson-demo")
        meeting = app.screen.selected
        await pilot.press("i")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        line = detail.query_one("#under-way")
        assert not line.display
        await _start_now(pilot, app)
        await held.answered.wait()
        await pilot.pause()
        doing = f"Running '{_start_label(app)}' on {quoted(ellipsize(meeting.title, 40))}"
        assert line.display and str(line.render()) == f"{doing}…"
        assert f"{doing}…" in screen_text(app)
        held.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is detail and not line.display
