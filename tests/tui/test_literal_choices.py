"""Names a provider returns are shown as written in a choice list: the hosts of an eyeson
permalink in "Remove a host" and "Start now" (a Textual Select, which reads a string as
markup: `[red]Cy[/red] Ng` showed a red "Cy Ng", `Bo [b]Banker[/b]` a bold one), with
escape sequences and bidi controls made visible as everywhere else."""

from __future__ import annotations

from states import demo_app, settle, show_account
from textual.geometry import Region
from textual.widgets import Select, Static
from textual.widgets._select import SelectOverlay

from meettui.core.display import is_hidden
from meettui.tui.screens.action import ActionFormScreen

HOSTS = ["[red]Cy[/red] Ng", "Bo [b]Banker[/b]", "Esc \x1b[31mred", "Bidi \u202eevil"]
SHOWN = ["[red]Cy[/red] Ng", "Bo [b]Banker[/b]", "Esc \\x1b[31mred", "Bidi \\u202eevil"]


def lines_of(widget) -> list[str]:
    """What `widget` draws, line by line, as a terminal shows it."""
    width, height = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def plainly_drawn(lines: list[str], shown: str) -> None:
    line = next((line for line in lines if shown in line), None)
    assert line is not None, (shown, lines)
    assert not any(is_hidden(char) for char in line)


async def open_host_form(pilot, action: str) -> ActionFormScreen:
    app = pilot.app
    await show_account(pilot, "eyeson-demo")
    main = app.screen
    meeting = main.selected
    app.service.cache.upsert(meeting.model_copy(update={
        "raw": {**meeting.raw, "hosts": HOSTS}}))
    main.table.reload(keep=meeting)
    await settle(pilot)
    main.run_provider_action(action)
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ActionFormScreen)
    return form


async def test_remove_a_host_lists_each_host_as_written(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_host_form(pilot, "remove_host")
        host = form.query_one("#action-host", Select)
        host.focus()
        await pilot.press("enter")  # the list of hosts opens
        await pilot.pause()
        overlay = host.query_one(SelectOverlay)
        assert overlay.display
        drawn = lines_of(overlay)
        for shown in SHOWN:
            plainly_drawn(drawn, shown)
        # The one chosen, as the closed Select shows it; the value is the name as the
        # provider has it (what the removal sends).
        for index, name in enumerate(HOSTS):
            host.value = name
            await pilot.pause()
            plainly_drawn(lines_of(host.query_one("#label", Static)), SHOWN[index])


async def test_start_now_lists_each_host_as_written(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_host_form(pilot, "start")
        host = form.query_one("#action-host", Select)
        host.value = HOSTS[0]
        await pilot.pause()
        plainly_drawn(lines_of(host.query_one("#label", Static)), SHOWN[0])
        host.focus()
        await pilot.press("enter")
        await pilot.pause()
        drawn = lines_of(host.query_one(SelectOverlay))
        for shown in SHOWN:
            plainly_drawn(drawn, shown)
