"""`meettui import URL`: links of any service kept in the local "imported" account,
listed and shown like any meeting, host links masked, hostile links refused (exit 2),
a link of a meeting meettui manages pointing at that meeting."""

from __future__ import annotations

import json
import sys

import pytest

from cli_helpers import isolate_paths, run_cli, run_cli_json
from meettui.cli import EXIT_OK, EXIT_USAGE

ZOOM = "https://acme-corp.zoom.us/j/96385274100?pwd=aBcD3fGh1JkLmN0pQrStUv"
ZAK = "eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9.c3RhcnRfbGlua19zZWNyZXQ"
ZOOM_START = f"https://acme-corp.zoom.us/s/96385274100?zak={ZAK}"
TEAMS = "https://teams.live.com/meet/9384756123456?p=Ab12Cd34Ef"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def env(tmp_path, monkeypatch):
    # A configured (credential-free) account: no demo accounts beside the imported ones.
    (tmp_path / "config.toml").write_text('[[accounts]]\nname = "desk"\nprovider = "jitsi"\n')
    return isolate_paths(monkeypatch, tmp_path)


@pytest.fixture
def tty(monkeypatch):
    """`tty()`: text output from now on, as on a terminal (called in the test body, when
    sys.stdout is the capture)."""

    def as_terminal() -> None:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setenv("COLUMNS", "120")
        monkeypatch.setenv("LINES", "50")

    return as_terminal


def test_imported_links_are_listed_with_host_links_masked(env, capsys):
    guest = run_cli_json(capsys, (), "import", ZOOM)
    host = run_cli_json(capsys, (ZAK,), "import", ZOOM_START, "--title", "Board (host)",
                        "--start", "2030-01-02T10:00:00+00:00", "--end", "+1h")
    run_cli_json(capsys, (), "import", TEAMS)
    run_cli_json(capsys, (), "import", f"  {MEET}\n")

    assert guest["account"] == host["account"] == "imported"
    assert guest["provider"] == "imported" and guest["title"] == "Zoom meeting 96385274100"
    assert guest["links"] == [{"role": "guest", "url": ZOOM, "label": "Zoom meeting",
                               "sensitive": False, "code": "96385274100"}]
    assert guest["details"]["Passcode"] == "aBcD3fGh1JkLmN0pQrStUv"
    assert host["links"][0]["role"] == "host" and host["links"][0]["sensitive"] is True
    assert host["links"][0]["url"] == "https://acme-corp.zoom.us/••••••••"
    assert host["details"]["Shareable"].startswith("no: a Zoom start link")
    assert host["starts_at"] == "2030-01-02T10:00:00Z" and host["ends_at"] == \
        "2030-01-02T11:00:00Z"

    # A full `list` (a sync of every account) keeps them: they live only in the cache.
    listed = run_cli_json(capsys, (ZAK,), "list")["meetings"]
    by_id = {m["id"]: m for m in listed}
    assert {m["account"] for m in listed} == {"imported"} and len(listed) == 4
    assert by_id[guest["id"]]["links"][0]["url"] == ZOOM
    assert {m["title"] for m in listed} == {
        "Zoom meeting 96385274100", "Board (host)", "Microsoft Teams meeting 9384756123456",
        "Google Meet meeting abc-defg-hij"}

    revealed = run_cli_json(capsys, (), "show", host["id"], "--reveal")
    assert revealed["links"][0]["url"] == ZOOM_START

    accounts = {a["name"]: a for a in run_cli_json(capsys, (), "accounts")["accounts"]}
    assert accounts["imported"]["health"] == "local only" and accounts["imported"]["cached"] == 4


def test_text_output_says_what_was_imported_and_masks_the_host_link(env, capsys, tty):
    tty()
    code, out, err = run_cli(capsys, "import", ZOOM_START)
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].startswith("Imported Zoom start link into imported as zoom-")
    assert "not shareable: a Zoom start link" in lines[0]
    assert ZAK not in out and "zak=" not in out
    host_line = next(ln for ln in lines if ln.strip().startswith("host "))
    assert "https://acme-corp.zoom.us/••••••••" in host_line
    assert "host links masked; --reveal shows them" in out

    run_cli(capsys, "import", MEET, "--title", "Standup")
    code, out, _ = run_cli(capsys, "list", "--offline")
    assert code == EXIT_OK
    rows = [ln for ln in out.splitlines() if "imported" in ln]
    assert len(rows) == 2 and any("Standup" in r for r in rows)
    assert ZAK not in out


def test_importing_a_link_twice_finds_the_first(env, capsys, tty):
    first = run_cli_json(capsys, (), "import", TEAMS)
    tty()
    code, out, err = run_cli(capsys, "import", TEAMS, "--title", "Other title")
    assert code == EXIT_OK, err
    assert out.splitlines()[0] == f"already in imported: {first['id']}"
    again = run_cli_json(capsys, (), "import", TEAMS)
    assert again == first  # JSON gives the existing meeting, unchanged
    assert len(run_cli_json(capsys, (), "list", "--offline")["meetings"]) == 1



@pytest.mark.parametrize("first, variants, other", [
    ("https://teams.live.com/meet/9876543210?p=Abc",
     ("https://teams.live.com/meet/9876543210?p=Abc#x",
      "https://teams.live.com/meet/9876543210/?p=Abc",
      "https://teams.live.com/MEET/9876543210?p=Abc",
      "https://teams.live.com/meet/9876543210?p=Abc&lang=de"),
     "https://teams.live.com/meet/9876543210?p=Xyz"),
    ("https://meet.google.com/abc-defg-hij",
     ("https://meet.google.com/ABC-DEFG-HIJ", "https://meet.google.com/abc-defg-hij/#a"),
     "https://meet.google.com/abc-defg-hik"),
    ("https://example.org/room/x", ("https://example.org/room/x/#a",),
     "https://example.org/room/y"),
])
def test_an_imported_link_told_otherwise_is_the_one_imported_before(env, capsys, first,
                                                                   variants, other):
    # Each variant (a fragment, a trailing "/", other letter case, a parameter more) made
    # a meeting of its own in the imported account, where a managed account's link
    # was found (its id is a digest of the text).
    made = run_cli_json(capsys, (), "import", first)
    for pasted in variants:
        found = run_cli_json(capsys, (), "import", pasted)
        assert found["id"] == made["id"], pasted
    assert run_cli_json(capsys, (), "import", other)["id"] != made["id"]
    assert len(run_cli_json(capsys, (), "list", "--offline")["meetings"]) == 2

def test_a_room_of_a_jitsi_account_points_to_that_meeting(env, capsys):
    made = run_cli_json(capsys, (), "create", "-a", "jitsi", "-t", "Front desk")
    url = made["links"][0]["url"]
    code, out, err = run_cli(capsys, "import", url, "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["id"] == made["id"] and json.loads(out)["account"] == "jitsi"
    assert f"already in jitsi: {made['id']}" in err
    # Nothing was copied: there is no imported account at all.
    assert "imported" not in {a["name"] for a in run_cli_json(capsys, (), "accounts")["accounts"]}



def test_a_jitsi_room_pasted_with_more_to_it_is_the_same_meeting(env, capsys):
    # `…/Room/`, `…/Room#config.startWithAudioMuted=true` and `…/Room?x=1` were
    # copied into the imported account as other meetings.
    made = run_cli_json(capsys, (), "create", "-a", "jitsi", "-t", "Front desk")
    url = made["links"][0]["url"]
    for pasted in (f"{url}/", f"{url}#config.startWithAudioMuted=true", f"{url}?x=1",
                   url.lower()):
        found = run_cli_json(capsys, (), "import", pasted)
        assert (found["account"], found["id"]) == ("jitsi", made["id"]), pasted
    assert "imported" not in {a["name"] for a in run_cli_json(capsys, (), "accounts")["accounts"]}
    # Another room of the same server is not this one.
    other = run_cli_json(capsys, (), "import", url + "Annex")
    assert other["account"] == "imported"

def test_edit_and_delete_are_local_and_say_so(env, capsys, tty):
    made = run_cli_json(capsys, (), "import", MEET)
    edited = run_cli_json(capsys, (), "edit", made["id"], "--title", "Weekly sync", "--yes")
    tty()
    assert edited["title"] == "Weekly sync" and edited["links"] == made["links"]
    # The create form's way in is closed.
    code, _, err = run_cli(capsys, "create", "-a", "imported", "-t", "x")
    assert code != EXIT_OK and "it creates no meetings" in err
    code, out, err = run_cli(capsys, "delete", made["id"], "--yes")
    assert code == EXIT_OK, err
    assert out.strip() == f"local: {made['id']}"
    code, _, err = run_cli(capsys, "show", made["id"])
    assert code != EXIT_OK and "No cached meeting" in err


@pytest.mark.parametrize(("link", "says"), [
    ("javascript:alert(1)", "javascript: links are refused"),
    ("data:text/html,<script>alert(1)</script>", "data: links are refused"),
    ("file:///etc/passwd", "file: links are refused"),
    ("https://bob:hunter2@zoom.us/j/96385274100", "user name or password"),
    ("https://zoom.us/j/9638\u202e5274100", "\\u202e at position"),
    ("https://zoom.us/j/" + "9" * 10_000, "at most 2,048"),
])
def test_hostile_links_are_usage_errors_and_store_nothing(env, capsys, link, says):
    code, out, err = run_cli(capsys, "import", link)
    assert code == EXIT_USAGE
    assert out == "" and says in err and "Traceback" not in err
    assert "hunter2" not in err and "\u202e" not in err
    assert len(err.splitlines()) == 1
    assert run_cli_json(capsys, (), "list", "--offline")["meetings"] == []


def test_an_idn_host_is_stored_and_shown_as_punycode(env, capsys):
    code, out, err = run_cli(capsys, "import", "https://zооm.us/j/96385274100", "--json",
                             "--reveal")
    assert code == EXIT_OK, err
    made = json.loads(out)
    assert made["links"][0]["url"] == "https://xn--zm-fmca.us/j/96385274100"
    assert made["title"] == "Link to xn--zm-fmca.us"
    assert "punycode: xn--zm-fmca.us" in err
    # A look-alike of a known site is kept masked, not offered as a guest link.
    assert (made["links"][0]["role"], made["links"][0]["sensitive"]) == ("host", True)
    assert made["details"]["Shareable"].startswith("no: an internationalised host name")


def test_a_bad_time_is_a_usage_error(env, capsys):
    code, _, err = run_cli(capsys, "import", MEET, "--start", "+2h", "--end",
                           "2000-01-01T00:00")
    assert code == EXIT_USAGE and "--end must be after --start" in err


def test_create_in_the_imported_account_says_how_links_are_added(env, capsys):
    # Was "Account 'imported' cannot create meetings." and nothing more.
    run_cli_json(capsys, (), "import", ZOOM)
    code, _out, err = run_cli(capsys, "create", "-a", "imported", "-t", "x", "--end", "+1h")
    assert code == EXIT_USAGE
    assert err == ("meettui: Account 'imported' holds meeting links pasted in from other "
                   "services; it creates no meetings.\n"
                   "  Add a link with `meettui import URL`.\n")


def test_a_title_too_long_is_said_in_each_front_ends_words(env):
    import contextvars

    from meettui.core.capabilities import Capabilities
    from meettui.core.errors import ValidationError
    from meettui.core.models import MeetingSpec
    from meettui.core.service_checks import check_lengths
    from meettui.core.wording import speak_as

    def hint_as(front: str) -> str | None:
        speak_as(front)  # in a context of its own (copy_context)
        try:
            check_lengths(Capabilities(), MeetingSpec(title="x" * 300))
        except ValidationError as exc:
            return exc.hint
        return None

    hints = {front: contextvars.copy_context().run(hint_as, front)
             for front in ("cli", "mcp", "app")}
    # "Shorten it and submit again.": a form's words, in the CLI and the MCP server.
    assert hints == {"cli": "Shorten it and run the command again.",
                     "mcp": "Shorten it and call the tool again.",
                     "app": "Shorten it and save again."}
