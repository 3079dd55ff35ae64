"""Every recorded Vonage Meetings answer in `../shared/contracts/vonage/fixtures/` parses,
one test per fixture, without loss (unknown fields kept in `raw`), and matches the
official v1 spec (`meetings-openapi-v1.yml`): field names, enums, patterns.

The spec is read with a small indentation reader (the project has no YAML parser): it
only needs the property names, enums and patterns of a few schemas.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from meettui.core.errors import AuthError, NotFound, ValidationError
from meettui.core.models import Role, Status
from meettui.core.paging import NextLinkPaging
from meettui.core.redact import redact
from meettui.providers.vonage import mapping
from meettui.providers.vonage.capabilities import JOIN_APPROVAL_LEVELS, LANGUAGES
from meettui.providers.vonage.errors import ERRORS

CONTRACTS = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "vonage"
FIXTURES = CONTRACTS / "fixtures"
SPEC = (CONTRACTS / "meetings-openapi-v1.yml").read_text(encoding="utf-8")
# Long after every recorded room expired (they are from January 2023).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BEFORE = datetime(2023, 1, 24, 3, 25, tzinfo=UTC)


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def schema_block(name: str) -> list[str]:
    """The lines of `components.schemas.<name>` in the v1 spec."""
    lines = SPEC.splitlines()
    start = lines.index(f"    {name}:") + 1
    end = next(i for i in range(start, len(lines))
               if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= 4)
    return lines[start:end]


def properties(name: str) -> set[str]:
    """The property names of a spec schema (its direct `properties`)."""
    block = schema_block(name)
    at = next(i for i, line in enumerate(block) if line.strip() == "properties:")
    indent = len(block[at]) - len(block[at].lstrip()) + 2
    return {line.strip().rstrip(":") for line in block[at + 1:]
            if len(line) - len(line.lstrip()) == indent and line.strip().endswith(":")}


def enum(name: str) -> set[str]:
    """The enum values of a spec schema (the first `enum:` in it)."""
    block = schema_block(name)
    at = next(i for i, line in enumerate(block) if line.strip() == "enum:")
    values = []
    for line in block[at + 1:]:
        if not line.strip().startswith("- "):
            break
        values.append(line.strip()[2:].strip("'\""))
    return set(values)


def pattern(name: str) -> re.Pattern[str]:
    line = next(ln for ln in schema_block(name) if ln.strip().startswith("pattern:"))
    return re.compile(line.split("pattern:", 1)[1].strip().strip("'"))


def test_the_spec_reader_reads_the_spec():
    # A reader that found nothing would make every check below vacuous.
    assert {"id", "meeting_code", "_links", "available_features"} <= properties("Room")
    assert enum("Room_Type") == {"instant", "long_term"}
    assert pattern("Room_MeetingCode").pattern == r"^\d+$"


ROOM_KEYS = properties("Room")


def check_room(data: dict) -> None:
    """A recorded room against the spec: known keys (none new), enums, code pattern."""
    assert set(data) <= ROOM_KEYS, set(data) - ROOM_KEYS
    assert data["type"] in enum("Room_Type")
    assert pattern("Room_MeetingCode").match(data["meeting_code"])
    assert len(data["meeting_code"]) >= 9
    assert data["join_approval_level"] in enum("JoinApprovalLevel")
    assert set(data["available_features"]) <= properties("AvailableFeatures")
    assert set(data["recording_options"]) == properties("RecordingOptions")
    # "default" is outside the spec's enum but every recorded room says it; the client's
    # choices take both.
    assert data["ui_settings"]["language"] in enum("UiSettings") | {"default"}
    assert data["ui_settings"]["language"] in LANGUAGES
    assert set(JOIN_APPROVAL_LEVELS) == enum("JoinApprovalLevel")


def check_meeting(data: dict, *, now: datetime = NOW):
    meeting = mapping.to_meeting(data, account="vn", now=now)
    # Nothing lost: every field of the answer is in raw, unchanged.
    assert {k: meeting.raw[k] for k in data} == data
    assert meeting.id == data["id"] and meeting.title == data["display_name"]
    host, guest = meeting.link(Role.HOST), meeting.link(Role.GUEST)
    assert host is not None and host.sensitive and host.url == data["_links"]["host_url"]["href"]
    assert guest is not None and not guest.sensitive
    assert guest.url == data["_links"]["guest_url"]["href"]
    assert guest.label == f"meeting code {data['meeting_code']}"
    assert meeting.shareable_link() == guest
    assert meeting.details["Meeting code"].startswith(data["meeting_code"])
    assert meeting.starts_at.isoformat().startswith(data["created_at"][:19])
    assert meeting.expires_at.isoformat().startswith(data["expires_at"][:19])
    # The participant token never shows in text that leaves the process.
    token = host.url.split("participant_token=", 1)[1]
    assert token not in redact(f"GET {host.url}")
    return meeting


# --- rooms ------------------------------------------------------------------------------


def test_meeting_room_json():
    data = fixture("meeting_room.json")
    check_room(data)
    meeting = check_meeting(data)
    assert meeting.status == Status.EXPIRED  # recorded in 2023, 10 minutes of life
    assert meeting.details["Room type"].startswith("instant")
    assert meeting.details["Features"] == "recording, chat, whiteboard"
    assert "Close after use" not in meeting.details
    # A minute after creation it was open and live.
    fresh = mapping.to_meeting(data, account="vn", now=datetime(2023, 1, 24, 3, 21,
                                                                  tzinfo=UTC))
    assert fresh.status == Status.LIVE
    assert fresh.details["Available"].startswith("yes")
    # The nested settings, flattened for the edit form, next to the untouched answer.
    assert (meeting.raw["microphone_state"], meeting.raw["language"],
            meeting.raw["is_chat_available"]) == ("default", "default", True)


def test_long_term_room_json():
    data = fixture("long_term_room.json")
    check_room(data)
    meeting = check_meeting(data, now=BEFORE)
    assert meeting.status == Status.SCHEDULED
    assert meeting.details["Room type"].startswith("long-term")
    assert meeting.details["Theme"].startswith("none")
    assert meeting.details["Close after use"] == "no"
    assert "is_captions_available" not in meeting.raw  # absent here, unlike instant rooms


def test_long_term_room_with_theme_json():
    data = fixture("long_term_room_with_theme.json")
    check_room(data)
    theme = mapping.parse_theme(fixture("updated_theme.json"))
    meeting = mapping.to_meeting(data, account="vn", now=BEFORE,
                                 themes={theme.theme_id: theme})
    # The theme's short company URL is a path segment of both links.
    assert meeting.link(Role.GUEST).url == "https://meetings.vonage.com/updated_company_url/613804614"
    assert meeting.link(Role.HOST).url.startswith(
        "https://meetings.vonage.com/updated_company_url/?room_token=613804614")
    assert meeting.details["Theme"] == "updated_theme (company URL /updated_company_url)"
    assert meeting.details["Features"] == "none"
    unnamed = check_meeting(data, now=BEFORE)
    assert unnamed.details["Theme"] == data["theme_id"]


def test_update_room_json():
    data = fixture("update_room.json")
    check_room(data)
    meeting = check_meeting(data, now=BEFORE)
    assert meeting.raw["is_chat_available"] is False


@pytest.mark.parametrize("name", ["multiple_rooms.json", "multiple_fewer_rooms.json",
                                  "list_rooms_with_theme_id.json"])
def test_room_lists(name):
    body = fixture(name)
    paging = NextLinkPaging()
    items = paging.items(body)
    assert isinstance(body["_embedded"], list) and items == body["_embedded"]
    for item in items:
        check_room(item)
        check_meeting(item)
    assert paging.total(body) == body["total_items"]
    assert set(body) <= properties("Room") | {"page_size", "total_items", "_embedded",
                                              "_links"}
    assert set(body["_links"]) <= properties("HAL")
    # The next start_id is read from the scheme-less href, not followed.
    assert not body["_links"]["next"]["href"].startswith("http")
    expected = re.search(r"start_id=(\d+)", body["_links"]["next"]["href"]).group(1)
    assert paging.next_cursor(body, None, body["page_size"], len(items)) == expected
    # The same page in the beta's shape reads the same.
    beta = {**body, "_embedded": {"rooms": body["_embedded"]}}
    assert paging.items(beta) == items


def test_multiple_rooms_json_are_instant_rooms_open_until_they_expire():
    items = fixture("multiple_rooms.json")["_embedded"]
    at = datetime(2023, 1, 24, 3, 27, tzinfo=UTC)  # between the 2nd and 3rd expiry
    meetings = [mapping.to_meeting(i, account="vn", now=at) for i in items]
    assert len({m.id for m in meetings}) == 5
    assert [m.status for m in meetings] == [Status.EXPIRED] * 2 + [Status.LIVE] * 3
    assert all(m.details["Room type"].startswith("instant") for m in meetings)


# --- themes -----------------------------------------------------------------------------


THEME_KEYS = properties("Theme")


def test_theme_json():
    data = fixture("theme.json")
    assert set(data) == THEME_KEYS
    theme = mapping.parse_theme(data)
    assert (theme.theme_id, theme.theme_name, theme.short_company_url, theme.main_color,
            theme.brand_text, theme.domain) == (
        "90a21428-b74a-4221-adc3-783935d654db", "my_theme", "my-company", "#12f64e",
        "My Company", "VCP")
    assert theme.raw == data
    assert pattern("Theme_MainColor").match(theme.main_color)
    assert pattern("Theme_ShortCompanyUrl").match(theme.short_company_url)
    assert theme.domain in enum("Theme_Domain")


def test_updated_theme_json():
    data = fixture("updated_theme.json")
    assert set(data) == THEME_KEYS
    theme = mapping.parse_theme(data)
    assert (theme.theme_name, theme.short_company_url) == ("updated_theme",
                                                           "updated_company_url")
    assert theme.raw == data


def test_list_themes_json():
    data = fixture("list_themes.json")
    themes = mapping.parse_themes(data)
    assert [t.theme_name for t in themes] == ["my_other_theme", "my_theme"]
    assert [t.raw for t in themes] == data
    assert all(set(t.raw) == THEME_KEYS for t in themes)


def test_empty_themes_json_is_no_themes():
    data = fixture("empty_themes.json")
    assert data == {}  # not [] — the API's quirk
    assert mapping.parse_themes(data) == []


# --- recordings, dial-in numbers, logo uploads, the application --------------------------


def test_get_recording_json():
    data = fixture("get_recording.json")
    assert set(data) == properties("Recording")
    recording = mapping.parse_recording(data)
    assert recording.status == "uploaded" and recording.status in enum("Recording_Status")
    assert recording.started_at == datetime(2023, 1, 25, 2, 38, 31, tzinfo=UTC)
    assert recording.url == data["_links"]["url"]["href"]
    assert recording.raw == data
    # The pre-signed URL's credentials are registered for redaction.
    assert "Signature=RosB66" not in redact(recording.url)


def test_get_session_recordings_json():
    data = fixture("get_session_recordings.json")
    recordings = mapping.parse_session_recordings(data)
    assert [r.id for r in recordings] == ["e5b73c98-c087-4ee5-b61b-0ea08204fc65"]
    assert recordings[0].raw == data["_embedded"]["recordings"][0]


def test_list_dial_in_numbers_json():
    data = fixture("list_dial_in_numbers.json")
    numbers = mapping.parse_dial_in_numbers(data)
    assert [(n.number, n.locale, n.display_name) for n in numbers] == [
        ("541139862166", "es-AR", "Argentina"), ("442381924626", "en-GB", "United Kingdom")]
    assert all(set(n.raw) == properties("DialInNumber") for n in numbers)


def test_list_logo_upload_urls_json():
    data = fixture("list_logo_upload_urls.json")
    uploads = mapping.parse_logo_uploads(data)
    assert [u.logo_type for u in uploads] == ["white", "colored", "favicon"]
    assert {u.logo_type for u in uploads} == enum("UploadUrlForTheme")
    assert uploads[0].key == "auto-expiring-temp/logos/white/d92b31ae-fbf1-4709-a729-c0fa75368c25"
    assert [u.raw for u in uploads] == data
    assert "some-signature" not in redact("X-Amz-Signature: some-signature")


def test_update_application_theme_json():
    data = fixture("update_application_theme.json")
    assert set(data) == properties("Application")
    app = mapping.parse_application(data)
    assert (app.application_id, app.account_id, app.default_theme_id) == (
        "my-application-id", "my-account-id", "90a21428-b74a-4221-adc3-783935d654db")
    assert app.raw == data


# --- errors: both shapes ------------------------------------------------------------------


def error_for(name: str, status: int, where: str = "GET /rooms"):
    response = httpx.Response(status, content=(FIXTURES / name).read_bytes(),
                              headers={"Content-Type": "application/json"})
    return ERRORS.error_for(response, where, "vonage")


def test_unauthorized_json():
    assert set(fixture("unauthorized.json")) <= properties("AuthenticationError")
    error = error_for("unauthorized.json", 401)
    assert isinstance(error, AuthError) and error.status == 401
    assert "Unauthorized: You did not provide correct credentials" in error.message
    assert "application_id" in error.hint


@pytest.mark.parametrize(("name", "status", "message"), [
    ("delete_recording_not_found.json", 404, "Could not find recording"),
    ("get_recording_not_found.json", 404, "Recording not-a-real-recording-id was not found"),
    ("get_session_recordings_not_found.json", 404,
     "Failed to find session recordings by id: not-a-real-session-id"),
    ("list_rooms_theme_id_not_found.json", 404,
     "Failed to get rooms because theme id 90a21428-b74a-4221-adc3-783935d654dc not found"),
    ("theme_not_found.json", 404,
     "could not find theme 90a21428-b74a-4221-adc3-783935d654dc"),
])
def test_not_found_fixtures(name, status, message):
    assert set(fixture(name)) <= properties("NotFoundError")
    error = error_for(name, status)
    assert isinstance(error, NotFound) and error.status == status
    assert message in error.message


@pytest.mark.parametrize(("name", "status", "message", "field"), [
    ("update_no_keys.json", 400, '"update_details" must have at least 1 key', None),
    ("update_room_type_error.json", 400,
     "could not be updated because of its type: temporary", "type"),
    ("delete_theme_in_use.json", 400,
     "could not delete theme: Theme 90a21428-b74a-4221-adc3-783935d654db is used by 1 room",
     None),
    ("update_application_theme_id_not_found.json", 400,
     "Failed to update application because theme id not-a-real-theme-id not found",
     "theme_id"),
    ("logo_key_error.json", 400,
     "could not finalize logos: logoKey=not-a-key, code=key_not_found", None),
    ("theme_name_in_use.json", 409, "theme_name already exists in application", None),
    ("update_theme_already_exists.json", 409, "theme_name already exists in application",
     None),
])
def test_service_error_fixtures(name, status, message, field):
    # Answers to changes (a read answered 400 is no value to correct).
    error = error_for(name, status, "PATCH /rooms/{id}")
    assert isinstance(error, ValidationError) and error.status == status
    assert message in error.message
    assert error.field == field


def test_upload_to_aws_error_xml():
    # S3's own XML error (logo upload step 2): not JSON, so only the status line is
    # shown, never the body's credentials.
    error = error_for("upload_to_aws_error.xml", 403, "POST s3")
    assert error.status == 403
    assert error.message.endswith("POST s3 → 403 Forbidden")
    assert "ASIA5NAYMMB6M7A2QEAR" not in error.message


def test_every_fixture_has_a_test():
    tested = set(re.findall(r'"(\w+\.(?:json|xml))"', Path(__file__).read_text()))
    assert {p.name for p in FIXTURES.iterdir()} <= tested
