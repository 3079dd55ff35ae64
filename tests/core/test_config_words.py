"""A broken config.toml is said in the file's own words (TOML's types, its tables), with
the line and what to write: not pydantic's ("Input should be a valid list") nor advice
meant for another slip."""

from __future__ import annotations

from pathlib import Path

import pytest

from meettui.core.config import parse_config
from meettui.core.errors import ConfigError


def _refusal(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/home/u/config.toml"))
    return caught.value


def test_a_number_where_text_goes():
    error = _refusal('builtin_jitsi = true\ntheme = 5\n')
    said = f"{error} {error.hint}"
    assert "line 2" in said and "write text in quotes, not 5" in said
    assert "Input should be" not in said


def test_accounts_written_with_one_bracket():
    # "`accounts`: Input should be a valid list." with no line and no way out.
    error = _refusal('theme = "nord"\n\n[accounts]\nname = "a"\nprovider = "jitsi"\n')
    said = f"{error} {error.hint}"
    assert "line 3" in said and "`[[accounts]]` (two brackets)" in said
    assert "Input should be" not in said


@pytest.mark.parametrize("value, shown", [("5", "5"), ('"team"', '"team"'),
                                          ("true", "true")])
def test_accounts_given_a_value_is_told_to_remove_it(value, shown):
    # Was told "Write `[[accounts]]` …, not `[accounts]`", which the file did not have.
    error = _refusal(f"theme = \"nord\"\naccounts = {value}\n")
    assert "line 2" in str(error)
    assert error.hint == (f"Remove `accounts = {shown}` and write `[[accounts]]` above "
                          "each account's keys (name, provider…).")
    assert "[accounts]`" not in error.hint.replace("[[accounts]]`", "")


def test_accounts_given_a_list_of_values():
    # Was "Input should be a valid dictionary or instance of AccountConfig", then
    # "Change `0` as described".
    error = _refusal("accounts = [1, 2]\n")
    said = f"{error} {error.hint}"
    assert "(two brackets), not 1" in said
    assert error.hint == ("Write `[[accounts]]` above each account's keys (name, "
                          "provider…), in place of the `accounts = [...]` list.")
    assert "Input should be" not in said and "Change `0`" not in said


@pytest.mark.parametrize("text, line", [
    ("builtin_jitsi = false\nbuiltin_jitsi = true\n", 2),
    ('[[accounts]]\nname = "a"\nname = "b"\nprovider = "jitsi"\n', 3),
])
def test_a_key_given_twice_is_said_so(text, line):
    # Was "Fix line 2 (strings need quotes, keys need `=`)": advice for another slip.
    error = _refusal(text)
    assert f"line {line}" in str(error)
    assert error.hint == (f"A key on line {line} is given twice in its table (or names a "
                          "table given already): keep one of them.")


def test_a_syntax_slip_keeps_its_advice():
    error = _refusal('theme = nord\n')
    assert error.hint == "Fix line 1 (strings need quotes, keys need `=`)."
