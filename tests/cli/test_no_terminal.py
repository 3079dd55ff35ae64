"""Bare `meettui` opens the app, which needs a terminal: without one (a script, an
agent, `meettui < /dev/null > out`) it drew into the pipe and waited for keys for
ever. It now prints a short usage (the commands) on stderr and exits 2."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from meettui.cli import EXIT_USAGE


def _bare(stdin, stdout) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "meettui"], stdin=stdin, stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("bare `meettui` without a terminal did not end")


def test_without_any_terminal_bare_meettui_says_how_to_use_it():
    done = _bare(subprocess.DEVNULL, subprocess.PIPE)
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""  # (it held the app's drawing)
    assert done.stderr.startswith("meettui: the app needs a terminal (stdin and stdout); "
                                  "give a command.\nusage: meettui ")
    assert max(len(line) for line in done.stderr.splitlines()) <= 80
    for command in ("list", "show", "create", "edit", "delete", "mcp"):
        assert f" {command}," in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("terminal_is", ["stdin", "stdout"])
def test_with_only_one_end_a_terminal_bare_meettui_says_so_too(terminal_is):
    controller, terminal = pty.openpty()
    try:
        if terminal_is == "stdin":
            done = _bare(terminal, subprocess.PIPE)
        else:
            done = _bare(subprocess.DEVNULL, terminal)
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == EXIT_USAGE
    assert "give a command." in done.stderr
