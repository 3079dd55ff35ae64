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

from meettui.cli import EXIT_ERROR, EXIT_USAGE


def simulator_kinds() -> list[str]:
    """Provider kinds that have a simulator module, found without importing any."""
    # core.config first: importing providers.registry before it is a circular import
    # (registry -> base -> config -> registry at class-definition time).
    import meettui.core.config  # noqa: F401
    from meettui.providers.registry import PROVIDER_KINDS

    return [
        kind for kind in PROVIDER_KINDS
        if importlib.util.find_spec(f"meettui.simulators.{kind}") is not None
    ]


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535 (0 picks a free one)")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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
