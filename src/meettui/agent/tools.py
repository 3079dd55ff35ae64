"""What each MCP tool does, on the service façade the command line uses (so the same
checks, read-only refusals, reconciled creates and error messages apply). Knows nothing
of the MCP SDK: each tool takes its input model and returns a document of
`meettui.core.contract`; `server.py` exposes them.

Rules an agent cannot talk its way past: host links (and other sensitive links) are
masked or withheld unless the server was started with --allow-host-links; deleting, and
an edit that replaces the meeting, need `confirm: true`; read-only accounts refuse every
change. A refusal or failure raises `Refused` or a `MeettuiError`, whose one-paragraph
message the server returns as the tool's error.
"""

from __future__ import annotations

import asyncio
from argparse import Namespace
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from meettui.agent.inputs import (
    CreateMeetingInput,
    DeleteMeetingInput,
    EditMeetingInput,
    GetLinksInput,
    GetMeetingInput,
    ListAccountsInput,
    ListMeetingsInput,
    MeetingRef,
    RenderQrInput,
    kind_of,
)
from meettui.core.capabilities import (
    Capabilities,
    DeleteMode,
    FieldKind,
    UpdateMode,
    describe_delete,
)
from meettui.core.contract import (
    AccountList,
    AccountOut,
    DeleteDoc,
    EditDoc,
    LinkOut,
    LinksDoc,
    MeetingDoc,
    MeetingOut,
    MeetingPage,
    QrDoc,
    ShownDoc,
    SyncErrorOut,
)
from meettui.core.dead_links import refusal
from meettui.core.display import clipped, quoted
from meettui.core.errors import (
    AlreadyDone,
    ConfigError,
    EditOnlyOption,
    GoneUpstream,
    MeettuiError,
    NotFound,
    ReplacedId,
    UnknownAccountName,
    UnknownId,
    UnknownOption,
    ValidationError,
    end_sentence,
)
from meettui.core.ids import AmbiguousId
from meettui.core.list_cursor import BadCursor, OtherWalk, parse_cursor
from meettui.core.models import Meeting, MeetingSpec
from meettui.core.service_checks import (
    already_done,
    check_taken,
    start_not_kept,
)

if TYPE_CHECKING:
    from meettui.agent.ending import Ending
    from meettui.core.service import MeetingService

ARGUMENTS = {"title": "title", "starts_at": "start", "ends_at": "end"}
"""The argument that gives each base field, for a refusal to name (`check_taken`)."""

HOST_LINKS_HINT = "Restart the server with `meettui mcp --allow-host-links` to hand them out."


QR_FORMATS = {".png": "png", ".svg": "svg"}
"""What render_qr writes, by the path's extension (any case)."""


class Refused(Exception):
    """A call the tool will not carry out as asked; the message says why and what to do."""


@dataclass
class AgentTools:
    """The tools over one service. Calls run side by side, each answered when done (a
    read of the cache is not kept waiting behind a slow provider); only the changes
    (create, edit, delete) take turns, so that two of them never act on one meeting at
    once. The cache is one SQLite connection with its own lock."""

    service: MeetingService
    allow_host_links: bool = False
    ending: Ending | None = None
    """Lets SIGTERM end a refresh its own way (`ending.py`)."""
    _changes: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def list_accounts(self, _: ListAccountsInput) -> AccountList:
        infos = self.service.accounts()
        return AccountList(accounts=[AccountOut.of(i, self.service.count([i.name]))
                                     for i in infos])

    async def list_meetings(self, inp: ListMeetingsInput) -> MeetingPage:
        service = self.service
        names = [inp.account] if inp.account else [a.name for a in service.config.accounts]
        for name in names:
            service.config.account(name)  # ConfigError naming the known accounts
        failures: list[SyncErrorOut] = []
        if not inp.offline:
            refresh = service.sync_accounts(names)
            failed = await (self.ending.walk(refresh) if self.ending else refresh)
            failures = [SyncErrorOut(account=name, message=clipped(paragraph(exc)))
                        for name, exc in failed]
        cursor = None
        if inp.after is not None:
            if "offset" in inp.model_fields_set:  # (`offset: 0` too: one or the other)
                raise Refused("Give either offset or after, not both: after continues "
                              "where the previous page ended.")
            try:
                cursor = parse_cursor(inp.after)
            except BadCursor as exc:
                raise Refused(f"after: {exc}; nothing was listed.") from None
        now = service.clock.now()
        try:
            page = service.page(names, inp.query, offset=inp.offset, limit=inp.limit,
                                upcoming=inp.upcoming, after=cursor)
        except OtherWalk as exc:
            said = exc.said({"accounts": "account", "query": "query",
                             "upcoming": "with upcoming: true",
                             "not upcoming": "without upcoming: true"})
            raise Refused(f"after: the token continues {said}: give the arguments of "
                          "the call that gave it, or call again without after; nothing "
                          "was listed.") from None
        meetings = page.meetings
        following = page.next_after is not None
        return MeetingPage(meetings=[MeetingOut.of(m, self.allow_host_links, now=now)
                                     for m in meetings], sync_errors=failures,
                           query_warnings=[] if meetings or page.matched else
                           service.unmatchable(
                               inp.query, names if inp.account else None,
                               "leave out account to list every account"),
                           matched=page.matched, truncated=following, offset=page.offset,
                           next_offset=page.offset + len(meetings) if following else None,
                           next_after=page.next_after.token() if page.next_after else None,
                           added_before=page.added)

    async def get_meeting(self, inp: GetMeetingInput) -> ShownDoc:
        meeting = await self._meeting(inp)
        failure: str | None = None
        if inp.refresh:
            try:
                meeting = await self.service.fetch(meeting.account, meeting.id)
            except GoneUpstream:
                # The provider answered that it no longer has it: re-read, it is marked
                # gone (`status` says so), no refresh error (as `show --refresh`).
                meeting = self.service.cached(meeting.account, meeting.id) or meeting
            except MeettuiError as exc:
                # As `show --refresh`: the cached copy (re-read: one gone upstream is
                # marked so now) and why it is not fresh, not an error without the
                # meeting.
                failure = clipped(paragraph(exc))
                meeting = self.service.cached(meeting.account, meeting.id) or meeting
        return ShownDoc.shown(meeting, self.allow_host_links, now=self.service.clock.now(),
                              refresh_error=failure)

    async def get_links(self, inp: GetLinksInput) -> LinksDoc:
        meeting = await self._meeting(inp)
        dead = refusal(meeting, self.service.clock.now(), "No links were given.",
                       no_new=self.service.no_new_meetings(meeting.account))
        if dead is not None:
            # Links to hand out, of a meeting gone upstream, cancelled or expired: dead
            # links handed to guests (get_meeting still shows them, with its status).
            raise dead
        given = [lk for lk in meeting.links if self.allow_host_links or not lk.sensitive]
        withheld = list(dict.fromkeys(lk.role for lk in meeting.links
                                      if lk.sensitive and not self.allow_host_links))
        return LinksDoc(id=meeting.id, account=meeting.account, title=meeting.title,
                        links=[LinkOut.of(lk, reveal=True) for lk in given],
                        withheld=withheld)

    async def create_meeting(self, inp: CreateMeetingInput) -> MeetingDoc:
        start = _when(inp.start, "start")
        end = _when(inp.end, "end", now=start)
        if start and end and end <= start:
            raise Refused("The end must be after the start; nothing was created.")
        spec = MeetingSpec(title=inp.title, starts_at=start, ends_at=end,
                           options=dict(inp.options or {}))
        async with self._changes:
            service = self.service
            caps = service.capabilities(inp.account)
            # Here for the refusal to name the argument; the service checks it again.
            check_taken(service.display_name(inp.account), caps, spec, creating=True,
                        names=ARGUMENTS)
            check_option_types(caps, spec.options)
            meeting = await service.create(inp.account, spec)
            return MeetingDoc.of(meeting, self.allow_host_links,
                                 now=self.service.clock.now(),
                                 start_note=start_not_kept(start, meeting, "start"))

    async def edit_meeting(self, inp: EditMeetingInput) -> EditDoc:
        from meettui.cli._output import UsageError
        from meettui.cli.meetings import edited_times
        if not inp.title and not inp.start and not inp.end and not inp.options:
            # As `meettui edit`: an edit without changes would still be sent, and a
            # provider that edits by recreating would replace the meeting and its links.
            raise Refused("Nothing to change: give title, start, end or options.")
        async with self._changes:
            service = self.service
            meeting = await self._meeting(inp)
            self._writable(meeting, "edited")
            caps = service.capabilities_for(meeting)
            if caps.update == UpdateMode.NONE:
                raise Refused(f"This meeting cannot be edited at "
                              f"{service.display_name(meeting.account)}. "
                              f"{caps.update_note or 'Create a new one instead.'}")
            start = _when(inp.start, "start")
            spec = MeetingSpec(title=inp.title or "", starts_at=start,
                               ends_at=_when(inp.end, "end", now=start),
                               options=dict(inp.options or {}))
            # What was given, before the meeting's own times are merged in.
            check_taken(service.display_name(meeting.account), caps, spec, names=ARGUMENTS)
            check_option_types(caps, spec.options)
            try:
                # The command line's rules for a partial change of times, word for word.
                starts_at, ends_at = edited_times(Namespace(end=inp.end), spec, meeting,
                                                  service.clock.now())
            except UsageError as exc:
                raise Refused(f"{exc}; nothing was changed.") from None
            merged = MeetingSpec(title=spec.title or meeting.title, starts_at=starts_at,
                                 ends_at=ends_at, options=spec.options)
            if service.replaces(meeting, merged) and not inp.confirm:
                raise Refused(
                    f"{meeting.account} cannot edit in place: meettui would create a new "
                    f"meeting and delete {quoted(meeting.title)} ({meeting.id}), and every "
                    "link would change. Nothing was changed; call edit_meeting again with "
                    "confirm: true to do it.")
            result = await service.update(meeting.account, meeting.id, merged)
            return EditDoc(**EditDoc.fields_of(result.meeting, self.allow_host_links,
                                                 now=service.clock.now()),
                           replaced_id=result.replaced_id, warning=result.warning or None,
                           notice=result.notice or None)

    async def delete_meeting(self, inp: DeleteMeetingInput) -> DeleteDoc:
        async with self._changes:
            service = self.service
            meeting = await self._meeting(inp)
            self._writable(meeting, "deleted")
            caps = service.capabilities_for(meeting)
            already = None if meeting.missing else already_done(caps, meeting)
            if already is not None:
                raise already  # a cancel of a cancelled meeting: nothing to confirm
            words = describe_delete(caps.delete, gone=meeting.missing)
            mode = DeleteMode.GONE if meeting.missing else caps.delete
            if not inp.confirm and mode != DeleteMode.NONE:
                # A preview, as the description promises, not an error: the answer
                # says what confirm: true would do (a provider that cannot delete is
                # refused below, as it would be then).
                return DeleteDoc.of(meeting.id, meeting.account, mode, preview=(
                    f"Not done yet: {words.verb.lower()} {quoted(meeting.title)} "
                    f"({meeting.id}) in {meeting.account}? {words.explain} Nothing was "
                    "changed; call delete_meeting again with confirm: true once the user "
                    "agreed."))
            done = await service.delete(meeting.account, meeting.id)
            return DeleteDoc.of(meeting.id, meeting.account, done)

    async def render_qr(self, inp: RenderQrInput) -> QrDoc:
        from meettui.cli.qr import (
            NO_GUEST_LINK_HINT,
            OTHER_ROLE_HINT,
            cannot_write,
            choose_link,
            qr_doc,
        )
        from meettui.core import qr

        # choose_link's hints name the command line's `--role`: said in the arguments.
        role_hints = {
            NO_GUEST_LINK_HINT: "role: host encodes the host link (where this server hands "
            "host links out); never show that one to guests.",
            OTHER_ROLE_HINT: "Leave out role to get the link that is safe to show a guest.",
        }
        meeting = await self._meeting(inp)
        try:
            link = choose_link(meeting, inp.role.value if inp.role else None,
                               self.service.clock.now(),
                               no_new=self.service.no_new_meetings(meeting.account))
        except MeettuiError as exc:
            raise Refused(f"{end_sentence(exc.message)} {role_hints.get(exc.hint, exc.hint)}"
                          .strip()) from None
        if link.sensitive and not self.allow_host_links:
            raise Refused(f"The {link.role.value} link gives host power or carries a token; "
                          f"this server does not hand it out. {HOST_LINKS_HINT}")
        path = Path(inp.path).expanduser().absolute()
        kind = QR_FORMATS.get(path.suffix.lower())
        if kind is None:
            said = (f"its name ends in {quoted(path.suffix)}" if path.suffix
                    else "its name has no extension")
            raise Refused(f"Not written: render_qr writes a PNG or an SVG, named by the "
                          f"path's extension, and {said}. Give a path ending in .png or "
                          ".svg.")
        try:
            matrix = qr.make_matrix(link.url)
        except ValueError as exc:
            raise Refused(f"The {link.role.value} link cannot be a QR code: {exc}.") from None
        write = qr.write_png if kind == "png" else qr.write_svg
        try:
            write(matrix, path, quiet=qr.QUIET, replace=inp.replace)
        except FileExistsError:
            raise Refused(f"Not written: {path} exists. Give another path, or call "
                          "render_qr again with replace: true if the user wants it "
                          "replaced.") from None
        except OSError as exc:
            raise cannot_write(str(path), exc, example=f"qr.{kind}") from None
        doc: QrDoc = qr_doc(meeting, link, matrix, qr.QUIET, [(str(path), kind)],
                            reveal=self.allow_host_links)
        return doc

    # -- helpers ------------------------------------------------------------------------

    async def _meeting(self, ref: MeetingRef) -> Meeting:
        """The cached meeting; with an account, one not cached yet is read upstream."""
        try:
            return self.service.find(ref.id, ref.account)
        except ReplacedId:
            raise  # an edit replaced it: the message names the new id
        except NotFound:
            if not ref.account:
                raise
            return await self.service.fetch(ref.account, ref.id)

    def _writable(self, meeting: Meeting, done: str) -> None:
        reason = self.service.can_write(meeting.account)
        if reason is not None:
            raise Refused(f"{reason} Nothing was {done}: the user turns read-only off (in "
                          "the app, or `read_only = false` in the config).")


def check_option_types(caps: Capabilities, options: dict[str, object]) -> None:
    """Refused at the first option whose JSON type its field cannot be: a switch takes
    a JSON boolean only (`isLocked: 1` or `"yes"` is no yes to an agent: the providers
    read the command line's text "1" and "yes" as one, and JSON must not slip through
    as that), a number a JSON number only (`capacity: "5"` was taken, `5.0` refused:
    a whole `5.0` is 5, `option_values.whole_number`)."""
    kinds = {f.name: f.kind for f in caps.fields}
    for name, value in options.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if kinds.get(name) == FieldKind.BOOL and not isinstance(value, bool):
            wanted = "true or false (a JSON boolean)"
        elif kinds.get(name) == FieldKind.INT and not number:
            wanted = "a whole number (a JSON number)"
        else:
            continue
        raise Refused(f"Invalid arguments: options.{name} must be {wanted}, not "
                      f"{kind_of(value)}. Nothing was done.")


def _when(text: str | None, name: str, now: datetime | None = None) -> datetime | None:
    """A time an agent gave, read as the command line reads it; Refused naming the
    argument when it cannot be read."""
    from meettui.core.timeparse import parse_when

    try:
        return parse_when(text, now=now)
    except ValueError as exc:
        raise Refused(f"{name}: {exc}") from None


def paragraph(exc: BaseException) -> str:
    """An error as one paragraph for an agent: the message, then what to do."""
    if isinstance(exc, AmbiguousId):
        # The command line lists the candidates below the message and points to its
        # --account flag; an agent gets them inline, and the argument to give.
        found = "; ".join(f"{m.account} {m.id} "
                          f"{quoted(m.title) if m.title else '(untitled)'}"
                          for m in exc.candidates) + ("; … and more" if exc.more else "")
        todo = ("Say which account with `account`." if exc.exact else
                "Give more of the id, or `account` to say which account.")
        return f"{exc.message} {found}. {todo}"
    if isinstance(exc, AlreadyDone) and exc.removal is not None:
        # No tool here deletes for good (delete_meeting cancels, as the provider
        # recommends): the user can, from the command line or the app.
        how = (f"ask the user to run `meettui action {exc.removal.meeting_id} "
               f"{exc.removal.action}` (these tools do not delete for good)")
        return f"{end_sentence(exc.message)} {exc.hint_running(how)}"
    # The command line's hints name its flags and commands; said here in the tools'
    # arguments and tools instead.
    if isinstance(exc, UnknownOption):
        todo = (f"Check the spelling of options.{exc.field}, or leave it out; nothing was "
                "sent." if exc.known else f"Leave out options.{exc.field}; nothing was sent.")
        return f"{end_sentence(exc.message)} {todo}"
    if isinstance(exc, EditOnlyOption):
        return (f"{end_sentence(exc.message)} Leave out options.{exc.field}, or give it to "
                "edit_meeting; nothing was sent.")
    if isinstance(exc, ReplacedId):
        return (f"{end_sentence(exc.message)} Call the tool again with id {exc.new_id} "
                f"(account {exc.account}).")
    if isinstance(exc, UnknownId):
        return (f"{end_sentence(exc.message)} Call list_meetings (it refreshes the cache) "
                "and check the id.")
    if isinstance(exc, UnknownAccountName):
        return (f"{end_sentence(exc.message)} Known accounts: "
                f"{', '.join(exc.known) or 'none'} (list_accounts lists them).")
    if isinstance(exc, ConfigError) and exc.hint == ConfigError.hint:
        return (f"{end_sentence(exc.message)} No tool can fix this: ask the user to fix "
                "meettui's config file (`meettui locate` shows where it is).")
    if isinstance(exc, ValidationError) and exc.hint == ValidationError.hint:
        # The form's words ("Correct the value and submit again"), said of the
        # argument that gives the value.
        argument = ARGUMENTS.get(exc.field, f"options.{exc.field}") \
            if exc.field is not None else None
        if exc.status is not None:
            # The provider's own words about its own parameter: no instruction to
            # follow "as the message says".
            what = f"`{argument}`" if argument else "a value of the arguments"
            todo = (f"The provider refused {what} for the reason given: change it, and "
                    "call the tool again.")
        elif argument is None:
            todo = "Change the arguments as the message says, and call the tool again."
        else:
            todo = f"Give `{argument}` as the message says, and call the tool again."
        return f"{end_sentence(exc.message)} {todo}"
    if isinstance(exc, MeettuiError):
        return exc.paragraph()
    return str(exc)
