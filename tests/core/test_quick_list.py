"""The quick `list --offline --json` (`cli/quick_list.py`, `core/quickconfig.py`,
`core/quicklist.py`) prints exactly what the full path prints, byte for byte, or
declines and lets the full path answer (with its result or message)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

import meettui.cli.meetings as meetings_module
from cli_helpers import isolate_paths
from factories import T0, make_meeting
from meettui.cli import EXIT_OK, main
from meettui.cli.quick_list import quick_list
from meettui.core import quickconfig
from meettui.core.cache import Cache
from meettui.core.cache_schema import SCHEMA_VERSION
from meettui.core.display import _general_json_text, json_text
from meettui.core.models import Link, Meeting, Role, Status
from meettui.core.registry import provider_class, provider_kinds, settings_optional

HOSTILE = ("\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth \x1b[31mred\x1b[0m bell\x07 "
           "\x9b2J line\u2028sep tag\U000e0041 nbsp\u00a0 CJK 会議 emoji 🎉 x\udcffy")


@pytest.fixture
def env(tmp_path, monkeypatch):
    return isolate_paths(monkeypatch, tmp_path)


def both(capsys, monkeypatch, *argv: str) -> tuple[object, tuple[int, str, str]]:
    """Run `meettui ARGV` twice: with the quick path (what it answered: None when it
    declined), then without it; asserts both runs printed and returned the same."""
    answers: list[int | None] = []

    def recording(args):
        answers.append(quick_list(args))
        return answers[-1]

    monkeypatch.setattr(meetings_module, "quick_list", recording)
    quick = (main(list(argv)), *capsys.readouterr())
    monkeypatch.setattr(meetings_module, "quick_list", lambda args: None)
    full = (main(list(argv)), *capsys.readouterr())
    assert quick == full
    assert len(answers) == 1
    return answers[0], full


def taken(capsys, monkeypatch, *argv: str) -> str:
    """The output of `meettui ARGV`, asserting the quick path answered it."""
    answer, (code, out, err) = both(capsys, monkeypatch, *argv)
    assert answer == EXIT_OK and code == EXIT_OK, err
    return out


def declined(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    answer, full = both(capsys, monkeypatch, *argv)
    assert answer is None
    return full


def write_config(env, accounts: list[tuple[str, str]], extra: str = "builtin_jitsi = false\n"):
    text = extra + "".join(f'[[accounts]]\nname = "{n}"\nprovider = "{k}"\n' for n, k in accounts)
    (env / "config.toml").write_text(text, encoding="utf-8")


VARIANTS = [
    ["list", "--offline", "--json"],
    ["list", "--offline", "--json", "--reveal"],
    ["list", "--offline", "--json", "--limit", "3"],
    ["list", "--offline", "--json", "--limit", "1"],
]


# -- the demo's meetings, of every provider --------------------------------------------


def test_the_demos_cache_lists_the_same_bytes(env, capsys, monkeypatch):
    # No config: the demo (not the quick path's) syncs every provider into the cache.
    declined(capsys, monkeypatch, "list", "--offline", "--json")
    assert main(["list", "--json"]) == EXIT_OK
    # Jitsi and imported meetings live only in the cache: made here.
    assert main(["create", "-a", "jitsi", "-t", HOSTILE.replace("\udcff", ""), "--json"]) == 0
    assert main(["import", "https://zoom.us/s/123456789?zak=SECRET", "--offline",
                 "--json"]) == EXIT_OK
    assert main(["import", "https://meet.google.com/abc-defg-hij", "--offline",
                 "-t", "Guest \u202e", "--json"]) == EXIT_OK
    capsys.readouterr()
    cache = Cache(env / "cache.sqlite3")
    names = [row[0] for row in cache._conn.execute(
        "SELECT account FROM meeting_counts WHERE n > 0 ORDER BY account")]
    providers = {row[0] for row in cache._conn.execute("SELECT DISTINCT provider FROM meetings")}
    cache.close()
    assert providers == set(provider_kinds())
    # The demo's accounts, configured as setting-less ones: the rows are the demo's.
    write_config(env, [(name, "jitsi") for name in names])
    for argv in VARIANTS:
        out = taken(capsys, monkeypatch, *argv)
        assert json.loads(out)["meetings"]
    out = taken(capsys, monkeypatch, "list", "--offline", "--json", "--reveal")
    assert "••••••••" not in out
    masked = taken(capsys, monkeypatch, "list", "--offline", "--json")
    assert "••••••••" in masked
    for name in names:
        taken(capsys, monkeypatch, "list", "--offline", "--json", "--account", name)


# -- hostile and unusual rows ------------------------------------------------------------


def hostile_meetings(account: str) -> list[Meeting]:
    return [
        make_meeting(1, account=account, title=HOSTILE,
                     details={"room\u202e": "\x1b]0;x\x07", "pin": "12 34"}),
        make_meeting(2, account=account, title="", capacity=12,
                     expires_at=T0 + timedelta(days=1, microseconds=5)).model_copy(
                         update={"status": Status.LIVE}),
        Meeting(provider="jitsi", account=account, id="r\u202e3 ü", title="naïve — ok",
                links=[Link(role=Role.HOST, url="https://h.example/s?zak=SECRET&x=1",
                            sensitive=True, label="host\u200b", code="123 456"),
                       Link(role=Role.VIEWER, url="no-scheme-token", sensitive=True, code=""),
                       Link(role=Role.ATTENDEE, url="https://a.example/\u00e9"),
                       Link(role=Role.HOST, url="https://h.example/?RUNKEY", sensitive=True,
                            run_started=T0)]),
        make_meeting(4, account=account,
                     raw={"deep": [[{"x": 1.5, "n": None}]], "s": "\u202e"}).model_copy(
            update={"starts_at": datetime(1, 1, 1, tzinfo=UTC),
                    "ends_at": datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)}),
        make_meeting(5, account=account).model_copy(
            update={"status": Status.CANCELLED, "starts_at": None, "ends_at": None}),
    ]


@pytest.fixture
def hostile(env):
    write_config(env, [("acc", "whereby"), ("other", "jitsi")],
                 extra='theme = "x"\ninvitation = "{title} {link}"\n[keymap]\nq = "quit"\n')
    cache = Cache(env / "cache.sqlite3")
    for meeting in hostile_meetings("acc"):
        cache.upsert(meeting)
    cache.upsert(make_meeting(9, account="other"))
    cache.upsert(make_meeting(10, account="not-configured"))
    cache.mark_missing("acc", "m000005")
    cache.close()
    return env


def test_hostile_rows_list_the_same_bytes(hostile, capsys, monkeypatch):
    for argv in VARIANTS:
        taken(capsys, monkeypatch, *argv)
    out = taken(capsys, monkeypatch, "list", "--offline", "--json")
    data = json.loads(out)
    by_id = {m["id"]: m for m in data["meetings"]}
    assert [m["id"] for m in data["meetings"]][-2:] == ["m000005", "r\u202e3 ü"]  # no start
    assert by_id["m000005"]["missing"] is True and by_id["m000001"]["missing"] is False
    assert by_id["m000001"]["title"] == HOSTILE.replace("\udcff", "\ufffd")  # as stored
    assert "SECRET" not in out and "m000010" not in out  # masked; not an account
    assert "RUNKEY" not in out and "run_started" not in out  # a link as `LinkOut` has it
    assert "SECRET" in taken(capsys, monkeypatch, "list", "--offline", "--json", "--reveal")
    taken(capsys, monkeypatch, "list", "--offline", "--json", "-a", "other")


def test_the_built_in_jitsi_and_imported_accounts_are_listed_as_the_full_path_lists_them(
        env, capsys, monkeypatch):
    cache = Cache(env / "cache.sqlite3")
    for i, account in enumerate(("jitsi", "imported", "imported-links", "x")):
        cache.upsert(make_meeting(i, account=account))
    cache.close()
    for config in ([("x", "jitsi")], [("imported", "whereby")], [("jitsi", "eyeson")],
                   [("x", "imported")]):
        for extra in ("", "builtin_jitsi = false\n", "builtin_jitsi = true\n"):
            write_config(env, config, extra)
            taken(capsys, monkeypatch, "list", "--offline", "--json")


# -- what the quick path leaves to the full one ----------------------------------------


def set_payload(env, meeting_id: str, payload: str) -> None:
    conn = sqlite3.connect(env / "cache.sqlite3")
    with conn:
        conn.execute("UPDATE meetings SET payload = ? WHERE id = ?", (payload, meeting_id))
    conn.close()


GOOD = json.loads(make_meeting(1, account="acc").model_dump_json(exclude={"missing"}))


def edited(**changes) -> str:
    return json.dumps({**GOOD, **changes})


@pytest.mark.parametrize("payload", [
    "not json",
    "[1, 2]",
    edited(title="lone \\ud800 escape").replace("\\\\ud800", "\\ud800"),
    edited(starts_at="2026-11-24T10:00:00+01:00"),
    edited(starts_at="2026-11-24T09:00:00.000000Z"),
    edited(starts_at="2026-13-24T09:00:00Z"),
    edited(status="postponed"),
    edited(status=["live"]),
    edited(title=5),
    edited(capacity="5"),
    edited(capacity=True),
    edited(details={"n": 1}),
    edited(links=[{"role": "owner", "url": "https://x"}]),
    edited(links=[{"role": "host", "url": "https://x", "sensitive": "yes"}]),
    edited(links=[{"role": "host"}]),
    edited(links=[{"role": "host", "url": "https://x",
                   "run_started": "2026-11-24T10:00:00+01:00"}]),
    edited(links=[{"role": "host", "url": "https://x", "run_started": 5}]),
    edited(missing=True),
    edited(session_data={"label": "Join", "data": {"token": "t0k"}}),
    edited(kept={"title": 3}),
    edited(raw=[]),
    edited(raw={"x": json.loads("[" * 300 + "]" * 300)}),  # deeper than pydantic reads
    json.dumps({k: v for k, v in GOOD.items() if k != "kept"} | {"local": {"title": "t"}}),
    json.dumps({k: v for k, v in GOOD.items() if k != "id"}),
])
def test_a_payload_it_is_not_sure_of_goes_to_the_full_path(env, capsys, monkeypatch, payload):
    write_config(env, [("acc", "whereby")])
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(make_meeting(1, account="acc"))
    cache.upsert(make_meeting(2, account="acc"))
    cache.close()
    taken(capsys, monkeypatch, "list", "--offline", "--json")
    set_payload(env, "m000001", payload)
    code, out, _ = declined(capsys, monkeypatch, "list", "--offline", "--json")
    assert code == EXIT_OK
    assert "m000002" in out


@pytest.mark.parametrize("config", [
    None,  # no file: the demo
    "",  # no account: the demo
    "builtin_jitsi = true\n",
    "not = [valid\n",
    b"\xff[[accounts]]",
    'colour = "red"\n[[accounts]]\nname = "a"\nprovider = "jitsi"\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\n[[accounts]]\nname = "a"\nprovider = "jitsi"\n',
    '[[accounts]]\nname = "-a"\nprovider = "jitsi"\n',
    '[[accounts]]\nname = "a"\nprovider = "zoom"\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\nread_only = 1\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\ndomian = "x"\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\n[accounts.settings]\ndomain = "meet.example"\n',
    '[[accounts]]\nname = "a"\nprovider = "vonage"\n',
    'invitation = "{nope}"\n[[accounts]]\nname = "a"\nprovider = "jitsi"\n',
    'builtin_jitsi = "no"\n[[accounts]]\nname = "a"\nprovider = "jitsi"\n',
    'is_demo = true\n[[accounts]]\nname = "a"\nprovider = "jitsi"\n',
    # The full path refuses it (config.py's base_url rule), so this one must not list.
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\nbase_url = "https://u:pw@meet.example"\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\nsecret_env = "1 BAD"\n',
    '[[accounts]]\nname = "a"\nprovider = "jitsi"\n[accounts.secret_envs]\nk = "A B"\n',
])
def test_a_config_it_is_not_sure_of_goes_to_the_full_path(env, capsys, monkeypatch, config):
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(make_meeting(1, account="a"))
    cache.close()
    if config is not None:
        (env / "config.toml").write_bytes(config if isinstance(config, bytes)
                                          else config.encode())
    declined(capsys, monkeypatch, "list", "--offline", "--json")


@pytest.mark.parametrize("argv", [
    ["list", "--offline", "--json", "--query", "Meeting"],
    ["list", "--offline", "--json", "--account", "nobody"],
    ["list", "--offline", "--text"],
    ["list", "--json", "--offline", "-q", "status:live"],
])
def test_what_it_does_not_handle_goes_to_the_full_path(env, capsys, monkeypatch, argv):
    write_config(env, [("a", "jitsi")])
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(make_meeting(1, account="a"))
    cache.close()
    declined(capsys, monkeypatch, *argv)


def test_a_cache_it_cannot_read_as_is_goes_to_the_full_path(env, capsys, monkeypatch):
    write_config(env, [("a", "jitsi")])
    path = env / "cache.sqlite3"
    declined(capsys, monkeypatch, "list", "--offline", "--json")  # none yet: it makes one
    cache = Cache(path)
    cache.upsert(make_meeting(1, account="a"))
    cache.close()
    os.chmod(path, 0o644)
    declined(capsys, monkeypatch, "list", "--offline", "--json")  # it tightens it
    assert os.stat(path).st_mode & 0o077 == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    code, _, err = declined(capsys, monkeypatch, "list", "--offline", "--json")
    assert code != EXIT_OK and "newer meettui" in err
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.close()
    taken(capsys, monkeypatch, "list", "--offline", "--json")
    path.write_bytes(b"not a database at all, " * 100)
    os.chmod(path, 0o600)
    # Set aside by the first run (so not compared with a second): the full path's notice.
    answers = []
    monkeypatch.setattr(meetings_module, "quick_list",
                        lambda args: answers.append(quick_list(args)))
    assert main(["list", "--offline", "--json"]) == EXIT_OK
    assert answers == [None]
    assert "moved it to" in capsys.readouterr().err


def test_every_provider_said_to_need_no_settings_takes_an_account_without_them():
    for kind in provider_kinds():
        try:
            provider_class(kind).Settings.model_validate({})
        except ValueError:
            assert not settings_optional(kind), kind
        else:
            assert settings_optional(kind), kind


# -- the JSON text ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    {"a": HOSTILE, "b": [[], {}, [1, None, True, False, -0, 10**30]], "c\u200b": {"d": ""}},
    [1.5, -2.25e-300, 1e300, "x"],
    {"nan": float("nan"), "inf": [float("inf")]},
    {1: "int key", None: "none key"},
    ("tuple", {"nested": ("t",)}),
    {"when": datetime(2026, 1, 1, tzinfo=UTC), "status": Status.LIVE, "role": Role.HOST},
    "just a string \x00\u2029",
    [],
])
def test_json_text_writes_what_json_dumps_with_an_indent_writes(data):
    assert json_text(data) == _general_json_text(data)


# -- a config the full path refuses is never answered -----------------------------------


def test_a_config_every_other_command_refuses_is_refused_here_too(env, capsys, monkeypatch):
    # `secret_env = "1 BAD"`: `list --offline --json` printed the list (exit 0) where
    # `--text` or `--query x` said the config is wrong (exit 1).
    write_config(env, [("a", "jitsi")], extra='builtin_jitsi = false\n')
    (env / "config.toml").write_text((env / "config.toml").read_text()
                                     + 'secret_env = "1 BAD"\n', encoding="utf-8")
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(make_meeting(1, account="a"))
    cache.close()
    for argv in (["--json"], ["--text"], ["--json", "--query", "x"]):
        code, out, err = declined(capsys, monkeypatch, "list", "--offline", *argv)
        assert code == 1 and out == ""
        assert "account 'a': `secret_env`" in err and "environment variable name" in err


ODD_VALUES = ["", " ", "1 BAD", "A B", "x=1", "ok_NAME", "A1", "_", "é", "a\u200b", "\u202e",
              "https://x", "meet.example", "-", "a.b", 0, 1, True, 1.5, [], ["x"], {},
              {"k": "A B"}, {"k": "OK"}, {"k": 1}, {"k": ""}]


def toml_value(value: object) -> str:
    """`value` as a TOML value (JSON's escapes are TOML's for these strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_text(data: dict) -> str:
    head = "".join(f"{k} = {toml_value(v)}\n" for k, v in data.items() if k != "accounts")
    return head + "".join("[[accounts]]\n" + "".join(f"{k} = {toml_value(v)}\n"
                                                     for k, v in table.items())
                          for table in data["accounts"])


@pytest.mark.parametrize("key", sorted({*quickconfig._ACCOUNT, *quickconfig._TOP}
                                       - {"accounts", "name", "provider"}))
def test_every_value_it_takes_the_full_path_takes(env, key):
    # The two readers check each key apart; a value only the quick one took printed a
    # list where every other command said the config is wrong.
    from meettui.core.config import parse_config
    from meettui.core.errors import ConfigError

    for value in ODD_VALUES:
        table = {"name": "a", "provider": "jitsi"}
        data: dict = {"builtin_jitsi": False, "accounts": [table]}
        (table if key in quickconfig._ACCOUNT else data)[key] = value
        path = env / "config.toml"
        path.write_text(toml_text(data), encoding="utf-8")
        if quickconfig.quick_accounts(path, lambda name: 0) is None:
            continue
        try:
            parse_config(path.read_text(encoding="utf-8"), path)
        except ConfigError as exc:
            raise AssertionError(f"{key} = {value!r}: quick took it; {exc.message}") from None
