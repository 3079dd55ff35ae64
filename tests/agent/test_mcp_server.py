"""`meettui mcp` driven by the MCP SDK's own client over stdio: the server runs as a child
process (`python -m meettui mcp`) on an isolated config whose accounts point at
`meettui simulate whereby` and `meettui simulate eyeson`, themselves child processes
serving real sockets on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import zxingcpp
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from PIL import Image

from cli_helpers import base_url_of, simulator_process
from meettui.agent import inputs
from meettui.core import contract
from meettui.core.display import CLIP_AT, is_hidden

WB_KEY = "mcp-whereby-key-3f9a"
EY_KEY = "mcp-eyeson-key-77b1"
SECRETS = (WB_KEY, EY_KEY)


@pytest.fixture(scope="module")
def upstream() -> Iterator[dict[str, str]]:
    with simulator_process("whereby", "--api-key", WB_KEY, "--meetings", "12",
                           "--rate-limit", "100000") as wb, \
            simulator_process("eyeson", "--api-key", EY_KEY, "--meetings", "6") as ey:
        yield {"whereby": base_url_of(wb), "eyeson": base_url_of(ey)}


@pytest.fixture
def home(tmp_path, upstream) -> Path:
    (tmp_path / "config.toml").write_text(
        "builtin_jitsi = false\n"
        "[[accounts]]\n"
        'name = "wb"\nprovider = "whereby"\n'
        f'base_url = "{upstream["whereby"]}"\nsecret_env = "MCP_TEST_WB_KEY"\n'
        "[[accounts]]\n"
        'name = "wb-ro"\nprovider = "whereby"\nread_only = true\n'
        f'base_url = "{upstream["whereby"]}"\nsecret_env = "MCP_TEST_WB_KEY"\n'
        "[[accounts]]\n"
        'name = "ey"\nprovider = "eyeson"\n'
        f'base_url = "{upstream["eyeson"]}"\nsecret_env = "MCP_TEST_EY_KEY"\n'
        "[accounts.settings]\n"
        'host_name = "Ann Advisor"\n',
        encoding="utf-8",
    )
    return tmp_path


def server_env(home: Path) -> dict[str, str]:
    """The environment `meettui mcp` runs in: the isolated config, cache and log."""
    return {"MEETTUI_CONFIG": str(home / "config.toml"),
            "MEETTUI_CACHE": str(home / "cache.sqlite3"),
            "MEETTUI_LOG": str(home / "meettui.log"),
            "MCP_TEST_WB_KEY": WB_KEY, "MCP_TEST_EY_KEY": EY_KEY,
            "PYTHONPATH": os.pathsep.join(sys.path)}


@asynccontextmanager
async def connected(home: Path, *flags: str, env: dict[str, str] | None = None,
                    secrets: tuple[str, ...] = SECRETS) -> AsyncIterator[ClientSession]:
    """A client session with `meettui mcp FLAGS` as its server (`env` added to its
    environment); afterwards, asserts the server wrote no traceback and none of `secrets`
    to stderr or its log."""
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "meettui", "mcp", *flags],
                                   env={**server_env(home), **(env or {})})
    errors = home / "server-stderr.txt"
    with errors.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), \
                ClientSession(read, write) as session:
            await session.initialize()
            yield session
    for text in (errors.read_text(), (home / "meettui.log").read_text()):
        assert "Traceback" not in text
        assert not any(secret in text for secret in secrets)


HANDSHAKE = [
    {"jsonrpc": "2.0", "id": "init", "method": "initialize",
     "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "pipe", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]


def piped(home: Path, *messages: dict | str) -> list[dict]:
    """`meettui mcp` as a script drives it: the handshake and MESSAGES (a str is sent
    as the raw line it is) written at once, then stdin closed; every line the server
    answered, in order. The server must exit 0 with no traceback in its log."""
    lines = [m if isinstance(m, str) else json.dumps(m) for m in (*HANDSHAKE, *messages)]
    done = subprocess.run([sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
                          input="".join(line + "\n" for line in lines),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in (home / "meettui.log").read_text()
    return [json.loads(line) for line in done.stdout.splitlines()]


def tool_call(request_id: int | str, tool: str, **arguments) -> dict:
    """A tools/call request, as a line of `piped` input."""
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}}


async def call(session: ClientSession, tool: str, **arguments) -> dict:
    """A tool call that must succeed; its structured content (checked against the
    tool's declared output model)."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return result.structured_content


async def refused(session: ClientSession, tool: str, **arguments) -> str:
    """A tool call that must fail; its one-paragraph message."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error
    (content,) = result.content
    assert "Traceback" not in content.text and "\n" not in content.text.strip()
    return content.text


def upstream_status(base_url: str, meeting_id: str) -> int:
    response = httpx.get(f"{base_url}/meetings/{meeting_id}",
                         headers={"Authorization": f"Bearer {WB_KEY}"}, timeout=10)
    return response.status_code


def host_links(meeting: dict) -> list[str]:
    return [lk["url"] for lk in meeting["links"] if lk["role"] == "host"]


async def test_tools_carry_the_contract_schemas(home):
    async with connected(home) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) == {"list_accounts", "list_meetings", "get_meeting", "get_links",
                          "create_meeting", "edit_meeting", "delete_meeting", "render_qr"}
    expected = {"list_meetings": inputs.ListMeetingsInput, "get_meeting": inputs.GetMeetingInput,
                "create_meeting": inputs.CreateMeetingInput,
                "edit_meeting": inputs.EditMeetingInput,
                "delete_meeting": inputs.DeleteMeetingInput, "render_qr": inputs.RenderQrInput}
    for name, model in expected.items():
        schema = tools[name].input_schema
        assert schema["properties"] == model.model_json_schema()["properties"], name
        assert set(schema.get("required", [])) == set(model.model_json_schema().get(
            "required", [])), name
    delete = tools["delete_meeting"].input_schema
    assert delete["properties"]["confirm"]["type"] == "boolean"
    assert delete["properties"]["confirm"]["default"] is False
    assert tools["delete_meeting"].annotations.destructive_hint is True
    assert tools["list_meetings"].annotations.read_only_hint is True
    # Structured output: the same documents as `meettui schema` describes.
    get = tools["get_meeting"].output_schema
    assert get["properties"] == contract.ShownDoc.model_json_schema(
        mode="serialization")["properties"]
    assert tools["list_meetings"].output_schema["properties"]["schema_version"]["const"] == 2


async def test_list_search_get_create_delete_against_the_simulators(home, upstream, tmp_path):
    async with connected(home) as session:
        accounts = await call(session, "list_accounts")
        assert {a["name"]: a["read_only"] for a in accounts["accounts"]} == {
            "wb": False, "wb-ro": True, "ey": False}

        listed = await call(session, "list_meetings", account="wb", limit=100)
        assert listed["sync_errors"] == [] and len(listed["meetings"]) == 12
        assert listed["matched"] == 12 and listed["truncated"] is False
        cut = await call(session, "list_meetings", account="wb", limit=5)
        assert len(cut["meetings"]) == 5 and cut["matched"] == 12 and cut["truncated"] is True
        eyeson = (await call(session, "list_meetings", account="ey"))["meetings"]
        wanted = eyeson[0]
        found = await call(session, "list_meetings", query=f'"{wanted["title"]}"')
        assert wanted["id"] in [m["id"] for m in found["meetings"]]
        assert all(wanted["title"] in m["title"] for m in found["meetings"])
        assert (await call(session, "list_meetings", query="no-such-words-here"))[
            "meetings"] == []

        room = listed["meetings"][0]
        shown = await call(session, "get_meeting", id=room["id"], account="wb")
        assert shown["schema_version"] == 2 and shown["id"] == room["id"]
        (host,) = host_links(shown)
        assert host.endswith("/••••••••") and "roomKey" not in host

        links = await session.call_tool("get_links", {"id": room["id"], "account": "wb"})
        text = links.content[0].text
        guest = next(lk for lk in shown["links"] if lk["role"] == "guest")["url"]
        assert f"guest: {guest}" in text and "host:" not in text and "withheld: host" in text
        assert links.structured_content["withheld"] == ["host"]

        made = await call(session, "create_meeting", account="wb", title="Agent call",
                          start="+1h", end="+30m")
        assert made["title"] == "Agent call" and host_links(made)[0].endswith("••••••••")
        assert upstream_status(upstream["whereby"], made["id"]) == 200

        # Without confirm, a preview as the description says: an answer, not an error.
        preview = await call(session, "delete_meeting", id=made["id"], account="wb")
        assert preview["result"] == "delete"
        assert "confirm: true" in preview["preview"]
        assert "Nothing was changed" in preview["preview"]
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        done = await call(session, "delete_meeting", id=made["id"], account="wb", confirm=True)
        assert done == {"schema_version": 2, "id": made["id"], "account": "wb",
                        "result": "delete"}
        assert upstream_status(upstream["whereby"], made["id"]) == 404

        # A read-only account refuses changes, confirmed or not.
        assert "read-only" in await refused(session, "create_meeting", account="wb-ro",
                                            title="Nope", end="+1h")
        await call(session, "list_meetings", account="wb-ro")
        message = await refused(session, "delete_meeting", id=room["id"], account="wb-ro",
                                confirm=True)
        assert "read-only" in message and "Nothing was deleted" in message
        assert upstream_status(upstream["whereby"], room["id"]) == 200

        # Errors are one paragraph saying what to do.
        message = await refused(session, "get_meeting", id="no-such-id")
        assert "No cached meeting with id 'no-such-id'" in message
        assert "start: " in await refused(session, "create_meeting", account="wb",
                                          start="next tuesday-ish", end="+1h")
        # A value refused is said as the argument to give, not as a form's "Correct
        # the value and submit again" (no value was given here).
        message = await refused(session, "create_meeting", account="wb", title="No end")
        assert message.endswith("Give `end` as the message says, and call the tool again.")
        message = await refused(session, "create_meeting", account="wb", title="Huge",
                                end="+1h", options={"roomMode": "huge"})
        assert message.endswith("Give `options.roomMode` as the message says, and call "
                                "the tool again.")

        png = tmp_path / "guest.png"
        drawn = await call(session, "render_qr", id=room["id"], account="wb", path=str(png))
        assert drawn["files"] == [{"path": str(png), "format": "png"}]
        assert drawn["role"] == "guest"
        assert zxingcpp.read_barcode(Image.open(png)).text == guest
        assert stat.S_IMODE(png.stat().st_mode) == 0o600
        # An existing file is kept unless the agent says `replace`; meettui's own never.
        png.write_bytes(b"kept")
        message = await refused(session, "render_qr", id=room["id"], account="wb",
                                path=str(png))
        assert "exists" in message and "replace: true" in message
        assert png.read_bytes() == b"kept"
        await call(session, "render_qr", id=room["id"], account="wb", path=str(png),
                   replace=True)
        assert zxingcpp.read_barcode(Image.open(png)).text == guest
        cache = home / "cache.sqlite3"
        kept = cache.read_bytes()
        message = await refused(session, "render_qr", id=room["id"], account="wb",
                                path=str(cache), replace=True)
        assert "Not written" in message and cache.read_bytes() == kept
        message = await refused(session, "render_qr", id=room["id"], account="wb",
                                path=str(tmp_path / "host.png"), role="host")
        assert "--allow-host-links" in message and not (tmp_path / "host.png").exists()


async def test_host_links_only_when_the_server_allows_them(home, tmp_path):
    async with connected(home, "--allow-host-links") as session:
        room = (await call(session, "list_meetings", account="wb", limit=1))["meetings"][0]
        (host,) = host_links(room)
        assert "roomKey=" in host
        shown = await call(session, "get_meeting", id=room["id"], account="wb")
        assert host_links(shown) == [host]
        links = await session.call_tool("get_links", {"id": room["id"], "account": "wb"})
        assert f"host: {host}" in links.content[0].text
        png = tmp_path / "host.png"
        drawn = await call(session, "render_qr", id=room["id"], account="wb", path=str(png),
                           role="host")
        assert zxingcpp.read_barcode(Image.open(png)).text == host == drawn["url"]
        assert stat.S_IMODE(png.stat().st_mode) == 0o600  # the code is the host link


async def test_an_edit_that_replaces_the_meeting_needs_confirm(home, upstream):
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Before", end="+1h")
        message = await refused(session, "edit_meeting", id=made["id"], account="wb",
                                end="+2h")
        assert "every link would change" in message and "confirm: true" in message
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        edited = await call(session, "edit_meeting", id=made["id"], account="wb",
                            end="+2h", confirm=True)
        assert edited["title"] == "Before" and edited["replaced_id"] == made["id"]
        # Told in words too: an agent reading the result knew only of a new id.
        assert edited["notice"] == (
            f"Whereby Embedded cannot edit in place: made {edited['id']} and deleted "
            f"{made['id']}; every link changed — send the new ones.")
        assert upstream_status(upstream["whereby"], made["id"]) == 404
        assert upstream_status(upstream["whereby"], edited["id"]) == 200
        json.dumps(edited)  # plain JSON all the way down
        # The old id points to the new one, with the account or without.
        for account, typed in ((a, i) for a in ({"account": "wb"}, {})
                               for i in (made["id"], made["id"][:8])):
            message = await refused(session, "get_meeting", id=typed, **account)
            assert message.startswith("Error executing tool get_meeting: Meeting "
                                      f"{made['id']!r} was replaced by "
                                      f"{edited['id']} on ")
            assert message.endswith(f"Call the tool again with id {edited['id']} "
                                    "(account wb).")
            assert "No cached meeting" not in message


async def test_a_new_title_alone_keeps_the_whereby_room_and_its_links(home, upstream):
    # A Whereby title lives on this machine only; renaming a room recreated it, and
    # every link already sent to guests stopped working.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Before", end="+1h")
        edited = await call(session, "edit_meeting", id=made["id"], account="wb",
                            title="After")
        assert (edited["id"], edited["title"]) == (made["id"], "After")
        # Nothing replaced, nothing to note: absent, as in create_meeting's answer.
        assert "replaced_id" not in edited and "notice" not in edited
        assert set(edited) == set(made)
        assert [link["url"] for link in edited["links"]] == \
            [link["url"] for link in made["links"]]
        assert upstream_status(upstream["whereby"], made["id"]) == 200


async def test_an_edit_with_nothing_to_change_is_refused(home, upstream):
    # With confirm: true and nothing else, the edit went through and the Whereby room
    # was recreated: a new id, every link changed, for no change at all.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Keep", end="+1h")
        for empty in ({}, {"title": "", "start": "", "end": "", "options": {}}):
            message = await refused(session, "edit_meeting", id=made["id"], account="wb",
                                    confirm=True, **empty)
            assert message.endswith("Nothing to change: give title, start, end or options.")
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        shown = await call(session, "get_meeting", id=made["id"], account="wb")
        assert shown["links"] == made["links"]


async def test_an_edit_giving_the_meeting_its_own_values_is_refused(home, upstream):
    # end = the room's own end went through (confirm: true recreated nothing only by
    # luck: it was taken for a new title alone); at eyeson it was sent.
    async with connected(home) as session:
        room = await call(session, "create_meeting", account="wb", title="Keep", end="+1h")
        permalink = await call(session, "create_meeting", account="ey", title="Keep",
                               end="+2d")
        for made, given in ((room, {"end": room["ends_at"], "title": "Keep"}),
                            (permalink, {"end": permalink["expires_at"]})):
            message = await refused(session, "edit_meeting", id=made["id"],
                                    account=made["account"], confirm=True, **given)
            assert message.endswith("Nothing to change: the meeting already has every "
                                    "value given. Nothing was sent; the meeting is as it "
                                    "was."), message
            shown = await call(session, "get_meeting", id=made["id"],
                               account=made["account"], refresh=True)
            assert (shown["id"], shown["links"], shown["expires_at"]) == (
                made["id"], made["links"], made["expires_at"])
        assert upstream_status(upstream["whereby"], room["id"]) == 200


def test_every_request_read_before_stdin_closes_is_answered(home):
    # A script piped ten calls and closed stdin: the server stopped at end of input and
    # the calls still running were never answered (5 of 10 came back).
    with_ids = piped(home, tool_call("warm", "list_meetings", account="wb", limit=1))
    room = json.loads(with_ids[-1]["result"]["content"][0]["text"])["meetings"][0]
    calls = [tool_call(n, "get_meeting", id=room["id"], account="wb", refresh=True)
             for n in range(1, 11)]
    answers = piped(home, *calls)
    # Each answered once, when done (calls run side by side: in any order).
    assert answers[0]["id"] == "init"
    assert sorted(a["id"] for a in answers[1:]) == list(range(1, 11))
    for answer in answers[1:]:
        assert answer["result"]["isError"] is False
        assert answer["result"]["structuredContent"]["id"] == room["id"]
    # A call the client cancelled is never answered (MCP forbids it): the server must
    # not wait for that answer at the end of input.
    cancelled = piped(home, tool_call(11, "list_meetings"),
                      {"jsonrpc": "2.0", "method": "notifications/cancelled",
                       "params": {"requestId": 11}})
    assert [a["id"] for a in cancelled] in (["init"], ["init", 11])


async def test_an_ambiguous_id_names_the_candidates_and_the_account_argument(home):
    # It said "... matches several meetings: Type more of the id (or give --account).":
    # a dangling colon, no candidates, and a flag the agent has no way to give.
    async with connected(home) as session:
        await call(session, "list_meetings", limit=100)  # wb and wb-ro: the same rooms
        room = (await call(session, "list_meetings", account="wb", limit=1))["meetings"][0]
        candidates = [f"wb {room['id']} '{room['title']}'",
                      f"wb-ro {room['id']} '{room['title']}'"]
        prefix = room["id"][:8]
        message = await refused(session, "get_meeting", id=prefix)
        assert f"The id prefix '{prefix}' matches several meetings: " in message
        assert all(c in message for c in candidates), message
        assert message.endswith(". Give more of the id, or `account` to say which account.")
        message = await refused(session, "delete_meeting", id=room["id"], confirm=True)
        assert f"Meeting id '{room['id']}' exists in several accounts: " in message
        assert all(c in message for c in candidates), message
        assert message.endswith(". Say which account with `account`.")
        assert "--account" not in message and ":." not in message
        await call(session, "get_meeting", id=prefix, account="wb-ro")


HOSTILE = "\u202eevil\u202c zero\u200bwidth \x1b[31mred\x1b[0m"


async def test_hidden_characters_in_provider_text_are_escaped_in_the_text_content(home):
    # The text content carried U+202E, U+200B and ESC raw, to reorder or hide what the
    # agent's user reads; the JSON the command line writes has them as \uXXXX escapes.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title=HOSTILE,
                          end="+1h")
        results = [await session.call_tool(tool, arguments) for tool, arguments in (
            ("create_meeting", {"account": "wb", "title": HOSTILE, "end": "+1h"}),
            ("get_meeting", {"id": made["id"], "account": "wb"}),
            ("list_meetings", {"account": "wb", "query": made["id"], "offline": True}),
            ("edit_meeting", {"id": made["id"], "account": "wb", "title": HOSTILE + "!"}),
        )]
    for result in results:
        (content,) = result.content
        lines = content.text.split("\n")  # the JSON's own line breaks
        assert not any(is_hidden(char) for line in lines for char in line), content.text
        assert "\\u202eevil\\u202c zero\\u200bwidth \\u001b[31mred\\u001b[0m" in content.text
        assert json.loads(content.text) == result.structured_content


async def test_safety_gates_take_true_or_false_only(home, upstream, tmp_path):
    # "confirm": "yes" was read as true and deleted the meeting; a type error came back
    # as pydantic's text, several lines with an errors.pydantic.dev URL.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Gate", end="+1h")
        for given, kind in (("yes", "a string"), ("true", "a string"), (1, "a number")):
            message = await refused(session, "delete_meeting", id=made["id"],
                                    account="wb", confirm=given)
            assert message.endswith(
                f"Invalid arguments: confirm must be true or false (a JSON boolean), not "
                f"{kind}. Nothing was done.")
            message = await refused(session, "edit_meeting", id=made["id"], account="wb",
                                    end="+2h", confirm=given)
            assert "confirm must be true or false" in message
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        png = tmp_path / "kept.png"
        png.write_bytes(b"kept")
        message = await refused(session, "render_qr", id=made["id"], account="wb",
                                path=str(png), replace="yes")
        assert "replace must be true or false" in message and png.read_bytes() == b"kept"
        message = await refused(session, "list_meetings", limit="lots", offline="no")
        assert message.endswith("Invalid arguments: limit must be a whole number, not a "
                                "string; offline must be true or false (a JSON boolean), "
                                "not a string. Nothing was done.")
        # A number given as a string is no number either (it was read as one).
        message = await refused(session, "list_meetings", limit="5")
        assert message.endswith("Invalid arguments: limit must be a whole number, not a "
                                "string. Nothing was done.")
        message = await refused(session, "get_meeting", account="wb")
        assert message.endswith("Invalid arguments: id is required. Nothing was done.")
        # A fraction: "a whole number, not a number" read as a contradiction.
        for given in (2.5, 2.0):
            message = await refused(session, "list_meetings", limit=given)
            assert message.endswith(f"Invalid arguments: limit must be a whole number, not "
                                    f"{given!r}. Nothing was done.")
        # An edit's times in this tool's words: "--end must be after …" named the
        # command line's flags.
        message = await refused(session, "edit_meeting", id=made["id"], account="wb",
                                end="2020-01-01T00:00Z")
        assert message.startswith("Error executing tool edit_meeting: end (2020-01-01 00:00 "
                                  "UTC) must be after the meeting's start (")
        assert "--" not in message
        # Some clients send an object as its JSON text; it still reads as the object.
        await call(session, "create_meeting", account="wb", title="Opts", end="+1h",
                   options='{"roomMode": "group"}')
        done = await call(session, "delete_meeting", id=made["id"], account="wb",
                          confirm=True)
        assert done["result"] == "delete"
    assert "pydantic" not in (home / "meettui.log").read_text()


def test_lines_that_are_not_json_rpc_requests_get_an_error_answer(home):
    # Each of these got no answer at all, and the client waited for one forever.
    answers = piped(home, "not json", '[{"jsonrpc": "2.0", "id": 5, "method": "ping"}]',
                    '{"id": 6, "method": "ping"}',
                    '{"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"}',
                    '{"jsonrpc": "2.0", "id": null, "method": "ping"}', "42", "",
                    {"jsonrpc": "2.0", "id": 9, "method": "ping"})
    assert answers[0]["id"] == "init"
    assert [(a["id"], a["error"]["code"]) for a in answers[1:7]] == [
        (None, -32700), (None, -32600), (6, -32600), (None, -32600), (None, -32600),
        (None, -32600)]
    assert all(a["jsonrpc"] == "2.0" for a in answers)
    assert "batches are not supported" in answers[2]["error"]["message"]
    assert answers[7:] == [{"jsonrpc": "2.0", "id": 9, "result": {}}]


async def test_an_argument_the_tool_does_not_take_is_refused(home, upstream):
    # A misspelt "confrim" was ignored: the call ran as if it had not been given.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Typo", end="+1h")
        message = await refused(session, "delete_meeting", id=made["id"], account="wb",
                                confrim=True, force=True)
        assert message.endswith("Invalid arguments: confrim, force are not arguments of "
                                "this tool (it takes id, account, confirm). Nothing was done.")
        message = await refused(session, "list_accounts", verbose=True)
        assert message.endswith("verbose is not an argument of this tool (it takes no "
                                "arguments). Nothing was done.")
        assert upstream_status(upstream["whereby"], made["id"]) == 200


async def test_a_query_that_can_match_nothing_says_why(home):
    # An empty list came back with no word on why; `meettui list` names the culprits.
    async with connected(home) as session:
        listed = await call(session, "list_meetings", query="status:bogus account:nobody",
                            offline=True)
        assert listed["meetings"] == []
        assert [w.split(" (")[0] for w in listed["query_warnings"]] == [
            "the query can match nothing: no status 'bogus'",
            "the query can match nothing: no account 'nobody'"]
        assert "(there are wb, wb-ro, ey)" in listed["query_warnings"][1]
        # An account other than the one asked for: the list is limited to that one.
        listed = await call(session, "list_meetings", account="wb", query="account:ey",
                            offline=True)
        assert listed["query_warnings"] == [
            "the query can match nothing: account:ey names another account, and only wb "
            "is listed; leave out account to list every account"]
        # A query that is not at fault has nothing to say, matched or not.
        for query in ("no-such-words-here", "status:live"):
            assert (await call(session, "list_meetings", query=query, offline=True))[
                "query_warnings"] == []


def test_an_argument_of_5_mb_is_cut_in_errors_and_log_lines(home):
    # A 5 MB id came back whole in the error text and went whole into the log.
    big = "x" * 5_000_000
    answers = piped(home, tool_call(1, "get_meeting", id=big),
                    tool_call(2, "create_meeting", account="wb", start=big, end="+1h"),
                    tool_call(3, "delete_meeting", id="some-id", **{big: True}), "{" + big)
    # By id: the server answers each call when it is done, the unreadable line's error
    # (id null) perhaps before a call sent ahead of it.
    by_id = {a.get("id"): a for a in answers}
    texts = {i: by_id[i]["result"]["content"][0]["text"] for i in (1, 2, 3)}
    assert by_id[None]["error"]["code"] == -32700
    for text in texts.values():
        assert len(text) < CLIP_AT + 100 and " characters cut]…" in text, text[:300]
    assert texts[1].endswith("'. Call list_meetings (it refreshes the cache) and check the id.")
    assert "start: cannot read the time 'xxx" in texts[2]
    assert texts[3].endswith(" is not an argument of this tool (it takes id, account, "
                             "confirm). Nothing was done.")
    logged = (home / "meettui.log").read_text().split("\n")
    assert max(len(line) for line in logged) < CLIP_AT + 100
    assert sum(" characters cut]…" in line for line in logged) >= 3


async def test_a_key_with_a_line_break_inside_never_reaches_a_result(home):
    # httpx refuses such a header and quoted it ("Illegal header value b'<key>'"): the key
    # reached the agent in sync_errors and in a refused call's text.
    front, back = "mcp-ey-front-1234", "mcp-ey-back-5678"
    async with connected(home, env={"MCP_TEST_EY_KEY": f"{front}\n{back}"},
                         secrets=(*SECRETS, front, back)) as session:
        listed = await call(session, "list_meetings", account="ey")
        (error,) = listed["sync_errors"]
        message = await refused(session, "get_meeting", id="6aa300253886a1b2c3d4e5f6",
                                account="ey")
    for text in (json.dumps(listed), message):
        assert front not in text and back not in text
    # Never sent: the message names the variable to fix, never the key.
    said = "its api key ($MCP_TEST_EY_KEY) holds characters no HTTP header can carry"
    assert said in error["message"]
    assert said in message


async def test_a_refusal_is_sentences_not_a_message_run_into_its_hint(home):
    # "… → 404: Not Found It may have been deleted …": no period between the two.
    async with connected(home) as session:
        message = await refused(session, "get_meeting", id="no-such-room-4711", account="wb")
    assert message.endswith(
        "wb (whereby): GET /meetings/no-such-room-4711 → 404: The requested resource doesn't "
        "exist. It may have been deleted or expired upstream; refresh the list.")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_protocol_stream_that_cannot_be_written_is_said_and_no_bug(home):
    # `meettui mcp > /dev/full` said "unexpected error: ExceptionGroup: unhandled errors
    # in a TaskGroup … This is a bug in meettui".
    line = json.dumps(HANDSHAKE[0]) + "\n"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
                              input=line.encode(), stdout=full, stderr=subprocess.PIPE,
                              timeout=120, check=False)
    assert done.stderr == b"meettui: cannot write the output: no space left on device\n"
    assert done.returncode == 1


async def test_an_option_fixed_at_creation_is_refused_on_an_edit(home, upstream):
    # An edit given eyeson's host_name (the first host, fixed once the permalink
    # exists) beside a new expiry changed the expiry and dropped the host without a word.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="ey", title="Fixed host",
                          end="+2d")
        message = await refused(session, "edit_meeting", id=made["id"], account="ey",
                                end="+5d", options={"host_name": "Bo Berg"})
        assert message.endswith("Host name (host_name) is fixed once the meeting exists; eyeson "
                                "cannot change it. Leave out the host_name option; nothing "
                                "was sent, and the meeting is as it was. Another value needs "
                                "a new meeting.")
        shown = await call(session, "get_meeting", id=made["id"], account="ey",
                           refresh=True)
        assert shown["expires_at"] == made["expires_at"]
        # What an edit takes, listed for a misspelling: not the fixed host_name.
        message = await refused(session, "edit_meeting", id=made["id"], account="ey",
                                options={"nosuch": "1"})
        assert "; an edit takes: broadcast_available, exit_url, expires_at, " \
            "recording_available, widescreen." in message


async def test_times_no_one_means_are_refused_as_on_the_command_line(home, upstream):
    # `start: "0001-01-01T00:00:00-14:00"` made a meeting shown as starting "1-01-01"; an
    # end twenty years out was measured from its start, and taken.
    now = datetime.now(UTC)
    start = (now + timedelta(days=3640)).strftime("%Y-%m-%dT%H:%M")
    end = (now + timedelta(days=7300)).strftime("%Y-%m-%dT%H:%M")
    async with connected(home) as session:
        before = len((await call(session, "list_meetings", account="wb"))["meetings"])
        message = await refused(session, "create_meeting", account="wb", title="Ancient",
                                start="0001-01-01T00:00:00-14:00", end="+1h")
        assert "is more than a year ago: meettui takes no start more than a year back" \
            in message and "(0001-01-01 14:00 " in message and "Check the year" in message
        message = await refused(session, "create_meeting", account="wb", title="Far",
                                start=start, end=end)
        assert f"end: '{end}' is more than 10 years from now; check the year" in message
        after = len((await call(session, "list_meetings", account="wb"))["meetings"])
        assert after == before



async def test_a_meeting_over_before_it_is_made_is_refused_as_on_the_command_line(home):
    end = (datetime.now(UTC) - timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M")
    async with connected(home) as session:
        before = len((await call(session, "list_meetings", account="wb"))["meetings"])
        message = await refused(session, "create_meeting", account="wb", title="Over",
                                end=end)
        assert "is 1 hour 30 minutes ago: the meeting would be over before it was made." \
            in message and "Give a later time; nothing was sent." in message
        after = len((await call(session, "list_meetings", account="wb"))["meetings"])
        assert after == before



async def test_an_empty_id_says_so(home):
    async with connected(home) as session:
        for tool in ("get_meeting", "delete_meeting"):
            message = await refused(session, tool, id=" ")
            assert message == (f"Error executing tool {tool}: The meeting id is empty. "
                               "Give an id as list_meetings returns it."), tool


# -- paging, option types, closed stdout, concurrency, QR formats, hints, protocol --


async def test_list_meetings_pages_through_everything_and_starts_at_upcoming(home):
    # Oldest first and at most 1000 a call, with no offset: an agent never reached the
    # upcoming meetings of a large cache.
    async with connected(home) as session:
        every = await call(session, "list_meetings", limit=1000)
        ids = [m["id"] for m in every["meetings"]]
        assert every["next_offset"] is None and len(ids) == every["matched"] > 5
        paged: list[str] = []
        offset: int | None = 0
        while offset is not None:
            page = await call(session, "list_meetings", offset=offset, limit=5, offline=True)
            assert page["offset"] == offset and page["matched"] == len(ids)
            assert page["truncated"] is (page["next_offset"] is not None)
            paged += [m["id"] for m in page["meetings"]]
            offset = page["next_offset"]
        assert paged == ids
        # The same walk by `after`: what an offset cannot promise once the list moves.
        followed: list[str] = []
        after: str | None = None
        while True:
            page = await call(session, "list_meetings", limit=7, offline=True,
                              **({"after": after} if after else {}))
            assert page["added_before"] == 0
            followed += [m["id"] for m in page["meetings"]]
            after = page["next_after"]
            if after is None:
                break
        assert followed == ids
        beyond = await call(session, "list_meetings", offset=len(ids), offline=True)
        assert beyond["meetings"] == [] and beyond["next_offset"] is None

        upcoming = await call(session, "list_meetings", upcoming=True, offline=True,
                              limit=1000)
        now = datetime.now(UTC)
        shown = upcoming["meetings"]
        assert shown and upcoming["matched"] == len(shown) < len(ids)
        assert [m["id"] for m in shown] == ids[len(ids) - len(shown):]
        first = shown[0]
        assert first["status"] not in ("ended", "expired", "cancelled", "gone")
        assert first["ends_at"] is None or datetime.fromisoformat(first["ends_at"]) > now
        second = await call(session, "list_meetings", upcoming=True, offline=True,
                            offset=1, limit=1)
        assert [m["id"] for m in second["meetings"]] == [shown[1]["id"]]


async def test_option_numbers_stay_numbers_and_a_switch_takes_no_number(home, upstream):
    # `isLocked: 1` made a locked room (pydantic read 1 as true), and a number for a
    # number option was refused as "not a number" or read as True.
    assert inputs.CreateMeetingInput.model_validate(
        {"account": "a", "options": {"capacity": 5, "one": 1, "x": 0.5, "on": True}}
    ).options == {"capacity": 5, "one": 1, "x": 0.5, "on": True}
    async with connected(home) as session:
        before = (await call(session, "list_meetings", account="wb", limit=1))["matched"]
        for value, kind in ((1, "number"), (0, "number"), ("yes", "string"),
                            ("true", "string")):
            # ("yes" was taken: the command line's text reads as a yes, JSON does not.)
            message = await refused(session, "create_meeting", account="wb", end="+1h",
                                    options={"isLocked": value})
            assert ("options.isLocked must be true or false (a JSON boolean), not a "
                    f"{kind}") in message
        message = await refused(session, "create_meeting", account="wb", end="+1h",
                                options={"roomMode": 1})
        assert "not 1" in message and "True" not in message
        assert (await call(session, "list_meetings", account="wb", limit=1))[
            "matched"] == before


def test_a_client_that_closes_stdout_ends_the_server_quietly(home):
    # `meettui mcp | head -c 10` said "unexpected error: ExceptionGroup … This is a bug
    # in meettui" and exited 1 (BrokenPipeError in the log).
    server = subprocess.Popen([sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write((json.dumps(HANDSHAKE[0]) + "\n").encode())
    server.stdin.flush()
    assert server.stdout.read(10) == b'{"jsonrpc"'
    server.stdout.close()
    for n in range(3):
        server.stdin.write((json.dumps({"jsonrpc": "2.0", "id": n,
                                        "method": "tools/list"}) + "\n").encode())
    server.stdin.close()
    assert server.wait(timeout=120) == 0
    assert server.stderr is not None and server.stderr.read() == b""
    assert "Traceback" not in (home / "meettui.log").read_text()


def test_a_cache_read_is_not_kept_waiting_behind_a_slow_provider(home, upstream):
    # Calls ran one at a time: a list_accounts sent after a get_meeting that refreshes
    # from a slow eyeson was answered only once eyeson had.
    warm = piped(home, tool_call("warm", "list_meetings", account="ey", limit=1))
    room = json.loads(warm[-1]["result"]["content"][0]["text"])["meetings"][0]
    faults = f"{upstream['eyeson']}/_sim/faults"
    httpx.post(faults, json={"latency": 5}, timeout=10).raise_for_status()
    try:
        answers = piped(home, tool_call(1, "get_meeting", id=room["id"], account="ey",
                                        refresh=True),
                        tool_call(2, "list_accounts"))
    finally:
        httpx.post(faults, json={"latency": 0}, timeout=10).raise_for_status()
    # Sent second, answered first; the refresh still answered.
    assert [a["id"] for a in answers] == ["init", 2, 1]
    assert answers[2]["result"]["structuredContent"]["id"] == room["id"]


async def test_render_qr_writes_the_format_its_extension_names(home, tmp_path):
    # x.svg and x.jpg got PNG data.
    async with connected(home) as session:
        room = (await call(session, "list_meetings", account="wb"))["meetings"][0]
        svg = tmp_path / "code.SVG"
        drawn = await call(session, "render_qr", id=room["id"], account="wb", path=str(svg))
        assert drawn["files"] == [{"path": str(svg), "format": "svg"}]
        assert svg.read_text().startswith("<?xml") and "<svg" in svg.read_text()
        png = tmp_path / "code.png"
        await call(session, "render_qr", id=room["id"], account="wb", path=str(png))
        assert png.read_bytes().startswith(b"\x89PNG")
        for name in ("code.jpg", "code"):
            message = await refused(session, "render_qr", id=room["id"], account="wb",
                                    path=str(tmp_path / name))
            assert "Give a path ending in .png or .svg" in message
            assert not (tmp_path / name).exists()


async def test_errors_speak_in_the_tools_arguments_not_the_command_lines(home, upstream,
                                                                           tmp_path):
    async with connected(home) as session:
        room = (await call(session, "list_meetings", account="wb"))["meetings"][0]
        said = [
            await refused(session, "create_meeting", account="wb", end="+1h",
                          options={"roomMod": "group"}),
            await refused(session, "get_meeting", id="no-such-id"),
            await refused(session, "get_meeting", id="x", account="nobody"),
            await refused(session, "render_qr", id=room["id"], account="wb",
                          path=str(tmp_path / "v.png"), role="attendee"),
            # The field's help names an option: said as an agent gives it.
            await refused(session, "create_meeting", account="ey", title="Later",
                          start="+1d"),
            # A provider's own message naming an option.
            await refused(session, "create_meeting", account="wb", end="+1h",
                          options={"recording": "not json"}),
        ]
    assert "Check the spelling of options.roomMod" in said[0]
    assert "Call list_meetings" in said[1]
    assert "(list_accounts lists them)" in said[2]
    assert "Leave out role" in said[3]
    assert "set an expiry (options.expires_at) if it should stop working" in said[4]
    assert "Leave out start" in said[4]
    assert 'as options.recording: {"startTrigger": …}' in said[5]
    for message in said:
        assert "--" not in message and "-o " not in message and "`meettui" not in message


def test_protocol_mistakes_say_what_is_missing(home):
    before = subprocess.run(
        [sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
        input=json.dumps(tool_call(1, "list_accounts")) + "\n", capture_output=True,
        text=True, timeout=120, check=False)
    (early,) = [json.loads(line) for line in before.stdout.splitlines()]
    assert early["error"]["code"] == -32602 and "initialize" in early["error"]["message"]
    assert early["error"]["data"]
    # Every other method before initialize was answered "Invalid request parameters"
    # with empty data: said as for tools/call, naming the method. ping is answered, and
    # a method the server does not serve is -32601 whatever the state.
    other = subprocess.run(
        [sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
        input="".join(json.dumps({"jsonrpc": "2.0", "id": n, "method": method}) + "\n"
                      for n, method in enumerate(("tools/list", "resources/list",
                                                  "prompts/list", "ping", "no/such")))
        + json.dumps(tool_call(9, "list_accounts")) + "\n",
        capture_output=True, text=True, timeout=120, check=False)
    replies = {a["id"]: a for a in map(json.loads, other.stdout.splitlines())}
    for n, method in enumerate(("tools/list", "resources/list", "prompts/list")):
        said = ("the session is not initialized: send initialize (and then "
                f"notifications/initialized) before {method}")
        assert replies[n]["error"] == {"code": -32602, "data": said,
                                       "message": f"Invalid request parameters: {said}."}
    assert replies[3]["result"] == {}
    assert replies[4]["error"]["code"] == -32601
    assert replies[9]["error"]["data"].endswith("before tools/call")
    answers = {a["id"]: a for a in piped(
        home, {"jsonrpc": "2.0", "id": 2, "method": "tools/call"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}},
        tool_call(4, "nope"),
        {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
         "params": {"name": "get_meeting", "arguments": "x"}})}
    assert "tools/call needs params" in answers[2]["error"]["message"]
    assert "params.name" in answers[3]["error"]["message"]
    unknown = answers[4]["result"]["content"][0]["text"]
    assert "Unknown tool: nope" in unknown and "list_meetings" in unknown
    wrong = answers[5]["result"]["content"][0]["text"]
    assert "arguments must be an object" in wrong and "GetMeetingInput" not in wrong


def test_an_initialize_without_its_params_says_which_are_missing(home):
    # The SDK answered -32602 "Invalid request parameters" with empty data.
    done = subprocess.run(
        [sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
        input="".join(json.dumps(m) + "\n" for m in (
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "initialize",
             "params": {"protocolVersion": 5, "capabilities": {},
                        "clientInfo": {"name": "x"}}})),
        capture_output=True, text=True, timeout=120, check=False)
    answers = {a["id"]: a["error"] for a in map(json.loads, done.stdout.splitlines())}
    needs = ("initialize needs params with protocolVersion (a string), capabilities (an "
             "object) and clientInfo (an object with name and version); ")
    assert answers[1] == {
        "code": -32602,
        "message": f"Invalid request parameters: {needs}params.protocolVersion is missing, "
                   "params.capabilities is missing, params.clientInfo is missing.",
        "data": f"{needs}params.protocolVersion is missing, params.capabilities is "
                "missing, params.clientInfo is missing"}
    assert answers[2]["data"] == (f"{needs}params.protocolVersion is a number, "
                                  "params.clientInfo.version is missing")


async def test_a_refresh_that_fails_gives_the_cached_copy_and_why(home, upstream):
    # get_meeting with `refresh` failed outright (no meeting at all) where `show
    # --refresh` printed the cached copy: now the copy, with `refresh_error`.
    async with connected(home) as session:
        room = (await call(session, "list_meetings", account="wb", limit=1))["meetings"][0]
        fresh = await call(session, "get_meeting", id=room["id"], account="wb",
                           refresh=True)
        assert "refresh_error" not in fresh
    config = home / "config.toml"
    # Nothing listens on port 9 of this machine (discard): the connection is refused.
    config.write_text(config.read_text(encoding="utf-8").replace(
        upstream["whereby"], "http://127.0.0.1:9/v1"), encoding="utf-8")
    async with connected(home) as session:
        shown = await call(session, "get_meeting", id=room["id"], account="wb",
                           refresh=True)
    said = shown.pop("refresh_error")
    assert said.startswith("wb (whereby): "), said
    assert "connection problem" in said
    assert shown == {k: v for k, v in fresh.items() if k != "schema_version"} | {
        "schema_version": shown["schema_version"]}


async def test_a_value_the_provider_refuses_is_not_said_as_if_its_words_said_what_to_do(home):
    # eyeson's "user[name] is longer than 128 characters" was followed by "Give
    # `options.host_name` as the message says": its words give no instruction.
    async with connected(home) as session:
        message = await refused(session, "create_meeting", account="ey", title="Long host",
                                options={"host_name": "A" * 200})
    assert message.endswith("ey (eyeson): the host name (user[name]) is longer than 128 "
                       "characters. The provider refused `options.host_name` for the reason "
                       "given: change it, and call the tool again.")


async def test_a_start_the_provider_does_not_keep_is_said_to_the_agent(home, upstream):
    # An agent asking for a room tomorrow got one live now, with nothing but its
    # `starts_at` to tell: `start_note` says it.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Tomorrow",
                          start="+1d", end="+1h")
        assert made["status"] == "live"
        assert made["start_note"].startswith("wb: the meeting starts ")
        assert "not at the start given" in made["start_note"]
        now = await call(session, "create_meeting", account="wb", title="Now", end="+1h")
        assert "start_note" not in now
        for room in (made, now):
            await call(session, "delete_meeting", id=room["id"], account="wb", confirm=True)


async def test_offset_with_after_is_refused_even_when_zero(home, upstream):
    # `offset: 0` with `after` was taken (the SDK hands the tool every argument, 0 for
    # an offset not sent, so "given as 0" looked like "not given").
    async with connected(home) as session:
        first = await call(session, "list_meetings", limit=2)  # (refreshed: cached)
        assert first["next_after"] is not None
        message = await refused(session, "list_meetings", limit=2, offline=True, offset=0,
                                after=first["next_after"])
        assert message.endswith("Give either offset or after, not both: after continues "
                                "where the previous page ended.")
        second = await call(session, "list_meetings", limit=2, offline=True,
                            after=first["next_after"])
        assert second["offset"] == 2


async def test_a_refresh_that_finds_the_meeting_gone_gives_it_as_gone(home, upstream):
    # The provider's 404 is the refresh's answer: it came back as a refresh_error
    # ("… → 404 Not Found. It may have been deleted or expired upstream; refresh the
    # list."), the meeting "gone" beside it.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="ey", title="Short-lived",
                          end="+2d")
        deleted = httpx.delete(f"{upstream['eyeson']}/permalink/{made['id']}",
                               headers={"Authorization": EY_KEY}, timeout=10)
        assert deleted.status_code == 200
        shown = await call(session, "get_meeting", id=made["id"], account="ey",
                           refresh=True)
        assert shown["status"] == "gone" and shown["missing"] is True
        assert "refresh_error" not in shown
        message = await refused(session, "edit_meeting", id=made["id"], account="ey",
                                end="+5d")
        assert "'Short-lived' (" in message and "no longer exists in 'ey'" in message


async def test_links_of_a_meeting_gone_upstream_are_not_handed_out(home, upstream, tmp_path):
    # render_qr wrote a code of the dead link (and get_links handed it out) without a
    # word; `meettui ics` refused it. Each refuses it now, saying why and what to do.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Dead room",
                          end="+1h")
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        deleted = httpx.delete(f"{upstream['whereby']}/meetings/{made['id']}",
                               headers={"Authorization": f"Bearer {WB_KEY}"}, timeout=10)
        assert deleted.status_code == 204
        shown = await call(session, "get_meeting", id=made["id"], account="wb",
                           refresh=True)
        assert shown["status"] == "gone"
        said = [await refused(session, "render_qr", id=made["id"], account="wb",
                              path=str(tmp_path / name)) for name in ("q.png", "q.svg")]
        said.append(await refused(session, "get_links", id=made["id"], account="wb"))
        # get_meeting still shows it as it was, marked gone, links and all.
        again = await call(session, "get_meeting", id=made["id"], account="wb")
        assert again["status"] == "gone" and again["links"]
    gone = (f"'Dead room' ({made['id']}) is gone upstream: 'wb' no longer lists it, so "
            "its link most likely no longer works.")
    todo = ("Check whether the provider has it again with get_meeting with refresh: true; "
            "if it was removed there, delete_meeting forgets it here (nothing is sent to "
            "the provider).")
    assert said == [f"Error executing tool render_qr: {gone} No QR code was made. {todo}"
                    ] * 2 + [f"Error executing tool get_links: {gone} No links were given. "
                             f"{todo}"]
    assert not list(tmp_path.glob("q.*"))



async def test_links_of_a_cancelled_or_expired_meeting_are_not_handed_out(home, tmp_path):
    # As of one gone upstream: render_qr made a code of a cancelled meeting's link (and
    # get_links handed out an expired room's) as of any meeting's.
    from meettui.core.cache import Cache
    from meettui.core.models import Status

    async with connected(home) as session:
        made = [await call(session, "create_meeting", account="wb", title=title,
                           end="+1h") for title in ("Called off", "Run out")]
        cache = Cache(home / "cache.sqlite3")
        try:
            for doc, update in zip(made, ({"status": Status.CANCELLED},
                                          {"expires_at": datetime.now(UTC)
                                           - timedelta(minutes=5)}), strict=True):
                meeting = cache.get("wb", doc["id"])
                assert meeting is not None
                cache.upsert(meeting.model_copy(update=update))
        finally:
            cache.close()
        said = {doc["title"]: [await refused(session, "render_qr", id=doc["id"],
                                             account="wb", path=str(tmp_path / "q.png")),
                               await refused(session, "get_links", id=doc["id"],
                                             account="wb")] for doc in made}
    todo = ("To meet, make a new meeting with create_meeting; get_meeting with refresh: "
            "true reads its status from the provider again.")
    called_off, run_out = made[0]["id"], made[1]["id"]
    assert said["Called off"] == [
        f"Error executing tool render_qr: 'Called off' ({called_off}) was cancelled, so "
        f"its link most likely leads nowhere. No QR code was made. {todo}",
        f"Error executing tool get_links: 'Called off' ({called_off}) was cancelled, so "
        f"its link most likely leads nowhere. No links were given. {todo}"]
    for text in said["Run out"]:
        assert text.startswith(f"Error executing tool {text.split()[3]} 'Run out' "
                               f"({run_out}) expired on "), text
        assert ", so its link no longer works. No " in text and text.endswith(todo)
    assert not list(tmp_path.glob("q.*"))


def test_every_line_written_escapes_hidden_characters(home):
    # structuredContent (and errors echoing an argument) carried U+202E and U+200B raw
    # on the wire, where the text content and the command line's JSON write \uXXXX.
    hostile = "\u202eevil\u202c zero\u200bwidth \x1b[31mred"
    lines = [json.dumps(m) for m in (
        *HANDSHAKE, tool_call(1, "create_meeting", account="wb", title=hostile, end="+1h"),
        tool_call(2, "get_meeting", id="\u202enone\u200b", account="nope"),
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
         "params": {"name": "\u202eno_tool"}})]
    done = subprocess.run([sys.executable, "-m", "meettui", "mcp"], env=server_env(home),
                          input="".join(line + "\n" for line in lines).encode(),
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    raw = done.stdout.decode("utf-8").split("\n")
    assert raw[-1] == "" and len(raw) == 5  # one line an answer, each ended
    assert not any(is_hidden(char) for line in raw for char in line), raw
    by_id = {json.loads(line)["id"]: line for line in raw[:-1]}
    made = json.loads(by_id[1])["result"]
    assert made["structuredContent"]["title"] == hostile  # the same data, decoded
    assert '"title":"\\u202eevil\\u202c zero\\u200bwidth \\u001b[31mred"' in by_id[1]
    assert json.loads(by_id[2])["result"]["isError"]
    # An error's text echoing what the client sent (a tool name).
    assert "Unknown tool: \\u202eno_tool." in by_id[3]
    assert "Unknown tool: \u202eno_tool." in json.loads(by_id[3])["result"]["content"][0]["text"]


@pytest.mark.parametrize("model", [inputs.CreateMeetingInput, inputs.EditMeetingInput])
def test_the_time_arguments_show_the_shape_of_a_time_not_a_date_that_goes_stale(model):
    # "ISO 8601 (`2026-05-01T14:00`, …)": a fixed date is in the past once that day has
    # gone, and a start given as shown is refused.
    for name in ("start", "end"):
        description = model.model_json_schema()["properties"][name]["description"]
        assert "`YYYY-MM-DDTHH:MM`" in description, description
        assert not re.search(r"\d{4}-\d\d-\d\d", description), description
