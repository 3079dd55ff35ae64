"""SIGTERM to the app (`kill`, a terminal session ending) closes it as `q` does. It
killed the process on the spot: the terminal stayed on the alternate screen in raw mode
(what the user typed next was not echoed) and nothing was said. Now the terminal is
given back as it was, stderr says what happened, the exit status is 130, and the
meetings read stay in the cache. A real process on a real pseudo-terminal: only there
are the terminal's modes and the signal what they are for a user."""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import termios
import threading

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"


def test_sigterm_gives_the_terminal_back_and_says_so(tmp_path):
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    before = termios.tcgetattr(slave)
    cache = tmp_path / "cache.sqlite3"
    env = {**os.environ, "MEETTUI_CONFIG": str(tmp_path / "none.toml"),
           "MEETTUI_CACHE": str(cache), "MEETTUI_LOG": str(tmp_path / "log"),
           "MEETTUI_THEMES": str(tmp_path / "themes"), "TERM": "xterm-256color",
           "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen([sys.executable, "-m", "meettui"], env=env, stdin=slave,
                            stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    output = bytearray()
    drawn = threading.Event()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return  # the other end closed
            if not chunk:
                return
            output.extend(chunk)
            if b"meetings" in output:  # the list's status line: the list is drawn
                drawn.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert drawn.wait(120), bytes(output[-2000:])
        with sqlite3.connect(cache) as conn:  # (the demo's pages, read by now)
            (read_before,) = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()
        mark = len(output)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        reader.join(timeout=10)
        after = termios.tcgetattr(master)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    said = bytes(output[mark:])
    assert code == 130, said
    assert LEAVE_ALTERNATE_SCREEN in said
    assert b"meettui was stopped (SIGTERM). The meetings it had read are kept" in said
    assert b"Traceback" not in said
    # Canonical mode and echo as before the app: what the user types next shows.
    lflag = after[3]
    assert lflag & termios.ECHO and lflag & termios.ICANON
    assert lflag & (termios.ECHO | termios.ICANON) == before[3] & (termios.ECHO
                                                                    | termios.ICANON)
    with sqlite3.connect(cache) as conn:
        (kept,) = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()
    assert read_before > 0 and kept >= read_before
