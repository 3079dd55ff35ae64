"""`kept.changes_upstream`: which edits a provider that edits by recreating must recreate
for (Whereby keeps no title: a new title alone stays on this machine)."""

from datetime import timedelta

import pytest

from factories import make_meeting
from meettui.core.kept import changes_upstream
from meettui.core.models import KeptFacts, MeetingSpec
from meettui.providers.whereby.capabilities import CAPABILITIES as WHEREBY

ROOM = make_meeting(1, kept=KeptFacts(options={"roomMode": "group"}, title="Intro"))
LATER = ROOM.ends_at + timedelta(minutes=30)


@pytest.mark.parametrize(("spec", "upstream"), [
    (MeetingSpec(title="Renamed"), False),  # the title is `local`
    (MeetingSpec(title="Renamed", starts_at=ROOM.starts_at, ends_at=ROOM.ends_at), False),
    # Given to the second: 20 seconds later is another end (it was taken as the same
    # minute, and the edit changed nothing without a word).
    (MeetingSpec(ends_at=ROOM.ends_at + timedelta(seconds=20)), True),
    (MeetingSpec(ends_at=LATER), True),
    (MeetingSpec(title="Renamed", ends_at=LATER), True),
    (MeetingSpec(options={"roomMode": "group"}), False),  # as it was made
    (MeetingSpec(options={"roomMode": "normal"}), True),
    (MeetingSpec(options={"isLocked": True}), True),  # not known: it may differ
])
def test_only_what_the_provider_holds_counts(spec, upstream):
    assert changes_upstream(WHEREBY, ROOM, spec) is upstream


def test_a_time_given_to_the_minute_is_the_meeting_s_time_in_that_minute():
    # The form gives times to the minute: an end read back as 09:31 (the room ends at
    # 09:31:20) is no change, and no reason to recreate the room.
    room = ROOM.model_copy(update={"ends_at": ROOM.ends_at + timedelta(seconds=20)})
    assert changes_upstream(WHEREBY, room, MeetingSpec(ends_at=ROOM.ends_at)) is False
    later = ROOM.ends_at + timedelta(minutes=1)
    assert changes_upstream(WHEREBY, room, MeetingSpec(ends_at=later)) is True


def test_a_title_the_provider_holds_counts():
    held = WHEREBY.model_copy(update={"fields": tuple(
        f.model_copy(update={"local": False}) for f in WHEREBY.fields)})
    assert changes_upstream(held, ROOM, MeetingSpec(title="Renamed")) is True
    assert changes_upstream(held, ROOM, MeetingSpec(title=ROOM.title)) is False
