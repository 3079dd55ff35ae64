"""The README's key ids are the ones `[keymap]` takes, each moving its key on its own
screen; the app-wide keys (Quit above all) stay theirs; warnings name listed ids only.

`"accounts.down" = "j"` was refused as an unknown id (the accounts list's bindings were
not among the ids), `"app.quit" = "ctrl+q"` with `"copy.viewer" = "^q"` left no key that
quits (and Ctrl+C named Ctrl+Q), and an unknown id's warning said "`?` lists the ids"
(it lists none)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tui_data import BASE_CONFIG, default_meetings

from meettui.core.models import Link, Role
from meettui.tui.keymap import _binding_places, _own_bindings, binding_ids, keymap_clashes
from meettui.tui.keymap_ids import keep_app_keys, meant_id, unknown_ids_warning

README = Path(__file__).parents[2] / "README.md"


def readme_ids() -> list[str]:
    """The ids the README lists, in its words ("Ids: `list.filter`, … An unknown id")."""
    text = README.read_text()
    start = text.index("\nIds: ")
    listed = text[start:text.index("An unknown id", start)]
    ids = re.findall(r"`([a-z_]+\.[a-z_]+)`", listed)
    assert len(ids) > 50 and len(set(ids)) == len(ids), ids
    return ids


def keymap_config(entries: dict[str, str]) -> str:
    return BASE_CONFIG + "[keymap]\n" + "".join(f'"{i}" = "{k}"\n' for i, k in entries.items())


def warnings(app) -> list[str]:
    return [text for severity, text in app.messages if severity == "warning"]


def test_the_readme_lists_exactly_the_ids_the_app_knows():
    assert sorted(readme_ids()) == sorted(binding_ids())


# Each id a key no default binding has (F13-F35, with Ctrl and Alt): no clash, and a
# key seen on a screen is the keymap's.
SPARE = [f"{mod}f{n}" for mod in ("", "ctrl+", "alt+") for n in range(13, 36)]


def every_id_moved() -> dict[str, str]:
    ids = sorted(readme_ids())
    assert len(ids) <= len(SPARE)
    return dict(zip(ids, SPARE, strict=False))


def keys_by_id(app) -> dict[str, set[str]]:
    """The keys each id answers to on the screen now (its binding chain, the keymap
    applied as Textual applies it)."""
    found: dict[str, set[str]] = {}
    for _node, bindings in app.screen._binding_chain:
        for key, bound in bindings.key_to_bindings.items():
            for binding in bound:
                if binding.id:
                    found.setdefault(binding.id, set()).add(key)
    return found


def place_ids(place: str) -> set[str]:
    return {b.id for owner in _binding_places()[place] for b in _own_bindings(owner)
            if getattr(b, "id", None)}


APP_IDS = {"app.quit", "app.help", "app.palette", "app.suspend"}


async def test_every_listed_id_is_taken_and_moves_its_key_on_its_screen(make_app):
    moved = every_id_moved()
    [first, *rest] = default_meetings(3)
    # Two hosts: the host key asks whose (the choice dialog).
    first = first.model_copy(update={"links": [
        *first.links,
        Link(role=Role.HOST, url="https://x.example/r0?roomKey=k1", sensitive=True,
             label="First host"),
        Link(role=Role.HOST, url="https://x.example/r0?roomKey=k2", sensitive=True,
             label="Second host")]})
    app = make_app([first, *rest], config=keymap_config(moved))
    checked: set[str] = set()

    async def check(place: str, screen: str) -> None:
        await pilot.pause()
        assert type(app.screen).__name__ == screen
        keys = keys_by_id(app)
        # In a text field (the filter box, a form) a binding whose keys it types is
        # gone (Textual's binding chain): the others are checked there.
        here = place_ids(place) & set(keys)
        assert here - APP_IDS, (place, keys)  # the screen's own
        for ident in here:
            assert keys[ident] == {moved[ident]}, (place, ident, keys[ident])
            checked.add(ident)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert warnings(app) == []
        await check("in the list", "MainScreen")
        opened = [
            ("list.filter", "in the filter box", "MainScreen", "filter.clear"),
            ("detail.full", "on the details", "DetailScreen", "detail.close"),
            ("qr.open", "on the QR screen", "QRScreen", "qr.close"),
            ("app.accounts", "on the accounts screen", "AccountsScreen", "accounts.close"),
            ("app.help", "on the help", "HelpScreen", "help.close"),
            ("meeting.new", "on the meeting form", "MeetingFormScreen", "form.cancel"),
            ("meeting.delete", "on the confirmation", "ConfirmScreen", "confirm.no"),
            ("link.import", "on the paste-link dialog", "PasteLinkScreen", "paste.cancel"),
            ("copy.host", "on the choice", "ChooseScreen", "choose.cancel"),
        ]
        for opens, place, screen, closes in opened:
            await pilot.press(moved[opens])
            await check(place, screen)
            if place == "on the accounts screen":
                # The list's own j/k moved: the new keys move the highlight.
                accounts = app.screen.query_one("OptionList")
                start = accounts.highlighted
                await pilot.press(moved["accounts.down"])
                assert accounts.highlighted == start + 1
                await pilot.press(moved["accounts.up"])
                assert accounts.highlighted == start
            await pilot.press(moved[closes])
            await pilot.pause()
            assert type(app.screen).__name__ == "MainScreen", (place, app.screen)
        await pilot.press(moved["app.palette"], *"save calendar", "enter")
        await check("on the action form", "ActionFormScreen")
        await pilot.press(moved["action.cancel"])
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
    assert checked == set(readme_ids())


@pytest.mark.parametrize(("written", "meant"), [
    ("list.pagedown", "list.page_down"), ("accounts.next", "accounts.down"),
    ("accounts.previous", "accounts.up"), ("copy.gest", "copy.guest"),
    ("qr.next", "qr.next_role"), ("app.exit", "app.quit"), ("whatever", None),
])
def test_an_unknown_id_names_the_listed_id_it_most_likely_meant(written, meant):
    assert meant_id(written) == meant


def test_the_unknown_id_warning_names_listed_ids_and_where_they_are():
    said = unknown_ids_warning(["accounts.next", "list.pagedown", "zzz"])
    assert said == (
        "[keymap] has unknown key ids: accounts.next (did you mean accounts.down?), "
        "list.pagedown (did you mean list.page_down?), zzz; their entries are left out. "
        "The README lists every id under \"Every key has an id\".")
    assert "`?`" not in said


def named_ids(text: str) -> set[str]:
    return set(re.findall(r"\b([a-z]+\.[a-z_]+) \(", text))


# Every key each app-wide binding has (Quit's q and Textual's Ctrl+Q, Help's ? and F1,
# the palette's Ctrl+P, Suspend's Ctrl+Z), given to an id of each screen.
APP_KEYS = {"q": "app.quit", "ctrl+q": "the built-in ctrl+q", "question_mark": "app.help",
            "f1": "app.help", "ctrl+p": "app.palette", "ctrl+z": "app.suspend"}
OWN_DEFAULTS = {"detail.close": ("q",), "help.close": ("q", "question_mark")}
SCREEN_IDS = ["copy.viewer", "list.up", "filter.keep", "accounts.down", "accounts.switch",
              "qr.next_role", "detail.close", "help.close", "form.save", "confirm.yes",
              "choose.cancel", "paste.cancel", "action.run", "app.next_pane"]


@pytest.mark.parametrize("key", list(APP_KEYS))
@pytest.mark.parametrize("ident", SCREEN_IDS)
def test_an_app_wide_key_stays_the_app_s(key, ident):
    if key in OWN_DEFAULTS.get(ident, ()):
        # A screen's own default key over the app's (the details' q goes back) stays.
        assert keep_app_keys({ident: f"f20,{key}"}) == ({ident: f"f20,{key}"}, [])
        return
    kept, said = keep_app_keys({ident: f"f20,{key}"})
    assert kept == {ident: "f20"}
    [warning] = said
    shown = "'?'" if key == "question_mark" else repr(key)
    assert warning.startswith(f"[keymap] gives {shown} to {ident}")
    assert f"{APP_KEYS[key]} (" in warning and f"{ident} answers to 'f20' only" in warning
    # Its only key lost, the entry goes: the default keys stay.
    kept, said = keep_app_keys({ident: key})
    assert kept == {} and f"{ident} keeps its default" in said[0]


def test_between_app_wide_keys_quit_keeps_its_own():
    kept, said = keep_app_keys({"app.help": "ctrl+q"})
    assert kept == {} and said == [
        "[keymap] gives 'ctrl+q' to app.help (Help), but the built-in ctrl+q (Quit) has it "
        "on every screen, and keeps it: app.help keeps its default '?' and 'f1'. Choose "
        "another key for app.help."]
    # What a key already does there is no loss: Textual's Ctrl+Q named as app.quit.
    assert keep_app_keys({"app.quit": "ctrl+q"}) == ({"app.quit": "ctrl+q"}, [])
    assert keep_app_keys({"app.help": "f1"}) == ({"app.help": "f1"}, [])
    assert keep_app_keys({"detail.close": "escape,i,q"}) == ({"detail.close": "escape,i,q"},
                                                             [])


@pytest.mark.parametrize("keymap", [
    {"qr.open": "tab"}, {"accounts.switch": "down"}, {"app.quit": "v"},
    {"list.now": "ctrl+c"}, {"copy.guest": "x", "copy.host": "x"},
])
def test_clash_warnings_name_listed_ids_only(keymap):
    said = keymap_clashes(keep_app_keys(keymap)[0])
    assert said
    listed = set(readme_ids())
    for text in said:
        assert named_ids(text) <= listed, text
    # Textual's own keys, which have no id, are said to be built in.
    if "qr.open" in keymap:
        assert "the built-in tab (" in said[0]


def test_the_filter_box_s_clashes_are_said_but_not_for_keys_it_types():
    # Its keys were no place's: "filter.keep" = "tab" took Tab from the pane switch there
    # without a word. A character key is typed there: no clash in it.
    assert keymap_clashes({"filter.keep": "tab"}) == [
        "[keymap] gives 'tab' to filter.keep (Keep filter), but the built-in tab (Focus "
        "Next) and app.next_pane (Detail pane ↔ list (PgUp/PgDn scroll there)) have it in "
        "the filter box already: pressed there, it does only one of them. Choose another "
        "key for filter.keep."]
    said = keymap_clashes({"copy.guest": "x", "copy.host": "x"})
    assert "filter box" not in said[0]



@pytest.mark.parametrize("binding, key, place", [
    ("form.save", "ctrl+w", "meeting form"), ("action.run", "ctrl+u", "action form"),
    ("paste.cancel", "ctrl+k", "paste-link dialog")])
def test_a_form_key_its_text_fields_take_is_said(binding, key, place):
    # `"form.save" = "ctrl+w"` left the form with no key that saves (a text field
    # deletes a word with Ctrl+W), and no warning said so.
    said = keymap_clashes({binding: key})
    assert len(said) == 1 and said[0].startswith(f"[keymap] gives '{key}' to {binding} (")
    assert f"but the built-in {key}" in said[0] and f"on the {place} already" in said[0]
    assert keymap_clashes({binding: "ctrl+t"}) == []


def test_a_built_in_with_several_keys_names_them_as_words():
    # Textual's Input binds delete-left-all to "ctrl+u,super+backspace": the warning
    # showed that raw comma-joined string as if it were one key.
    said = keymap_clashes({"action.run": "ctrl+u"})
    assert "the built-in ctrl+u or super+backspace (" in said[0]
    assert "ctrl+u,super" not in said[0]

SCREEN_KEYS = {
    # screen: (the keys that open it, an id answering there, given ^q)
    "MainScreen": ([], "copy.viewer"),
    "DetailScreen": (["i"], "detail.close"),
    "QRScreen": (["Q"], "qr.next_role"),
    "AccountsScreen": (["a"], "accounts.switch"),
    "HelpScreen": (["question_mark"], "help.close"),
    "MeetingFormScreen": (["n"], "form.save"),
    "ConfirmScreen": (["d"], "confirm.yes"),
}


@pytest.mark.parametrize("screen", list(SCREEN_KEYS))
async def test_the_quit_key_quits_and_ctrl_c_names_it_after_a_clash(make_app, screen):
    opens, ident = SCREEN_KEYS[screen]
    app = make_app(config=keymap_config({"app.quit": "ctrl+q", ident: "^q"}))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        [warning] = warnings(app)
        assert warning.startswith(f"[keymap] gives 'ctrl+q' to {ident} (")
        assert "but app.quit (Quit) has it on every screen, and keeps it" in warning
        await pilot.press(*opens)
        await pilot.pause()
        assert type(app.screen).__name__ == screen
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.messages[-1] == ("information", "Press ^q to quit.")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("screen", ["AccountsScreen", "HelpScreen", "MeetingFormScreen",
                                    "ConfirmScreen"])
async def test_ctrl_c_says_how_to_quit_on_a_dialog(make_app, screen):
    # On a dialog Ctrl+C said nothing (the app's bindings are cut off there).
    opens, _ident = SCREEN_KEYS[screen]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*opens)
        await pilot.pause()
        assert type(app.screen).__name__ == screen
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.messages[-1] == ("information", "Press ^q to quit.")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("key, said", [("ctrl+s", "Ctrl+S"), ("escape", "Esc"), ("y", "y"),
                                       ("question_mark", "?"), ("ctrl+shift+x", "Ctrl+Shift+X"),
                                       ("f5", "F5"), ("enter", "Enter")])
def test_a_button_says_a_key_as_people_read_it(key, said):
    from meettui.tui.screens.key_names import spoken_key

    assert spoken_key(key) == said


async def test_the_buttons_name_the_keys_a_keymap_gave(make_app):
    # With form.cancel, form.save, confirm.yes and confirm.no moved, the buttons still
    # said "Cancel (Esc)", "Save (Ctrl+S)", "Keep editing (n)" and "Discard (y)".
    from textual.widgets import Button

    app = make_app(config=keymap_config({"form.cancel": "ctrl+g", "form.save": "ctrl+t",
                                         "confirm.yes": "j", "confirm.no": "x"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        labels = {b.id: str(b.label) for b in app.screen.query(Button)}
        assert (labels["cancel"], labels["save"]) == ("Cancel (Ctrl+G)", "Save (Ctrl+T)")
        await pilot.press(*"Typed", "ctrl+g")  # typed into: asks before throwing it away
        await pilot.pause()
        labels = {b.id: str(b.label) for b in app.screen.query(Button)}
        assert labels["no"].endswith("(x)") and labels["yes"].endswith("(j)"), labels


async def test_the_accounts_line_names_the_keys_a_keymap_gave(make_app):
    app = make_app(config=keymap_config({"accounts.close": "b", "accounts.switch": "space"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        line = str(app.screen.query_one("#accounts-help").render())
        assert line.startswith("Space switches · b closes · "), line
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"
