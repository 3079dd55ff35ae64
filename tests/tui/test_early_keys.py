"""Keys typed before the app took the terminal out of its line mode: the terminal made
Enter a newline (Ctrl+J), and `/Burst` Enter `dy` sent by tmux while the app was still
starting filtered for "Burstdy" (the Enter was typed into the box as nothing) instead of
deleting the meeting. On a pseudo-terminal in its line mode, as a shell leaves it."""

from __future__ import annotations

import os
import pty
import select
import termios
import threading

import pytest
from textual import events

from meettui.tui.early_keys import early_keys_driver, take_terminal


@pytest.fixture
def terminal():
    """A pseudo-terminal (what is typed, the program's end) in its line mode."""
    typing, program = pty.openpty()
    settings = termios.tcgetattr(program)
    assert settings[3] & termios.ICANON and settings[0] & termios.ICRNL
    yield typing, program
    os.close(typing)
    os.close(program)


def type_before_start(typing: int, program: int, data: bytes) -> None:
    """`data` typed while the program has not changed the terminal: the line mode reads
    it (the call returns once the terminal holds a whole line of it)."""
    os.write(typing, data)
    assert select.select([program], [], [], 10)[0], "the terminal never read the line"


def keys_read_by_driver(taken, program: int) -> list[tuple[str, str | None]]:
    """The keys the app's terminal driver reads: those `taken` held, then the terminal's."""
    from textual.drivers.linux_driver import LinuxDriver

    got: list[events.Key] = []

    class Reading(early_keys_driver(LinuxDriver, taken)):  # type: ignore[misc]
        def process_message(self, message):
            if isinstance(message, events.Key):
                got.append(message)

    driver = Reading.__new__(Reading)
    driver.fileno = program
    driver._debug = False
    driver.exit_event = threading.Event()
    driver._typed = taken.typed  # what start_application_mode hands over
    driver.exit_event.set()  # one last look at the terminal, then done
    driver.run_input_thread()
    return [(key.key, key.character) for key in got]


def test_keys_typed_in_line_mode_come_as_typed(terminal):
    typing, program = terminal
    type_before_start(typing, program, b"/Burst\rdy")
    taken = take_terminal(program)
    try:
        assert taken is not None
        # The line the terminal read has its Enter back (the rest may still be waiting).
        assert taken.typed.startswith(b"/Burst\r")
        keys = keys_read_by_driver(taken, program)
    finally:
        taken.give_back()
    assert [key for key, _ in keys] == ["slash", "B", "u", "r", "s", "t", "enter", "d", "y"]


def test_the_terminal_gets_its_settings_back(terminal):
    _typing, program = terminal
    before = termios.tcgetattr(program)
    taken = take_terminal(program)
    assert taken is not None
    now = termios.tcgetattr(program)
    assert not now[3] & (termios.ICANON | termios.ECHO) and not now[0] & termios.ICRNL
    assert now[3] & termios.ISIG  # Ctrl+C still stops a start that hangs
    assert taken.typed == b""  # nothing was typed
    taken.give_back()
    assert termios.tcgetattr(program) == before


def test_no_terminal_nothing_taken(tmp_path):
    with open(tmp_path / "file", "w") as file:
        assert take_terminal(file.fileno()) is None
