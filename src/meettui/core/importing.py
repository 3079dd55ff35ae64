"""Importing a pasted meeting link: `meettui import URL` and the app's "Paste a meeting
link".

A link of a meeting meettui already manages (a room of a configured account whose
provider declares its link shapes, `Provider.link_rules`, or a Jitsi room in the cache)
is that meeting: the import answers with it instead of making a copy. Any other link
becomes a meeting of the "imported" account (provider kind `imported`, see
`providers/imported/`), which lives only in the cache,
like Jitsi's rooms: its id is made from the link, so importing a link twice finds the
first one. Its link is the guest link when it may be shared and a host link (masked
like every host link) when it may not (`core/links.py` says which and why).

The imported account is added to the config when it is first needed, and whenever the
cache holds imported meetings (`restore_imported_account`), so a user who never imports
a link never sees it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from meettui.core.account_rules import IMPORTED_KIND as IMPORTED_KIND
from meettui.core.account_rules import IMPORTED_NAME as IMPORTED_NAME
from meettui.core.account_rules import imported_to_restore
from meettui.core.cache import Cache
from meettui.core.capabilities import TITLE_MAX_LENGTH
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import MeettuiError, ValidationError, inner_message
from meettui.core.links import LinkRule, Recognised, recognise, same_link
from meettui.core.models import Link, Meeting, Role, Status
from meettui.core.registry import provider_class, provider_kinds

if TYPE_CHECKING:
    from meettui.core.service import MeetingService

log = logging.getLogger("meettui.importing")


SCAN_MAX = 20_000
"""The most cached meetings of one account looked through for a host link (host links
are never in the searchable text), a few seconds at worst."""
SCAN_BLOCK = 500


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    meeting: Meeting
    existing: bool
    """True when the link was already known: a meeting of a managed account, or a link
    imported before. Nothing was written then."""
    recognised: Recognised
    warnings: tuple[str, ...] = ()
    """Accounts that could not be checked for the link (offline, say): the copy may
    duplicate one of their meetings."""

    @property
    def message(self) -> str:
        """One line for the user: what was imported, or where the link already is."""
        if self.existing:
            return f"already in {self.meeting.account}: {self.meeting.id}"
        rec = self.recognised
        how = "shareable" if rec.shareable else f"not shareable: {rec.why}"
        return (f"Imported {rec.service_name} {rec.kind} into {self.meeting.account} as "
                f"{self.meeting.id} ({rec.role_text}, {how}).")


# -- the account ------------------------------------------------------------------------


def imported_account(config: Config) -> str | None:
    """The name of the account imported links go to, if there is one yet."""
    return next((a.name for a in config.accounts if a.provider == IMPORTED_KIND), None)


def ensure_imported_account(config: Config) -> str:
    """The imported account's name, adding the built-in one to `config` (in memory, not
    to the file) when there is none: `imported`, or `imported-links` when a configured
    account of another provider is named `imported`."""
    name = imported_account(config)
    if name is not None:
        return name
    taken = {a.name for a in config.accounts}
    name = IMPORTED_NAME if IMPORTED_NAME not in taken else f"{IMPORTED_NAME}-links"
    config.accounts = [*config.accounts, AccountConfig(name=name, provider=IMPORTED_KIND)]
    return name


def restore_imported_account(config: Config, cache: Cache) -> None:
    """Add the built-in imported account when the cache holds imported meetings (one
    indexed count), so they are listed again in every later run (the rule:
    `account_rules.imported_to_restore`)."""
    name = imported_to_restore(((a.name, a.provider) for a in config.accounts),
                               lambda candidate: cache.count([candidate]))
    if name is not None:
        config.accounts = [*config.accounts, AccountConfig(name=name, provider=IMPORTED_KIND)]


# -- recognising, with what the config knows ----------------------------------------------


def provider_rules() -> tuple[LinkRule, ...]:
    """Every provider client's own link rules (`Provider.link_rules`), in registry
    order. Loads the provider classes (headless, no network)."""
    return tuple(rule for kind in provider_kinds() for rule in provider_class(kind).link_rules)


def jitsi_domains(config: Config) -> list[str]:
    """The domains of configured Jitsi accounts (a self-hosted server's name says
    nothing): the account's `domain` setting, else its base URL's host."""
    domains = []
    for account in config.accounts:
        if account.provider != "jitsi":
            continue
        value = str(account.settings.get("domain") or account.base_url or "meet.jit.si")
        domains.append((urlsplit(value).hostname or "") if "://" in value else value)
    return [d.strip("/").lower() for d in domains if d]


def recognise_for(config: Config, text: str) -> Recognised:
    """`recognise` with the providers' rules and the configured Jitsi domains. Raises
    BadLink for a link that is refused."""
    return recognise(text, rules=provider_rules(), jitsi_domains=jitsi_domains(config))


# -- the meeting ----------------------------------------------------------------------------


def imported_id(rec: Recognised) -> str:
    """The id of an imported link: the service and a digest of the link, so the same link
    imported twice is the same meeting, and no token ever shows in an id."""
    digest = hashlib.sha256(rec.url.encode()).hexdigest()[:10]
    return f"{rec.service}-{digest}"


def default_title(rec: Recognised) -> str:
    """"Zoom meeting 81234567890", "Google Meet meeting abc-defg-hij", "Link to
    example.org": what the link says, for a link imported without a title."""
    if rec.service == "link":
        return f"Link to {rec.host}"
    shown_id = f" {rec.meeting_id}" if rec.meeting_id and len(rec.meeting_id) <= 40 else ""
    return f"{rec.service_name} {rec.kind}{shown_id}"


_CODE = re.compile(r"^[\w-]{3,24}$")


def imported_meeting(account: str, rec: Recognised, *, title: str = "",
                     starts_at: datetime | None = None,
                     ends_at: datetime | None = None) -> Meeting:
    """The meeting of account `account` holding link `rec`: a guest link when it may be
    shared, a host link (sensitive: masked, asked before copying) when not."""
    code = rec.meeting_id if (rec.shareable and rec.service != "link" and rec.meeting_id
                              and _CODE.match(rec.meeting_id)) else None
    link = Link(role=Role.GUEST if rec.shareable else Role.HOST, url=rec.url,
                label=f"{rec.service_name} {rec.kind}", sensitive=not rec.shareable,
                code=code)
    details = {"Service": rec.service_name, "Link": rec.kind}
    if rec.meeting_id:
        details["Meeting ID"] = rec.meeting_id
    if rec.passcode:
        details["Passcode"] = rec.passcode
    details["Shareable"] = "yes" if rec.shareable else f"no: {rec.why}"
    for number, note in enumerate(rec.notes, start=1):
        details[f"Note {number}" if len(rec.notes) > 1 else "Note"] = note
    return Meeting(
        provider=IMPORTED_KIND, account=account, id=imported_id(rec),
        title=title.strip() or default_title(rec), starts_at=starts_at, ends_at=ends_at,
        status=Status.SCHEDULED if starts_at else Status.UNKNOWN, links=[link],
        details=details,
        raw={"service": rec.service, "kind": rec.kind, "shareable": rec.shareable},
    )


# -- the import -------------------------------------------------------------------------------


async def import_link(service: MeetingService, text: str, *, title: str = "",
                      starts_at: datetime | None = None, ends_at: datetime | None = None,
                      refresh: bool = True) -> ImportResult:
    """Import the link `text` (see the module docstring). With `refresh`, a link of a
    managed account's provider that is not in the cache yet is looked for upstream
    first (the account's list is read into the cache); an account that cannot be read
    is named in `ImportResult.warnings`.

    Raises BadLink for a refused link, ValidationError for a title that is too long or
    an end not after the start."""
    rec = recognise_for(service.config, text)
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(f"The title is {len(title):,} characters long; at most "
                              f"{TITLE_MAX_LENGTH} are allowed.", field="title")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError("The end must be after the start.", field="ends_at")
    managed = [a.name for a in service.config.accounts if a.provider == rec.service]
    found = _find_managed(service.cache, managed, rec)
    warnings: list[str] = []
    if found is None and refresh:
        for name in managed:
            if not service.capabilities(name).remote_list:
                continue
            try:
                await service.sync_all(name)
            except MeettuiError as exc:
                warnings.append(f"{name} could not be checked: {inner_message(exc)}")
                continue
            found = _find_managed(service.cache, [name], rec)
            if found is not None:
                break
    if found is not None:
        return ImportResult(found, True, rec)
    account = ensure_imported_account(service.config)
    meeting = imported_meeting(account, rec, title=title, starts_at=starts_at,
                               ends_at=ends_at)
    # The same link told otherwise (a fragment, a trailing "/", other letter case, a
    # query parameter more: `links.same_link`) is the link imported before: each made a
    # meeting of its own, its id a digest of the text.
    before = service.cache.get(account, meeting.id) or _find_managed(
        service.cache, [account], rec, search=rec.meeting_id or rec.host)
    if before is not None:
        return ImportResult(before, True, rec, tuple(warnings))
    await service.cache.off_loop(service.cache.upsert, meeting)
    # Not the link: a log line must not hold a host link, even a redacted one.
    log.info("imported a %s %s into %s as %s", rec.service, rec.kind, account, meeting.id)
    return ImportResult(meeting, False, rec, tuple(warnings))


def _find_managed(cache: Cache, accounts: list[str], rec: Recognised, *,
                  search: str | None = None) -> Meeting | None:
    """The cached meeting of `accounts` that has link `rec` (or a link meaning the same
    meeting, `Recognised.same`), if any. `search`: the words that find the candidates
    (`rec.search` by default: for an imported link that is the link as pasted, which a
    variant of it, `#x` added, is not found by)."""
    if not accounts:
        return None
    search = search or rec.search
    targets = (rec.url, *rec.same)

    def has_link(meeting: Meeting) -> bool:
        return any(same_link(target, link.url) for target in targets
                   for link in meeting.links)

    if search:
        # The searchable text holds shareable links and ids: a quoted phrase finds the
        # candidates through SQL; each is then checked link by link.
        query = '"' + search.replace('"', "") + '"'
        candidates = cache.window(accounts, query, limit=200)
        found = next((m for m in candidates if has_link(m)), None)
        if found is not None or rec.search is not None:
            return found
    for name in accounts:
        for offset in range(0, SCAN_MAX, SCAN_BLOCK):
            block = cache.window([name], "", offset=offset, limit=SCAN_BLOCK)
            hit = next((m for m in block if has_link(m)), None)
            if hit is not None:
                return hit
            if len(block) < SCAN_BLOCK:
                break
    return None
