"""The SQL the cache's reads share: the status the list shows, the orders' columns and
the account conditions. Plain Python (no models), so the quick `list --offline`
(`core/quicklist.py`) reads rows in the order and scope the cache's own reads use."""

from __future__ import annotations

from meettui.core.search import Order

# The status the list shows, in SQL (`Meeting.status_label`); {now} is a float literal.
_STATUS_SQL = """(CASE WHEN missing THEN 'gone'
    WHEN status IN ('cancelled', 'ended', 'expired') THEN status
    WHEN expires_key <= {now} THEN 'expired'
    WHEN end_key <= {now} THEN 'ended'
    WHEN status = 'live' THEN 'live'
    WHEN start_key <= {now} AND status = 'unknown' THEN 'live'
    WHEN start_key <= {now} AND status = 'scheduled' THEN 'started'
    ELSE status END)"""
# A meeting with no end counts as on for an hour after its start, or for as long as its
# provider says it is live (as `Meeting.effective_status` does): the list opened past a
# running room with no end that "Jump to now" went to.
_NOT_OVER_SQL = """(missing = 0 AND status NOT IN ('cancelled', 'ended', 'expired')
    AND expires_key > {now}
    AND (CASE WHEN end_key < 1e18 THEN end_key WHEN status = 'live' THEN end_key
         ELSE start_key + 3600 END) > {now})"""
_ORDER_SQL = {"title": "title_fold", "account": "account", "start": None, "end": "end_key",
              "status": _STATUS_SQL}


def _order_columns(order: Order, now: float) -> list[str]:
    first = _ORDER_SQL.get(order.key)
    columns = [first.format(now=now)] if first else []
    return [*columns, "start_key", "account", "id"]


def _like_pattern(query: str) -> str:
    escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _account_clauses(accounts: list[str] | None,
                     names: tuple[str, ...]) -> tuple[list[str], list[object]]:
    """Conditions on an `account` column: in `accounts` (None: any), and like one of
    the query's `account:` `names`. `meeting_counts` has the column too."""
    clauses: list[str] = []
    params: list[object] = []
    if accounts is not None:
        clauses.append(f"account IN ({','.join('?' * len(accounts))})" if accounts else "0")
        params.extend(accounts)
    if names:
        clauses.append("(" + " OR ".join("account LIKE ? ESCAPE '\\'" for _ in names) + ")")
        params.extend(_like_pattern(name) for name in names)
    return clauses, params
