"""A meeting the provider no longer has, met by a refresh or an action (every
provider): the provider's 404 is a definite answer. The cached meeting is marked gone, as
a list walk that no longer sees it marks it, and the message says it is gone upstream in
the words an edit uses ("… no longer exists in 'ACCOUNT': it was removed elsewhere"),
not the bare 404 with "It may have been deleted or expired upstream; refresh the list".

The meeting gone upstream is a listed one cached under an id the provider has none of
(`Harness.unknown_id`): every provider answers it as it answers a deleted one."""

from __future__ import annotations

import pytest

from meettui.core.errors import GoneUpstream, MeettuiError, NotFound


async def _ghost(harness, sim_server, sim_clock, make_service):
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server)
    await service.sync_all(name)
    listed = service.window([name])[0]
    ghost = listed.model_copy(update={"id": harness.unknown_id, "title": "Ghost"})
    service.cache.upsert(ghost)
    return service, name, ghost


def _said_as_gone(error: MeettuiError, name: str, ghost_id: str) -> None:
    said = error.paragraph()
    assert f"'Ghost' ({ghost_id}) no longer exists in {name!r}: it was removed " \
           "elsewhere." in said, said
    assert "may have been deleted" not in said and "→ 404" not in said


async def test_a_refresh_marks_it_gone_and_says_so(harness, sim_server, sim_clock,
                                                   make_service):
    service, name, ghost = await _ghost(harness, sim_server, sim_clock, make_service)
    if not service.capabilities(name).remote_list:
        pytest.skip("nothing upstream to refresh from")
    with pytest.raises(GoneUpstream) as info:
        await service.fetch(name, ghost.id)
    said = info.value.paragraph()
    # Gone, with the provider's answer (a room ended, a link expired: not always
    # removed by someone), and no "refresh the list": this was the refresh.
    assert f"'Ghost' ({ghost.id}) is gone upstream: {name!r} no longer has it (" in said
    assert said.count(name) == 1 and "It is marked gone here." in said
    assert "may have been deleted" not in said and "refresh the list" not in said.lower()
    marked = service.cached(name, ghost.id)
    assert marked is not None and marked.missing
    assert marked.status_word(sim_clock.now()) == "gone"


async def test_a_refresh_of_a_meeting_never_cached_is_not_found(harness, sim_server,
                                                                sim_clock, make_service):
    # (`action ID --account A` reads one not cached: there is nothing to mark.)
    server = harness.start(sim_server, sim_clock, 3)
    service, name = make_service(harness, server)
    if not service.capabilities(name).remote_list:
        pytest.skip("nothing upstream to refresh from")
    with pytest.raises(NotFound) as info:
        await service.fetch(name, harness.unknown_id)
    assert not isinstance(info.value, GoneUpstream)


async def test_an_action_marks_it_gone_and_says_it_as_an_edit_does(
        harness, sim_server, sim_clock, make_service):
    service, name, ghost = await _ghost(harness, sim_server, sim_clock, make_service)
    actions = [a for a in service.capabilities_for(ghost).actions if not a.removes]
    if not actions:
        pytest.skip("no action to run")
    for action in actions:
        fresh = ghost.model_copy(update={"missing": False})
        service.cache.upsert(fresh)
        params = {f.name: _value(f) for f in action.fields}
        with pytest.raises(GoneUpstream) as info:
            await service.run_action(name, ghost.id, action.name, params)
        _said_as_gone(info.value, name, ghost.id)
        assert info.value.message.endswith("Nothing was done."), action.name
        marked = service.cached(name, ghost.id)
        assert marked is not None and marked.missing, action.name
        # Marked so, the next try is refused before anything is sent, in the same words.
        with pytest.raises(GoneUpstream):
            await service.run_action(name, ghost.id, action.name, params)


def _value(field):
    """A value the field takes (the first choice, else a plain one of its kind)."""
    from meettui.core.capabilities import FieldKind

    if field.choices:
        return field.choices[0]
    return {FieldKind.BOOL: True, FieldKind.INT: 1}.get(field.kind, "Bob")
