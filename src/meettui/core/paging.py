"""Paging styles: how a provider's list answer says where its items are, what to ask for
next, and how many there are in all.

A provider picks one style; `HttpProvider.list_page` asks it for the request parameters
and reads the answer through it. The cursor a style hands out is the opaque string in
`Page.next_cursor`, kept in the cache between runs, so it stays plain text (a page
number, a provider's own cursor, a `start_id`). The loop that walks pages, and its guard
against a server that repeats a cursor or never ends, is `WalkGuard`, used once by the
service's sync.

Styles, after the contracts in `../shared/research/`:

| style | provider | how it pages |
|---|---|---|
| `CursorPaging` | opaque cursors | an opaque `cursor` in the body, sent back as `?cursor=` |
| `PageNumberPaging` | 1-based or 0-based pages | `?page=N`, a total in the body |
| `HydraPaging` | Hydra | `hydra:member`; `hydra:view`'s next, or `@id == hydra:lastPage` |
| `NextLinkPaging` | HAL next links | `start_id` read from `_links.next.href` (never followed) |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit


class MalformedPage(ValueError):
    """The answer is not a page of this style; the message says what is wrong."""


class Paging(Protocol):
    """One paging style. `limit` is the page size already clamped by the provider."""

    def params(self, cursor: str | None, limit: int) -> dict[str, Any]:
        """Query parameters for the page after `cursor` (None: the first page).
        Raises MalformedPage for a cursor this style never handed out."""
        ...

    def items(self, body: Any) -> list[Any]:
        """The raw items of the page. Raises MalformedPage when there is no item list."""
        ...

    def next_cursor(self, body: Any, cursor: str | None, limit: int, count: int) -> str | None:
        """The cursor of the page after this one, or None on the last page. `count` is
        how many items this page held."""
        ...

    def total(self, body: Any) -> int | None:
        """How many items the whole list holds, when the answer says."""
        ...


def _int(value: Any) -> int | None:
    """An integer from JSON, also when sent as a string ("3"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _list_at(body: Any, key: str) -> list[Any]:
    if not isinstance(body, dict):
        raise MalformedPage(f"an answer that is not an object ({type(body).__name__})")
    items = body.get(key)
    if not isinstance(items, list):
        raise MalformedPage(f"a list without `{key}`")
    return items


@dataclass(frozen=True)
class CursorPaging:
    """An opaque cursor in the body, sent back as a query parameter; null on the last page
    (`{"results": [...], "cursor": "..."}`)."""

    items_key: str = "results"
    cursor_key: str = "cursor"
    cursor_param: str = "cursor"
    size_param: str = "limit"

    def params(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {self.size_param: limit}
        if cursor:
            params[self.cursor_param] = cursor
        return params

    def items(self, body: Any) -> list[Any]:
        return _list_at(body, self.items_key)

    def next_cursor(self, body: Any, cursor: str | None, limit: int, count: int) -> str | None:
        value = body.get(self.cursor_key) if isinstance(body, dict) else None
        if value is not None and not isinstance(value, str):
            raise MalformedPage(f"a `{self.cursor_key}` that is not a string or null")
        return value or None

    def total(self, body: Any) -> int | None:
        return None


@dataclass(frozen=True)
class PageNumberPaging:
    """Numbered pages with a total in the body: 1-based (`?page=1&limit=25`,
    `{"items", "total", "limit"}`), or 0-based (`?page=0&size=20`,
    `{"data", "recordsFiltered"}`). The cursor is the next page's number, after an
    optional `prefix` (e.g. `permalink:N`)."""

    first: int = 1
    page_param: str = "page"
    size_param: str = "limit"
    items_key: str = "items"
    total_key: str = "total"
    size_key: str | None = None
    """Where the server echoes the page size it used, if it does."""
    prefix: str = ""

    def page(self, cursor: str | None) -> int:
        """The page number a cursor stands for (the first page for None)."""
        if cursor is None:
            return self.first
        number = cursor.removeprefix(self.prefix)
        if not cursor.startswith(self.prefix) or not number.isdigit():
            raise MalformedPage("a list cursor that is not one of its page numbers")
        return int(number)

    def params(self, cursor: str | None, limit: int) -> dict[str, Any]:
        return {self.page_param: self.page(cursor), self.size_param: limit}

    def items(self, body: Any) -> list[Any]:
        return _list_at(body, self.items_key)

    def next_cursor(self, body: Any, cursor: str | None, limit: int, count: int) -> str | None:
        if count == 0:
            return None
        page = self.page(cursor)
        size = (_int(body.get(self.size_key)) if self.size_key else None) or limit
        total = self.total(body)
        # Without a total, a short page is the last one.
        more = (page - self.first + 1) * size < total if total is not None else count >= size
        return f"{self.prefix}{page + 1}" if more else None

    def total(self, body: Any) -> int | None:
        return _int(body.get(self.total_key)) if isinstance(body, dict) else None


@dataclass(frozen=True)
class HydraPaging:
    """API Platform's Hydra collections: items in `hydra:member`, the next
    page in `hydra:view.hydra:next`, or the last page's IRI at the top level as
    `hydra:lastPage` (older API Platform; the one working third-party client stops when
    `@id == hydra:lastPage`). (The research contracts, §2.5.)
    The cursor is the next page's number. With `size_param` (API Platform's
    client-side page size, `itemsPerPage`, when the API enables it) every request also
    asks for `limit` items; without it the server's page size applies."""

    first: int = 1
    page_param: str = "page"
    size_param: str | None = None

    def params(self, cursor: str | None, limit: int) -> dict[str, Any]:
        size: dict[str, Any] = {self.size_param: limit} if self.size_param else {}
        if cursor is None:
            return {**size, self.page_param: self.first}
        if not cursor.isdigit():
            raise MalformedPage("a list cursor that is not a page number")
        return {**size, self.page_param: int(cursor)}

    def items(self, body: Any) -> list[Any]:
        return _list_at(body, "hydra:member")

    def _page_of(self, iri: Any) -> int | None:
        if not isinstance(iri, str):
            return None
        values = parse_qs(urlsplit(iri).query).get(self.page_param)
        return _int(values[0]) if values else None

    def next_cursor(self, body: Any, cursor: str | None, limit: int, count: int) -> str | None:
        page = int(cursor) if cursor is not None and cursor.isdigit() else self.first
        view = body.get("hydra:view") if isinstance(body, dict) else None
        view = view if isinstance(view, dict) else None
        if view is not None and "hydra:next" in view:
            following = self._page_of(view["hydra:next"])
            return str(following) if following is not None and following > page else None
        last = body.get("hydra:lastPage") or (view or {}).get("hydra:last")
        if last is not None:
            if body.get("@id") == last:
                return None
            last_page = self._page_of(last)
            return str(page + 1) if last_page is None or page < last_page else None
        if view is not None or count == 0:
            return None  # a paged view without a next is the last page
        # No paging hints at all: walk until full pages of this size reach the total, or
        # a page is empty (the page size is the server's, so a short page may not be last).
        total = self.total(body)
        if total is not None and (page - self.first + 1) * count >= total:
            return None
        return str(page + 1)

    def total(self, body: Any) -> int | None:
        return _int(body.get("hydra:totalItems")) if isinstance(body, dict) else None


@dataclass(frozen=True)
class NextLinkPaging:
    """HAL pages whose next page starts at an id read from `_links.next.href` (e.g.
    `start_id`, an integer serial, not a room id). The href is never followed: real ones
    have no scheme (`api.example.com/rooms?start_id=…`). The walk ends when
    there is no next link, it repeats the current `start_id`, or a page is empty.
    Items are `_embedded` as a list (v1) or `{"rooms": [...]}` (the beta).
    (The research contracts, §2.6.)"""

    param: str = "start_id"
    size_param: str = "page_size"
    items_key: str = "_embedded"
    nested_key: str = "rooms"

    def params(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {self.size_param: limit}
        if cursor is not None:
            params[self.param] = cursor
        return params

    def items(self, body: Any) -> list[Any]:
        if not isinstance(body, dict):
            raise MalformedPage(f"an answer that is not an object ({type(body).__name__})")
        embedded = body.get(self.items_key)
        if isinstance(embedded, dict):
            embedded = embedded.get(self.nested_key)
        if embedded is None and self.items_key not in body:
            return []  # an empty list answers without `_embedded` at all
        if not isinstance(embedded, list):
            raise MalformedPage(f"`{self.items_key}` that is not a list")
        return embedded

    def next_cursor(self, body: Any, cursor: str | None, limit: int, count: int) -> str | None:
        if count == 0 or not isinstance(body, dict):
            return None
        links = body.get("_links")
        nxt = links.get("next") if isinstance(links, dict) else None
        href = nxt.get("href") if isinstance(nxt, dict) else None
        if not isinstance(href, str):
            return None
        values = parse_qs(urlsplit(href).query).get(self.param)
        start = values[0] if values else None
        return start if start and start != cursor else None

    def total(self, body: Any) -> int | None:
        return _int(body.get("total_items")) if isinstance(body, dict) else None


class WalkGuard:
    """Stops a walk over pages that would never end: a cursor seen before in the same
    walk (a server that repeats itself) or more pages than any real list has.

    `check(cursor)` before fetching each page after the first; it raises
    `RepeatedCursor` or `TooManyPages`, whose message says what happened (the caller
    turns it into a provider error; the pages fetched so far stay cached)."""

    def __init__(self, max_pages: int = 10_000) -> None:
        self.max_pages = max_pages
        self.pages = 0
        self._seen: set[str] = set()

    def check(self, cursor: str) -> None:
        self.pages += 1
        if cursor in self._seen:
            raise RepeatedCursor(cursor)
        if self.pages >= self.max_pages:
            raise TooManyPages(self.max_pages)
        self._seen.add(cursor)

    def release(self, cursor: str) -> None:
        """Forget `cursor`, whose page did not arrive (a failed request): asking for it
        again is a retry, not a server repeating itself."""
        if cursor in self._seen:
            self._seen.discard(cursor)
            self.pages -= 1


class RepeatedCursor(Exception):
    """The server handed out a page cursor it had already given in this walk. The
    message does not show the cursor: it is the provider's opaque data (often an
    encoded token), nothing the user can act on."""

    def __init__(self, cursor: str) -> None:
        self.cursor = cursor
        super().__init__("the server sent a page cursor a second time in this walk (its "
                         "next pages would repeat ones already read)")


class TooManyPages(Exception):
    """A walk went past `max_pages`."""

    def __init__(self, max_pages: int) -> None:
        super().__init__(f"the list did not end after {max_pages} pages")
