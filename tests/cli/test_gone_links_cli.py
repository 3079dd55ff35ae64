"""A meeting gone upstream (deleted at the provider, found so by a refresh) is never
handed out: `meettui qr` in every format and `meettui ics` refuse it (exit 1, a failure:
the command was right, the meeting is gone), saying why and what to do. `qr` made a code
of the dead link without a word (exit 0); `ics` said why but not what to do.

Against `meettui simulate whereby` as a child process, serving a real socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli_helpers import base_url_of, isolate_paths, run_cli, simulator_process
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE

KEY = "gone-links-key-51c2"


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with simulator_process("whereby", "--api-key", KEY, "--meetings", "2") as printed:
        yield base_url_of(printed)


@pytest.fixture
def gone(tmp_path, monkeypatch, capsys, upstream) -> dict:
    """A room made with `meettui create`, deleted at the simulator, then found gone by
    `meettui show --refresh` (which marks it so)."""
    isolate_paths(monkeypatch, tmp_path)
    monkeypatch.setenv("GONE_LINKS_KEY", KEY)
    (tmp_path / "config.toml").write_text(
        "builtin_jitsi = false\n[[accounts]]\n"
        f'name = "wb"\nprovider = "whereby"\nbase_url = "{upstream}"\n'
        'secret_env = "GONE_LINKS_KEY"\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "create", "-a", "wb", "-t", "Walk-in desk",
                             "--end", "+1h", "--json")
    assert code == EXIT_OK, err
    made = json.loads(out)
    deleted = httpx.delete(f"{upstream}/meetings/{made['id']}",
                           headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
    assert deleted.status_code == 204
    code, out, err = run_cli(capsys, "show", made["id"], "--refresh", "--json")
    assert code == EXIT_OK, err
    assert json.loads(out)["status"] == "gone"
    return made


def said_gone(err: str, meeting: dict) -> None:
    """stderr refuses `meeting` as gone, with the line of what to do."""
    first, hint = err.rstrip("\n").split("\n")
    assert first.startswith(f"meettui: 'Walk-in desk' ({meeting['id']}) is gone upstream: "
                            "'wb' no longer lists it, so its link most likely no longer "
                            "works."), err
    assert hint == (f"  Check whether the provider has it again with `meettui show "
                    f"{meeting['id']} --refresh`; if it was removed there, `meettui delete "
                    f"{meeting['id']}` forgets it here (nothing is sent to the provider).")


@pytest.mark.parametrize("flags", [(), ("--text",), ("--png", "{dir}/q.png"),
                                   ("--svg", "{dir}/q.svg"),
                                   ("--png", "{dir}/q.png", "--svg", "{dir}/r.svg", "--json"),
                                   ("--role", "host")])
def test_qr_of_a_meeting_gone_upstream_is_refused(gone, capsys, tmp_path, flags):
    argv = [flag.format(dir=tmp_path) for flag in flags]
    code, out, err = run_cli(capsys, "qr", gone["id"][:8], *argv)
    assert (code, out) == (EXIT_ERROR, "")
    said_gone(err, gone)
    assert err.split("\n")[0].endswith(" No QR code was made.")
    assert "warning" not in err  # (no host-link warning for a code not made)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.svg"))


def test_qr_with_an_unknown_role_is_a_usage_error_first(gone, capsys):
    code, _, err = run_cli(capsys, "qr", gone["id"], "--role", "owner")
    assert code == EXIT_USAGE and "unknown role 'owner'" in err


def test_ics_of_a_meeting_gone_upstream_says_what_to_do(gone, capsys, tmp_path):
    for extra in ((), ("-o", str(tmp_path / "x.ics"))):
        code, out, err = run_cli(capsys, "ics", gone["id"], *extra)
        assert (code, out) == (EXIT_ERROR, "")
        first, hint = err.rstrip("\n").split("\n")
        assert first == (f"meettui: {gone['id']} (Walk-in desk) cannot be a calendar "
                         "event: no longer listed by the provider.")
        assert hint.startswith("  Check whether the provider has it again with `meettui "
                               f"show {gone['id']} --refresh`")
    assert not Path(tmp_path / "x.ics").exists()
