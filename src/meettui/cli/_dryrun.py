"""`--dry-run` for every command that changes something: the provider call it would
make (method, URL, headers, body; secrets masked), and nothing changed, neither at the
provider nor in the cache. The planning itself is core's (`core/dryrun.py`); this module
adds the flag, runs a command's coroutine under it and prints the report."""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import TYPE_CHECKING

from meettui.cli._output import EXIT_OK, ServiceCall, emit_json, run, wants_json
from meettui.core.display import printable

if TYPE_CHECKING:
    from meettui.core.dryrun import DryRun
    from meettui.core.service import MeetingService


def dry_run_flag(p: argparse.ArgumentParser) -> None:
    """Add `--dry-run` to a command that changes something."""
    p.add_argument("--dry-run", action="store_true",
                   help="print the provider call this would make (secrets masked) and "
                        "change nothing")


def run_planned(args: argparse.Namespace, call: ServiceCall) -> int:
    """`run(call)`, or with `--dry-run` the call planned: it runs until its first change
    (reads still happen), which is reported instead of made. Exits 0 with the report,
    the one thing on stdout (what the command itself prints is dropped); errors found
    before the change (a bad option, an unknown id) are reported as usual."""
    if not getattr(args, "dry_run", False):
        return run(call)
    from meettui.core.dryrun import DryRun, dry_run

    async def planned(service: MeetingService) -> int:
        # What the command prints of its own is not the dry run's answer: one that
        # finished without a change printed the meeting (or the actions), and then the
        # report, two JSON documents where a script reads one.
        with dry_run(), contextlib.redirect_stdout(io.StringIO()):
            try:
                await call(service)
            except DryRun as plan:
                outcome: DryRun | None = plan
            else:
                outcome = None
        if outcome is None:  # the command finished without a change to stop
            outcome = DryRun(then=["nothing: no change would be made"],
                             account=_account_of(service, args))
        report(outcome, args)
        return EXIT_OK

    return run(planned)


def _account_of(service: MeetingService, args: argparse.Namespace) -> str:
    """The account the command was about: `--account`, else the meeting `args.id` names;
    "" when neither says (the report's `account`, as a planned change gives it)."""
    from meettui.core.errors import MeettuiError

    if getattr(args, "account", None):
        return str(args.account)
    if isinstance(getattr(args, "id", None), str):
        try:
            return service.find(args.id).account
        except MeettuiError:
            return ""
    return ""


def report(plan: DryRun, args: argparse.Namespace) -> None:
    """The dry run's answer: JSON (the contract's `DryRunDoc`) or text, on stdout."""
    if wants_json(args):
        from meettui.core.contract import DryRunDoc

        emit_json(DryRunDoc.of(plan))
        return
    where = f" ({printable(plan.account)})" if plan.account else ""
    print(f"Dry run{where}: nothing was sent or changed.")
    for number, request in enumerate(plan.requests):
        print("Would send:" if number == 0 else "Then would send:")
        for line in request.lines():
            print(f"  {printable(line)}")
    for line in plan.local:
        print(f"Would change locally: {printable(line)}")
    for line in plan.then:
        print(f"Then: {printable(line)}")
