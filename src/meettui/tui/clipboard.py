"""Copy to the clipboard the ways that can work: OSC 52 always (it reaches the local
terminal even over SSH), and the system clipboard through pyperclip when there is a
local one. Neither failing is ever an error: the toast shows what was copied.

OSC 52 cannot be confirmed: a terminal (or tmux with `set-clipboard external`, its
default) may drop it without a word. So only the system clipboard counts as copied for
sure on this machine; over SSH, OSC 52 is the way meant."""

from __future__ import annotations

import logging
import os

from textual.app import App

log = logging.getLogger("meettui.clipboard")


TERMINAL = "terminal (OSC 52)"
SYSTEM = "system clipboard"


def local_session() -> bool:
    """True unless this runs over SSH (where the system clipboard is the remote one)."""
    return not (os.environ.get("SSH_TTY") or os.environ.get("SSH_CONNECTION"))


def copy_text(app: App, text: str, *, system: bool = True) -> list[str]:
    """Copy `text`; returns the channels that accepted it (`TERMINAL`, `SYSTEM`)."""
    channels: list[str] = []
    try:
        app.copy_to_clipboard(text)
        channels.append(TERMINAL)
    except Exception:  # noqa: BLE001 - a terminal that rejects OSC 52 must not crash us
        log.debug("OSC 52 copy failed", exc_info=True)
    if system and local_session():
        try:
            import pyperclip

            pyperclip.copy(text)
            channels.append(SYSTEM)
        except Exception:  # noqa: BLE001 - no xclip/wl-copy etc.: OSC 52 is still there
            log.debug("system clipboard unavailable", exc_info=True)
    return channels
