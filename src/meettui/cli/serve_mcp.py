"""`meettui mcp`: serve meettui's tools to an AI agent over the Model Context Protocol
(stdio). The server lives in `meettui.agent`, imported only when this command runs."""

from __future__ import annotations

import argparse
from typing import Any

from meettui.cli._output import EXIT_OK


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `mcp` to the `meettui` parser."""
    what = "serve meettui to an AI agent as an MCP server over stdio"
    p = sub.add_parser("mcp", help=what, description=(
        what + ". A client (Claude Desktop, Claude Code, …) starts it as `meettui mcp`; "
        "stdout carries the protocol, logs go to the log file (`meettui locate log`)."))
    p.set_defaults(func=cmd_mcp)
    p.add_argument("--allow-host-links", action="store_true",
                   help="hand out host links (and links carrying a token) unmasked; "
                   "without it they are masked or withheld")


def cmd_mcp(args: argparse.Namespace) -> int:
    from meettui.agent.server import serve

    serve(allow_host_links=args.allow_host_links)
    return EXIT_OK
