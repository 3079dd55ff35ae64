"""The tests run apart from the user who runs them: no MEETTUI_* variable of the shell and
no file under the real home (config, cache, log, themes) reaches a test.

A broken theme file in ~/.local/share/meettui/themes, or $MEETTUI_THEMES set in the shell,
added a "Some theme files could not be read" warning that failed the tests counting the
app's notices."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from cli_helpers import simulator_process
from meettui.core.paths import cache_path, config_path, log_path, user_themes_path

PATH_VARIABLES = {"MEETTUI_CONFIG": config_path, "MEETTUI_CACHE": cache_path,
                  "MEETTUI_LOG": log_path, "MEETTUI_THEMES": user_themes_path}


def meettui_variables() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name.startswith("MEETTUI_")}


@pytest.fixture(scope="module")
def seen_by_module_fixtures() -> dict[str, str]:
    """The MEETTUI_* variables as a module fixture sees them (the simulators' child
    processes started there inherit them)."""
    return meettui_variables()


def test_every_meettui_path_is_in_the_test_s_tmp_path(tmp_path):
    assert set(meettui_variables()) == set(PATH_VARIABLES)
    for path_of in PATH_VARIABLES.values():
        assert path_of().is_relative_to(tmp_path), path_of


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="platformdirs follows the XDG variables on Linux only")
@pytest.mark.parametrize("variable", sorted(PATH_VARIABLES))
def test_without_its_variable_a_path_is_still_in_the_test_s_tmp_path(
        tmp_path, monkeypatch, variable):
    # A test that unsets a variable (to see the platform's default) stays off the home.
    monkeypatch.delenv(variable)
    assert PATH_VARIABLES[variable]().is_relative_to(tmp_path)


def test_module_fixtures_see_no_variable_of_the_shell(seen_by_module_fixtures,
                                                     tmp_path_factory):
    assert set(seen_by_module_fixtures) == set(PATH_VARIABLES)
    base = tmp_path_factory.getbasetemp()
    for value in seen_by_module_fixtures.values():
        assert Path(value).is_relative_to(base)


def test_a_simulator_child_process_leaves_no_folder_behind(tmp_path, monkeypatch):
    # Every `simulator_process` left a meettui-sim-log-* folder in /tmp.
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with simulator_process("whereby", "--port", "0", "--meetings", "1") as printed:
        assert "base URL:" in printed
        assert [folder.name.startswith("meettui-sim-log-") for folder in temp.iterdir()] == [True]
    assert list(temp.iterdir()) == []
