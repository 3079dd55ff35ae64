"""The layers at run time: what each part of meettui drags in when imported. The static
contracts are in pyproject.toml (import-linter, run in CI); these check what actually
loads, for every registered provider, so a new one is checked without editing this."""

import subprocess
import sys

import pytest

from meettui.core.registry import provider_kinds
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
