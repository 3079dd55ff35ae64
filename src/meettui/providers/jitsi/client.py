"""Jitsi Meet: no API and no credentials, so links are built here and the cache is the
source of truth. A room exists as soon as someone opens its link, which is why the
name must be hard to guess: anyone who guesses it walks in.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, StrictBool, field_validator

from meettui.core.capabilities import Capabilities, DeleteMode, FieldKind, FieldSpec, UpdateMode
from meettui.core.display import plain
from meettui.core.errors import NotSupported, ValidationError
from meettui.core.models import Link, Meeting, MeetingSpec, Page, Role, Status
from meettui.core.option_values import switch
from meettui.core.provider import Provider

DEFAULT_DOMAIN = "meet.jit.si"
DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})+(:\d{1,5})?$"
)

# 128 short, distinct words: 7 bits each; a readable name uses 7 of them (49 bits),
# plus the title, which is enough against guessing a single room by hand.
WORDS = """
amber apple arrow aspen atlas autumn badge basil beacon birch bison blaze bloom breeze
brook cabin canyon cedar chalk cider cliff clover cobalt comet coral cosmos cotton crane
creek crystal dawn delta desert dune eagle echo ember falcon fern field fjord flint
forest fox frost galaxy garnet glacier glade granite grove harbor hazel heron hollow
honey horizon island ivory jade jasmine juniper kelp kestrel lagoon lantern larch lemon
lichen lily linen lotus lunar maple marble meadow mesa mint mist moss nebula north
oak oasis ocean olive onyx orbit orchid otter pebble pepper pine planet plum polar
poppy prairie quartz quill raven reef ridge river robin saffron sage sequoia shore
sierra silver slate solar sparrow spruce stone summit swift thistle tiger topaz tundra
valley velvet violet walnut willow winter yarrow zephyr
""".split()  # noqa: SIM905 - a word list reads best as text


class JitsiSettings(BaseModel):
    """`[accounts.settings]` of a Jitsi account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: str | None = None
    """The Jitsi server (default meet.jit.si); a self-hosted one has no moderator login."""
    readable: StrictBool = False
    """Room names from words: easier to read aloud, easier to guess. TOML's true or false
    only: "yes", "no" or 1 were taken as a boolean without a word, as the top-level
    switches never are."""

    @field_validator("domain")
    @classmethod
    def _host_name(cls, value: str | None) -> str | None:
        """A host name (a port allowed, a scheme and a trailing slash dropped as before);
        a path, query or space refused when the config loads: "https://evil.example/x y"
        made rooms on evil.example, its path dropped without a word."""
        if value is None:
            return None
        rest = value.strip().split("://", 1)[-1].rstrip("/")
        if any(char in rest for char in "/?# ") or not DOMAIN_RE.match(rest.lower()):
            raise ValueError(f"{value!r} is not a Jitsi server's host name: write the host "
                             "alone, like meet.example.org")
        return value


class JitsiProvider(Provider):
    kind = "jitsi"
    display_name = "Jitsi"
    secrets = ()
    Settings = JitsiSettings
    capabilities = Capabilities(
        remote_list=False,
        create=True,
        update=UpdateMode.LOCAL,
        delete=DeleteMode.LOCAL,
        # The server and the room (the moderator note is meettui's wording).
        searchable_details=("Domain", "Room"),
        link_roles=(Role.GUEST,),
        fields=(
            FieldSpec(
                name="domain",
                label="Domain",
                default=DEFAULT_DOMAIN,
                help="Jitsi server; a self-hosted one avoids meet.jit.si's moderator login.",
                editable=False,
            ),
            FieldSpec(
                name="readable",
                label="Readable room name",
                kind=FieldKind.BOOL,
                default=False,
                help="Words instead of random letters: easier to read aloud, easier to guess.",
                editable=False,
            ),
        ),
        notes=(
            "Jitsi has no API: meetings live only in meettui's cache.",
            "Deleting forgets the link locally; anyone who has it can still open the room.",
        ),
    )

    settings: JitsiSettings

    @property
    def domain(self) -> str:
        configured = self.settings.domain or self.account.base_url
        return normalise_domain(configured or DEFAULT_DOMAIN)

    def form_defaults(self) -> dict[str, Any]:
        """The account's own server (`domain`, or its `base_url`) for a new room."""
        return {"domain": self.domain}

    @classmethod
    def meeting_for(cls, account: str, room: str, domain: str, spec: MeetingSpec) -> Meeting:
        """The meeting of an existing room `room` on `domain` (a link built here, as
        `create` does, without drawing a new name): for the demo and tests."""
        return _meeting(account, room, domain, spec)

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        raise NotSupported("Jitsi has no server-side list; the cache is the list")

    async def get(self, meeting_id: str) -> Meeting:
        raise NotSupported("Jitsi has no server-side record; the cache holds the meeting")

    async def create(self, spec: MeetingSpec) -> Meeting:
        title = spec.title.strip()
        if not title:
            raise ValidationError("A Jitsi meeting needs a title.", field="title", provider="jitsi")
        domain = normalise_domain(spec.options.get("domain") or self.domain)
        readable = switch(spec.options.get("readable", self.settings.readable), "readable",
                          provider=self.kind)
        room = room_name(title, readable=readable)
        return _meeting(self.account.name, room, domain, spec)

    async def update_local(self, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """Only local facts change; the room name (and so the link) stays."""
        title = spec.title.strip() or meeting.title
        domain = meeting.details.get("Domain", self.domain)
        merged = MeetingSpec(
            title=title,
            starts_at=spec.starts_at or meeting.starts_at,
            ends_at=spec.ends_at or meeting.ends_at,
        )
        return _meeting(self.account.name, meeting.id, domain, merged)


def _meeting(account: str, room: str, domain: str, spec: MeetingSpec) -> Meeting:
    """The meeting of room `room` on `domain`: its link, facts and the moderator note."""
    url = f"https://{domain}/{quote(room)}"
    details = {
        "Domain": domain,
        "Room": room,
        "Moderator": moderator_note(domain),
    }
    return Meeting(
        provider=JitsiProvider.kind,
        account=account,
        id=room,
        title=spec.title.strip(),
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        status=Status.SCHEDULED if spec.starts_at else Status.UNKNOWN,
        links=[Link(role=Role.GUEST, url=url, label="Room link")],
        details=details,
        raw={"domain": domain, "room": room},
    )


def moderator_note(domain: str) -> str:
    if domain == DEFAULT_DOMAIN:
        return (
            "meet.jit.si asks the first person in to log in (Google, GitHub or Facebook) "
            "to become moderator; until then everyone waits. A self-hosted Jitsi domain "
            "avoids this."
        )
    return "Self-hosted domain: moderation follows that server's own settings."


def normalise_domain(value: str) -> str:
    value = str(value).strip()
    if "://" in value:
        value = urlsplit(value).netloc
    value = value.strip("/").lower()
    if not DOMAIN_RE.match(value):
        raise ValidationError(
            f"{value!r} is not a domain name (expected something like meet.example.org).",
            field="domain",
            provider="jitsi",
        )
    return value


def room_name(title: str, *, readable: bool = False) -> str:
    slug = _camel_slug(title)[:40]
    if readable:
        tail = "".join(secrets.choice(WORDS).capitalize() for _ in range(7))
    else:
        # 16 base32 characters: 80 random bits.
        tail = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(16))
    return f"{slug}-{tail}" if slug else tail


def _camel_slug(title: str) -> str:
    # Escape sequences go whole first (`display.plain`): letters of `ESC [31m` left in
    # the name read as words ("31mRED").
    ascii_title = unicodedata.normalize("NFKD", plain(title)).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_title)
    return "".join(w[:1].upper() + w[1:] for w in words)
