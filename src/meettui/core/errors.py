"""One error taxonomy that every provider maps onto.

Each error carries a message (what happened) and a hint (what to do). Text passes
through `redact` on the way in, so no error can carry a credential out of the process.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from meettui.core.redact import redact


class MeettuiError(Exception):
    """meettui's errors. On the command line each exits 1 (a failure: the provider's
    answer, a file, the configuration, an id that matches nothing), unless its class
    says 2 (`exit_code`): the command asked for what meettui refuses before anything is
    sent (a value it cannot use, a change the meeting cannot have, one it has had
    already), which is a usage error, as a flag nothing takes is; 3 for a change made
    that could not be read back (`DoneUnread`: done, with a refresh left to do)."""

    hint: str = ""
    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None, provider: str = "") -> None:
        self.provider = provider
        """The kind of provider the error is about, when it is about one: the message
        begins with it ("KIND: …") until `of_account` names the account too."""
        # A message re-raised with its provider (a lost create's reconciliation) has the
        # prefix already: "KIND: KIND: POST /meetings …" said it twice.
        prefix = f"{provider}: " if provider and not message.startswith(f"{provider}: ") else ""
        self.message = redact(prefix + message)
        if hint is not None:
            self.hint = redact(hint)
        self.account = ""
        """The account whose call failed, once the service has said so (`of_account`)."""
        super().__init__(self.message)

    @property
    def label(self) -> str:
        """Who failed, as the message begins: the provider, or the account and its
        provider once `of_account` has named it."""
        if not self.account:
            return self.provider
        return self.account if self.account == self.provider else \
            f"{self.account} ({self.provider})"

    def of_account(self, account: str) -> None:
        """Name `account` where the message names its provider alone ("KIND: GET
        /meetings failed" becomes "ACCOUNT (KIND): …"): with two accounts of a provider,
        the provider did not say which one failed. Any error about a provider, a call's
        failure or its account's configuration (a key that is no PEM key, a secret that
        cannot be sent). Once; a message without the provider in front is left as it
        is."""
        if self.account or not self.provider or \
                not self.message.startswith(f"{self.provider}: "):
            return
        rest = self.message.removeprefix(f"{self.provider}: ")
        self.account = account
        self.message = f"{self.label}: {rest}"
        self.args = (self.message,)

    def __str__(self) -> str:
        """The failure in its one wording (`paragraph`): what every front end that says
        it on one line (the command line's stale lines, its JSON, the agent tools)
        prints. It said "… → 503 Service Unavailable — The provider …" on the command
        line and "… Unavailable. The provider …" to an agent."""
        return self.paragraph()

    def paragraph(self) -> str:
        """The message, then the hint, as one paragraph of sentences, for a front end
        that shows them run together (an agent's tool result, a form's error line): a
        message that does not end a sentence gets its period ("… → 404: Not Found. It
        may have been deleted …", where a bare space ran the two together)."""
        if not self.hint:
            return self.message
        return f"{end_sentence(self.message)} {self.hint}"

    def as_lines(self) -> str:
        """The message, then the hint on a line of its own, for a front end that shows
        them apart (a toast): the sentences of `paragraph`, a line break between them."""
        return f"{end_sentence(self.message)}\n{self.hint}" if self.hint else self.message

    def __rich__(self) -> str:
        """How a terminal front end shows it when nothing caught it: the message and what
        to do, never a traceback (Textual renders an exception with `__rich__` this way
        when it has to stop)."""
        return f"meettui: {self.message}\n  {self.hint}" if self.hint else \
            f"meettui: {self.message}"


def end_sentence(text: str) -> str:
    """`text` ending a sentence: with a period added unless it already ends with `.`,
    `!`, `?` or `…` (or one of them inside closing quotes or brackets), or with a colon:
    a message that introduces what follows it (a list of candidates) is left as it is,
    where "matches several meetings:." ended it twice."""
    text = text.rstrip()
    if not text or text.rstrip("\"')]»”’").endswith((".", "!", "?", "…", ":")):
        return text
    return f"{text}."


def inner_message(error: BaseException) -> str:
    """What `error` says, to be quoted inside another message: its message without the
    provider's name in front (the message quoting it names it) and without the period
    that ends it, and without its hint (the quoting error gives its own). Quoted in
    parentheses with `str()`, a message and hint with periods of their own piled up as
    "… (… — ….).)."."""
    text = error.message if isinstance(error, MeettuiError) else str(error)
    label = getattr(error, "label", "")
    if label:
        text = text.removeprefix(f"{label}: ")
    text = text.rstrip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


_STATUS_WORDS = {500: "server error", 501: "not implemented", 502: "bad gateway",
                 503: "unavailable", 504: "gateway timeout"}


def answered_hint(status: int) -> str:
    """What to do about a provider that answered `status` (a 5xx): it was reached and
    is failing, so "could not be reached" (which sends the user to check the network)
    is not said. E.g. "The provider answered 503 (unavailable); …"."""
    word = _STATUS_WORDS.get(status, "server error" if status >= 500 else "an error")
    return (f"The provider answered {status} ({word}); the cached list still works. "
            "Try again later.")


class ConfigError(MeettuiError):
    hint = "Fix the config file (`meettui locate` shows where it is)."


class CredentialsError(ConfigError):
    """An account's credentials are missing or cannot be used as given (a private key
    that is not a PEM RSA key, an empty API key): found when a call needs them, the
    account "needs credentials" until one goes through."""


class CacheError(ConfigError):
    """The cache file failed after it was opened (damage SQLite found in a part of the
    file it had not read before, a full disk, a file made read-only): the message names
    the file and the hint says what to do. The file is left as it is; a front end that
    runs on may set a `damaged` one aside (`Cache.start_afresh`)."""

    def __init__(self, message: str, *, hint: str | None = None,
                 damaged: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.damaged = damaged
        """Which opening of the cache (`CacheConnection.opening`) found the file damaged;
        None for any other failure (a full disk, a file made read-only)."""


class CacheBusy(CacheError):
    """Another process holds the cache file locked (another meettui writing, an SQLite
    tool): nothing is wrong with the file, and the same call works once it lets go."""


class CacheReadOnly(CacheError):
    """The cache file (or its folder) cannot be written: it was opened read-only, and a
    change that would have to be kept in it (a sync, a create, an edit, a delete, a
    provider action) is refused before anything is sent (`CacheConnection.read_only`)."""


class NotSupported(MeettuiError):
    """The provider cannot do this at all, or not to this meeting (an edit of a room
    that cannot change, a delete where there is none, a read-only account's change);
    the UI should not have offered it. Refused before anything is sent: a usage error
    on the command line (exit 2), as a flag the provider has no use for is."""

    exit_code = 2


class ProviderError(MeettuiError):
    hint = "Try again; if it persists, check the provider's status page."

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        status: int | None = None,
        body: str = "",
        hint: str | None = None,
    ) -> None:
        self.status = status
        # Bodies can be huge HTML error pages; keep enough to diagnose.
        self.body = redact(body[:500]) if body else ""
        super().__init__(message, hint=hint, provider=provider)


class AuthError(ProviderError):
    hint = "Check the account's credentials (the API key or token)."


class NotFound(ProviderError):
    hint = "It may have been deleted or expired upstream; refresh the list."

    after_lost = False
    """Set on the 404 of a DELETE tried again after an earlier try was sent and its
    answer lost (`ApiClient.request`): that earlier try most likely deleted it, so a
    delete that meets it was done, not found "gone upstream already"."""


LONGEST_WAIT = 86400.0
"""The longest wait, in seconds, said as a duration: a provider that asks for more (a
Retry-After decades ahead) is told as the time it names, a date no one waits for."""


def retry_advice(seconds: float, now: datetime | None = None) -> str:
    """What to tell a user asked to wait `seconds` before trying again: "Try again in
    45 s." (`display.wait_text`), or, past LONGEST_WAIT, the time the provider names."""
    from meettui.core.display import local_time, wait_text

    if math.isfinite(seconds) and seconds <= LONGEST_WAIT:
        return f"Try again in {wait_text(seconds)}."
    try:
        until = local_time((now or datetime.now(UTC)) + timedelta(seconds=seconds),
                           "%Y-%m-%d %H:%M %Z")
    except (OverflowError, ValueError):
        until = "a time beyond the calendar"
    return (f"The provider asks to wait until {until}. Try again later; if it keeps "
            "refusing, ask the provider why.")


class RateLimited(ProviderError):
    hint = "The provider is throttling requests; wait and try again."

    def __init__(self, message: str, *, retry_after: float | None = None, provider: str = "",
                 status: int | None = None, body: str = "", hint: str | None = None) -> None:
        self.retry_after = retry_after
        """Seconds to wait before trying again, when the provider said."""
        if retry_after is not None and hint is None:
            hint = retry_advice(retry_after)
        super().__init__(message, provider=provider, status=status, body=body, hint=hint)


class ValidationError(ProviderError):
    """A value refused: by the provider's answer (`status` set), or by meettui's own
    check before anything was sent (no `status`: a number that is no number, a host
    name that matches no host). The first exits 1 on the command line, as any answer of
    the provider's; the second 2, as a time that cannot be read does (`exit_code`)."""

    hint = "Correct the value and submit again."
    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None, provider: str = "",
                 status: int | None = None, body: str = "", hint: str | None = None) -> None:
        self.field = field
        """The form field (`FieldSpec.name`) the error is about, when known."""
        super().__init__(message, provider=provider, status=status, body=body, hint=hint)
        if status is not None:
            self.exit_code = 1  # the provider's answer


class NothingToChange(ValidationError):
    """An edit that asks for no change the provider can make (only what it keeps fixed,
    say): refused before anything is sent. The command line exits 2 for it, as for an
    edit given nothing to change at all: the same refusal is the same usage error,
    whoever finds it."""

    hint = "Nothing was sent; the meeting is as it was."
    exit_code = 2


class FixedField(ValidationError):
    """An edit that asks to change what the provider fixes when the meeting is made (a
    room's name, its language): refused before anything is sent, at the field.
    A usage error on the command line (exit 2), as a flag the provider has no use for
    is; the rest of the edit is not made either (it was dropped without a word)."""

    hint = "Leave it out; nothing was sent, and the meeting is as it was."
    exit_code = 2


class NotTaken(ValidationError):
    """A value the provider has no use for (a start where its meetings have none, an
    option it does not know, an edit's reason given to a create): refused before
    anything is sent, at the field, where it would otherwise be dropped without a word.
    A usage error on the command line (exit 2), as a flag it has no use for is."""

    hint = "Leave it out; nothing was sent."
    exit_code = 2


class UnknownOption(NotTaken):
    """An option (`field`) the provider does not take at all; `known` names those the
    change takes. The hint says what to do in the command line's words; another front
    end says it in its own."""

    def __init__(self, message: str, *, field: str, known: list[str], hint: str) -> None:
        self.known = known
        super().__init__(message, field=field, hint=hint)


class EditOnlyOption(NotTaken):
    """An option (`field`) that means something to an edit only, given to a create.
    The hint names the command line's edit; another front end names its own."""


class UnknownAccountName(ConfigError):
    """No configured account has the name asked for; `known` names those there are.
    The hint names the command that lists them; another front end names its own."""

    def __init__(self, message: str, *, known: list[str], hint: str) -> None:
        self.known = known
        super().__init__(message, hint=hint)


class WrongAddress(ProviderError):
    """The provider answered 404 or 410 where the account itself lives: its list of
    meetings, its token endpoint, its event. What is wrong is the account's address (a
    base_url, an instance, an event), not a meeting: unlike a NotFound, nothing is
    marked gone, and the account's health is "error" until a call goes through. The
    service names the settings to check in the hint (`MeetingService._upstream`, from
    `Provider.address_settings`); this class hint is what is said without it."""

    hint = ("Check the account's base_url in the config file (`meettui locate` shows "
            "where): the provider has nothing at that address.")


class GoneUpstream(NotFound):
    """The provider answered that a cached meeting no longer exists (a 404 to a refresh,
    an edit or an action): a definite answer, not a failure to reach it. The cache marks
    the meeting gone, as a list walk that no longer sees it does, and the message says
    so in one wording everywhere (`service_checks.gone`)."""


class UnknownId(NotFound):
    """No cached meeting has the id (or the prefix) asked for: the hint names the
    command line's list; another front end names its own way to refresh."""


class ReplacedId(UnknownId):
    """The id asked for is of a meeting an edit replaced (its provider recreates): the
    message names the meeting that stands for it now, `new_id` in `account`."""

    def __init__(self, message: str, *, new_id: str, account: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.new_id = new_id
        self.account = account


class OutOfRange(ValidationError):
    """A time given to a meeting that cannot be meant (decades ahead, a start years
    back: `timeparse.out_of_range`): refused before anything is sent, at the field. A
    usage error on the command line (exit 2), as a time that cannot be read is."""

    hint = "Check the year; nothing was sent."
    exit_code = 2


class Removal:
    """The provider action that still removes a meeting a refused change left as it
    was (`ActionSpec.removes`): each front end says how to run it in its own words (a
    command, a key), so the refusal carries its parts rather than one sentence.

    A plain class, not a dataclass: every command imports this module, and importing
    `dataclasses` (with `inspect`) was ~5 ms of `meettui --help`'s ~45."""

    __slots__ = ("action", "label", "meeting_id")

    def __init__(self, action: str, label: str, meeting_id: str) -> None:
        self.action = action
        """The action's name (`ActionSpec.name`)."""
        self.label = label
        """What the app calls it (`ActionSpec.label`)."""
        self.meeting_id = meeting_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Removal) and (self.action, self.label, self.meeting_id) \
            == (other.action, other.label, other.meeting_id)

    def __hash__(self) -> int:
        return hash((self.action, self.label, self.meeting_id))

    def __repr__(self) -> str:
        return f"Removal({self.action!r}, {self.label!r}, {self.meeting_id!r})"


class AlreadyDone(NothingToChange):
    """A change the meeting has had already (a cancel of a cancelled meeting): nothing
    is sent, and the command line exits 2, as for an edit that changes nothing.

    With a `removal`, the hint ends by naming the action that removes the meeting for
    good, in words for any front end; `hint_running` says it as one front end does."""

    hint = "Nothing was changed."

    def __init__(self, message: str, *, provider: str = "", hint: str | None = None,
                 removal: Removal | None = None) -> None:
        self.removal = removal
        self.done_hint = redact(hint) if hint is not None else type(self).hint
        """The hint without the removal's sentence."""
        if removal is not None:
            hint = self._with(f"run its action {removal.label!r} ({removal.action})")
        super().__init__(message, provider=provider, hint=hint)

    def hint_running(self, how: str) -> str:
        """The hint, its removal said as `how` ("run `meettui action 12 delete`")."""
        return self._with(how) if self.removal is not None else self.hint

    def _with(self, how: str) -> str:
        return f"{self.done_hint} To remove it for good, {how}."


class Unavailable(ProviderError):
    """The provider is not usable now: it could not be reached (the class hint), or it
    answered a server error (`status` set: the hint says which, `answered_hint`), or it
    gave no answer in time (the raiser's hint says so).

    `reached` says whether the request got to the provider: True when it answered
    (`status`), or when the request was sent and its answer timed out or was lost; False
    when no connection was made (the provider is offline to us)."""

    hint = "The provider could not be reached; the cached list still works. Try again later."

    def __init__(self, message: str, *, provider: str = "", status: int | None = None,
                 body: str = "", hint: str | None = None, reached: bool = False) -> None:
        if hint is None and status is not None and self.names_status:
            hint = answered_hint(status)
        super().__init__(message, provider=provider, status=status, body=body, hint=hint)
        self.reached = reached or status is not None

    names_status = True
    """Whether a status replaces the class hint by `answered_hint` (OutcomeUnknown's own
    hint says more)."""


class OutcomeUnknown(Unavailable):
    """A change was sent but its answer was lost (a dropped connection, a timeout after
    sending, a cut body, a 5xx that may have come after the work): the provider may
    have made it. A change that is not safe to repeat is never retried blindly: the
    service looks upstream for the result before anyone tries again; one that is (a
    PUT, a DELETE) was tried again, and its last try's answer was lost too. Front ends
    say "maybe", never "not saved" (`maybe_done`)."""

    hint = ("The provider may have done it: refresh and check before you try again, so "
            "that nothing is done twice.")
    names_status = False

    def __init__(self, message: str, *, provider: str = "", status: int | None = None,
                 body: str = "", hint: str | None = None) -> None:
        # Sent, by definition: the provider was reached.
        super().__init__(message, provider=provider, status=status, body=body, hint=hint,
                         reached=True)


class DoneUnread(OutcomeUnknown):
    """A change the provider answered as done (a 2xx) that meettui could not read back:
    the answer arrived unreadable, or the read that follows it failed (a cut answer, a
    lost connection, a 5xx, an answer not as documented). It was made: front ends say
    so, and how to see it, never "not saved", "left as it was" or "try again".

    `meeting_id` is the meeting it made or changed, when the answer gave it; `known` the
    meeting as far as meettui knows it (what was sent, and that id), when the provider
    can tell, for the service to keep until a refresh reads it as it is."""

    hint = ("It was done: refresh to see it (the cached copy may not show it yet), and do "
            "not do it again.")
    exit_code = 3
    """Done, with a refresh left to do (the command line's "done, but something is left
    to do by hand"): a script that tried again on 1 would do it twice."""

    def __init__(self, message: str, *, provider: str = "", status: int | None = None,
                 body: str = "", hint: str | None = None, meeting_id: str | None = None,
                 known: Any = None, answer_only: str | None = None) -> None:
        super().__init__(message, provider=provider, status=status, body=body, hint=hint)
        self.meeting_id = meeting_id
        self.known = known
        """A `Meeting` (typed loosely: the model is not imported here)."""
        self.answer_only = answer_only
        """What only the lost answer held, which no read gives back ("the new host's
        link"): said even when the meeting could be read again."""


def maybe_done(error: BaseException, done: str) -> str | None:
    """The title for `error` when it leaves a change's outcome unknown (`OutcomeUnknown`),
    e.g. "Maybe saved" for `done` "saved", or done but not read back (`DoneUnread`),
    "Saved, not re-read"; None for any other error, which says what did not happen
    itself."""
    if isinstance(error, DoneUnread):
        return f"{done[:1].upper()}{done[1:]}, not re-read"
    return f"Maybe {done}" if isinstance(error, OutcomeUnknown) else None
