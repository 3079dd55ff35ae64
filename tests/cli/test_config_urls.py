"""A URL setting of an account (`base_url`; an eyeson `app_url`, an Accelevents
`portal_url`) that is no http:// or https:// address is refused when the config loads,
as every other config error is: one paragraph naming the file, the line and the account,
exit 1, never a traceback, for every command (the quick `list --offline` too) and the
app. A `base_url = "ftp://…"` was found only when a call was made (the account's health
said "not synced yet" until then), and a link setting made links that open nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK

SCHEME = ("is not an http:// or https:// address (like https://api.example.com): meettui "
          "sends requests and makes links with those only.")

ACCOUNTS = {
    "whereby": 'provider = "whereby"\nsecret_env = "WB_KEY"\n',
    "eyeson": 'provider = "eyeson"\nsecret_env = "EY_KEY"\n',
    "24sessions": 'provider = "24sessions"\nsecret_envs = { client_id = "A", '
                  'client_secret = "B" }\n',
    "vonage": 'provider = "vonage"\n',
    "accelevents": 'provider = "accelevents"\nsecret_env = "AE_KEY"\n',
    "jitsi": 'provider = "jitsi"\n',
}
SETTINGS = {
    "24sessions": 'instance = "acme"\n',
    "vonage": 'application_id = "11111111-2222-3333-4444-555555555555"\n',
    "accelevents": 'eventurl = "summit"\n',
}


def config_text(kind: str, *, base_url: str | None = None,
                setting: str | None = None) -> tuple[str, int]:
    """A config with a good account first and the account `odd` of `kind` second (its
    `base_url` or its settings line `setting`), and the line the odd value is on."""
    lines = ['builtin_jitsi = false', '', '[[accounts]]', 'name = "fine"',
             'provider = "whereby"', 'secret_env = "WB_KEY"',
             'base_url = "https://api.whereby.dev/v1"', '', '[[accounts]]', 'name = "odd"',
             *ACCOUNTS[kind].splitlines()]
    at = 0
    if base_url is not None:
        lines.append(f'base_url = "{base_url}"')
        at = len(lines)
    if kind in SETTINGS or setting is not None:
        lines += ["[accounts.settings]", *SETTINGS.get(kind, "").splitlines()]
        if setting is not None:
            lines.append(setting)
            at = len(lines)
    return "\n".join(lines) + "\n", at


CASES = [
    ("whereby", "ftp://api.whereby.dev/v1", None, "`base_url`", SCHEME),
    ("eyeson", "api.eyeson.team", None, "`base_url`", SCHEME),
    ("24sessions", "https://", None, "`base_url`",
     "is an http(s) address without a host: write it whole, like "
     "https://api.example.com."),
    ("vonage", "https://api-eu.vonage.com:99999/v1/meetings", None, "`base_url`",
     "is not a web address: write an http:// or https:// address."),
    ("accelevents", "file:///etc/passwd", None, "`base_url`", SCHEME),
    ("jitsi", "meet.example.org", None, "`base_url`", SCHEME),
    ("eyeson", None, 'app_url = "javascript:alert(1)"', "`settings.app_url`", SCHEME),
    ("accelevents", None, 'portal_url = "www.accelevents.com"', "`settings.portal_url`",
     SCHEME),
]


@pytest.mark.parametrize(("kind", "base_url", "setting", "key", "said"), CASES)
@pytest.mark.parametrize("command", [["accounts"], ["list", "--offline", "--json"],
                                     ["list", "--text"]])
def test_a_url_setting_that_is_no_web_address_stops_every_command(
        tmp_path, monkeypatch, capsys, kind, base_url, setting, key, said, command):
    text, line = config_text(kind, base_url=base_url, setting=setting)
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    code, out, err = run_cli(capsys, *command)
    assert code == EXIT_ERROR
    assert out == ""
    assert err == (f"meettui: {config}, line {line}: account 'odd': {key}: {said}\n"
                   f"  Change `{key.strip('`').split('.')[-1]}` as described.\n")


@pytest.mark.parametrize("url", ["https://api.whereby.dev/v1", "http://127.0.0.1:8080/v1",
                                 "HTTPS://API.WHEREBY.DEV/v1"])
def test_an_http_or_https_base_url_loads(tmp_path, monkeypatch, capsys, url):
    text, _ = config_text("whereby", base_url=url)
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    code, out, err = run_cli(capsys, "accounts")
    assert code == EXIT_OK and "odd" in out


def test_the_refusal_is_a_paragraph_from_the_command_as_run(tmp_path):
    # As a user runs it: a child process, its stderr whole.
    text, line = config_text("whereby", base_url="ftp://api.whereby.dev/v1")
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "MEETTUI_CONFIG": str(config),
           "MEETTUI_CACHE": str(tmp_path / "cache.sqlite3"),
           "MEETTUI_LOG": str(tmp_path / "meettui.log")}
    done = subprocess.run([sys.executable, "-m", "meettui", "accounts", "--json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == EXIT_ERROR
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(
        f"meettui: {config}, line {line}: account 'odd': `base_url`: is not an http:// "
        "or https:// address")
