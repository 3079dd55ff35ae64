"""A meeting's status is one word wherever a script or an agent reads it: the JSON's
`status` is the status the text shows and `--query status:` matches (the provider's own
is `reported_status`), in `show`, in `list` (the quick offline path too) and in the
schema `meettui schema` prints."""

from __future__ import annotations

import json
import typing
from datetime import UTC, datetime, timedelta

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_OK
from meettui.core.cache import Cache
from meettui.core.contract import MeetingOut
from meettui.core.models import Status
from meettui.core.search import STATUSES


@pytest.fixture
def env(tmp_path, monkeypatch):
    home = isolate_paths(monkeypatch, tmp_path)
    (home / "config.toml").write_text(
        'builtin_jitsi = false\n[[accounts]]\nname = "acc"\nprovider = "jitsi"\n',
        encoding="utf-8")
    now = datetime.now(UTC)
    cache = Cache(home / "cache.sqlite3")
    for i, (start, status) in enumerate([
        (now - timedelta(minutes=10), Status.SCHEDULED),  # started: nobody said live
        (now + timedelta(days=1), Status.SCHEDULED),
        (now + timedelta(days=1), Status.UNKNOWN),
        (now - timedelta(days=2), Status.SCHEDULED),  # its end has passed: ended
        (now + timedelta(days=2), Status.SCHEDULED),  # no longer listed: gone
    ], start=1):
        cache.upsert(make_meeting(i).model_copy(update={
            "starts_at": start, "ends_at": start + timedelta(hours=1), "status": status,
            "provider": "jitsi"}))
    cache.mark_missing("acc", "m000005")
    cache.close()
    return home


EXPECTED = {"m000001": ("started", "scheduled"), "m000002": ("scheduled", "scheduled"),
            "m000003": ("unknown", "unknown"), "m000004": ("ended", "scheduled"),
            "m000005": ("gone", "scheduled")}


def listed(capsys, *argv: str) -> dict:
    code, out, err = run_cli(capsys, "list", "--offline", "--json", *argv)
    assert code == EXIT_OK, err
    return json.loads(out)


def test_the_json_status_is_the_one_the_text_shows_and_the_filter_matches(env, capsys):
    for listing in (listed(capsys), listed(capsys, "--query", "m0000")):  # quick and full
        assert {m["id"]: (m["status"], m["reported_status"])
                for m in listing["meetings"]} == EXPECTED
    for word in STATUSES:
        found = listed(capsys, "--query", f"status:{word}")
        expected = {mid for mid, (shown, _) in EXPECTED.items() if shown == word}
        assert {m["id"] for m in found["meetings"]} == expected, word
        assert {m["status"] for m in found["meetings"]} <= {word}
    code, out, err = run_cli(capsys, "show", "m000001", "--json")
    assert code == EXIT_OK, err
    assert (json.loads(out)["status"], json.loads(out)["reported_status"]) == (
        "started", "scheduled")
    code, out, err = run_cli(capsys, "show", "m000001", "--text")
    assert "status    started" in out


def test_the_schema_names_the_statuses_the_filter_takes(capsys):
    assert typing.get_args(MeetingOut.model_fields["status"].annotation) == STATUSES
    code, out, _ = run_cli(capsys, "schema", "show")
    assert code == EXIT_OK
    schema = json.loads(out)
    assert schema["$id"].startswith("urn:meettui:schema:2:")
    assert schema["properties"]["status"]["enum"] == list(STATUSES)
    assert "reported_status" in MeetingOut.model_fields
