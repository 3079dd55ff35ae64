"""The detail pane follows the cursor once it rests, and a move to a meeting of the same
shape repaints the pane without laying the screen out again."""

from __future__ import annotations

from tui_data import screen_text

from meettui.tui.widgets.detail import Block, DetailPane
from meettui.tui.widgets.qr import QRCodeView


async def test_holding_down_updates_the_pane_once_the_cursor_rests(make_app, monkeypatch):
    # Long enough that ten key presses land inside one wait even on a loaded machine.
    monkeypatch.setattr(DetailPane, "DEBOUNCE", 0.5)
    shown: list[str | None] = []
    original = DetailPane.show

    def counting_show(self, meeting, *args, **kwargs):
        shown.append(meeting.id if meeting else None)
        original(self, meeting, *args, **kwargs)

    monkeypatch.setattr(DetailPane, "show", counting_show)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        assert pane.meeting.id == "m000000"
        shown.clear()
        await pilot.press(*["down"] * 10)
        assert app.screen.selected.id == "m000010"
        assert pane.meeting.id == "m000000" and not pane.is_settled
        await pilot.pause()  # waits for the pane (tests/conftest.py)
        assert shown == ["m000010"]
        assert pane.meeting.id == "m000010"
        qr = pane.query_one(QRCodeView)
        assert qr.data == pane.meeting.shareable_link().url
        assert qr.matrix is not None and not qr.pending


async def test_same_shape_meeting_repaints_without_a_layout(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        blocks = list(pane.query(Block))
        qr = pane.query_one(QRCodeView)
        before = [w._layout_updates for w in [*blocks, qr]]
        texts = [str(b.content) for b in blocks]
        await pilot.press("down")
        await pilot.pause()
        assert pane.meeting.id == "m000001"
        # Every block that shows meeting data changed its text...
        changed = [str(b.content) != text for b, text in zip(blocks, texts, strict=True)]
        assert changed[0] and changed[2]  # title, links
        # ...and none of them, nor the QR (same length of link), asked for a layout.
        assert [w._layout_updates for w in [*blocks, qr]] == before


async def test_a_block_shown_the_same_text_again_does_nothing(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        title = app.screen.query_one("#detail-title", Block)
        content = title.content
        title.show(type(content)(str(content)))  # equal Text, another object
        assert title.content is content


async def test_typing_a_filter_reloads_the_list_once_typing_pauses(make_app, monkeypatch):
    from meettui.tui.screens import main_filter
    from meettui.tui.widgets.meeting_table import MeetingTable

    # Long enough that a word typed by Pilot lands inside one wait on a loaded machine.
    monkeypatch.setattr(main_filter, "FILTER_DEBOUNCE", 0.5)
    reloads: list[int] = []
    original = MeetingTable.reload

    def counting_reload(self, *args, **kwargs):
        reloads.append(1)
        original(self, *args, **kwargs)

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(MeetingTable, "reload", counting_reload)
        main = app.screen
        await pilot.press("slash", *"call 03")
        assert reloads == [] and main.table.row_count == 40  # still typing
        await pilot.pause()  # waits for the debounce (tests/conftest.py)
        assert len(reloads) == 1
        assert main.table.row_count == main.service.count(main.scope, "call 03") < 40
        # Enter applies what was typed at once, without waiting.
        await pilot.press("backspace", "backspace", "backspace", "enter")
        assert len(reloads) == 2 and main.table.row_count == 40
        assert main.table.has_focus
        # Esc clears the filter with one reload, and none follows from the emptied box.
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert len(reloads) == 3 and main.query_text == ""
        # Esc with nothing applied yet: the pending keystroke is dropped, nothing reloads.
        await pilot.press("slash", "x", "escape")
        await pilot.pause()
        assert len(reloads) == 3 and main.table.row_count == 40


async def test_a_filter_shows_its_meeting_in_the_pane_as_it_applies(make_app, monkeypatch):
    """The typing has rested already when a filter applies: the pane shows the meeting
    under the cursor then, in the frame that shows the filtered rows. Through the table's
    message it came a frame later, after the pane's own rest (#16: a filter keystroke
    drew three frames, not two)."""
    # A long rest: were the pane to wait for it, the checks below would see the old one.
    monkeypatch.setattr(DetailPane, "DEBOUNCE", 5.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        pane = main.query_one(DetailPane)
        before = pane.meeting
        await pilot.press("slash", *"call 03")
        await main.filter_debounce.settled()
        assert main.selected is not None and main.selected.id != before.id
        assert pane.meeting.id == main.selected.id and pane.is_settled
        assert str(pane.query_one("#detail-title", Block).content) == main.selected.title
        # Moving the cursor still waits for it to rest.
        await pilot.press("enter", "down")
        assert main.selected.id != pane.meeting.id and not pane.is_settled


async def test_a_lazy_pane_builds_its_parts_at_the_first_show():
    # The list screen's pane is lazy, so that the first paint does not wait for it
    # (issue #16); it must still show the first meeting it is given, QR included.
    from textual.app import App

    from factories import make_meeting
    from meettui.core.clock import FixedClock

    meeting = make_meeting(3, title="Lazy pane")

    class PaneApp(App[None]):
        def compose(self):
            yield DetailPane(lazy=True)

    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        assert not pane.children and pane.is_settled
        pane.show(meeting, FixedClock(meeting.starts_at).now())
        assert not pane.is_settled  # its parts are being mounted
        await pane.settled()
        await pilot.pause()
        assert pane.meeting is meeting
        assert str(pane.query_one("#detail-title", Block).content) == "Lazy pane"
        qr = pane.query_one(QRCodeView)
        assert qr.data == meeting.shareable_link().url and qr.matrix is not None


async def test_a_block_repaints_only_rows_that_differ_and_shows_what_a_full_repaint_shows(
    make_app, monkeypatch
):
    from textual.geometry import Region
    from textual.widget import Widget

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        facts = pane.query_one("#detail-facts", Block)
        repainted: list[tuple[Region, ...]] = []
        original = Widget.refresh

        def spy(self, *regions, **kwargs):
            if self is facts and not kwargs.get("layout"):
                repainted.append(regions)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        # The first move may find the pane at another width (its scrollbar came after
        # the first meeting was shown): a full repaint. The next ones are the subject.
        await pilot.press("down")
        await pilot.pause()
        for _ in range(4):
            repainted.clear()
            await pilot.press("down")
            await pilot.pause()
            # The facts share rows (labels, status, account) from one meeting to the next:
            # those are not repainted.
            assert repainted and all(0 < len(r) < facts.size.height for r in repainted)
            for block in pane.query(Block):
                region = Region(0, 0, *block.size)
                shown = [strip.text for strip in block.render_lines(region)]
                block.refresh()
                await pilot.pause()
                assert [strip.text for strip in block.render_lines(region)] == shown, block.id


async def test_another_meeting_opens_at_the_top_of_the_pane(make_app):
    """The pane scrolled down on one meeting shows the next one from its title (the
    tester saw the next meeting's facts, its title scrolled away); the same meeting
    shown again keeps its place."""
    app = make_app()
    async with app.run_test(size=(110, 16)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        assert pane.max_scroll_y > 0
        await pilot.press("tab", "pagedown")
        await pilot.pause()
        assert pane.has_focus and pane.scroll_y > 0
        first = pane.meeting
        pane.show(first, app.clock.now())
        assert pane.scroll_y > 0
        await pilot.press("tab", "down")
        await pilot.pause()
        assert pane.meeting.id != first.id and pane.scroll_y == 0
        assert pane.meeting.title in screen_text(app)



async def test_a_pane_whose_parts_did_not_mount_shows_nothing_and_does_not_fail(make_app,
                                                                              monkeypatch):
    """Quitting within the cursor's rest, before the lazy pane's first show, closed the
    app while the parts mounted, and the show that followed looked for them (about 1 in
    300 starts at 100k, seen by the benchmark): the pane now waits for parts that are
    there. Here the mount leaves none, as a closing app does."""
    from textual.widget import AwaitMount

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.screen.query_one(DetailPane)
        monkeypatch.setattr(DetailPane, "mount_all",
                            lambda self, widgets: AwaitMount(self, []))
        pane._built = False
        for part in list(pane.children):
            await part.remove()
        pane.show_soon(lambda: pane.show(app.screen.selected, app.clock.now()))
        await pilot.pause(DetailPane.DEBOUNCE * 3)
        assert not pane._built and not pane.children and app.return_code is None


def test_a_long_fact_label_wraps_in_its_column_and_leaves_the_values_room():
    """An Accelevents meeting's "Hidden on landing page and hub" took 31 cells of the
    side pane's 35 at 100 columns, and every value wrapped a word a line ("Mon / 30 /
    Nov / 2026"). On a line of its own, a label too long for the column pushed its
    value below it, and one wider than the pane was cut with "…". It wraps within the
    column, at its words, its value beside its first line; a word wider than the
    column is folded, never cut."""
    from meettui.tui.widgets.facts import FactsGrid

    grid = FactsGrid((("Starts", "Mon 30 Nov 2026 15:00 Europe/Berlin"),
                      ("Time (event zone)", "15:00 – 16:00"),
                      ("Hidden on landing page and hub", "no"),
                      ("Verylonglabelwithoutspaces", "x")))
    lines = [line.plain.rstrip() for line in grid.content(35).split()]
    assert lines == [
        "Starts         Mon 30 Nov 2026",
        "               15:00 Europe/Berlin",
        "Time (event    15:00 – 16:00",
        "zone)",
        "Hidden on      no",
        "landing page",
        "and hub",
        "Verylonglabelw x",
        "ithoutspaces",
    ]
    # Wide enough, a label keeps its line.
    assert grid.content(100).plain.splitlines()[2].startswith("Hidden on landing page and hub")
