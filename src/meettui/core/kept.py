"""What meettui keeps about a meeting beyond the provider's answer (`Meeting.kept`), and
how a fresh answer and the cached copy are merged.

Rules (the service applies them for providers whose capabilities say `kept_facts`):

- a fresh answer without kept facts takes the cached copy's, and its kept title;
- a fresh answer with kept links (an action's) keeps the cached links it lacks;
- the kept links the answer's own links lack are put back, each after the last link of
  its role (a provider may show one host's link per read; the others are still valid);
- an edit that recreates the meeting carries the known creation options over.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meettui.core.models import Capabilities, KeptFacts, Link, Meeting, MeetingSpec


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


def with_kept_links(meeting: Meeting) -> Meeting:
    """Put back the links in `meeting.kept.links` that `meeting.links` lacks (by URL),
    each after the last link of its role."""
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


def recreate_spec(cached: Meeting | None, spec: MeetingSpec) -> MeetingSpec:
    """What the replacement of a recreated meeting is created with: the old meeting's
    known options under the edit's own. A title that was only derived upstream (a room
    name) is dropped, so the new room shows its own name."""
    if cached is None:
        return spec
    options = {**(cached.kept.options or {}), **spec.options}
    title = spec.title
    if not cached.kept.title and title == cached.title:
        title = ""
    return spec.model_copy(update={"options": options, "title": title})


BASE_FIELDS = ("title", "starts_at", "ends_at")
"""The fields every meeting has, beside its provider's options."""


def base_field_changed(name: str, cached: Meeting, spec: MeetingSpec) -> bool:
    """Whether the edit `spec` changes `cached`'s base field `name` (BASE_FIELDS): a title
    as typed (empty keeps it), a time to the minute, as the form and the command line
    give them (None keeps it)."""
    given, have = getattr(spec, name), getattr(cached, name)
    if isinstance(given, str):
        return bool(given.strip()) and given.strip() != have
    return given is not None and (have is None or _minute(given) != _minute(have))


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
        any(differs(name, base_field_changed(name, cached, spec)) for name in BASE_FIELDS)
        or any(differs(name, name not in known or known[name] != value)
               for name, value in spec.options.items())
    )


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


__all__ = ["BASE_FIELDS", "KeptFacts", "base_field_changed", "carry_over", "changes_upstream",
           "merge_links", "recreate_spec", "with_kept_links"]
