"""`meettui qr ID`: a meeting's link as a QR code for the terminal, or as PNG/SVG files.

Headless (no textual): the code is drawn by meettui.core.qr with explicit 24-bit
black and white, so it scans whatever the terminal theme is; without colours (NO_COLOR,
stdout no terminal) in block characters alone, and into a pipe or a file whole, no
terminal's size applying. The default link is the
one safe to show a guest; a sensitive link (host, token-bearing) is only used when its
role is asked for by name, and then a warning goes to stderr. The code carries the link
whole (that is what was asked for); the text beside it, on the terminal and in the JSON,
masks a sensitive link unless `--reveal`, and says what link it is. Files are written
readable by their owner only (`core/private_file.py`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meettui.cli._output import (
    EXIT_OK,
    UsageError,
    colours_wanted,
    emit_json,
    json_flag,
    run,
    terminal_size,
    wants_json,
)
from meettui.cli.command_index import HELP
from meettui.core.display import printable, with_article
from meettui.core.errors import MeettuiError, NotSupported
from meettui.core.paths import same_file
from meettui.core.roles import Role

if TYPE_CHECKING:
    from datetime import datetime

    from meettui.core import qr
    from meettui.core.models import Link, Meeting
    from meettui.core.service import MeetingService

ROLES = tuple(r.value for r in Role)
# Rows under the code: the link as text, then the shell prompt.
TEXT_ROWS = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `qr` to the `meettui` parser."""
    what = HELP["qr"]
    p = sub.add_parser("qr", help=what, description=what)
    p.set_defaults(func=cmd_qr)
    p.add_argument("id")
    p.add_argument("--account", "-a")
    p.add_argument(
        "--role",
        help=f"which link ({', '.join(ROLES)}); default: the one safe to show a guest",
    )
    p.add_argument(
        "--invert",
        action="store_true",
        help="light modules on dark (terminal only; many readers cannot scan it); "
             "without colours (NO_COLOR, a pipe): drawn for a light background",
    )
    p.add_argument("--png", metavar="FILE",
                   help="write a PNG instead of printing (readable by you only)")
    p.add_argument("--svg", metavar="FILE",
                   help="write an SVG instead of printing (readable by you only)")
    p.add_argument("--force", action="store_true",
                   help="replace --png/--svg files that exist (never meettui's own files)")
    p.add_argument("--reveal", action="store_true",
                   help="print a host link (or one carrying a token) unmasked under the "
                        "code and in the JSON; the code itself always carries it")
    p.add_argument(
        "--quiet",
        type=int,
        # core.qr's QUIET and QUIET_MIN (tests/qr/test_cli_qr.py keeps them equal): the
        # parser is built for `meettui --help` too, which must not load core.qr.
        choices=(4, 2),
        help="quiet zone in modules (default: 4, or 2 when the terminal is narrow)",
    )
    # JSON describes the files written (the drawn code is the output otherwise, piped
    # or not: `meettui qr ID | tail -3`).
    json_flag(p)


def choose_link(meeting: Meeting, role: str | None, now: datetime, *,
                no_new: str | None = None) -> Link:
    """The link to encode. Raises NotSupported when the meeting has none to give (a
    usage error, exit 2, as `--role` of no role is), MeettuiError (exit 1) when the
    provider's links were refused (`link_check`: the model's choices pass only usable
    ones), a failure of the provider's data, and when the meeting's links lead nowhere
    at `now`: gone upstream, cancelled or expired (`dead_links.refusal`: a code of a
    dead link handed to a guest; `no_new` as there)."""
    if role is not None and role not in ROLES:
        # A usage error (exit 2), as `ics --role` gives one: said before anything of
        # the meeting.
        raise UsageError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if meeting.missing:
        from meettui.core.service_checks import gone_link

        raise gone_link(meeting, "No QR code was made.")
    refused = meeting.refused_links
    if role is None:
        link = meeting.shareable_link()
        if link is None and refused:
            raise MeettuiError(f"Meeting {meeting.id!r} has no link to encode: {refused}.",
                               hint="Nothing was encoded. The provider gave no link "
                               "meettui uses; its own app or site shows the meeting.")
        if link is None:
            raise NotSupported(
                f"Meeting {meeting.id!r} has no link that is safe to show a guest.",
                hint=NO_GUEST_LINK_HINT,
            )
        return _live(link, meeting, now, no_new)
    links = meeting.links_for(role)
    if not links:
        have = ", ".join(dict.fromkeys(lk.role.value for lk in meeting.links)) or "none"
        raise (MeettuiError if refused else NotSupported)(
            f"Meeting {meeting.id!r} has no {role} link (it has: {have})"
            + (f"; {refused}." if refused else "."),
            hint=OTHER_ROLE_HINT,
        )
    # Prefer a link without a token when the role has both kinds.
    return _live(next((lk for lk in links if not lk.sensitive), links[0]), meeting, now,
                 no_new)


def _live(link: Link, meeting: Meeting, now: datetime, no_new: str | None) -> Link:
    """`link`, chosen, unless its meeting was cancelled or has expired by `now`
    (`dead_links.refusal`): said once a link was found, so that a meeting with no link
    to encode says that first, as one gone upstream says it is gone first."""
    from meettui.core.dead_links import refusal

    dead = refusal(meeting, now, "No QR code was made.", no_new=no_new)
    if dead is not None:
        raise dead
    return link


def warning_for(link: Link) -> str | None:
    if link.role == Role.HOST:
        return "this QR gives host rights; don't show it to guests"
    if link.sensitive:
        return f"this {link.role.value} link carries an access token; don't show it to others"
    return None


_IMAGE_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".bmp",
                             ".tif", ".tiff", ".ico"})
"""Suffixes that name an image format: `--png`/`--svg` refuse another format's."""


def cmd_qr(args: argparse.Namespace) -> int:
    to_files = bool(args.png or args.svg)
    if args.invert and to_files:
        raise UsageError("--invert only applies to terminal output, not to --png/--svg")
    if args.json and not to_files:
        raise UsageError("--json describes the files written: give --png FILE or --svg FILE")
    if args.png and args.svg and same_file(Path(args.png), Path(args.svg)):
        raise UsageError("--png and --svg name the same file: the SVG would replace the PNG")
    for flag, path, kind in (("--png", args.png, ".png"), ("--svg", args.svg, ".svg")):
        suffix = Path(path).suffix.lower() if path else ""
        if suffix in _IMAGE_SUFFIXES and suffix != kind:
            # `--png x.svg` wrote PNG data under an SVG's name: opened by its name, it
            # fails (the MCP server's render_qr takes the format from the name).
            other = " (--svg writes SVG)" if suffix == ".svg" else \
                " (--png writes PNG)" if suffix == ".png" else ""
            raise UsageError(f"{flag} writes {kind[1:].upper()}, but {printable(path)!r} "
                             f"is named as {with_article(suffix[1:].upper())} file{other}: "
                             f"name it "
                             f"{kind}")

    async def go(service: MeetingService) -> int:
        from meettui.core import qr

        meeting = service.find(args.id, args.account)
        link = choose_link(meeting, args.role, service.clock.now(),
                           no_new=service.no_new_meetings(meeting.account))
        try:
            matrix = qr.make_matrix(link.url)
        except ValueError as exc:
            raise NotSupported(f"The {link.role.value} link cannot be a QR code: {exc}.") \
                from None
        warning = warning_for(link)
        if warning:
            print(f"meettui: warning: {warning}", file=sys.stderr)
        if to_files:
            return write_files(matrix, link, args, meeting)
        return print_code(matrix, link, args)

    return run(go)


def write_files(matrix: qr.QRMatrix, link: Link, args: argparse.Namespace,
                meeting: Meeting) -> int:
    """Write the PNG and/or SVG `args` name; say what was written (as a `QrDoc` when
    JSON is wanted). MeettuiError naming the path when one cannot be written."""
    from meettui.core import qr

    quiet = args.quiet if args.quiet is not None else qr.QUIET
    written = []
    for path, write in ((args.png, qr.write_png), (args.svg, qr.write_svg)):
        if not path:
            continue
        try:
            write(matrix, path, quiet=quiet, replace=args.force)
        except OSError as exc:
            raise cannot_write(path, exc,
                               example="qr.png" if path == args.png else "qr.svg") from None
        written.append(path)
    if wants_json(args):
        emit_json(qr_doc(meeting, link, matrix, quiet,
                         [(p, "png" if p == args.png else "svg") for p in written],
                         reveal=args.reveal))
        return EXIT_OK
    for path in written:
        print(
            f"Wrote {printable(path)} ({link.role.value} link, {matrix.size}×{matrix.size} "
            f"modules, quiet zone {quiet})"
        )
    return EXIT_OK


def qr_doc(meeting: Meeting, link: Link, matrix: qr.QRMatrix, quiet: int,
           files: list[tuple[str, str]], *, reveal: bool = False) -> Any:
    """The JSON document (`QrDoc`) of codes written to `files` ((path, "png"|"svg")
    pairs); the link's URL masked when it is sensitive, unless `reveal`."""
    from meettui.core.contract import QrDoc, QrFileOut

    return QrDoc(id=meeting.id, account=meeting.account, role=link.role,
                 url=link.url if reveal else link.masked(),
                 sensitive=link.sensitive, modules=matrix.size, quiet=quiet,
                 files=[QrFileOut(path=str(Path(p).resolve()), format=f)  # type: ignore[arg-type]
                        for p, f in files])


NO_GUEST_LINK_HINT = "`--role host` encodes the host link; never show that one to guests."
OTHER_ROLE_HINT = "Leave out --role to get the link that is safe to show a guest."
"""`choose_link`'s hints (the MCP server's render_qr says them in its arguments)."""


def cannot_write(path: str, exc: OSError, *, example: str = "qr.png") -> MeettuiError:
    """What to say when a file a command writes cannot be written (`--force` replaces
    one that exists); `example` names a file of the kind written."""
    from meettui.core.write_failure import cannot_write as failure

    return failure(path, exc, example=example,
                   exists_hint="Give another path, or add --force to replace it.")


def print_code(matrix: qr.QRMatrix, link: Link, args: argparse.Namespace) -> int:
    from meettui.core import qr

    colours = colours_wanted()
    if not sys.stdout.isatty():
        # A pipe or a file: no terminal's size applies (the one around `| cat` said
        # "needs … 25 rows (this one is 80×24)"); the code goes whole, without escapes.
        quiet = args.quiet if args.quiet is not None else qr.QUIET
        _draw(qr.to_plain(matrix, qr.layout_for(matrix, quiet=quiet), invert=args.invert),
              link, args)
        return EXIT_OK
    term = terminal_size()
    max_cols, max_rows = term.columns, term.lines - TEXT_ROWS
    if args.quiet is None:
        # Scale 1: the printed code stays in the scrollback next to the command; the
        # TUI's full-screen view is the one that scales up.
        layout = qr.fit(matrix, max_cols, max_rows, max_scale=1)
        cols, rows = qr.needed_cells(matrix)
    else:
        wanted = qr.layout_for(matrix, quiet=args.quiet, scale=1)
        fits = wanted.cols <= max_cols and wanted.rows <= max_rows
        layout = wanted if fits else None
        cols, rows = wanted.cols, wanted.rows
    if layout is None:
        raise MeettuiError(
            f"The QR code needs a terminal of at least {cols} columns and "
            f"{rows + TEXT_ROWS} rows (this one is {term.columns}×{term.lines}).",
            hint="Make the terminal larger, or write a file with --png FILE or --svg FILE.",
        )
    draw = qr.to_ansi if colours else qr.to_plain
    drawn = draw(matrix, layout, invert=args.invert)
    _draw(drawn, link, args, plain=not colours)
    return EXIT_OK


def _draw(code: str, link: Link, args: argparse.Namespace, *, plain: bool = True) -> None:
    """The code, then its link; drawn without colours, a note on a terminal's stderr of
    which background it scans on (the terminal's own colours draw it). Raises
    MeettuiError when stdout's encoding has no block characters."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        code.encode(encoding)
    except UnicodeEncodeError:
        # Its blocks would be written as '?' (`tolerant_streams`): no code at all.
        raise MeettuiError(
            f"The output's encoding ({printable(encoding)}) has no block characters to "
            "draw the QR code with.",
            hint="Write a file with --png FILE or --svg FILE, or use a UTF-8 terminal "
                 "(e.g. LANG=C.UTF-8).") from None
    except LookupError:
        pass
    sys.stdout.write(code)
    print(link_line(link, reveal=args.reveal))
    if plain and sys.stderr.isatty():
        background = "light" if args.invert else "dark"
        other = "leave out --invert" if args.invert else "add --invert"
        print(f"meettui: drawn without colours (NO_COLOR, or not a terminal): it scans on a "
              f"{background} background; on the other, {other}", file=sys.stderr)


def link_line(link: Link, *, reveal: bool) -> str:
    """The line under a printed code: the link as text, saying which link it is ("Guest
    link: …", "Host link: …"): the code above it hands it over whole. A sensitive link
    (a host link, or one carrying a token) is masked unless `reveal`, as `show` masks
    it."""
    url = printable(link.url if reveal else link.masked())
    # One line, short enough for 80 columns: the code's size leaves room for one.
    what = f"{link.role.value.capitalize()} link"
    if link.sensitive and link.role != Role.HOST:
        what += " with a token"
    if link.sensitive and not reveal:
        return f"{what}: {url} (masked; --reveal shows it)"
    return f"{what}: {url}"

