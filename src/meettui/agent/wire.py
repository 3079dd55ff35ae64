"""What `meettui mcp` adds to the SDK's stdio transport, on the lines between the client
and the server:

- every request read before stdin closes is answered before the server exits (the SDK
  ends at end of input and cancels the requests still running, so a client that pipes
  its requests and closes stdin lost the answers to the slower ones);
- a line that is not a JSON-RPC 2.0 message gets a JSON-RPC error (the SDK drops it
  without a word, and the client waits for an answer forever): -32700 with id null for a
  line that is not JSON, -32600 for a batch, for a message without `"jsonrpc": "2.0"`
  and for a request whose id is neither a string nor an integer.

The SDK offers no hook for either (its dispatcher only debug-logs what the transport
could not read, and reads a request with an id it cannot use as a notification), so the
lines are checked before the SDK's transport reads them, and the answers counted as it
writes them.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator
from types import TracebackType
from typing import Any

import anyio
from mcp.shared.message import SessionMessage
from mcp_types import (
    INVALID_REQUEST,
    PARSE_ERROR,
    ErrorData,
    JSONRPCError,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    RequestId,
    jsonrpc_message_adapter,
)
from pydantic import ValidationError

log = logging.getLogger(__name__)


class Wire:
    """The client's lines, checked, for the SDK's transport to read (`lines`), and the
    stream it writes answers to, counted (`answers`)."""

    def __init__(self, lines: AsyncIterable[str]) -> None:
        self._lines = lines
        self._out: Any = None  # the transport's write stream, once `answers` wraps it
        self._connected = anyio.Event()
        self._open: Counter[RequestId] = Counter()  # requests read, not answered yet
        self._answered = anyio.Event()

    async def lines(self) -> AsyncIterator[str]:
        """The client's lines that are JSON-RPC messages, in order; the others are
        answered with an error here. Ends once stdin has ended and every request read
        has been answered (or cancelled by the client: the SDK never answers those)."""
        async for line in self._lines:
            if not line.strip():
                continue  # a blank line is no message, and has no id to answer
            message = _check(line)
            if isinstance(message, JSONRPCError):
                log.warning("Answered a line that is not a JSON-RPC message with %s: %s",
                            message.error.code, line.strip())
                await self._send(message)
                continue
            if isinstance(message, JSONRPCRequest):
                self._open[message.id] += 1
            elif (isinstance(message, JSONRPCNotification)
                  and message.method == "notifications/cancelled"):
                self._settle((message.params or {}).get("requestId"))
            yield line
        while self._open:
            self._answered = anyio.Event()
            await self._answered.wait()

    def answers(self, out: Any) -> _Answers:
        """`out`, the transport's write stream, counting the answers written to it."""
        self._out = out
        self._connected.set()
        return _Answers(out, self)

    async def _send(self, message: JSONRPCMessage) -> None:
        await self._connected.wait()
        try:
            await self._out.send(SessionMessage(message))
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            log.debug("Dropped an error answer: the client is gone")

    def _settle(self, request_id: object) -> None:
        """One request of this id needs no more answer."""
        if isinstance(request_id, str | int) and self._open[request_id] > 0:
            self._open[request_id] -= 1
            if self._open[request_id] == 0:
                del self._open[request_id]
            if not self._open:
                self._answered.set()


class _Answers:
    """The transport's write stream, telling the wire of each answer that goes through."""

    def __init__(self, out: Any, wire: Wire) -> None:
        self._out = out
        self._wire = wire

    async def send(self, item: SessionMessage, /) -> None:
        try:
            await self._out.send(item)
        finally:
            # Settled even when the write fails: the client is gone then, and waiting
            # for an answer that can no longer be written would keep the server up.
            if isinstance(item.message, JSONRPCResponse | JSONRPCError):
                self._wire._settle(item.message.id)

    async def aclose(self) -> None:
        await self._out.aclose()

    async def __aenter__(self) -> _Answers:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc_val: BaseException | None, exc_tb: TracebackType | None) -> None:
        await self.aclose()


def _is_id(value: object) -> bool:
    """A JSON-RPC id MCP takes: a string or an integer (not null, not true)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _check(line: str) -> JSONRPCMessage:
    """The message a line holds, read as the SDK's transport reads it; or the error
    that answers it."""
    try:
        raw = json.loads(line)
    except (ValueError, RecursionError):
        return _error(None, PARSE_ERROR, "Parse error: the line is not JSON.")
    if isinstance(raw, list):
        return _error(None, INVALID_REQUEST, "Invalid Request: batches are not supported; "
                      "send one message a line.")
    if not isinstance(raw, dict):
        return _error(None, INVALID_REQUEST, "Invalid Request: a message is a JSON object.")
    request_id = raw.get("id")
    if "method" in raw and "id" in raw and not _is_id(request_id):
        return _error(None, INVALID_REQUEST,
                      "Invalid Request: the id must be a string or an integer.")
    try:
        message: JSONRPCMessage = jsonrpc_message_adapter.validate_json(line, by_name=False)
    except ValidationError:
        return _error(request_id if _is_id(request_id) else None, INVALID_REQUEST,
                      'Invalid Request: not a JSON-RPC 2.0 message ("jsonrpc": "2.0" with '
                      'a "method", or with the "id" and a "result" or an "error").')
    return message


def _error(request_id: RequestId | None, code: int, message: str) -> JSONRPCError:
    return JSONRPCError(jsonrpc="2.0", id=request_id,
                        error=ErrorData(code=code, message=message))
