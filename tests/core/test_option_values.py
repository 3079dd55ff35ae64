"""One rule for every provider's switches and whole numbers (`core/option_values.py`):
`-o readable=banana` made a Jitsi room as a no, `-o isLocked=yes` was a yes at Whereby
and refused at eyeson and Accelevents; the agent's `capacity: "5"` was taken and `5.0`
refused."""

from __future__ import annotations

import pytest

from meettui.agent.tools import Refused, check_option_types
from meettui.core.errors import ValidationError
from meettui.core.option_values import switch, whole_number
from meettui.core.registry import provider_class


@pytest.mark.parametrize("given, read", [
    (True, True), (False, False), ("yes", True), (" YES ", True), ("on", True),
    ("1", True), ("y", True), ("true", True), ("no", False), ("Off", False), ("0", False),
    ("false", False), ("n", False)])
def test_a_switch_reads_the_words_people_type(given, read):
    assert switch(given, "readable") is read


@pytest.mark.parametrize("given", ["banana", "", " ", "2", 1, 0, None, 1.0, "truee"])
def test_a_switch_refuses_anything_else_naming_what_it_takes(given):
    with pytest.raises(ValidationError) as refused:
        switch(given, "widescreen", provider="eyeson")
    assert refused.value.field == "widescreen"
    assert refused.value.message == (f"eyeson: widescreen must be true or false (yes/no, on/off, "
                                     f"1/0), not {given!r}.")


@pytest.mark.parametrize("given, read", [(5, 5), (5.0, 5), ("5", 5), (" 12 ", 12), (0, 0)])
def test_a_whole_number_reads_json_and_text(given, read):
    assert whole_number(given, "capacity") == read


@pytest.mark.parametrize("given", [-1, "-1", 5.5, "5.5", "five", "", True, None, "²",
                                   "--5"])
def test_a_whole_number_refuses_anything_else(given):
    with pytest.raises(ValidationError) as refused:
        whole_number(given, "capacity")
    assert refused.value.message == (f"capacity must be a whole number of at least 0, not "
                                     f"{given!r}.")


@pytest.mark.parametrize("kind, name", [("jitsi", "readable"), ("whereby", "isLocked"),
                                        ("eyeson", "widescreen"),
                                        ("accelevents", "chatEnabled"),
                                        ("vonage", "is_chat_available")])
def test_every_provider_s_switch_is_a_bool_field(kind, name):
    # The agent checks a switch's JSON type by its field's kind: one declared as text
    # would let "yes" through there.
    field = provider_class(kind).capabilities.field(name)
    assert field is not None and field.kind == "bool"


def test_the_agent_takes_json_types_only():
    caps = provider_class("accelevents").capabilities
    check_option_types(caps, {"capacity": 5, "chatEnabled": True})
    check_option_types(caps, {"capacity": 5.0})  # JSON has one kind of number
    for options, wanted in (({"capacity": "5"}, "a whole number (a JSON number), not a "
                             "string"),
                            ({"chatEnabled": "yes"}, "true or false (a JSON boolean), not "
                             "a string")):
        with pytest.raises(Refused) as refused:
            check_option_types(caps, options)
        assert wanted in str(refused.value)


@pytest.mark.parametrize("given", [2**31, 1e20, "99999999999"])
def test_a_whole_number_beyond_a_32_bit_integer_is_refused(given):
    # An agent's `capacity: 1e20` was sent; a Java API reads a number into 32 bits.
    with pytest.raises(ValidationError) as refused:
        whole_number(given, "capacity")
    assert refused.value.message == f"capacity must be at most 2,147,483,647, not {given!r}."
    assert whole_number(2**31 - 1, "capacity") == 2**31 - 1
