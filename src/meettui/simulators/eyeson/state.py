"""The eyeson simulator's state: permalinks, their hosts, running meetings and the people
in them, how meetings start, idle and shut down, and the documented JSON objects they
are shown as. The HTTP routes that change it are in `meettui.simulators.eyeson`; the
seeded data in `eyeson_seed`. Where no source settles a detail, the choice is a named
constant marked "unconfirmed".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from meettui.core.clock import Clock
from meettui.simulators.base import Simulator, iso_z
from meettui.simulators.eyeson.rules import (
    PERMALINK_WIDESCREEN_DEFAULT,
    echo_options,
    object_id,
    token,
)
from meettui.simulators.eyeson.seed import populate
from meettui.simulators.faults import Faults

DEFAULT_PERMALINKS = 60
API_URL = "https://api.eyeson.team"
APP_URL = "https://app.eyeson.team"
DEFAULT_TEAM = "meettui demo"
# "If nobody connects it shuts down after a short period" [E10, E12]: how short is not
# documented. Unconfirmed; configurable with `idle_shutdown`.
IDLE_SHUTDOWN_SECONDS = 300.0
# Rooms "become ready within seconds" (SDKs poll once a second for up to 30 s).
# Unconfirmed; configurable with `ready_after`.
READY_AFTER_SECONDS = 3.0
# The permalink object documents only the responding user's `user_token`; to let a
# client show every host's link, the simulator adds a `users` array (unconfirmed:
# not in any eyeson example). Clients must work without it: build the simulator with
# `list_all_hosts=False` to leave it out, as the real API does.
USERS_KEY = "users"


@dataclass
class Host:
    user_token: str
    id: str
    name: str
    avatar: str | None
    added_at: datetime


@dataclass
class Permalink:
    id: str
    created_at: datetime
    name: str
    expires_at: datetime | None
    guest_token: str
    options: dict[str, Any]
    hosts: list[Host]

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    @property
    def guests_allowed(self) -> bool:
        return self.options.get("guest_token_available", True)


@dataclass
class Participant:
    access_key: str
    id: str
    name: str
    avatar: str | None
    guest: bool
    joined_at: datetime


@dataclass
class Meeting:
    """A running (or ended) meeting: what `/rooms` and a started permalink give."""

    room_id: str
    name: str
    started_at: datetime
    guest_token: str | None
    options: dict[str, Any]
    widescreen: bool
    last_activity: datetime
    permalink_id: str | None = None
    # Seeded meetings have people connected: they never go idle.
    kept_alive: bool = False
    participants: dict[str, Participant] = field(default_factory=dict)
    shutdown_at: datetime | None = None
    locked: bool = False
    recording: bool = False
    broadcasts: list[dict[str, Any]] = field(default_factory=list)


class EyesonState(Simulator):
    """Everything the simulated eyeson knows; `EyesonSimulator` adds the HTTP API."""

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_PERMALINKS,
        rooms: int | None = None,
        api_key: str = "demo",
        clock: Clock | None = None,
        faults: Faults | None = None,
        idle_shutdown: float = IDLE_SHUTDOWN_SECONDS,
        ready_after: float = READY_AFTER_SECONDS,
        team: str = DEFAULT_TEAM,
        permalink_widescreen: bool = PERMALINK_WIDESCREEN_DEFAULT,
        list_all_hosts: bool = True,
    ) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        if idle_shutdown <= 0:
            raise ValueError("idle_shutdown must be > 0 seconds")
        self.seeded_permalinks = meetings
        self.seeded_rooms = max(1, meetings // 20) if rooms is None and meetings else rooms or 0
        self.idle_shutdown = timedelta(seconds=idle_shutdown)
        self.ready_after = timedelta(seconds=ready_after)
        self.team = team
        self.permalink_widescreen = permalink_widescreen
        self.list_all_hosts = list_all_hosts
        self.reset_state()

    # --- state ---------------------------------------------------------------------

    def reset_state(self) -> None:
        self._rng = self.runtime_random()
        self.permalinks: dict[str, Permalink] = {}  # creation order
        self.host_tokens: dict[str, str] = {}  # user_token -> permalink id
        self.permalink_guests: dict[str, str] = {}  # guest_token -> permalink id
        self.running: dict[str, Meeting] = {}  # room id -> running meeting
        self.access_keys: dict[str, Meeting] = {}  # every access key ever issued
        self.room_guests: dict[str, Meeting] = {}  # guest tokens of /rooms meetings
        populate(self)

    def sweep(self) -> None:
        """Shut down meetings that nobody has touched for `idle_shutdown`."""
        now = self.clock.now()
        for meeting in list(self.running.values()):
            if not meeting.kept_alive and now >= meeting.last_activity + self.idle_shutdown:
                self.shutdown(meeting, at=meeting.last_activity + self.idle_shutdown)

    def shutdown(self, meeting: Meeting, at: datetime | None = None) -> None:
        meeting.shutdown_at = at or self.clock.now()
        self.running.pop(meeting.room_id, None)

    def touch(self, meeting: Meeting) -> None:
        meeting.last_activity = self.clock.now()

    def new_permalink(
        self,
        *,
        user: dict[str, Any],
        name: str | None,
        expires_at: datetime | None,
        options: dict[str, Any],
        rng: random.Random | None = None,
        created_at: datetime | None = None,
    ) -> Permalink:
        rng = rng or self._rng
        created = created_at or self.clock.now()
        permalink = Permalink(
            id=object_id(rng, created),
            created_at=created,
            # The default room name is undocumented; the host's name is used (unconfirmed).
            name=name or user["name"],
            expires_at=expires_at,
            guest_token=token(rng),
            options=options,
            hosts=[],
        )
        self.permalinks[permalink.id] = permalink
        self.permalink_guests[permalink.guest_token] = permalink.id
        self.add_host(permalink, user, rng=rng, at=created)
        return permalink

    def add_host(
        self, permalink: Permalink, user: dict[str, Any], *, rng: random.Random | None = None,
        at: datetime | None = None,
    ) -> Host:
        rng = rng or self._rng
        host = Host(
            user_token=token(rng),
            id=user.get("id") or object_id(rng, at or self.clock.now()),
            name=user["name"],
            avatar=user.get("avatar"),
            added_at=at or self.clock.now(),
        )
        permalink.hosts.append(host)
        self.host_tokens[host.user_token] = permalink.id
        return host

    def start_meeting(
        self,
        *,
        room_id: str,
        name: str,
        options: dict[str, Any],
        widescreen: bool,
        permalink: Permalink | None = None,
        guest_token: str | None = None,
        at: datetime | None = None,
        kept_alive: bool = False,
        rng: random.Random | None = None,
    ) -> Meeting:
        rng = rng or self._rng
        now = at or self.clock.now()
        if options.get("guest_token_available", True):
            guest_token = guest_token or token(rng)
        else:
            guest_token = None
        meeting = Meeting(
            room_id=room_id,
            name=name,
            started_at=now,
            guest_token=guest_token,
            options=dict(options),
            widescreen=widescreen,
            last_activity=now,
            permalink_id=permalink.id if permalink else None,
            kept_alive=kept_alive,
        )
        self.running[room_id] = meeting
        if guest_token and permalink is None:
            self.room_guests[guest_token] = meeting
        return meeting

    def join(
        self, meeting: Meeting, user: dict[str, Any], *, guest: bool,
        rng: random.Random | None = None, at: datetime | None = None,
    ) -> Participant:
        rng = rng or self._rng
        now = at or self.clock.now()
        person = Participant(
            access_key=token(rng),
            id=user.get("id") or object_id(rng, now),
            name=user["name"],
            avatar=user.get("avatar"),
            guest=guest,
            joined_at=now,
        )
        meeting.participants[person.access_key] = person
        self.access_keys[person.access_key] = meeting
        meeting.last_activity = max(meeting.last_activity, now)
        return person

    def delete_permalink(self, permalink: Permalink) -> None:
        meeting = self.running.get(permalink.id)
        if meeting is not None and meeting.permalink_id == permalink.id:
            self.shutdown(meeting)  # "all links and tokens become invalid afterwards"
        for host in permalink.hosts:
            self.host_tokens.pop(host.user_token, None)
        self.permalink_guests.pop(permalink.guest_token, None)
        del self.permalinks[permalink.id]

    def start_permalink(
        self, permalink: Permalink, *, at: datetime | None = None,
        rng: random.Random | None = None, kept_alive: bool = False,
    ) -> Meeting:
        return self.start_meeting(
            room_id=permalink.id,
            name=permalink.name,
            options=permalink.options,
            widescreen=permalink.options.get("widescreen", self.permalink_widescreen),
            permalink=permalink,
            guest_token=permalink.guest_token,
            at=at,
            kept_alive=kept_alive,
            rng=rng,
        )

    # --- JSON ----------------------------------------------------------------------

    def permalink_json(self, p: Permalink, shown: Host | None = None) -> dict[str, Any]:
        """The documented permalink object; `user`/`user_token`/`links.gui` belong to
        `shown` (the host just added, else the first host)."""
        host = shown or p.hosts[0]
        meeting = self.running.get(p.id)
        started = meeting.started_at if meeting and meeting.permalink_id == p.id else None
        guest = p.guest_token if p.guests_allowed else None
        data: dict[str, Any] = {
            "permalink": {
                "id": p.id,
                "created_at": iso_z(p.created_at),
                "user_token": host.user_token,
                "guest_token": guest,
                "expires_at": iso_z(p.expires_at) if p.expires_at else None,
            },
            "room": {"id": p.id, "name": p.name, "started_at": iso_z(started) if started else None},
            "team": {"name": self.team},
            "user": self._host_user(host),
            "options": echo_options(
                p.options, widescreen=p.options.get("widescreen", self.permalink_widescreen)
            ),
            "links": {
                "self": f"{API_URL}/permalink/{p.id}",
                "gui": f"{APP_URL}/permalink?{host.user_token}",
                "guest_join": f"{APP_URL}/permalink?guest={guest}" if guest else None,
            },
        }
        if self.list_all_hosts:  # the simulator's invention (see USERS_KEY)
            data[USERS_KEY] = [
                {**self._host_user(h), "user_token": h.user_token,
                 "links": {"gui": f"{APP_URL}/permalink?{h.user_token}"}}
                for h in p.hosts
            ]
        return data

    @staticmethod
    def _host_user(host: Host) -> dict[str, Any]:
        return {"id": host.id, "name": host.name, "avatar": host.avatar, "guest": False,
                "joined_at": iso_z(host.added_at)}

    def room_summary(self, m: Meeting) -> dict[str, Any]:
        """A room as webhooks carry it (contracts/eyeson/webhook-fixtures); `GET /rooms`
        lists these (its element shape is unconfirmed)."""
        return {
            "id": m.room_id,
            "name": m.name,
            "ready": self.clock.now() >= m.started_at + self.ready_after,
            "started_at": iso_z(m.started_at),
            "shutdown": m.shutdown_at is not None,
            "guest_token": m.guest_token,
        }

    def room_json(self, m: Meeting, person: Participant) -> dict[str, Any]:
        """The room/user object of `POST /rooms`, `GET /rooms/<access_key>`, guests and
        permalink starts ([E3], [E5])."""
        now = self.clock.now()
        room = self.room_summary(m)
        user_ready = now >= person.joined_at + self.ready_after
        # A permalink meeting's guests use the permalink's own guest link (unconfirmed:
        # the docs show the room form `/?guest=` only for /rooms meetings).
        guest_base = f"{APP_URL}/permalink" if m.permalink_id else f"{APP_URL}/"
        return {
            "access_key": person.access_key,
            "ready": room["ready"] and user_ready,
            "locked": m.locked,
            "room": room,
            "team": {"name": self.team},
            "user": {
                "id": person.id,
                "room_id": m.room_id,
                "name": person.name,
                "avatar": person.avatar,
                "guest": person.guest,
                "blocked": False,
                "ready": user_ready,
            },
            "links": {
                "self": f"{API_URL}/rooms/{person.access_key}",
                "gui": f"{APP_URL}/?{person.access_key}",
                "guest_join": f"{guest_base}?guest={m.guest_token}" if m.guest_token else None,
                "websocket": f"{API_URL}/rt?access_key={person.access_key}",
            },
            "options": echo_options(m.options, widescreen=m.widescreen),
            "playbacks": [],
            "presentation": None,
            "broadcasts": list(m.broadcasts),
            "recording": {"created_at": iso_z(m.started_at)} if m.recording else None,
            "snapshots": [],
            "signaling": {
                "type": "sepp",
                "options": {
                    "client_id": person.id,
                    "conf_id": m.room_id,
                    "endpoint": "wss://sig.eyeson.team/call",
                    "stun_servers": [],
                    "turn_servers": [],
                },
            },
        }
