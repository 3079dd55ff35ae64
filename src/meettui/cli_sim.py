"""`meettui simulate PROVIDER`: serve a provider's simulator on a real HTTP socket.

Point an account's `base_url` at the printed URL to use meettui (or anything else)
against it. The simulator modules (Starlette, uvicorn) are imported only when the
command runs, so the rest of the command line starts as fast as before.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from collections.abc import Callable

from meettui.cli import EXIT_ERROR, EXIT_USAGE


def simulator_kinds() -> list[str]:
    """Provider kinds that have a simulator module, found without importing any."""
    from meettui.providers.registry import PROVIDER_KINDS

    return [
        kind for kind in PROVIDER_KINDS
        if importlib.util.find_spec(f"meettui.simulators.{kind}") is not None
    ]


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
_positive_int = _bounded(int, 1, None, "a whole number", "must be at least 1")


def register(add, json_flag) -> None:
    kinds = ", ".join(simulator_kinds()) or "none installed"
    p = add(
        "simulate",
        cmd_simulate,
        "serve a provider's simulator over HTTP (for testing and trying meettui)",
    )
    p.add_argument("provider", metavar="PROVIDER", help=f"which simulator: {kinds}")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=0, help="port (default 0: a free one)")
    p.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    p.add_argument("--meetings", type=int, default=None, metavar="N",
                   help="how many meetings to seed (default: the provider's own)")
    p.add_argument("--api-key", default="demo", metavar="KEY",
                   help="the credential the simulator accepts (default: demo)")
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
    p.add_argument("--rate-limit", type=_positive_int, default=None, metavar="POINTS",
                   help="the provider's own rate budget, e.g. Whereby points per minute")


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.meetings is not None and args.meetings < 0:
        print("meettui: --meetings must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    from meettui.simulators.registry import SIMULATORS, run_cli

    options = None
    if args.rate_limit is not None:
        factory = SIMULATORS.get(args.provider)
        if factory is not None and "rate_limit" not in inspect.signature(factory).parameters:
            print(f"meettui: the {args.provider} simulator has no rate budget (--rate-limit)",
                  file=sys.stderr)
            return EXIT_USAGE
        options = {"rate_limit": args.rate_limit}
    try:
        return run_cli(
            args.provider,
            host=args.host,
            port=args.port,
            seed=args.seed,
            meetings=args.meetings,
            api_key=args.api_key,
            latency=args.latency,
            error_rate=args.error_rate,
            rate_limit_rate=args.rate_limit_rate,
            malformed_rate=args.malformed_rate,
            drop_rate=args.drop_rate,
            options=options,
        )
    except ValueError as exc:  # unknown provider, fault rates adding up to more than 1
        print(f"meettui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the port is taken, the address is not ours
        print(f"meettui: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_ERROR
