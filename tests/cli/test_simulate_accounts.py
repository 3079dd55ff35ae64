"""`meettui simulate PROVIDER` prints the account to use it with, ready to paste: an
`[[accounts]]` table with the real base URL (once the port is known) and the shell lines
that give its secret. Each simulator is run as a person runs it (a child process), its
account pasted into config.toml as printed and its `export` lines run by bash, then
`meettui list` must read its meetings."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from cli_helpers import base_url_of, isolate_paths, run_cli, simulator_process
from meettui.cli import EXIT_OK
from meettui.simulators.registry import simulator_kinds


def pasted(printed: str) -> tuple[str, list[str]]:
    """The `[[accounts]]` table a simulator printed (up to the blank line after it), and
    its lines for the shell (`export …`)."""
    start = printed.index("[[accounts]]\n")
    table = printed[start:].split("\n\n", 1)[0] + "\n"
    exports = [line for line in printed[start:].splitlines() if line.startswith("export ")]
    return table, exports


def exported(lines: list[str], folder: Path) -> dict[str, str]:
    """What bash sets running each `export NAME=…` line, as pasted into a shell."""
    values = {}
    for line in lines:
        name = re.match(r"export (\w+)=", line)
        assert name is not None, line
        done = subprocess.run(["bash", "-c", f'{line}\nprintf %s "${name[1]}"'], cwd=folder,
                              capture_output=True, text=True, check=True)
        values[name[1]] = done.stdout
    return values


def listed_after_pasting(printed: str, tmp_path, monkeypatch, capsys,
                         key_file: Path | None = None) -> dict:
    table, exports = pasted(printed)
    assert f'base_url = "{base_url_of(printed)}"\n' in table  # the real URL, no stand-in
    if key_file is not None:  # the one line a person completes: which key file
        exports = [line.replace("KEY_FILE", str(key_file)) for line in exports]
    for name, value in exported(exports, tmp_path).items():
        monkeypatch.setenv(name, value)
    config = tmp_path / "config.toml"
    config.write_text("builtin_jitsi = false\n" + table, encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_OK, err
    return json.loads(out)


@pytest.mark.parametrize("kind", simulator_kinds())
def test_every_simulator_prints_an_account_that_works_as_pasted(kind, tmp_path, monkeypatch,
                                                                capsys):
    # Vonage's printed `base_url = "<base URL>"` (refused: not an http:// address) and
    # the others no account at all, though the README promised a base_url line.
    with simulator_process(kind, "--port", "0", "--meetings", "3",
                           env={"TMPDIR": str(tmp_path)}) as printed:
        listed = listed_after_pasting(printed, tmp_path, monkeypatch, capsys)
    assert listed["sync_errors"] == []
    assert {m["account"] for m in listed["meetings"]} == {f"{kind}-sim"}
    assert len(listed["meetings"]) >= 3


def test_a_vonage_simulator_given_a_public_key_says_how_to_give_the_private_key(
        tmp_path, monkeypatch, capsys):
    from meettui.simulators.vonage.keys import generated

    pair = generated()
    public, private = tmp_path / "public.pem", tmp_path / "private.pem"
    public.write_text(pair.public, encoding="utf-8")
    private.write_text(pair.private, encoding="utf-8")
    with simulator_process("vonage", "--port", "0", "--meetings", "3", "--public-key",
                           str(public), env={"TMPDIR": str(tmp_path)}) as printed:
        assert ('# KEY_FILE: the private key (PEM) that matches the public key given '
                '(--public-key)\nexport VONAGE_PRIVATE_KEY="$(cat KEY_FILE)"\n') in printed
        listed = listed_after_pasting(printed, tmp_path, monkeypatch, capsys,
                                      key_file=private)
    assert listed["sync_errors"] == [] and len(listed["meetings"]) == 3


def test_the_account_is_toml_whatever_its_values_hold():
    # A Windows key path's backslashes, a quote: pasted as printed, TOML reads back
    # what was meant.
    import tomllib

    from meettui.simulators.account import SimAccount, SimSecret, snippet

    settings = {"private_key_path": 'C:\\keys\\"old"\x7f.pem', "event_id": 41110,
                "flag": True}
    lines = snippet("24sessions", "http://127.0.0.1:1", SimAccount(
        secrets=(SimSecret("client_id", "S24_ID", "it's"), SimSecret("client_secret",
                                                                   "S24_SECRET", "a b")),
        settings=settings))
    table = "\n".join(lines).split("\n\n")[0]
    [account] = tomllib.loads(table)["accounts"]
    assert account == {"name": "24sessions-sim", "provider": "24sessions",
                       "base_url": "http://127.0.0.1:1",
                       "secret_envs": {"client_id": "S24_ID", "client_secret": "S24_SECRET"},
                       "settings": settings}
    assert lines[-2:] == ["export S24_ID='it'\"'\"'s'", "export S24_SECRET='a b'"]
