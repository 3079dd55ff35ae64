"""Ids as people type them (core/ids.py): a unique prefix names a meeting in every
command taking an id, the exact id beats a longer one it starts, and an ambiguous
prefix lists the candidates and exits 2. Two Jitsi accounts (no network needed) with
meetings written to the cache under chosen ids."""

from __future__ import annotations

import json

import pytest

from cli_helpers import isolate_paths, run_cli
from factories import make_meeting
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from meettui.core.cache import Cache

MEETINGS = {  # id: (account, title)
    "standup-7f3a91": ("team-a", "Daily standup"),
    "review-alpha-1": ("team-a", "Design review one"),
    "review-alpha-2": ("team-b", "Design review two"),
    "retro": ("team-a", "Retro (short id)"),
    "retro-extended": ("team-a", "Retro, extended"),
    "shared-room": ("team-a", "Shared A"),
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        "builtin_jitsi = false\n"
        '[[accounts]]\nname = "team-a"\nprovider = "jitsi"\n'
        '[[accounts]]\nname = "team-b"\nprovider = "jitsi"\n',
        encoding="utf-8",
    )
    isolate_paths(monkeypatch, tmp_path, config)
    cache = Cache(tmp_path / "cache.sqlite3")
    rows = [(mid, account, title) for mid, (account, title) in MEETINGS.items()]
    rows.append(("shared-room", "team-b", "Shared B"))
    for i, (mid, account, title) in enumerate(rows):
        base = make_meeting(i, account=account, title=title)
        cache.upsert(base.model_copy(update={"id": mid, "provider": "jitsi"}))
    cache.close()
    return tmp_path


def show(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code, out, err = run_cli(capsys, "show", *argv, "--json")
    return code, (json.loads(out) if code == EXIT_OK else None), err


def test_a_unique_prefix_names_the_meeting(env, capsys):
    code, shown, err = show(capsys, "standup")
    assert code == EXIT_OK, err
    assert shown["id"] == "standup-7f3a91" and shown["title"] == "Daily standup"


@pytest.mark.parametrize("typed", ["standup-7f…", "standup-7f...", "standup-7f3a91…",
                                   "standup-7f?"])  # (a terminal with no "…" shows "?")
def test_an_id_copied_with_its_ellipsis_names_the_meeting(env, capsys, typed):
    # A narrow list cuts long ids with "…": copied with it, the id was not found.
    code, shown, err = show(capsys, typed)
    assert code == EXIT_OK, err
    assert shown["id"] == "standup-7f3a91"


def test_an_ambiguous_prefix_lists_the_candidates_and_exits_2(env, capsys):
    code, _, err = show(capsys, "review-al")
    assert code == EXIT_USAGE
    assert "The id prefix 'review-al' matches several meetings" in err
    lines = [ln.split() for ln in err.splitlines()]
    assert ["team-a", "review-alpha-1", "Design", "review", "one"] in lines
    assert ["team-b", "review-alpha-2", "Design", "review", "two"] in lines
    assert "Type more of the id" in err and "Traceback" not in err


def test_an_ambiguous_message_ends_with_its_colon_not_a_period(env, capsys):
    # It printed "… matches several meetings:." before the candidates (README has it
    # without the period); the id in several accounts said "…accounts:." too.
    for typed in ("review-al", "shared-room"):
        _, _, err = show(capsys, typed)
        first = err.splitlines()[0]
        assert first.endswith(":") and not first.endswith(":."), first


def test_an_ambiguous_id_said_on_one_line_names_the_candidates(env, capsys):
    # Its one-line form (a toast, a JSON error) read "meetings:. Type more of the id".
    from meettui.core.ids import AmbiguousId

    cands = [make_meeting(i, account=a, title=t).model_copy(update={"id": mid})
             for i, (mid, (a, t)) in enumerate(MEETINGS.items()) if mid.startswith("review")]
    exc = AmbiguousId("review-al", cands)
    assert str(exc) == ("The id prefix 'review-al' matches several meetings: team-a "
                        "review-alpha-1 Design review one; team-b review-alpha-2 Design "
                        "review two. Type more of the id (or give --account).")
    assert ":." not in exc.as_lines() and "review-alpha-2" in exc.as_lines()


def test_account_narrows_an_ambiguous_prefix(env, capsys):
    code, shown, err = show(capsys, "review-al", "--account", "team-b")
    assert code == EXIT_OK, err
    assert shown["id"] == "review-alpha-2" and shown["account"] == "team-b"


def test_the_exact_id_beats_a_longer_id_it_starts(env, capsys):
    code, shown, err = show(capsys, "retro")
    assert code == EXIT_OK, err
    assert shown["id"] == "retro" and shown["title"] == "Retro (short id)"
    code, shown, _ = show(capsys, "retro-ext")
    assert shown["id"] == "retro-extended"


def test_an_exact_id_in_two_accounts_is_ambiguous_until_the_account_is_given(env, capsys):
    code, _, err = show(capsys, "shared-room")
    assert code == EXIT_USAGE
    assert "exists in several accounts" in err and "--account" in err
    assert "Shared A" in err and "Shared B" in err
    code, shown, _ = show(capsys, "shared-room", "-a", "team-b")
    assert code == EXIT_OK and shown["title"] == "Shared B"


def test_no_match_and_too_short_prefixes_say_so(env, capsys):
    code, _, err = show(capsys, "nothing-like-it")
    assert code == EXIT_ERROR and "No cached meeting with id 'nothing-like-it'" in err
    code, _, err = show(capsys, "sta")  # would be unique, but shorter than git's 4
    assert code == EXIT_ERROR and "at least 4 characters" in err


def test_every_id_command_takes_a_prefix(env, capsys, tmp_path):
    svg = tmp_path / "code.svg"
    code, _, err = run_cli(capsys, "qr", "standup-7f", "--svg", str(svg))
    assert code == EXIT_OK, err
    assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))

    code, out, err = run_cli(capsys, "edit", "standup-7f", "--title", "Standup (moved)",
                             "--yes", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["id"] == "standup-7f3a91"
    assert json.loads(out)["title"] == "Standup (moved)"

    code, out, err = run_cli(capsys, "action", "standup-7f", "--json")
    assert code == EXIT_OK, err
    assert isinstance(json.loads(out)["actions"], list)

    code, out, err = run_cli(capsys, "delete", "stand", "--yes", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["id"] == "standup-7f3a91"
    code, _, err = show(capsys, "standup-7f3a91")
    assert code == EXIT_ERROR


def test_the_hint_offers_account_only_where_it_tells_the_candidates_apart(env, capsys):
    # "(or give --account)" was said when every candidate was in one account, and
    # after --account was given: it could not help.
    code, _, err = show(capsys, "review-al")
    assert code == EXIT_USAGE and err.endswith("  Type more of the id (or give --account).\n")
    code, _, err = show(capsys, "retr…")  # retro and retro-extended, both in team-a
    assert code == EXIT_USAGE and err.endswith("  Type more of the id.\n")
    code, _, err = show(capsys, "retr…", "-a", "team-a")
    assert code == EXIT_USAGE and err.endswith("  Type more of the id.\n")


@pytest.mark.parametrize("typed", [" standup-7f3a91 ", "standup-7f3a91\n", "\tstandup "])
def test_an_id_pasted_with_blanks_around_it_names_the_meeting(env, capsys, typed):
    # " f8d0ff3c " was "No cached meeting with id ' f8d0ff3c '"; the lookup is the one
    # the MCP server's tools share (`core/ids.resolve`).
    code, shown, err = show(capsys, typed)
    assert code == EXIT_OK, err
    assert shown["id"] == "standup-7f3a91"


def test_the_shared_lookup_trims_blanks(env):
    from meettui.core.ids import resolve

    cache = Cache(env / "cache.sqlite3")
    try:
        assert resolve(cache, "  review-alpha-2 ").account == "team-b"
        assert resolve(cache, " review-alpha-1", "team-a").title == "Design review one"
    finally:
        cache.close()


@pytest.mark.parametrize("command", ["show", "delete", "qr", "edit", "start"])
@pytest.mark.parametrize("typed", ["", "  "])
def test_an_empty_id_is_a_usage_error(env, capsys, command, typed):
    # An empty `$ID` in a script exited 1 with "No cached meeting with id ''", as a
    # meeting a refresh might find does.
    extra = ["-t", "New title"] if command == "edit" else []
    code, out, err = run_cli(capsys, command, typed, *extra)
    assert (code, out) == (EXIT_USAGE, "")
    assert err == ("meettui: The meeting id is empty.\n"
                   "  Give an id as `meettui list` shows it.\n")


def test_the_candidates_are_said_in_aligned_columns():
    # An id longer than another pushed its title right: the titles did not line up.
    from meettui.core.ids import AmbiguousId

    cands = [make_meeting(i).model_copy(update={"account": "jitsi", "id": mid,
                                                "title": title})
             for i, (mid, title) in enumerate((("Weekly-5kzr", "Weekly"),
                                               ("Weekly2-hpzque", "Weekly2")))]
    assert AmbiguousId("Week", cands).lines() == ["jitsi  Weekly-5kzr     Weekly",
                                                  "jitsi  Weekly2-hpzque  Weekly2"]
