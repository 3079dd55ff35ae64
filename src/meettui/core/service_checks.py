"""Checks the service makes before it asks anything of a provider or the cache: a
filter short enough to be one, fields and options the provider takes, texts within its
lengths, an edit that changes something, a delete not done already; the refusal of a
change to a meeting gone upstream; that an answer about one meeting is about the one
asked for; and how a local edit reads in a dry run. No I/O."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from meettui.core.capabilities import Capabilities, DeleteMode, FieldKind
from meettui.core.display import local_time, plain, printable, titled_id
from meettui.core.errors import (
    AlreadyDone,
    EditOnlyOption,
    FixedField,
    GoneUpstream,
    MeettuiError,
    NothingToChange,
    NotTaken,
    OutOfRange,
    ProviderError,
    Removal,
    UnknownOption,
    ValidationError,
    inner_message,
)
from meettui.core.kept import BASE_FIELDS, base_field_changed, changes_nothing
from meettui.core.models import Meeting, MeetingSpec, Status
from meettui.core.wording import command, key, option, spoken

MAX_FILTER = 200
"""The longest filter text, in characters: longer ones are no search anyone types, and
SQLite refuses LIKE patterns past a limit with an error that reads like a disk fault."""


def checked_filter(query: str) -> str:
    """`query` as the cache searches it; MeettuiError when it is too long to be one."""
    if len(query) > MAX_FILTER:
        raise MeettuiError(
            f"The filter is {len(query)} characters long; at most {MAX_FILTER}.",
            hint="Search for a shorter part of the title.",
        )
    return query


def check_taken(provider_name: str, caps: Capabilities, spec: MeetingSpec, *,
                creating: bool = False, names: Mapping[str, str] | None = None) -> None:
    """NotTaken at the first value of `spec`, as a user gave it, that the provider (shown
    as `provider_name`) has no use for: a base field it hides (`check_fields`), then an
    option it does not take (`check_options`). `names` says how the caller's user gives
    each base field (`--start`, `start`); the refusal names it."""
    check_fields(provider_name, caps, spec, names=names)
    check_options(provider_name, caps, spec, creating=creating)


def check_fields(provider_name: str, caps: Capabilities, spec: MeetingSpec, *,
                 names: Mapping[str, str] | None = None) -> None:
    """NotTaken at the first base field (title, start, end) `spec` gives that the
    provider has no use for (`FieldSpec.hidden`: its `help` says why), where it would be
    dropped without a word. `spec` must be what the user gave: a front end that merges
    in the meeting's own times checks before it merges."""
    for name in BASE_FIELDS:
        field = caps.field(name)
        given = getattr(spec, name)
        if field is None or not field.hidden or not (
                given.strip() if isinstance(given, str) else given is not None):
            continue
        what = field.label.lower() + (" time" if field.kind == FieldKind.DATETIME else "")
        said = (names or {}).get(name)
        raise NotTaken(f"{provider_name} takes no {what}. {spoken(field.help)}".strip(),
                       field=name,
                       hint=f"Leave out {said}; nothing was sent." if said else None)


def check_options(provider_name: str, caps: Capabilities, spec: MeetingSpec, *,
                  creating: bool = False) -> None:
    """NotTaken naming the first option (`-o name=value`) the provider, shown as
    `provider_name`, does not take: its fields and declared extra options (D25), the
    message listing those the command takes. With `creating`, also one whose field
    means something to an edit only (`FieldSpec.creatable`, e.g. a reason for
    rescheduling); without it (an edit), FixedField at one whose field the provider
    fixes when the meeting is made (`FieldSpec.editable` False: a guest, a room's
    language). Either would otherwise be accepted and dropped without a word, and the
    rest of the change made."""
    for field in caps.fields:
        if field.name in BASE_FIELDS or spec.options.get(field.name) in (None, ""):
            continue
        if creating and not field.creatable:
            raise EditOnlyOption(
                f"{field.label} applies to an edit only: {provider_name} has nothing "
                f"to do with it when a meeting is created.",
                field=field.name,
                hint=f"Leave out {option(field.name)}, or give it with "
                f"{command('`meettui edit`', 'edit_meeting', 'the edit form (e)')}.",
            )
        if not creating and not field.editable:
            raise FixedField(
                f"{field.label} ({field.name}) is fixed once the meeting exists; "
                f"{provider_name} cannot change it.",
                field=field.name,
                hint=f"Leave out the {field.name} option; nothing was sent, and the "
                "meeting is as it was. Another value needs a new meeting.",
            )
    unknown = caps.unknown_options(spec.options)
    if unknown:
        known = sorted({f.name for f in caps.fields if f.name not in BASE_FIELDS and (
            f.creatable if creating else f.editable)} | set(caps.extra_options))
        takes = "it takes" if creating else "an edit takes"
        raise UnknownOption(
            f"{provider_name} has no option {unknown[0]!r}; "
            + (f"{takes}: {', '.join(known)}." if known else f"{takes} none."),
            field=unknown[0], known=known,
            hint=command("Check the spelling of the -o option (the README lists each "
                         "provider's).", f"Check the spelling of options.{unknown[0]}.")
            if known else command("Leave out the -o option; nothing was sent.",
                                  f"Leave out options.{unknown[0]}; nothing was sent."),
        )


def already_done(caps: Capabilities, meeting: Meeting) -> AlreadyDone | None:
    """The refusal of a delete of `meeting` (whose provider can do `caps` with it) that
    has been done already: a cancel, where the delete cancels, of a meeting cancelled
    already (it would report success and send nothing). Its hint names what is left to
    do, the action that removes it for good where there is one (`AlreadyDone.removal`,
    for a front end to name as it runs it). None otherwise."""
    if caps.delete != DeleteMode.CANCEL or meeting.status != Status.CANCELLED:
        return None
    what = titled_id(meeting.title, meeting.id)
    hard = caps.removal()
    return AlreadyDone(f"{what} is cancelled already.",
                       hint="It stays listed as cancelled; nothing was changed.",
                       removal=Removal(hard.name, hard.label, meeting.id)
                       if hard is not None else None)


def changes(before: Meeting, after: Meeting) -> str:
    """What a local edit changes, as `title: 'a' → 'b'` parts (a dry run's report)."""
    def shown(value: object) -> str:
        return value.isoformat() if isinstance(value, datetime) else repr(value)

    parts = [f"{name}: {shown(getattr(before, name))} → {shown(getattr(after, name))}"
             for name in BASE_FIELDS
             if getattr(before, name) != getattr(after, name)]
    return "; ".join(parts) or "nothing"


def check_times(spec: MeetingSpec, now: datetime, cached: Meeting | None = None,
                caps: Capabilities | None = None, provider: str = "The provider") -> None:
    """OutOfRange at the first time of `spec` that cannot be meant, whichever front end
    gave it (the command line, the app's form or the agent): more than ten years from
    `now`, or a start more than a year before it (`timeparse.out_of_range`); then, given
    `caps`, a meeting that would be over when made (`check_not_over`; `provider` is its
    display name). On an edit (`cached`, with its provider's `caps`), only the times it
    changes are checked: a room opened long ago keeps its start through an edit of its
    title."""
    from meettui.core.timeparse import MAX_AHEAD_TEXT, MAX_PAST_TEXT, out_of_range

    for name, label in (("starts_at", "The start"), ("ends_at", "The end")):
        moment = getattr(spec, name)
        if moment is None or not _time_changed(name, spec, cached, caps):
            continue
        why = out_of_range(moment, now, start=name == "starts_at")
        if why is None:
            continue
        shown = local_time(moment, "%Y-%m-%d %H:%M %Z")
        back = now > moment
        raise OutOfRange(
            f"{label} ({shown}) is {why}: meettui takes "
            + (f"no start more than {MAX_PAST_TEXT} back, almost surely a typo in the year."
               if back else f"no time more than {MAX_AHEAD_TEXT} ahead."),
            field=name)
    if caps is not None:
        check_not_over(spec, now, caps, cached, provider)


START_GRACE = timedelta(minutes=15)
"""How far back a start may be where the provider sets the end itself (a meeting type
that sets the length, say): a meeting booked for "now" a few minutes late is meant,
one booked for an hour ago would invite its guest to a meeting under way or over.
meettui's own choice (no provider document says what a past start does there); change it
here."""


END_GRACE = timedelta(minutes=1)
"""How far back an end may be: a time typed to the minute ("now", to end a meeting that
runs) is up to 59 seconds gone when it is read."""


def check_not_over(spec: MeetingSpec, now: datetime, caps: Capabilities,
                   cached: Meeting | None = None, provider: str = "The provider") -> None:
    """OutOfRange when a create, or an edit that moves a time (`cached`), would leave a
    meeting over, or its link expired, at `now`: an end or expiry more than END_GRACE
    before `now`; or, where the provider sets the end itself (`ends_at` hidden), a
    start more than START_GRACE before `now`. Not every provider refuses such times
    (some took them and emailed the guest an invitation to a meeting over already; a
    local room was kept ended), so meettui refuses them before anything is sent,
    whichever the provider."""
    end_field, start_field = caps.field("ends_at"), caps.field("starts_at")
    end = spec.ends_at
    over = end is not None and now - end > END_GRACE
    if end is not None and over and _time_changed("ends_at", spec, cached, caps):
        # The field that sets the link's expiry (its value shown as `expires_at`).
        expiry = end_field is not None and end_field.shows == "expires_at"
        raise OutOfRange(
            f"The {'expiry' if expiry else 'end'} "
            f"({local_time(end, '%Y-%m-%d %H:%M %Z')}) is {_ago(now - end)} ago: the "
            + ("link would have expired before it was made." if expiry
               else "meeting would be over before it was made."),
            field="ends_at", hint="Give a later time; nothing was sent.")
    start = spec.starts_at
    if (start is not None and end_field is not None and end_field.hidden
            and start_field is not None and not start_field.hidden
            and now - start > START_GRACE and _time_changed("starts_at", spec, cached, caps)):
        raise OutOfRange(
            f"The start ({local_time(start, '%Y-%m-%d %H:%M %Z')}) is {_ago(now - start)} "
            f"ago: {provider} sets how long the meeting lasts, so it may be over "
            "already, and its guest would be invited to it.",
            field="starts_at", hint="Give a later start; nothing was sent.")


def _time_changed(name: str, spec: MeetingSpec, cached: Meeting | None,
                  caps: Capabilities | None) -> bool:
    # A create gives every time anew; an edit only those it changes.
    return cached is None or caps is None or base_field_changed(name, cached, spec, caps)


def _ago(delta: timedelta) -> str:
    # Whole minutes, at most two units ("2 days 3 hours"): how long ago a typed time is.
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    said = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n][:2]
    return " ".join(said)


def check_lengths(caps: Capabilities, spec: MeetingSpec) -> None:
    """Refuse a title or text option longer than the provider takes (ValidationError at
    that field): before anything is sent, so no provider sees a 10,000-character title."""
    values: dict[str, Any] = {"title": spec.title, **spec.options}
    for name, value in values.items():
        limit = caps.max_length(name)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            spec_of = caps.field(name)
            label = spec_of.label if spec_of is not None else name.capitalize()
            raise ValidationError(
                f"{label} is {len(value):,} characters long; at most {limit:,} are allowed.",
                field=name, hint=command("Shorten it and run the command again.",
                                         "Shorten it and call the tool again.",
                                         "Shorten it and save again."),
            )


def check_fixed(caps: Capabilities, cached: Meeting, spec: MeetingSpec) -> None:
    """FixedField at the first base field (title, start, end) the provider keeps fixed
    (`FieldSpec.editable` False) that `spec` changes from `cached` (`base_field_changed`:
    a time unless it is the meeting's, a title as typed; an empty or unchanged one asks
    nothing).
    A fixed title given beside an option was dropped without a word."""
    for name in BASE_FIELDS:
        field = caps.field(name)
        if field is None or field.editable:
            continue
        if base_field_changed(name, cached, spec, caps):
            raise FixedField(f"{field.label} is fixed once the meeting exists; it cannot "
                             "be changed.", field=name, provider=cached.provider)


def check_changes(caps: Capabilities, cached: Meeting, spec: MeetingSpec) -> None:
    """NothingToChange when the edit `spec` gives `cached` nothing but what it has
    (`kept.changes_nothing`: times to the provider's precision): sent, it would change
    nothing, or (where an edit recreates) replace the meeting and every link for
    nothing."""
    if changes_nothing(caps, cached, spec):
        raise NothingToChange("Nothing to change: the meeting already has every value given.")


def gone(account: str, meeting_id: str, cached: Meeting | None, *,
         outcome: str = "Nothing was saved.", again: str = "edited") -> GoneUpstream:
    """What is said of a meeting the provider no longer has (one removed elsewhere since
    the list was read), in the words the app uses for it: for a change refused
    (`outcome` "Nothing was saved.", `again` what the user can do to it once it is
    back), and for a refresh or an action that found it gone. Every one of them marks
    it gone in the cache first (a refresh said "It may have been deleted or expired
    upstream; refresh the list", an action the provider's bare 404)."""
    what = titled_id(cached.title if cached is not None else "", meeting_id)
    return GoneUpstream(f"{what} no longer exists in {account!r}: it was removed "
                        f"elsewhere. {outcome}",
                        hint=f"Refresh the list: a meeting that is back can be {again} "
                             "again; otherwise create a new one.")


def gone_advice(meeting: Meeting) -> str:
    """What to do with `meeting`, marked gone upstream (`Meeting.missing`), in the words
    of the front end that runs (`wording.command`): ask the provider again, in case it
    is back (a refresh that finds it clears the mark), or forget it (nothing is sent)."""
    shown = shlex.quote(plain(meeting.id))
    check = command(f"`meettui show {shown} --refresh`", "get_meeting with refresh: true",
                    f"a refresh of the list ({key('list.refresh', 'Ctrl+R')})")
    forget = command(f"`meettui delete {shown}`", "delete_meeting",
                     f"Delete ({key('meeting.delete', 'd')})")
    return (f"Check whether the provider has it again with {check}; if it was removed "
            f"there, {forget} forgets it here (nothing is sent to the provider).")


def gone_link(meeting: Meeting, outcome: str) -> MeettuiError:
    """The refusal to hand `meeting`'s link to someone else (a QR code, the links to
    hand out) while it is marked gone upstream (`Meeting.missing`: a list, a refresh or
    a change found the provider no longer has it): its link most likely leads nowhere,
    and a guest given it finds a dead room. `outcome` says what was not done ("No QR
    code was made."). A failure (exit 1, as `ics ID` of such a meeting), not a usage
    error: the command was right, the meeting is gone; the hint is `gone_advice`."""
    return MeettuiError(f"{gone_sentence(meeting)}. {outcome}", hint=gone_advice(meeting))


def gone_sentence(meeting: Meeting) -> str:
    """Why the link of `meeting`, gone upstream, most likely leads nowhere: one sentence
    naming it, without its full stop (`gone_link`, `dead_links.dead_link`)."""
    return (f"{titled_id(meeting.title, meeting.id)} is gone upstream: "
            f"{meeting.account!r} no longer lists it, so its link most likely no longer "
            "works")


def gone_on_refresh(account: str, meeting_id: str, cached: Meeting,
                    answer: MeettuiError) -> GoneUpstream:
    """What a refresh that found `cached` gone upstream says: gone, with the provider's
    `answer` (a room that ended, a link that expired: not always removed by someone),
    that it is marked gone (its status `gone`), and how to forget it."""
    what = titled_id(cached.title, meeting_id)
    error = GoneUpstream(f"{what} is gone upstream: {account!r} no longer has it "
                         f"({inner_message(answer)}). It is marked gone here.")
    error.hint = ("Delete it to forget it here (nothing is sent for a meeting gone "
                  f"upstream: {command(f'`meettui delete {meeting_id}`', 'delete_meeting')}); "
                  "a list that finds it again shows it again.")
    return error


def check_answered(account: str, asked: str, meeting: Meeting, what: str) -> None:
    """ProviderError when the provider answered a request about meeting `asked` (`what`
    was asked of it: "A refresh of meeting") with another meeting: `meeting.id` differs. Said
    before anything of the answer is cached (`show ID --refresh` cached and printed the
    other meeting without a word, in the place of the one asked for)."""
    if meeting.id == asked:
        return
    error = ProviderError(
        f"{what} {asked!r} was answered with another meeting "
        f"({meeting.id!r}); nothing of that answer was cached.",
        provider=meeting.provider,
        hint="Try again; if it persists, something answers for the provider wrongly: "
             "check the account's base_url (a proxy, another server).")
    error.of_account(account)
    raise error


START_SLACK = timedelta(minutes=1)
"""How far a made meeting's start may be from the start asked for and still be it (the
provider rounds, the clock moved on while the request went out)."""


def start_not_kept(asked: datetime | None, meeting: Meeting, flag: str = "--start") -> str | None:
    """The sentence saying that `meeting` does not start at the start it was created
    with (`asked`, given as `flag`), or None when it does (or none was given). A
    provider that opens a meeting when it is made (its form's Start only counts a
    relative end) made a "tomorrow" meeting live now without a word."""
    if asked is None:
        return None
    start = meeting.starts_at
    if start is not None and abs(start - asked) <= START_SLACK:
        return None
    fmt = "%a %d %b %H:%M %Z"
    opened = f"starts {local_time(start, fmt)}" if start is not None else "has no start"
    return (f"{printable(meeting.account)}: the meeting {opened}, not at the {flag} given "
            f"({local_time(asked, fmt)}): its provider keeps no start time (the start "
            "only counted a relative end from it).")
