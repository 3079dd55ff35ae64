"""Every change the service makes to a meeting: create (and finding the meeting a lost
create answer may have made), edit (in place, in the cache only, or by recreating it),
delete, and provider actions. `MeetingService` delegates its writes here.

The checks of an edit, in order: the account takes changes, the texts are within the
provider's lengths, the provider can edit this meeting, every option is one it takes,
no fixed field changes, the last sync still saw the meeting, and the edit gives it
something it does not have; only then is anything sent. An edit that recreates creates
the new meeting before it deletes the old one, so a failure never leaves the user with
no meeting (that edit, and which edits recreate, are in `service_replace.py`). The
checks themselves (and the refusals they raise) are in `service_checks.py`; what
meettui keeps beyond a provider's answer, and which edits change anything upstream, in
`kept.py`; what a change left when its answer was lost or unreadable (the meeting read
back, or a lost create's meeting found), in `service_readback.py`.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from meettui.core import dryrun
from meettui.core.account_rules import IMPORTED_KIND
from meettui.core.capabilities import ActionSpec, DeleteMode, UpdateMode
from meettui.core.errors import (
    AlreadyDone,
    CacheBusy,
    CacheError,
    DoneUnread,
    MeettuiError,
    NotFound,
    NotSupported,
    OutcomeUnknown,
)
from meettui.core.kept import (
    carry_over,
    changes_upstream,
    with_kept_links,
)
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.service_checks import (
    already_done,
    changes,
    check_answered,
    check_changes,
    check_fixed,
    check_lengths,
    check_options,
    check_taken,
    check_times,
    gone,
)
from meettui.core.service_replace import Replacing, UpdateResult, replaces
from meettui.core.wording import command

__all__ = ["UpdateResult", "Writes", "replaces"]

log = logging.getLogger("meettui.service")


class Writes(Replacing):
    """The changes to the meetings of one service's accounts (`ReadBack` says what it is
    made with, and reads back a change whose answer was lost or unreadable; `Replacing`
    recreates a meeting its provider cannot edit in place)."""

    def can_write(self, account: str) -> str | None:
        """Why `account` refuses changes now (read-only, or the cache is: what a change
        makes could not be kept), or None when it takes them."""
        if self.cache.read_only is not None:
            return self.cache.read_only_error().message
        if self.pool.is_read_only(account):
            return f"Account {account!r} is read-only."
        return None

    def action_refusal(self, account: str, spec: ActionSpec) -> str | None:
        """Why action `spec` cannot run in `account` now, or None when it can. An action
        that changes something (`ActionSpec.changes`) is refused as every change is
        (`can_write`); one that changes nothing (a join as an attendee) runs
        on a read-only account, and is refused only while the cache is read-only (what
        it returns could not be kept)."""
        if spec.changes:
            return self.can_write(account)
        if self.cache.read_only is not None:
            return self.cache.read_only_error().message
        return None

    async def create(self, account: str, spec: MeetingSpec) -> Meeting:
        """Create a meeting in `account`. Raises NotSupported for a read-only account or
        a provider that cannot create, ConfigError for missing secrets, and the
        provider's errors (ValidationError at a field, AuthError, Unavailable…)."""
        self._check_writable(account)
        caps = self._caps(account)
        if not caps.create:
            if self.pool.provider_class(account).kind == IMPORTED_KIND:
                # Said alone, it left the way to add such a meeting unsaid.
                raise NotSupported(
                    f"Account {account!r} holds meeting links pasted in from other "
                    "services; it creates no meetings.",
                    hint=command("Add a link with `meettui import URL`.",
                                 "Links are added with `meettui import URL`, outside "
                                 "this server."))
            raise NotSupported(f"Account {account!r} cannot create meetings.")
        check_taken(self._display_name(account), caps, spec, creating=True)
        check_lengths(caps, spec)
        check_times(spec, self.sync.clock.now(), caps=caps,
                    provider=self._display_name(account))
        await self._cache_takes_writes()
        meeting = await self._create(account, spec)
        # Reached in a dry run only when no provider call was needed (a provider whose
        # meetings are made without one).
        # With the times worked out (a relative --end counts from the start): they were
        # not said, where a dry run is how to check them.
        times = "".join(f"; {name}: {value.isoformat()}" for name, value in
                        (("starts_at", meeting.starts_at), ("ends_at", meeting.ends_at))
                        if value is not None)
        dryrun.local_change(f"no provider call; a new meeting {meeting.title!r} would be "
                            f"added to the local cache of {account!r} (a room like "
                            f"{meeting.id!r}: the name is drawn anew when it is made)"
                            f"{times}", account)
        if not caps.remote_list:
            # Made nowhere but here (a Jitsi room, drawn locally): not kept is not
            # made, and trying again makes nothing twice.
            await self.cache.off_loop(self.cache.upsert, meeting)
            return meeting
        return await self._kept_after(meeting)

    async def update(self, account: str, meeting_id: str, spec: MeetingSpec) -> UpdateResult:
        """Edit a meeting as the provider can: in place, locally, or by recreating it
        (every link changes; `UpdateResult.replaced_id` says so). Raises NotSupported
        when this meeting cannot be edited, NotFound when it is gone upstream,
        FixedField and ValidationError for a field the provider will not take as given,
        OutcomeUnknown when a replacement may or may not exist, and the errors of
        `create`."""
        self._check_writable(account)
        provider = self.pool.get(account)
        cached = self.cache.get(account, meeting_id)
        caps = self._caps(account, cached)
        check_lengths(caps, spec)
        mode = caps.update
        if mode == UpdateMode.NONE:
            raise NotSupported(f"This meeting cannot be edited at {provider.display_name}.",
                               hint=caps.update_note or None)
        # Options only: the front ends merge the meeting's own times into an edit's spec
        # (a start moved, its end following), so they check the fields the user gave.
        check_options(self._display_name(account), caps, spec)
        if cached is not None:
            check_fixed(caps, cached, spec)
        check_times(spec, self.sync.clock.now(), cached, caps, self._display_name(account))
        if cached is not None and cached.missing:
            # The last full sync did not see it: an edit would fail upstream, or (where an
            # edit recreates) make a new meeting in its place without a word.
            raise gone(account, meeting_id, cached)
        if cached is not None:
            check_changes(caps, cached, spec)
        await self._cache_takes_writes()
        if mode == UpdateMode.LOCAL:
            if cached is None:
                raise NotFound(f"No meeting {meeting_id!r} in account {account!r}.")
            meeting = await provider.update_local(cached, spec)
            dryrun.local_change(f"no provider call; {meeting_id} would change in the local "
                                f"cache only: {changes(cached, meeting)}", account)
            await self.cache.off_loop(self.cache.upsert, meeting)
            return UpdateResult(meeting)
        if mode == UpdateMode.IN_PLACE:
            try:
                meeting = await self._upstream(account, provider.update(meeting_id, spec))
            except NotFound:
                if not dryrun.active():  # gone upstream
                    await self.cache.off_loop(self.cache.mark_missing, account, meeting_id)
                raise gone(account, meeting_id, cached) from None
            except DoneUnread as done:
                # Edited: never "nothing was saved". Shown as read again, else as sent.
                made = await self._made_unread(account, done, meeting_id)
                if made is None:
                    raise
                return UpdateResult(made, warning=made.unread or "")
            except OutcomeUnknown as lost:
                # Sent, tried again, and the last answer lost too: the meeting, read
                # again, says whether the edit is there.
                return UpdateResult(await self._edit_lost(account, meeting_id, spec, caps,
                                                          lost))
            check_answered(account, meeting_id, meeting, "The edit of meeting")
            meeting = await self._kept_after(self.sync.with_kept(account, [meeting])[0])
            return UpdateResult(meeting, warning=meeting.unread or "")
        if cached is not None and not changes_upstream(caps, cached, spec):
            # Only what meettui keeps changes (a title the provider has no place for):
            # the meeting and its links stay; recreating it would change every link
            # for nothing.
            meeting = provider.retitled(cached, spec.title)
            dryrun.local_change(f"no provider call; {meeting_id} would change in the local "
                                f"cache only: {changes(cached, meeting)}", account)
            await self.cache.off_loop(self.cache.upsert, meeting)
            return UpdateResult(meeting)
        return await self._recreate(provider, account, meeting_id, spec, cached, caps)

    async def delete(self, account: str, meeting_id: str) -> DeleteMode:
        """Delete, cancel or forget a meeting, as its provider does (the mode is
        returned). Raises NotSupported when it cannot be deleted or the account is
        read-only, AlreadyDone for a cancel of a meeting cancelled already (cached so,
        or found so upstream: the cache is brought up to date); a meeting already gone
        upstream is forgotten here and `DeleteMode.GONE` returned (the user's intent is
        met, but nothing was deleted). One the last full sync found gone
        (`Meeting.missing`) is only forgotten, nothing sent (`GONE_WORDING`: a cancel
        of it, had it come back, would be more than was asked), and GONE returned too."""
        self._check_writable(account)
        cached = self.cache.get(account, meeting_id)
        caps = self._caps(account, cached)
        mode = caps.delete
        if cached is not None and cached.missing and caps.delete != DeleteMode.NONE:
            dryrun.local_change(f"no provider call; {meeting_id} is gone upstream and would "
                                f"be forgotten from the local cache of {account!r}", account)
            await self.cache.off_loop(self.cache.delete, account, meeting_id)
            return DeleteMode.GONE
        done = already_done(caps, cached) if cached is not None else None
        if done is not None:
            raise done
        if mode == DeleteMode.NONE:
            raise NotSupported(
                f"This meeting cannot be deleted ({self._display_name(account)} has no "
                "delete); it expires on its own."
            )
        if mode != DeleteMode.LOCAL:
            await self._cache_takes_writes()
            provider = self.pool.get(account)
            try:
                await self._upstream(account, provider.delete(meeting_id))
            except NotFound as not_found:
                # Already gone upstream: the user's intent is met; said as what it was.
                # Found gone on a retry after our own try's answer was lost: that try
                # most likely deleted it, so it was deleted, not "gone already".
                await self.cache.off_loop(self.cache.delete, account, meeting_id)
                return mode if not_found.after_lost else DeleteMode.GONE
            except DoneUnread:
                # Answered as done, the answer unreadable: deleted (or cancelled, which
                # the re-read below shows), never "left as it was".
                pass
            except OutcomeUnknown as lost:
                # Sent, tried again, and the last answer lost too: whether the meeting
                # is still there says whether it was deleted.
                await self._delete_lost(account, meeting_id, caps, lost)
            except AlreadyDone as said:
                # Cancelled elsewhere since the list was read: said as for a cached one,
                # once the cache knows (a dry run writes nothing to it).
                if dryrun.active():
                    raise
                try:
                    fresh = await self._fetch(account, meeting_id)
                except MeettuiError:
                    raise said from None
                raise (already_done(self._caps(account, fresh), fresh) or said) from None
        else:
            dryrun.local_change(f"no provider call; {meeting_id} would be forgotten from the "
                                f"local cache of {account!r} (its link keeps working)",
                                account)
        try:
            if mode == DeleteMode.CANCEL:
                # A cancelled meeting stays listed upstream; re-read it when we can.
                try:
                    await self._fetch(account, meeting_id)
                except MeettuiError:
                    await self.cache.off_loop(self.cache.delete, account, meeting_id)
            else:
                await self.cache.off_loop(self.cache.delete, account, meeting_id)
        except CacheError as failed:
            if mode == DeleteMode.LOCAL:
                raise  # nothing was sent: not forgotten is not done
            # Done at the provider (another process took the cache since
            # `_cache_takes_writes`): said done, never "try again".
            raise DoneUnread(
                f"{meeting_id} was {'cancelled' if mode == DeleteMode.CANCEL else 'deleted'}"
                f" at the provider, but the cache did not keep that: {failed.message}",
                provider=self._display_name(account),
                hint="The list shows it after the next refresh; do not do it again.",
            ) from None
        return mode

    async def run_action(
        self, account: str, meeting_id: str, action: str, params: dict[str, Any] | None = None
    ) -> Meeting:
        """Run a provider action on one meeting; the meeting as it is afterwards (for an
        action that `removes` it: as it was last, and no longer cached). Raises
        NotSupported when this meeting has no such action or the account is read-only
        and the action changes something (`action_refusal`), CacheError while the
        cache is read-only, and the provider's errors."""
        cached = self.cache.get(account, meeting_id)
        caps = self._caps(account, cached)
        spec = caps.action(action)
        if spec is None:
            raise NotSupported(f"Account {account!r} has no action {action!r} for this meeting.")
        # Before anything is sent, as for a change: what it returns is kept.
        self._check_writable(account, changes=spec.changes)
        if cached is not None and cached.missing:
            # The last full sync (or a refresh, an edit) found it gone: said as an edit
            # says it, nothing sent (the provider's bare 404 asked to refresh the list).
            raise gone(account, meeting_id, cached, outcome="Nothing was done.",
                       again="used")
        await self._cache_takes_writes()
        provider = self.pool.get(account)
        # What meettui keeps (e.g. host links the provider will not list again): the
        # provider answers with the whole updated `kept`, which replaces the cached one.
        kept = cached.kept if (caps.kept_facts and cached is not None) else None
        call = provider.run_action(meeting_id, action, dict(params or {}), kept=kept)
        try:
            meeting = await self._upstream(account, call)
        except NotFound as not_found:
            # An action that removes the meeting, found gone on a retry after its first
            # try's answer was lost: that try removed it.
            if spec.removes and not_found.after_lost and cached is not None:
                await self.cache.off_loop(self.cache.delete, account, meeting_id)
                return cached
            if cached is None:
                raise  # (never cached: no such meeting, the provider's answer says)
            # Removed elsewhere since the list was read: marked gone and said as an
            # edit says it ("GET /permalink/… → 404 Not Found. It may have been deleted
            # …; refresh the list" left it listed as it was).
            if not dryrun.active():
                await self.cache.off_loop(self.cache.mark_missing, account, meeting_id)
            raise gone(account, meeting_id, cached, outcome="Nothing was done.",
                       again="used") from None
        except AlreadyDone:
            if not dryrun.active():  # done elsewhere since the list was read
                with contextlib.suppress(MeettuiError):
                    await self._fetch(account, meeting_id)
            raise
        except DoneUnread as done:
            # Done: said so, with the meeting read again (or as far as known), never
            # "left as it was". What only its answer held (join data, a new host's
            # link) is lost: the meeting's `unread` says so.
            if spec.removes and cached is not None:  # removed: nothing to read back
                await self.cache.off_loop(self.cache.delete, account, meeting_id)
                return cached
            made = await self._made_unread(account, done, meeting_id)
            if made is None:
                raise
            return made
        dryrun.local_change(f"no provider call; {action} would change {meeting_id} in the "
                            "local cache only", account)
        check_answered(account, meeting_id, meeting, f"The action {action!r} on meeting")
        if spec.removes:
            await self.cache.off_loop(self.cache.delete, account, meeting_id)
            return meeting
        if caps.kept_facts:
            meeting = (with_kept_links(meeting) if not meeting.kept.is_empty()
                       else carry_over(meeting, cached))
        return await self._kept_after(meeting)

    # -- helpers ----------------------------------------------------------------------

    async def _cache_takes_writes(self) -> None:
        """CacheBusy, before anything is sent, while another process holds the cache
        past the busy timeout (`Cache.takes_writes`): a change the provider made that
        the cache could not keep was said as "not saved, try again", and the retry made
        the meeting twice. Nothing is asked of the cache in a dry run (nothing is sent
        or kept)."""
        if dryrun.active():
            return
        try:
            await self.cache.off_loop(self.cache.takes_writes)
        except CacheBusy as busy:
            raise CacheBusy(f"{busy.message.rstrip('.')}. Nothing was sent to the provider.",
                            hint=busy.hint) from None

    def _check_writable(self, account: str, *, changes: bool = True) -> None:
        """Raise the cache's read-only error while it is read-only, and, for what
        `changes` the meeting, NotSupported on a read-only account."""
        if self.cache.read_only is not None:
            # Before anything is sent: a meeting made upstream that the cache cannot
            # keep would be made again by the next try.
            raise self.cache.read_only_error()
        reason = self.can_write(account) if changes else None
        if reason is not None:
            raise NotSupported(
                reason,
                hint="Turn read-only off (in the app, or `read_only = false` in the config).",
            )
