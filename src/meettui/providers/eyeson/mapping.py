"""eyeson JSON to the neutral model (`Meeting`, `Link`), and a `MeetingSpec` to eyeson's
request body. No HTTP here: the client (`meettui.providers.eyeson`) fetches and sends.

Link choice: host links are sensitive (they start the meeting and carry the host's
token). The guest link also carries a token, but it is made to be shared with guests
(eyeson: "only share guest links") and lets nobody start the meeting, so it is *not*
marked sensitive: it is the link the QR code and `meettui qr` show.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from meettui.core.clock import Clock
from meettui.core.display import fact_time
from meettui.core.errors import ValidationError
from meettui.core.kept import merge_links
from meettui.core.models import KeptFacts, Link, Meeting, MeetingSpec, Role, Status
from meettui.core.option_values import switch
from meettui.core.timeparse import parse_iso, parse_when, to_iso_z

ROOM_PREFIX = "room:"
DEFAULT_HOST_NAME = "Host"
TOKEN_RE = re.compile(r"^[A-Za-z0-9]{16,64}$")
# Options the create/edit forms offer, sent as options[...].
BOOL_OPTIONS = ("recording_available", "broadcast_available", "widescreen")

KIND = "eyeson"


class Host(NamedTuple):
    """One host of a permalink."""

    name: str
    token: str
    """The host's `user_token`: it starts the meeting, so it is a credential."""
    gui: str
    """The host's link (`<app>/permalink?<user_token>`)."""


class MalformedItem(ValueError):
    """An answer that does not match the contract; the message says how."""


_time = parse_iso


def iso(moment: datetime) -> str:
    return to_iso_z(moment, timespec="seconds")


def _shown(moment: datetime | None) -> str:
    return fact_time(moment) if moment else "—"


def form_pairs(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested dicts as eyeson's bracket keys; booleans as "true"/"false"; None left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else key
        if value is None:
            continue
        if isinstance(value, dict):
            pairs += form_pairs(value, name)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        else:
            pairs.append((name, str(value)))
    return pairs


# --- eyeson JSON to the model -----------------------------------------------------------


def list_hosts(data: dict[str, Any], app_url: str) -> list[Host]:
    """(name, user_token, gui link) for every host the response shows.

    eyeson documents one `user` and `user_token` per response; a `users` list (which
    the simulator adds) gives all hosts. Without it only the shown host is known."""
    links = data.get("links") or {}
    hosts: list[Host] = []
    users = data.get("users")
    if isinstance(users, list):
        for u in users:
            if isinstance(u, dict) and u.get("user_token"):
                tok = str(u["user_token"])
                gui = (u.get("links") or {}).get("gui") or f"{app_url}/permalink?{tok}"
                hosts.append(Host(str(u.get("name") or DEFAULT_HOST_NAME), tok, gui))
    shown = (data.get("permalink") or {}).get("user_token")
    if shown and all(h.token != shown for h in hosts):
        tok = str(shown)
        name = str((data.get("user") or {}).get("name") or DEFAULT_HOST_NAME)
        hosts.insert(0, Host(name, str(tok), links.get("gui") or f"{app_url}/permalink?{tok}"))
    return hosts


def host_links(hosts: list[Host]) -> list[Link]:
    """The hosts' links, sensitive (each starts the meeting), labelled with the name."""
    return [Link(role=Role.HOST, url=h.gui, label=h.name, sensitive=True) for h in hosts]


def remembered_hosts(kept: KeptFacts) -> list[Host]:
    """The hosts whose links meettui keeps (`Meeting.kept.links`): those of the form
    `<app>/permalink?<user_token>`."""
    hosts: list[Host] = []
    for link in kept.links:
        if link.role != Role.HOST:
            continue
        base, sep, tok = link.url.rpartition("?")
        if sep and base.endswith("/permalink") and TOKEN_RE.match(tok):
            hosts.append(Host(link.label or DEFAULT_HOST_NAME, tok, link.url))
    return hosts


def live_link(name: str, gui: str, started: datetime | None,
              kept: list[Link] | tuple[Link, ...] = ()) -> Link:
    """The link a start gave host `name` into the running meeting (the answer's
    `links.gui`, `<app>/?<access_key>`): sensitive, and good for this run only (the
    access key dies when the meeting shuts down), so it is kept until the run is over
    (`Link.run_started`). A start of a meeting running already joins it as one more
    session of that host, with a link of its own: numbered after those of this run in
    `kept` (two links labelled alike could not be told apart); the same link again keeps
    its label."""
    ours = [lk for lk in kept if lk.run_started == started
            and is_live_label_of(lk.label, name)]
    same = next((lk.label for lk in ours if lk.url == gui), None)
    # After the highest number in use: one dropped between would make two alike.
    number = max((_live_number(lk.label, name) for lk in ours), default=0) + 1
    return Link(role=Role.HOST, url=gui, label=same or live_label(name, number),
                sensitive=True, run_started=started)


def live_label(name: str, number: int = 1) -> str:
    """The label of host `name`'s link into the running meeting (`live_link`): its
    `number`th of this run after the first ("…, link 2")."""
    return f"{name} (in the running meeting{f', link {number}' if number > 1 else ''})"


def _live_number(label: str, name: str) -> int:
    """The number of host `name`'s `live_label` `label` (1 for the first)."""
    tail = label.removeprefix(live_label(name)[:-1] + ", link ").removesuffix(")")
    return int(tail) if tail.isdigit() else 1


def is_live_label_of(label: str, name: str) -> bool:
    """Whether `label` is one of host `name`'s `live_label`s, whatever its number."""
    base = live_label(name)
    return label == base or (label.startswith(base[:-1] + ", link ") and label.endswith(")"))


def permalink_meeting(
    data: Any, *, account: str, app_url: str, clock: Clock,
    live: list[Link] | None = None, hosts: list[Host] | None = None,
    kept: KeptFacts | None = None,
) -> Meeting:
    """A permalink object as a Meeting. `hosts` overrides the hosts the answer shows
    (the client merges in those it remembers); `kept.links` becomes their links, then
    the links into the running meeting: `live` (a start's) and those `kept` had (the
    service drops them once the run is over: `kept.with_kept_links`).
    Raises MalformedItem when there is no `permalink.id`."""
    if not isinstance(data, dict) or not isinstance(data.get("permalink"), dict) or not (
        data["permalink"].get("id")
    ):
        raise MalformedItem("no permalink.id")
    p, room = data["permalink"], data.get("room") or {}
    options = data.get("options") or {}
    started, expires = _time(room.get("started_at")), _time(p.get("expires_at"))
    created = _time(p.get("created_at"))
    now = clock.now()
    if started:
        status = Status.LIVE
    elif expires is not None and now >= expires:
        status = Status.EXPIRED
    else:
        status = Status.SCHEDULED
    if hosts is None:
        hosts = list_hosts(data, app_url)
    links = host_links(hosts)
    # The links into the running meeting in the order they were made, kept ones first:
    # a second start's "link 2" was listed above the first.
    runs = [lk for lk in (kept.links if kept else []) if lk.run_started is not None]
    links += runs + [lk for lk in live or [] if lk.url not in {r.url for r in runs}]
    guest = (data.get("links") or {}).get("guest_join")
    if not guest and p.get("guest_token"):
        guest = f"{app_url}/permalink?guest={p['guest_token']}"
    if guest:
        links.append(Link(role=Role.GUEST, url=guest, label="Guest link"))
    details = {
        "Kind": "permalink",
        "State": f"running since {_shown(started)}" if started
        else ("expired: it can no longer be started" if status == Status.EXPIRED
              else "not running: a host starts it with their link"),
        "Guests": "can join now" if started else "wait until a host starts the meeting",
        "Hosts": ", ".join(h.name for h in hosts) or "—",
        "Created": _shown(created),
    }
    if expires:
        details["Expires"] = _shown(expires)
    details["Recording"] = "allowed" if options.get("recording_available", True) else "off"
    details["Broadcasting"] = ("allowed" if options.get("broadcast_available", True)
                               else "off")
    if options.get("exit_url"):
        details["Exit URL"] = str(options["exit_url"])
    if not guest:
        details["Guest link"] = "none (guest tokens are off for this permalink)"
    team = (data.get("team") or {}).get("name")
    if team:
        details["Team"] = str(team)
    return Meeting(
        provider=KIND,
        account=account,
        id=str(p["id"]),
        title=str(room.get("name") or ""),
        starts_at=started,
        expires_at=expires,
        status=status,
        links=links,
        details=details,
        raw=_raw(data, hosts),
        kept=(kept or KeptFacts()).model_copy(update={
            "links": merge_links(host_links(hosts), [
                lk for lk in (*(kept.links if kept else []), *(live or []))
                if lk.run_started is not None])}),
    )


def _raw(data: dict[str, Any], hosts: list[Host]) -> dict[str, Any]:
    """The provider's facts without tokens (they live only inside the links), plus the
    option values under the form fields' names so an edit form starts from them."""
    p, options = data["permalink"], data.get("options") or {}
    return {
        "permalink": {k: p.get(k) for k in ("id", "created_at", "expires_at")},
        "room": {k: (data.get("room") or {}).get(k) for k in ("id", "name", "started_at")},
        "team": data.get("team"),
        "options": {k: v for k, v in options.items() if k != "custom_fields"},
        "hosts": [h.name for h in hosts],
        "host_name": hosts[0].name if hosts else None,
        "exit_url": options.get("exit_url"),
        **{k: options.get(k, True) for k in BOOL_OPTIONS},
    }


def room_meeting(room: dict[str, Any], *, account: str, app_url: str) -> Meeting:
    """A running room (from `GET /rooms`) as a Meeting: its guest link only."""
    started = _time(room.get("started_at"))
    ended = bool(room.get("shutdown"))
    links = []
    if room.get("guest_token") and not ended:
        links.append(Link(role=Role.GUEST, url=f"{app_url}/?guest={room['guest_token']}",
                          label="Guest link"))
    return Meeting(
        provider=KIND,
        account=account,
        id=f"{ROOM_PREFIX}{room['id']}",
        title=str(room.get("name") or room["id"]),
        starts_at=started,
        status=Status.ENDED if ended else Status.LIVE,
        links=links,
        details={
            "Kind": "running room (not a permalink)",
            "State": "ended" if ended else f"running since {_shown(started)}",
            "Host link": "only the people in the room have one; eyeson lists none",
        },
        raw={k: room.get(k) for k in ("id", "name", "ready", "started_at", "shutdown")},
    )


def host_token_of(wanted: str) -> str:
    """`wanted` as a host's name or token: a whole host link pasted in
    (`https://app.eyeson.team/permalink?TOKEN`, as `show --reveal` prints it) gives the
    token after its '?'. Pasted whole, it was taken for a name: "No host named
    'https://…'"."""
    text = wanted.strip()
    if "://" in text and "?" in text:
        token = text.rsplit("?", 1)[1]
        if TOKEN_RE.match(token):
            return token
    return wanted


def pick_host(hosts: list[Host], wanted: str, *, field: str) -> tuple[str, str]:
    """(name, token) of the host named `wanted` (or with that token); first if empty.
    Raises ValidationError at `field` for no match or an ambiguous name."""
    provider = KIND
    if not wanted:
        if not hosts:
            raise ValidationError("This permalink shows no host.", field=field,
                                  provider=provider)
        return hosts[0].name, hosts[0].token
    wanted = host_token_of(wanted)
    for h in hosts:
        if h.token == wanted:
            return h.name, h.token
    named = [(h.name, h.token) for h in hosts if h.name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        raise ValidationError(
            f"{len(named)} hosts are named {wanted!r}; give the host's token instead "
            "(`meettui show ID --reveal` shows each host's link; the token follows '?').",
            field=field, provider=provider)
    if TOKEN_RE.match(wanted):
        # eyeson may not list every host; a token can still be used as given.
        return wanted, wanted
    known = ", ".join(h.name for h in hosts) or "none"
    raise ValidationError(f"No host named {wanted!r} (hosts: {known}).", field=field,
                          provider=provider)


# --- the model to eyeson's request body ------------------------------------------------


def spec_options(spec: MeetingSpec) -> dict[str, Any]:
    """The form's options as eyeson's `options[...]`. Raises ValidationError at the field."""
    provider = KIND
    out: dict[str, Any] = {}
    given = spec.options
    if given.get("exit_url") not in (None, ""):
        url = str(given["exit_url"]).strip()
        if not re.match(r"^https?://\S+$", url):
            raise ValidationError(f"Exit URL must start with http:// or https://, not {url!r}.",
                                  field="exit_url", provider=provider)
        out["exit_url"] = url
    for name in BOOL_OPTIONS:
        if name in given and given[name] is not None:
            out[name] = switch(given[name], name, provider=provider)
    return out


def spec_expiry(spec: MeetingSpec, *, clock: Clock) -> datetime | None:
    """The expiry asked for (the form's "Expires", or `-o expires_at=`); ValidationError
    at `ends_at` for one unreadable or not in the future."""
    provider = KIND
    expires = spec.ends_at
    text = spec.options.get("expires_at")
    if expires is None and text not in (None, ""):
        try:
            expires = parse_when(str(text), now=clock.now())
        except ValueError as exc:
            raise ValidationError(str(exc), field="ends_at", provider=provider) from None
    if expires is not None and expires <= clock.now():
        raise ValidationError("The expiry must be in the future.", field="ends_at",
                              provider=provider)
    return expires
