"""Messages while the full-screen QR code is up: nothing is drawn over the code; what
is said meanwhile takes the QR view's caption line, and once it closes only what the
caption may not have shown long enough to read shows as a toast."""

from __future__ import annotations

from states import settle
from tui_data import BASE_CONFIG, screen_text

from meettui.tui.screens.main import MainScreen
from meettui.tui.screens.qr_screen import QRScreen
from meettui.tui.widgets.qr import QRCodeView

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
"""


def code_as_shown(app) -> list[str]:
    """The QR view's part of the screen, as the terminal shows it (toasts included)."""
    region = app.screen.query_one(QRCodeView).region
    lines = screen_text(app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right] for line in lines]


def code_as_drawn(app) -> list[str]:
    """What the QR view itself draws, nothing over it."""
    view = app.screen.query_one(QRCodeView)
    return [strip.text for strip in view.render_lines(view.region.reset_offset)]


async def test_failures_at_start_never_cover_the_qr_code(make_app, monkeypatch):
    # With a failing account, `Q` pressed right after the start showed the code with
    # "Provider error" and "Configuration error" toasts over its right half for ten
    # seconds: it could not be scanned.
    monkeypatch.setenv("MEETTUI_TEST_WB_KEY", "wb-test-key-123456")
    monkeypatch.delenv("MEETTUI_TEST_NO_SUCH_KEY", raising=False)
    app = make_app(config=BASE_CONFIG + FAILING, show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("Q")
        await settle(pilot)  # the accounts fail while the code is up
        assert isinstance(app.screen, QRScreen)
        assert any(sev == "error" and "connection problem" in msg for sev, msg in app.messages)
        assert any(sev == "error" and "ey-nosecret" in msg for sev, msg in app.messages)
        assert app._notifications  # toasts were raised ...
        assert code_as_shown(app) == code_as_drawn(app)  # ... and none covers the code
        await pilot.press("escape")
        await pilot.pause()
        # Back on the list, what is still to be read shows.
        assert isinstance(app.screen, MainScreen)
        assert "advice" in screen_text(app)


async def test_what_is_said_while_the_code_is_up_takes_its_caption_line(make_app):
    # A notice raised from the QR view (the palette's "Remember this theme", Ctrl+C's
    # "Press q to quit") must still reach the user, but not over the code.
    app = make_app(show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QRScreen)
        caption = screen_text(app).splitlines()[-2]
        assert caption.strip().startswith("Scan to join")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert code_as_shown(app) == code_as_drawn(app)
        caption = screen_text(app).splitlines()[-2]
        # (q closes the QR view: quitting is Ctrl+Q here.)
        assert caption.strip() == "Do you want to quit? Press ^q to quit."
        # Its time over, the caption says the keys again.
        screen._note_over()
        await pilot.pause()
        assert screen_text(app).splitlines()[-2].strip().startswith("Scan to join")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        # Read in the caption: not said again as a toast over the list (it was).
        assert "Press ^q to quit." not in screen_text(app)
        assert ("information", "Press ^q to quit.") in app.messages


async def test_r_in_the_qr_view_reveals_nothing_and_says_why(tmp_path):
    # `r` showed the next link here ("Next link" in the help), where everywhere else it
    # reveals host links; now Tab steps through the links, and `r` says that no host
    # link is ever shown to the guest facing this view, and how to see it.
    from states import demo_app, show_account

    from meettui.tui.screens.help import HelpScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_account(pilot, "whereby-demo")
        await pilot.press("Q")
        await pilot.pause()
        qr_view = app.screen
        assert isinstance(qr_view, QRScreen) and len(qr_view.links) == 2
        first = qr_view.link
        await pilot.press("r")
        await pilot.pause()
        assert qr_view.link == first  # not the next link
        caption = str(qr_view.query_one("#qr-caption").render())
        assert caption == ("Host links never show here: guests see this view. esc, then r "
                           "reveals them.")
        assert "roomKey" not in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert qr_view.link != first
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen._keys)
        assert keys["tab"] == "Next link" and keys["r"] == "Reveal host (never here)"


async def test_tab_with_one_link_says_there_is_no_other(make_app):
    # Tab on the QR of a meeting with one link a guest may see did nothing, silently.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        qr_view = app.screen
        assert isinstance(qr_view, QRScreen) and len(qr_view.links) == 1
        await pilot.press("tab")
        await pilot.pause()
        caption = str(qr_view.query_one("#qr-caption").render())
        assert caption.startswith("No other link to show: this view has the guest link only")


def _words(app) -> str:
    """The screen's words in order, lines joined: a sentence wrapped reads whole."""
    return " ".join(screen_text(app).split())


def _qr_meetings():
    from factories import make_meeting
    from meettui.core.models import Link, Role

    long_link = make_meeting(1, account="team", title="Long link").model_copy(update={
        "links": [Link(role=Role.GUEST,
                       url="https://app.example.team/permalink?guest=kac4L6mMWtfUunGLDeYVf9MV"),
                  Link(role=Role.HOST, url="https://app.example.team/permalink?host=k1",
                       sensitive=True)]})
    coded = make_meeting(2, account="team", title="Coded").model_copy(update={
        "links": [Link(role=Role.GUEST, url="https://meetings.example.com/931472442",
                       code="931472442")]})
    return [long_link, coded]


SIZES = [(40, 12), (50, 30), (60, 20), (80, 24), (200, 60)]


async def test_what_the_qr_view_says_is_whole_at_every_size(make_app):
    # At 60x20, Tab and `r` on a meeting with one guest link (and a host link) said
    # "No other link to show: this view has the guest link only (h…" and "Host links
    # never show here: guests see this view. esc, then…": the advice was cut at the
    # line's end. The caption wraps now, at every size, and the code, where it was
    # drawn, stays (with the rows left).
    for size in SIZES:
        app = make_app(_qr_meetings())
        async with app.run_test(size=size) as pilot:
            await pilot.press("Q")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QRScreen) and screen.link.role.value == "guest"
            drawn = screen.query_one(QRCodeView).display
            assert "esc close" in _words(app), size
            assert "app.example.team/permalink?guest=kac4L6mMWtfUunGLDeYVf9MV" in "".join(
                screen_text(app).split()), size  # the link a guest types, whole
            for key, said in [
                ("tab", "No other link to show: this view has the guest link only (host "
                        "links never show here)."),
                ("r", "Host links never show here: guests see this view. esc, then r "
                      "reveals them."),
            ]:
                await pilot.press(key)
                await pilot.pause()
                assert said in _words(app), (size, key)
                assert "…" not in screen_text(app), (size, key)
                if drawn:
                    assert screen.query_one(QRCodeView).display, (size, key)
                    assert code_as_shown(app) == code_as_drawn(app)


async def test_the_meeting_code_shows_with_the_code_where_there_is_room(make_app):
    # At 80x24 the view of a link with a meeting code showed the link alone: the line
    # "or enter the code 931472442" was cut by the link's one-row line (only without
    # the code, at 40x12, did it show). It takes a row of its own now, whenever the
    # code still fits with it. Where only the meeting code's row keeps the code from
    # fitting (60x20), the code is drawn and the meeting code left out; where the code
    # does not fit at all, the link and the meeting code show alone.
    for size, code_drawn, said in [((40, 12), False, True), ((50, 30), True, True),
                                   ((60, 20), True, False), ((80, 24), True, True),
                                   ((200, 60), True, True)]:
        app = make_app(_qr_meetings())
        async with app.run_test(size=size) as pilot:
            await pilot.press("j", "Q")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QRScreen) and screen.link.code == "931472442"
            assert screen.query_one(QRCodeView).display == code_drawn, size
            assert ("or enter the code 931472442" in _words(app)) == said, size


async def test_what_the_qr_view_said_is_not_said_again_once_it_closes(make_app):
    # `r` in the QR view said "Host links never show here…" in its caption; Esc closed
    # the view and the same words popped up again as a toast over the list.
    app = make_app(_qr_meetings(), show_toasts=True)
    said = "Host links never show here: guests see this view. esc, then r reveals them."
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("Q", "r")
        await pilot.pause()
        assert said in _words(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Host links never show" not in _words(app)
        assert not app._notifications
        assert ("warning", said) in app.messages  # kept, as every message is
        # The answer to a key, read as the key was pressed, goes too when the next
        # one takes the caption.
        await pilot.press("Q", "r", "tab")
        await pilot.pause()
        assert "No other link to show" in _words(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert "Host links never show" not in _words(app)
        assert "No other link to show" not in _words(app)
        assert not app._notifications


async def test_news_cut_short_in_the_qr_caption_still_shows_once_it_closes(make_app):
    # What the app says by itself while the code is up (a sync's failure) and a later
    # message took the caption from at once, may not have been read: its toast shows
    # when the view closes. The one in the caption at that moment was read there.
    app = make_app(show_toasts=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        app.call_later(app.notify, "Background news", title="Sync")
        await pilot.pause()
        assert "Sync: Background news" in _words(app)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert "Press ^q to quit." in _words(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert "Background news" in _words(app)
        assert "Press ^q to quit." not in _words(app)


async def test_a_link_that_scrolls_is_wrapped_to_the_columns_the_scrollbar_leaves(make_app):
    # At 20x5 a Whereby viewer link was wrapped to 20 columns and drawn in the 18 the
    # screen's scrollbar left: "eby", "5-4"… never showed, and a guest typing it got a
    # wrong address.
    from factories import make_meeting
    from meettui.core.models import Link, Role
    from meettui.tui.screens.qr_screen import short_form

    url = ("https://meettui-demo.whereby.com/f5d9e3a7-bcd5-4f92-9996-479ad90714f2"
           "?roomKey=viewer")
    viewer = make_meeting(1, account="team", title="Viewer").model_copy(update={
        "links": [Link(role=Role.VIEWER, url=url)]})
    for size in [(20, 5), (24, 4), (30, 6)]:
        app = make_app([viewer])
        async with app.run_test(size=size) as pilot:
            await pilot.press("Q")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QRScreen)
            link = screen.query_one("#qr-link")
            lines = [strip.text for strip in link.render_lines(link.size.region)]
            assert "".join(line.strip() for line in lines) == short_form(url), size
            assert "…" not in "".join(lines), size
