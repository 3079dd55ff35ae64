"""`HttpProvider`, the base that clients of HTTP APIs build on (`core/provider.py` has
the contract every client implements): the lazy HTTP clients and their closing, the
missing-secret error, the retry policy, paging, envelope checks, page sizes and the
read-back of a change whose answer was lost.
"""

from __future__ import annotations

import inspect
from abc import abstractmethod
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from meettui.core.config import missing_secret
from meettui.core.errors import (
    CredentialsError,
    DoneUnread,
    MeettuiError,
    ProviderError,
    inner_message,
)
from meettui.core.http_errors import DEFAULT_ERRORS, ErrorMap
from meettui.core.models import Meeting, Page
from meettui.core.paging import MalformedPage, Paging
from meettui.core.provider import PageAnswer, Provider

if TYPE_CHECKING:
    import httpx

    from meettui.core.http import ApiClient


class HttpProvider(Provider):
    """The base of clients that speak an HTTP API: the lazy client and its closing, the
    missing-secret error, the retry policy, paging, envelope checks and page sizes.

    A subclass supplies `auth()`, `paging`, `errors` (when the default map is not
    enough), `list_path` and `to_meeting(item)`; it writes endpoint calls and provider
    rules only."""

    paging: ClassVar[Paging]
    errors: ClassVar[ErrorMap] = DEFAULT_ERRORS
    list_path: str = "/meetings"
    """The list endpoint. A class attribute for most providers; one whose path holds an
    account setting (an event's slug, say) sets it per instance in `__init__`."""

    @cached_property
    def _clients(self) -> dict[str, ApiClient]:
        """The clients built so far, by name."""
        return {}

    # -- to be provided --------------------------------------------------------------

    @abstractmethod
    def auth(self) -> httpx.Auth | None:
        """The credentials every API call carries (`core/auth.py`)."""

    @abstractmethod
    def to_meeting(self, item: Any) -> Meeting:
        """One list or get item as a Meeting. Raises ProviderError (`malformed`) for an
        item that cannot be read."""

    def list_params(self) -> dict[str, Any]:
        """Query parameters every list request carries besides paging."""
        return {}

    # -- HTTP ------------------------------------------------------------------------

    def secret(self, name: str) -> str:
        """The secret `name`; CredentialsError naming the account, and the variable the
        config names for it or the setting to add (`config.missing_secret`), when it was
        not supplied."""
        value = self._secrets.get(name)
        if not value:
            primary = (self.secrets or self.optional_secrets or (name,))[0]
            raise missing_secret(self.account, name,
                                 self.account.secret_sources(primary).get(name),
                                 first=name == primary)
        return value

    def header_secret(self, name: str) -> str:
        """The secret `name`, to be sent as an HTTP header value. CredentialsError,
        naming the account and where the secret comes from (never the secret), when it
        holds a character no header can carry (a line break or another control
        character): httpx or the connection refused it before anything was sent, as
        "cannot be sent" or as a bug."""
        value = self.secret(name)
        if any(ord(c) < 0x20 and c != "\t" or c == "\x7f" for c in value):
            source = self.secret_source(name)
            raise CredentialsError(
                f"its {name.replace('_', ' ')} ({source}) holds characters no HTTP header "
                "can carry (a line break or another control character), so nothing was "
                "sent.", provider=self.kind,
                hint=f"Set {source} to the {name.replace('_', ' ')} alone, as "
                f"{self.display_name} shows it.")
        return value

    def secret_source(self, name: str) -> str:
        """Where the secret `name` comes from, for a message: its variable, else the
        keyring entry, else "the secret given"."""
        primary = (self.secrets or self.optional_secrets or (name,))[0]
        var = self.account.secret_sources(primary).get(name)
        if var:
            return f"${var}"
        if self.account.keyring:
            return f"its keyring entry {self.account.name}:{name}"
        return "the secret given"

    @property
    def api(self) -> ApiClient:
        """The authenticated client, built on first use so `policy` and `sleep` can still
        be changed before it."""
        return self.client("api", self.auth)

    def client(self, name: str, auth: Callable[[], httpx.Auth | None]) -> ApiClient:
        """A named client on the same base URL, transport and policy; `auth` is called
        once, when it is built (user-level calls whose token is in the path use
        one without auth)."""
        if name not in self._clients:
            from meettui.core.http import ApiClient

            self._clients[name] = ApiClient(
                provider=self.kind,
                base_url=self.base_url,
                auth=auth(),
                policy=self.policy,
                errors=self.errors,
                transport=self.transport,
                sleep=self.sleep,
                notice=lambda text: self.notice(text) if self.notice else None,
                account=self.account.name,
            )
        return self._clients[name]

    async def aclose(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            await client.aclose()

    # -- reading ---------------------------------------------------------------------

    def page_size(self, limit: int | None) -> int:
        """`limit`, or the default page size, within 1 and `capabilities.page_size_max`."""
        caps = self.capabilities
        wanted = caps.page_size_default if limit is None else int(limit)
        return max(1, min(caps.page_size_max, wanted))

    async def fetch_page(self, cursor: str | None, limit: int | None) -> tuple[Any, list[Any]]:
        """GET one page of `list_path`: the body and its raw items, envelope checked."""
        size = self.page_size(limit)
        where = f"GET {self.list_path}"
        try:
            params = {**self.paging.params(cursor, size), **self.list_params()}
        except MalformedPage as exc:
            raise ProviderError(str(exc), provider=self.kind,
                                hint="Refresh the list to start again.") from None
        body = await self.api.json("GET", self.list_path, params=params)
        try:
            return body, self.paging.items(body)
        except MalformedPage as exc:
            raise self.malformed(where, str(exc)) from None

    async def list_page(self, cursor: str | None = None, limit: int | None = None) -> Page:
        """One page of `list_path`, its items mapped (raises ProviderError, and
        MalformedPage's error for a body that does not page as documented)."""
        return (await self._answer(cursor, limit)).read()

    async def answer_page(self, cursor: str | None = None,
                          limit: int | None = None) -> PageAnswer:
        """The page's answer, its items read when `read()` is called (`Provider`'s
        contract). A client whose `list_page` does more than read the answer (names
        themes, appends rooms) is answered by that `list_page`, in one step."""
        if type(self).list_page is not HttpProvider.list_page:
            return await super().answer_page(cursor, limit)
        return await self._answer(cursor, limit)

    async def _answer(self, cursor: str | None, limit: int | None) -> PageAnswer:
        body, raw = await self.fetch_page(cursor, limit)
        where = f"GET {self.list_path}"
        broken: str | None = None
        try:
            following = self.paging.next_cursor(body, cursor, self.page_size(limit), len(raw))
        except MalformedPage as exc:
            # No next page to ask for; `read()` raises it, after the items' own error
            # (the order `list_page` has always reported them in).
            following, broken = None, str(exc)
        total = self.paging.total(body)

        def read() -> Page:
            items, skipped = self.meetings_from(raw, where)
            if broken is not None:
                raise self.malformed(where, broken)
            return Page(items=items, next_cursor=following, total=total, skipped=skipped)

        return PageAnswer(following, read)

    def meetings_from(self, raw: list[Any], where: str) -> tuple[list[Meeting], list[str]]:
        """The items of a page as meetings, and why each one that could not be read was
        left out. One odd item does not reject the page; a page of which nothing could be
        read raises the first item's ProviderError (the answer is not what the contract
        says)."""
        items: list[Meeting] = []
        skipped: list[str] = []
        first: ProviderError | None = None
        for item in raw:
            try:
                items.append(self.to_meeting(item))
            except ProviderError as exc:
                first = first or exc
                skipped.append(exc.message)
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                # A mapping that trips over a value the contract allows: still one item.
                error = self.malformed(where, f"an item it cannot read ({type(exc).__name__})")
                first = first or error
                skipped.append(error.message)
        if raw and not items and first is not None:
            raise first
        return items, skipped

    async def read_back(self, where: str, read: Callable[[], Awaitable[Meeting] | Meeting], *,
                        meeting_id: str | None = None,
                        known: Callable[[], Meeting] | None = None,
                        answer_only: str | None = None) -> Meeting:
        """The meeting as a change answered 2xx (`where`, e.g. "PUT /rooms/{id}") left
        it, made by `read`: its answer turned into a meeting, or a read that follows it
        (a coroutine function).
        The change was made whatever `read` meets, so its failure (an answer not as
        documented, a read-back cut, lost, answered 5xx or 404) raises DoneUnread, never
        an error that says nothing changed. `meeting_id` is the meeting changed or made,
        when known; `known` builds the meeting from what was sent (and that id), for
        the service to keep until a refresh; `answer_only` what only the answer held
        (`DoneUnread.answer_only`)."""
        try:
            meeting = read()
            return await meeting if inspect.isawaitable(meeting) else meeting
        except DoneUnread as exc:
            exc.meeting_id = exc.meeting_id or meeting_id
            exc.known = exc.known if exc.known is not None else _known(known)
            exc.answer_only = exc.answer_only or answer_only
            raise
        except (MeettuiError, ValueError, TypeError, KeyError, AttributeError) as exc:
            why = inner_message(exc) if isinstance(exc, MeettuiError) else \
                f"an answer it cannot read ({type(exc).__name__})"
            made = f" (meeting {meeting_id})" if meeting_id else ""
            raise DoneUnread(
                f"{where} was done{made}, but meettui could not read it back: {why}",
                provider=self.kind, meeting_id=meeting_id, known=_known(known),
                answer_only=answer_only,
            ) from None

    def malformed(self, where: str, why: str) -> ProviderError:
        """The error for an answer that does not match the provider's contract."""
        return ProviderError(
            f"{where} returned an unexpected response ({why}); meettui cannot read it.",
            provider=self.kind,
            hint=f"The response does not match {self.display_name}'s API; the cache was "
            "left as it was.",
        )


def _known(build: Callable[[], Meeting] | None) -> Meeting | None:
    """The meeting `build` makes from what a change sent, or None when there is no
    builder or it cannot make one (what was sent is no full meeting)."""
    if build is None:
        return None
    try:
        return build()
    except (MeettuiError, ValueError, TypeError, KeyError, AttributeError):
        return None
