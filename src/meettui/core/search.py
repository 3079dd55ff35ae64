"""What the list filter and `meettui list --query` understand, and the list's orders.

A query is words and `key:value` terms: `account:NAME` (several widen the scope),
`status:live` (the status shown in the list: scheduled, started, live, ended, expired,
cancelled, gone, unknown), and plain words, each of which must appear in the title, the
id, the account, a detail its provider calls data (`Capabilities.searchable_details`:
a room, a guest, the hosts; never meettui's explanations), or a shareable link or its
code (host links are never searched); a "quoted phrase" is matched as a whole. Case
does not matter. The text searched is made by `cache_rows._search_text`.
The cache turns a query into SQL (`cache.py`); nothing here reads rows.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A "quoted phrase" is one word; an unclosed quote runs to the end.
_TOKENS = re.compile(r'"[^"]*"?|\S+')

STATUSES = ("scheduled", "started", "live", "ended", "expired", "cancelled", "gone", "unknown")


class Search(NamedTuple):
    """A parsed query (a named tuple, not a dataclass: `dataclasses` imports `inspect`,
    ~10 ms of the quick `list --offline`, which parses queries too)."""

    accounts: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    empty_terms: tuple[str, ...] = ()
    """Filter terms given without a value (`status:`, `account:`, a bare `:`), as typed:
    each matches nothing (an empty status, none there is, stands for it) and is said
    (`unknown_terms`); `status:` matched nothing, `:` everything (every link has one),
    without a word."""

    @property
    def empty(self) -> bool:
        """True when the query selects everything."""
        return not (self.accounts or self.statuses or self.words)


def parse_query(text: str) -> Search:
    """`"account:team status:live standup"` → accounts, statuses and words.
    An unknown `key:` is a plain word (a link holds `https:`); `status:` takes the
    first status its value starts (`status:sched`). A filter key without a value, or a
    bare `:`, is an empty term: it matches nothing (`Search.empty_terms`)."""
    accounts: list[str] = []
    statuses: list[str] = []
    words: list[str] = []
    empty: list[str] = []
    for token in _TOKENS.findall(text):
        if len(token) > 1 and token.startswith('"'):
            phrase = token.strip('"')
            if phrase:
                words.append(phrase.casefold())
            continue
        key, sep, value = token.partition(":")
        key = key.casefold()
        if sep and not value and key in ("", *_ACCOUNT_KEYS, *_STATUS_KEYS):
            empty.append(token)
            # Matches nothing: no status is empty (an empty account name would be a
            # pattern that every account is like).
            statuses.append("")
        elif sep and value and key in _ACCOUNT_KEYS:
            accounts.append(value)
        elif sep and value and key in _STATUS_KEYS:
            folded = value.casefold()
            if folded in ("—", "-"):
                folded = "unknown"
            match = [s for s in STATUSES if s.startswith(folded)]
            statuses.append(match[0] if match else folded)
        else:
            words.append(token.casefold())
    return Search(tuple(accounts), tuple(statuses), tuple(words), tuple(empty))


_ACCOUNT_KEYS = ("account", "acc", "a")
_STATUS_KEYS = ("status", "s")


def unknown_terms(search: Search, accounts: tuple[str, ...] | list[str]) -> list[str]:
    """What in `search` can match nothing, said for a person: a `status:` that is none of
    STATUSES, an `account:` like none of `accounts` (the configured names; like the
    filter itself, a name is like an account whose name holds it, in any case:
    `account:team` finds `team-desk`, and was said to be no account). A filter for
    `status:bogus` used to match nothing without saying why."""
    said = [f"no status {status!r} (use {', '.join(STATUSES)})"
            for status in search.statuses if status and status not in STATUSES]
    said += [f"no account {name!r} (there are {', '.join(accounts)})"
             for name in search.accounts
             if not any(name.casefold() in known.casefold() for known in accounts)]
    said += [f"{term!r} gives no value (say one: status:live, account:NAME)"
             if term != ":" else "':' names no filter and no value (status:live, "
             "account:NAME)" for term in search.empty_terms]
    return said


def accounts_outside(search: Search, in_view: list[str], configured: list[str]) -> list[str]:
    """The `account:` names of `search` that are like a configured account outside
    `in_view` (the accounts listed), when none of them is like one in it: the filter
    then matches nothing listed, whatever else it says ("No meetings match the filter"
    left the user looking for a typo). [] otherwise. Like the filter itself, a name
    is like an account whose name holds it, in any case."""
    def like(term: str, name: str) -> bool:
        return term.casefold() in name.casefold()

    if not search.accounts or any(like(term, name) for term in search.accounts
                                  for name in in_view):
        return []
    others = [name for name in configured if name not in in_view]
    return [term for term in search.accounts if any(like(term, name) for name in others)]


def listed_only(in_view: list[str]) -> str:
    """"only team is listed", of the accounts a list is limited to."""
    return (f"only {in_view[0]} is listed" if len(in_view) == 1
            else f"only {', '.join(in_view)} are listed")


class Order(NamedTuple):
    """The list's order: a column and a direction; ties go by start, account and id."""

    key: str = "start"
    descending: bool = False

    def toggled(self, key: str) -> Order:
        """The order after asking for `key`: its direction flips if it is the current
        column, otherwise that column ascending."""
        if key == self.key:
            return Order(key, not self.descending)
        return Order(key, False)


SORT_KEYS = ("title", "account", "start", "end", "status")
DEFAULT_ORDER = Order()
