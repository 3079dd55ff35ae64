"""`meettui mcp` driven by the MCP SDK's own client over stdio: the server runs as a child
process (`python -m meettui mcp`) on an isolated config whose accounts point at
`meettui simulate whereby` and `meettui simulate eyeson`, themselves child processes
serving real sockets on 127.0.0.1."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
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


@asynccontextmanager
async def connected(home: Path, *flags: str, env: dict[str, str] | None = None,
                    secrets: tuple[str, ...] = SECRETS) -> AsyncIterator[ClientSession]:
    """A client session with `meettui mcp FLAGS` as its server (`env` added to its
    environment); afterwards, asserts the server wrote no traceback and none of `secrets`
    to stderr or its log."""
    env = {"MEETTUI_CONFIG": str(home / "config.toml"),
           "MEETTUI_CACHE": str(home / "cache.sqlite3"),
           "MEETTUI_LOG": str(home / "meettui.log"),
           "MCP_TEST_WB_KEY": WB_KEY, "MCP_TEST_EY_KEY": EY_KEY,
           "PYTHONPATH": os.pathsep.join(sys.path), **(env or {})}
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "meettui", "mcp", *flags], env=env)
    errors = home / "server-stderr.txt"
    with errors.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), \
                ClientSession(read, write) as session:
            await session.initialize()
            yield session
    for text in (errors.read_text(), (home / "meettui.log").read_text()):
        assert "Traceback" not in text
        assert not any(secret in text for secret in secrets)


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
    assert get["properties"] == contract.MeetingDoc.model_json_schema(
        mode="serialization")["properties"]
    assert tools["list_meetings"].output_schema["properties"]["schema_version"]["const"] == 1


async def test_list_search_get_create_delete_against_the_simulators(home, upstream, tmp_path):
    async with connected(home) as session:
        accounts = await call(session, "list_accounts")
        assert {a["name"]: a["read_only"] for a in accounts["accounts"]} == {
            "wb": False, "wb-ro": True, "ey": False}

        listed = await call(session, "list_meetings", account="wb", limit=100)
        assert listed["sync_errors"] == [] and len(listed["meetings"]) == 12
        eyeson = (await call(session, "list_meetings", account="ey"))["meetings"]
        wanted = eyeson[0]
        found = await call(session, "list_meetings", query=f'"{wanted["title"]}"')
        assert wanted["id"] in [m["id"] for m in found["meetings"]]
        assert all(wanted["title"] in m["title"] for m in found["meetings"])
        assert (await call(session, "list_meetings", query="no-such-words-here"))[
            "meetings"] == []

        room = listed["meetings"][0]
        shown = await call(session, "get_meeting", id=room["id"], account="wb")
        assert shown["schema_version"] == 1 and shown["id"] == room["id"]
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

        message = await refused(session, "delete_meeting", id=made["id"], account="wb")
        assert "confirm: true" in message and "Nothing was changed" in message
        assert upstream_status(upstream["whereby"], made["id"]) == 200
        done = await call(session, "delete_meeting", id=made["id"], account="wb", confirm=True)
        assert done == {"schema_version": 1, "id": made["id"], "account": "wb",
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
        message = await refused(session, "render_qr", id=room["id"], account="wb",
                                path=str(cache), replace=True)
        assert "it is meettui's cache" in message
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
        assert upstream_status(upstream["whereby"], made["id"]) == 404
        assert upstream_status(upstream["whereby"], edited["id"]) == 200
        json.dumps(edited)  # plain JSON all the way down


async def test_a_new_title_alone_keeps_the_whereby_room_and_its_links(home, upstream):
    # A Whereby title lives on this machine only; renaming a room recreated it, and
    # every link already sent to guests stopped working.
    async with connected(home) as session:
        made = await call(session, "create_meeting", account="wb", title="Before", end="+1h")
        edited = await call(session, "edit_meeting", id=made["id"], account="wb",
                            title="After")
        assert (edited["id"], edited["title"], edited["replaced_id"]) == \
            (made["id"], "After", None)
        assert [link["url"] for link in edited["links"]] == \
            [link["url"] for link in made["links"]]
        assert upstream_status(upstream["whereby"], made["id"]) == 200


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
    assert "Illegal header value ***" in error["message"]
    assert "Illegal header value ***" in message


async def test_a_refusal_is_sentences_not_a_message_run_into_its_hint(home):
    # "… → 404: Not Found It may have been deleted …": no period between the two.
    async with connected(home) as session:
        message = await refused(session, "get_meeting", id="no-such-room-4711", account="wb")
    assert message.endswith(
        "whereby: GET /meetings/no-such-room-4711 → 404: The requested resource doesn't "
        "exist. It may have been deleted or expired upstream; refresh the list.")
