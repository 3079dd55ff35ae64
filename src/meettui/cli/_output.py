"""What every command shares: exit codes, usage errors, running a coroutine against the
service, JSON and text output of meetings, questions before destructive changes, the
terminal's size, and the checks on text from the command line."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any

from meettui.core.display import countdown, json_text, local_time, printable, shown_dates

if TYPE_CHECKING:
    from meettui.core.capabilities import DeleteMode
    from meettui.core.contract import MeetingDoc
    from meettui.core.models import Meeting
    from meettui.core.service import MeetingService

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_LEFT_OVER = 3
"""Done, but something is left to do by hand, as stderr (and the JSON's `warning`)
says: an edit that replaced a meeting and could not delete the old one. 0 hid it from
a script that checks only the exit code."""

Command = Callable[[argparse.Namespace], int]
ServiceCall = Callable[["MeetingService"], Coroutine[Any, Any, int]]


class UsageError(Exception):
    """The command line is wrong: exit 2 with the message."""


class OutputError(Exception):
    """stdout could not be written (a full disk, an I/O error): the command's answer did
    not arrive, which is no bug of meettui's. `error` is the OSError the write raised."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        super().__init__(str(error))

    @property
    def reason(self) -> str:
        """What went wrong, as the system says it: "no space left on device"."""
        errno = self.error.errno
        said = os.strerror(errno) if errno else (self.error.strerror or str(self.error))
        return said[:1].lower() + said[1:]


class GuardedOutput:
    """A stream (stdout, or its byte buffer) whose write and flush raise OutputError
    for an OSError, so that a failure to write the answer is told from a failure of the
    command itself: both are OSErrors. A closed pipe (BrokenPipeError) passes as it is:
    the reader left, and the command ends quietly. Everything else is the stream's."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        """Write `data` to the stream; OutputError when the system refuses it."""
        try:
            written: int = self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc) from exc
        return written

    def flush(self) -> None:
        """Flush the stream; OutputError when the system refuses it."""
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc) from exc

    @property
    def buffer(self) -> GuardedOutput:
        """The byte stream under a text stream, guarded too (`ics` writes bytes)."""
        return GuardedOutput(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def wants_json(args: argparse.Namespace) -> bool:
    """JSON when asked, and whenever stdout is not a terminal (scripts, agents, pipes),
    unless `--text` asks for the text a person reads."""
    if getattr(args, "text", False):
        return False
    return bool(getattr(args, "json", False)) or not sys.stdout.isatty()


def colours_wanted() -> bool:
    """Whether stdout may carry colour escapes: it is a terminal, and NO_COLOR is not
    set (no-color.org: any value but an empty one)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def emit_json(data: Any) -> None:
    """Print `data` as JSON; a pydantic model (a document of `meettui.core.contract`)
    is written as its JSON dump, so the output is what its schema describes."""
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json")
    sys.stdout.write(fit_json(json_text(data), sys.stdout) + "\n")


def fit_json(text: str, stream: Any) -> str:
    """JSON `text` as `stream` can take it: as it is when its encoding is a UTF one, else
    with every character beyond ASCII written as a `\\uXXXX` escape (json's
    ensure_ascii), which decodes to the same data. An ASCII or Latin-1
    stdout (`PYTHONIOENCODING=ascii`, LANG=C on an old system) crashed every command
    ("UnicodeEncodeError … This is a bug in meettui") after part of the answer."""
    import codecs

    try:
        name = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:  # (an encoding Python does not know: it could not write either)
        return text
    # Never Latin-1 bytes, even where the text fits: JSON is read as UTF-8 (jq) or
    # ASCII, whatever the terminal's encoding.
    return text if name.startswith("utf-") else _NOT_ASCII.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON writes a character beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def tolerant_streams() -> Callable[[], None]:
    """Let stdout and stderr degrade rather than fail on a character their encoding
    cannot write (an ASCII or Latin-1 terminal): stdout writes `?` for it (a table keeps
    its columns), stderr a backslash escape (Python's default for it). JSON is written
    ASCII-safe there (`fit_json`), losing nothing. Returns what puts them back."""
    undo: list[Callable[[], None]] = []
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", None) != "strict":
            continue
        try:
            reconfigure(errors=errors)
        except (OSError, ValueError):  # (closed, or its buffer cannot be flushed)
            continue
        undo.append(functools.partial(reconfigure, errors="strict"))

    def restore() -> None:
        for step in undo:
            with contextlib.suppress(OSError, ValueError):
                step()

    return restore


def terminal_size() -> os.terminal_size:
    """The size of the terminal the user looks at: `COLUMNS`/`LINES` when set, else the
    first of stdout, stderr and /dev/tty that is a terminal (stdout may be a pipe:
    `meettui qr ID | tail -3`), else 80×24."""
    import shutil  # here: it loads the compression modules, which --help does not need

    columns, lines = shutil.get_terminal_size((0, 0))
    if not (columns and lines):
        found = _tty_size()
        columns = columns or (found.columns if found else 80)
        lines = lines or (found.lines if found else 24)
    return os.terminal_size((columns, lines))


def _tty_size() -> os.terminal_size | None:
    for stream in (sys.__stdout__, sys.__stderr__):
        if stream is None:  # no such stream (pythonw, a daemon)
            continue
        try:
            return os.get_terminal_size(stream.fileno())
        except (AttributeError, ValueError, OSError):
            continue
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return None
    try:
        return os.get_terminal_size(fd)
    except OSError:
        return None
    finally:
        os.close(fd)


def text_argument(value: str) -> str:
    """An argparse type for text from the command line: refuses bytes that are not
    UTF-8 (Python hands them over as lone surrogates, which nothing can store or send)."""
    if any("\ud800" <= char <= "\udfff" for char in value):
        try:
            shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            shown = printable(value)
        raise argparse.ArgumentTypeError(
            f"'{shown}' is not valid UTF-8 text; type it again, or set the terminal "
            "(and LANG/LC_ALL) to UTF-8"
        )
    return value


def guard_text_arguments(parser: argparse.ArgumentParser) -> None:
    """Give every text argument of `parser` and its subcommands the `text_argument`
    check, so bad bytes are refused as a usage error naming the argument, before
    anything is sent or written."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                if sub is not None:  # (a command listed, not yet built: `command_index`)
                    guard_text_arguments(sub)
        elif (isinstance(action, argparse._StoreAction | argparse._AppendAction)
              and action.type in (None, str) and action.nargs != argparse.REMAINDER):
            # (REMAINDER: parsed again by a parser of its own, which names the option.)
            action.type = text_argument


def run(call: ServiceCall) -> int:
    """Open the service, run one coroutine against it, always close it."""
    import asyncio  # here, not at the top: the parser and --help need no event loop

    from meettui.bootstrap import open_service

    async def go() -> int:
        service = open_service()
        try:
            return await call(service)
        finally:
            await service.aclose()
            service.cache.close()

    return asyncio.run(go())


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """A time typed on the command line; UsageError when it cannot be read."""
    from meettui.core.timeparse import parse_when as parse

    try:
        return parse(value, now=now)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """`-o key=value` pairs; "true"/"false" become booleans."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"option {pair!r} should look like KEY=VALUE")
        lowered = value.lower()
        parsed = {"true": True, "false": False}.get(lowered, value)
        if key in options and options[key] != parsed:
            # Which one was meant? The last one used to win without a word.
            raise UsageError(f"option {key!r} is given twice ({options[key]!r} and "
                             f"{parsed!r}): give it once")
        options[key] = parsed
    return options


def meeting_json(meeting: Meeting, reveal: bool = False, *, now: datetime,
                 doc: type[MeetingDoc] | None = None, **extra: str | None) -> dict[str, Any]:
    """A meeting as the JSON output shows it at `now`: the contract's `MeetingDoc`, or a
    command's own `doc` (`ShownDoc`, `EditDoc`), with `extra` filling the fields it adds
    beyond the meeting's (`refresh_error`, `start_note`, `replaced_id`, `notice`;
    `warning` is the meeting's `unread` unless given). No raw provider answer; links and
    join tokens masked unless `reveal`. Raises pydantic's ValidationError for a field
    `doc` does not have."""
    from meettui.core.contract import MeetingDoc

    kind = doc or MeetingDoc
    fields: dict[str, Any] = {**kind.fields_of(meeting, reveal, now=now),
                              "warning": meeting.unread, **extra}
    return kind(**fields).model_dump(mode="json")


def print_unread(meeting: Meeting) -> int:
    """Say on stderr that the change which returned `meeting` was made but could not be
    read back (`Meeting.unread`), and return the exit code: EXIT_LEFT_OVER then (done,
    with a refresh left to do: a script that retried on any failure would do it twice),
    else EXIT_OK."""
    if meeting.unread is None:
        return EXIT_OK
    print(f"meettui: {printable(meeting.unread)}", file=sys.stderr)
    return EXIT_LEFT_OVER


def confirm(question: str, args: argparse.Namespace) -> bool:
    """Ask before a destructive change; `--yes` answers for the user. UsageError when
    there is no terminal to ask and no `--yes`."""
    if getattr(args, "yes", False) or getattr(args, "dry_run", False):
        return True  # (a dry run changes nothing: there is nothing to confirm)
    if not sys.stdin.isatty():
        raise UsageError(f"refusing without --yes (there is no terminal to ask): {question}")
    try:
        answer = ask(f"{question} [y/N] ").strip().lower()
    except EOFError:  # Ctrl+D: no answer is no
        print(file=sys.stderr)
        return False
    except KeyboardInterrupt:  # Ctrl+C: the command ends here (130), nothing sent
        print("\nNothing changed.", file=sys.stderr)
        raise
    return answer in {"y", "yes"}


def ask(prompt: str) -> str:
    """`input(prompt)`, which Ctrl+C interrupts. The questions are asked inside the
    event loop, whose SIGINT handler only cancels the running task: the cancel waited
    for the line to end, Ctrl+C left the question open until Enter, and a `y` typed
    after it still deleted a meeting that was forgotten locally (no await came between).
    Python's own handler is put back while the question is open, so Ctrl+C raises
    KeyboardInterrupt in `input` at once."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return input(prompt)  # (signal handlers are the main thread's to set)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return input(prompt)
    finally:
        # (None: a handler Python did not set, which it cannot put back either.)
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None
                      else previous)


def print_deleted(meeting: Meeting, done: DeleteMode, args: argparse.Namespace) -> None:
    """What a delete did (`delete`, and an action that removes the meeting): JSON (the
    contract's `DeleteDoc`) or `RESULT: ID`."""
    if wants_json(args):
        from meettui.core.contract import DeleteDoc

        emit_json(DeleteDoc.of(meeting.id, meeting.account, done))
    else:
        from meettui.core.capabilities import DeleteMode

        gone = " (gone upstream already: forgotten here)" if done == DeleteMode.GONE else ""
        print(f"{done.value}: {printable(meeting.id)}{gone}")


def print_meeting(meeting: Meeting, args: argparse.Namespace, now: datetime, *,
                  doc: type[MeetingDoc] | None = None, **extra: str | None) -> None:
    """One meeting, as JSON (`meeting_json`: `doc` and `extra` are a command's own
    document and its fields, which the text leaves to the command's stderr) or as text;
    host links masked unless `--reveal`. Every provider string goes through `printable`:
    ids and links come from providers too."""
    reveal = getattr(args, "reveal", False)
    if wants_json(args):
        emit_json(meeting_json(meeting, reveal, now=now, doc=doc, **extra))
        return
    print(printable(meeting.title) or "(untitled)")
    print(f"  id        {printable(meeting.id)}")
    print(f"  account   {printable(meeting.account)} ({printable(meeting.provider)})")
    # The word of the JSON's `status` ("live (gone upstream …)" said another), then
    # what the provider last said of it.
    last = meeting.status_label(now, mark_gone=False)
    gone = (f" (the provider no longer lists it; last known status: {last})"
            if meeting.missing and last != "—" else
            " (the provider no longer lists it)" if meeting.missing else "")
    print(f"  status    {meeting.status_label(now)}{gone}")
    print(f"  starts    {when(meeting.starts_at, now)}")
    print(f"  ends      {when(meeting.ends_at, now)}")
    if meeting.closed_early(now):
        print(f"  expires   closed already (it was to expire {when(meeting.expires_at, now)})")
    elif meeting.expires_at:
        print(f"  expires   {when(meeting.expires_at, now)}")
    for link in meeting.links:
        shown = link.url if reveal else link.masked()
        label = f" ({printable(link.label)})" if link.label else ""
        print(f"  {link.role.value:<9} {printable(shown)}{label}")
    if any(link.sensitive for link in meeting.links) and not reveal:
        print("  (host links masked; --reveal shows them)")
    from meettui.core.open_facts import shown_details

    # Without what only means something while it can be opened (a waiting room, join
    # settings) once it is cancelled, over or gone (`open_facts`); the JSON keeps them.
    for key, value in shown_details(meeting, now).items():
        # Dates in a provider's facts written as `when` writes them (`fact_time`).
        print(f"  {printable(key)}: {printable(shown_dates(value, now, WHEN_FORMAT))}")
    session = meeting.session_data
    if session is not None:
        print(f"  {printable(session.label)}"
              + ("" if reveal else " (credentials masked; `--reveal --json` prints them "
                                   "whole, for a client)"))
        for line in session.as_json(reveal=reveal).splitlines():
            print(f"    {printable(line)}")
        if session.help:
            print(f"  {printable(session.help)}")


WHEN_FORMAT = "%Y-%m-%d %H:%M %Z"
"""How the command line's text writes a date (`when`, and the dates in a meeting's
facts)."""


def when(moment: datetime | None, now: datetime) -> str:
    """A time for text output: local, with its zone and how far off it is
    (`2026-12-01 19:30 CET (in 2d 3h)`); "—" for none."""
    if moment is None:
        return "—"
    return f"{local_time(moment, WHEN_FORMAT)} ({countdown(moment, now)})"


def json_flag(p: argparse.ArgumentParser) -> None:
    """`--json` and `--text`: JSON is the default when stdout is not a terminal; `--text`
    keeps the text a person reads even then (`meettui list --text | less`)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true",
                       help="print JSON (the default when stdout is not a terminal; "
                       "`meettui schema` describes it)")
    group.add_argument("--text", action="store_true",
                       help="print text even when stdout is not a terminal")


class Refused(argparse.Action):
    """A flag the command refuses, with the reason (`no_output_flags`); `cli._parse`
    calls it for one given before the command."""

    def __init__(self, option_strings: list[str], dest: str, why: str = "",
                 **kwargs: Any) -> None:
        self.why = why
        super().__init__(option_strings, dest, nargs=0, help=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        parser.error(f"{option_string}: {self.why}")


def no_output_flags(p: argparse.ArgumentParser, why: str, *, json_ok: bool = False) -> None:
    """`--json` and `--text` on a command whose output has no such choice: refused with
    `why` (argparse said only "unrecognized arguments: --json", and agents add --json
    everywhere); with `json_ok`, `--json` is taken and changes nothing (a command that
    prints JSON only)."""
    if json_ok:
        p.add_argument("--json", action="store_true",
                       help="accepted: JSON is what it prints")
    else:
        p.add_argument("--json", action=Refused, why=why)
    p.add_argument("--text", action=Refused, why=why)
