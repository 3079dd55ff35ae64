"""Which meetings a complete walk did not see are gone: the provider is asked about
each one alone before the cache marks it.

A list read by offset (a page number, or a cursor that stands for one) shifts under a
deletion made during the walk: every later meeting moves back one place, and the one
that crosses the page boundary is on no page read. The walk still reaches its last
page and counts as complete; marked gone from that alone, a meeting the provider still
lists could no longer be edited. Lists read by the last id seen do not skip, but the
check costs only the meetings a walk missed, usually none or a few.
"""

from __future__ import annotations

import asyncio

from meettui.core.errors import NotFound
from meettui.core.provider import Provider

CHECK_MAX = 30
"""Meetings asked after one by one at the end of a walk, at most. More unseen than
this is a clean-up done elsewhere (hundreds deleted on the provider's site) rather than
a walk that skipped: they are all marked gone when every one asked after is, and left
for the next walk otherwise (a choice; nothing in the providers' docs bears on it)."""
CHECKS_AT_ONCE = 4
"""Requests of the check out at the same time: few, as they share the account's rate
limit with the user's own changes."""


async def confirmed_gone(provider: Provider, ids: list[str]) -> list[str]:
    """Those of `ids` (meetings of `provider`'s account a complete walk did not see)
    that the provider answers 404/410 for (`Provider.get` raising NotFound). One that
    it answers, or whose check fails (a timeout, a 429, a 5xx, an answer not read), is
    not among them: nothing says it is gone. Asks after the first CHECK_MAX only; the
    others are returned too when each of those is gone, and left out otherwise.
    Raises nothing but cancellation."""
    asked = ids[:CHECK_MAX]
    limit = asyncio.Semaphore(CHECKS_AT_ONCE)
    failed = False

    async def gone(meeting_id: str) -> bool:
        nonlocal failed
        async with limit:
            if failed:
                return False  # an expired key or a server down fails every check
            try:
                await provider.get(meeting_id)
            except NotFound:
                return True
            except Exception:  # noqa: BLE001 - any failure leaves the meeting as it is
                failed = True
                return False
            return False

    answers = await asyncio.gather(*(gone(meeting_id) for meeting_id in asked))
    if len(ids) > len(asked) and all(answers):
        return list(ids)
    return [meeting_id for meeting_id, said in zip(asked, answers, strict=True) if said]
