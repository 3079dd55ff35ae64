"""The providers' alias verbs (`meettui start ID`, `meettui host add ID`), gathered from
the registry as plain data (`core/verbs.py`): no provider client is loaded, so the
parser and `meettui --help` stay quick. This module names no provider."""

from __future__ import annotations

from meettui.core.registry import provider_kinds, provider_verbs
from meettui.core.verbs import ActionAlias, AliasOption


class Verb:
    """One alias verb across providers: the action it runs and its flags. (A plain
    class: `dataclasses` imports `inspect`, 10% of what `meettui --help` costs.)"""

    def __init__(self, action: str, alias: ActionAlias) -> None:
        self.action = action
        self.alias = alias
        self.dangerous = False
        self.options: dict[str, AliasOption] = {}


def declared_aliases() -> dict[tuple[str, ...], Verb]:
    """Every alias verb the registered providers declare, by its words. Two providers
    may share a verb only for the same action name (their flags are merged). Raises
    ValueError when two providers declare one verb for different actions."""
    verbs: dict[tuple[str, ...], Verb] = {}
    for kind in provider_kinds():
        for spec in provider_verbs(kind):
            for alias in spec.aliases:
                verb = verbs.setdefault(alias.words, Verb(spec.action, alias))
                if verb.action != spec.action:
                    raise ValueError(f"the verb {' '.join(alias.words)!r} is declared for "
                                     f"actions {verb.action!r} and {spec.action!r}")
                verb.dangerous = verb.dangerous or spec.dangerous
                for option in alias.options:
                    verb.options.setdefault(option.flags[0], option)
    return verbs


def group_help(word: str) -> str:
    """The one-line help of a group of verbs (`host` of `host add`, `host remove`)."""
    return f"{word} commands"


def top_level(verbs: dict[tuple[str, ...], Verb]) -> dict[str, str]:
    """The first word of each verb with its one-line help, in declaration order: the
    verb's own help for a one-word verb, `group_help` for the first word of several."""
    listed: dict[str, str] = {}
    for words, verb in verbs.items():
        if words[0] not in listed:
            listed[words[0]] = verb.alias.help if len(words) == 1 else group_help(words[0])
    return listed
