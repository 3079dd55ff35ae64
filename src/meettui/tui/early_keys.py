"""Keys typed while the app is still starting reach it as they were typed.

Until a program changes it, a terminal is in its line mode: it echoes what is typed,
keeps a line to itself until Enter, turns Enter (CR) into a newline (LF), and acts on
some keys itself (Backspace, Ctrl+U and Ctrl+W edit the line, Ctrl+S stops the output,
Ctrl+V quotes the next key). Textual takes the terminal out of it only once the app
starts, and importing it takes a few hundred milliseconds (over a second on a busy
machine): `/Burst` Enter `dy` sent by tmux 1.2 s after `meettui` was read as `/Burst`,
Ctrl+J (the newline: no Enter, so the filter kept the focus), `dy`, and the filter read
"Burstdy". The keys were never lost in the app: its screens hold the keys read before
they are ready (`key_hold.py`); the terminal had changed them before the app read them.

So the app's start takes the terminal out of its line mode first, before anything
heavy is imported (`take_terminal`): the keys typed from then on reach the app as
typed. What the terminal read before that (the moment the program started) was read in
line mode: it is taken then, its newlines read as the Enters they were, and handed to
the app before any later key (`early_keys_driver`); the same holds each time the app
takes the terminal back (after Ctrl+Z and `fg`). The terminal's own settings come back
when the app ends or is suspended. Ctrl+C still interrupts a start that hangs.

One thing no program can take back: with flow control on (IXON, most terminals' default)
the terminal acts on Ctrl+S and Ctrl+Q as they arrive, before any program reads them, so
those typed before `take_terminal` (a script's burst sent with the command that starts
meettui) never reach it: `n Title Ctrl+S` leaves the form open. The README says so, and
that `stty -ixon` makes them plain keys.

No Textual here at import: `take_terminal` runs before Textual is imported.
"""

from __future__ import annotations

import contextlib
import os
import select
import termios
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.drivers.linux_driver import LinuxDriver

# termios.tcgetattr's list: iflag, oflag, cflag, lflag, ispeed, ospeed, cc.
_IFLAG, _LFLAG, _CC = 0, 3, 6

_LINE_MODE_INPUT = termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR
"""What Textual clears in the input flags: flow control, CR/LF translation."""
_LINE_MODE_LOCAL = termios.ECHO | termios.ICANON | termios.IEXTEN
"""What Textual clears in the local flags, but ISIG: until the app runs, Ctrl+C stops it."""


@dataclass
class TakenTerminal:
    """The terminal `fd` as a program found it (`settings`), and the keys it had read in
    its line mode by then (`typed`, Enter as CR)."""

    fd: int
    settings: list[Any]
    typed: bytes = b""
    _given_back: bool = field(default=False, repr=False)

    def give_back(self) -> None:
        """Put the terminal's settings back as they were found (once)."""
        if self._given_back:
            return
        self._given_back = True
        with contextlib.suppress(termios.error):
            termios.tcsetattr(self.fd, termios.TCSANOW, self.settings)


def take_terminal(fd: int) -> TakenTerminal | None:
    """Take terminal `fd` out of its line mode, and the keys it read in that mode;
    None when `fd` is not a terminal (or refuses)."""
    try:
        if not os.isatty(fd):
            return None
        settings: list[Any] = termios.tcgetattr(fd)
    except (OSError, termios.error):
        return None
    in_line_mode = bool(settings[_LFLAG] & termios.ICANON or settings[_IFLAG] & termios.ICRNL)
    raw: list[Any] = [list(part) if isinstance(part, list) else part for part in settings]
    raw[_IFLAG] &= ~_LINE_MODE_INPUT
    raw[_LFLAG] &= ~_LINE_MODE_LOCAL
    raw[_CC][termios.VMIN] = 1
    raw[_CC][termios.VTIME] = 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, raw)
    except termios.error:
        return None
    taken = TakenTerminal(fd, settings)
    if in_line_mode:
        # What is waiting now was read in line mode (all of it: out of line mode, the
        # line not yet ended counts too); what comes after, out of it.
        typed = _read_waiting(fd)
        if settings[_IFLAG] & termios.ICRNL:
            typed = typed.replace(b"\n", b"\r")  # Enter came as CR, the terminal made LF
        taken.typed = typed
    return taken


def _read_waiting(fd: int) -> bytes:
    """The bytes terminal `fd` holds for reading now, without waiting for more."""
    import fcntl
    import struct

    try:
        count = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    except OSError:
        return b""
    got = b""
    while len(got) < count and select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, count - len(got))
        if not chunk:
            break
        got += chunk
    return got


def early_keys_driver(base: type[LinuxDriver], taken: TakenTerminal) -> type[LinuxDriver]:
    """Textual's terminal driver `base`, which hands the app the keys `taken` holds (and
    those the terminal reads in line mode before each later start) before any other,
    and gives the terminal back with the settings it had before the app took it."""
    from textual._xterm_parser import XTermParser  # private: textual is pinned <8.3

    class EarlyKeysDriver(base):  # type: ignore[valid-type,misc]
        _first: TakenTerminal | None = taken
        _typed: bytes = b""

        def start_application_mode(self) -> None:
            first, type(self)._first = type(self)._first, None
            now = first if first is not None else take_terminal(self.fileno)
            self._typed = now.typed if now is not None else b""
            super().start_application_mode()  # reads the terminal's settings: ours
            if now is not None:
                self.attrs_before = now.settings

        def run_input_thread(self) -> None:
            typed, self._typed = self._typed, b""
            if typed:
                parser = XTermParser()
                text = typed.decode("utf-8", errors="replace")
                # "" ends the parse: an Esc typed last is the key, not a sequence's start.
                for event in [*parser.feed(text), *parser.feed("")]:
                    self.process_message(event)
            super().run_input_thread()

    return EarlyKeysDriver
