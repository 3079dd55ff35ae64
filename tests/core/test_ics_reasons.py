"""Why a meeting cannot be a calendar event, and the advice that comes with it
(`core/ics.py`)."""

import pytest

from factories import T0, make_meeting
from meettui.core import ics
from meettui.core.errors import MeettuiError
from meettui.core.models import Status


def test_a_meeting_gone_upstream_says_so_before_it_lacks_a_start():
    # An eyeson room deleted upstream (no start, listed "(gone)") was said to have "no
    # start time" and told to share its link, which no longer works.
    gone = make_meeting(1).model_copy(update={"starts_at": None, "missing": True})
    assert ics.why_left_out(gone, T0) == "no longer listed by the provider"
    with pytest.raises(MeettuiError) as caught:
        ics.one(gone, T0)
    assert caught.value.message.endswith("cannot be a calendar event: no longer listed "
                                         "by the provider.")
    assert caught.value.exit_code == 1  # a failure, not a usage error
    # Not the advice for a meeting without a start (a start, its link: neither works);
    # what does: ask the provider again, or forget it. It said nothing to do.
    assert caught.value.hint == (
        f"Check whether the provider has it again with `meettui show {gone.id} --refresh`; "
        f"if it was removed there, `meettui delete {gone.id}` forgets it here (nothing is "
        "sent to the provider).")


def test_a_meeting_without_a_start_is_told_what_works():
    no_start = make_meeting(2).model_copy(update={"starts_at": None})
    with pytest.raises(MeettuiError) as caught:
        ics.one(no_start, T0)
    assert caught.value.message.endswith("no start time.")
    assert "meettui qr" in caught.value.hint


def test_an_expired_meeting_is_no_event_and_says_how_to_meet():
    # Its event carried a link that no longer works, without a word (exit 0), and one
    # without a start was told to "share its link instead, `meettui qr ID`", which
    # refuses it.
    from datetime import timedelta

    for starts in (T0 - timedelta(days=2), None):
        expired = make_meeting(3).model_copy(update={
            "starts_at": starts, "ends_at": None, "expires_at": T0 - timedelta(hours=1)})
        assert ics.why_left_out(expired, T0) == "expired: its link no longer works"
        with pytest.raises(MeettuiError) as caught:
            ics.one(expired, T0)
        assert caught.value.exit_code == 1
        assert caught.value.message.endswith("cannot be a calendar event: expired: its "
                                             "link no longer works.")
        assert "meettui qr" not in caught.value.hint
        assert caught.value.hint.startswith("To meet, make a new meeting with `meettui "
                                            "create -a acc …`")
        listed = ics.calendar([expired, make_meeting(4)], T0)
        assert [(m.id, why) for m, why in listed.skipped] == [
            (expired.id, "expired: its link no longer works")]


def test_a_cancelled_meeting_is_an_event_marked_cancelled():
    cancelled = make_meeting(5).model_copy(update={"status": Status.CANCELLED})
    assert ics.why_left_out(cancelled, T0) is None
    assert b"STATUS:CANCELLED" in ics.one(cancelled, T0).data
