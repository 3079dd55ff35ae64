"""Placeholder app until the TUI issue lands: starts, lists accounts, quits cleanly."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class MeettuiApp(App):
    TITLE = "meettui"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("meettui — the full interface is on its way. Press q to quit.")
        yield Footer()


def run_app(debug: bool = False) -> int:
    MeettuiApp().run()
    return 0
