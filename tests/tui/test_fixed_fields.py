"""An edit form's fields fixed at creation (`FieldSpec.editable` False): shown, but
nothing to fill in. They carry no "*" and the "↓ Below:" line leaves them out: a 24sessions
edit said "Guest name *" and "↓ Below: Guest email *, …" for fields Tab passes over, and
the guest name a user typed after a Tab went into "Reason for rescheduling"."""

from __future__ import annotations

import pytest
from states import demo_app, settle

from meettui.core.capabilities import UpdateMode
from meettui.core.registry import provider_class, provider_kinds
from meettui.tui.screens.form import FormBody, MeetingFormScreen

# Every provider with a field an edit cannot change.
FIXED_KINDS = [k for k in provider_kinds()
               if any(not f.editable for f in provider_class(k).capabilities.fields)]


def _account(kind: str) -> str:
    return "jitsi" if kind == "jitsi" else f"{kind}-demo"


async def _edit_form(pilot, account: str, *, change=None) -> MeetingFormScreen:
    """The edit form of `account`'s first meeting its provider edits (`change` applied
    to it first, and cached so)."""
    app = pilot.app
    await settle(pilot)
    meeting = next(m for m in app.service.cache.window([account], limit=1000)
                   if app.service.capabilities_for(m).update != UpdateMode.NONE)
    if change is not None:
        meeting = change(meeting)
        app.service.cache.upsert(meeting)
    form = MeetingFormScreen(app.service, accounts=[account], meeting=meeting)
    await app.push_screen(form)
    await pilot.pause()
    await pilot.pause()
    return form


def _labels(form: MeetingFormScreen) -> dict[str, str]:
    """Each field's label as the form shows it, by field name."""
    shown = [str(label.render()) for label in form.query(".field-label")]
    return dict(zip([spec.name for spec in form.fields()], shown, strict=True))


def test_the_providers_checked_are_those_with_fixed_fields():
    assert {"24sessions", "vonage", "eyeson", "jitsi"} <= set(FIXED_KINDS)


@pytest.mark.parametrize("kind", FIXED_KINDS)
async def test_an_edit_form_stars_no_fixed_field_and_leaves_them_out_of_below(tmp_path,
                                                                              kind):
    app = demo_app(tmp_path, providers=() if kind == "jitsi" else (kind,))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_form(pilot, _account(kind))
        labels = _labels(form)
        fixed = [spec for spec in form.fields() if not spec.editable]
        assert fixed, kind
        for spec in form.fields():
            starred = spec.required and spec.editable
            assert labels[spec.name] == spec.label + (" *" if starred else ""), kind
        form.query_one(FormBody).scroll_home(animate=False)
        await pilot.pause()
        below = form.query_one(FormBody).fields_below()
        assert not {labels[spec.name] for spec in fixed} & set(below), (kind, below)


async def test_a_24sessions_edit_names_below_only_what_can_be_changed(tmp_path):
    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_form(pilot, "24sessions-demo")
        labels = _labels(form)
        assert labels["guest_name"] == "Guest name"
        assert labels["guest_email"] == "Guest email"
        assert labels["starts_at"] == "Start *"  # still required, and changeable
        form.say_fields_below()
        assert str(form.query_one("#form-below").render()) == \
            "↓ Below: Reason for rescheduling"


async def test_a_fixed_required_field_left_empty_does_not_stop_the_save(tmp_path):
    # A meeting whose guest the provider did not give: its edit form showed an empty
    # "Guest name", which the user cannot fill in, and Save said it was required.
    def without_guest(meeting):
        raw = {**meeting.raw, "guest_name": None, "guest_email": None}
        return meeting.model_copy(update={"raw": raw})

    app = demo_app(tmp_path, providers=("24sessions",))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_form(pilot, "24sessions-demo", change=without_guest)
        assert form.query_one("#field-guest_name").value == ""
        form.query_one("#field-title").value = "A new description"
        spec = form.collect()
        assert spec is not None
        assert spec.title == "A new description"
        assert not set(spec.options) & {"guest_name", "guest_email"}
