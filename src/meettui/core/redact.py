"""Keep secrets out of logs, error text and the cache.

Every secret meettui reads (API keys, tokens) is registered here the moment it is
loaded; anything that leaves the process as text passes through `redact`.
"""

from __future__ import annotations

import re
import threading

MASK = "***"

_lock = threading.Lock()
_secrets: set[str] = set()

# Token-bearing query parameters and auth headers, whatever their value is.
_PATTERNS = [
    re.compile(
        r"(?i)\b(roomKey|room_token|participant_token|token|access_token|refresh_token|id_token|api_key|apikey|key"
        r"|jwt|secret|client_secret|client_assertion|assertion)=([^&\s\"'#]+)"
    ),
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*"),
    re.compile(r"(?i)\b(authorization|x-api-key|key)\"?\s*[:=]\s*\"?[^\s\",}]+"),
]


def register_secret(value: str | None) -> None:
    # Short values would redact innocent text everywhere; real keys are long.
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    if not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)} {MASK}", text)
    return text


def clear_registered_secrets() -> None:
    """For tests only."""
    with _lock:
        _secrets.clear()


def scrub_secrets(text: str) -> str:
    """Replace registered secret values only (links with room keys may stay)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text
