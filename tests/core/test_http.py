"""ApiClient against a real local HTTP server that answers from a script."""

import contextlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meettui.core.auth import ApiKeyAuth
from meettui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from meettui.core.http import ApiClient, RetryPolicy
from meettui.core.http_errors import ErrorMap, parse_retry_after
from meettui.core.redact import clear_registered_secrets, register_secret, scrub_secrets

TOKEN = "tok_live_abcdefghijklmnopqrstuvwxyz"


class Script:
    """Answers queued per path; records what arrived."""

    def __init__(self):
        self.queue: list[tuple[int, dict, bytes, float]] = []
        self.seen: list[tuple[str, str, dict]] = []

    def add(self, status, body=b"{}", headers=None, delay=0.0):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.queue.append((status, headers or {}, body, delay))


@pytest.fixture
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            script.seen.append((self.command, self.path, dict(self.headers)))
            answer = script.queue.pop(0) if script.queue else (200, {}, b"{}", 0)
            status, headers, body, delay = answer
            if delay:
                time.sleep(delay)
            if status == 0:  # the connection dropped: no answer at all
                self.close_connection = True
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):
                self.wfile.write(body)

        do_GET = do_POST = do_DELETE = do_PUT = _answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield script
    httpd.shutdown()
    httpd.server_close()


def client(url, **kw):
    sleeps = []

    async def fake_sleep(seconds):
        # Record the waits the client chose; the server's answers are real.
        sleeps.append(seconds)

    policy = kw.pop("policy", RetryPolicy(max_attempts=4, read_timeout=2, connect_timeout=1))
    api = ApiClient("testprov", url, auth=ApiKeyAuth(TOKEN), policy=policy, sleep=fake_sleep, **kw)
    return api, sleeps


async def test_retries_429_then_succeeds_honouring_retry_after(server):
    server.add(429, {"error": "slow down"}, {"Retry-After": "2"})
    server.add(503, {"error": "busy"})
    server.add(200, {"ok": True})
    api, sleeps = client(server.url)
    assert await api.json("GET", "/things") == {"ok": True}
    assert sleeps[0] == 2.0
    assert len(sleeps) == 2 and len(server.seen) == 3
    assert server.seen[0][2]["Authorization"] == f"Bearer {TOKEN}"
    assert server.seen[0][2]["User-Agent"].startswith("meettui/")
    await api.aclose()


async def test_retry_after_as_http_date(server):
    when = datetime.now(UTC) + timedelta(seconds=5)
    server.add(429, {"error": "later"}, {"Retry-After": format_datetime(when, usegmt=True)})
    server.add(200, {"ok": 1})
    api, sleeps = client(server.url)
    await api.json("GET", "/x")
    assert 3.0 <= sleeps[0] <= 5.0
    await api.aclose()


async def test_429_beyond_bounded_wait_raises_rate_limited_with_wait(server):
    server.add(429, {"error": "Rate limit active"}, {"Retry-After": "120"})
    api, sleeps = client(server.url)
    with pytest.raises(RateLimited) as info:
        await api.json("GET", "/x")
    assert info.value.retry_after == 120
    assert info.value.hint == "Try again in 2 min."  # 120 s, as people say it
    assert sleeps == []
    await api.aclose()


async def test_429_wait_from_body_when_no_header(server):
    server.add(429, {"error": "slow", "data": {"msLeft": 1500}})
    server.add(200, {"ok": 1})
    api, sleeps = client(
        server.url, errors=ErrorMap(retry_after=lambda r: r.json()["data"]["msLeft"] / 1000)
    )
    await api.json("GET", "/x")
    assert sleeps == [1.5]
    await api.aclose()


async def test_post_is_not_retried_on_503(server):
    server.add(503, {"error": "busy"})
    server.add(201, {"id": 1})
    api, _ = client(server.url)
    with pytest.raises(Unavailable):
        await api.json("POST", "/things", json={"a": 1})
    assert len(server.seen) == 1
    await api.aclose()


async def test_persistent_5xx_becomes_unavailable_after_max_attempts(server):
    for _ in range(4):
        server.add(502, b"<html>bad gateway</html>")
    api, sleeps = client(server.url)
    with pytest.raises(Unavailable) as info:
        await api.json("GET", "/x")
    assert len(server.seen) == 4 and len(sleeps) == 3
    assert info.value.status == 502
    await api.aclose()


async def test_timeout_becomes_unavailable(server):
    server.add(200, {"late": True}, delay=1.0)
    server.add(200, {"late": True}, delay=1.0)
    api, _ = client(server.url, policy=RetryPolicy(max_attempts=2, read_timeout=0.2))
    with pytest.raises(Unavailable) as caught:
        await api.json("GET", "/slow")
    await api.aclose()
    # The provider was reached: it did not answer in time ("could not be reached" was said).
    assert caught.value.message == (
        "testprov: GET /slow got no answer within 0.2 s")
    assert caught.value.hint == ("The provider gave no answer in time; a read changes "
                                 "nothing. The cached list still works; try again later.")
    assert caught.value.reached  # the account's health says "not answering", not offline


async def test_connection_refused_becomes_unavailable():
    api, _ = client("http://127.0.0.1:9", policy=RetryPolicy(max_attempts=2, connect_timeout=0.5))
    with pytest.raises(Unavailable, match="connection problem") as caught:
        await api.json("GET", "/x")
    await api.aclose()
    assert not caught.value.reached


@pytest.mark.parametrize(
    ("status", "error", "method"),
    [(401, AuthError, "GET"), (403, AuthError, "GET"), (404, NotFound, "GET"),
     (410, NotFound, "GET"), (400, ValidationError, "POST"), (418, ProviderError, "GET")],
)
async def test_status_mapping(server, status, error, method):
    server.add(status, {"error": f"status {status} says hi"})
    api, _ = client(server.url)
    with pytest.raises(error) as info:
        await api.json(method, "/x")
    assert f"status {status} says hi" in str(info.value)
    await api.aclose()


@pytest.mark.parametrize("status", [400, 409, 422])
async def test_a_read_refused_as_a_value_is_no_value_to_correct(server, status):
    # "bad request — Correct the value and submit again." for a list: nothing was
    # submitted.
    server.add(status, {"error": "no such filter"})
    api, _ = client(server.url)
    with pytest.raises(ProviderError) as info:
        await api.json("GET", "/x")
    await api.aclose()
    assert type(info.value) is ProviderError
    assert info.value.message == f"testprov: GET /x → {status}: no such filter"
    assert info.value.hint.startswith("A read changes nothing.")


@pytest.mark.parametrize(("status", "body"), [
    (500, {"error": "Internal Server Error"}),
    (503, b"<html><body>503 Service Unavailable</body></html>"),
    (502, {"message": "bad gateway."}),
])
async def test_a_server_error_reads_as_its_status_line_whatever_its_body(server, status,
                                                                          body):
    # A 500 whose body said only its reason read "→ 500: Internal Server Error." where
    # a 503 with an HTML page read "→ 503 Service Unavailable": one failure, two ways.
    server.add(status, body)
    server.add(status, body)
    server.add(status, body)
    server.add(status, body)
    api, _ = client(server.url)
    with pytest.raises(Unavailable) as info:
        await api.json("GET", "/x")
    await api.aclose()
    reason = {500: "Internal Server Error", 502: "Bad Gateway",
              503: "Service Unavailable"}[status]
    assert info.value.message == f"testprov: GET /x → {status} {reason}"
    assert str(info.value) == info.value.paragraph() == (
        f"testprov: GET /x → {status} {reason}. {info.value.hint}")


async def test_malformed_json_is_a_clear_provider_error(server):
    server.add(200, b"{not json")
    api, _ = client(server.url)
    with pytest.raises(ProviderError, match="malformed response") as info:
        await api.json("GET", "/x")
    # Of this answer only: a walk keeps the pages before it.
    assert info.value.hint == ("The provider sent something meettui cannot read; nothing "
                               "of this answer was kept.")
    await api.aclose()


async def test_token_never_appears_in_errors_or_reprs(server):
    register_secret(TOKEN)
    try:
        server.add(401, {"error": f"bad token {TOKEN}"})
        api, _ = client(server.url)
        with pytest.raises(AuthError) as info:
            await api.json("GET", f"/x?key={TOKEN}")
        text = f"{info.value} {info.value.body} {info.value!r} {api!r} {api.auth!r}"
        assert TOKEN not in text
        assert "***" in text
        await api.aclose()
    finally:
        clear_registered_secrets()


def test_parse_retry_after_forms():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=1), usegmt=True)
    assert parse_retry_after(past) == 0.0


async def test_shown_path_hides_a_token_in_the_path(server):
    server.add(404, {"error": "no such permalink"})
    api, _ = client(server.url)
    with pytest.raises(NotFound) as info:
        await api.json("POST", "/permalink/USERTOKEN123456789", shown="/permalink/<user token>")
    assert "USERTOKEN123456789" not in str(info.value)
    assert "/permalink/<user token>" in str(info.value)
    await api.aclose()


async def test_a_token_the_path_carried_is_masked_where_the_answer_quotes_it(server):
    # The where was masked, the provider's own words were not: "user token <it> cannot
    # start this permalink now" printed a host's token, and logged it.
    token = "WBoDJVAVZJyuueKLSsLLJBsE"
    server.add(400, {"error": f"user token {token} cannot start this permalink now"})
    api, _ = client(server.url)
    with pytest.raises(ProviderError) as info:
        await api.json("POST", f"/permalink/{token}", shown="/permalink/<user token>")
    assert token not in info.value.message and token not in str(info.value)
    assert "user token *** cannot start this permalink now" in info.value.message
    # The cache keeps host links whole: only what is said is masked.
    assert scrub_secrets(f"https://app.example.com/permalink?{token}").endswith(token)
    await api.aclose()


async def test_in_process_connection_drop_becomes_unavailable():
    import httpx

    async def app(scope, receive, send):
        raise ConnectionResetError("peer went away")

    api = ApiClient("p", "http://sim.invalid", transport=httpx.ASGITransport(app=app),
                    policy=RetryPolicy(max_attempts=1))
    with pytest.raises(Unavailable):
        await api.json("GET", "/x")
    await api.aclose()


async def test_a_hanging_provider_costs_one_bounded_wait_not_every_try(server):
    # Four tries of a 0.3 s read would be 1.2 s; the deadline stops after 0.5 s of trying.
    for _ in range(4):
        server.add(200, {"ok": 1}, delay=0.45)
    policy = RetryPolicy(max_attempts=4, read_timeout=0.3, connect_timeout=0.3, deadline=0.5,
                         backoff_base=0.0)
    api, _ = client(server.url, policy=policy)
    with pytest.raises(Unavailable) as caught:
        await api.json("GET", "/slow")
    # One sentence, the request named once, no "(last: … (timed out after 0.19873 s))".
    message = caught.value.message
    assert message.startswith("testprov: GET /slow got no good answer within 0.5 s; the last "
                              "try got no answer within ")
    assert "(" not in message and message.count("GET /slow") == 1
    assert caught.value.hint.startswith("The provider gave no answer in time;")
    assert len(server.seen) == 2  # the second try got what was left of the deadline
    await api.aclose()


async def test_a_change_that_hangs_past_the_deadline_may_have_been_made(server):
    for _ in range(4):
        server.add(200, {"ok": 1}, delay=0.45)
    policy = RetryPolicy(max_attempts=4, read_timeout=0.3, connect_timeout=0.3, deadline=0.5,
                         backoff_base=0.0)
    api, _ = client(server.url, policy=policy)
    with pytest.raises(OutcomeUnknown) as caught:
        await api.json("PUT", "/things/m-1", json={})
    await api.aclose()
    assert caught.value.message.startswith(
        "testprov: PUT /things/m-1 got no good answer within 0.5 s; the last try got no "
        "answer within ")
    assert caught.value.hint.startswith("No answer in time; it may or may not have been saved")


async def test_a_timeout_clipped_by_the_deadline_is_said_rounded(server):
    # The second try gets what the deadline left, 1.23456 - 1 s: said as "0.23 s", where
    # "timed out after 0.23456 s" was said.
    server.add(429, {"error": "slow down"}, {"Retry-After": "1"})
    server.add(200, {"late": True}, delay=1.0)
    policy = RetryPolicy(max_attempts=2, read_timeout=5, deadline=1.23456)
    api, sleeps = client(server.url, policy=policy)
    with pytest.raises(Unavailable) as caught:
        await api.json("GET", "/slow")
    await api.aclose()
    assert sleeps == [1.0]
    assert caught.value.message == "testprov: GET /slow got no answer within 0.23 s"


def test_seconds_read_as_people_say_them():
    from meettui.core.display import seconds

    assert [seconds(s) for s in (4.87352, 0.15, 0.2, 5.0, 9.46, 9.6, 12.5, 15, 20.2)] == [
        "4.9", "0.15", "0.2", "5", "9.5", "10", "13", "15", "20"]


async def test_waits_are_announced_for_the_ui(server):
    server.add(429, {"error": "slow down"}, {"Retry-After": "17"})
    server.add(200, {"ok": True})
    told: list[str] = []
    api, sleeps = client(server.url, policy=RetryPolicy(max_attempts=2, deadline=60,
                                                        max_total_wait=60))
    api.notice = told.append
    assert await api.json("GET", "/x") == {"ok": True}
    assert told == ["rate limited, retrying in 17 s"] and sleeps == [17.0]
    await api.aclose()


@pytest.mark.parametrize("url", ["ftp://files.example.org/v1", "not a url"])
async def test_a_local_mistake_fails_at_once_and_names_the_setting(url):
    api, sleeps = client(url)
    with pytest.raises(ConfigError, match="base_url") as caught:
        await api.json("GET", "/x")
    assert sleeps == []  # not retried: the network is not at fault
    assert "try again later" not in str(caught.value).lower()
    await api.aclose()


async def test_a_post_whose_answer_is_cut_is_an_unknown_outcome(server):
    server.add(201, b'{"id": "m-1", "roomUrl": "https://x')
    api, _ = client(server.url)
    with pytest.raises(OutcomeUnknown, match="unreadable"):
        await api.json("POST", "/things", json={"a": 1})
    assert len(server.seen) == 1
    await api.aclose()


def oauth_client(url, clock):
    from meettui.core.auth_oauth import ClientCredentialsAuth

    sleeps = []

    async def fake_sleep(seconds):
        sleeps.append(seconds)

    auth = ClientCredentialsAuth(url + "/token", "cid", "cs-secret-for-retry-test",
                                 clock=clock, provider="testprov")
    policy = RetryPolicy(max_attempts=4, read_timeout=2, connect_timeout=1)
    return ApiClient("testprov", url, auth=auth, policy=policy, sleep=fake_sleep), sleeps


async def test_a_throttled_or_failing_token_request_is_retried_like_the_call(server):
    from meettui.core.clock import FixedClock

    server.add(429, {"error": "slow down"}, {"Retry-After": "3"})  # the token request
    server.add(503, {"error": "busy"})  # the token request again
    server.add(200, {"access_token": "at_retry_test_0123456789", "expires_in": 3600,
                     "token_type": "bearer"})
    server.add(200, {"ok": True})  # the call itself
    api, sleeps = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    assert await api.json("GET", "/things") == {"ok": True}
    assert [path.split("?")[0] for _, path, _ in server.seen] == ["/token"] * 3 + ["/things"]
    assert sleeps[0] == 3.0 and len(sleeps) == 2
    await api.aclose()


async def test_a_failing_token_request_for_a_post_is_retried_and_then_named(server):
    # The token request creates nothing and the POST is not sent while it fails, so it is
    # retried as a read would be (it was reported at once, as if the POST had failed).
    from meettui.core.clock import FixedClock

    server.add(503, {"error": "busy"})  # the token request
    server.add(200, {"access_token": "at_post_retry_0123456789", "expires_in": 3600,
                     "token_type": "bearer"})
    server.add(201, {"id": "m-1"})  # the POST itself, sent once
    api, sleeps = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    assert await api.json("POST", "/things", json={}) == {"id": "m-1"}
    assert [(verb, path.split("?")[0]) for verb, path, _ in server.seen] == [
        ("GET", "/token"), ("GET", "/token"), ("POST", "/things")]
    assert len(sleeps) == 1
    await api.aclose()


async def test_a_token_request_that_keeps_failing_is_named_and_nothing_was_sent(server):
    from meettui.core.clock import FixedClock

    for _ in range(4):
        server.add(503, {"error": "busy"})
    api, sleeps = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    with pytest.raises(Unavailable) as info:
        await api.json("POST", "/things", json={})
    await api.aclose()
    assert [path.split("?")[0] for _, path, _ in server.seen] == ["/token"] * 4
    assert len(sleeps) == 3
    # The POST itself never left: nothing can have been made.
    assert not isinstance(info.value, OutcomeUnknown)
    assert info.value.message == ("testprov: POST /things was not sent: its token request "
                                  "GET /token → 503 Service Unavailable")
    assert info.value.hint == ("Nothing was sent, so nothing was made or changed: it is "
                               "safe to try again.")


@pytest.mark.parametrize(("answers", "kind", "outcome", "hint"), [
    ([(429, {"error": "slow down"}, {"Retry-After": "1"})] * 4, RateLimited,
     "→ 429 Too Many Requests (throttled)", "Try again in 1 s."),
    ([(503, {"error": "busy"})] * 4, Unavailable, "→ 503 Service Unavailable",
     "Try again later."),
    ([(0,)] * 4, Unavailable, "failed: connection problem (", "try again."),
])
async def test_every_token_request_failure_reads_in_one_shape(server, answers, kind,
                                                              outcome, hint):
    # Three shapes: "token request to http://HOST/token?client_id=…&client_secret=***&…
    # was throttled (HTTP 429)" (not naming the call, a host and a query in it), "GET
    # /things was not sent: its token request to http://HOST/token?… → 503", and "its
    # token request GET /token failed". Now: the call not sent, the token request as
    # METHOD /path, its outcome.
    from meettui.core.clock import FixedClock

    for answer in answers:
        server.add(*answer)
    api, _ = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    try:
        with pytest.raises(kind) as caught:
            await api.json("GET", "/things")
    finally:
        await api.aclose()
        clear_registered_secrets()
    said = caught.value.message
    assert said.startswith("testprov: GET /things was not sent: its token request GET "
                           f"/token {outcome}"), said
    assert "127.0.0.1" not in said and "?" not in said and "client_id" not in said
    assert hint in caught.value.hint, caught.value.hint


# -- a credential with a line break: refused by httpx, never quoted ------------------------


@pytest.mark.parametrize(("header", "scheme"), [
    ("Authorization", "Bearer"), ("Authorization", None), ("Key", None), ("X-Api-Key", None),
])
async def test_a_key_with_a_line_break_is_never_quoted_in_the_error(server, header, scheme):
    # h11 refuses the header with "Illegal header value b'<the value>'": the key (its part
    # after the break, past a "Bearer " the old patterns masked) reached stderr and JSON.
    key = "front-of-key-1234\nback-of-key-5678"
    api = ApiClient("testprov", server.url, auth=ApiKeyAuth(key, header=header, scheme=scheme),
                    policy=RetryPolicy(max_attempts=2))
    try:
        with pytest.raises(ConfigError) as caught:
            await api.json("GET", "/x")
    finally:
        await api.aclose()
        clear_registered_secrets()
    text = f"{caught.value} {caught.value!r}"
    assert "front-of-key" not in text and "back-of-key" not in text
    assert caught.value.message == ("testprov: GET /x cannot be sent: LocalProtocolError: "
                                    "Illegal header value ***.")
    assert server.seen == []  # never sent


async def test_an_access_token_with_a_line_break_is_never_quoted_in_the_error(server):
    from meettui.core.clock import FixedClock

    server.add(200, {"access_token": "at-front-part-0123\nat-back-part-4567",
                     "expires_in": 3600, "token_type": "bearer"})
    api, _ = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    try:
        with pytest.raises(ProviderError) as caught:
            await api.json("GET", "/things")
    finally:
        await api.aclose()
        clear_registered_secrets()
    text = f"{caught.value} {caught.value!r}"
    assert "at-front-part" not in text and "at-back-part" not in text
    # The break is the provider's, not in the account's secrets (it said "check … that
    # its secrets hold no line breaks").
    assert "returned a token that cannot be sent" in caught.value.message
    assert "not in the account's secrets" in caught.value.hint
    assert "base_url" not in caught.value.hint
    assert [path.split("?")[0] for _, path, _ in server.seen] == ["/token"]


@pytest.mark.parametrize(("method", "token_answer", "kind", "said", "todo"), [
    ("GET", (200, b"<html>sign in</html>"), ProviderError,
     "returned a malformed token answer (not JSON)", "Try again later; if it persists"),
    ("POST", (200, b"<html>sign in</html>"), ProviderError,
     "returned a malformed token answer (not JSON)", "nothing was made or changed"),
    ("GET", (401, {"error": "invalid_client"}), AuthError, "→ 401: invalid_client",
     "client"),
])
async def test_a_token_request_that_gives_no_token_says_the_call_was_not_sent(
        server, method, token_answer, kind, said, todo):
    # "token request to … returned a malformed token answer (not JSON) — The provider sent
    # something meettui cannot read as an OAuth token.": neither what to do nor that
    # the call that needed the token (GET /things) was never sent.
    from meettui.core.clock import FixedClock

    server.add(*token_answer)
    api, _ = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    try:
        with pytest.raises(ProviderError) as caught:
            await api.json(method, "/things")
    finally:
        await api.aclose()
        clear_registered_secrets()
    assert type(caught.value) is kind
    assert caught.value.message.startswith(
        f"testprov: {method} /things was not sent: its token request GET /token ")
    assert said in caught.value.message
    assert todo in caught.value.hint
    assert [path.split("?")[0] for _, path, _ in server.seen] == ["/token"]


async def test_a_password_in_the_base_url_is_never_in_an_error_or_the_log(server, tmp_path):
    # The config refuses such a base_url; should one get here anyway, a token request's
    # error and the two log lines of every request printed the password.
    import logging

    from meettui.core.clock import FixedClock
    from meettui.logs import setup_logging

    log_file = setup_logging(debug=True, path=tmp_path / "meettui.log")
    url = server.url.replace("http://", "http://admin:hunter2@")
    server.add(401, {"error": "invalid_client"})
    api, _ = oauth_client(url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    try:
        with pytest.raises(AuthError) as caught:
            await api.json("GET", "/things")
    finally:
        await api.aclose()
        clear_registered_secrets()
        for handler in logging.getLogger("meettui").handlers:
            handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "hunter2" not in f"{caught.value} {caught.value!r} {api!r} {api.auth!r}"
    assert caught.value.message == (
        "testprov: GET /things was not sent: its token request GET /token → 401: "
        "invalid_client")
    assert "hunter2" not in logged
    assert logged.count("http://***@127.0.0.1:") >= 2  # meettui's own line and httpx's


@pytest.mark.parametrize(("value", "segment"), [
    ("../rooms", "..%2Frooms"), ("..", "%2E%2E"), (".", "%2E"), ("...", "..."),
    ("ID?x=1", "ID%3Fx%3D1"), ("a#b", "a%23b"), ("a b", "a%20b"), ("%2e%2e", "%252e%252e"),
    ("be608214-2527_x.y~z", "be608214-2527_x.y~z"), ("会議", "%E4%BC%9A%E8%AD%B0"),
])
def test_a_path_segment_is_one_segment_whatever_it_holds(value, segment):
    from meettui.core.http import path_segment

    assert path_segment(value) == segment


def test_an_empty_path_segment_names_nothing():
    from meettui.core.http import path_segment

    with pytest.raises(NotFound, match="testprov: an empty id names nothing"):
        path_segment("", provider="testprov")


# -- what a failure is called -------------------------------------------------------------


async def test_a_change_without_an_answer_in_time_may_or_may_not_be_saved(server):
    server.add(201, {"id": "m-1"}, delay=1.0)
    api, sleeps = client(server.url, policy=RetryPolicy(max_attempts=2, read_timeout=0.2))
    with pytest.raises(OutcomeUnknown) as caught:
        await api.json("POST", "/things", json={})
    await api.aclose()
    assert caught.value.message == (
        "testprov: POST /things got no answer within 0.2 s; it may or may not have been "
        "saved")
    # What to do is the hint's, not the message's too.
    assert caught.value.hint.startswith("The provider may have done it: refresh and check")
    assert sleeps == [] and len(server.seen) == 1  # a change is never sent twice blindly


async def test_an_idempotent_change_without_an_answer_in_time_says_so(server):
    for _ in range(2):
        server.add(200, {"id": "m-1"}, delay=1.0)
    api, _ = client(server.url, policy=RetryPolicy(max_attempts=2, read_timeout=0.2))
    # Tried twice, as a PUT is safe to repeat; whether it was saved is still not known,
    # which front ends say as "Maybe saved" (an Unavailable was titled "Not saved").
    with pytest.raises(OutcomeUnknown) as caught:
        await api.json("PUT", "/things/m-1", json={})
    await api.aclose()
    assert len(server.seen) == 2
    assert caught.value.message == (
        "testprov: PUT /things/m-1 got no answer within 0.2 s")
    assert caught.value.hint == ("No answer in time; it may or may not have been saved — "
                                 "refresh to check before trying again.")


@pytest.mark.parametrize(("status", "word"), [(503, "unavailable"), (500, "server error"),
                                              (502, "bad gateway")])
async def test_a_5xx_says_the_provider_answered_it(server, status, word):
    for _ in range(2):
        server.add(status, {"error": "down for maintenance"})
    api, _ = client(server.url, policy=RetryPolicy(max_attempts=2))
    with pytest.raises(Unavailable) as caught:
        await api.json("GET", "/x")
    await api.aclose()
    assert caught.value.status == status
    assert caught.value.hint == (f"The provider answered {status} ({word}); the cached list "
                                 "still works. Try again later.")


async def test_a_token_endpoint_answering_503_for_a_read_says_it_answered(server):
    from meettui.core.clock import FixedClock

    for _ in range(4):
        server.add(503, {"error": "busy"})
    api, _ = oauth_client(server.url, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    with pytest.raises(Unavailable) as caught:
        await api.json("GET", "/things")
    await api.aclose()
    assert "could not be reached" not in str(caught.value)
    assert caught.value.hint == ("The provider answered 503 (unavailable); the cached list "
                                 "still works. Try again later.")


async def test_the_log_names_the_account_whose_call_waits(server, caplog):
    # Two accounts of one provider logged the same "GET /x: …; retry 1" lines: which
    # account was throttled could not be told.
    import logging

    server.add(429, {"error": "slow down"}, {"Retry-After": "3"})
    server.add(503, {"error": "busy"})
    server.add(200, {"ok": True})
    api, _sleeps = client(server.url, account="team-b")
    with caplog.at_level(logging.DEBUG, logger="meettui.http"):
        assert await api.json("GET", "/x") == {"ok": True}
    lines = [r.getMessage() for r in caplog.records if r.name == "meettui.http"]
    assert any(line.startswith("team-b (testprov) GET /x rate limited; waiting 3.0 s")
               for line in lines), lines
    assert any(line.startswith("team-b (testprov) GET /x: ") and "; retry 2 in" in line
               for line in lines), lines
    assert any(line.startswith("team-b (testprov) GET /x -> 200 in ") for line in lines)
    await api.aclose()
