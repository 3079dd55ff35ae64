"""Subcommands that belong to later layers live in their own modules (cli_sim.py for
simulators, cli_qr.py for QR output), so the core command line stays small. Each
module exposes `register(add, json_flag)`."""

from __future__ import annotations

import importlib
import importlib.util

EXTRA_MODULES = ("meettui.cli_sim", "meettui.cli_qr", "meettui.cli_eyeson")


def register(add, json_flag) -> None:
    for name in EXTRA_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(add, json_flag)
