"""Messages the list screen's workers send: to the app, and to the screen itself."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from meettui.core.models import Meeting


@dataclass
class WorkerFailed(Message):
    """A screen's worker failed; the app tells the user, in one place for every screen."""

    error: BaseException | None
    description: str


@dataclass
class PageLoaded(Message):
    """A worker wrote a page to the cache; the table re-reads its window. `written`:
    the meeting a change (a delete, a provider's action) was made to, which the cursor
    stays on while it is still listed."""

    account: str
    written: Meeting | None = None
