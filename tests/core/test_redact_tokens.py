"""Access tokens in URL paths and query values are masked in logs and error text; ids
stay readable. (The cache keeps host links on purpose: it does not go through here.)"""

from __future__ import annotations

import logging

import httpx
import pytest

from meettui.core.errors import ProviderError
from meettui.core.redact import redact
from meettui.logs import setup_logging

HOST_TOKEN = "G5Ik4VFW7nc09nMAp5ITIR1A"  # eyeson's shape: 24 letters and digits, mixed case
GUEST_TOKEN = "bl7UtlMudhcUKTnEFn91qEka"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # eyeson user-level calls carry the host token in the path...
        (f'HTTP Request: GET https://api.eyeson.team/permalink/{HOST_TOKEN} "HTTP/1.1 200 OK"',
         'HTTP Request: GET https://api.eyeson.team/permalink/*** "HTTP/1.1 200 OK"'),
        (f"POST https://api.eyeson.team/permalink/{HOST_TOKEN}/start failed",
         "POST https://api.eyeson.team/permalink/***/start failed"),
        # ...its links carry it as a bare query...
        (f"https://app.eyeson.team/permalink?{HOST_TOKEN}",
         "https://app.eyeson.team/permalink?***"),
        # ...or as a query value under any name.
        (f"https://app.eyeson.team/?guest={GUEST_TOKEN}&locale=de",
         "https://app.eyeson.team/?guest=***&locale=de"),
        (f"GET /guests/{GUEST_TOKEN}.", "GET /guests/***."),
    ],
)
def test_tokens_in_paths_and_queries_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "GET https://api.eyeson.team/permalinks/6aa300253886a1b2c3d4e5f6 -> 200",
        "GET https://api.eyeson.team/rooms/6AA300253886A1B2C3D4E5F6 -> 404",
        "GET https://api.whereby.dev/v1/meetings/be608214-2527-40b0-bc45-b495bf6f8311"
        "?fields=hostRoomUrl,viewerRoomUrl",
        "GET https://api.whereby.dev/v1/meetings/BE608214-2527-40B0-BC45-B495BF6F8311",
        "https://meettui-demo.whereby.com/support-be608214-2527-40b0",
        "GET /meetings?cursor=1700000000123456&limit=100",
        "Saved 'QuarterlyReviewMeeting2026'",  # not in a URL: text stays as typed
        "GET /permalinks?page=2&limit=50",
        "/Short1Token",  # under 16 characters
    ],
)
def test_ids_and_ordinary_text_stay_readable(text):
    assert redact(text) == text


def test_provider_error_text_masks_a_token_path():
    error = ProviderError(f"GET /permalink/{HOST_TOKEN} → 404: not found", provider="eyeson")
    assert HOST_TOKEN not in str(error)
    assert "GET /permalink/*** → 404" in error.message


def test_httpx_debug_log_of_a_user_level_call_has_no_token(tmp_path):
    path = setup_logging(debug=True, path=tmp_path / "meettui.log")

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        client.get(f"https://api.eyeson.team/permalink/{HOST_TOKEN}")
        client.post(f"https://api.eyeson.team/permalink/{HOST_TOKEN}/start")
    for handler in logging.getLogger("httpx").handlers:
        handler.flush()
    text = path.read_text()
    assert "api.eyeson.team/permalink/***" in text  # httpx did log the request
    assert HOST_TOKEN not in text


@pytest.mark.parametrize("text", [
    # h11 (httpx's HTTP/1.1) quotes a header value it refuses, whatever header it is in.
    "cannot be sent: LocalProtocolError: Illegal header value b'ae-unregistered-99\\n'.",
    "Illegal header value b'Bearer at_unregistered\\nunregistered-tail'",
    "Illegal header value b'Basic dXNlcjpwYXNz\\r\\nunregistered: y'",
    "Illegal header value b\"it's-unregistered-77\\n\"",
    "Illegal header value b'it\\'s \"both\" unregistered\\n'",
    "illegal header line: b'Set-Cookie: session=unregistered-55'",
    "Illegal header name b'X-unregistered-33\\n'",
    "Illegal header value b'cut-short-unregistered-11",  # no closing quote
])
def test_a_header_value_quoted_by_the_http_layer_is_masked(text):
    masked = redact(text)
    assert "unregistered" not in masked and "dXNlcjpwYXNz" not in masked
    assert "header" in masked and "***" in masked


def test_a_quoted_header_echo_masks_only_the_value():
    assert redact("GET /x cannot be sent: LocalProtocolError: Illegal header value "
                  "b'k-123456\\n'. Check it.") == (
        "GET /x cannot be sent: LocalProtocolError: Illegal header value ***. Check it.")


def test_a_registered_secret_is_masked_as_a_repr_or_json_shows_it():
    from meettui.core.redact import clear_registered_secrets, register_secret

    secret = 'key-with\nbreak"and-quote'
    register_secret(secret)
    try:
        assert redact(f"raw {secret} end") == "raw *** end"
        assert redact(f"repr {secret!r} end") == "repr '***' end"
        assert redact(f"bytes {secret.encode()!r} end") == "bytes b'***' end"
        assert redact('json "key-with\\nbreak\\"and-quote" end') == 'json "***" end'
    finally:
        clear_registered_secrets()


@pytest.mark.parametrize(("text", "expected"), [
    ("token request to http://admin:hunter2@127.0.0.1:36883/oauth/v2/token refused",
     "token request to http://***@127.0.0.1:36883/oauth/v2/token refused"),
    ('HTTP Request: GET https://u:p@ss@api.example.org/x "HTTP/1.1 200 OK"',
     'HTTP Request: GET https://***@api.example.org/x "HTTP/1.1 200 OK"'),
    ("base_url 'ftp://hunter2@files.example' is not", "base_url 'ftp://***@files.example' is not"),
    ("https://api.example.org/people/a@b.example", "https://api.example.org/people/a@b.example"),
    ("write to ann@example.org", "write to ann@example.org"),
])
def test_the_user_information_of_a_url_is_masked(text, expected):
    assert redact(text) == expected


def test_the_secrets_redact_masks_follow_every_change_of_the_registries(monkeypatch):
    # `redact` keeps its secrets sorted between calls: a value registered (or hidden)
    # after a call is still masked, one cleared or evicted is no longer.
    from meettui.core import redact as registry

    text = "sent wb-secret-key-0001 with host token hdq7tokenvalue99 and old001-hidden-x"
    registry.clear_registered_secrets()
    try:
        assert redact(text) == text
        registry.register_secret("wb-secret-key-0001")
        assert redact(text) == "sent *** with host token hdq7tokenvalue99 and old001-hidden-x"
        monkeypatch.setattr(registry, "HIDDEN_MAX", 2)
        registry.hide("old001-hidden-x")
        registry.hide("hdq7tokenvalue99")
        assert redact(text) == "sent *** with host token *** and ***"
        registry.hide("a-third-hidden-value")  # the bound: the oldest hidden value goes
        assert redact(text) == "sent *** with host token *** and old001-hidden-x"
        registry.clear_registered_secrets()
        assert redact(text) == text
    finally:
        registry.clear_registered_secrets()
