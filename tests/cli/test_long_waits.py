"""A wait a provider asks for is said as people say it: "Try again in 12 min", and a
wait beyond a day as the time it names. `Retry-After: 999999999` (or a date in 2099)
read "Try again in 2300183278 s." in the command line, the app and the agent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cli_helpers import isolate_paths, run_cli
from throttling import throttling_server

KEY = "long-wait-key-31f0"
FAR = "Wed, 21 Oct 2099 07:28:00 GMT"
FAR_ADVICE = ("The provider asks to wait until 2099-10-21 07:28 UTC. Try again later; if it "
              "keeps refusing, ask the provider why.")


def test_waits_read_as_people_say_them():
    from meettui.core.display import wait_text
    from meettui.core.errors import RateLimited, retry_advice
    from meettui.core.http_errors import parse_retry_after

    assert [wait_text(s) for s in (0.2, 17, 89, 600, 3599, 5400, 7300, 86400, 10**9)] == [
        "1 s", "17 s", "89 s", "10 min", "60 min", "1 h 30 min", "2 h 2 min", "24 h",
        "11,574 days"]
    now = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert retry_advice(17, now) == "Try again in 17 s."
    assert retry_advice(3 * 3600, now) == "Try again in 3 h."
    assert retry_advice(86400 * 2, now) == ("The provider asks to wait until 2026-11-26 09:30 "
                                            "UTC. Try again later; if it keeps refusing, ask "
                                            "the provider why.")
    assert retry_advice(float("inf"), now).startswith(
        "The provider asks to wait until a time beyond the calendar.")
    # Numbers that are no wait at all are not taken for one.
    assert parse_retry_after("inf") is None and parse_retry_after("nan") is None
    assert RateLimited("throttled", retry_after=float("inf")).hint.startswith(
        "The provider asks to wait until")


@pytest.fixture
def throttling(request) -> Iterator[str]:
    """A server that answers every request 429 with `Retry-After: <param>`; its URL."""
    with throttling_server(request.param) as url:
        yield url


def account(tmp_path, monkeypatch, base_url: str) -> None:
    (tmp_path / "config.toml").write_text(
        'builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
        f'base_url = "{base_url}"\nsecret_env = "WB_WAIT"\n', encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, tmp_path / "config.toml")
    monkeypatch.setenv("WB_WAIT", KEY)
    monkeypatch.setenv("TZ", "UTC")


@pytest.mark.parametrize("throttling, advice", [
    (FAR, FAR_ADVICE),
    ("999999999", "The provider asks to wait until "),
    ("720", "Try again in 12 min."),
], indirect=["throttling"])
def test_the_command_line_says_a_long_wait_in_words(throttling, advice, tmp_path,
                                                    monkeypatch, capsys):
    account(tmp_path, monkeypatch, throttling)
    code, out, err = run_cli(capsys, "list", "-a", "wb", "--json")
    [failure] = json.loads(out)["sync_errors"]
    said = "wb (whereby): GET /meetings → 429 Too Many Requests. "
    assert failure["message"].startswith(said + advice)
    assert err.startswith(f"meettui: {said}{advice}")
    assert not re.search(r"\d{4,} s\b", out + err)
