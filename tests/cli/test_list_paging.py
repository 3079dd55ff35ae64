"""Following the pages of `meettui list` (`--after`, the answer's `next_after`) and of
the MCP server's list_meetings (`after`) over a real cache, while the clock moves and
the cache changes between pages: every meeting comes exactly once, and one cached
meanwhile at a place already passed is counted and said, never lost in silence.

With `--upcoming`, offsets counted from "what is on now or next", which moved with the
clock: at 04:01:02 the first page of three began at 03:02:28, and at 04:02:38 the
`next_offset` 3 began at 03:09:36, the meetings at 03:05:43 and 03:06:24 never
returned."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.agent.inputs import ListMeetingsInput
from meettui.agent.tools import AgentTools, Refused
from meettui.cli import EXIT_OK, EXIT_USAGE, main
from meettui.core.cache import Cache
from meettui.core.clock import FixedClock, SystemClock
from meettui.core.config import load_config
from meettui.core.service import MeetingService

NOW = datetime(2027, 3, 10, 4, 1, 2, tzinfo=UTC)
# The tester's starts, and a few later ones; none has an end (on for an hour).
STARTS = ["03:02:28", "03:02:36", "03:04:52", "03:05:43", "03:06:24", "03:09:36",
          "03:30:00", "04:30:00"]


def _meetings():
    out = []
    for i, start in enumerate(STARTS):
        h, m, s = map(int, start.split(":"))
        out.append(make_meeting(i, account="jitsi").model_copy(update={
            "starts_at": NOW.replace(hour=h, minute=m, second=s), "ends_at": None}))
    # Long over: not in an upcoming list at all.
    out.append(make_meeting(99, account="jitsi").model_copy(update={
        "starts_at": NOW - timedelta(days=2), "ends_at": NOW - timedelta(days=2, hours=-1)}))
    return out


@pytest.fixture
def clock(tmp_path, monkeypatch):
    """A cache of the meetings above, and the command line's clock at NOW, moved by
    the test."""
    isolate_paths(monkeypatch, tmp_path)
    cache = Cache(tmp_path / "cache.sqlite3")
    for meeting in _meetings():
        cache.upsert(meeting)
    cache.close()
    fixed = FixedClock(NOW)
    monkeypatch.setattr(SystemClock, "now", lambda self: fixed.now())
    return fixed


def _page(capsys, *argv: str) -> tuple[dict, str]:
    code, out, err = run_cli(capsys, "list", "--offline", "--json", *argv)
    assert code == EXIT_OK, err
    return json.loads(out), err


def _walk_cli(capsys, clock, *argv: str, step: float = 96) -> list[str]:
    data, _ = _page(capsys, *argv)
    ids = [m["id"] for m in data["meetings"]]
    while data["next_after"] is not None:
        clock.advance(step)
        data, err = _page(capsys, *argv, "--after", data["next_after"])
        assert data["added_before"] == 0 and "cached since" not in err
        ids += [m["id"] for m in data["meetings"]]
    return ids


def test_upcoming_pages_return_every_meeting_once_while_the_clock_moves(clock, capsys):
    first, err = _page(capsys, "--upcoming", "--limit", "3")
    assert [m["id"] for m in first["meetings"]] == ["m000000", "m000001", "m000002"]
    assert first["matched"] == 8 and first["truncated"] is True
    token = first["next_after"]
    assert err == ("meettui: 3 of 8 meetings from what is on now or next shown; --limit 8 "
                   "shows them all; next page: meettui list --offline --upcoming --json --limit 3 "
                   f"--after {token}\n")
    clock.advance(96)  # 04:02:38: the first two began more than an hour ago
    second, err = _page(capsys, "--upcoming", "--limit", "3", "--after", token)
    assert [m["id"] for m in second["meetings"]] == ["m000003", "m000004", "m000005"]
    # Counted from where the walk began, not from where "now" has moved to.
    assert second["offset"] == 3 and second["matched"] == 8 and second["added_before"] == 0
    assert err == ("meettui: 4–6 of 8 meetings from what is on now or next shown; next "
                   "page: meettui list --offline --upcoming --json --limit 3 --after "
                   f"{second['next_after']}\n")
    clock.advance(3600)
    last, err = _page(capsys, "--upcoming", "--limit", "3", "--after", second["next_after"])
    assert [m["id"] for m in last["meetings"]] == ["m000006", "m000007"]
    assert last["next_after"] is None and last["truncated"] is False
    assert last["next_offset"] is None
    assert err == "meettui: 7–8 of 8 meetings from what is on now or next shown\n"


@pytest.mark.parametrize("limit", ["1", "2", "3", "4"])
def test_every_page_size_walks_the_whole_list_once(clock, capsys, limit):
    ids = [m.id for m in sorted(_meetings(), key=lambda m: m.starts_at)]
    assert _walk_cli(capsys, clock, "--limit", limit) == ids
    clock.set(NOW)
    assert _walk_cli(capsys, clock, "--upcoming", "--limit", limit) == \
        [f"m{i:06d}" for i in range(8)]


def test_meetings_cached_between_pages_are_shown_or_counted(clock, capsys, tmp_path):
    first, _ = _page(capsys, "--limit", "3")
    assert [m["id"] for m in first["meetings"]] == ["m000099", "m000000", "m000001"]
    cache = Cache(tmp_path / "cache.sqlite3")
    # Before the page's end (passed: counted), after it (shown), and one removed that
    # was passed already (it moves no later meeting out of the next page).
    cache.upsert(make_meeting(50, account="jitsi").model_copy(
        update={"starts_at": NOW - timedelta(days=1), "ends_at": None}))
    cache.upsert(make_meeting(51, account="jitsi").model_copy(
        update={"starts_at": NOW.replace(hour=3, minute=3), "ends_at": None}))
    cache.delete("jitsi", "m000000")
    cache.close()
    second, err = _page(capsys, "--limit", "3", "--after", first["next_after"])
    assert [m["id"] for m in second["meetings"]] == ["m000051", "m000002", "m000003"]
    assert second["added_before"] == 1
    assert err.startswith("meettui: 1 meeting was cached since the page before, earlier in "
                          "the list than this page (not shown); list again without --after "
                          "to see them\nmeettui: 4–6 of 10 meetings shown; next page: ")
    # The next page says nothing more of it: it was said once.
    third, err = _page(capsys, "--limit", "3", "--after", second["next_after"])
    assert third["added_before"] == 0 and "cached since" not in err
    assert [m["id"] for m in third["meetings"]] == ["m000004", "m000005", "m000006"]


def test_a_refreshing_list_follows_its_pages_too(clock, capsys, tmp_path):
    # Without --offline each page syncs first; the built-in account's meetings are
    # this machine's own, so the rows stay, and the token still continues them.
    code, out, _ = run_cli(capsys, "list", "-a", "jitsi", "--json", "--upcoming", "--limit",
                           "5")
    data = json.loads(out)
    assert code == EXIT_OK and len(data["meetings"]) == 5
    clock.advance(600)
    code, out, _ = run_cli(capsys, "list", "-a", "jitsi", "--json", "--upcoming", "--limit",
                           "5", "--after", data["next_after"])
    assert [m["id"] for m in json.loads(out)["meetings"]] == ["m000005", "m000006",
                                                             "m000007"]


@pytest.mark.parametrize("bad", ["", "xyz", "a1.", "a1.bm90IGpzb24", "a1.WzEsMiwzXQ"])
def test_a_token_the_list_never_gave_is_a_usage_error(clock, capsys, bad):
    with pytest.raises(SystemExit) as caught:
        main(["list", "--offline", "--after", bad])
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE
    assert "is not a continuation a list answer gave (copy `next_after` from the previous " \
           "answer whole)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("offset", ["3", "0"])
def test_after_and_offset_are_one_or_the_other(clock, capsys, offset):
    # `--offset 0` was taken with --after (argparse saw its default, 0, as no --offset).
    first, _ = _page(capsys, "--limit", "3")
    for argv in (["--offset", offset, "--after", first["next_after"]],
                 ["--after", first["next_after"], "--offset", offset]):
        with pytest.raises(SystemExit) as caught:
            main(["list", "--offline", *argv])
        assert caught.value.code == EXIT_USAGE
        assert "not allowed with argument --" in capsys.readouterr().err


def _refused(capsys, *argv: str) -> str:
    try:
        code, out, err = run_cli(capsys, "list", "--offline", "--json", *argv)
    except SystemExit as stopped:  # (argparse's refusal of the --after value)
        code, (out, err) = stopped.code, capsys.readouterr()
    assert code == EXIT_USAGE and out == "", err
    assert "Traceback" not in err and "bug" not in err
    return err


def test_a_token_continues_only_the_walk_it_came_from(clock, capsys, tmp_path):
    # A token of one walk was taken by another: counts of two walks mixed, a plain
    # token with --upcoming ignored it, an upcoming one without it still paged upcoming.
    (tmp_path / "config.toml").write_text('[[accounts]]\nname = "work"\nprovider = "jitsi"\n')
    upcoming, _ = _page(capsys, "-a", "jitsi", "--upcoming", "--limit", "3")
    plain, _ = _page(capsys, "-a", "jitsi", "--limit", "3")
    tail = (": give the flags of the list that gave it (as its `next page:` command does), "
            "or list again without --after\n")
    assert _refused(capsys, "-a", "work", "--upcoming", "--limit", "3", "--after",
                    upcoming["next_after"]) == \
        "meettui: --after: the token continues a list of other accounts (--account)" + tail
    assert _refused(capsys, "--upcoming", "--limit", "3", "--after",
                    upcoming["next_after"]) == \
        "meettui: --after: the token continues a list of other accounts (--account)" + tail
    assert _refused(capsys, "-a", "jitsi", "--limit", "3", "--after",
                    upcoming["next_after"]) == \
        "meettui: --after: the token continues a list with --upcoming" + tail
    assert _refused(capsys, "-a", "jitsi", "--upcoming", "--limit", "3", "--after",
                    plain["next_after"]) == \
        "meettui: --after: the token continues a list without --upcoming" + tail
    assert _refused(capsys, "-a", "jitsi", "-q", "meeting", "--limit", "3", "--after",
                    plain["next_after"]) == \
        "meettui: --after: the token continues a list with another --query" + tail
    assert _refused(capsys, "-a", "work", "-q", "x", "--limit", "3", "--after",
                    upcoming["next_after"]) == (
        "meettui: --after: the token continues a list of other accounts (--account) and "
        "with another --query and with --upcoming" + tail)
    # The same flags (the limit is no part of the walk) continue it.
    same, _ = _page(capsys, "-a", "jitsi", "--limit", "2", "--after", plain["next_after"])
    assert [m["id"] for m in same["meetings"]] == ["m000002", "m000003"]


def _token(data: list, prefix: str = "a2.") -> str:
    import base64

    raw = json.dumps(data).encode()
    return prefix + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _data(token: str) -> list:
    import base64

    body = token[3:]  # (after the layout's prefix)
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@pytest.mark.parametrize("edit", [
    lambda d: d.__setitem__(2, 2 * 10**21),           # a mark past SQLite's integers
    lambda d: d.__setitem__(2, -1),                   # a negative mark
    lambda d: d.__setitem__(2, 1.5),
    lambda d: d.__setitem__(2, True),
    lambda d: d[0].__setitem__(0, float("nan")),       # NaN start
    lambda d: d[0].__setitem__(0, float("inf")),       # 1e400
    lambda d: d[0].__setitem__(0, 10**30),
    lambda d: d[0].__setitem__(0, -1e300),
    lambda d: d[0].__setitem__(1, 5),
    lambda d: d[0].__setitem__(2, "\ud800"),
    lambda d: d.__setitem__(len(d) - 1, ["x", "y", "no"]),
    lambda d: d.append(None),
])
def test_a_hand_edited_token_is_refused_as_not_a_token(clock, capsys, edit):
    first, _ = _page(capsys, "--limit", "3")
    data = _data(first["next_after"])
    edit(data)
    token = _token(data, first["next_after"][:3]).replace("Infinity", "1e400")
    err = _refused(capsys, "--limit", "3", "--after", token)
    assert "is not a continuation a list answer gave" in err


def test_an_empty_page_after_a_token_says_it_in_after_terms(clock, capsys, tmp_path):
    first, _ = _page(capsys, "--limit", "8")
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.delete("jitsi", "m000007")  # the one meeting after the page: gone
    cache.close()
    code, out, err = run_cli(capsys, "list", "--offline", "--json", "--limit", "8",
                             "--after", first["next_after"])
    assert code == EXIT_OK and json.loads(out)["meetings"] == []
    assert err == ("meettui: none of 8 meetings shown: nothing after that page, the "
                   "meetings it ended with are the last\n")
    assert "--offset" not in err


def test_the_mcp_list_follows_next_after_while_the_clock_moves(tmp_path):
    cache = Cache(tmp_path / "cache.sqlite3")
    for meeting in _meetings():
        cache.upsert(meeting)
    clock = FixedClock(NOW)
    service = MeetingService(config=load_config(tmp_path / "none.toml"), cache=cache,
                             clock=clock)
    tools = AgentTools(service)

    async def walk() -> list[str]:
        page = await tools.list_meetings(ListMeetingsInput(upcoming=True, limit=3,
                                                           offline=True))
        ids = [m.id for m in page.meetings]
        while page.next_after is not None:
            clock.advance(96)
            page = await tools.list_meetings(ListMeetingsInput(
                upcoming=True, limit=3, offline=True, after=page.next_after))
            assert page.added_before == 0
            ids += [m.id for m in page.meetings]
        return ids

    async def refusals() -> list[str]:
        said = []
        first = await tools.list_meetings(ListMeetingsInput(limit=3, offline=True))
        for arguments in ({"after": "nonsense"}, {"after": "a1.WzEsMiwzXQ", "offset": 2},
                          {"after": first.next_after, "offset": 0},
                          {"after": first.next_after, "upcoming": True},
                          {"after": first.next_after, "account": "jitsi", "query": "x"},
                          {"after": _token([[1, "jitsi", "m"], None, 2 * 10**21,
                                            _data(first.next_after)[3]])}):
            try:
                await tools.list_meetings(ListMeetingsInput(offline=True, **arguments))
            except Refused as exc:
                said.append(str(exc))
        return said

    try:
        assert asyncio.run(walk()) == [f"m{i:06d}" for i in range(8)]
        assert asyncio.run(refusals()) == [
            "after: 'nonsense' is not a continuation a list answer gave (copy `next_after` "
            "from the previous answer whole); nothing was listed.",
            "Give either offset or after, not both: after continues where the previous "
            "page ended.",
            "Give either offset or after, not both: after continues where the previous "
            "page ended.",
            "after: the token continues a list without upcoming: true: give the arguments of "
            "the call that gave it, or call again without after; nothing was listed.",
            "after: the token continues a list with another query: give the arguments of "
            "the call that gave it, or call again without after; nothing was listed.",
            "after: 'a2.W1sxLCAiaml0c2kiLCAibSJdLCBudWxsLCAyM' is not a continuation a list "
            "answer gave (copy `next_after` from the previous answer whole); nothing was "
            "listed."]
    finally:
        asyncio.run(service.aclose())
        cache.close()
