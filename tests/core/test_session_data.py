"""`Meeting.session_data`: credential-bearing data an action returns (a video SDK's join
data, say) rides on the returned Meeting only — never in a dump, so never in the cache
or the CLI's JSON, never in a repr — and is masked until revealed."""

from __future__ import annotations

import json

from meettui.core.cache import Cache
from meettui.core.models import Link, Meeting, Role, SessionData

TOKEN = "join-token-0123456789abcdef"


def joined() -> Meeting:
    data = SessionData(
        label="Join data", secret_keys=("JoinToken",),
        data={"meeting": {"MeetingId": "m-1"},
              "attendee": {"AttendeeId": "a-1", "JoinToken": TOKEN},
              "others": [{"JoinToken": TOKEN}, {"JoinToken": ""}]},
    )
    return Meeting(provider="p", account="acc", id="7", title="Session",
                   links=[Link(role=Role.GUEST, url="https://example.org/s/7")],
                   session_data=data)


def test_masked_everywhere_it_is_shown_whole_only_when_revealed():
    data = joined().session_data
    assert data is not None
    masked = data.masked()
    assert masked["attendee"] == {"AttendeeId": "a-1", "JoinToken": "••••••••"}
    assert masked["others"] == [{"JoinToken": "••••••••"}, {"JoinToken": ""}]
    assert masked["meeting"] == {"MeetingId": "m-1"}
    assert data.data["attendee"]["JoinToken"] == TOKEN  # the original is untouched
    assert TOKEN not in data.as_json() and TOKEN not in repr(data) and TOKEN not in str(data)
    assert json.loads(data.as_json(reveal=True)) == data.data


def test_never_dumped_nor_in_a_repr():
    meeting = joined()
    assert "session_data" not in meeting.model_dump()
    assert TOKEN not in meeting.model_dump_json() and TOKEN not in repr(meeting)
    copy = meeting.model_copy(update={"title": "Renamed"})
    assert copy.session_data == meeting.session_data  # carried by the object itself


def test_never_cached(tmp_path):
    cache = Cache(tmp_path / "cache.sqlite3")
    try:
        cache.upsert(joined())
        back = cache.get("acc", "7")
    finally:
        cache.close()
    assert back is not None and back.title == "Session" and back.session_data is None
    for path in tmp_path.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path.name
