"""`kept.changes_nothing`: an edit whose every given value is the meeting's own is no
change (the service refuses it, "Nothing to change", before any provider call). Times
are the meeting's when they agree to the coarser of the step they were given in and
the provider's own (`Capabilities.time_precision`)."""

from datetime import timedelta

import pytest

from factories import make_meeting
from meettui.core.kept import changes_nothing, same_time
from meettui.core.models import KeptFacts, MeetingSpec
from meettui.providers.accelevents.capabilities import CAPABILITIES as ACCELEVENTS
from meettui.providers.eyeson.capabilities import CAPABILITIES as EYESON
from meettui.providers.whereby.capabilities import CAPABILITIES as WHEREBY

ROOM = make_meeting(1, title="Intro", kept=KeptFacts(options={"roomMode": "group"},
                                                    title="Intro"))
# An end as a provider keeping milliseconds answers it: 09:31:20.250.
ENDS = ROOM.ends_at + timedelta(seconds=20, milliseconds=250)
TIMED = ROOM.model_copy(update={"ends_at": ENDS})


@pytest.mark.parametrize(("given", "same"), [
    (ENDS, True),
    # Given to the second (a JSON time without milliseconds, `+2h`): the same second.
    (ENDS.replace(microsecond=0), True),
    (ENDS.replace(microsecond=0) + timedelta(seconds=1), False),
    # Given to the minute (as the form and `show` print times): the same minute.
    (ENDS.replace(second=0, microsecond=0), True),
    (ENDS.replace(second=0, microsecond=0) + timedelta(minutes=1), False),
    # Finer than the provider keeps (milliseconds here): what it would keep.
    (ENDS + timedelta(microseconds=400), True),
    (ENDS + timedelta(milliseconds=1), False),
])
def test_a_time_is_the_meeting_s_at_the_step_it_was_given_in(given, same):
    assert same_time(WHEREBY, given, ENDS) is same


def test_a_provider_keeping_minutes_has_one_time_for_its_whole_minute():
    at = ROOM.ends_at  # 09:31:00, as Accelevents keeps it
    assert same_time(ACCELEVENTS, at + timedelta(seconds=42), at) is True
    assert same_time(WHEREBY, at + timedelta(seconds=42), at) is False
    assert same_time(ACCELEVENTS, at + timedelta(minutes=1), at) is False


def merged(**given) -> MeetingSpec:
    """An edit as the front ends send it: what was given, the meeting's own for the rest."""
    return MeetingSpec(**{"title": TIMED.title, "starts_at": TIMED.starts_at,
                          "ends_at": TIMED.ends_at, **given})


@pytest.mark.parametrize(("spec", "nothing"), [
    (merged(), True),
    (merged(ends_at=ENDS.replace(microsecond=0)), True),
    (merged(ends_at=ENDS + timedelta(seconds=5)), False),
    (merged(starts_at=ROOM.starts_at + timedelta(minutes=1)), False),
    (merged(title="Renamed"), False),  # kept here only, but a change
    (merged(title=" Intro "), True),
    (merged(options={"roomMode": "group"}), True),  # as it was made
    (merged(options={"roomMode": "normal"}), False),
    (merged(options={"isLocked": True}), False),  # not known: it may differ
])
def test_only_values_the_meeting_has_change_nothing(spec, nothing):
    assert changes_nothing(WHEREBY, TIMED, spec) is nothing


def test_an_empty_title_keeps_the_title_unless_it_clears_one_kept_here():
    # The form's empty Whereby title shows the room name again: a change.
    assert changes_nothing(WHEREBY, TIMED, merged(title="")) is False
    untitled = TIMED.model_copy(update={"kept": KeptFacts(options={"roomMode": "group"})})
    assert changes_nothing(WHEREBY, untitled, merged(title="  ")) is True
    assert changes_nothing(ACCELEVENTS, TIMED, merged(title="")) is True


def test_a_field_showing_another_time_is_compared_with_that_time():
    # eyeson's "Expires" is given as ends_at and edits expires_at (`FieldSpec.shows`).
    expires = ROOM.ends_at + timedelta(days=3)
    permalink = ROOM.model_copy(update={"ends_at": None, "expires_at": expires,
                                        "kept": KeptFacts()})
    assert changes_nothing(EYESON, permalink, MeetingSpec(ends_at=expires)) is True
    assert changes_nothing(EYESON, permalink,
                           MeetingSpec(ends_at=expires + timedelta(hours=1))) is False


def test_an_option_is_compared_with_the_provider_s_answer_under_its_name():
    # Providers keep an option's value in `raw` under the form field's name (the edit
    # form opens with it); the command line gives numbers as text.
    session = ROOM.model_copy(update={"kept": KeptFacts(), "raw": {
        "capacity": 0, "status": "VISIBLE", "chatEnabled": True}})
    for options in ({"capacity": "0"}, {"capacity": 0}, {"status": "VISIBLE"},
                    {"chatEnabled": True}):
        assert changes_nothing(ACCELEVENTS, session, MeetingSpec(options=options)), options
    for options in ({"capacity": "10"}, {"status": "HIDDEN"}, {"chatEnabled": False},
                    {"chatEnabled": 1}, {"pollEnabled": True}):
        assert not changes_nothing(ACCELEVENTS, session, MeetingSpec(options=options)), \
            options
