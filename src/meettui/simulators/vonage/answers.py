"""What the routes of the simulated Meetings API share: the service's error answers
(`{message, name, status, errors?}`, as the recorded ones in `contracts/vonage/fixtures/`)
and reading a request's JSON body, whose failure is one of them. The gateway's own 401
and 429 answers have another shape (`gateway.py`, `app.py`).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from meettui.simulators.vonage.rules import Invalid


def service_error(status: int, message: str, name: str,
                  errors: list[Any] | None = None) -> JSONResponse:
    """The Meetings service's error shape: `{message, name, status, errors?}`."""
    body: dict[str, Any] = {"message": message, "name": name}
    if errors:
        body["errors"] = errors
    body["status"] = status
    return JSONResponse(body, status_code=status)


def invalid(exc: Invalid) -> JSONResponse:
    """The 400 for a request the rules refused (`rules.Invalid`)."""
    return service_error(400, exc.message, exc.name, exc.errors)


def not_found(message: str) -> JSONResponse:
    """The 404 for a room or theme that is not there."""
    return service_error(404, message, "NotFoundError")


async def read_body(request: Request) -> Any:
    """`request`'s JSON body, `{}` when it is empty. Raises Invalid when it is not JSON."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise Invalid("Invalid JSON body") from None
