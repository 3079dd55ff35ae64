"""What `meettui mcp` adds to the SDK's stdio transport, on the lines between the client
and the server: every request read before stdin closes is answered before the server
exits. (The SDK ends at end of input and cancels the requests still running, so a client
that pipes its requests and closes stdin lost the answers to the slower ones.)

The SDK offers no hook for it, so the lines are read before the SDK's transport reads
them, and the answers counted as it writes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator
from types import TracebackType
from typing import Any

import anyio
from mcp.shared.message import SessionMessage
from mcp_types import (
    JSONRPCError,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    RequestId,
    jsonrpc_message_adapter,
)
from pydantic import ValidationError


class Wire:
    """The client's lines, for the SDK's transport to read (`lines`), and the stream it
    writes answers to, counted (`answers`)."""

    def __init__(self, lines: AsyncIterable[str]) -> None:
        self._lines = lines
        self._open: Counter[RequestId] = Counter()  # requests read, not answered yet
        self._answered = anyio.Event()

    async def lines(self) -> AsyncIterator[str]:
        """The client's lines, in order. Ends once stdin has ended and every request
        read has been answered (or cancelled by the client: the SDK never answers
        those)."""
        async for line in self._lines:
            try:
                message = jsonrpc_message_adapter.validate_json(line, by_name=False)
            except ValidationError:
                message = None  # the SDK's transport reads it no better
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
        return _Answers(out, self)

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
