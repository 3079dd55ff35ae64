"""The lazy `meettui` parser (cli/command_index.py) says and takes what the eager one,
with every command built, says and takes: the same listing, the same help for every
command and group of verbs, the same refusals."""

from __future__ import annotations

import argparse

import pytest

from meettui.cli import build_parser, main
from meettui.cli.command_index import COMMANDS, HELP


def _commands(parser: argparse.ArgumentParser):
    return parser.commands  # type: ignore[attr-defined]


def _every_parser(parser: argparse.ArgumentParser, path=()):
    """(words, parser) for `parser` and every subcommand under it, built."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name in list(action.choices):
                sub = (action.parser_of(name) if hasattr(action, "parser_of")
                       else action.choices[name])
                yield from _every_parser(sub, (*path, name))


def test_the_lazy_listing_is_the_eager_one():
    lazy, eager = build_parser(lazy=True), build_parser()
    assert lazy.format_help() == eager.format_help()
    assert list(_commands(lazy).choices) == list(_commands(eager).choices)
    # Nothing was built to say it.
    assert all(parser is None for parser in _commands(lazy).choices.values())


def test_every_command_built_on_demand_says_what_the_eager_one_says():
    eager = dict(_every_parser(build_parser()))
    lazy = dict(_every_parser(build_parser(lazy=True)))
    assert set(lazy) == set(eager)
    assert len(eager) > len(HELP)  # (the providers' verbs and their groups are in)
    for words, parser in eager.items():
        assert lazy[words].format_help() == parser.format_help(), words


def test_building_one_command_keeps_the_listing_in_its_order():
    lazy = build_parser(lazy=True)
    before = lazy.format_help()
    order = list(_commands(lazy).choices)
    _commands(lazy).parser_of("qr")
    assert lazy.format_help() == before
    assert list(_commands(lazy).choices) == order
    assert _commands(lazy).choices["qr"] is not None


def test_help_strings_live_in_the_index_only():
    eager = build_parser()
    for _, listed in COMMANDS:
        for name, text in listed:
            assert _commands(eager).choices[name].description.startswith(text)


@pytest.mark.parametrize("argv", [["list", "--query", "caf\udce9"],
                                  ["host", "add", "m1", "--name", "\udcff"]])
def test_a_command_built_on_demand_refuses_bytes_that_are_not_utf8(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "not valid UTF-8 text" in capsys.readouterr().err
