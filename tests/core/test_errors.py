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
