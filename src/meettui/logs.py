"""File logging with every secret redacted. Nothing is logged to the terminal, so the
TUI's screen is never scribbled over."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from meettui.core.config import log_path
from meettui.core.redact import redact


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(debug: bool = False, path: Path | None = None) -> Path:
    path = path or log_path()
    root = logging.getLogger("meettui")
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Titles and account names pass through the log: only the user may read it.
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        # An unwritable log directory must not stop the app.
        handler = logging.NullHandler()
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
