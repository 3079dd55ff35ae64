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
