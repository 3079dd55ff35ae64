"""eyeson host links against a simulator that answers as the real API does.

eyeson documents only the responding host's `user_token` in a permalink object; the
simulator's `users` array (every host with its token) is an invention, left out here
with `list_all_hosts=False`. meettui keeps the host links it learned in
`Meeting.kept.links` and the service puts them back when a refresh lacks them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from meettui.core.cache import Cache
from meettui.core.config import AccountConfig, Config
from meettui.core.errors import ValidationError
from meettui.core.models import KeptFacts, Meeting, MeetingSpec, Role
from meettui.core.service import MeetingService
from meettui.providers.eyeson import EyesonProvider

KEY = "demo-eyeson-key"
ENV = "MEETTUI_TEST_EYESON_KEY"


@pytest.fixture
def eyeson(sim_server, sim_clock):
    return sim_server("eyeson", clock=sim_clock, meetings=3, rooms=0, api_key=KEY,
                      list_all_hosts=False)


def account(server) -> AccountConfig:
    return AccountConfig(name="ey", provider="eyeson", base_url=server.base_url,
                         secret_env=ENV)


@pytest.fixture
async def service(eyeson, sim_clock, tmp_path) -> AsyncIterator[MeetingService]:
    svc = MeetingService(config=Config(accounts=[account(eyeson)]),
                         cache=Cache(tmp_path / "cache.sqlite3"), clock=sim_clock,
                         env={ENV: KEY})
    yield svc
    await svc.aclose()
    svc.cache.close()


def hosts(meeting: Meeting) -> dict[str, str]:
    """Host label -> token, in the order shown."""
    return {lk.label: lk.url.rsplit("?", 1)[1] for lk in meeting.links_for(Role.HOST)}


async def two_hosts(service: MeetingService) -> Meeting:
    m = await service.create("ey", MeetingSpec(title="Panel", options={"host_name": "Ann"}))
    return await service.run_action("ey", m.id, "add_host", {"name": "Bo"})


async def test_the_realistic_simulator_shows_one_hosts_token(eyeson, service):
    m = await two_hosts(service)
    async with httpx.AsyncClient(base_url=eyeson.base_url,
                                 headers={"Authorization": KEY}) as team:
        data = (await team.get(f"/permalink/{m.id}")).json()
        added = await team.post(f"/permalink/{m.id}/users", data={"user[name]": "Cy"})
    assert "users" not in data and "users" not in added.json()
    assert data["user"]["name"] == "Ann"
    assert added.json()["user"]["name"] == "Cy"


async def test_add_host_then_refresh_keeps_every_host_link(eyeson, service):
    m = await two_hosts(service)
    expected = hosts(m)
    assert list(expected) == ["Ann", "Bo"]
    assert [h.user_token for h in eyeson.sim.permalinks[m.id].hosts] == list(expected.values())

    page = await service.refresh("ey")
    listed = next(item for item in page.items if item.id == m.id)
    fetched = await service.fetch("ey", m.id)
    for seen in (listed, fetched, service.cached("ey", m.id)):
        assert hosts(seen) == expected
        assert all(lk.sensitive for lk in seen.links_for(Role.HOST))
        assert seen.links[-1].role == Role.GUEST and not seen.links[-1].sensitive
    # Twice more: nothing doubles, nothing is lost.
    await service.refresh("ey")
    assert hosts(await service.fetch("ey", m.id)) == expected
    assert len(service.cached("ey", m.id).links) == 3


async def test_a_remembered_host_can_start_and_be_removed_by_name(eyeson, service):
    m = await two_hosts(service)
    bo = hosts(m)["Bo"]
    await service.fetch("ey", m.id)

    started = await service.run_action("ey", m.id, "start", {"host": "Bo"})
    assert list(hosts(started))[:2] == ["Ann", "Bo"]
    assert any("running meeting" in lk.label for lk in started.links_for(Role.HOST))
    await service.run_action("ey", m.id, "stop", {})
    assert list(hosts(await service.fetch("ey", m.id))) == ["Ann", "Bo"]

    removed = await service.run_action("ey", m.id, "remove_host", {"host": "bo"})
    assert list(hosts(removed)) == ["Ann"]
    assert [h.name for h in eyeson.sim.permalinks[m.id].hosts] == ["Ann"]
    async with httpx.AsyncClient(base_url=eyeson.base_url) as anon:
        assert (await anon.post(f"/permalink/{bo}")).status_code == 404
    await service.refresh("ey")
    for seen in (await service.fetch("ey", m.id), service.cached("ey", m.id)):
        assert list(hosts(seen)) == ["Ann"]
        assert bo not in seen.kept.model_dump_json()
    with pytest.raises(ValidationError, match="No host named 'Bo'"):
        await service.run_action("ey", m.id, "start", {"host": "Bo"})


async def test_an_edit_keeps_the_remembered_hosts(service):
    m = await two_hosts(service)
    result = await service.update("ey", m.id, MeetingSpec(title="Panel 2"))
    assert result.meeting.title == "Panel 2"
    assert hosts(result.meeting) == hosts(m)
    assert hosts(service.cached("ey", m.id)) == hosts(m)


async def test_a_cached_copy_without_local_facts_changes_nothing(eyeson, service, sim_clock):
    # Hosts added outside meettui (or before it kept host links): only the host eyeson
    # shows is known, as before.
    provider = EyesonProvider(account(eyeson), secrets={"api_key": KEY}, clock=sim_clock)
    try:
        made = await provider.create(MeetingSpec(title="Elsewhere",
                                                 options={"host_name": "Ann"}))
        await provider.run_action(made.id, "add_host", {"name": "Bo"})
        upstream = await provider.get(made.id)
    finally:
        await provider.aclose()
    service.cache.upsert(upstream.model_copy(update={"kept": KeptFacts()}))
    fetched = await service.fetch("ey", made.id)
    assert fetched.links == upstream.links
    assert list(hosts(fetched)) == ["Ann"]
    # A meeting never cached at all, and malformed remembered links, are ignored too.
    other = next(iter(eyeson.sim.permalinks))
    # (written as a cache of an earlier version holds them: a free-form `local` dict)
    fetched_other = (await service.fetch("ey", other)).model_dump(mode="json", exclude={"kept"})
    service.cache.upsert(Meeting.model_validate(
        {**fetched_other, "local": {"links": ["junk", {"role": "host"}, 3]}}))
    again = await service.fetch("ey", other)
    assert len(again.links_for(Role.HOST)) == 1


async def test_remembered_links_keep_the_key_out_and_tokens_out_of_raw(service):
    m = await two_hosts(service)
    await service.refresh("ey")
    cached = service.cached("ey", m.id)
    assert KEY not in cached.model_dump_json()
    raw = json.dumps(cached.raw)
    for token in hosts(cached).values():
        assert token not in raw
    # The tokens live only inside the (sensitive) host links meettui keeps.
    assert [lk.url for lk in cached.kept.links] == [
        lk.url for lk in cached.links_for(Role.HOST)]
    assert all(lk.sensitive for lk in cached.kept.links)


def cli_account(eyeson, tmp_path, monkeypatch) -> None:
    """Config, cache and log in `tmp_path`, with one account "ey" on the simulator `eyeson`
    and its key in the environment: what `meettui` commands run against here."""
    from cli_helpers import isolate_paths

    config = tmp_path / "config.toml"
    config.write_text('[[accounts]]\nname = "ey"\nprovider = "eyeson"\n'
                      f'base_url = "{eyeson.base_url}"\nsecret_env = "{ENV}"\n')
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv(ENV, KEY)


def test_no_output_carries_a_host_link_unless_revealed(eyeson, tmp_path, monkeypatch, capsys):
    # The leak from the walkthrough (D1): `list/show/create --json` masked `links[]` but
    # printed the host links meettui keeps in full. Every output path, one rule: a
    # sensitive link is masked unless --reveal is given.
    from cli_helpers import run_cli

    cli_account(eyeson, tmp_path, monkeypatch)
    code, out, _ = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "-o", "host_name=Ann",
                           "--json")
    assert code == 0
    pid = json.loads(out)["id"]
    outputs = [out]
    for argv in (("host", "add", pid, "--name", "Bo", "--json"),
                 ("show", pid, "--json"), ("show", pid), ("list", "--json"), ("list",),
                 ("start", pid, "--json"), ("action", pid, "--json"),
                 ("edit", pid, "--title", "Panel 2", "--json")):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, (argv, err)
        outputs += [out, err]
    tokens = [h.user_token for h in eyeson.sim.permalinks[pid].hosts]
    assert len(tokens) == 2
    assert [t for t in tokens if any(t in text for text in outputs)] == []
    code, out, _ = run_cli(capsys, "show", pid, "--json", "--reveal")
    assert all(t in out for t in tokens)  # revealed on request, and only then


def test_a_start_on_an_eyeson_edit_is_refused_not_ignored(eyeson, tmp_path, monkeypatch,
                                                          capsys):
    # D25: `meettui edit EYESON_ID --start +1h --yes` answered 0 and changed nothing;
    # `-o bogus=1` on a create was accepted the same way.
    from cli_helpers import run_cli

    cli_account(eyeson, tmp_path, monkeypatch)
    code, _, err = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "-o", "bogus=1")
    # An option it does not take is a usage error, as a flag would be (it exited 1).
    assert code == 2 and "eyeson has no option 'bogus'" in err
    code, out, _ = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "--json")
    pid = json.loads(out)["id"]
    refused = ("meettui: eyeson takes no start time. A permalink waits for a host to start "
               "its meeting with their link; set an expiry (-o expires_at=…) if it should "
               "stop working.\n"
               "  Leave out --start; nothing was sent.\n")
    code, _, err = run_cli(capsys, "edit", pid, "--start", "+1h", "--yes")
    assert (code, err) == (2, refused)
    # The same refusal on a create (eyeson's own check said it, as a provider error: 1).
    code, out, err = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "--start", "+1h")
    assert (code, out, err) == (2, "", refused)


def test_a_host_token_eyeson_does_not_know_is_said_so(eyeson, tmp_path, monkeypatch,
                                                       capsys):
    # `start --host WRONGTOKEN…` said "404 … It may have been deleted or expired upstream"
    # of a permalink just read; the token was what eyeson did not know.
    from cli_helpers import run_cli

    cli_account(eyeson, tmp_path, monkeypatch)
    code, out, _ = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "--json")
    pid = json.loads(out)["id"]
    wrong = "WRONGTOKEN0000000000000000"
    for argv in (("start", pid, "--host", wrong),
                 ("host", "remove", pid, "--token", wrong, "--yes")):
        code, _, err = run_cli(capsys, *argv)
        assert code != 0, argv
        assert "eyeson knows no host with that token on this permalink." in err, argv
        assert "deleted or expired" not in err and wrong not in err
    code, out, _ = run_cli(capsys, "show", pid, "--json")
    assert code == 0 and not json.loads(out)["missing"]


def test_a_host_link_pasted_whole_is_read_as_its_token(eyeson, tmp_path, monkeypatch,
                                                        capsys):
    # `host remove ID --token "https://…/permalink?TOKEN"` (the link `show --reveal`
    # prints) said "No host named 'https://…?***'" although --token was given.
    from cli_helpers import run_cli

    cli_account(eyeson, tmp_path, monkeypatch)
    code, out, _ = run_cli(capsys, "create", "-a", "ey", "-t", "Panel", "-o",
                           "host_name=Ann", "--json")
    pid = json.loads(out)["id"]
    code, _, err = run_cli(capsys, "host", "add", pid, "--name", "Bo", "--json")
    assert code == 0, err
    code, out, _ = run_cli(capsys, "show", pid, "--json", "--reveal")
    links = {lk["label"]: lk["url"] for lk in json.loads(out)["links"] if lk["role"] == "host"}
    bo_link = next(url for label, url in links.items() if "Bo" in label)
    code, out, err = run_cli(capsys, "host", "remove", pid, "--token", f" {bo_link} ",
                             "--yes", "--json")
    assert code == 0, err
    assert [h.name for h in eyeson.sim.permalinks[pid].hosts] == ["Ann"]
