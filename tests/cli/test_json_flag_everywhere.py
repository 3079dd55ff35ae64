"""`--json` on every command: agents add it everywhere. A command that prints data takes
it (`schema`, whose output is JSON anyway, too), and one with no such choice refuses it
saying why, never argparse's bare "unrecognized arguments: --json"."""

from __future__ import annotations

import argparse
import json

import pytest

from meettui.cli import EXIT_OK, EXIT_USAGE, build_parser, main
from meettui.cli.simulate import _parser as simulator_parser
from meettui.simulators.registry import simulator_kinds


def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield words, parser
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*words, name))


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    return {flag for action in parser._actions for flag in action.option_strings}


def test_every_command_knows_json_and_text():
    leaves = dict(_leaves(build_parser()))
    assert ("schema",) in leaves and ("mcp",) in leaves and ("host", "add") in leaves
    for words, parser in leaves.items():
        if words == ("simulate",):
            continue  # its flags are the simulator's parser's, below
        assert {"--json", "--text"} <= _flags(parser), words
    for kind in simulator_kinds():
        assert {"--json", "--text"} <= _flags(simulator_parser(kind)), kind


def test_schema_takes_json(capsys):
    assert main(["schema", "--json"]) == EXIT_OK
    assert "list" in json.loads(capsys.readouterr().out)
    assert main(["schema", "list", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["$id"] == "urn:meettui:schema:2:list"


@pytest.mark.parametrize(("argv", "said"), [
    (["schema", "--text"], "--text: a JSON Schema is JSON: `meettui schema` prints JSON "
                           "only"),
    (["mcp", "--json"], "--json: meettui mcp speaks the MCP protocol (JSON-RPC) on stdout"),
    (["simulate", "whereby", "--json"], "--json: a simulator prints the account to put in "
                                        "config.toml, as text"),
    (["--json"], "--json goes with a command that prints data (meettui list --json)"),
    (["--text", "locate", "--json"], "--json and --text ask for two outputs: give one"),
])
def test_a_command_without_that_choice_says_why(capsys, argv, said):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE
    assert said in err and "unrecognized arguments" not in err


def test_json_before_the_command_is_the_commands(capsys):
    assert main(["--json", "locate"]) == EXIT_OK
    assert set(json.loads(capsys.readouterr().out)) >= {"config", "cache", "log"}


def _refusing() -> list[tuple[str, ...]]:
    """Every refused --json/--text, as argv with the flag after the command: each
    command that refuses one, and each simulator."""
    found = [(*words, flag) for words, parser in _leaves(build_parser())
             for flag in ("--json", "--text")
             if getattr(parser._option_string_actions.get(flag), "why", None)]
    found += [("simulate", kind, flag) for kind in simulator_kinds()
              for flag in ("--json", "--text")]
    return found


@pytest.mark.parametrize("after", _refusing(), ids=" ".join)
def test_a_refused_flag_is_refused_before_the_command_too(capsys, after):
    """`meettui --json mcp` started the server (exit 0 on a closed stdin), and
    `meettui --json simulate whereby` said argparse's "unrecognized arguments": the
    flag's place must not change the outcome."""
    assert ("mcp", "--json") in _refusing()
    *words, flag = after

    def refusal(argv: list[str]) -> str:
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == EXIT_USAGE, argv
        return capsys.readouterr().err.splitlines()[-1]

    said_after = refusal([*words, flag])
    said_before = refusal([flag, *words])
    assert f"error: {flag}: " in said_after and "unrecognized" not in said_after
    assert said_before.split("error: ")[1] == said_after.split("error: ")[1]
