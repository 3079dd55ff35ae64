"""Messages name the keys in effect after the user's [keymap]: "press n to create one",
"m loads more", "Ctrl+R tries again", and the core's app words (`wording.key`: a
meeting gone upstream is refreshed with Ctrl+R, forgotten with d) named the default
keys where a keymap had moved them."""

from __future__ import annotations

from tui_data import BASE_CONFIG

from factories import make_meeting
from meettui.core import wording
from meettui.core.service_checks import gone_advice


def keymap(*entries: str) -> str:
    return BASE_CONFIG + "[keymap]\n" + "".join(f"{entry}\n" for entry in entries)


async def test_the_empty_list_names_the_new_key_in_effect(make_app):
    app = make_app([], config=keymap('"meeting.new" = "f7"'))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.table.footer_text == "No meetings yet — press f7 to create one."


async def test_an_empty_read_only_list_offers_no_key_to_create(make_app):
    app = make_app([], config=BASE_CONFIG.replace('provider = "jitsi"\n',
                                                  'provider = "jitsi"\nread_only = true\n'))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.table.footer_text == "No meetings yet."


async def test_the_core_s_app_words_name_the_keys_in_effect(make_app):
    app = make_app(config=keymap('"list.refresh" = "f9"', '"meeting.delete" = "x"'))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said: dict[str, str] = {}

        def in_the_app() -> None:  # (the app's own context: it set its front end there)
            said["front"] = wording.front_end()
            said["advice"] = gone_advice(make_meeting(1, account="team"))
            said["refresh"] = wording.argument("--refresh")

        app.call_later(in_the_app)
        await pilot.pause()
        assert said["front"] == "app"
        assert "a refresh of the list (f9)" in said["advice"], said
        assert "Delete (x)" in said["advice"] and said["refresh"] == "f9"


def test_without_the_app_a_key_is_its_default():
    wording.speak_as("app")
    try:
        assert wording.key("list.refresh", "Ctrl+R") == "Ctrl+R"
        assert wording.argument("--yes") == "y"
    finally:
        wording.speak_as("cli")
