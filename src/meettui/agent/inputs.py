"""What each MCP tool takes: one pydantic model per tool. The server turns each model's
fields into the tool's parameters, so the input schema an agent sees is this model's
JSON Schema, and every call is validated by the model before anything runs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from meettui.core.models import Role

_ID = "The meeting's id, as list_meetings gives it."
_ACCOUNT = ("The account the meeting is in (list_accounts names them); needed only when "
            "the id exists in several accounts.")
_WHEN = ("ISO 8601 (`2026-05-01T14:00`, local time when it has no offset, or with one: "
         "`2026-05-01T14:00+02:00`) or relative: `+30m`, `+2h`, `+1d`.")
_OPTIONS = ("Provider options by name (e.g. roomMode: group); the provider refuses "
            "names it does not take, naming those it does.")


class _Input(BaseModel):
    """The base of every tool's input (the SDK validates the arguments against the
    schema these fields make, then the model checks them once more)."""


class ListAccountsInput(_Input):
    """No arguments."""


class ListMeetingsInput(_Input):
    account: str | None = Field(default=None, description=(
        "Only this account (list_accounts names them); every account when omitted."))
    query: str = Field(default="", max_length=200, description=(
        "The app's filter (as `meettui list --query`): plain words match titles, ids, "
        "accounts, the facts each provider calls data (rooms, guests, hosts, speakers) "
        "and shareable links with their meeting codes, never host links nor meettui's "
        "explanations; \"a phrase\" as a whole; account:NAME and "
        "status:live (scheduled, started, live, ended, expired, cancelled, gone, "
        "unknown) narrow it."))
    limit: int = Field(default=50, ge=1, le=1000, description="At most this many meetings.")
    offline: bool = Field(default=False, description=(
        "Read meettui's cache only, without asking the providers for changes first."))


class MeetingRef(_Input):
    id: str = Field(min_length=1, description=_ID)
    account: str | None = Field(default=None, description=_ACCOUNT)


class GetMeetingInput(MeetingRef):
    refresh: bool = Field(default=False, description="Re-read it from the provider first.")


class GetLinksInput(MeetingRef):
    pass


class CreateMeetingInput(_Input):
    account: str = Field(min_length=1, description="The account to create it in.")
    title: str = Field(default="", description="The title (some providers keep none: "
                       "meettui then keeps it locally).")
    start: str | None = Field(default=None, description="When it starts: " + _WHEN)
    end: str | None = Field(default=None, description=(
        "When it ends: " + _WHEN + " A relative end counts from the start."))
    options: dict[str, str | bool] | None = Field(default=None, description=_OPTIONS)


class EditMeetingInput(MeetingRef):
    title: str | None = Field(default=None, description="A new title.")
    start: str | None = Field(default=None, description=(
        "A new start: " + _WHEN + " Given alone, it moves the meeting (its end follows)."))
    end: str | None = Field(default=None, description=(
        "A new end: " + _WHEN + " A relative end counts from the (new) start."))
    options: dict[str, str | bool] | None = Field(default=None, description=_OPTIONS)
    confirm: bool = Field(default=False, description=(
        "Must be true when the provider cannot edit in place: meettui then "
        "creates a new meeting and deletes this one, and every link changes. Without it "
        "such an edit is refused and nothing changes."))


class DeleteMeetingInput(MeetingRef):
    confirm: bool = Field(default=False, description=(
        "Must be true: without it the tool only says what it would delete (or cancel) "
        "and changes nothing. Ask the user before setting it."))


class RenderQrInput(MeetingRef):
    path: str = Field(min_length=1, description=(
        "Where to write the PNG (an absolute path is best; a relative one is read from "
        "the server's working directory). An existing file is kept unless `replace` is "
        "true; meettui's own config, cache and log are never written."))
    replace: bool = Field(default=False, description=(
        "Replace the file at `path` if it exists (only when the user asked for that)."))
    role: Role | None = Field(default=None, description=(
        "Which link to encode; by default the one safe to show a guest. host only when "
        "the server was started with --allow-host-links."))
