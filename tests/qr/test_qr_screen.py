"""QRScreen: the full-screen code scans, only safe links are ever shown, sizes are explained."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.content import Content
from textual.geometry import Region

from meettui.core import qr
from meettui.core.clock import SystemClock
from meettui.core.models import Link, Meeting, Role
from meettui.tui.screens.qr_screen import QRScreen
from meettui.tui.widgets.qr import QRCodeView

ROOM = "https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"
GUEST = ROOM
VIEWER = ROOM + "?viewer"
HOST_KEY = "eFhcG2bXk1lU0ZG9mNm0yZk1ZRk1i00ZG"
HOST = f"{ROOM}?roomKey={HOST_KEY}"

WHEREBY = Meeting(
    provider="whereby",
    account="acme",
    id="112233",
    title="Support call — room 4",
    links=[
        # The host link comes first on purpose: order must not make it the default.
        Link(role=Role.HOST, url=HOST, label="Host", sensitive=True),
        Link(role=Role.GUEST, url=GUEST, label="Guest"),
        Link(role=Role.VIEWER, url=VIEWER, label="Viewer"),
    ],
)
EYESON_GUEST = "https://app.eyeson.team/?guest=h7IHRfwnV6Yuk3QtL2jn7Ikd"
EYESON_HOST_TOKEN = "bK7gOGqNvrx1Yl3JhZdQw9oVcP2sT5mE8aFiRu4y"
EYESON = Meeting(
    provider="eyeson",
    account="eyeson",
    id="room-7",
    title="Advice desk",
    links=[
        Link(role=Role.HOST, url=f"https://app.eyeson.team/?{EYESON_HOST_TOKEN}", sensitive=True),
        Link(role=Role.GUEST, url=EYESON_GUEST),
    ],
)
LONG = "https://events.example.com/join/" + "a1b2c3d4e5" * 21 + "x" * 8
assert len(LONG) == 250
LONG_MEETING = Meeting(
    provider="accelevents",
    account="ae",
    id="s1",
    title="Keynote",
    links=[Link(role=Role.ATTENDEE, url=LONG)],
)
HOST_ONLY = Meeting(
    provider="vonage",
    account="vonage",
    id="v1",
    title="Board",
    links=[Link(role=Role.HOST, url=HOST, sensitive=True)],
)


class QRScreenApp(App[None]):
    def __init__(self, meeting: Meeting, role: Role | str | None = None) -> None:
        super().__init__()
        self._meeting = meeting
        self._role = role
        self.clock = SystemClock()  # as MeettuiApp's: the screen asks it what time it is

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(QRScreen(self._meeting, self._role))


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def words(app: App) -> str:
    """The screen's text with wrapping undone: narrow terminals wrap the messages."""
    return " ".join(screen_text(app).split())


def decoded(proof, app: App) -> str:
    """Rasterise what the QR widget renders (surroundings included) and read it back."""
    view = app.screen.query_one(QRCodeView)
    width, height = view.outer_size
    cells = proof.strips_to_cells(view.render_lines(Region(0, 0, width, height)))
    return proof.decode(proof.cells_to_image(cells)).text


def assert_no_secret(app: App) -> None:
    text = screen_text(app)
    assert HOST_KEY not in text and "roomKey" not in text
    assert HOST_KEY not in app.export_screenshot()


async def test_full_screen_code_decodes_to_the_guest_link(proof) -> None:
    app = QRScreenApp(WHEREBY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QRScreen)
        assert screen.link.url == GUEST
        assert decoded(proof, app) == GUEST
        lines = screen_text(app).splitlines()
        assert lines[0].strip() == "Support call — room 4"
        assert lines[-2].strip().startswith("Scan to join  ·  guest link  ·  tab viewer")
        assert lines[-1].strip() == "acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"
        assert_no_secret(app)


async def test_large_terminal_scales_the_modules_up(proof) -> None:
    app = QRScreenApp(WHEREBY)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        layout = app.screen.query_one(QRCodeView).qr_layout
        assert layout is not None and layout.scale == 2 and layout.quiet == 4
        assert decoded(proof, app) == GUEST


async def test_switching_roles_cycles_safe_links_only(proof) -> None:
    app = QRScreenApp(WHEREBY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert [lk.role for lk in screen.links] == [Role.GUEST, Role.VIEWER]

        await pilot.press("tab")
        await pilot.pause()
        assert screen.link.url == VIEWER
        assert decoded(proof, app) == VIEWER
        assert "viewer link  ·  tab guest" in screen_text(app)
        assert_no_secret(app)

        # Not `r`: it reveals host links everywhere else, and here it says none shows.
        for key, url in [("tab", GUEST), ("r", GUEST), ("shift+tab", VIEWER),
                         ("shift+tab", GUEST), ("tab", VIEWER)]:
            await pilot.press(key)
            await pilot.pause()
            assert screen.link.url == url, key
            assert decoded(proof, app) == url
            assert_no_secret(app)


async def test_initial_role_and_a_host_role_request_falls_back_to_guest(proof) -> None:
    app = QRScreenApp(WHEREBY, Role.VIEWER)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert decoded(proof, app) == VIEWER

    app = QRScreenApp(WHEREBY, "host")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.link.url == GUEST
        assert decoded(proof, app) == GUEST
        assert_no_secret(app)


async def test_eyeson_shows_its_guest_link_and_tab_stays(proof) -> None:
    app = QRScreenApp(EYESON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert decoded(proof, app) == EYESON_GUEST
        await pilot.press("tab")
        await pilot.pause()
        assert decoded(proof, app) == EYESON_GUEST
        text = screen_text(app)
        assert EYESON_HOST_TOKEN not in text
        assert "app.eyeson.team/?guest=h7IHRfwnV6Yuk3QtL2jn7Ikd" in text
        assert "tab" not in text.splitlines()[-2]  # nothing to switch to


async def test_too_small_says_exactly_what_it_needs_and_follows_resizes(proof) -> None:
    matrix = qr.make_matrix(GUEST)
    assert qr.needed_cells(matrix) == (37, 19)
    app = QRScreenApp(WHEREBY)
    # The rows asked for are those at the code's width, where the caption (the keys)
    # and the link a guest types take two lines each, whole.
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Make the terminal at least 37×24 (now 30×12) to show the QR code." in words(app)
        assert "▀" not in text
        assert not app.screen.query_one(QRCodeView).display
        # The typed fallback stays.
        assert "acme.whereby.com/support-9cf6" in text
        assert "Join at" in text and "Scan to join" not in text

        await pilot.resize_terminal(36, 24)
        await pilot.pause()
        assert "Make the terminal at least 37×24 (now 36×24)" in words(app)

        await pilot.resize_terminal(37, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "Make the terminal" not in text and "Scan to join" in text
        assert app.screen.query_one(QRCodeView).qr_layout.quiet == 2
        assert decoded(proof, app) == GUEST

        await pilot.resize_terminal(40, 23)
        await pilot.pause()
        assert "Make the terminal at least 37×24 (now 40×23)" in words(app)

        # Tiny: one short line, and the link a guest can type still shows (the sentence
        # took every row at 20x6 and left "Make the terminal" alone).
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        text = screen_text(app)
        assert "QR needs 37×24" in text
        assert "Make the terminal" not in text
        assert "acme.whereby.com" in text


@pytest.mark.parametrize("size", [(30, 6), (29, 6), (31, 7), (33, 8), (45, 6), (60, 5),
                                  (20, 6), (80, 6)])
async def test_too_small_says_it_whole_and_keeps_the_link_a_guest_types(size) -> None:
    # At 30x6 the sentence, centred in the one row left, showed "Make the terminal at
    # least" and neither the size nor why: a shorter form goes where the long one does
    # not fit, and the keys, then the title, give up their rows before the link.
    app = QRScreenApp(WHEREBY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        message = app.screen.query_one("#qr-message")
        said = str(message.render())
        assert "37×2" in said  # the size to make it, whichever form
        lines = [line.plain.strip() for line in Content(said).wrap(size[0])]
        assert message.size.height >= len(lines)
        text = screen_text(app)
        assert all(line in text for line in lines)
        rows = [row.strip() for row in text.splitlines()]
        assert ROOM.removeprefix("https://") in "".join(rows)  # every character of it
        assert not app.screen.show_vertical_scrollbar
    if size == (30, 6):
        assert said == "Make the terminal at least 37×24."


async def test_long_link_needs_a_bigger_terminal_then_decodes(proof) -> None:
    cols, rows = qr.needed_cells(qr.make_matrix(LONG))
    assert (cols, rows) == (61, 31)
    app = QRScreenApp(LONG_MEETING)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # (at 61 columns, the link a guest types takes four lines, whole)
        assert "Make the terminal at least 61×37 (now 80×24)" in words(app)
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert decoded(proof, app) == LONG
        assert "attendee link" in screen_text(app)


async def test_meeting_without_a_safe_link_says_so() -> None:
    app = QRScreenApp(HOST_ONLY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "This meeting has no link that is safe to show a guest." in text
        assert "Host links are never shown as a QR code." in text
        assert "▀" not in text and "Scan to join" not in text
        assert_no_secret(app)


async def test_title_with_markup_and_escapes_is_shown_literally() -> None:
    evil = WHEREBY.model_copy(update={"title": "[bold red]x[/] \x1b[31mred\x07"})
    app = QRScreenApp(evil)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = screen_text(app).splitlines()[0].strip()
        assert first == "[bold red]x[/] \\x1b[31mred\\x07"


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_and_q_close(key: str) -> None:
    app = QRScreenApp(WHEREBY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)


async def test_bindings_can_be_remapped_by_id() -> None:
    app = QRScreenApp(WHEREBY)
    app.set_keymap({"qr.close": "x", "qr.next_role": "n"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "n viewer  ·  x close" in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert screen.link.url == GUEST
        await pilot.press("n")
        await pilot.pause()
        assert screen.link.url == VIEWER
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)


def test_snapshot_full_screen_80x24(snap_compare) -> None:
    assert snap_compare(QRScreenApp(WHEREBY), terminal_size=(80, 24))


def test_snapshot_too_small_40x16(snap_compare) -> None:
    assert snap_compare(QRScreenApp(WHEREBY), terminal_size=(40, 16))


@pytest.mark.parametrize("width", range(40, 52))
async def test_a_long_title_is_cut_before_an_escape_never_inside_it(width: int) -> None:
    # The title line's own ellipsis cut "…\u202e…" to "…\u20…", which names no character.
    evil = WHEREBY.model_copy(update={"title": "Quarterly review " + "\u202e" * 8})
    app = QRScreenApp(evil)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        first = screen_text(app).splitlines()[0].strip()
        assert first.endswith("…")
        body = first.removeprefix("Quarterly review").removesuffix("…").strip()
        assert body == "\\u202e" * (len(body) // 6)
