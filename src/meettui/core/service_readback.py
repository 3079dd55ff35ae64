"""What a change left when meettui could not read its answer: the provider did it but
its answer was unreadable (`DoneUnread`), or the last answer was lost (`OutcomeUnknown`).
The meeting is read back (again by id, or found in the provider's list for a create)
before anything is said, so the user is never told "nothing was saved" of a change that
was made, nor asked to repeat one that would then be made twice. `ReadBack._create` is
the provider's create that looks for the meeting a lost answer may have made.
`service_writes.Writes`, which extends `ReadBack` (through `service_replace.Replacing`),
calls these from its verbs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from meettui.core.accounts import ProviderPool
from meettui.core.cache import Cache
from meettui.core.capabilities import Capabilities
from meettui.core.errors import (
    CacheError,
    DoneUnread,
    MeettuiError,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    end_sentence,
    inner_message,
)
from meettui.core.kept import changes_nothing
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.paging import RepeatedCursor, TooManyPages, WalkGuard
from meettui.core.service_checks import already_done
from meettui.core.sync import Sync, Upstream

log = logging.getLogger("meettui.service")

Fetch = Callable[[str, str], Awaitable[Meeting]]
"""The service's re-read of one meeting (`MeetingService.fetch`): account, meeting id."""


class ReadBack:
    """The read-backs of one service's changes (`service_writes.Writes` extends it).
    `upstream` is the service's wrapper of a provider call (health kept, errors raised),
    `fetch` its re-read of one meeting (the cache updated); `sync` merges what meettui
    keeps into a meeting known only as sent."""

    def __init__(self, pool: ProviderPool, cache: Cache, sync: Sync, upstream: Upstream,
                 fetch: Fetch) -> None:
        self.pool = pool
        self.cache = cache
        self.sync = sync
        self._upstream = upstream
        self._fetch = fetch

    def _caps(self, account: str, cached: Meeting | None = None) -> Capabilities:
        """What `account`'s provider can do with `cached` (`Provider.capabilities_for`),
        or in general when it is not cached."""
        cls = self.pool.provider_class(account)
        return cls.capabilities_for(cached) if cached else cls.capabilities

    def _display_name(self, account: str) -> str:
        return self.pool.provider_class(account).display_name

    async def _cached_after(self, write: Callable[..., object], *args: object) -> str | None:
        """Run the cache `write(*args)` that keeps what the provider just did; None, or,
        when the cache fails now (another process took it since the check before
        sending, a full disk), what to say beside the change's success: it is done all
        the same, and a failure said as "try again" made it twice."""
        try:
            await self.cache.off_loop(write, *args)
        except CacheError as failed:
            log.warning("a change done at the provider was not cached: %s", failed.message)
            return (f"Done at the provider, but the cache did not keep it: {failed.message} "
                    "The list shows it after the next refresh.")
        return None

    async def _kept_after(self, meeting: Meeting) -> Meeting:
        """`meeting`, which the provider made or changed, stored in the cache; when the
        cache fails (`_cached_after`), returned with `Meeting.unread` saying so (front
        ends say it beside the success; the command line exits 3)."""
        note = await self._cached_after(self.cache.upsert, meeting)
        return meeting if note is None else meeting.model_copy(update={"unread": note})

    async def _create(self, account: str, spec: MeetingSpec) -> Meeting:
        """The provider's create; when its answer is lost, the meeting it may have made
        is looked for upstream before anyone tries again (never a blind retry: that makes
        duplicates). Raises OutcomeUnknown when it cannot be told."""
        provider = self.pool.get(account)
        # Taken before the request goes out: what is cached from here on (a sync running
        # meanwhile may cache the very meeting this create makes) was not known before it.
        mark = self.cache.write_mark()
        try:
            return await self._upstream(account, provider.create(spec))
        except DoneUnread as done:
            # Made: read again by the id its answer gave, else as sent; with no id, it
            # is looked for in the list.
            made = await self._made_unread(account, done)
            if made is not None:
                return made
            if done.meeting_id is not None:
                raise
            return await self._reconcile(account, spec, done, mark)
        except OutcomeUnknown as lost:
            return await self._reconcile(account, spec, lost, mark)

    async def _made_unread(self, account: str, done: DoneUnread,
                           meeting_id: str | None = None) -> Meeting | None:
        """The meeting a change the provider did but meettui could not read back
        (`done`) made or changed: read again (the cache updated), else as far as known
        (`DoneUnread.known`, cached until a refresh, with `Meeting.unread` saying so);
        None when neither can be had. A meeting read again carries `unread` only when
        the answer held what no read gives back (`DoneUnread.answer_only`)."""
        mid = done.meeting_id or meeting_id
        if mid is not None:
            try:
                fresh = await self._fetch(account, mid)
            except MeettuiError as again:
                log.info("%s: a change was done, its read-back failed twice: %s", account,
                         inner_message(again))
            else:
                return fresh if done.answer_only is None else \
                    fresh.model_copy(update={"unread": _unread_text(done)})
        known = done.known
        if not isinstance(known, Meeting):
            return None
        known = self.sync.with_kept(account, [known])[0]
        await self.cache.off_loop(self.cache.upsert, known)
        return known.model_copy(update={"unread": _unread_text(done, sent=True)})

    async def _edit_lost(self, account: str, meeting_id: str, spec: MeetingSpec,
                         caps: Capabilities, lost: OutcomeUnknown) -> Meeting:
        """The meeting after an edit whose last answer was lost (`lost`): read again,
        it is returned when it shows every value `spec` gives (the edit was made);
        otherwise OutcomeUnknown says what the read found, and `lost` is raised when it
        cannot be read."""
        try:
            fresh = await self._fetch(account, meeting_id)
        except MeettuiError:
            raise lost from None
        if changes_nothing(caps, fresh, spec):
            log.info("%s: an edit's answer was lost; read again, it is made", account)
            return fresh
        raise OutcomeUnknown(
            f"{end_sentence(inner_message(lost))} Read again, the meeting does not show the "
            "edit (yet).", provider=lost.provider,
            hint="It was probably not made: refresh to check, then edit again if it is "
            "still not there.") from None

    async def _delete_lost(self, account: str, meeting_id: str, caps: Capabilities,
                           lost: OutcomeUnknown) -> None:
        """Returns when a delete (or cancel) whose last answer was lost (`lost`) was made:
        the meeting, read again, is gone (or cancelled). Raises OutcomeUnknown saying
        what the read found otherwise, and `lost` when it cannot be read."""
        try:
            fresh = await self._fetch(account, meeting_id)
        except NotFound:
            return
        except MeettuiError:
            raise lost from None
        if already_done(self._caps(account, fresh), fresh) is not None:
            return
        raise OutcomeUnknown(
            f"{end_sentence(inner_message(lost))} Read again, the meeting is still there.",
            provider=lost.provider,
            hint="It was not deleted: try again (a delete is safe to repeat).") from None

    async def _reconcile(self, account: str, spec: MeetingSpec, lost: OutcomeUnknown,
                         mark: int) -> Meeting:
        """Walk the provider's list for a meeting that matches `spec` and that meettui did
        not know before the create was sent (`mark`, its `Cache.write_mark`): only a
        meeting cached as present then, and still, is left out. One cached since, or
        marked missing (a provider's id seen again is no old meeting meettui knows), may
        be the one made. The walk writes nothing, so the sync in progress and the cache
        stay as they were."""
        provider = self.pool.get(account)
        made: dict[str, Meeting] = {}
        cursor: str | None = None
        guard = WalkGuard()
        try:
            while True:
                page = await self._upstream(account, provider.list_page(cursor))
                like = [m for m in page.items if provider.matches(m, spec)]
                known = self.cache.known_before(account, [m.id for m in like], mark)
                # By id: a list that shifts while it is walked may show one twice.
                made.update((m.id, m) for m in like if m.id not in known)
                if page.next_cursor is None:
                    break
                guard.check(page.next_cursor)
                cursor = page.next_cursor
        except (MeettuiError, RepeatedCursor, TooManyPages) as exc:
            if isinstance(lost, DoneUnread):
                # Made (answered so): only where it is in the list is not known.
                raise DoneUnread(
                    f"{end_sentence(inner_message(lost))} The list could not be read to "
                    f"find it: {inner_message(exc)}.", provider=lost.provider) from None
            raise OutcomeUnknown(
                f"{end_sentence(inner_message(lost))} The list could not be read to "
                f"check: {inner_message(exc)}.",
                provider=lost.provider, status=lost.status,
                hint="Refresh the list before trying again: the meeting may exist.",
            ) from None
        # The provider answered the walk: the account is up, whatever the lost answer was.
        self.pool.note_success(account)
        if len(made) == 1:
            [found] = made.values()
            log.info("%s: a lost create answer was reconciled: %s", account, found.id)
            return provider.adopt(found, spec)
        if not made and isinstance(lost, DoneUnread):
            # The provider answered that it made it: a list that does not show it (yet)
            # is no sign that it was not.
            raise DoneUnread(
                f"{end_sentence(inner_message(lost))} The list does not show it yet.",
                provider=lost.provider) from None
        if not made:
            raise ProviderError(
                f"{inner_message(lost)}; the list shows no such meeting, so it was not "
                "created.",
                provider=lost.provider,
                hint="Nothing was made: it is safe to try again.",
            )
        ids = ", ".join(made)
        raise OutcomeUnknown(
            f"{inner_message(lost)}; {len(made)} new meetings look like it ({ids}).",
            provider=lost.provider, status=lost.status,
            hint="Check them in the list and delete any you do not want before trying again.",
        )


def _unread_text(done: DoneUnread, *, sent: bool = False) -> str:
    """What a front end says beside a change done but not read back (`Meeting.unread`):
    `done`'s message, then what is shown (`sent`: the meeting as sent, not as read)."""
    shown = ("What is shown is what meettui sent; refresh to see it as the provider has "
             "it." if sent else f"The meeting was read again, but {done.answer_only} was in "
             "that answer only.")
    then = done.hint if done.hint != DoneUnread.hint else "Do not do it again."
    return f"{end_sentence(done.message)} {shown} {then}"
