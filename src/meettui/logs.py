"""File logging with every secret redacted. Nothing is logged to the terminal, so the
TUI's screen is never scribbled over, and the log never stops the app: a log that
cannot be written means no log for this run, said once on stderr."""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from meettui.core.display import clipped, printable
from meettui.core.paths import LOG_ENV, log_path, make_private_dirs
from meettui.core.redact import redact

MAX_BYTES = 2_000_000
BACKUPS = 2


class RedactingFilter(logging.Filter):
    """Every record with its secrets redacted, each of its lines made printable (a
    provider's title or error text holding ESC or U+202E would drive or garble the
    terminal that `tail`s the log) and cut to `display.CLIP_AT` characters (saying so):
    a line can carry what someone typed or sent (an MCP argument of 5 MB was logged
    whole, and one such line would rotate the log's history away)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clipped_lines(redact(record.getMessage()))
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _clipped_lines(
                redact(logging.Formatter().formatException(record.exc_info)))
            record.exc_info = None
        return True


def _clipped_lines(text: str) -> str:
    return "\n".join(clipped(printable(line)) for line in text.split("\n"))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file is created readable by its owner only: the first
    one and each one opened after a rotation (titles and account names pass through the
    log). A record that cannot be written is dropped without a word: logging's default
    prints a traceback to stderr, which would land on the TUI's screen."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        except BaseException:
            os.close(fd)
            raise

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        pass


_problem: str | None = None


def log_problem() -> str | None:
    """Why the log of this run cannot be written (`setup_logging` found it so: the
    message it says), or None when it can. A message that would send the user to the
    log says this instead."""
    return _problem


def setup_logging(debug: bool = False, path: Path | None = None, *,
                  max_bytes: int = MAX_BYTES, quiet: bool = False) -> Path:
    """Log to `path` (default `log_path()`). A log that cannot be written leaves this
    run without one: said on stderr, unless `quiet` (the app says it among its start-up
    warnings: on stderr it was hidden behind the app, and shown only after it ended),
    and kept for `log_problem`."""
    global _problem
    path = path or log_path()
    root = logging.getLogger("meettui")
    for old in list(root.handlers):
        root.removeHandler(old)
        with contextlib.suppress(OSError, ValueError):  # a log that broke since
            old.close()
    handler: logging.Handler
    _problem = None
    try:
        handler = _file_handler(path, max_bytes)
    except OSError as exc:
        # An unwritable log must not stop the app: no log for this run, and say so.
        handler = logging.NullHandler()
        _problem = _no_log_message(path, exc)
        if not quiet:
            print(f"meettui: {_problem}", file=sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False
    # httpx logs full URLs (which may carry room keys) at INFO: keep it in our file only.
    for name in ("httpx", "httpcore"):
        lib = logging.getLogger(name)
        lib.handlers = [handler]
        lib.setLevel(logging.DEBUG if debug else logging.WARNING)
        lib.propagate = False
    return path


def _file_handler(path: Path, max_bytes: int) -> logging.Handler:
    if path.is_dir():
        raise IsADirectoryError(21, "it is a directory", str(path))
    make_private_dirs(path.parent)
    handler = PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=BACKUPS,
                                         encoding="utf-8")
    # Files an older meettui left readable by others are tightened too.
    for old in (path, *(path.with_name(f"{path.name}.{n}") for n in range(1, BACKUPS + 1))):
        with contextlib.suppress(OSError):
            if old.is_file():
                os.chmod(old, 0o600)
    return handler


def _no_log_message(path: Path, exc: OSError) -> str:
    reason = exc.strerror.lower() if exc.strerror else type(exc).__name__
    if os.environ.get(LOG_ENV):
        fix = f"Point {LOG_ENV} at a file meettui can write, or unset it."
    else:
        fix = f"Make {path.parent} writable, or set {LOG_ENV} to a file meettui can write."
    return (f"Cannot write the log {path} ({reason}); "
            f"running without a log this time. {fix}")
