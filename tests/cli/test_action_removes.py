"""An action that removes the meeting (24sessions' "Delete for good") says that the
meeting was deleted, as `delete` does: it printed the meeting as it was last
("scheduled", its guest link, `"missing": false`), as if it were still there."""

from __future__ import annotations

import json

import pytest
from jsonschema.validators import Draft202012Validator

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK
from meettui.cli.schema import schemas

SECRET = "action-removes-24-6d0e"


@pytest.fixture
def meeting(tmp_path, monkeypatch, sim_server, capsys) -> str:
    """A scheduled meeting of a 24sessions account on the simulator."""
    s24 = sim_server("24sessions", meetings=4, client_id="ar-client", client_secret=SECRET,
                     instance="acme")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[accounts]]\nname = "advice"\nprovider = "24sessions"\nbase_url = "{s24.base_url}"\n'
        'secret_envs = { client_id = "AR_24_ID", client_secret = "AR_24" }\n'
        '[accounts.settings]\ninstance = "acme"\nuser = 12\nmeeting_type = 1\n',
        encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    monkeypatch.setenv("AR_24_ID", "ar-client")
    monkeypatch.setenv("AR_24", SECRET)
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_OK, err
    return next(m["id"] for m in json.loads(out)["meetings"] if m["status"] == "scheduled")


def _listed(capsys) -> set[str]:
    code, out, err = run_cli(capsys, "list", "--json")
    assert code == EXIT_OK, err
    return {m["id"] for m in json.loads(out)["meetings"]}


def test_a_removing_action_says_the_meeting_was_deleted_in_json(meeting, capsys):
    code, out, err = run_cli(capsys, "action", meeting, "delete", "--yes", "--json")
    assert code == EXIT_OK, err
    said = json.loads(out)
    assert said == {"schema_version": said["schema_version"], "id": meeting,
                    "account": "advice", "result": "delete"}
    Draft202012Validator(schemas(["action"])["action"]).validate(said)
    assert meeting not in _listed(capsys)


def test_a_removing_action_says_the_meeting_was_deleted_in_text(meeting, capsys):
    code, out, err = run_cli(capsys, "action", meeting, "delete", "--yes", "--text")
    assert code == EXIT_OK, err
    assert out == f"delete: {meeting}\n"  # as `delete --hard` says it
    assert meeting not in _listed(capsys)


def test_delete_hard_says_the_same(meeting, capsys):
    code, out, err = run_cli(capsys, "delete", meeting, "--hard", "--yes", "--text")
    assert code == EXIT_OK, err
    assert out == f"delete: {meeting}\n"
