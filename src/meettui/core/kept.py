"""What meettui keeps about a meeting beyond the provider's answer (`Meeting.kept`), and
how a fresh answer and the cached copy are merged.

Rules (the service applies them for providers whose capabilities say `kept_facts`):

- a fresh answer without kept facts takes the cached copy's, and its kept title;
- a fresh answer with kept links (an action's) keeps the cached links it lacks;
- the kept links the answer's own links lack are put back, each after the last link of
  its role (a provider may show one host's link per read; the others are still valid);
- a link for one run of the meeting (`Link.run_started`) is kept while the meeting is
  live with that start, and dropped once it is not (stopped, ended, or started anew);
- an edit that recreates the meeting carries the known creation options over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from meettui.core.capabilities import Capabilities
from meettui.core.models import KeptFacts, Link, Meeting, MeetingSpec, Status


def carry_over(fresh: Meeting, cached: Meeting | None) -> Meeting:
    """`fresh` with what meettui kept about it (from `cached`), and the kept links put
    back among its links."""
    if cached is None and not fresh.kept.links:
        return fresh  # nothing kept, nothing to put back (most meetings of a sync)
    if cached is not None and not cached.kept.is_empty():
        if fresh.kept.is_empty():
            update: dict[str, object] = {"kept": cached.kept}
            if cached.kept.title:
                update["title"] = cached.kept.title
            fresh = fresh.model_copy(update=update)
        elif cached.kept.links:
            # A read shows part of what meettui knows: keep the rest.
            links = merge_links(fresh.kept.links, cached.kept.links)
            fresh = fresh.model_copy(
                update={"kept": fresh.kept.model_copy(update={"links": links})})
    return with_kept_links(fresh)


def merge_links(fresh: list[Link], kept: list[Link]) -> list[Link]:
    """`fresh`, then the links of `kept` whose URL is not among them."""
    merged = list(fresh)
    urls = {lk.url for lk in merged}
    for link in kept:
        if link.url not in urls:
            merged.append(link)
            urls.add(link.url)
    return merged


def in_this_run(link: Link, meeting: Meeting) -> bool:
    """Whether `link` still leads into `meeting`: any link but one for a single run
    (`Link.run_started`), and that one while the meeting is live with that start."""
    return link.run_started is None or (meeting.status == Status.LIVE
                                        and meeting.starts_at == link.run_started)


def with_kept_links(meeting: Meeting) -> Meeting:
    """Put back the links in `meeting.kept.links` that `meeting.links` lacks (by URL),
    each after the last link of its role; a link of a run that is over (`in_this_run`)
    is dropped from both."""
    if any(lk.run_started is not None for lk in (*meeting.links, *meeting.kept.links)):
        kept = [lk for lk in meeting.kept.links if in_this_run(lk, meeting)]
        meeting = meeting.model_copy(update={
            "links": [lk for lk in meeting.links if in_this_run(lk, meeting)],
            "kept": meeting.kept.model_copy(update={"links": kept})})
    links = list(meeting.links)
    present = {lk.url for lk in links}
    for link in meeting.kept.links:
        if link.url in present:
            continue
        same = [i for i, have in enumerate(links) if have.role == link.role]
        links.insert(same[-1] + 1 if same else len(links), link)
        present.add(link.url)
    if len(links) == len(meeting.links):
        return meeting
    return meeting.model_copy(update={"links": links})


def recreate_spec(cached: Meeting | None, spec: MeetingSpec,
                  read: dict[str, Any] | None = None) -> MeetingSpec:
    """What the replacement of a recreated meeting is created with: the old meeting's
    known options under the edit's own: those it was made with (`kept.options`), else
    those `read` from the provider's answer (`Provider.options_read`; a room made
    elsewhere lost its name prefix). A title that was only derived upstream (a room
    name) is dropped, so the new room shows its own name."""
    if cached is None:
        return spec
    known = cached.kept.options if cached.kept.options is not None else (read or {})
    options = {**known, **spec.options}
    title = spec.title
    if not cached.kept.title and title == cached.title:
        title = ""
    return spec.model_copy(update={"options": options, "title": title})


BASE_FIELDS = ("title", "starts_at", "ends_at")
"""The fields every meeting has, beside its provider's options."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def given_step(moment: datetime) -> timedelta:
    """How finely a time was given: to the minute (as the form shows and takes times,
    and as `show` prints them), to the second (`+2h`, a JSON time), or finer."""
    if moment.microsecond:
        return timedelta(microseconds=1)
    return timedelta(seconds=1) if moment.second else timedelta(minutes=1)


def same_time(caps: Capabilities, given: datetime, have: datetime) -> bool:
    """Whether the time `given` for an edit is the meeting's `have`: equal to the coarser
    of the step it was given in (`given_step`: 09:01 is the meeting's 09:01:20) and the
    provider's own (`Capabilities.time_precision`: 09:01:20.5 is the 09:01:20 of a
    provider that keeps seconds)."""
    step = max(given_step(given), caps.time_precision)
    return _floor(given, step) == _floor(have, step)


def _floor(moment: datetime, step: timedelta) -> datetime:
    return moment - (moment - EPOCH) % step


def current_time(caps: Capabilities, cached: Meeting, name: str) -> datetime | None:
    """The meeting's time the base field `name` edits: its own, or the one its field
    shows (`FieldSpec.shows`: an "Expires" given as `ends_at` edits `expires_at`)."""
    field = caps.field(name)
    value: datetime | None = getattr(cached, field.shows if field and field.shows else name)
    return value


def base_field_changed(name: str, cached: Meeting, spec: MeetingSpec,
                       caps: Capabilities) -> bool:
    """Whether the edit `spec` changes `cached`'s base field `name` (BASE_FIELDS): a title
    as typed (empty keeps it), a time unless it is the meeting's (`same_time`), None
    keeping it."""
    given = getattr(spec, name)
    if isinstance(given, str):
        return bool(given.strip()) and given.strip() != cached.title
    if given is None:
        return False
    have = current_time(caps, cached, name)
    return have is None or not same_time(caps, given, have)


def option_unchanged(cached: Meeting, name: str, value: Any) -> bool:
    """Whether option `name` given as `value` is what the meeting has: the value it was
    made with (`kept.options`), else its provider's answer under the field's name (where
    the edit form reads it from). A number typed as text (`-o capacity=0`) is the number."""
    known: dict[str, Any] = cached.kept.options or {}
    if name in known:
        have = known[name]
    elif name in cached.raw:
        have = cached.raw[name]
    else:
        return False  # not known: it may differ
    if isinstance(value, bool) or isinstance(have, bool):
        return value is have  # a switch is no number: True is not 1
    plain = (str, int, float)
    return value == have or (isinstance(value, plain) and isinstance(have, plain)
                             and str(value).strip() == str(have))


def changes_upstream(caps: Capabilities, cached: Meeting, spec: MeetingSpec) -> bool:
    """Whether the edit `spec` of `cached` changes anything the provider holds: a base
    field it differs in (`base_field_changed`), or an option whose value differs from the
    one the meeting was made with (`kept.options`; any option, when none is known).
    Fields the capabilities mark `local` (kept by meettui alone) never do."""
    def differs(name: str, changed: bool) -> bool:
        field = caps.field(name)
        return changed and not (field is not None and field.local)

    known: dict[str, Any] = cached.kept.options or {}
    return (
        any(differs(name, base_field_changed(name, cached, spec, caps))
            for name in BASE_FIELDS)
        or any(differs(name, name not in known or known[name] != value)
               for name, value in spec.options.items())
    )


def changes_nothing(caps: Capabilities, cached: Meeting, spec: MeetingSpec) -> bool:
    """Whether the edit `spec` of `cached` gives nothing but what the meeting has: every
    base field kept or the meeting's own (`base_field_changed`), every option the value
    it has (`option_unchanged`). Sending it would change nothing, or (where an edit
    recreates) replace the meeting and every link for nothing."""
    title = caps.field("title")
    # An empty title where meettui alone keeps one is no "keep it": the provider's own
    # name (a room's) is shown again (`Provider.retitled`).
    cleared = (not spec.title.strip() and title is not None and title.local
               and bool(cached.kept.title))
    return (not cleared
            and not any(base_field_changed(name, cached, spec, caps) for name in BASE_FIELDS)
            and all(option_unchanged(cached, name, value)
                    for name, value in spec.options.items()))


__all__ = ["BASE_FIELDS", "KeptFacts", "base_field_changed", "carry_over", "changes_nothing",
           "changes_upstream", "in_this_run", "merge_links", "recreate_spec", "same_time",
           "with_kept_links"]
