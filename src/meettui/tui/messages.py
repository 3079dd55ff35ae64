"""Messages that screens send to the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class WorkerFailed(Message):
    """A screen's worker failed; the app tells the user, in one place for every screen."""

    error: BaseException | None
    description: str
