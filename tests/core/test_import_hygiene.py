"""The layers at run time: what each part of meettui drags in when imported. The static
contracts are in pyproject.toml (import-linter, run in CI); these check what actually
loads, for every registered provider, so a new one is checked without editing this."""

import json
import os
import subprocess
import sys

import pytest

from factories import make_meeting
from meettui.cli.command_index import COMMANDS
from meettui.core.cache import Cache
from meettui.core.registry import provider_class, provider_kinds, provider_verbs
from meettui.simulators.registry import simulator_kinds


def loaded_after(code: str) -> set[str]:
    """Top-level packages and meettui modules loaded by running `code` in a fresh process."""
    script = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60)
    return set(out.stdout.split())


def foreign(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages)


def test_headless_layers_do_not_import_textual():
    modules = loaded_after(
        "import meettui.core.cache, meettui.core.config, meettui.core.service, "
        "meettui.core.http, meettui.core.models, meettui.core.auth, meettui.core.paging\n"
        "import meettui.core.auth_oauth, meettui.core.auth_jwt\n"
        "import meettui.cli, meettui.bootstrap, meettui.demo\n"
        "meettui.cli.build_parser()\n"
    )
    assert foreign(modules, "textual") == []


def test_core_loads_no_provider_simulator_or_ui():
    modules = loaded_after("import meettui.core.service, meettui.core.config\n"
                           "meettui.core.config.load_config(__import__('pathlib').Path('/nonexistent'))\n")
    assert [m for m in modules if m.startswith(("meettui.providers.", "meettui.simulators.",
                                                "meettui.tui", "meettui.cli"))] == []
    assert foreign(modules, "textual", "starlette", "uvicorn") == []


@pytest.mark.parametrize("kind", provider_kinds())
def test_each_provider_client_is_headless(kind):
    modules = loaded_after(
        f"from meettui.core.registry import provider_class\nprovider_class({kind!r})\n")
    assert foreign(modules, "textual", "starlette", "uvicorn") == []
    assert [m for m in modules if m.startswith(("meettui.simulators", "meettui.tui",
                                                "meettui.cli", "meettui.demo"))] == []


@pytest.mark.parametrize("kind", simulator_kinds())
def test_each_simulator_uses_nothing_of_meettui_but_the_clock(kind):
    modules = loaded_after(f"from meettui.simulators.registry import build\nbuild({kind!r})\n")
    ours = {m for m in modules if m.startswith("meettui")}
    outside = sorted(m for m in ours if not m.startswith("meettui.simulators")
                     and m not in ("meettui", "meettui.core", "meettui.core.clock"))
    assert outside == []
    assert foreign(modules, "textual") == []


def test_every_registered_provider_with_an_api_has_a_simulator():
    from meettui.core.registry import provider_class

    remote = {k for k in provider_kinds() if provider_class(k).capabilities.remote_list}
    assert remote <= set(simulator_kinds())


def test_version_loads_no_heavy_library():
    # `meettui --version` answers before the parser loads the commands (and with them
    # pydantic, httpx, qrcode and the providers).
    modules = loaded_after("from meettui.cli import main\nmain(['--version'])\n")
    assert foreign(modules, "pydantic", "httpx", "qrcode", "textual", "rich", "starlette",
                   "uvicorn") == []


# What an offline command must not load: the network stack (httpx, whose own CLI brings
# rich, click and pygments), the QR drawing (qrcode, PIL) and the app (textual).
NOT_OFFLINE = ("httpx", "httpcore", "rich", "click", "pygments", "qrcode", "PIL",
               "textual", "starlette", "uvicorn")


def command_loads(tmp_path, *argv: str) -> tuple[set[str], str]:
    """Run the real `meettui ARGV` in a child process against the config, cache and log
    in `tmp_path`: (every module it imported, read from `-X importtime`; its stdout).
    Fails when the command does."""
    env = {**os.environ, "MEETTUI_CONFIG": str(tmp_path / "config.toml"),
           "MEETTUI_CACHE": str(tmp_path / "cache.sqlite3"),
           "MEETTUI_LOG": str(tmp_path / "meettui.log")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "meettui", *argv],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:") and not line.endswith("| imported package")}
    assert "meettui.cli" in modules  # the parse found the imports at all
    return modules, done.stdout


@pytest.fixture
def cached_account(tmp_path):
    """A configured Whereby account (its key in an unset variable: never needed) with
    one cached meeting."""
    (tmp_path / "config.toml").write_text(
        'builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
        'secret_env = "MEETTUI_TEST_UNSET_KEY"\n')
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.upsert(make_meeting(1, account="wb"))
    cache.close()
    return tmp_path


def test_help_loads_no_model_network_or_qr_library(tmp_path, monkeypatch):
    # The parser, every provider's verbs included, is built from plain data.
    modules, out = command_loads(tmp_path, "--help")
    assert "host" in out and "cancel" in out  # the providers' verbs are listed
    assert foreign(modules, "pydantic", "pydantic_core", *NOT_OFFLINE) == []
    # Nor `dataclasses` and the `inspect` it loads (~5 ms of ~45: a dataclass in
    # core/errors.py, which every command imports, made `--help` slower than the
    # benchmark's reference).
    assert foreign(modules, "dataclasses", "inspect") == []
    # Nor any command's module: each builds its parser only when it is the command
    # given (cli/command_index.py), which cost `--help` a quarter of its time. (Read
    # from sys.modules: -X importtime does not see `importlib.import_module`.)
    listed = {f"meettui.cli.{module}" for module, _ in COMMANDS}
    assert sorted(listed & _loaded_by_main(tmp_path, monkeypatch, "--help")) == []


def test_a_command_builds_its_own_module_only(tmp_path, monkeypatch):
    modules = _loaded_by_main(tmp_path, monkeypatch, "locate", "cache")
    assert "meettui.cli.locate" in modules
    assert "meettui.cli.meetings" not in modules and "meettui.cli.qr" not in modules


def _loaded_by_main(tmp_path, monkeypatch, *argv: str) -> set[str]:
    """The modules loaded by `meettui.cli.main(ARGV)` in a fresh process (its output
    dropped), with meettui's files in `tmp_path`."""
    for name, file in (("CONFIG", "config.toml"), ("CACHE", "cache.sqlite3"),
                       ("LOG", "meettui.log")):
        monkeypatch.setenv(f"MEETTUI_{name}", str(tmp_path / file))
    return loaded_after(
        "import contextlib, io\nfrom meettui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        main({list(argv)!r})\n    except SystemExit:\n        pass\n")


def test_list_offline_loads_no_network_qr_or_app_library(cached_account):
    modules, out = command_loads(cached_account, "list", "--offline", "--json")
    assert [m["id"] for m in json.loads(out)["meetings"]] == ["m000001"]
    assert foreign(modules, *NOT_OFFLINE) == []


def test_list_offline_json_takes_the_quick_path_without_models_or_event_loop(cached_account):
    # `cli/quick_list.py` (issue #16): the config and the cache read without pydantic,
    # no asyncio (no service), and no logging.handlers (the log is set up only when the
    # full path runs). Its output equals the full path's: tests/core/test_quick_list.py.
    for argv in (["list", "--offline", "--json"], ["list", "--offline", "--reveal"],
                 ["list", "--offline", "--json", "--account", "wb", "--limit", "5"]):
        modules, out = command_loads(cached_account, *argv)
        assert [m["id"] for m in json.loads(out)["meetings"]] == ["m000001"]
        assert foreign(modules, "pydantic", "pydantic_core", "asyncio", "platformdirs",
                       *NOT_OFFLINE) == []
        assert "logging.handlers" not in modules and "meettui.core.models" not in modules
    assert not (cached_account / "meettui.log").exists()  # nothing was logged


def test_list_offline_json_loads_no_dataclasses_or_hashing_when_no_page_follows(
        cached_account):
    # `dataclasses` (with the `inspect` it loads), hashlib and base64 were ~15 ms of the
    # quick list's ~100: its queries and continuations are named tuples, and a
    # continuation's digests are made only when a page follows.
    modules, out = command_loads(cached_account, "list", "--offline", "--json")
    assert json.loads(out)["next_after"] is None
    assert foreign(modules, "dataclasses", "inspect", "hashlib", "base64") == []


def test_list_offline_falls_back_to_the_full_path_when_the_quick_one_is_unsure(
        cached_account):
    # A filter is the full path's (the full-text index, statuses): it loads the models.
    modules, out = command_loads(cached_account, "list", "--offline", "--json", "-q", "1")
    assert [m["id"] for m in json.loads(out)["meetings"]] == ["m000001"]
    assert "pydantic" in modules


def test_show_without_refresh_loads_no_network_library(cached_account):
    modules, out = command_loads(cached_account, "show", "m000001", "--json")
    assert json.loads(out)["id"] == "m000001"
    assert foreign(modules, *NOT_OFFLINE) == []


@pytest.mark.parametrize("kind", provider_kinds())
def test_each_providers_verbs_are_the_aliases_of_its_actions(kind):
    # The CLI's parser reads `verbs.py`; the service runs `capabilities.actions`: a verb
    # declared in one place only would be missing from the command line or refused.
    declared = {(v.action, v.dangerous, alias) for v in provider_verbs(kind)
                for alias in v.aliases}
    offered = {(spec.name, spec.dangerous, alias)
               for spec in provider_class(kind).capabilities.actions for alias in spec.aliases}
    assert declared == offered
