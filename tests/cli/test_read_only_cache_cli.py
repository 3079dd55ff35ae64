"""The command line and the MCP tools over a cache that cannot be written: reads show
what it holds and say once that it is read-only; writes are refused with what to do,
no traceback, nothing sent, the file as it was. Every command refused the file
("Cannot open the cache …: permission denied"), `list --offline` and `show` too.

Made read-only with `chmod 444`, which meettui honours for root too (see
tests/core/test_cache_read_only.py)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from cli_helpers import run_cli
from meettui.core.cache import Cache
from meettui.core.config import load_config
from meettui.core.errors import CacheReadOnly
from meettui.core.service import MeetingService


@pytest.fixture
def read_only_cache(capsys) -> Path:
    """The cache holding one Jitsi room ("Front desk"), then made read-only."""
    code, _, _ = run_cli(capsys, "create", "-a", "jitsi", "-t", "Front desk", "--json")
    assert code == 0
    path = Path(os.environ["MEETTUI_CACHE"])
    os.chmod(path, 0o444)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reads_show_what_it_holds_and_say_once_it_is_read_only(capsys, read_only_cache):
    path = read_only_cache
    code, out, err = run_cli(capsys, "list", "--offline", "--text")
    assert code == 0 and "Front desk" in out
    notice = (f"meettui: The cache {path} is read-only (the file is read-only): meettui "
              "shows what it holds, but nothing fetched or changed can be kept in it")
    assert err.count("read-only") >= 1 and err.startswith(notice)
    assert err.count(notice) == 1 and "chattr -i" in err
    code, out, _ = run_cli(capsys, "list", "--offline", "--json")
    room = json.loads(out)["meetings"][0]
    assert code == 0 and room["title"] == "Front desk"
    code, out, err = run_cli(capsys, "show", room["id"], "--text")
    assert code == 0 and out.startswith("Front desk") and err.count(notice) == 1


def test_a_list_that_would_sync_shows_the_cache_and_says_why_it_was_not_refreshed(
        capsys, read_only_cache):
    before = _digest(read_only_cache)
    code, out, err = run_cli(capsys, "list", "--text")
    assert code == 1 and "Front desk" in out
    # One line for every account (the demo's five), not the refusal five times.
    assert err.count("Not refreshed: the cache is read-only, so nothing fetched could be "
                     "kept (showing the cached list)") == 1
    assert err.count("\n") == 2, err
    code, out, _ = run_cli(capsys, "list", "--json")
    errors = json.loads(out)["sync_errors"]
    assert code == 1 and {e["account"] for e in errors} == {
        "whereby-demo", "eyeson-demo", "24sessions-demo", "accelevents-demo", "vonage-demo"}
    assert _digest(read_only_cache) == before


@pytest.mark.parametrize("argv", [
    ("create", "-a", "jitsi", "-t", "Another"),
    ("create", "-a", "whereby-demo", "-t", "Another", "--end", "+1h"),
    ("edit", "FrontDesk", "-t", "Renamed"),
    ("delete", "FrontDesk", "--yes"),
])
def test_writes_are_refused_with_what_to_do_and_the_cache_kept(capsys, read_only_cache, argv):
    path = read_only_cache
    before = _digest(path)
    code, out, err = run_cli(capsys, *argv, "--text")
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert (f"meettui: The cache {path} is read-only (the file is read-only), so the "
            "change could not be kept: nothing was sent or changed.") in err
    assert "chmod u+w" in err and "chattr -i" in err
    assert _digest(path) == before and oct(os.stat(path).st_mode & 0o777) == "0o444"


async def test_the_agent_tools_read_it_and_are_refused_a_change(tmp_path, capsys,
                                                                read_only_cache):
    from meettui.agent.inputs import CreateMeetingInput, GetMeetingInput, ListMeetingsInput
    from meettui.agent.tools import AgentTools

    cache = Cache(read_only_cache)
    service = MeetingService(load_config(tmp_path / "none.toml"), cache)
    tools = AgentTools(service)
    try:
        page = await tools.list_meetings(ListMeetingsInput(offline=True))
        assert [m.title for m in page.meetings] == ["Front desk"]
        shown = await tools.get_meeting(GetMeetingInput(id=page.meetings[0].id))
        assert shown.title == "Front desk"
        with pytest.raises(CacheReadOnly) as refused:
            await tools.create_meeting(CreateMeetingInput(account="jitsi", title="No"))
        assert "nothing was sent or changed" in refused.value.message
    finally:
        await service.aclose()
        cache.close()
