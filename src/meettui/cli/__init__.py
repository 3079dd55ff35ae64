"""The command line: the TUI by default, subcommands for scripts and agents.

Exit codes: 0 ok, 1 a provider or user error (the message says what to do), 2 a usage
error, 3 done but something is left to do by hand (the message says what), 130
interrupted. Output is JSON when --json is given or stdout is not a terminal.
Each command group lives in its own module and registers itself on the parser.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from meettui import __version__
from meettui.cli._output import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_LEFT_OVER,
    EXIT_OK,
    EXIT_USAGE,
    GuardedOutput,
    OutputError,
    Refused,
    UsageError,
    guard_text_arguments,
    tolerant_streams,
)
from meettui.core.display import clipped, printable
from meettui.core.errors import (
    AlreadyDone,
    ConfigError,
    MeettuiError,
    ValidationError,
    end_sentence,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from meettui.cli.command_index import Commands

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_LEFT_OVER", "EXIT_OK", "EXIT_USAGE",
           "build_parser", "main"]

# Options that take a time, and a value argparse would mistake for an option.
TIME_OPTIONS = ("--start", "--end")
_NEGATIVE_TIME = re.compile(r"^-\s*\d")


class StoreOnce(argparse._StoreAction):
    """argparse's `store`, refusing a second value for the same option (exit 2)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        given: set[str] = namespace.__dict__.setdefault("_meettui_given", set())
        if self.dest in given and option_string is not None:
            parser.error(f"{option_string} is given twice ({getattr(namespace, self.dest)!r} "
                         f"and {values!r}): give it once")
        given.add(self.dest)
        super().__call__(parser, namespace, values, option_string)


class Parser(argparse.ArgumentParser):
    """argparse, saying how to give a value that starts with '-'. The top-level parser
    also knows its commands' parsers (`commands`, by name), to blame the right usage."""

    commands: Commands
    _intermixing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No abbreviations: a simulator without `--rate-limit` took it for
        # `--rate-limit-rate` ("a share is between 0 and 1"), and a flag a later version
        # adds would change what an abbreviation typed today means.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        # An option given twice is refused, as a repeated `-o NAME=…` is: `--end +1h
        # --end +2h` took the last one without a word.
        self.register("action", None, StoreOnce)
        self.register("action", "store", StoreOnce)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        """Options anywhere among a command's positionals: argparse takes the
        positionals of one run of them together, so `action ID -a X stop` left `stop`
        over ("unrecognized arguments") once NAME had been taken as absent. A command
        with several positionals (or a list of them) is parsed intermixed."""
        if self._intermixing or not self._intermixable():
            return super().parse_known_args(args, namespace)
        self._intermixing = True  # (the intermixed parse calls this method again)
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False

    def _intermixable(self) -> bool:
        positionals = self._get_positional_actions()
        if any(a.nargs in (argparse.PARSER, argparse.REMAINDER) for a in positionals):
            return False  # (a parser of commands, or the rest passed on: not intermixed)
        return len(positionals) > 1 or any(a.nargs in ("*", "+") for a in positionals)

    def error(self, message: str) -> NoReturn:
        if message.endswith("expected one argument"):
            message += " (a value that starts with '-' is attached with '=': --title=-x)"
        # The message quotes what was typed ("unrecognized arguments: …"): an escape
        # sequence in it would reach the terminal raw, as no other error lets it.
        # And a 5 MB argument is cut to its start and end (`clipped`), as the MCP server
        # cuts it: whole, it filled the terminal.
        super().error(printable(clipped(message)))

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse ignores a failed write (its help into `> /dev/full` exited 0, saying
        # nothing); the help and usage into stdout are an answer like any other.
        if not message or (file is not None and file is not sys.stdout):
            super()._print_message(message, file)
            return
        try:
            GuardedOutput(sys.stdout).write(message)
            GuardedOutput(sys.stdout).flush()
        except OutputError as exc:
            raise SystemExit(_output_failed(exc, sys.stdout)) from None



def _hint(exc: MeettuiError, args: argparse.Namespace | None = None) -> str:
    """What to do about `exc`, in the command line's words: an action still left to do
    (a cancelled meeting's delete for good) as the command that runs it, not as the
    app's name for it; a value refused as the flag of the command run (`args`) that
    gives it (`field_flag`)."""
    if isinstance(exc, AlreadyDone) and exc.removal is not None:
        import shlex

        removal = exc.removal
        return exc.hint_running(f"run `meettui action {shlex.quote(removal.meeting_id)} "
                                f"{removal.action}`")
    if isinstance(exc, ValidationError) and exc.hint == ValidationError.hint:
        # The form's words ("Correct the value and submit again") for a command that
        # may have given no value at all (`create` without --end).
        flag = field_flag(args, exc.field) if exc.field is not None else None
        if exc.status is not None:
            # The provider's own words, about its own parameter ("user[name] is longer
            # than 128 characters"): no instruction to follow "as the message says".
            what = f"the value of {flag}" if flag else "a value the command gives"
            return (f"The provider refused {what} for the reason above: change it, and "
                    "run the command again.")
        if flag is None:
            return "Change what the command gives as the message says, and run it again."
        return f"Give {flag} as the message says, and run the command again."
    return exc.hint


def field_flag(args: argparse.Namespace | None, field: str) -> str | None:
    """How the command run (`args`) gives `field`, for a refusal to name: its own flag
    (`--end` of `create`, `--host` of `start`, `--token or --name` of `host remove`:
    the parser's `field_flags`), else `-o FIELD=…` where it takes `-o` (`takes_options`);
    None when it gives the field no way (say so in other words)."""
    if args is None:
        return None
    named: dict[str, str] = getattr(args, "field_flags", None) or {}
    if field in named:
        return named[field]
    return f"-o {field}=…" if getattr(args, "takes_options", False) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `meettui ARGV`; returns the exit status. Whatever the input, no traceback:
    a reader that stops reading (`meettui list | head -1`) ends the command quietly,
    and an unexpected failure is one line here and the traceback in the log."""
    restore = tolerant_streams()  # (an ASCII stdout: degraded text, ASCII-safe JSON)
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    except BrokenPipeError:
        _quiet_broken_streams()
        return EXIT_OK
    finally:
        restore()


def _main(argv: list[str]) -> int:
    if argv == ["--version"]:  # answered before the parser loads every command
        try:
            GuardedOutput(sys.stdout).write(f"meettui {__version__}\n")
            GuardedOutput(sys.stdout).flush()
        except OutputError as exc:
            return _output_failed(exc, sys.stdout)
        return EXIT_OK
    parser = build_parser(lazy=True)
    _refuse_negative_times(parser, argv)
    args = _parse(parser, argv)
    command = getattr(args, "func", None)
    if command is None and not _at_a_terminal():
        # The app draws on a terminal and reads its keys: with none (a script, an agent,
        # `meettui < /dev/null`) it drew into the pipe and waited for keys for ever.
        _no_terminal_usage(parser)
        return EXIT_USAGE
    guarded = command is not None and args.meettui_command not in _OWN_STDOUT
    stdout = sys.stdout
    if guarded:
        sys.stdout = cast("TextIO", GuardedOutput(stdout))
    try:
        if getattr(args, "meettui_command", None) not in _NO_FILES:
            _refuse_one_file_for_two()
        # A command's quick path (`quick_list`) logs nothing and loads no logging: it
        # answers, or says (None) that the command itself must.
        quick = getattr(args, "quick", None)
        result: int | None = quick(args) if quick is not None else None
        if result is None:
            _setup_logging(args)
            result = run_tui(args) if command is None else command(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return result
    except UsageError as exc:
        print(f"meettui: {printable(clipped(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except MeettuiError as exc:
        hint = _hint(exc, args)
        # The sentences of the error's one wording (`MeettuiError.paragraph`), the hint
        # on a line of its own: "→ 503 Service Unavailable" ended no sentence.
        message = end_sentence(exc.message) if hint else exc.message
        print(f"meettui: {printable(clipped(message))}", file=sys.stderr)
        # An error may list what it is about (AmbiguousId: the candidates, core/ids.py).
        for line in getattr(exc, "lines", list)():
            print(f"  {printable(clipped(line))}", file=sys.stderr)
        if hint:
            print(f"  {printable(clipped(hint))}", file=sys.stderr)
        code: int = getattr(exc, "exit_code", EXIT_ERROR)
        return code
    except OutputError as exc:
        return _output_failed(exc, stdout)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:  # a bug: say so in one paragraph, keep the traceback
        if args.debug:
            raise
        import logging  # here: `meettui --help` (which never logs) stays quick

        from meettui.core.paths import log_path
        from meettui.core.redact import redact
        from meettui.logs import log_problem

        _setup_logging(args)  # (a quick path failed before it was set up)
        logging.getLogger(__name__).exception("unexpected error")
        where = (f"The details are in the log ({log_path()}); --debug shows them here."
                 if log_problem() is None else
                 "The log cannot be written this run, so the details are "
                 "not kept: run the command again with --debug to see them here.")
        print(f"meettui: unexpected error: {printable(redact(f'{type(exc).__name__}: {exc}'))}"
              f"\n  This is a bug in meettui. {where}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if guarded:
            sys.stdout = stdout


def _at_a_terminal() -> bool:
    """Whether stdin and stdout are both a terminal: the app needs both."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # (closed, or no such stream)
        return False


def _no_terminal_usage(parser: argparse.ArgumentParser) -> None:
    """The short usage bare `meettui` gives without a terminal: the commands, on stderr."""
    import textwrap

    commands = getattr(parser, "commands", None)
    names = ", ".join(commands.choices if commands is not None else ())
    print("meettui: the app needs a terminal (stdin and stdout); give a command.\n"
          f"{parser.format_usage().rstrip()}\ncommands:\n"
          + textwrap.fill(names, width=78, initial_indent="  ", subsequent_indent="  ")
          + "\n  `meettui --help` says what each one does.", file=sys.stderr)


_OWN_STDOUT = {"mcp", "simulate"}
"""Commands whose stdout is not one answer: the MCP server's protocol stream (its SDK
wraps the real stream's buffer) and a simulator's log."""


def _output_failed(exc: OutputError, stream: TextIO) -> int:
    """The answer did not arrive (`> /dev/full`, a full disk, an I/O error): say so, not
    "a bug", and drop what is left unwritten, or the interpreter's last flush fails
    again; a provider or user error (1): nothing is wrong with the command line."""
    print(f"meettui: cannot write the output: {exc.reason}", file=sys.stderr)
    _drop_unwritten(stream)
    return EXIT_ERROR


def _drop_unwritten(stream: TextIO) -> None:
    """After `stream` failed, point its file at /dev/null, so that the flush at exit
    does not fail again on what was left in its buffer."""
    try:
        stream.flush()
    except OSError:
        try:
            fd = stream.fileno()
        except (AttributeError, ValueError, OSError):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """`argv` parsed; an argument nothing takes is a usage error (exit 2) of the command
    it was given to, with that command's usage (argparse would show the top level's,
    whose COMMAND ... says nothing of `list`'s options)."""
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "meettui_command", None) is None and \
            {"--json", "--text"} & set(extra):
        parser.error(f"{'--json' if '--json' in extra else '--text'} goes with a command "
                     "that prints data (meettui list --json); without one, meettui "
                     "opens the app")
    commands: Commands | None = getattr(parser, "commands", None)
    given = getattr(args, "meettui_command", None) or ""
    command = commands.parser_of(given) if commands is not None else None
    for flag in dict.fromkeys(word for word in extra if word.startswith("-")):
        if command is None:
            break
        # Given before the command (`meettui --json list`, `meettui --yes delete ID`):
        # the command's own switch, as it would be after it: taken, or refused with the
        # command's reason (it started the MCP server, and was "unrecognized" to
        # `simulate`; `--yes` was "unrecognized" to `delete`, which takes it).
        action = command._option_string_actions.get(flag)
        if action is None or action.nargs != 0:
            continue  # (an option with a value, `-a X`, is not read before the command)
        if isinstance(action, Refused):
            action(command, args, None, flag)
        extra = [word for word in extra if word != flag]
        if isinstance(action, argparse._CountAction):
            setattr(args, action.dest, (getattr(args, action.dest, None) or 0) + 1)
        else:
            setattr(args, action.dest, action.const)
    if getattr(args, "json", False) and getattr(args, "text", False):
        parser.error("--json and --text ask for two outputs: give one")
    if extra:
        blamed = command or parser
        blamed.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


_NO_FILES = {"locate", "schema", "simulate"}
"""Commands that read and write none of meettui's files (`locate` shows them)."""


def _refuse_one_file_for_two() -> None:
    """ConfigError when two of meettui's files are one (`paths.one_file_for_two`): before
    anything is read, logged or written, since each would write over the other."""
    from meettui.core.paths import one_file_for_two

    clash = one_file_for_two()
    if clash is not None:
        (what, path), (other, other_path) = clash
        names = printable(str(path)) if path == other_path else \
            f"{printable(str(path))} and {printable(str(other_path))}"
        raise ConfigError(
            f"The {what} and the {other} are one file: {names}.",
            hint="Point MEETTUI_CONFIG, MEETTUI_CACHE and MEETTUI_LOG at three different "
                 "files (`meettui locate` shows where each one is); nothing was read or "
                 "written.")


def _setup_logging(args: argparse.Namespace) -> None:
    """The log file, once per run (`meettui.logs`: it loads logging.handlers). For the
    app (no command), a log that cannot be written is said by the app, among its
    start-up warnings (`run_tui`), not on stderr behind it."""
    if not getattr(args, "_logging", False):
        from meettui.logs import setup_logging

        setup_logging(debug=args.debug, quiet=getattr(args, "func", None) is None)
        args._logging = True


def _refuse_negative_times(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """`--end -30m` would reach argparse as two options; say what is wrong instead."""
    for option, value in zip(argv, argv[1:], strict=False):
        if option in TIME_OPTIONS and _NEGATIVE_TIME.match(value):
            parser.exit(EXIT_USAGE, f"meettui: error: argument {option}: {value!r} counts "
                        "backwards; relative times count forward (an --end from the start): "
                        "+30m, +2h, +1d\n")


def _quiet_broken_streams() -> None:
    """After EPIPE, point the broken standard streams at /dev/null, so that flushing
    them at exit does not print "Exception ignored … BrokenPipeError" (the recipe in
    the `signal` module's documentation)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            try:
                fd = stream.fileno()
            except (AttributeError, ValueError, OSError):
                continue
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        except (OSError, ValueError):
            continue


def build_parser(lazy: bool = False) -> argparse.ArgumentParser:
    """The `meettui` parser. Every command is listed; with `lazy`, a command's parser
    (its arguments, its module) is built only when that command is parsed
    (`command_index.Commands`), which `meettui --help` and the app never do."""
    from meettui.cli.command_index import Commands, list_commands

    parser = Parser(
        prog="meettui",
        description="Manage video meetings across providers. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"meettui {__version__}")
    parser.add_argument("--debug", action="store_true", help="log more detail to the log file")
    # The subcommands' parsers are Parsers too (argparse makes them of the parent's class).
    sub = cast("Commands", parser.add_subparsers(title="commands", metavar="COMMAND",
                                                 dest="meettui_command", action=Commands))
    list_commands(sub)
    if not lazy:
        sub.build_all()
    guard_text_arguments(parser)
    parser.commands = sub
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """The app, on the service the composition root builds."""
    terminal = None
    if os.name == "posix" and sys.__stdin__ is not None:
        from meettui.tui.early_keys import take_terminal

        # Before the app is imported (a few hundred ms): keys typed meanwhile reach it
        # as typed, not as the terminal's line mode makes them (tui/early_keys.py).
        terminal = take_terminal(sys.__stdin__.fileno())
    try:
        from meettui.bootstrap import open_service
        from meettui.logs import log_problem
        from meettui.tui.app import run_app

        problem = log_problem()
        try:
            service = open_service()
        except BaseException:
            if problem:  # the app that would have said it does not start
                print(f"meettui: {problem}", file=sys.stderr)
            raise
        try:
            return run_app(service, log_problem=problem, terminal=terminal)
        finally:
            service.cache.close()
    finally:
        if terminal is not None:
            terminal.give_back()
