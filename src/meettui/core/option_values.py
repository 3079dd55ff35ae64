"""Option values as people give them, read by one rule for every provider: a switch
(`-o isLocked=yes`, `readable: true`) and a whole number (`-o capacity=5`). The command
line gives text, the form and the agent JSON values; each provider's mapping reads its
options through these, so `yes` is a yes everywhere and `banana` is refused everywhere
(it was a yes at one provider, a no at another, and refused at a third)."""

from __future__ import annotations

import re
from typing import Any

from meettui.core.errors import ValidationError

TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n"})
SWITCH_WORDS = "true or false (yes/no, on/off, 1/0)"
"""How a refusal names what a switch takes."""


def switch(value: Any, name: str, *, provider: str = "") -> bool:
    """`value` of option `name` as a yes or a no: a bool as it is, a text among
    TRUE_WORDS or FALSE_WORDS in any case and with blanks around it. Raises
    ValidationError at `name` for anything else (a number, another word, an empty
    text), naming what it takes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
    raise ValidationError(f"{name} must be {SWITCH_WORDS}, not {value!r}.", field=name,
                          provider=provider)


MOST = 2**31 - 1
"""The largest whole number an option takes unless its provider says less: a signed
32-bit integer, what a Java API (an event platform's) reads a number into; an agent's
`capacity: 1e20` was sent."""


def whole_number(value: Any, name: str, *, least: int = 0, most: int = MOST,
                 provider: str = "") -> int:
    """`value` of option `name` as a whole number from `least` to `most`: an int, a
    float with nothing after the point (JSON's `5.0`), or digits as text
    (`-o capacity=5`). Raises ValidationError at `name` for anything else, a bool
    included."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value.strip()):
        number = int(value.strip())
    if number is None or number < least:
        raise ValidationError(f"{name} must be a whole number of at least {least}, not "
                              f"{value!r}.", field=name, provider=provider)
    if number > most:
        raise ValidationError(f"{name} must be at most {most:,}, not {value!r}.",
                              field=name, provider=provider)
    return number
