"""The edit of a provider that edits by recreating: a new meeting is made, then the old
one deleted, and every link changes (`replaces` says which edits do this; callers ask
before one). The new meeting is created before the old one is deleted, so a failure
never leaves the user with no meeting; one such edit runs at a time across the processes
sharing the cache (`replace_lock.py`); the old id, asked for later, points to the new
meeting (`ids.resolve`). `service_writes.Writes` extends `Replacing` and calls it from
its `update`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from meettui.core import dryrun
from meettui.core.capabilities import Capabilities
from meettui.core.display import titled_id
from meettui.core.errors import (
    CacheError,
    MeettuiError,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    end_sentence,
    inner_message,
)
from meettui.core.kept import changes_upstream, recreate_spec
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.provider import Provider
from meettui.core.replace_lock import lock_path, replacing
from meettui.core.service_checks import gone
from meettui.core.service_readback import ReadBack
from meettui.core.wording import command, key


@dataclass(frozen=True)
class UpdateResult:
    """What an edit (`Writes.update`) left: the meeting as it is now, and whether it
    replaced another."""

    meeting: Meeting
    replaced_id: str | None = None
    """Set when the provider could only recreate: the old id is gone and links changed."""
    warning: str = ""
    notice: str = ""
    """Set with `replaced_id`: what to tell the user (which meeting replaced which)."""

    @property
    def links_changed(self) -> bool:
        return self.replaced_id is not None


def replaces(caps: Capabilities, meeting: Meeting, spec: MeetingSpec) -> bool:
    """Whether saving the edit `spec` of `meeting`, whose provider can do `caps` with it,
    creates a new meeting and deletes this one (every link changes): the provider edits
    by recreating, and the edit changes more than what meettui keeps
    (`kept.changes_upstream`). Callers ask before such an edit."""
    return caps.update_changes_links and changes_upstream(caps, meeting, spec)


class Replacing(ReadBack):
    """The edit that recreates a meeting, of one service's changes (`service_writes.Writes`
    extends it; `ReadBack` says what it is made with)."""

    async def _recreate(self, provider: Provider, account: str, meeting_id: str,
                        spec: MeetingSpec, cached: Meeting | None,
                        caps: Capabilities) -> UpdateResult:
        """The edit of a provider that edits by recreating: a new meeting, then the old
        one deleted (a warning in the result when it could not be). One at a time across
        the processes sharing the cache (`replace_lock`): a second edit of the meeting
        then finds it gone, and makes nothing (a dry run takes no lock: it writes no
        file)."""
        path = None if dryrun.active() else lock_path(self.cache.path)
        async with replacing(path):
            return await self._replace(provider, account, meeting_id, spec, cached, caps)

    async def _replace(self, provider: Provider, account: str, meeting_id: str,
                       spec: MeetingSpec, cached: Meeting | None,
                       caps: Capabilities) -> UpdateResult:
        """`_recreate`, under its lock."""
        # The old meeting must still exist, or the "edit" would only make a new one (its
        # delete then finds nothing): read it first (`fetch` marks it missing).
        if caps.remote_list:
            try:
                await self._fetch(account, meeting_id)
            except NotFound:
                raise gone(account, meeting_id, cached) from None
        # Create first, so a failure never leaves the user with no meeting.
        if caps.kept_facts:
            spec = recreate_spec(cached, spec,
                                 provider.options_read(cached) if cached is not None else None)
        try:
            meeting = await self._create(account, spec)
        except dryrun.DryRun as plan:
            # The old meeting's delete would follow: plan it too, to show its request.
            try:
                await self._upstream(account, provider.delete(meeting_id))
            except dryrun.DryRun as then:
                plan.requests += then.requests
            plan.then.append(f"the new meeting replaces {meeting_id}: every link changes, "
                             "and the old one is deleted once the new one exists")
            raise
        except OutcomeUnknown as lost:
            raise OutcomeUnknown(
                f"The edit was not finished: the old meeting {meeting_id} is unchanged, but "
                f"its replacement may exist upstream. {end_sentence(inner_message(lost))}",
                provider=lost.provider,
                hint="Refresh the list: a new meeting with the new times may be there; "
                "delete the one you do not want before editing again.",
            ) from None
        # Made: from here on a cache that fails is said beside the success (exit 3),
        # never as a failure whose retry makes another replacement.
        meeting = await self._kept_after(meeting)
        if meeting.id == meeting_id:
            # The provider handed the same id back: there is no old meeting to delete.
            return UpdateResult(meeting, warning=meeting.unread or "")
        warning = ""
        try:
            await provider.delete(meeting_id)
        except NotFound as not_found:
            # Gone since it was read: another edit replaced it (two edits at once each
            # made a replacement), or it was deleted elsewhere. This edit's new meeting
            # would be a second one, said to have replaced a meeting it did not. Unless
            # it was found gone on a retry after this delete's first answer was lost:
            # that first try deleted it, as the edit asked.
            if not not_found.after_lost:
                await self._undo_replacement(provider, account, meeting_id, meeting,
                                             cached)
        except MeettuiError as exc:
            exc.of_account(account)  # the warning names the account, as any failure does
            warning = (
                f"The new meeting was created, but the old one ({meeting_id}) could not be "
                f"deleted: {end_sentence(exc.message)} Delete it by hand."
            )
        done = "to replace" if warning else "and deleted"  # (the warning says why not)
        uncached = meeting.unread
        if not warning and uncached is None:
            uncached = await self._cached_after(self.cache.delete, account, meeting_id)
        warning = " ".join(w for w in (warning, uncached or "") if w)
        # The old id, asked for later, then points to this one (`ids.resolve`).
        with contextlib.suppress(CacheError):  # (a note for later: the edit is done)
            await self.cache.off_loop(self.cache.note_replacement, account, meeting_id,
                                      meeting.id, self.sync.clock.now())
        notice = (f"{provider.display_name} cannot edit in place: made {meeting.id} {done} "
                  f"{meeting_id}; every link changed — send the new ones.")
        return UpdateResult(meeting, replaced_id=meeting_id, warning=warning, notice=notice)

    async def _undo_replacement(self, provider: Provider, account: str, meeting_id: str,
                                made: Meeting, cached: Meeting | None) -> None:
        """The meeting `meeting_id` vanished while an edit replaced it: delete the
        replacement `made` again and raise NotFound saying so; ProviderError naming it
        when it cannot be deleted (a meeting left to delete by hand)."""
        what = titled_id(cached.title if cached is not None else "", meeting_id)
        await self.cache.off_loop(self.cache.mark_missing, account, meeting_id)
        said = (f"{what} was replaced or deleted elsewhere meanwhile (another edit, "
                "perhaps): its delete found it gone")
        try:
            await provider.delete(made.id)
        except NotFound:
            pass  # (gone already: nothing is left over either)
        except MeettuiError as exc:
            raise ProviderError(
                f"{said}. The meeting this edit made in its place ({made.id}) could not "
                f"be deleted again: {inner_message(exc)}; it is a second replacement.",
                provider=self._display_name(account),
                hint=f"Delete {made.id} by hand ("
                     + command(f"`meettui delete {made.id}`",
                               f"delete_meeting with id {made.id}",
                               f"select it in the list and press {key('meeting.delete', 'd')}")
                     + "), then refresh the list and edit the meeting that is there "
                     "now.") from None
        await self.cache.off_loop(self.cache.delete, account, made.id)
        refresh = key("list.refresh", "Ctrl+R")
        raise NotFound(
            f"{said}. The meeting this edit made in its place ({made.id}) was deleted "
            "again; nothing changed.",
            provider=self._display_name(account),
            hint=f"Refresh the list ({command('`meettui list`', 'list_meetings', refresh)}) "
                 "and edit the meeting that is there now.")
