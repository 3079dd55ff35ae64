"""Command-line verbs for provider actions (`meettui host add ID --name N` for an
`add_host` action), declared as plain data.

The CLI builds its parser from every provider's verbs, `meettui --help` included, so
they live apart from the provider's client and capabilities (pydantic, httpx): a
provider that offers verbs declares them in `providers/<kind>/verbs.py` as `VERBS`, and
its `Capabilities.actions` hand the same aliases to their `ActionSpec`s
(tests/core/test_import_hygiene.py checks that both say the same). Imports nothing but
`typing`: named tuples rather than dataclasses, whose import (`inspect`) costs `--help`
a tenth of its time.
"""

from __future__ import annotations

from typing import NamedTuple


class AliasOption(NamedTuple):
    """One flag of an action's command-line verb, feeding one of the action's fields."""

    flags: tuple[str, ...]
    """E.g. `("--name", "-n")`."""
    field: str
    """The `FieldSpec.name` the value goes to."""
    help: str = ""
    required: bool = False
    group: str = ""
    """Options sharing a non-empty group are alternatives, one of which is required."""


class ActionAlias(NamedTuple):
    """A friendly command-line verb for an action, e.g. `meettui host add ID --name N`
    for an `add_host` action. Declared as data so the CLI names no provider."""

    words: tuple[str, ...]
    """The verb: `("start",)` or `("host", "add")`."""
    help: str
    options: tuple[AliasOption, ...] = ()


class Verbs(NamedTuple):
    """The aliases of one action, with what the parser must know of the action: its
    name (`ActionSpec.name`) and whether it asks first (`ActionSpec.dangerous`: the
    verb then takes `--yes`)."""

    action: str
    aliases: tuple[ActionAlias, ...]
    dangerous: bool = False
