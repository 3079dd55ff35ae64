"""The Vonage Meetings simulator over real HTTP, without the client: the JWT gate, the
room rules, HAL paging by serial, the PATCH wrapper, expiry, themes and the
application's default theme. JWTs are minted here with PyJWT (harness.mint), the way
Vonage's JWT library builds them."""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from vonage_support import APPLICATION_ID, PRIVATE_KEY, PUBLIC_KEY, WRONG_KEY, mint

from meettui.simulators.account import snippet
from meettui.simulators.registry import build

ROOMS = 45


@pytest.fixture
def vonage(sim_server, sim_clock):
    return sim_server("vonage", clock=sim_clock, meetings=ROOMS,
                      application_id=APPLICATION_ID, public_key=PUBLIC_KEY)


@pytest.fixture
def api(vonage, make_client) -> Iterator[Any]:
    """A client on /v1/meetings with a fresh, valid JWT on every request."""
    client = make_client(vonage, api_key=None)

    def sign(request: httpx.Request) -> None:
        token = mint(PRIVATE_KEY, vonage.sim.clock.now().timestamp())
        request.headers["Authorization"] = f"Bearer {token}"

    client.event_hooks["request"] = [sign]
    yield client


def raw_get(vonage, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(vonage.base_url + "/rooms", headers=headers, timeout=10)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def long_term(vonage, **extra: Any) -> dict[str, Any]:
    expires = vonage.sim.clock.now() + timedelta(days=3)
    return {"display_name": "Board", "type": "long_term",
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.000Z"), **extra}


# --- the JWT gate -----------------------------------------------------------------------


def test_no_header_is_missing_auth(vonage):
    response = raw_get(vonage, {})
    assert response.status_code == 401
    assert response.json() == {"title": "Missing Auth", "detail": "Auth header is required"}


@pytest.mark.parametrize("case", ["other key", "other application", "expired", "unsigned",
                                  "no jti", "no iat", "no exp", "issued in the future",
                                  "not bearer", "garbage"])
def test_bad_jwts_are_401_in_the_gateway_shape(vonage, case):
    now = vonage.sim.clock.now().timestamp()
    claims = {"application_id": APPLICATION_ID, "iat": int(now), "exp": int(now) + 900,
              "jti": str(uuid.uuid4())}
    headers = bearer(mint(PRIVATE_KEY, now))
    if case == "other key":
        headers = bearer(mint(WRONG_KEY, now))
    elif case == "other application":
        headers = bearer(mint(PRIVATE_KEY, now, application_id=str(uuid.uuid4())))
    elif case == "expired":
        headers = bearer(mint(PRIVATE_KEY, now - 901))
    elif case == "unsigned":
        headers = bearer(jwt.encode(claims, None, algorithm="none"))
    elif case in ("no jti", "no iat", "no exp"):
        claims.pop(case.split()[1])
        headers = bearer(jwt.encode(claims, PRIVATE_KEY, algorithm="RS256"))
    elif case == "issued in the future":
        headers = bearer(mint(PRIVATE_KEY, now + 3600))
    elif case == "not bearer":
        headers = {"Authorization": f"Basic {mint(PRIVATE_KEY, now)}"}
    elif case == "garbage":
        headers = bearer("not.a.jwt")
    response = raw_get(vonage, headers)
    assert response.status_code == 401
    assert response.json() == {"title": "Unauthorized",
                               "detail": "You did not provide correct credentials"}


def test_a_jwt_is_good_until_its_exp_on_the_simulators_clock(vonage, sim_clock):
    token = mint(PRIVATE_KEY, sim_clock.now().timestamp(), lifetime=300)
    assert raw_get(vonage, bearer(token)).status_code == 200
    sim_clock.advance(timedelta(seconds=299))
    assert raw_get(vonage, bearer(token)).status_code == 200
    sim_clock.advance(timedelta(seconds=1))
    assert raw_get(vonage, bearer(token)).status_code == 401


def test_without_a_public_key_the_generated_pair_is_used_and_written(sim_clock, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the key file goes here
    sim = build("vonage", clock=sim_clock, meetings=1)
    path = sim.private_key_path()
    assert path is not None and sim.private_key_path() == path
    assert Path(path).is_relative_to(tmp_path)
    assert Path(path).stat().st_mode & 0o777 == 0o600
    with open(path, encoding="utf-8") as key_file:
        pem = key_file.read()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    token = mint(pem, sim_clock.now().timestamp(), application_id=sim.application_id)
    assert sim.refusal(f"Bearer {token}") is None
    text = "\n".join([sim.describe_credentials(),
                      *snippet("vonage", "http://127.0.0.1:1/v1/meetings", sim.account())])
    assert f'private_key_path = "{path}"' in text
    assert f'application_id = "{sim.application_id}"' in text
    assert "BEGIN" not in text  # the key's path, never the key


# --- rooms --------------------------------------------------------------------------------


def test_create_an_instant_room(api, vonage):
    response = api.post("/rooms", json={"display_name": "Walk-in"})
    assert response.status_code == 201
    room = response.json()
    assert uuid.UUID(room["id"]).version == 4
    assert re.fullmatch(r"\d{9,}", room["meeting_code"])
    code = room["meeting_code"]
    assert room["_links"]["guest_url"]["href"] == f"https://meetings.vonage.com/{code}"
    host = room["_links"]["host_url"]["href"]
    assert host.startswith(f"https://meetings.vonage.com/?room_token={code}"
                           "&participant_token=")
    assert (room["type"], room["is_available"], room["theme_id"]) == ("instant", True, None)
    assert room["created_at"] == "2026-03-02T09:00:00.000Z"
    assert room["expires_at"] == "2026-03-02T09:10:00.000Z"  # creation + 10 minutes
    assert api.get(f"/rooms/{room['id']}").json() == room


def test_an_instant_room_becomes_unavailable_at_expiry(api, vonage, sim_clock):
    room = api.post("/rooms", json={"display_name": "Walk-in"}).json()
    sim_clock.advance(timedelta(minutes=9, seconds=59))
    assert api.get(f"/rooms/{room['id']}").json()["is_available"] is True
    sim_clock.advance(timedelta(seconds=1))
    assert api.get(f"/rooms/{room['id']}").json()["is_available"] is False


@pytest.mark.parametrize(("body", "message", "name"), [
    ({}, '"display_name" is required', "InputValidationError"),
    ({"display_name": "x" * 201},
     '"display_name" length must be less than or equal to 200 characters long',
     "InputValidationError"),
    ({"display_name": "A", "metadata": "m" * 501},
     '"metadata" length must be less than or equal to 500 characters long',
     "InputValidationError"),
    ({"display_name": "A", "type": "forever"}, '"type" must be one of [instant, long_term]',
     "InputValidationError"),
    ({"display_name": "A", "type": "long_term"}, '"expires_at" is required',
     "InputValidationError"),
    ({"display_name": "A", "expires_at": "2026-03-05T09:00:00.000Z"},
     '"expires_at" is not allowed', "InputValidationError"),
    ({"display_name": "A", "type": "long_term", "expires_at": "2026-03-02T09:10:00.000Z"},
     '"expires_at" must be greater than 10 minutes from now', "BadRequestError"),
    ({"display_name": "A", "type": "long_term", "expires_at": "2027-03-03T09:00:00.000Z"},
     '"expires_at" must be at most one year from now', "BadRequestError"),
    ({"display_name": "A", "type": "long_term", "expires_at": "soon"},
     '"expires_at" must be a valid date', "InputValidationError"),
    ({"display_name": "A", "expire_after_use": True}, '"expire_after_use" is not allowed',
     "InputValidationError"),
    ({"display_name": "A", "join_approval_level": "maybe"},
     '"join_approval_level" must be one of [none, after_owner_only, explicit_approval]',
     "InputValidationError"),
    ({"display_name": "A", "initial_join_options": {"microphone_state": "loud"}},
     '"initial_join_options.microphone_state" must be one of [on, off, default]',
     "InputValidationError"),
    ({"display_name": "A", "ui_settings": {"language": "xx"}},
     '"ui_settings.language" must be one of', "InputValidationError"),
    ({"display_name": "A", "recording_options": {"record_owner_only": True}},
     '"recording_options.record_owner_only" is not allowed', "InputValidationError"),
    ({"display_name": "A", "available_features": {"is_chat_available": "yes"}},
     '"available_features.is_chat_available" must be a boolean', "InputValidationError"),
    ({"display_name": "A", "callback_urls": {"rooms_callback_url": "ftp://x"}},
     '"callback_urls.rooms_callback_url" with value "ftp://x" fails to match',
     "InputValidationError"),
    ({"display_name": "A", "theme_id": "nope"}, '"theme_id" must be a valid GUID',
     "InputValidationError"),
    ({"display_name": "A", "theme_id": "90a21428-b74a-4221-adc3-783935d654dc"},
     "Failed to create room because theme id 90a21428-b74a-4221-adc3-783935d654dc not found",
     "BadRequestError"),
    ({"display_name": "A", "colour": "red"}, '"colour" is not allowed',
     "InputValidationError"),
])
def test_create_rules(api, vonage, body, message, name):
    response = api.post("/rooms", json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["message"].startswith(message)
    assert (error["name"], error["status"]) == (name, 400)
    assert vonage.sim.info()["meetings"] == ROOMS  # nothing created


def test_create_a_long_term_room_with_every_setting(api, vonage):
    body = long_term(
        vonage, metadata="crm:7", expire_after_use=True, join_approval_level="explicit_approval",
        recording_options={"auto_record": True, "record_only_owner": False},
        initial_join_options={"microphone_state": "off"}, ui_settings={"language": "pt-br"},
        available_features={"is_chat_available": False, "is_captions_available": True},
        callback_urls={"rooms_callback_url": "https://example.com/rooms"})
    response = api.post("/rooms", json=body)
    assert response.status_code == 201
    room = response.json()
    assert room["expires_at"] == body["expires_at"]
    assert (room["metadata"], room["expire_after_use"], room["join_approval_level"]) == (
        "crm:7", True, "explicit_approval")
    assert room["recording_options"] == {"auto_record": True, "record_only_owner": False}
    assert room["initial_join_options"] == {"microphone_state": "off"}
    assert room["ui_settings"] == {"language": "pt-br"}
    assert room["available_features"]["is_chat_available"] is False
    assert room["available_features"]["is_captions_available"] is True
    assert room["available_features"]["is_whiteboard_available"] is True
    assert room["callback_urls"] == {"rooms_callback_url": "https://example.com/rooms"}


def test_unknown_rooms_are_404_in_the_service_shape_and_rooms_cannot_be_deleted(api):
    missing = "00000000-0000-4000-8000-000000000000"
    response = api.get(f"/rooms/{missing}")
    assert response.status_code == 404
    assert response.json() == {"message": f"Failed to fetch resource with id {missing}",
                               "name": "NotFoundError", "status": 404}
    room = api.get("/rooms").json()["_embedded"][0]
    assert api.delete(f"/rooms/{room['id']}").status_code == 405
    assert api.get(f"/rooms/{room['id']}").status_code == 200


# --- PATCH --------------------------------------------------------------------------------


def test_patch_takes_the_update_details_wrapper(api, vonage):
    room = api.post("/rooms", json=long_term(vonage)).json()
    later = (vonage.sim.clock.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    response = api.patch(f"/rooms/{room['id']}", json={"update_details": {
        "expires_at": later, "join_approval_level": "after_owner_only",
        "available_features": {"is_whiteboard_available": False}}})
    assert response.status_code == 200
    updated = response.json()
    assert updated["expires_at"] == later
    assert updated["join_approval_level"] == "after_owner_only"
    features = updated["available_features"]
    assert (features["is_whiteboard_available"], features["is_chat_available"]) == (False, True)
    assert updated["_links"] == room["_links"]  # same room, same links
    assert api.get(f"/rooms/{room['id']}").json() == updated


@pytest.mark.parametrize(("body", "message"), [
    ({"update_details": {}}, '"update_details" must have at least 1 key'),
    ({}, '"update_details" is required'),
    ({"update_options": {"expire_after_use": True}}, '"update_options" is not allowed'),
    ({"update_details": {"display_name": "New"}},
     '"update_details.display_name" is not allowed'),
    ({"update_details": {"expire_after_use": "yes"}},
     '"update_details.expire_after_use" must be a boolean'),
])
def test_patch_bodies_that_are_refused(api, vonage, body, message):
    room = api.post("/rooms", json=long_term(vonage)).json()
    response = api.patch(f"/rooms/{room['id']}", json=body)
    assert response.status_code == 400
    assert response.json() == {"message": message, "name": "InputValidationError",
                               "status": 400}
    assert api.get(f"/rooms/{room['id']}").json() == room


def test_an_instant_room_cannot_be_patched(api):
    room = api.post("/rooms", json={"display_name": "Now"}).json()
    response = api.patch(f"/rooms/{room['id']}",
                         json={"update_details": {"join_approval_level": "none"}})
    assert response.status_code == 400
    assert response.json() == {
        "message": f"The room with id: {room['id']} could not be updated because of its "
                   "type: temporary",
        "name": "BadRequestError", "status": 400}


def test_an_expired_room_cannot_be_patched(api, vonage, sim_clock):
    room = api.post("/rooms", json=long_term(vonage)).json()
    sim_clock.advance(timedelta(days=3))
    response = api.patch(f"/rooms/{room['id']}",
                         json={"update_details": {"expire_after_use": True}})
    assert response.status_code == 404
    assert response.json()["name"] == "NotFoundError"


# --- paging -------------------------------------------------------------------------------


def start_id(href: str) -> int:
    return int(re.search(r"[?&]start_id=(\d+)", href).group(1))


def test_walking_by_start_id_reaches_every_room_once_and_ends(api):
    everything = api.get("/rooms", params={"page_size": 1000}).json()
    all_ids = [r["id"] for r in everything["_embedded"]]
    assert len(set(all_ids)) == everything["total_items"] == ROOMS
    assert "next" not in everything["_links"]

    seen, params, pages = [], {"page_size": 10}, 0
    while True:
        body = api.get("/rooms", params=params).json()
        pages += 1
        assert body["page_size"] == 10 and body["total_items"] == ROOMS
        seen += [r["id"] for r in body["_embedded"]]
        following = body["_links"].get("next")
        if following is None:
            break
        href = following["href"]
        assert href.startswith("api-eu.vonage.com/meetings/rooms?")  # no scheme, no /v1
        params = {"page_size": 10, "start_id": start_id(href)}
    assert seen == all_ids and pages == 5


def test_serials_are_not_room_ids_and_end_id_is_exclusive(api):
    first = api.get("/rooms", params={"page_size": 3}).json()
    second_start = start_id(first["_links"]["next"]["href"])
    second = api.get("/rooms", params={"page_size": 3, "start_id": second_start}).json()
    prev_end = int(re.search(r"end_id=(\d+)", second["_links"]["prev"]["href"]).group(1))
    assert prev_end == second_start
    # end_id excludes itself: asking up to the second page's start gives the first page.
    before = api.get("/rooms", params={"page_size": 10, "end_id": second_start}).json()
    assert [r["id"] for r in before["_embedded"]] == [r["id"] for r in first["_embedded"]]
    assert "next" not in before["_links"]


@pytest.mark.parametrize("params", [{"page_size": "ten"}, {"page_size": 0},
                                    {"page_size": 1001}, {"start_id": "abc"}])
def test_bad_page_parameters_are_400(api, params):
    response = api.get("/rooms", params=params)
    assert response.status_code == 400
    assert response.json()["name"] == "InputValidationError"


# --- themes and the application ---------------------------------------------------------


def new_theme(api, **values: Any) -> httpx.Response:
    return api.post("/themes", json={"main_color": "#abc", "brand_text": "Bank", **values})


def test_themes_list_is_an_empty_object_when_there_are_none(api):
    themes = api.get("/themes").json()
    assert isinstance(themes, list) and len(themes) == 3  # seeded
    for theme in themes:
        assert api.delete(f"/themes/{theme['theme_id']}", params={"force": "true"}
                          ).status_code == 204
    response = api.get("/themes")
    assert response.status_code == 200 and response.content == b"{}"


def test_theme_create_get_patch_and_conflicts(api):
    created = new_theme(api, theme_name="bank", short_company_url="the-bank")
    assert created.status_code == 201
    theme = created.json()
    assert (theme["theme_name"], theme["short_company_url"], theme["domain"]) == (
        "bank", "the-bank", "VCP")
    assert api.get(f"/themes/{theme['theme_id']}").json() == theme
    conflict = new_theme(api, theme_name="bank")
    assert conflict.status_code == 409
    assert conflict.json() == {"message": "theme_name already exists in application",
                               "name": "ConflictError", "status": 409}
    assert new_theme(api, short_company_url="the-bank").status_code == 409
    assert new_theme(api, main_color="red").status_code == 400
    assert new_theme(api, short_company_url="1234").status_code == 400  # needs a letter

    patched = api.patch(f"/themes/{theme['theme_id']}",
                        json={"update_details": {"brand_text": "The Bank"}})
    assert patched.status_code == 200 and patched.json()["brand_text"] == "The Bank"
    assert api.patch(f"/themes/{theme['theme_id']}",
                     json={"update_details": {}}).status_code == 400
    unnamed = new_theme(api).json()
    assert uuid.UUID(unnamed["theme_name"])  # a generated name
    missing = api.get("/themes/90a21428-b74a-4221-adc3-783935d654dc")
    assert missing.status_code == 404
    assert missing.json()["message"] == "could not find theme 90a21428-b74a-4221-adc3-783935d654dc"


def test_a_themes_company_url_is_in_its_rooms_links(api, vonage):
    theme = new_theme(api, short_company_url="the-bank").json()
    room = api.post("/rooms", json=long_term(vonage, theme_id=theme["theme_id"])).json()
    code = room["meeting_code"]
    assert room["_links"]["guest_url"]["href"] == f"https://meetings.vonage.com/the-bank/{code}"
    assert room["_links"]["host_url"]["href"].startswith(
        f"https://meetings.vonage.com/the-bank/?room_token={code}&")
    listed = api.get(f"/themes/{theme['theme_id']}/rooms").json()
    assert [r["id"] for r in listed["_embedded"]] == [room["id"]]
    assert listed["total_items"] == 1


def test_a_theme_in_use_is_deleted_only_with_force(api, vonage):
    theme = new_theme(api).json()
    room = api.post("/rooms", json=long_term(vonage, theme_id=theme["theme_id"])).json()
    path = f"/themes/{theme['theme_id']}"
    for params in ({}, {"force": "false"}):
        response = api.delete(path, params=params)
        assert response.status_code == 400
        assert response.json() == {
            "message": "could not delete theme", "name": "BadRequestError",
            "errors": [f"Theme {theme['theme_id']} is used by 1 room"], "status": 400}
    assert api.delete(path, params={"force": "maybe"}).status_code == 400
    assert api.delete(path, params={"force": "true"}).status_code == 204
    assert api.get(path).status_code == 404
    assert api.get(f"/rooms/{room['id']}").json()["theme_id"] is None
    assert api.get(f"{path}/rooms").json()["message"] == (
        f"Failed to get rooms because theme id {theme['theme_id']} not found")


def test_the_default_theme(api, vonage):
    theme = new_theme(api).json()
    response = api.patch("/applications",
                         json={"update_details": {"default_theme_id": theme["theme_id"]}})
    assert response.status_code == 200
    assert response.json() == {"application_id": APPLICATION_ID,
                               "account_id": response.json()["account_id"],
                               "default_theme_id": theme["theme_id"]}
    # New rooms get it (unconfirmed, see DEFAULT_THEME_FOR_NEW_ROOMS); it is in use now.
    assert api.post("/rooms", json={"display_name": "x"}).json()["theme_id"] == theme["theme_id"]
    assert api.delete(f"/themes/{theme['theme_id']}").status_code == 400
    bad = api.patch("/applications",
                    json={"update_details": {"default_theme_id": "not-a-real-theme-id"}})
    assert bad.status_code == 400
    assert bad.json() == {"message": "Failed to update application because theme id "
                                     "not-a-real-theme-id not found",
                          "name": "BadRequestError", "status": 400}
