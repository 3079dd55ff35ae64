"""Help and usage errors name values as a user would (`--reason REASON`), never by the
parser's internal destinations (`alias_reason`, `sim_api_key`)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from cli_helpers import run_cli
from meettui.cli import EXIT_USAGE, build_parser
from meettui.cli.simulate import _parser as simulate_parser
from meettui.simulators.registry import simulator_kinds

Named = tuple[str, argparse.ArgumentParser]


def parsers(parser: argparse.ArgumentParser, name: str) -> Iterator[Named]:
    """`parser` and every subparser under it, by command words."""
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for word, sub in action.choices.items():
                yield from parsers(sub, f"{name} {word}")


def every_parser() -> Iterator[Named]:
    yield from parsers(build_parser(), "meettui")
    # `simulate KIND` builds its full parser once the provider is known.
    for kind in simulator_kinds():
        yield f"meettui simulate {kind}", simulate_parser(kind)


def shown_metavar(action: argparse.Action) -> str | None:
    if not action.option_strings or action.nargs == 0:
        return None
    metavar = action.metavar
    return metavar if isinstance(metavar, str) else action.dest.upper()


def test_every_option_value_is_named_after_its_flag_or_on_purpose():
    wrong = []
    for name, parser in every_parser():
        for action in parser._actions:
            metavar = shown_metavar(action)
            if metavar is None or action.metavar is not None:
                continue  # no value, or a name chosen on purpose (FILE, KEY=VALUE)
            from_flags = {s.lstrip("-").replace("-", "_").upper() for s in action.option_strings}
            if metavar not in from_flags:
                wrong.append(f"{name}: {'/'.join(action.option_strings)} {metavar}")
    assert wrong == []


@pytest.mark.parametrize("placeholder", ["ALIAS_", "SIM_"])
def test_no_help_text_shows_an_internal_name(placeholder):
    shown = [name for name, parser in every_parser() if placeholder in parser.format_help()]
    assert shown == []


def test_cancel_help_names_its_values(capsys):
    with pytest.raises(SystemExit):
        run_cli(capsys, "cancel", "--help")
    out = capsys.readouterr().out
    assert "--reason REASON" in out
    assert "--by BY" in out
    assert "ALIAS" not in out


def test_a_usage_error_of_a_verb_names_its_values(capsys):
    with pytest.raises(SystemExit) as exit_:
        run_cli(capsys, "cancel", "abcd")
    err = capsys.readouterr().err
    assert exit_.value.code == EXIT_USAGE
    assert "--reason REASON" in err
    assert "ALIAS" not in err


def test_host_remove_names_the_alternatives_by_their_flags(capsys):
    with pytest.raises(SystemExit):
        run_cli(capsys, "host", "remove", "--help")
    out = capsys.readouterr().out
    assert "(--token TOKEN | --name NAME)" in out


def _answer(capsys, argv: list[str]) -> tuple[int, str]:
    """(exit code, stdout) of `meettui ARGV`, whether argparse exits or the command returns."""
    try:
        code, out, _ = run_cli(capsys, *argv)
    except SystemExit as exc:
        code, out = int(exc.code or 0), capsys.readouterr().out
    return code, out


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_answers_its_help_flag_with_its_usage(capsys, flag):
    # `meettui simulate --help` once failed with "unrecognized arguments": its parser
    # takes the provider's flags later and had no help flag of its own.
    wrong = []
    for name, _ in parsers(build_parser(), "meettui"):
        words = name.split()[1:]
        code, out = _answer(capsys, [*words, flag])
        if code != 0 or f"usage: {name}" not in out:
            wrong.append(f"{name} {flag}: exit {code}, {out[:60]!r}")
    assert wrong == []


def test_simulate_help_before_the_provider_is_the_providers_help(capsys):
    code, out = _answer(capsys, ["simulate", "--help", "whereby"])
    assert code == 0 and out.startswith("usage: meettui simulate whereby") and "--api-key" in out


@pytest.mark.parametrize(("value", "said"), [("0", "'0': must be at least 1"),
                                             ("abc", "'abc': not a number")])
def test_a_simulator_flag_error_says_what_is_wrong_not_a_function_name(capsys, value, said):
    # It said "invalid _positive_int value: '0'".
    with pytest.raises(SystemExit) as caught:
        run_cli(capsys, "simulate", "whereby", "--rate-limit", value)
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE and f"argument --rate-limit: {said}" in err
    assert "_positive_int" not in err
