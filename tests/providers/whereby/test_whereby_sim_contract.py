"""The Whereby simulator agrees with Whereby's official OpenAPI file.

`openapi.json` beside this file is an unchanged copy of `contracts/whereby/openapi.json`
(whereby/docs `.gitbook/assets/_api-reference-docs-openapi.json` at 4449da8).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest

from meettui.simulators.whereby import rules
from meettui.simulators.whereby.app import COSTS, WRITE_COST, WherebySimulator

SPEC = json.loads((Path(__file__).parent / "openapi.json").read_text())
SCHEMAS = SPEC["components"]["schemas"]
MEETING = SCHEMAS["Meeting"]
CREATE = SPEC["paths"]["/meetings"]["post"]["requestBody"]["content"]["application/json"]["schema"]


def list_param(name: str) -> dict:
    params = SPEC["paths"]["/meetings"]["get"]["parameters"]
    return next(p for p in params if p.get("name") == name)


def assert_meeting(data: dict) -> None:
    """The Meeting schema: required keys, only known keys, strings, URIs, UTC date-times."""
    assert set(MEETING["required"]) <= set(data)
    assert set(data) <= set(MEETING["properties"])
    for key, value in data.items():
        schema = MEETING["properties"][key]
        assert isinstance(value, str), key
        if schema.get("format") == "uri":
            assert urlparse(value).scheme == "https", key
        if schema.get("format") == "date-time":
            assert value.endswith("Z"), key  # "Always in UTC"
            datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_base_path_matches_the_server_url():
    assert urlparse(SPEC["servers"][0]["url"]).path == WherebySimulator.base_path


def test_enums_match():
    props = CREATE["properties"]
    assert set(props["roomMode"]["enum"]) == set(rules.ROOM_MODES)
    assert props["roomMode"]["default"] == "normal"
    assert set(props["roomNamePattern"]["enum"]) == set(rules.ROOM_NAME_PATTERNS)
    assert props["roomNamePattern"]["default"] == "uuid"
    assert set(props["templateType"]["enum"]) == set(rules.TEMPLATE_TYPES)
    assert set(SCHEMAS["Fields"]["items"]["enum"]) == set(rules.FIELDS)
    assert CREATE["required"] == ["endDate"]
    assert props["roomNamePrefix"]["maxLength"] == rules.PREFIX_MAX


def test_the_prefix_rule_is_the_spec_pattern_plus_hyphen():
    # The spec's pattern flip-flopped between [a-z0-9] and [a-z0-9-]; ours is the lenient one.
    spec_pattern = CREATE["properties"]["roomNamePrefix"]["pattern"]
    assert re.fullmatch(spec_pattern, "abc123") and rules.PREFIX_RE.match("abc123")
    assert rules.PREFIX_RE.match("customer0348-")


def test_limit_bounds_and_default_match():
    schema = list_param("limit")["schema"]
    assert (schema["minimum"], schema["maximum"], schema["default"]) == (
        rules.LIMIT_MIN,
        rules.LIMIT_MAX,
        rules.LIMIT_DEFAULT,
    )
    fields = list_param("fields")
    assert (fields["style"], fields["explode"]) == ("form", False)  # comma-joined


def test_point_costs_match_the_info_block():
    text = SPEC["info"]["description"]
    assert "A read request consumes 1 point, a delete consumes 2 points" in text
    assert "a write request consumes 3 points" in text
    assert (COSTS["GET"], COSTS["DELETE"], WRITE_COST) == (1, 2, 3)


@pytest.mark.parametrize(
    ("path", "documented"),
    [("/meetings", {"get", "post"}), ("/meetings/{meetingId}", {"get", "delete"})],
)
def test_exactly_the_documented_methods_are_routed(api, path, documented):
    assert set(SPEC["paths"][path]) == documented
    concrete = path.replace("{meetingId}", "some-id")
    for method in ("get", "post", "put", "patch", "delete"):
        body = {"endDate": "2026-03-02T10:00:00Z"} if method == "post" else None
        status = api.request(method.upper(), concrete, json=body).status_code
        assert (status != 405) == (method in documented), (method, status)


def test_responses_follow_the_meeting_schema(api):
    created = api.post(
        "/meetings", json={"endDate": "2026-03-02T10:00:00Z", "fields": list(rules.FIELDS)}
    )
    assert created.status_code in {
        int(code) for code in SPEC["paths"]["/meetings"]["post"]["responses"]
    }
    assert_meeting(created.json())
    got = api.get(f"/meetings/{created.json()['meetingId']}", params={"fields": "hostRoomUrl"})
    assert_meeting(got.json())
    page = api.get("/meetings", params={"fields": ",".join(rules.FIELDS)}).json()
    list_schema = SPEC["paths"]["/meetings"]["get"]["responses"]["200"]["content"]
    assert set(list_schema["application/json"]["schema"]["required"]) == set(page)
    for meeting in page["results"]:
        assert_meeting(meeting)


def test_the_429_body_matches_the_documented_example(whereby_server, api):
    example = SPEC["components"]["responses"]["ThrottleError"]["content"]["application/json"]
    example = example["schema"]["example"]
    whereby_server.sim.faults.queue("429")
    body = api.get("/meetings").json()
    assert body["error"] == example["error"]
    assert set(body) == set(example) and set(body["data"]) == set(example["data"])
    assert isinstance(body["data"]["msLeft"], int)
