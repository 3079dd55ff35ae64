"""A form says what its fields do in the form's own case: a create form never speaks of
keeping a value, an edit form never of what a new meeting gets."""

from __future__ import annotations

import re

import pytest
from states import demo_app, open_edit_form, open_long_term_room_edit_form, show_account

from meettui.core.capabilities import FieldKind, FieldSpec
from meettui.core.registry import provider_class, provider_kinds
from meettui.tui.screens.form import MeetingFormScreen
from meettui.tui.screens.form_fields import form_fields

# What only an edit can mean: keeping a value, changing one, rescheduling.
EDIT_ONLY = re.compile(r"keeps? (it|the)|keeps? it as it is|changing it|reschedul", re.IGNORECASE)


def _hints(form: MeetingFormScreen) -> dict[str, str]:
    """Each field's hint as the form shows it, by field name."""
    hints: dict[str, str] = {}
    for spec in form.fields():
        label = form.query_one(f"#field-{spec.name}")
        siblings = list(label.parent.children)
        index = siblings.index(label)
        following = siblings[index + 1:index + 3]
        hints[spec.name] = " ".join(str(w.render()) for w in following
                                    if "field-help" in w.classes)
    return hints


async def _open_form(pilot, key: str) -> MeetingFormScreen:
    """The form `key` opens on the list (`n` create, `e` edit), once it is up."""
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, MeetingFormScreen)
    return form


# What only a create can mean: the default or setting an empty field takes.
CREATE_ONLY = re.compile(
    r"empty: the|empty shows|default: |\(the default\)|leave empty for|uses the host",
    re.IGNORECASE)


@pytest.mark.parametrize("kind", provider_kinds())
def test_no_create_hint_speaks_of_an_edit_nor_the_other_way(kind):
    for spec in provider_class(kind).capabilities.fields:
        if spec.creatable and not spec.hidden:
            assert not EDIT_ONLY.search(spec.help), (kind, spec.name, spec.help)
        edit = spec.edit_help if spec.edit_help is not None else spec.help
        if not spec.hidden:
            assert not CREATE_ONLY.search(edit), (kind, spec.name, edit)


async def test_the_eyeson_new_meeting_form_says_what_an_empty_expiry_does(tmp_path):
    app = demo_app(tmp_path, providers=("eyeson",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "eyeson-demo")
        form = await _open_form(pilot, "n")
        hints = _hints(form)
        # Was "… Empty keeps it as it is." on a form that creates the permalink.
        assert "Empty: it does not expire." in hints["ends_at"]
        assert not any(EDIT_ONLY.search(hint) for hint in hints.values()), hints
        await pilot.press("escape")
        await pilot.pause()
        form = await open_edit_form(pilot)
        assert form.editing
        assert "Emptied, the current expiry stays" in _hints(form)["ends_at"]


async def test_a_24sessions_create_form_has_no_rescheduling_reason(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "24sessions-demo")
        form = await _open_form(pilot, "n")
        assert "reason" not in {spec.name for spec in form.fields()}
        assert not any(EDIT_ONLY.search(hint) for hint in _hints(form).values())
        await pilot.press("escape")
        await pilot.pause()
        form = await open_edit_form(pilot)
        assert form.editing
        assert "reason" in {spec.name for spec in form.fields()}
        assert "reschedules" in _hints(form)["starts_at"]


@pytest.mark.parametrize("kind", provider_kinds())
def test_no_form_offers_a_field_its_provider_has_no_use_for(kind):
    # The command line refuses them (`--start` at Vonage, `--end` at 24sessions); the
    # forms must not take one either, to drop it without a word.
    caps = provider_class(kind).capabilities
    shown = {spec.name for spec in form_fields(caps.fields)}
    assert not shown & {spec.name for spec in caps.fields if spec.hidden}


# A hint that starts with the name the provider's API gives the field ("display_name:
# at most 200 characters"), a word the user never sees elsewhere.
WIRE_NAME = re.compile(r"^[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("kind", provider_kinds())
def test_no_hint_starts_with_a_wire_field_name(kind):
    for spec in provider_class(kind).capabilities.fields:
        for hint in (spec.help, spec.edit_help or ""):
            assert not WIRE_NAME.match(hint), (kind, spec.name, hint)


async def test_the_vonage_room_name_hint_speaks_the_user_s_words(tmp_path):
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(120, 50)) as pilot:
        await show_account(pilot, "vonage-demo")
        form = await _open_form(pilot, "n")
        assert _hints(form)["title"] == "At most 200 characters; fixed once the room exists."


def test_a_providers_own_time_field_keeps_the_word_on_how_to_type_a_time():
    # Accelevents' Start said only "Your local time, …; meettui sends it in the event's
    # time zone": no format, where every other form said one; its End said nothing.
    from meettui.providers.accelevents.capabilities import CAPABILITIES
    from meettui.tui.screens.form_fields import form_fields

    fields = {f.name: f for f in form_fields(CAPABILITIES.fields)}
    assert fields["starts_at"].help == (
        "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d. Your local time, as every time "
        "here; meettui sends it in the event's time zone, to the minute.")
    assert fields["ends_at"].help == "YYYY-MM-DD HH:MM (local), or +1h counted from the start"
    assert fields["starts_at"].required  # the provider's own spec, otherwise


TIME_SAID = "YYYY-MM-DD HH:MM"


@pytest.mark.parametrize("kind", provider_kinds())
def test_every_time_field_says_how_to_type_a_time_on_a_create_and_an_edit(kind):
    # Vonage's and eyeson's Expires said it on a create only: their `edit_help`, shown
    # on an edit, did not say how to type a time.
    caps = provider_class(kind).capabilities
    for spec in form_fields(caps.fields):
        if spec.kind != FieldKind.DATETIME:
            continue
        edit = spec.edit_help if spec.edit_help is not None else spec.help
        assert TIME_SAID in spec.help, (kind, spec.name, spec.help)
        assert TIME_SAID in edit, (kind, spec.name, edit)
    for action in caps.actions:  # an action's form shows `help` as it is
        for spec in action.fields:
            if spec.kind == FieldKind.DATETIME:
                assert TIME_SAID in spec.help, (kind, action.name, spec.name)


def test_the_vonage_expiry_says_how_to_type_a_time_before_its_own_hints():
    from meettui.providers.vonage.capabilities import CAPABILITIES

    expires = {f.name: f for f in form_fields(CAPABILITIES.fields)}["ends_at"]
    assert expires.edit_help == (
        "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d. When the room stops working: more "
        "than 10 minutes ahead. Emptied, the current expiry stays (meettui sends no "
        "expiry then).")
    assert expires.help.startswith("YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d. Long-term")


def test_a_providers_own_time_field_says_how_to_type_a_time_too():
    fields = form_fields((
        FieldSpec(name="remind_at", label="Reminder", kind=FieldKind.DATETIME),
        FieldSpec(name="closes_at", label="Closes", kind=FieldKind.DATETIME,
                  help="When the doors close.", edit_help=""),
    ))
    own = {f.name: f for f in fields}
    assert own["remind_at"].help == "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d"
    assert own["closes_at"].help == ("YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d. When "
                                     "the doors close.")
    assert own["closes_at"].edit_help == "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d"


async def test_the_vonage_edit_form_shows_how_to_type_the_expiry(tmp_path):
    app = demo_app(tmp_path, providers=("vonage",))
    async with app.run_test(size=(120, 50)) as pilot:
        form = await open_long_term_room_edit_form(pilot)
        assert _hints(form)["ends_at"].startswith(
            "YYYY-MM-DD HH:MM (local) or +30m, +2h, +1d. When the room stops working")
