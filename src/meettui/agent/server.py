"""`meettui mcp`: the tools of `tools.py` as a Model Context Protocol server over stdio,
built on the official SDK (`mcp.server.mcpserver.MCPServer`).

Each tool's parameters are the fields of its input model (`inputs.py`) and its
structured output is a document of `meettui.core.contract`, the models behind the
command line's JSON: the schemas an agent sees are those models' schemas. stdout carries
the protocol only (the SDK moves anything else written to it onto stderr); logs, the
SDK's included, go to meettui's log file. A refusal or a provider error comes back as a
tool error whose text is one paragraph; an unexpected failure as a generic tool error,
its traceback in the log.
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Annotated, Any, cast

import anyio
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPError
from mcp.types import (
    INVALID_PARAMS,
    CallToolResult,
    InitializeRequestParams,
    TextContent,
    ToolAnnotations,
)
from pydantic import BaseModel, Field, ValidationError

from meettui import __version__
from meettui.agent import inputs
from meettui.agent.ending import Ending, stdin_lines
from meettui.agent.tools import AgentTools, Refused, paragraph
from meettui.agent.wire import Wire
from meettui.core import contract
from meettui.core.display import clipped, json_text, printable
from meettui.core.errors import MeettuiError
from meettui.core.wording import speak_as

log = logging.getLogger(__name__)

INSTRUCTIONS = """\
meettui manages video meetings across provider accounts (list_accounts names them and
their providers). Start with list_accounts, then list_meetings (its query
is the app's filter). Links are for people: hand a guest the guest link, never a host
link. delete_meeting and edits that replace a meeting need confirm: true; ask the user
first. Read-only accounts refuse every change."""


_GIVEN: ContextVar[frozenset[str] | None] = ContextVar("meettui_given_arguments",
                                                      default=None)
"""The names of the arguments the client sent in this tools/call (`argument_check`
sets it): the SDK hands a tool every argument, a default for those not sent, and a
tool that tells "not given" from "given as its default" (`offset` with `after`, even
0) reads it in the model's `model_fields_set`."""


def _arguments_from(model: type[BaseModel]) -> list[inspect.Parameter]:
    """The model's fields as keyword parameters, each annotated with its type, its
    constraints and its description, so the SDK derives the same schema as the model's."""
    params = []
    for name, info in model.model_fields.items():
        # Annotated[type, *constraints, Field(description)], spelled so mypy accepts a
        # type only known at run time.
        parts: tuple[Any, ...] = (info.annotation, *info.metadata,
                                  Field(description=info.description))
        annotation: Any = Annotated.__class_getitem__(parts)  # type: ignore[attr-defined]
        default = inspect.Parameter.empty if info.is_required() else info.default
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                        annotation=annotation, default=default))
    return params


def add_tool(server: MCPServer[Any], name: str, model: type[BaseModel], output: type[BaseModel],
             call: Callable[[Any], Awaitable[BaseModel]], description: str,
             annotations: ToolAnnotations,
             text: Callable[[Any], str] | None = None) -> None:
    """Register `call` as the tool `name`: its arguments validated by `model` (the input
    schema is the model's), its result a document of type `output` (the output schema);
    `text`, when given, writes the result's text content (else it is the JSON, with
    hidden characters escaped as the command line's JSON has them)."""

    async def tool(**arguments: Any) -> Any:
        # Messages name options and arguments as a tool takes them (`options.name`,
        # `start`), not as the command line does: set for this call's context only.
        speak_as("mcp")
        given = _GIVEN.get()
        if given is not None:  # (the defaults the SDK added: the model's own again)
            arguments = {key: value for key, value in arguments.items() if key in given}
        try:
            doc = await call(model.model_validate(arguments))
        except (MeettuiError, Refused) as exc:
            # Cut: a message can echo an argument (an id of 5 MB came back whole).
            raise ToolError(clipped(paragraph(exc))) from None
        data = doc.model_dump(mode="json")
        # The text content is the JSON as the command line writes it (json_text):
        # control and format characters in provider text as \uXXXX escapes, where the
        # SDK's own dump left them raw to reorder or hide what the agent's user reads.
        shown = json_text(data) if text is None else text(doc)
        return CallToolResult(content=[TextContent(type="text", text=shown)],
                              structured_content=data)

    tool.__name__ = name
    tool.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        _arguments_from(model), return_annotation=output)
    server.add_tool(tool, name=name, description=description, annotations=annotations,
                    structured_output=True)


def argument_check(models: dict[str, type[BaseModel]]) -> ServerMiddleware[Any]:
    """A middleware that checks a tools/call before the SDK does, and says what is
    wrong where the SDK's words were empty or its own: a call before `initialize`, or
    without `params` or a tool `name`, is a JSON-RPC error saying so (the SDK's was
    -32602 with empty data); an unknown tool a tool error listing the tools; arguments
    that are not an object, or do not fit the tool's input model (`models`, by tool
    name), a tool error of one sentence naming each argument and what it should be
    (the SDK's named an internal class, or was pydantic's text, several lines with a
    URL each). Every other request before `initialize` (but `ping`) is refused as a
    tools/call then is, naming the method (the SDK's -32602 had empty data)."""
    initialized = False

    async def check(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        nonlocal initialized
        if ctx.method == "initialize":
            # The SDK answered `params: {}` with -32602 "Invalid request parameters"
            # and empty data: say which of them is missing or wrong.
            wrong = _initialize_problems(ctx.params)
            if wrong:
                raise _invalid_params(
                    f"initialize needs params with protocolVersion (a string), "
                    f"capabilities (an object) and clientInfo (an object with name and "
                    f"version); {wrong}")
            answer = await call_next(ctx)
            initialized = True
            return answer
        if ctx.method != "tools/call":
            if initialized or ctx.request_id is None:
                return await call_next(ctx)  # (a notification is never answered)
            try:
                return await call_next(ctx)
            except (MCPError, ValidationError) as exc:
                # The SDK refuses a request before the handshake (but ping, and a
                # method it does not serve: -32601) with -32602 "Invalid request
                # parameters" and empty data, as tools/call was: said as for it.
                if isinstance(exc, MCPError) and exc.error.code != INVALID_PARAMS:
                    raise
                raise _not_initialized(ctx.method) from None
        if not initialized:
            raise _not_initialized(ctx.method)
        params = ctx.params
        if not isinstance(params, Mapping):
            raise _invalid_params("tools/call needs params: {\"name\": the tool, "
                                  "\"arguments\": an object of its arguments}")
        name = params.get("name")
        if not isinstance(name, str):
            raise _invalid_params("params.name (the tool to call) is missing or not a "
                                  "string")
        model = models.get(name)
        if model is None:
            return _tool_error(f"Unknown tool: {clipped(name)}. The tools are: "
                               f"{', '.join(models)} (tools/list describes them).")
        arguments = params.get("arguments")
        if arguments is not None and not isinstance(arguments, Mapping):
            return _tool_error(
                f"Error executing tool {name}: Invalid arguments: arguments must be an "
                f"object (the tool's arguments by name), not {inputs.kind_of(arguments)}. "
                "Nothing was done.")
        try:
            model.model_validate(arguments or {})
        except ValidationError as exc:
            # Argument names only: the values are the caller's data.
            log.info("Tool %r refused arguments: %s", name,
                     sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]}))
            return _tool_error(f"Error executing tool {name}: "
                               f"{clipped(inputs.invalid(exc, model))}")
        _GIVEN.set(frozenset(arguments or {}))
        return await call_next(ctx)

    return check


def _initialize_problems(params: Any) -> str:
    """What is wrong with an initialize request's `params`, in one clause ("" when the
    SDK's model takes them): each field missing or of the wrong kind, by name."""
    try:
        InitializeRequestParams.model_validate(params)
    except ValidationError as exc:
        said: list[str] = []
        for err in exc.errors():
            name = ".".join(["params", *(str(part) for part in err["loc"])])
            if err["type"] == "missing" or (name == "params" and err["input"] is None):
                said.append(f"{name} is missing")
            else:
                said.append(f"{name} is {inputs.kind_of(err['input'])}")
        return ", ".join(dict.fromkeys(said))
    return ""


def _not_initialized(method: str) -> MCPError:
    """The JSON-RPC error for a request (`method`) sent before `initialize`."""
    return _invalid_params(f"the session is not initialized: send initialize (and then "
                           f"notifications/initialized) before {clipped(method, 80)}")


def _invalid_params(what: str) -> MCPError:
    """The JSON-RPC error for a request whose params cannot be used, saying why."""
    return MCPError(code=INVALID_PARAMS, message=f"Invalid request parameters: {what}.",
                    data=what)


def _tool_error(text: str) -> dict[str, Any]:
    """A tool error as the SDK writes its own: a dict of the fields set."""
    refusal = CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
    return refusal.model_dump(by_alias=True, mode="json", exclude_unset=True)


def links_text(doc: contract.LinksDoc) -> str:
    """get_links as text to paste: one `role: url (label)` line a link, provider text
    made printable (hidden characters as visible escapes)."""
    lines = [printable(f"{lk.role.value}: {lk.url}" + (f" ({lk.label})" if lk.label else ""))
             for lk in doc.links]
    if doc.withheld:
        lines.append(f"withheld: {', '.join(r.value for r in doc.withheld)} "
                     "(host power or a token; `meettui mcp --allow-host-links` hands them out)")
    return "\n".join(lines) or "This meeting has no links."


def build_server(tools: AgentTools) -> MCPServer[Any]:
    """The MCP server over `tools`."""
    models: dict[str, type[BaseModel]] = {}
    server: MCPServer[Any] = MCPServer(name="meettui", version=__version__,
                                       instructions=INSTRUCTIONS,
                                       middleware=[argument_check(models)])

    def add(name: str, model: type[BaseModel], *args: Any, **kwargs: Any) -> None:
        add_tool(server, name, model, *args, **kwargs)
        models[name] = model

    read = ToolAnnotations(read_only_hint=True, open_world_hint=True)
    write = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)
    host = ("Host links are included unmasked (this server was started with "
            "--allow-host-links)." if tools.allow_host_links else
            "Host links (and links carrying a token) are masked: they give host power.")
    add("list_accounts", inputs.ListAccountsInput, contract.AccountList,
             tools.list_accounts, "The configured accounts: provider, health, read-only, "
             "how many meetings are cached.", read)
    add("list_meetings", inputs.ListMeetingsInput, contract.MeetingPage,
             tools.list_meetings, "Refresh and list meetings in start order (oldest "
             "first), searched as the app's filter searches, a page at a time: `limit` "
             "meetings; `matched` says how many there are. For the next page, call again "
             "with the same arguments and `after` set to the answer's `next_after` (null "
             "on the last page): each meeting comes exactly once, however the clock or "
             "the providers' lists move between calls (`added_before` counts meetings "
             "added meanwhile at places already passed: list again without `after` to "
             "see them). `upcoming: true` starts at what is on now or next, leaving the "
             "past out. " + host, read)
    add("get_meeting", inputs.GetMeetingInput, contract.ShownDoc,
             tools.get_meeting, "One meeting with its links, times, status and provider "
             "facts; with `refresh`, re-read from the provider first (when that fails, "
             "the cached copy with `refresh_error` saying why). " + host, read)
    add("get_links", inputs.GetLinksInput, contract.LinksDoc, tools.get_links,
             "A meeting's links as text to hand out: guest, viewer and attendee links; host "
             "links only when the server was started with --allow-host-links (else "
             "`withheld` names them). Refused for a meeting gone upstream (status "
             "`gone`): its links most likely no longer work.", read, text=links_text)
    add("create_meeting", inputs.CreateMeetingInput, contract.MeetingDoc,
             tools.create_meeting, "Create a meeting in an account (refused in read-only "
             "accounts). " + host, write)
    add("edit_meeting", inputs.EditMeetingInput, contract.EditDoc,
             tools.edit_meeting, "Change a meeting's title, times or options. Where the "
             "provider cannot edit in place it is replaced (new id, new links) and needs "
             "confirm: true. Refused in read-only accounts.",
             ToolAnnotations(read_only_hint=False, destructive_hint=True,
                             open_world_hint=True))
    add("delete_meeting", inputs.DeleteMeetingInput, contract.DeleteDoc,
             tools.delete_meeting, "Delete a meeting, or cancel it where the provider "
             "cancels instead; `result` says which. Without confirm: true it changes "
             "nothing and answers (not as an error) with `result` what it would do and "
             "`preview`, a sentence to ask the user with; refused in "
             "read-only accounts.",
             ToolAnnotations(read_only_hint=False, destructive_hint=True,
                             idempotent_hint=True, open_world_hint=True))
    add("render_qr", inputs.RenderQrInput, contract.QrDoc, tools.render_qr,
             "Write a QR code of a meeting's link (the guest link by default) to a path, "
             "as a PNG or an SVG by its extension (.png, .svg); returns the absolute path. "
             "Refused for a meeting gone upstream (status `gone`).",
             ToolAnnotations(read_only_hint=False, destructive_hint=False,
                             open_world_hint=False))
    return server


def route_logs() -> None:
    """Send every log record, the SDK's included, to meettui's log file only: stdout is
    the protocol, and nothing should scribble on the client's stderr either. (The SDK
    adds a stderr handler to the root logger only when the root has none.)"""
    ours = logging.getLogger("meettui").handlers
    root = logging.getLogger()
    root.handlers = list(ours) or [logging.NullHandler()]
    logging.getLogger("mcp").setLevel(logging.INFO)


async def run_stdio(server: MCPServer[Any]) -> None:
    """`server.run_stdio_async()`, with the SDK's transport reading stdin through a
    `Wire`: every request read before stdin closes is answered before this returns."""
    from mcp.server.stdio import stdio_server

    from meettui.agent.protocol_out import protocol_stdout

    wire = Wire(stdin_lines(sys.stdin.fileno()))  # (read by a thread: `ending.py`)
    # stdio_server takes any async iterable of lines for stdin (it then leaves fd 0 as
    # it is: nothing meettui runs while serving reads it), and a stream for stdout: one
    # that escapes hidden characters in every line (`protocol_out.py`).
    with protocol_stdout() as stdout:
        async with stdio_server(stdin=cast(Any, wire.lines()), stdout=stdout) as (read, write):
            # The SDK's own run_stdio_async, with the write stream counted: MCPServer
            # has no public way to run on streams of one's own.
            lowlevel = server._lowlevel_server
            await lowlevel.run(read, wire.answers(write),
                               lowlevel.create_initialization_options())


def serve(*, allow_host_links: bool = False) -> str | None:
    """Run the server on stdin/stdout until the client closes them, or SIGTERM ends it
    (`ending.py`: then what to say on stderr is returned). Raises ConfigError for a
    config or cache that cannot be read (before the protocol starts)."""
    from meettui.bootstrap import open_service

    route_logs()

    ending = Ending()

    async def run() -> None:
        service = open_service()
        try:
            with anyio.CancelScope() as scope, ending.on_sigterm(scope):
                await run_stdio(build_server(AgentTools(service, allow_host_links,
                                                        ending=ending)))
        finally:
            await ending.settled()
            await service.aclose()
            service.cache.close()

    anyio.run(run)
    return ending.said() if ending.signalled else None
