"""The Vonage Meetings simulator's state: its rooms (an integer serial apart from the
UUID, what the list pages by) and themes, how one is added, and the JSON objects they
are shown as (`contracts/vonage/fixtures/`: `meeting_room.json`, `long_term_room.json`,
`theme.json`). The routes that read and change it are in `rooms.py` and `themes.py`;
the seeded data in `seed.py`. Where no source settles a detail, the choice is a named
constant marked "unconfirmed".
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from meettui.core.clock import Clock
from meettui.simulators import fakedata as seeds
from meettui.simulators.base import Simulator, iso_z
from meettui.simulators.faults import Faults
from meettui.simulators.vonage import rules
from meettui.simulators.vonage.keys import generated
from meettui.simulators.vonage.rules import RoomSpec

DEFAULT_APPLICATION_ID = "6f1d9d7e-3b0a-4c52-9a51-2e1c7c0d5a10"
DEFAULT_ROOMS = 120
ACCOUNT_ID = "4f2b9c1d"  # the API key of the account owning the application
MEETINGS_HOST = "https://meetings.vonage.com"
# The first serial a fresh application sees; the recorded lists page from 2006648.
FIRST_SERIAL = 2_006_648
# Whether a room created without a theme gets the application's default theme is
# unconfirmed; the default theme would make no sense otherwise, so it does.
DEFAULT_THEME_FOR_NEW_ROOMS = True


@dataclass
class Room:
    """One room: what the API shows of it, plus its serial and whether it was closed."""

    serial: int
    id: str
    display_name: str
    type: str
    created_at: datetime
    expires_at: datetime
    meeting_code: str
    participant_token: str
    metadata: str | None = None
    expire_after_use: bool = False
    theme_id: str | None = None
    closed: bool = False
    """Made unavailable before its expiry (a long-term room closed after use)."""
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class Theme:
    """One theme; its `short_company_url` is a path segment of its rooms' links."""

    theme_id: str
    theme_name: str
    main_color: str
    brand_text: str
    short_company_url: str | None = None


def participant_token(rng: random.Random) -> str:
    """A token shaped like the recorded ones: an HS256 JWT naming a participant."""
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = part({"alg": "HS256", "typ": "JWT", "kid": seeds.uuid4(rng)})
    claims = part({"participantId": seeds.uuid4(rng), "iat": rng.randint(1_600_000_000,
                                                                         1_800_000_000)})
    return f"{header}.{claims}.{seeds.token(rng, 32)}"


class VonageState(Simulator):
    """One application's rooms (in serial order) and themes, its default theme, and the
    keys its JWTs are checked with. Seeded anew by `reset_state`."""

    def __init__(
        self,
        *,
        seed: int = 1,
        meetings: int = DEFAULT_ROOMS,
        application_id: str = DEFAULT_APPLICATION_ID,
        public_key: str | None = None,
        clock: Clock | None = None,
        faults: Faults | None = None,
        api_key: str = "",
    ) -> None:
        super().__init__(seed=seed, api_key=api_key, clock=clock, faults=faults)
        self.seeded_meetings = meetings
        self.application_id = application_id
        # Without a public key: this process's generated pair; its private key is
        # written to a file the first time the credentials are described.
        self.generated = public_key is None
        self.public_key = public_key if public_key is not None else generated().public
        self._private_key_path: str | None = None
        self.rooms: dict[str, Room] = {}
        self.serials: list[int] = []  # ascending; parallel to `self.order`
        self.order: list[str] = []
        self.themes: dict[str, Theme] = {}
        self.default_theme_id: str | None = None
        self.reset_state()

    def reset_state(self) -> None:
        from meettui.simulators.vonage.seed import seed_state

        self._rng = self.runtime_random()
        self.rooms, self.serials, self.order = {}, [], []
        self.themes, self.default_theme_id = {}, None
        self._codes: set[str] = set()
        self._next_serial = FIRST_SERIAL
        seed_state(self)

    def is_available(self, room: Room) -> bool:
        """Whether `room` can still be joined: not closed, not past its expiry."""
        return not room.closed and self.clock.now() < room.expires_at

    def add_room(self, spec: RoomSpec, *, created: datetime,
                 rng: random.Random | None = None) -> Room:
        """A new room with the next serial (gaps of 1 to 5: other customers' rooms)."""
        rng = rng or self._rng
        while True:
            code = str(rng.randint(100_000_000, 999_999_999))
            if code not in self._codes:
                break
        self._codes.add(code)
        theme_id = spec.theme_id
        if theme_id is None and DEFAULT_THEME_FOR_NEW_ROOMS:
            theme_id = self.default_theme_id
        room = Room(
            serial=self._next_serial,
            id=seeds.uuid4(rng),
            display_name=spec.display_name,
            type=spec.type,
            created_at=created,
            expires_at=spec.expires_at or created + rules.INSTANT_LIFETIME,
            meeting_code=code,
            participant_token=participant_token(rng),
            metadata=spec.metadata,
            expire_after_use=spec.expire_after_use,
            theme_id=theme_id,
            settings=dict(spec.settings),
        )
        self._next_serial += rng.randint(1, 5)
        self.rooms[room.id] = room
        self.serials.append(room.serial)
        self.order.append(room.id)
        return room

    def links(self, room: Room) -> dict[str, Any]:
        """`room`'s `_links`: its host and guest URLs, under its theme's short URL."""
        theme = self.themes.get(room.theme_id or "")
        prefix = f"/{theme.short_company_url}" if theme and theme.short_company_url else ""
        return {
            "host_url": {"href": f"{MEETINGS_HOST}{prefix}/?room_token={room.meeting_code}"
                                 f"&participant_token={room.participant_token}"},
            "guest_url": {"href": f"{MEETINGS_HOST}{prefix}/{room.meeting_code}"},
        }

    def room_json(self, room: Room) -> dict[str, Any]:
        """A room as `meeting_room.json` / `long_term_room.json` show one."""
        s = room.settings
        features = {"is_recording_available": True, "is_chat_available": True,
                    "is_whiteboard_available": True, "is_locale_switcher_available": False,
                    **s.get("available_features", {})}
        data: dict[str, Any] = {
            "id": room.id,
            "display_name": room.display_name,
            "metadata": room.metadata,
            "type": room.type,
            "expires_at": iso_z(room.expires_at),
            "recording_options": {"auto_record": False, "record_only_owner": False,
                                  **s.get("recording_options", {})},
            "meeting_code": room.meeting_code,
            "_links": self.links(room),
            "created_at": iso_z(room.created_at),
            "is_available": self.is_available(room),
            "expire_after_use": room.expire_after_use,
            "theme_id": room.theme_id,
            "initial_join_options": {"microphone_state": "default",
                                     **s.get("initial_join_options", {})},
            "join_approval_level": s.get("join_approval_level", "none"),
            "ui_settings": {"language": "default", **s.get("ui_settings", {})},
            "available_features": features,
        }
        if s.get("callback_urls"):
            data["callback_urls"] = s["callback_urls"]
        return data

    def theme_json(self, theme: Theme) -> dict[str, Any]:
        """A theme as `theme.json` shows one (logos are never uploaded here)."""
        return {
            "theme_id": theme.theme_id,
            "theme_name": theme.theme_name,
            "domain": "VCP",
            "account_id": ACCOUNT_ID,
            "application_id": self.application_id,
            "main_color": theme.main_color,
            "short_company_url": theme.short_company_url,
            "brand_text": theme.brand_text,
            "brand_image_colored": None,
            "brand_image_white": None,
            "branded_favicon": None,
            "brand_image_white_url": None,
            "brand_image_colored_url": None,
            "branded_favicon_url": None,
        }

    def add_theme(self, values: dict[str, Any], rng: random.Random | None = None) -> Theme:
        """A new theme of `values` (as `rules.parse_theme` gives them); its name is its
        id when none is given."""
        rng = rng or self._rng
        theme_id = seeds.uuid4(rng)
        theme = Theme(theme_id=theme_id, theme_name=values.get("theme_name") or theme_id,
                      main_color=values["main_color"], brand_text=values["brand_text"],
                      short_company_url=values.get("short_company_url"))
        self.themes[theme_id] = theme
        return theme
