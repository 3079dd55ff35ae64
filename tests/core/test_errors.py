"""How an error reads when its message and hint are shown as one paragraph."""

import pytest

from meettui.core.errors import MeettuiError, NotFound, Unavailable


@pytest.mark.parametrize(("message", "hint", "expected"), [
    ("GET /x → 404: Not Found", "Refresh.", "GET /x → 404: Not Found. Refresh."),
    ("failed: connection problem (ReadError)", "Try again.",
     "failed: connection problem (ReadError). Try again."),
    ("It is gone.", "Refresh.", "It is gone. Refresh."),
    ("Really?", "Yes.", "Really? Yes."),
    ('The provider said "no."', "Fix it.", 'The provider said "no." Fix it.'),
    ("No hint", None, "No hint"),
])
def test_a_paragraph_ends_the_message_before_the_hint(message, hint, expected):
    assert MeettuiError(message, hint=hint).paragraph() == expected


def test_a_not_found_paragraph_has_its_period():
    assert NotFound("GET /m/1 → 404: Not Found", provider="p").paragraph() == (
        "p: GET /m/1 → 404: Not Found. It may have been deleted or expired upstream; "
        "refresh the list.")


def test_an_unavailable_with_a_status_says_it_answered():
    assert Unavailable("x", status=503).hint == (
        "The provider answered 503 (unavailable); the cached list still works. Try again "
        "later.")
    assert Unavailable("x").hint.startswith("The provider could not be reached")


def _every_error_map():
    from meettui.core.http_errors import DEFAULT_ERRORS
    from meettui.providers._24sessions.errors import ERRORS as SESSIONS
    from meettui.providers.accelevents.errors import ERRORS as ACCELEVENTS
    from meettui.providers.eyeson.errors import ERRORS as EYESON
    from meettui.providers.vonage.errors import ERRORS as VONAGE
    from meettui.providers.whereby.errors import ERRORS as WHEREBY

    return {"default": DEFAULT_ERRORS, "24sessions": SESSIONS, "accelevents": ACCELEVENTS,
            "eyeson": EYESON, "vonage": VONAGE, "whereby": WHEREBY}


@pytest.mark.parametrize("body", [
    {"content": b"503 Service Unavailable", "headers": {"content-type": "text/plain"}},
    {"content": b"<html><body>Service Unavailable</body></html>",
     "headers": {"content-type": "text/html"}},
    {"json": {"message": "503 Service Unavailable"}},
    {"json": {"error": "HTTP 503"}},
    {"content": b""},
])
def test_an_error_that_only_says_its_status_says_it_once(body):
    # "GET /x → 503: 503 Service Unavailable": the status line said twice.
    import httpx

    for name, errors in _every_error_map().items():
        response = httpx.Response(503, request=httpx.Request("GET", "https://example.test/x"),
                                  **body)
        error = errors.error_for(response, "GET /x", "testprov")
        assert "GET /x → 503 Service Unavailable" in error.message, (name, error.message)
        assert error.message.count("503") == 1, (name, error.message)


def test_a_refusal_before_sending_is_a_usage_error_and_an_answer_a_failure():
    from meettui.core.errors import ConfigError, NotSupported, ValidationError

    # meettui's own check (no status): exit 2, as a time it cannot read; the provider's
    # answer (a status): exit 1, as any failure of the provider's.
    assert ValidationError("capacity must be a whole number", provider="kind").exit_code == 2
    assert ValidationError("Title too long", provider="kind", status=422).exit_code == 1
    assert NotSupported("This meeting cannot be edited at Kind.").exit_code == 2
    assert ConfigError("the key is no key").exit_code == 1
    # An error about an account's configuration names the account, as a call's does.
    error = ConfigError("GET /meetings cannot be sent", provider="kind")
    error.of_account("team-b")
    assert error.message == "team-b (kind): GET /meetings cannot be sent"
