"""Subcommands that belong to later layers (simulators, QR); kept out of cli.py so the
core command line stays small."""

from __future__ import annotations


def register(add, json_flag) -> None:
    pass
