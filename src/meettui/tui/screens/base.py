"""Screens that know they belong to the meettui app: a typed `app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from meettui.tui.app import MeettuiApp

ResultType = TypeVar("ResultType")


class MeettuiScreen(Screen[ResultType]):
    """A full screen of meettui."""

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)


class MeettuiModal(ModalScreen[ResultType]):
    """A modal screen of meettui (forms, confirmations, pickers)."""

    @property
    def app(self) -> MeettuiApp:  # type: ignore[override]
        return cast("MeettuiApp", super().app)
