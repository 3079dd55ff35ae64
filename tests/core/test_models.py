from datetime import timedelta

from factories import T0, make_meeting
from meettui.core.models import Status


def test_stale_live_status_ends_when_the_end_passes():
    live = make_meeting(0).model_copy(update={"status": Status.LIVE})
    assert live.effective_status(T0 + timedelta(minutes=10)) == Status.LIVE
    assert live.effective_status(T0 + timedelta(minutes=31)) == Status.ENDED


def test_expiry_wins_over_everything_but_cancel():
    m = make_meeting(0).model_copy(update={"expires_at": T0 + timedelta(hours=1)})
    assert m.effective_status(T0 + timedelta(hours=2)) == Status.EXPIRED
    cancelled = m.model_copy(update={"status": Status.CANCELLED})
    assert cancelled.effective_status(T0 + timedelta(hours=2)) == Status.CANCELLED


def test_scheduled_before_start_and_shareable_link_is_not_the_host():
    m = make_meeting(5)
    assert m.effective_status(T0) == Status.SCHEDULED
    assert m.shareable_link().role == "guest"
    assert not m.shareable_link().sensitive
