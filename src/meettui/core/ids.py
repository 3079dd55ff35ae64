"""Meeting ids as people type them: the whole id, or a unique prefix of it.

The rule follows git's short object names: an id that matches exactly wins over any
longer id it is a prefix of; otherwise a prefix of at least `MIN_PREFIX` characters names
the one cached meeting whose id starts with it. A prefix that fits several meetings is
refused with the candidates (`AmbiguousId`), never guessed. Only the cache is searched:
resolving an id never touches the network.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from meettui.core.display import local_time
from meettui.core.errors import MeettuiError, ReplacedId, UnknownId, ValidationError
from meettui.core.models import Meeting
from meettui.core.wording import argument, command

MIN_PREFIX = 4
"""The shortest prefix taken (git's minimum abbreviation): shorter ones match too much
to be meant, and a `delete --yes` must not land on a meeting nobody named."""
SHOWN = 20
"""At most this many candidates are listed for an ambiguous id."""


class _Cache(Protocol):
    def get(self, account: str, meeting_id: str) -> Meeting | None: ...

    def replaced_by(self, old_id: str, accounts: list[str] | None = None,
                    ) -> list[tuple[str, str, datetime]]: ...

    def replaced_prefix(self, prefix: str, accounts: list[str] | None = None, *,
                        limit: int = 21) -> list[tuple[str, str]]: ...

    def find(self, meeting_id: str, accounts: list[str] | None = None) -> list[Meeting]: ...

    def was_deleted(self, account: str, meeting_id: str) -> bool: ...

    def find_prefix(self, prefix: str, account: str | None = None, *,
                    accounts: list[str] | None = None, limit: int = 21) -> list[Meeting]: ...


class AmbiguousId(MeettuiError):
    """A typed id names several cached meetings. `candidates` holds them (at most
    `SHOWN`, `more` says there were others); the command line lists them and exits 2,
    as for any other usage error (`exit_code`)."""

    exit_code = 2

    def __init__(self, typed: str, candidates: list[Meeting], *, more: bool = False,
                 exact: bool = False, narrowed: bool = False) -> None:
        self.candidates = candidates
        self.more = more
        self.exact = exact  # the whole id, in several accounts (else a prefix)
        what = (f"Meeting id {typed!r} exists in several accounts" if exact
                else f"The id prefix {typed!r} matches several meetings")
        # An account narrows it only where the candidates are in several (every one
        # listed in one account, none left out) and none was given (`narrowed`).
        accounts = {m.account for m in candidates}
        by_account = not narrowed and (more or len(accounts) > 1)
        super().__init__(
            f"{what}:",
            hint=f"Say which one with {argument('--account')}." if exact
            else f"Type more of the id (or give {argument('--account')})." if by_account
            else "Type more of the id.",
        )

    def lines(self) -> list[str]:
        """One line per candidate: account, id, title (for the message's body)."""
        from rich.cells import cell_len  # (rich comes with textual)

        width = max(len(m.account) for m in self.candidates)
        # The ids padded too, in cells: titles started where each id ended.
        ids = max(cell_len(m.id) for m in self.candidates)
        rows = [f"{m.account:<{width}}  {m.id}{' ' * (ids - cell_len(m.id))}  "
                f"{m.title or '(untitled)'}" for m in self.candidates]
        return rows + (["… and more"] if self.more else [])

    def paragraph(self) -> str:
        """The message, the candidates it introduces run in (account, id and title, "; "
        between them), then the hint: for a front end that says it on one line, where
        "… matches several meetings:. Type more …" named none of them."""
        found = "; ".join(f"{m.account} {m.id} {m.title or '(untitled)'}"
                          for m in self.candidates) + ("; … and more" if self.more else "")
        return f"{self.message} {found}. {self.hint}"

    def as_lines(self) -> str:
        """The message, a line per candidate, then the hint (a toast)."""
        return "\n".join([self.message, *self.lines(), self.hint])


def resolve(cache: _Cache, typed: str, account: str | None = None,
            accounts: list[str] | None = None) -> Meeting:
    """The one cached meeting `typed` names, in `account` or in any of `accounts` (None:
    any account cached; a caller passes the configured ones: the rows an account left
    when it was removed from the config take no part).

    Raises ValidationError for an id that is empty or blank, NotFound when nothing
    matches (a prefix shorter than `MIN_PREFIX` matches
    only exactly), and AmbiguousId when the exact id is in several accounts or the
    prefix fits several meetings. An id copied from a narrow list with its ellipsis
    (`standup-7f…`, or `standup-7f?` from a terminal whose encoding has no "…") is read
    as the prefix it shows, and one pasted with blanks around it
    (" f8d0ff3c ") as the id inside them, unless an id has them."""
    def exactly(typed: str) -> list[Meeting]:
        if account:
            return [found] if (found := cache.get(account, typed)) else []
        return cache.find(typed, accounts)

    if typed != typed.strip() and not exactly(typed):
        typed = typed.strip()
    if typed.endswith(("…", "...", "?")) and not exactly(typed):
        # "?": the ellipsis as a terminal whose encoding lacks it shows it (`list` writes
        # what the encoding cannot as "?"): `ee131a97?` copied back found nothing.
        typed = typed.removesuffix("…").removesuffix("...").removesuffix("?")
    if not typed:
        # A usage error (exit 2), not "No cached meeting with id ''" (exit 1): an empty
        # `$ID` in a script, which no refresh would find.
        raise ValidationError(
            "The meeting id is empty.",
            hint=command("Give an id as `meettui list` shows it.",
                         "Give an id as list_meetings returns it."))
    exact = exactly(typed)
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise AmbiguousId(typed, exact, exact=True)
    matches = cache.find_prefix(typed, account, accounts=accounts, limit=SHOWN + 1) \
        if len(typed) >= MIN_PREFIX else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousId(typed, matches[:SHOWN], more=len(matches) > SHOWN,
                          narrowed=account is not None)
    scope = [account] if account else accounts
    replaced = cache.replaced_by(typed, scope)
    if replaced:
        raise _replaced(cache, typed, *replaced[0])
    # A short id (or the list's `…` form) of a meeting an edit replaced: pointed to its
    # replacement as the whole id is ("No cached meeting" said nothing of the edit).
    olds = cache.replaced_prefix(typed, scope, limit=SHOWN + 1) \
        if len(typed) >= MIN_PREFIX else []
    if len({old_id for _, old_id in olds}) == 1:
        old_account, old_id = olds[0]
        replaced = cache.replaced_by(old_id, [old_account])
        if replaced:
            raise _replaced(cache, old_id, *replaced[0])
    if olds:
        named = ", ".join(dict.fromkeys(old_id for _, old_id in olds[:SHOWN]))
        raise UnknownId(
            f"No cached meeting with id {typed!r}; it starts the ids of several meetings "
            f"an edit replaced: {named}.",
            hint="Type more of the id (the whole id names the meeting that replaced it).")
    where = f" in account {account!r}" if account else ""
    short = (f" (a prefix needs at least {MIN_PREFIX} characters)"
             if 0 < len(typed) < MIN_PREFIX else "")
    raise UnknownId(
        f"No cached meeting with id {typed!r}{where}{short}.",
        hint=command("Run `meettui list` to refresh, and check the id.",
                     "Call list_meetings (it refreshes the cache) and check the id."),
    )


def distinct_prefix(ids: list[str]) -> dict[str, int]:
    """For each of `ids`, how many of its leading characters tell it apart from every
    other id in the list: one more than its longest common prefix with a neighbour in
    sorted order (the whole id when it is a prefix of another, as `resolve` lets the
    exact id win). A list that abbreviates ids to these prefixes shows ids `resolve`
    takes back, as long as no other cached meeting shares the prefix (then it lists the
    candidates rather than guessing)."""
    ordered = sorted(set(ids))
    shared = [0] * len(ordered)
    for i in range(1, len(ordered)):
        a, b = ordered[i - 1], ordered[i]
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        shared[i - 1] = max(shared[i - 1], n)
        shared[i] = max(shared[i], n)
    return {text: min(len(text), n + 1) for text, n in zip(ordered, shared, strict=True)}


def _replaced(cache: _Cache, old_id: str, account: str, new_id: str,
              at: datetime) -> ReplacedId | UnknownId:
    """The refusal of `old_id`, which an edit replaced with `new_id` at `at`: pointing
    to `new_id`, unless meettui deleted that since ("Use B" led to "No cached meeting
    with id 'B'", and an agent retried with it). One merely not cached now (a cache
    started afresh, its meetings not read again yet) is still pointed to."""
    if cache.get(account, new_id) is None and cache.was_deleted(account, new_id):
        return UnknownId(
            f"Meeting {old_id!r} was replaced by {new_id} on "
            f"{local_time(at, '%Y-%m-%d %H:%M %Z')} (in {account}), and {new_id} has "
            "since been deleted: nothing stands for it now.",
            hint=command("Run `meettui list` to see the account's meetings.",
                         "Call list_meetings to see the account's meetings."))
    return ReplacedId(
        f"Meeting {old_id!r} was replaced by {new_id} on "
        f"{local_time(at, '%Y-%m-%d %H:%M %Z')} (in {account}): "
        "its provider could not edit it in place, so the edit made a new meeting, with "
        "new links.", new_id=new_id, account=account,
        hint=command(f"Use {new_id} (`meettui show {new_id}`).",
                     f"Call the tool again with id {new_id}."))
