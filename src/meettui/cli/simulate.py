"""`meettui simulate PROVIDER`: serve a provider's simulator on a real HTTP socket.

It prints the account to use it with (an `[[accounts]]` table with its base URL, and
the shell lines that give the secret), to paste into config.toml; anything else can use
the printed base URL. The flags every simulator takes are here; each simulator declares its own
(`OPTIONS` in its package: `--api-key`, a rate budget, an instance name…), read once the
provider is known. Starlette and uvicorn are imported only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from meettui.cli._output import EXIT_ERROR, EXIT_USAGE, guard_text_arguments, no_output_flags
from meettui.cli.command_index import HELP


def _bounded(
    kind: type[int] | type[float], low: float, high: float | None, noun: str, rule: str
) -> Callable[[str], int | float]:
    """An argparse type: a number of `kind` within [low, high], else `rule` as the error."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(rule)
        return value

    return parse


_rate = _bounded(float, 0.0, 1.0, "a number", "a share is between 0 and 1")
_non_negative = _bounded(float, 0.0, None, "a number", "must be 0 or more")
_port = _bounded(int, 0, 65535, "a port number", "a port is 0 to 65535 (0 picks a free one)")
_count = _bounded(int, 0, None, "a whole number", "must be 0 or more")

NO_JSON = ("a simulator prints the account to put in config.toml, as text, then serves "
           "until Ctrl+C; it has no JSON output")
WHAT = HELP["simulate"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `simulate` to the `meettui` parser; the provider's own flags come later."""
    from meettui.simulators.registry import simulator_kinds

    kinds = ", ".join(simulator_kinds()) or "none installed"
    p = sub.add_parser("simulate", help=WHAT, description=WHAT, add_help=False)
    p.set_defaults(func=cmd_simulate)
    # Its own help flag, answered by `cmd_simulate`: argparse's would print this stub
    # parser's usage; `--help` after PROVIDER is the simulator's (in `rest`).
    p.add_argument("-h", "--help", action="store_true", dest="simulate_help",
                   help=argparse.SUPPRESS)
    p.add_argument("provider", metavar="PROVIDER", nargs="?", help=f"which simulator: {kinds}")
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    # Refused here too, for `meettui --json simulate KIND` (`cli._parse` asks this parser).
    no_output_flags(p, NO_JSON)


def _said(convert: Callable[[str], object]) -> Callable[[str], object]:
    """`convert` as an argparse type whose ValueError is the message shown: argparse
    would say "invalid _positive_int value: '0'", naming the function."""

    def parse(text: str) -> object:
        try:
            return convert(text)
        except ValueError as exc:
            why = "not a number" if str(exc).startswith(("invalid literal", "could not "))\
                else str(exc)
            raise argparse.ArgumentTypeError(f"{text!r}: {why}") from None

    return parse


def _parser(kind: str) -> argparse.ArgumentParser:
    """The full parser of `meettui simulate KIND`: common flags, then the simulator's."""
    from meettui.simulators.registry import options

    p = argparse.ArgumentParser(prog=f"meettui simulate {kind}", description=WHAT,
                                allow_abbrev=False)  # (`--rate-limit` is not `--rate-limit-rate`)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=0, help="port (default 0: a free one)")
    p.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    p.add_argument("--meetings", type=_count, default=None, metavar="N",
                   help="how many meetings to seed (default: the provider's own)")
    p.add_argument("--latency", type=_non_negative, default=0.0, metavar="S",
                   help="seconds added before every answer")
    p.add_argument("--error-rate", type=_rate, default=0.0, metavar="R",
                   help="share of requests answered 500/503")
    p.add_argument("--rate-limit-rate", type=_rate, default=0.0, metavar="R",
                   help="share of requests answered 429")
    p.add_argument("--malformed-rate", type=_rate, default=0.0, metavar="R",
                   help="share of answers cut short (invalid JSON)")
    p.add_argument("--drop-rate", type=_rate, default=0.0, metavar="R",
                   help="share of connections dropped mid-answer")
    own = p.add_argument_group(f"{kind} options")
    for option in options(kind):
        own.add_argument(option.flag, dest=f"sim_{option.dest}",
                         type=option.type if option.type is str else _said(option.type),
                         default=option.default, metavar=option.metavar, help=option.help)
    no_output_flags(p, NO_JSON)
    guard_text_arguments(p)
    return p


def cmd_simulate(args: argparse.Namespace) -> int:
    from meettui.simulators.registry import options, run_cli, simulator_kinds

    if args.simulate_help and args.provider is not None:
        args.rest = ["--help", *args.rest]  # `simulate --help KIND`: that simulator's help
    elif args.provider is None:
        kinds = ", ".join(simulator_kinds())
        asked = args.simulate_help
        print(f"usage: meettui simulate PROVIDER [options]\n\n{WHAT}.\n"
              f"PROVIDER is one of: {kinds}. `meettui simulate PROVIDER --help` lists "
              "its options.", file=sys.stdout if asked else sys.stderr)
        return 0 if asked else EXIT_USAGE
    try:
        declared = options(args.provider)
    except ValueError as exc:
        print(f"meettui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parsed = _parser(args.provider).parse_args(args.rest)
    own = {o.dest: getattr(parsed, f"sim_{o.dest}") for o in declared}
    try:
        return run_cli(
            args.provider,
            host=parsed.host,
            port=parsed.port,
            seed=parsed.seed,
            meetings=parsed.meetings,
            latency=parsed.latency,
            error_rate=parsed.error_rate,
            rate_limit_rate=parsed.rate_limit_rate,
            malformed_rate=parsed.malformed_rate,
            drop_rate=parsed.drop_rate,
            options=own,
        )
    except ValueError as exc:  # fault rates adding up to more than 1, a bad option
        print(f"meettui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the port is taken, the address is not ours
        print(f"meettui: cannot listen on {parsed.host}:{parsed.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_ERROR
