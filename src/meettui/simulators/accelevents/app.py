"""Simulator of the Accelevents REST API: one event's sessions for staff, the attendee
session list, and Join Session with its Chime join data.

Contract: the Join Session seed page (`seeds/002_…`) and
`research/providers-eyeson-24sessions-events.md` §3–4. Request rules are in `rules.py`,
the state and its JSON in `state.py`, the seeded event in `seed.py`.

The rules that make Accelevents different: the API key is checked before the event is
looked up (401 `4010101`); events are addressed by their `eventurl` (404 `4040200`),
sessions by id (404 `404800`); lists are 0-based pages in `{recordsTotal,
recordsFiltered, data}`; HIDDEN sessions are in the staff list only (an attendee's read
of one finds none: "admins see hidden/private", research §3.4); an update is a full
replace (a key left out is reset); Join Session registers the key's attendee, refusing
a ticket type the session does not admit, a session that is not live and a full one,
and nothing else: the contract names no other rule (research §3.2), so a HIDDEN session
is joined as any other.
"""

from __future__ import annotations

import hmac
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from meettui.core.clock import Clock
from meettui.simulators.accelevents.rules import (
    ENDED,
    EVENT_NOT_FOUND,
    FORMATS,
    FULL,
    NOT_AUTHORIZED,
    NOT_STARTED,
    RULE_STATUS,
    SESSION_NOT_FOUND,
    TICKET_NOT_ALLOWED,
    ApiError,
    expands,
    invalid,
    late_window,
    page_params,
    session_fields,
)
from meettui.simulators.accelevents.state import (
    DEFAULT_EVENT,
    DEFAULT_SESSIONS,
    DEFAULT_ZONE,
    AcceleventsState,
    Session,
)
from meettui.simulators.account import SimAccount, SimSecret
from meettui.simulators.faults import Faults

Handler = Callable[[Request], Awaitable[Response]]

# Status of a create, an update and a delete: the update is documented "void, HTTP 200"
# (research §3.4); the create and delete codes are unconfirmed (200 as the update).
WRITE_STATUS = 200
# Third-party integrators report `Authorization: Bearer <key>` working for GET but 401 on
# PUT, while `Key:` works for both (research §3.1, [A8]): reproduced. The raw key in
# `Authorization` or `AUTHENTICATION` (the docs' try-it header) is accepted too.
BEARER_METHODS = ("GET",)


class AcceleventsSimulator(AcceleventsState):
    kind = "accelevents"
    base_path = "/rest"

    # --- HTTP ---------------------------------------------------------------------------

    def describe_credentials(self) -> str:
        return (f"API key: {self.api_key}  (sent as 'Key: {self.api_key}')\n"
                f"  event:     eventurl {self.eventurl!r}, eventId {self.event_id}, "
                f"time zone {self.zone_name}")

    def account(self) -> SimAccount:
        """The key, and the account's event: its eventurl, id and time zone."""
        return SimAccount(
            secrets=(SimSecret("api_key", "ACCELEVENTS_API_KEY", self.api_key),),
            settings={"eventurl": self.eventurl, "event_id": self.event_id,
                      "time_zone": self.zone_name})

    def info(self) -> dict[str, Any]:
        return {**super().info(), "eventurl": self.eventurl, "eventId": self.event_id,
                "time_zone": self.zone_name, "sessions": len(self.sessions)}

    def throttled_response(self) -> Response:
        # Accelevents documents no rate limit; an injected 429 says when to come back.
        ms = self.faults.retry_after_ms or 1000
        return JSONResponse({"errorCode": "4290000", "errorMessage": "Too many requests.",
                             "developerMessage": "Too many requests."}, 429,
                            headers={"Retry-After": str(max(1, math.ceil(ms / 1000)))})

    def authorized(self, request: Request) -> bool:
        key = self.api_key.encode()
        for name in ("key", "authentication"):
            value = request.headers.get(name)
            if value is not None:
                return hmac.compare_digest(value.strip().encode("latin-1"), key)
        value = request.headers.get("authorization")
        if value is None:
            return False
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer" and rest:
            return (request.method in BEARER_METHODS
                    and hmac.compare_digest(rest.strip().encode("latin-1"), key))
        return hmac.compare_digest(value.strip().encode("latin-1"), key)

    def routes(self) -> list[BaseRoute]:
        api = self._api
        host, events = "/rest/host/event/{eventurl}", "/rest/events/{eventurl}"
        return [
            Route(f"{host}/eventDetails", api(self._event_details), methods=["GET"]),
            Route(f"{host}/session", api(self._host_sessions), methods=["GET", "POST"]),
            Route(f"{host}/session/{{sid}}", api(self._host_session),
                  methods=["GET", "PUT", "DELETE"]),
            Route(f"{events}/session/v2", api(self._attendee_sessions), methods=["GET"]),
            Route(f"{events}/session/{{sid}}", api(self._attendee_session),
                  methods=["GET", "PUT"]),
        ]

    def _api(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            try:
                # The key first: an unknown event is not revealed to a wrong key.
                if not self.authorized(request):
                    raise ApiError(401, *NOT_AUTHORIZED)
                if request.path_params["eventurl"] != self.eventurl:
                    raise ApiError(404, *EVENT_NOT_FOUND)
                return await handler(request)
            except ApiError as exc:
                return exc.response()

        return guarded

    def _session(self, request: Request, *, attendee: bool = False) -> Session:
        text = request.path_params["sid"]
        session = self.sessions.get(int(text)) if text.isdigit() else None
        # An attendee's read never shows a HIDDEN session (unconfirmed: answered as not
        # found); Join Session is no read, and has rules of its own (`_join`).
        if session is None or (attendee and session.hidden):
            raise ApiError(404, *SESSION_NOT_FOUND)
        return session

    @staticmethod
    async def _json(request: Request) -> Any:
        raw = await request.body()
        try:
            return json.loads(raw) if raw.strip() else None
        except ValueError:
            raise invalid("request body is not JSON") from None

    # --- the event ------------------------------------------------------------------------

    async def _event_details(self, request: Request) -> Response:
        return JSONResponse(self.event_json())

    # --- staff ----------------------------------------------------------------------------

    async def _host_sessions(self, request: Request) -> Response:
        if request.method == "POST":
            fields, start, end = session_fields(await self._json(request), self.zone,
                                                set(self.ticket_types))
            sid = self.new_session_id()
            self.sessions[sid] = Session(id=sid, fields=fields, start=start, end=end)
            # The answer is the new id, bare (research §3.4: clients read an integer).
            return JSONResponse(sid, WRITE_STATUS)
        query = request.query_params
        event_id = query.get("eventId")
        if not event_id:
            raise invalid("eventId is required")
        if not event_id.isdigit() or int(event_id) != self.event_id:
            raise ApiError(404, *EVENT_NOT_FOUND)
        page, size = page_params(query)
        search = (query.get("searchString") or "").strip().casefold()
        every = list(self.sessions.values())
        found = [s for s in every if search in s.fields["title"].casefold()]
        stats = "sessionstats" in expands(query)
        return JSONResponse({
            "recordsTotal": len(every),
            "recordsFiltered": len(found),
            "data": [self.host_json(s, stats=stats)
                     for s in found[page * size:(page + 1) * size]],
        })

    async def _host_session(self, request: Request) -> Response:
        session = self._session(request)
        if request.method == "GET":
            stats = "sessionstats" in expands(request.query_params)
            return JSONResponse(self.host_json(session, stats=stats))
        if request.method == "DELETE":
            del self.sessions[session.id]
            return Response(status_code=WRITE_STATUS)
        # PUT: a full replace. Every writable key takes the body's value, or its empty
        # one when left out; registrations and counts stay.
        fields, start, end = session_fields(await self._json(request), self.zone,
                                            set(self.ticket_types))
        session.fields, session.start, session.end = fields, start, end
        return Response(status_code=WRITE_STATUS)

    # --- attendees ------------------------------------------------------------------------

    async def _attendee_sessions(self, request: Request) -> Response:
        query = request.query_params
        page, size = page_params(query)
        fmt = query.get("sessionFormat")
        if fmt and fmt not in FORMATS:
            raise invalid(f"sessionFormat must be one of {', '.join(FORMATS)}")
        past = query.get("past")
        if past not in (None, "", "true", "false"):
            raise invalid("past must be true or false")
        now = self.clock.now()
        visible = [s for s in self.sessions.values() if not s.hidden]
        found = [s for s in visible
                 if (not fmt or s.fields["format"] == fmt)
                 and (past in (None, "") or (s.end <= now) == (past == "true"))]
        stats = "sessionstats" in expands(query)
        return JSONResponse({
            "recordsTotal": len(visible),
            "recordsFiltered": len(found),
            "data": [self.attendee_json(s, stats=stats)
                     for s in found[page * size:(page + 1) * size]],
        })

    async def _attendee_session(self, request: Request) -> Response:
        if request.method == "PUT":
            return self._join(self._session(request))
        session = self._session(request, attendee=True)
        return JSONResponse(self.attendee_json(
            session, stats="sessionstats" in expands(request.query_params)))

    def _join(self, session: Session) -> Response:
        """Join Session (seed page; research §3.2): the key's attendee must hold a ticket
        type the session admits, the session must be live (or within
        `allowedMinutesToJoinLate` after its end), and not full unless the attendee is
        registered already. Registers them and answers the session with the Chime
        `meeting` and `attendee`."""
        person = self.attendee
        allowed = session.fields["ticketTypesThatCanBeRegistered"]
        if allowed and person.ticket_type not in allowed:
            raise ApiError(403, *TICKET_NOT_ALLOWED)
        now = self.clock.now()
        if now < session.start:
            raise ApiError(RULE_STATUS, *NOT_STARTED)
        if now >= late_window(session.end, session.fields["allowedMinutesToJoinLate"]):
            raise ApiError(RULE_STATUS, *ENDED)
        registered = person in session.holders
        capacity = session.fields["capacity"]
        if not registered and capacity and len(session.holders) >= capacity:
            raise ApiError(RULE_STATUS, *FULL)
        if not registered:
            session.holders.append(person)
            session.attendee_count += 1
        data = self.host_json(session, stats=True)
        speakers = [s.get("userId") for s in session.fields["speakerList"] if s.get("userId")]
        data.update({
            "meeting": self.chime_meeting(session),
            "attendee": self.chime_attendee(session, person),
            "speakersOrModeratorsUserIds": speakers,
            "eventAdmins": list(self.admins),
            "currentUserRegisteredEventTicketId": [person.event_ticket_id],
            "purchaserUserRegisteredEventTicketId": [person.event_ticket_id],
            "sponsorList": [],
        })
        return JSONResponse(data)


def build(*, seed: int = 1, meetings: int | None = None, api_key: str = "demo",
          clock: Clock | None = None, faults: Faults | None = None,
          event: str | None = None, time_zone: str | None = None) -> AcceleventsSimulator:
    """The registry's factory: `None` means the default. `meetings` counts the event's
    sessions; `event` is its eventurl; `time_zone` the event's zone (IANA name or UTC).
    Raises ValueError for an unknown zone or a negative count."""
    return AcceleventsSimulator(
        seed=seed, meetings=DEFAULT_SESSIONS if meetings is None else meetings,
        api_key=api_key, clock=clock, faults=faults, event=event or DEFAULT_EVENT,
        time_zone=time_zone or DEFAULT_ZONE)
