"""Why a meeting cannot be a calendar event, and the advice that comes with it
(`core/ics.py`)."""

import pytest

from factories import T0, make_meeting
from meettui.core import ics
from meettui.core.errors import MeettuiError


def test_a_meeting_gone_upstream_says_so_before_it_lacks_a_start():
    # An eyeson room deleted upstream (no start, listed "(gone)") was said to have "no
    # start time" and told to share its link, which no longer works.
    gone = make_meeting(1).model_copy(update={"starts_at": None, "missing": True})
    assert ics.why_left_out(gone) == "no longer listed by the provider"
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
