"""Whereby from the command line: the demo account (in-process simulator) and
`meettui simulate whereby` serving a real socket for a configured account."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK, EXIT_USAGE
from meettui.demo import DEMO_SEED
from meettui.simulators.registry import build, demo_spec


@pytest.fixture
def env(tmp_path, monkeypatch):
    # No config file at all: the app runs on its demo accounts.
    return isolate_paths(monkeypatch, tmp_path, tmp_path / "missing" / "config.toml")


def run(capsys, *argv):
    return run_cli(capsys, *argv)


def test_the_demo_lists_every_seeded_whereby_meeting(env, capsys):
    seeded = build("whereby", seed=DEMO_SEED, meetings=demo_spec("whereby").meetings)
    expected = seeded.info()["meetings"]
    assert expected == 300

    code, out, err = run(capsys, "list", "--account", "whereby-demo", "--json")
    assert code == EXIT_OK, err
    meetings = json.loads(out)["meetings"]
    assert len(meetings) == expected
    assert len({m["id"] for m in meetings}) == expected  # six pages, each row once
    first = meetings[0]
    host = next(lk for lk in first["links"] if lk["role"] == "host")
    guest = next(lk for lk in first["links"] if lk["role"] == "guest")
    assert host["sensitive"] and "roomKey" not in host["url"] and "••" in host["url"]
    assert guest["url"].startswith("https://") and not guest["sensitive"]

    code, out, _ = run(capsys, "accounts", "--json")
    assert code == EXIT_OK
    demo = {a["name"]: a for a in json.loads(out)["accounts"]}["whereby-demo"]
    assert demo["demo"] is True and demo["provider"] == "whereby"
    assert demo["display_name"] == "Whereby Embedded"
    assert demo["cached"] == expected and demo["complete"] is True
    assert demo["health"] == "ok"


def test_demo_create_show_masks_the_host_link_unless_revealed(env, capsys, monkeypatch):
    code, out, err = run(capsys, "create", "--account", "whereby-demo", "--end", "+1h",
                         "-o", "roomMode=group", "--json")
    assert code == EXIT_OK, err
    created = json.loads(out)
    assert created["capacity"] == 200 and created["details"]["Room mode"].startswith("group")
    assert created["title"] == created["details"]["Room"]  # no title given: the room name
    room = created["id"]

    _, out, _ = run(capsys, "show", room, "--json")
    host = next(lk for lk in json.loads(out)["links"] if lk["role"] == "host")
    assert "roomKey" not in host["url"]
    _, out, _ = run(capsys, "show", room, "--reveal", "--json")
    host = next(lk for lk in json.loads(out)["links"] if lk["role"] == "host")
    assert "?roomKey=" in host["url"]

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # text output, as on a terminal
    code, out, _ = run(capsys, "show", room)
    assert code == EXIT_OK
    host_line = next(ln for ln in out.splitlines() if ln.strip().startswith("host "))
    assert "?roomKey=" not in host_line and "••" in host_line
    assert "host links masked; --reveal shows them" in out


def test_demo_edit_recreates(env, capsys):
    # A seeded room: each run's demo simulator starts from the seed, so a room created
    # in an earlier run is gone upstream (its edit is refused, as for any provider).
    _, out, _ = run(capsys, "list", "-a", "whereby-demo", "--json")
    old = next(m for m in json.loads(out)["meetings"]
               if m["title"] and m["status"] == "live")
    code, out, err = run(capsys, "edit", old["id"], "--end", "+3h", "--yes", "--json")
    assert code == EXIT_OK, err
    new = json.loads(out)
    assert new["id"] != old["id"] and new["title"] == old["title"]
    assert new["replaced_id"] == old["id"] and "warning" not in new
    # The old id points to the meeting that replaced it ("No cached meeting" said
    # nothing of the edit that made it go).
    code, _, err = run(capsys, "show", old["id"])
    assert code != EXIT_OK and "No cached meeting" not in err
    head, hint = err.splitlines()
    assert head.startswith(f"meettui: Meeting {old['id']!r} was replaced by {new['id']} on ")
    assert head.endswith(" (in whereby-demo): its provider could not edit it in place, so "
                         "the edit made a new meeting, with new links.")
    assert hint == f"  Use {new['id']} (`meettui show {new['id']}`)."
    # Its short forms too: a prefix, and the list's `…` form ("No cached meeting").
    for short in (old["id"][:8], old["id"][:10] + "…"):
        code, _, err = run(capsys, "show", short)
        assert code != EXIT_OK and err.splitlines()[0] == head, short
    code, _, err = run(capsys, "edit", old["id"], "--title", "Again", "--yes")
    assert code != EXIT_OK and f"was replaced by {new['id']}" in err


def test_the_question_before_a_replacing_edit_names_the_meeting(env, capsys):
    # It asked "whereby-demo cannot edit in place: meettui will create a new meeting and
    # delete this one, …": this one of which?
    _, out, _ = run(capsys, "list", "-a", "whereby-demo", "--json")
    old = next(m for m in json.loads(out)["meetings"]
               if m["title"] and m["status"] == "live")
    code, _, err = run(capsys, "edit", old["id"], "--end", "+3h")  # no terminal to ask
    assert code == EXIT_USAGE
    assert (f"meettui will create a new meeting and delete '{old['title']}' ({old['id']}), "
            "and every link will change. Go ahead?") in err


def test_an_edit_asking_for_no_change_is_refused_and_the_room_kept(env, capsys):
    # It used to recreate the room: a new id and links, the old room deleted.
    _, out, _ = run(capsys, "create", "-a", "whereby-demo", "-t", "Keep me", "--end", "+1h",
                    "--json")
    room = json.loads(out)
    for extra, said in (([], "Nothing to change: give --title, --start, --end or "
                              "-o NAME=VALUE."),
                        # It said "give --title" to a --title that was given, empty.
                        (["--title", ""], "Nothing to change: --title is empty, and an "
                         "empty title keeps the one the meeting has; give a title, --start, "
                         "--end or -o NAME=VALUE."),
                        (["--title", "  "], "Nothing to change: --title is empty")):
        code, out, err = run(capsys, "edit", room["id"], *extra, "--yes", "--json")
        assert code == EXIT_USAGE and out == ""
        assert err.startswith(f"meettui: {said}")
    code, out, err = run(capsys, "show", room["id"], "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["links"] == room["links"]


def test_create_without_an_end_is_a_clear_error(env, capsys):
    code, _, err = run(capsys, "create", "-a", "whereby-demo", "-t", "No end")
    assert code != EXIT_OK
    assert "needs an end time" in err and "Traceback" not in err
    # Said as the flag to give: "Correct the value and submit again" is the form's,
    # and no value had been given.
    assert err.endswith("\n  Give --end as the message says, and run the command again.\n")


def test_an_option_refused_names_its_flag(env, capsys):
    code, _, err = run(capsys, "create", "-a", "whereby-demo", "-t", "Huge", "--end", "+1h",
                       "-o", "roomMode=huge")
    assert code != EXIT_OK
    assert err.endswith("\n  Give -o roomMode=… as the message says, and run the command "
                        "again.\n")


def test_an_object_option_is_given_as_its_json(env, capsys):
    # `recording`, `liveTranscription` and `streaming` are objects: the error named them
    # among the options "it takes", yet a value from -o (text) was always refused.
    recording = {"type": "local", "destination": {"provider": "whereby"},
                 "startTrigger": "prompt"}
    code, out, err = run(capsys, "create", "-a", "whereby-demo", "-t", "Rec", "--end", "+1h",
                         "-o", f"recording={json.dumps(recording)}", "--json")
    assert code == EXIT_OK, err
    code, out, err = run(capsys, "create", "-a", "whereby-demo", "-t", "Rec", "--end", "+1h",
                         "-o", "streaming=yes")
    assert code != EXIT_OK
    assert "streaming must be a JSON object, as -o streaming='{" in err


# -- meettui simulate -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(proc: subprocess.Popen, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"simulator exited early ({proc.returncode}): "
                                 f"{proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)  # polling interval, not a guess at readiness
    raise AssertionError(f"nothing listening on port {port} after {timeout} s")


def test_simulate_serves_a_configured_account(tmp_path):
    port, key = free_port(), "sim-cli-key-5e8d2a"
    child_env = {**os.environ, "PYTHONUNBUFFERED": "1",
                 "MEETTUI_LOG": str(tmp_path / "server.log")}
    server = subprocess.Popen(
        [sys.executable, "-m", "meettui", "simulate", "whereby", "--port", str(port),
         "--api-key", key, "--meetings", "37", "--seed", "4", "--rate-limit", "5000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env,
    )
    try:
        wait_until_listening(server, port)
        info = httpx.get(f"http://127.0.0.1:{port}/_sim").json()
        assert info["meetings"] == 37 and info["rate_limit"] == 5000

        config = tmp_path / "config.toml"
        config.write_text(
            "[[accounts]]\n"
            'name = "wb"\n'
            'provider = "whereby"\n'
            f'base_url = "http://127.0.0.1:{port}/v1"\n'
            'secret_env = "MEETTUI_TEST_WB_KEY"\n'
        )
        client_env = {**child_env, "MEETTUI_CONFIG": str(config),
                      "MEETTUI_CACHE": str(tmp_path / "cache.sqlite3"),
                      "MEETTUI_LOG": str(tmp_path / "client.log"),
                      "MEETTUI_TEST_WB_KEY": key}
        listed = subprocess.run(
            [sys.executable, "-m", "meettui", "list", "--account", "wb", "--json"],
            capture_output=True, text=True, env=client_env, timeout=60,
        )
        assert listed.returncode == 0, listed.stderr
        meetings = json.loads(listed.stdout)["meetings"]
        assert len(meetings) == 37 and {m["account"] for m in meetings} == {"wb"}

        wrong = subprocess.run(
            [sys.executable, "-m", "meettui", "list", "--account", "wb", "--json"],
            capture_output=True, text=True, timeout=60,
            env={**client_env, "MEETTUI_TEST_WB_KEY": "not-the-key-123"},
        )
        assert wrong.returncode == 1 and "401" in wrong.stderr
        assert key not in wrong.stderr and "not-the-key-123" not in wrong.stderr
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        out, err = server.communicate()
    assert f"http://127.0.0.1:{port}/v1" in out and key in out
    assert "Traceback" not in err


def test_simulate_rejects_bad_settings(tmp_path):
    env = {**os.environ, "MEETTUI_LOG": str(tmp_path / "log")}

    def simulate(*args):
        return subprocess.run([sys.executable, "-m", "meettui", "simulate", *args],
                              capture_output=True, text=True, env=env, timeout=60)

    unknown = simulate("nosuch")
    assert unknown.returncode == 2 and "available: " in unknown.stderr
    rates = simulate("whereby", "--error-rate", "0.7", "--drop-rate", "0.5")
    assert rates.returncode == 2 and "more than 1" in rates.stderr
    share = simulate("whereby", "--malformed-rate", "2")
    assert share.returncode == 2 and "between 0 and 1" in share.stderr


def test_demo_runs_never_hand_out_the_same_new_id_twice(env, capsys):
    # Each command runs its own in-process simulator; the cache outlives them all.
    ids = []
    for title in ("First", "Second"):
        _, out, _ = run(capsys, "create", "-a", "whereby-demo", "-t", title, "--end", "+1h",
                        "--json")
        ids.append(json.loads(out)["id"])
    assert ids[0] != ids[1]
    for room, title in zip(ids, ("First", "Second"), strict=True):
        _, out, _ = run(capsys, "show", room, "--json")
        assert json.loads(out)["title"] == title


def test_the_whereby_client_and_simulate_command_stay_headless_and_lean():
    code = (
        "import sys\n"
        "import meettui.cli, meettui.cli.simulate, meettui.providers.whereby\n"
        "meettui.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'starlette', 'uvicorn'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout}"


def test_a_start_the_room_does_not_keep_is_said(env, capsys):
    # `create --start +1d --end +1h` made a room live now, and said nothing: Whereby
    # opens a room when it is made (the start only counts the relative end).
    code, out, err = run(capsys, "create", "--account", "whereby-demo", "--title", "Board",
                         "--start", "+1d", "--end", "+1h", "--json")
    assert code == EXIT_OK
    made = json.loads(out)
    assert made["status"] == "live"
    assert err.startswith("meettui: whereby-demo: the meeting starts ")
    assert "not at the --start given" in err and "keeps no start time" in err
    # A script reads it in the JSON too.
    assert made["start_note"] == err.removeprefix("meettui: ").rstrip("\n")
    # A start that is kept (now, within the slack) says nothing.
    code, out, err = run(capsys, "create", "--account", "whereby-demo", "--title", "Now",
                         "--start", "+0m", "--end", "+1h", "--json")
    assert code == EXIT_OK and err == "" and "start_note" not in json.loads(out)
