"""Text meettui hands to another program (an invitation for chat or email, a calendar
file, join data as JSON, a QR code, the log a terminal `tail`s) carries no escape
sequence, control, bidi or zero-width character from a provider: one rule
(`display.plain`, `display.plain_link`) for every such path."""

from __future__ import annotations

import json
import logging
import time

import pytest

from factories import T0, make_meeting
from meettui.core import ics, qr
from meettui.core.display import is_hidden
from meettui.core.invitation import DEFAULT_INVITATION, invitation_text
from meettui.core.models import Link, Role, SessionData

TITLE = "ANSI \x1b[31mRED\x1b[0m osc\x1b]52;c;aGFja2Vk\x07 end safe\u202egnp.exe zero\u200bwidth"
CLEAN = "ANSI RED osc end safegnp.exe zerowidth"
URL = "https://x.example/r\u202e1"
URL_SENT = "https://x.example/r%E2%80%AE1"
PLAIN_URL = "https://x.example/r1"


def hidden_in(text: str, keep: str = "") -> list[str]:
    return [c for c in text if is_hidden(c) and c not in keep]


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def hostile(url: str = PLAIN_URL):
    # model_copy: not validated again, so the links stay as given (as in a copy made
    # after the model's check, which the exports must not trust).
    return make_meeting(0, account="team", title=TITLE).model_copy(update={"links": [
        Link(role=Role.GUEST, url=url), Link(role=Role.HOST, url=url + "?k", sensitive=True)]})


def test_an_invitation_holds_no_escape_or_bidi_character(utc):
    # The tester's title: `I` copied raw ESC sequences, an OSC 52 inside, to the clipboard.
    text = invitation_text(DEFAULT_INVITATION, hostile())
    assert text == f"{CLEAN}\nTue 24 Nov 2026 09:00–09:30 UTC\nJoin: {PLAIN_URL}"
    assert hidden_in(text, keep="\n") == []


def test_a_link_holding_a_bidi_character_is_never_exported():
    # A link that reads as another (`…/r\u202e1`) is refused (`link_check`): no
    # invitation, calendar event or QR code carries it, even percent-encoded.
    with pytest.raises(ValueError, match="no link a guest can use"):
        invitation_text(DEFAULT_INVITATION, hostile(URL))
    made = ics.calendar([hostile(URL)], T0)
    assert made.events == 0 and URL_SENT.encode() not in made.data
    assert [why for _, why in made.skipped] == ["no guest link"]


def test_an_invitation_template_of_the_users_own_is_made_plain_too(utc):
    template = "\x1b[1m{title}\x1b[0m\t({account})\r\nJoin\u2066: {link}"
    text = invitation_text(template, hostile())
    assert text == f"{CLEAN}\t(team)\nJoin: {PLAIN_URL}"


def test_a_calendar_file_carries_neither_bidi_nor_zero_width_characters():
    from icalendar import Calendar

    data = ics.calendar([hostile()], T0).data
    assert hidden_in(data.decode(), keep="\r\n") == []
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == CLEAN
    assert str(event["URL"]) == PLAIN_URL and str(event["LOCATION"]) == PLAIN_URL
    assert str(event["DESCRIPTION"]) == f"Join: {PLAIN_URL}"


def test_join_data_as_json_escapes_what_it_cannot_show():
    data = SessionData(label="Join data", secret_keys=(),
                       data={"name": "a\u202eb\x1b[2J", "n": 1})
    text = data.as_json(reveal=True)
    assert hidden_in(text, keep="\n") == []
    assert '"a\\u202eb\\u001b[2J"' in text
    assert json.loads(text) == data.data  # the same data


def test_a_qr_code_carries_a_link_as_a_browser_would_send_it():
    assert qr.make_matrix(URL) == qr.make_matrix(URL_SENT)
    assert qr.make_matrix(URL) != qr.make_matrix("https://x.example/r1")


def test_the_log_shows_control_and_bidi_characters_as_escapes(tmp_path):
    from meettui.logs import setup_logging

    path = setup_logging(path=tmp_path / "meettui.log")
    logging.getLogger("meettui.test").info("title %s\nnext \u202eline", TITLE)
    for handler in logging.getLogger("meettui").handlers:
        handler.flush()
    text = path.read_text()
    assert hidden_in(text, keep="\n") == []
    assert "title ANSI \\x1b[31mRED\\x1b[0m osc\\x1b]52;c;aGFja2Vk\\x07 end safe\\u202egnp" in text
    assert "\nnext \\u202eline\n" in text
