"""What each MCP tool takes: one pydantic model per tool. The server turns each model's
fields into the tool's parameters, so the input schema an agent sees is this model's
JSON Schema, and every call is validated by the model before anything runs."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from meettui.core.models import Role

_ID = "The meeting's id, as list_meetings gives it."
_ACCOUNT = ("The account the meeting is in (list_accounts names them); needed only when "
            "the id exists in several accounts.")
# The shape, not a date: a fixed example date ("2026-05-01T14:00") is in the past once
# that day has gone, and a start given as shown is refused.
_WHEN = ("ISO 8601 (`YYYY-MM-DDTHH:MM`, local time when it has no offset, or with one: "
         "`YYYY-MM-DDTHH:MM+02:00`) or relative: `+30m`, `+2h`, `+1d`.")
MAX_OFFSET = 2**53
"""Far beyond any cache, and below SQLite's largest integer with a start added."""
_OPTIONS = ("Provider options by name (e.g. roomMode: group, capacity: 5, isLocked: "
            "true): a string, a number or a JSON boolean, as the option is: a switch "
            "takes true or false only (never 1, 0 or \"yes\"), a number option a JSON "
            "number only (never \"5\"); the provider refuses names it does not take, "
            "naming those it does.")


def _object_from_json(value: Any) -> Any:
    """An object some clients send as its JSON text, read back (the SDK's leniency)."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return parsed if isinstance(parsed, dict) else value
    return value


# Strict: a JSON number stays a number (a capacity of 5), never a boolean (pydantic's
# lax bool reads 1 as true: `isLocked: 1` locked a room), and a string stays a string.
OptionValue = StrictStr | StrictBool | StrictInt | StrictFloat
Options = Annotated[dict[str, OptionValue] | None, BeforeValidator(_object_from_json)]


class _Input(BaseModel):
    """The base of every tool's input (the server checks the arguments against it
    before the SDK reads them, and the SDK's check is the same). Booleans are strict:
    `"yes"`, `"true"` or `1` for `confirm` is a mistake to refuse, not a yes. An
    argument the tool does not take is refused too: ignored, a misspelt `confirm` or
    `account` would change what the call does without a word."""

    model_config = ConfigDict(extra="forbid")


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
        "unknown: the `status` each meeting's answer carries) narrow it."))
    upcoming: bool = Field(default=False, strict=True, description=(
        "Start at what is on now or next (as the app opens: the first meeting not over "
        "that began at most an hour ago, else the first not over), leaving out the past "
        "before it; `offset` and `matched` then count from there (with `after`, from "
        "where the first page began)."))
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, strict=True, description=(
        "Skip this many of the matching meetings first. For the next page, give `after` "
        "instead: an offset moves when the list changes between calls (with `upcoming` "
        "its start moves with the clock) and can skip meetings."))
    after: str | None = Field(default=None, max_length=4000, description=(
        "The `next_after` of the previous answer, with the other arguments as they "
        "were (another account, query or upcoming is refused): the page after that one, "
        "each meeting exactly once however the clock or "
        "the cache moves between calls (`added_before` counts meetings cached since at "
        "places already passed). Not with `offset` (not even 0)."))
    limit: int = Field(default=50, ge=1, le=1000, strict=True,
                       description="At most this many meetings (a page).")
    offline: bool = Field(default=False, strict=True, description=(
        "Read meettui's cache only, without asking the providers for changes first."))


class MeetingRef(_Input):
    id: str = Field(min_length=1, description=_ID)
    account: str | None = Field(default=None, description=_ACCOUNT)


class GetMeetingInput(MeetingRef):
    refresh: bool = Field(default=False, strict=True,
                          description="Re-read it from the provider first.")


class GetLinksInput(MeetingRef):
    pass


class CreateMeetingInput(_Input):
    account: str = Field(min_length=1, description="The account to create it in.")
    title: str = Field(default="", description="The title (some providers keep none: "
                       "meettui then keeps it locally).")
    start: str | None = Field(default=None, description="When it starts: " + _WHEN)
    end: str | None = Field(default=None, description=(
        "When it ends: " + _WHEN + " A relative end counts from the start."))
    options: Options = Field(default=None, description=_OPTIONS)


class EditMeetingInput(MeetingRef):
    title: str | None = Field(default=None, description="A new title.")
    start: str | None = Field(default=None, description=(
        "A new start: " + _WHEN + " Given alone, it moves the meeting (its end follows)."))
    end: str | None = Field(default=None, description=(
        "A new end: " + _WHEN + " A relative end counts from the (new) start."))
    options: Options = Field(default=None, description=_OPTIONS)
    confirm: bool = Field(default=False, strict=True, description=(
        "Must be true when the provider cannot edit in place: meettui then "
        "creates a new meeting and deletes this one, and every link changes. Without it "
        "such an edit is refused and nothing changes."))


class DeleteMeetingInput(MeetingRef):
    confirm: bool = Field(default=False, strict=True, description=(
        "Must be true to delete: without it the tool only says what it would delete (or "
        "cancel), in an answer with `preview`, and changes nothing. Ask the user "
        "before setting it."))


class RenderQrInput(MeetingRef):
    path: str = Field(min_length=1, description=(
        "Where to write the code: a path ending in .png (a PNG image) or .svg (an SVG); "
        "another extension is refused. An absolute path is best (a relative one is read from "
        "the server's working directory). An existing file is kept unless `replace` is "
        "true; meettui's own config, cache and log are never written."))
    replace: bool = Field(default=False, strict=True, description=(
        "Replace the file at `path` if it exists (only when the user asked for that)."))
    role: Role | None = Field(default=None, description=(
        "Which link to encode; by default the one safe to show a guest. host only when "
        "the server was started with --allow-host-links."))


# What a value of each pydantic error type should have been.
_WANTED = {
    "bool_type": "true or false (a JSON boolean)", "bool_parsing": "true or false (a JSON boolean)",
    "string_type": "a string", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "dict_type": "an object",
    "float_type": "a number", "float_parsing": "a number",
}
# The member names pydantic adds to the location of an error inside a union.
_UNION_MEMBERS = {"str", "bool", "int", "float"}


def invalid(exc: ValidationError, model: type[BaseModel]) -> str:
    """What is wrong with arguments `model` refused, in one sentence that names each
    argument and what it should be (pydantic's own text is several lines with a URL
    each), and the arguments the tool takes when it was given others."""
    wanted: dict[str, list[str]] = {}  # argument -> what it should be, in order met
    said: dict[str, str] = {}  # argument -> the sentence about it, in order met
    unknown: list[str] = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        while len(loc) > 1 and loc[-1] in _UNION_MEMBERS:
            loc.pop()
        name = ".".join(loc) or "the arguments"
        if err["type"] == "extra_forbidden":
            unknown.append(name)
        elif err["type"] in _WANTED:
            nouns = wanted.setdefault(name, [])
            nouns.append(_WANTED[err["type"]])
            if "a number" in nouns and "a whole number" in nouns:
                nouns.remove("a whole number")  # (an option's value: either number)
            said[name] = (f"{name} must be {' or '.join(dict.fromkeys(nouns))}, "
                          f"not {kind_of(err['input'])}")
        elif err["type"] == "missing":
            said.setdefault(name, f"{name} is required")
        else:
            said.setdefault(name, f"{name} " + re.sub(r"^(Input|String|Value) should", "must",
                                                      err["msg"]))
    if unknown:
        takes = ", ".join(model.model_fields) or "no arguments"
        verb = "is not an argument" if len(unknown) == 1 else "are not arguments"
        said["unknown"] = f"{', '.join(unknown)} {verb} of this tool (it takes {takes})"
    return "Invalid arguments: " + "; ".join(said.values()) + ". Nothing was done."


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float):
        # The number itself: "a whole number, not a number" read as a contradiction for
        # 2.5, and said nothing of 2.0 (send 2).
        shown = repr(value)
        return shown if len(shown) <= 24 else "a number"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
