"""Fetches the app starts by itself (at start, for a new scope) fail into the status
line and one short toast at most; a refresh the user asked for (Ctrl+R) is told in
full."""

from __future__ import annotations

import pytest
from states import settle
from tui_data import BASE_CONFIG, screen_text

from meettui.core.http import RetryPolicy

FAILING = """
[[accounts]]
name = "advice"
provider = "whereby"
base_url = "http://127.0.0.1:9/v1"
secret_env = "MEETTUI_TEST_WB_KEY"
[[accounts]]
name = "ey-nosecret"
provider = "eyeson"
secret_env = "MEETTUI_TEST_NO_SUCH_KEY"
[[accounts]]
name = "wb2"
provider = "whereby"
base_url = "http://127.0.0.1:9/v1"
secret_env = "MEETTUI_TEST_WB_KEY"
"""


def failing_app(make_app, monkeypatch):
    monkeypatch.setenv("MEETTUI_TEST_WB_KEY", "wb-test-key-123456")
    monkeypatch.delenv("MEETTUI_TEST_NO_SUCH_KEY", raising=False)
    return make_app(config=BASE_CONFIG + FAILING, show_toasts=True)


def toasts(app) -> list[tuple[str, str]]:
    """The toasts raised and not expired: (title, message)."""
    return [(n.title, n.message) for n in app._notifications]


async def test_failing_accounts_at_start_make_one_short_toast(make_app, monkeypatch):
    # Offline at 80x24, three error toasts (one an account) covered half the list for
    # ten seconds, though the status line said each account's state already.
    app = failing_app(make_app, monkeypatch)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert toasts(app) == [(
            "Not refreshed",
            "advice, wb2: unreachable; ey-nosecret: needs credentials. The list shows what "
            "is cached; a (Accounts) says why, ^r tries again.")]
        # The whole of each failure is still kept (and logged), and the status line
        # says each account's state.
        errors = [msg for sev, msg in app.messages if sev == "error"]
        assert sum("connection problem" in msg for msg in errors) == 2
        assert any("ey-nosecret" in msg and "MEETTUI_TEST_NO_SUCH_KEY" in msg
                   for msg in errors)
        status = str(app.screen.query_one("#status-line").render())
        assert "advice: unreachable" in status and "ey-nosecret: needs credentials" in status
        # The list is not covered but by that one toast (its rows stay readable).
        assert sum("Not refreshed" in line for line in screen_text(app).splitlines()) == 1


async def test_a_new_scope_that_fails_the_same_way_says_nothing_again(make_app, monkeypatch):
    # Switching account refetched and stacked the same toasts again.
    app = failing_app(make_app, monkeypatch)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.clear_notifications()
        app.set_scope("advice")
        await settle(pilot)
        app.set_scope(None)
        await settle(pilot)
        assert toasts(app) == []
        assert "advice: unreachable" in str(app.screen.query_one("#status-line").render())


async def test_a_refresh_asked_for_says_one_failure_in_full(make_app, monkeypatch):
    app = failing_app(make_app, monkeypatch)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.set_scope("advice")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("ctrl+r")
        await settle(pilot)
        (failure,) = [(t, m) for t, m in toasts(app) if t != "Refresh"]
        assert failure[0] == "Provider error"
        assert failure[1].split("\n")[0] == ("advice (whereby): GET /meetings failed: "
                                             "connection problem (ConnectError).")


async def test_several_failures_of_one_refresh_are_one_toast(make_app, monkeypatch):
    # At 80x24, five failing accounts stacked five error toasts over the list, the
    # first ones pushed off the top of the screen, cut mid-sentence.
    app = failing_app(make_app, monkeypatch)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.clear_notifications()
        before = len(app.messages)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [t for t, _ in toasts(app) if t != "Refresh"] == ["Not refreshed"]
        (said,) = [m for t, m in toasts(app) if t == "Not refreshed"]
        assert said == ("3 accounts not refreshed (advice: unreachable; ey-nosecret: needs "
                        "credentials; wb2: unreachable). The list shows what is cached; a "
                        "(Accounts) says why.")
        # Each failure is still kept whole (and logged), naming its account: two
        # Whereby accounts failing must be told apart.
        errors = [m.split("\n")[0] for sev, m in app.messages[before:] if sev == "error"]
        assert sorted(e for e in errors if "(whereby)" in e) == [
            f"{name} (whereby): GET /meetings failed: connection problem (ConnectError)."
            for name in ("advice", "wb2")]
        assert any("ey-nosecret" in e for e in errors)
        assert sum("Not refreshed" in line for line in screen_text(app).splitlines()) == 1
        # The next Ctrl+R starts over: its first failure is said in full again.
        app.set_scope("wb2")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [t for t, _ in toasts(app) if t != "Refresh"] == ["Provider error"]


@pytest.mark.parametrize("fault", ["500", "503"])
async def test_a_refresh_that_fails_says_the_words_the_command_line_says(
        make_app, monkeypatch, sim_server, sim_clock, fault):
    # The toast read "→ 500: Internal Server Error" / "→ 503 Service Unavailable" then
    # the hint, the command line "… — The provider …", an agent "…. The provider …":
    # one failure, its one wording (`MeettuiError.paragraph`), the hint on its own line.
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt, rng: 0.0)
    server = sim_server("whereby", clock=sim_clock, meetings=3, api_key="wb-key-503",
                        rate_limit=1_000_000)
    monkeypatch.setenv("MEETTUI_TEST_WB_FAILS", "wb-key-503")
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
              f'base_url = "{server.base_url}"\nsecret_env = "MEETTUI_TEST_WB_FAILS"\n')
    app = make_app([], config=config, show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.clear_notifications()
        server.sim.faults.queue(fault, RetryPolicy().max_attempts)
        await pilot.press("ctrl+r")
        await settle(pilot)
        (failure,) = [m for t, m in toasts(app) if t == "Provider error"]
    reason = {"500": "Internal Server Error", "503": "Service Unavailable"}[fault]
    word = {"500": "server error", "503": "unavailable"}[fault]
    assert failure == (f"wb (whereby): GET /meetings → {fault} {reason}.\nThe provider "
                       f"answered {fault} ({word}); the cached list still works. Try again "
                       "later.")
