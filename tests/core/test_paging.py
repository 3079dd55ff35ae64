"""The paging styles, on answers shaped like each provider's (from the contracts in
../shared/research and the Vonage fixtures), and the walk guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meettui.core.paging import (
    CursorPaging,
    HydraPaging,
    MalformedPage,
    NextLinkPaging,
    PageNumberPaging,
    RepeatedCursor,
    TooManyPages,
    WalkGuard,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
VONAGE_FIXTURES = SHARED / "contracts" / "vonage" / "fixtures"


def walk(style, pages: dict, limit: int, first_key=None) -> list:
    """Every item across `pages` (cursor -> body), following the style's cursors."""
    items, cursor = [], first_key
    for _ in range(100):
        body = pages[cursor]
        got = style.items(body)
        items += got
        cursor = style.next_cursor(body, cursor, limit, len(got))
        if cursor is None:
            return items
    raise AssertionError("the walk did not end")


def test_cursor_paging_sends_the_body_cursor_back():
    style = CursorPaging()
    assert style.params(None, 50) == {"limit": 50}
    assert style.params("abc", 50) == {"limit": 50, "cursor": "abc"}
    pages = {None: {"results": [1, 2], "cursor": "c2"}, "c2": {"results": [3], "cursor": None}}
    assert walk(style, pages, 2) == [1, 2, 3]
    with pytest.raises(MalformedPage, match="results"):
        style.items({"cursor": None})
    with pytest.raises(MalformedPage, match="cursor"):
        style.next_cursor({"results": [], "cursor": 5}, None, 50, 0)


def test_page_numbers_one_based_with_a_total_and_a_prefix():
    style = PageNumberPaging(first=1, size_key="limit", prefix="permalink:")
    assert style.params(None, 25) == {"page": 1, "limit": 25}
    assert style.params("permalink:3", 25) == {"page": 3, "limit": 25}
    body = {"items": list(range(25)), "total": 60, "limit": 25}
    assert style.next_cursor(body, None, 25, 25) == "permalink:2"
    assert style.next_cursor(body, "permalink:2", 25, 25) == "permalink:3"
    assert style.next_cursor({**body, "items": list(range(10))}, "permalink:3", 25, 10) is None
    # The server's own page size wins over the one asked for.
    assert style.next_cursor({"items": [0] * 10, "total": 30, "limit": 10}, None, 25, 10) \
        == "permalink:2"
    with pytest.raises(MalformedPage, match="cursor"):
        style.params("page-two", 25)


def test_page_numbers_zero_based_stop_at_records_filtered():
    # Accelevents: ?page=0&size=N, {"recordsTotal", "recordsFiltered", "data"}.
    style = PageNumberPaging(first=0, size_param="size", items_key="data",
                             total_key="recordsFiltered")
    assert style.params(None, 20) == {"page": 0, "size": 20}
    pages = {
        None: {"recordsTotal": 50, "recordsFiltered": 5, "data": [1, 2]},
        "1": {"recordsTotal": 50, "recordsFiltered": 5, "data": [3, 4]},
        "2": {"recordsTotal": 50, "recordsFiltered": 5, "data": [5]},
    }
    assert walk(style, pages, 2) == [1, 2, 3, 4, 5]
    assert style.total(pages[None]) == 5


def test_page_numbers_without_a_total_stop_at_a_short_page():
    style = PageNumberPaging(total_key="missing")
    assert style.next_cursor({"items": [1, 2]}, None, 2, 2) == "2"
    assert style.next_cursor({"items": [1]}, "2", 2, 1) is None
    assert style.next_cursor({"items": []}, None, 2, 0) is None


def hydra(page: int, last: int, members: list, *, view: bool, top_last: bool) -> dict:
    body: dict = {"@id": f"/meetings?page={page}", "hydra:member": members,
                  "hydra:totalItems": 5}
    if view:
        body["hydra:view"] = {"@id": f"/meetings?page={page}",
                              "hydra:first": "/meetings?page=1",
                              "hydra:last": f"/meetings?page={last}"}
        if page < last:
            body["hydra:view"]["hydra:next"] = f"/meetings?page={page + 1}"
    if top_last:
        body["hydra:lastPage"] = f"/meetings?page={last}"
    return body


@pytest.mark.parametrize(("view", "top_last"), [(True, True), (True, False), (False, True)])
def test_hydra_stops_on_either_signal(view, top_last):
    style = HydraPaging()
    pages = {None: hydra(1, 3, [1, 2], view=view, top_last=top_last),
             "2": hydra(2, 3, [3, 4], view=view, top_last=top_last),
             "3": hydra(3, 3, [5], view=view, top_last=top_last)}
    assert walk(style, pages, 2) == [1, 2, 3, 4, 5]
    assert style.params("2", 30) == {"page": 2}
    assert style.total(pages[None]) == 5


def test_hydra_asks_for_a_page_size_when_told_how():
    style = HydraPaging(size_param="itemsPerPage")
    assert style.params(None, 10) == {"itemsPerPage": 10, "page": 1}
    assert style.params("3", 10) == {"itemsPerPage": 10, "page": 3}
    body = {"@id": "/m?itemsPerPage=10&page=1", "hydra:member": [1] * 10,
            "hydra:view": {"hydra:next": "/m?itemsPerPage=10&page=2"}}
    assert style.next_cursor(body, None, 10, 10) == "2"


def test_hydra_without_any_hint_walks_to_the_total_or_an_empty_page():
    style = HydraPaging()
    full = {None: {"hydra:member": [1, 2], "hydra:totalItems": 4},
            "2": {"hydra:member": [3, 4], "hydra:totalItems": 4}}
    assert walk(style, full, 2) == [1, 2, 3, 4]  # full pages reach the total: no extra ask
    short = {None: {"hydra:member": [1, 2], "hydra:totalItems": 3},
             "2": {"hydra:member": [3], "hydra:totalItems": 3},
             "3": {"hydra:member": [], "hydra:totalItems": 3}}
    assert walk(style, short, 2) == [1, 2, 3]
    with pytest.raises(MalformedPage, match="hydra:member"):
        style.items({"member": []})


def test_next_link_reads_start_id_from_a_scheme_less_href():
    style = NextLinkPaging()
    href = "api-eu.vonage.com/meetings/rooms?page_size=2&start_id=7"
    first = {"page_size": 2, "_embedded": [{"id": "a"}, {"id": "b"}], "total_items": 3,
             "_links": {"next": {"href": href}}}
    assert style.params(None, 2) == {"page_size": 2}
    assert style.next_cursor(first, None, 2, 2) == "7"
    assert style.params("7", 2) == {"page_size": 2, "start_id": "7"}
    # The beta's {"rooms": [...]} form, a repeated start_id, an empty page, no next.
    assert style.items({"_embedded": {"rooms": [{"id": "x"}]}}) == [{"id": "x"}]
    assert style.next_cursor(first, "7", 2, 2) is None
    assert style.next_cursor(first, None, 2, 0) is None
    assert style.next_cursor({"_links": {}}, None, 2, 2) is None
    assert style.total(first) == 3


def test_next_link_on_the_recorded_vonage_fixture():
    path = VONAGE_FIXTURES / "multiple_rooms.json"
    if not path.exists():
        pytest.skip("../shared/contracts is not beside the repo")
    body = json.loads(path.read_text())
    style = NextLinkPaging()
    rooms = style.items(body)
    assert rooms and all("id" in room for room in rooms)
    following = style.next_cursor(body, None, 20, len(rooms))
    assert following is None or following.isdigit()


def test_the_walk_guard_stops_a_repeated_cursor_and_a_list_without_end():
    guard = WalkGuard(max_pages=5)
    guard.check("eyJ0eXAiOiJjdXJzb3IifQ")
    guard.check("b")
    with pytest.raises(RepeatedCursor, match="a page cursor a second time") as raised:
        guard.check("eyJ0eXAiOiJjdXJzb3IifQ")
    # A cursor is the provider's opaque data: no message shows it.
    assert "eyJ0eX" not in str(raised.value)
    endless = WalkGuard(max_pages=3)
    endless.check("1")
    endless.check("2")
    with pytest.raises(TooManyPages, match="3 pages"):
        endless.check("3")
