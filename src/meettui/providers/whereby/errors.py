"""Whereby's error answers: `{"error": "..."}` (documented for 429 only), the field a 400
is about read from its message, and the 429's wait in `data.msLeft`.

Contract: `contracts/whereby/openapi.json` (ThrottleError) and
`research/providers-whereby-vonage.md` §1.7–1.8.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from meettui.core.http_errors import ErrorInfo, ErrorMap, default_error_parser

if TYPE_CHECKING:
    import httpx

# A Whereby request field named in a 400 message -> the spec/form field it came from.
OBJECT_OPTIONS = ("recording", "liveTranscription", "streaming")
FIELD_FOR = {
    "endDate": "ends_at",
    "startDate": "starts_at",
    "roomMode": "roomMode",
    "roomNamePrefix": "roomNamePrefix",
    "roomNamePattern": "roomNamePattern",
    "isLocked": "isLocked",
    "templateType": "templateType",
    **{name: name for name in OBJECT_OPTIONS},
}
_QUOTED_NAME = re.compile(r"[\"'`]([A-Za-z][A-Za-z0-9]*)(?:\.[A-Za-z0-9.]+)?[\"'`]")
_BARE_NAME = re.compile(r"\b(" + "|".join(map(re.escape, FIELD_FOR)) + r")\b")


def whereby_error(response: httpx.Response) -> tuple[str, str | None]:
    """(message, form field) of an error answer; the field is read from the message,
    where the API names it (`"endDate" is required`), and is None when it names none."""
    info = default_error_parser(response)
    field_name = info.field
    if field_name is None:
        found = _QUOTED_NAME.search(info.message) or _BARE_NAME.search(info.message)
        if found is not None:
            field_name = FIELD_FOR.get(found.group(1))
    return info.message, field_name


def ms_left(response: httpx.Response) -> float | None:
    """The 429 body's `data.msLeft` in seconds, for when there is no `Retry-After`."""
    try:
        value = response.json()["data"]["msLeft"]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return max(0.0, value / 1000)


ERRORS = ErrorMap(parse=lambda response: ErrorInfo(*whereby_error(response)),
                  retry_after=ms_left)
