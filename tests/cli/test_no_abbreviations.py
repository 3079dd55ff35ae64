"""No flag is taken as an abbreviation of another: `meettui simulate eyeson
--rate-limit 100000` (eyeson has no `--rate-limit` of its own) was read as
`--rate-limit-rate 100000` ("a share is between 0 and 1")."""

from __future__ import annotations

import argparse

import pytest

from meettui.cli import EXIT_USAGE, build_parser, main
from meettui.cli.simulate import _parser as simulator_parser
from meettui.simulators.registry import simulator_kinds


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from _parsers(child)


def test_no_parser_takes_abbreviations():
    parsers = [*_parsers(build_parser()), *(simulator_parser(k) for k in simulator_kinds())]
    assert len(parsers) > 10
    assert [p.prog for p in parsers if p.allow_abbrev] == []


def test_a_flag_a_simulator_lacks_is_not_another_ones_abbreviation(capsys):
    flags = {f for a in simulator_parser("eyeson")._actions for f in a.option_strings}
    assert "--rate-limit" not in flags and "--rate-limit-rate" in flags
    with pytest.raises(SystemExit) as caught:
        main(["simulate", "eyeson", "--rate-limit", "100000"])
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE
    assert "unrecognized arguments: --rate-limit 100000" in err
    assert "share" not in err


def test_a_command_flag_is_not_abbreviated(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["list", "--off"])  # (was --offline or --offset: ambiguous; now unknown)
    assert caught.value.code == EXIT_USAGE
    assert "unrecognized arguments: --off" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["list", "--upc"])
    assert "unrecognized arguments: --upc" in capsys.readouterr().err
