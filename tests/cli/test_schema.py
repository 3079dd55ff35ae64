"""`meettui schema`: the printed JSON Schemas describe every JSON output, checked by
validating real outputs (the demo's in-process simulators over their real contracts,
every command that prints JSON) with the `jsonschema` library."""

from __future__ import annotations

import json

import jsonschema
import pytest
from jsonschema.validators import Draft202012Validator

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK, EXIT_USAGE
from meettui.core.contract import SCHEMA_VERSION


@pytest.fixture
def env(tmp_path, monkeypatch):
    # No config: the demo, every provider's simulator in this process.
    return isolate_paths(monkeypatch, tmp_path, tmp_path / "none.toml")


def printed_schemas(capsys) -> dict:
    code, out, err = run_cli(capsys, "schema")
    assert code == EXIT_OK, err
    return json.loads(out)


class Checker:
    """Runs commands, validates each JSON output against its command's schema, and
    remembers which commands were covered."""

    def __init__(self, capsys, schemas: dict) -> None:
        self.capsys, self.schemas, self.seen = capsys, schemas, set()

    def __call__(self, command: str, *argv: str) -> dict:
        code, out, err = run_cli(self.capsys, *command.split(), *argv, "--json")
        assert code == EXIT_OK, err
        data = json.loads(out)
        Draft202012Validator(self.schemas[command]).validate(data)
        assert data["schema_version"] == SCHEMA_VERSION
        self.seen.add(command)
        return data


def first(meetings: list[dict], account: str, **facts) -> dict:
    return next(m for m in meetings if m["account"] == account
                and all(m.get(k) == v for k, v in facts.items()))


def test_every_json_output_validates_against_the_printed_schema(env, capsys, tmp_path):
    schemas = printed_schemas(capsys)
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    check = Checker(capsys, schemas)

    accounts = check("accounts")["accounts"]
    assert {"whereby-demo", "eyeson-demo", "24sessions-demo", "accelevents-demo"} <= {
        a["name"] for a in accounts}
    listed = check("list")
    assert listed["sync_errors"] == [] and len(listed["meetings"]) > 100
    meetings = listed["meetings"]
    whereby = first(meetings, "whereby-demo")
    check("show", whereby["id"], "--account", "whereby-demo")
    check("show", whereby["id"], "--account", "whereby-demo", "--reveal")

    # Each demo run starts its simulators afresh from the same seed: the changes below
    # work on seeded meetings, which every run has.
    made = check("create", "--account", "whereby-demo", "--title", "Schema check",
                 "--end", "+1h")
    assert made["title"] == "Schema check"
    rooms = [m for m in meetings if m["account"] == "whereby-demo" and m["status"] == "live"]
    edited = check("edit", rooms[1]["id"], "--account", "whereby-demo", "--title", "Renamed",
                   "--end", "+3h", "--yes")
    # Whereby recreates for a new end: the document says which id is gone.
    assert edited["replaced_id"] == rooms[1]["id"] and edited["id"] != rooms[1]["id"]
    assert "warning" not in edited and edited["title"] == "Renamed"
    deleted = check("delete", rooms[2]["id"], "--account", "whereby-demo", "--yes")
    assert deleted == {"schema_version": 2, "id": rooms[2]["id"], "account": "whereby-demo",
                       "result": "delete"}

    def hosts(meeting: dict) -> list[str]:
        return [lk["label"] for lk in meeting["links"] if lk["role"] == "host"]

    permalink = next(m for m in meetings if m["account"] == "eyeson-demo"
                     and m["status"] == "scheduled" and len(hosts(m)) >= 2)
    pid = permalink["id"]
    assert [a["name"] for a in check("action", pid)["actions"]] == [
        "start", "add_host", "remove_host", "stop"]
    assert "Bo Banker" in hosts(check("host add", pid, "--name", "Bo Banker"))
    assert check("start", pid, "--host", hosts(permalink)[0])["status"] == "live"
    kept = hosts(check("host remove", pid, "--name", hosts(permalink)[1], "--yes"))
    assert hosts(permalink)[1] not in kept
    running = first(meetings, "eyeson-demo", status="live")
    assert check("action", running["id"], "stop", "--yes")["status"] == "scheduled"

    booked = first(meetings, "24sessions-demo", status="scheduled")
    cancelled = check("cancel", booked["id"], "--reason", "Schema test", "--yes")
    assert cancelled["status"] == "cancelled"

    # Some seeded sessions refuse this ticket (full, hidden): join the first that takes it.
    sessions = [m["id"] for m in meetings if m["account"] == "accelevents-demo"
                and m["status"] in ("live", "scheduled")]
    joinable = next(sid for sid in sessions
                    if run_cli(capsys, "join", sid, "--json")[0] == EXIT_OK)
    joined = check("join", joinable)
    assert joined["session_data"]["data"]  # join data, its token masked
    assert "••••" in json.dumps(joined["session_data"], ensure_ascii=False)

    qr = check("qr", whereby["id"], "--png", str(tmp_path / "a.png"),
               "--svg", str(tmp_path / "a.svg"))
    assert [f["format"] for f in qr["files"]] == ["png", "svg"]
    assert (tmp_path / "a.png").stat().st_size > 0 and qr["role"] == "guest"
    code, _, err = run_cli(capsys, "qr", whereby["id"], "--json")  # JSON describes files
    assert code == EXIT_USAGE and "--png FILE" in err
    check("locate")
    written = check("ics", "--account", "24sessions-demo", "-o", str(tmp_path / "a.ics"))
    assert written["events"] > 0 and written["path"] == str(tmp_path / "a.ics")

    # Dry runs print the planned change under the command's own schema.
    planned = check("create", "--account", "whereby-demo", "--title", "Dry", "--end", "+1h",
                    "--dry-run")
    assert planned["dry_run"] is True and planned["requests"][0]["method"] == "POST"
    assert planned["requests"][0]["headers"]["Authorization"] == "Bearer ***"
    planned = check("delete", whereby["id"], "--account", "whereby-demo", "--dry-run")
    assert planned["requests"][0]["method"] == "DELETE"
    other = next(m["id"] for m in meetings if m["account"] == "24sessions-demo"
                 and m["status"] == "scheduled" and m["id"] != booked["id"])
    assert check("cancel", other, "--reason", "Dry", "--dry-run")["account"] == \
        "24sessions-demo"

    imported = check("import", "https://meet.google.com/abc-defg-hij")
    assert (imported["account"], imported["links"][0]["url"]) == (
        "imported", "https://meet.google.com/abc-defg-hij")

    assert check.seen == set(schemas)  # every command with JSON output was run


def test_a_document_that_breaks_the_contract_is_refused(capsys):
    """The schemas are strict enough to catch a wrong output, not just any object."""
    schemas = printed_schemas(capsys)
    good = {"schema_version": 2, "id": "x", "account": "a", "result": "cancel"}
    Draft202012Validator(schemas["delete"]).validate(good)
    for bad in ({**good, "schema_version": 1}, {**good, "result": "none"},
                {k: v for k, v in good.items() if k != "schema_version"}):
        with pytest.raises(jsonschema.ValidationError):
            Draft202012Validator(schemas["delete"]).validate(bad)
    with pytest.raises(jsonschema.ValidationError):  # a bare array, as before version 1
        Draft202012Validator(schemas["list"]).validate([])


def test_schema_of_one_command_and_its_versioned_id(capsys):
    every = printed_schemas(capsys)
    for name in ("list", "host add"):
        code, out, _ = run_cli(capsys, "schema", *name.split())
        assert code == EXIT_OK
        one = json.loads(out)
        assert one == every[name]
        assert one["$id"] == f"urn:meettui:schema:{SCHEMA_VERSION}:{name.replace(' ', '-')}"
        assert one["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        # A change command's schema is its result or a dry run's plan (anyOf).
        for variant in one.get("anyOf", [one]):
            props = variant.get("properties") or one["$defs"][variant["$ref"].split("/")[-1]][
                "properties"]
            assert props["schema_version"]["const"] == SCHEMA_VERSION
        assert "schema_version" in one.get("required", []) or "anyOf" in one


def test_an_unknown_command_is_a_usage_error_listing_the_known(capsys):
    code, out, err = run_cli(capsys, "schema", "simulate")
    assert code == EXIT_USAGE and out == ""
    assert "no JSON output for 'simulate'" in err
    assert "list, show, create, edit, delete" in err and "host add" in err


def test_text_wins_over_the_pipe_default(env, capsys):
    code, out, _ = run_cli(capsys, "locate", "--text")
    assert code == EXIT_OK and out.startswith("config ")
    code, out, _ = run_cli(capsys, "locate")  # not a terminal: JSON
    assert json.loads(out)["schema_version"] == SCHEMA_VERSION
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "locate", "--json", "--text")
    assert exited.value.code == EXIT_USAGE


# A meeting's own facts: always in its document, null when unknown.
MEETING_FACTS = {"starts_at", "ends_at", "expires_at", "capacity"}


def _nullable(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "null" for option in options)


def test_one_rule_for_which_keys_a_meeting_document_may_leave_out():
    # `create` left a null `warning`/`start_note` out while `edit` wrote
    # `warning`/`replaced_id`/`notice: null`. The rule, for every command's and tool's
    # meeting document: the meeting's facts are always there (null when unknown); a
    # note on what the command did is there only when it says something. The schema
    # (`required`) says the same.
    from meettui.core import contract as c

    for model in (c.MeetingDoc, c.ShownDoc, c.EditDoc, c.MeetingOut):
        schema = model.model_json_schema(mode="serialization")
        required = set(schema["required"])
        for name, field in schema["properties"].items():
            if _nullable(field):
                assert (name in required) is (name in MEETING_FACTS), (model.__name__, name)
        bare = model.model_validate({"provider": "p", "account": "a", "id": "i"})
        written = set(bare.model_dump(mode="json"))
        assert written == required, model.__name__
        assert written >= MEETING_FACTS


def test_create_and_edit_write_their_notes_alike(tmp_path, monkeypatch, capsys):
    # The built-in account edits in place: nothing replaced, nothing to note.
    from cli_helpers import isolate_paths, run_cli

    isolate_paths(monkeypatch, tmp_path)
    code, out, _ = run_cli(capsys, "create", "-a", "jitsi", "--title", "Keys", "--json")
    made = json.loads(out)
    code, out, _ = run_cli(capsys, "edit", made["id"], "--title", "Keys 2", "--json")
    edited = json.loads(out)
    assert code == 0 and edited["title"] == "Keys 2"
    assert set(edited) == set(made)
    for note in ("warning", "start_note", "replaced_id", "notice", "refresh_error"):
        assert note not in edited and note not in made
    assert {"starts_at", "ends_at", "expires_at", "capacity"} <= set(made)
