"""Options may come anywhere on a command line, between positionals too: `meettui
action ID -a ACCOUNT stop --yes` said "unrecognized arguments: stop" (exit 2), as
argparse took ID and the absent NAME together, while `action ID stop -a …` worked."""

from __future__ import annotations

import json

import pytest

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK

EY_KEY = "options-anywhere-ey-77c2"


@pytest.fixture
def room(tmp_path, monkeypatch, sim_server, capsys) -> str:
    """The id of a running eyeson room (its actions: stop), on the simulator."""
    ey = sim_server("eyeson", meetings=0, rooms=1, api_key=EY_KEY)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[accounts]]\nname = "ey"\nprovider = "eyeson"\nbase_url = "{ey.base_url}"\n'
        'secret_env = "OA_EY"\n', encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("OA_EY", EY_KEY)
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_OK, err
    return str(json.loads(out)["meetings"][0]["id"])


@pytest.mark.parametrize("order", [
    ("{id}", "stop", "-a", "ey", "--yes", "--dry-run", "--json"),
    ("{id}", "-a", "ey", "stop", "--yes", "--dry-run", "--json"),
    ("-a", "ey", "{id}", "--yes", "stop", "--dry-run", "--json"),
    ("--json", "{id}", "--dry-run", "stop", "-a", "ey", "--yes"),
])
def test_an_action_takes_its_options_before_between_and_after_its_words(room, capsys,
                                                                         order):
    code, out, err = run_cli(capsys, "action", *[part.format(id=room) for part in order])
    assert code == EXIT_OK, err
    plan = json.loads(out)
    assert [request["method"] for request in plan["requests"]] == ["DELETE"]


def test_the_list_of_actions_takes_an_option_after_the_id(room, capsys):
    code, out, err = run_cli(capsys, "action", room, "-a", "ey", "--json")
    assert code == EXIT_OK, err
    assert [a["name"] for a in json.loads(out)["actions"]] == ["stop"]


def test_a_word_too_many_is_still_refused(room, capsys):
    with pytest.raises(SystemExit) as refused:
        run_cli(capsys, "action", room, "-a", "ey", "stop", "again")
    assert refused.value.code == 2
    assert "unrecognized arguments: again" in capsys.readouterr().err


@pytest.mark.parametrize("before", [("--dry-run",), ("--yes", "--dry-run"),
                                    ("--json", "--dry-run", "--yes")])
def test_a_switch_before_the_command_is_the_commands(room, capsys, before):
    # `meettui --yes delete ID` said "meettui delete: error: unrecognized arguments:
    # --yes", of a command that takes it.
    code, out, err = run_cli(capsys, *before, "action", room, "stop", "-a", "ey", "--yes",
                             "--json")
    assert code == EXIT_OK, err
    assert [request["method"] for request in json.loads(out)["requests"]] == ["DELETE"]


def test_a_switch_the_command_does_not_take_is_still_refused(room, capsys):
    with pytest.raises(SystemExit) as refused:
        run_cli(capsys, "--hard", "action", room, "stop", "-a", "ey")
    assert refused.value.code == 2
    assert "unrecognized arguments: --hard" in capsys.readouterr().err


@pytest.mark.parametrize("argv, said", [
    (("create", "-a", "x", "--end", "+1h", "--end", "+2h"),
     "--end is given twice ('+1h' and '+2h'): give it once"),
    (("list", "-a", "one", "--account", "two"),
     "--account is given twice ('one' and 'two'): give it once"),
])
def test_an_option_given_twice_is_refused(capsys, argv, said):
    # `--end +1h --end +2h` took the last one without a word (a repeated -o was refused).
    with pytest.raises(SystemExit) as refused:
        run_cli(capsys, *argv)
    assert refused.value.code == 2
    assert said in capsys.readouterr().err
