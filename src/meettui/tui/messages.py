"""Messages the list screen's workers send: to the app, and to the screen itself."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class WorkerFailed(Message):
    """A screen's worker failed; the app tells the user, in one place for every screen."""

    error: BaseException | None
    description: str


@dataclass
class PageLoaded(Message):
    """A worker wrote a page to the cache; the table re-reads its window."""

    account: str
