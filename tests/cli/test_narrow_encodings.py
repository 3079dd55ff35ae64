"""A stdout (or stderr) whose encoding is not UTF-8 (`PYTHONIOENCODING=ascii`, a
Latin-1 terminal) crashed every command after part of the answer: "unexpected error:
UnicodeEncodeError … This is a bug in meettui". Now JSON is written ASCII-safe (the
same data, escaped) and text degrades (`?` on stdout, a backslash escape on stderr);
a QR code, which cannot be drawn without its block characters, says so."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from cli_helpers import isolate_paths
from factories import make_meeting
from meettui.cli import EXIT_ERROR, EXIT_OK, main
from meettui.core.cache import Cache

TITLE = "Café — Ünïcode 🎉 review…"


@pytest.fixture
def env(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('builtin_jitsi = false\n[[accounts]]\nname = "equipe"\nprovider = "jitsi"\n',
                      encoding="utf-8")
    isolate_paths(monkeypatch, tmp_path, config)
    cache = Cache(tmp_path / "cache.sqlite3")
    for i in range(3):
        cache.upsert(make_meeting(i, account="equipe", title=f"{TITLE} {i}").model_copy(
            update={"id": f"café-{i}", "provider": "jitsi"}))
    cache.close()
    return tmp_path


def run_in(encoding: str, monkeypatch, *argv: str) -> tuple[int, bytes, bytes]:
    """`meettui ARGV` with stdout and stderr in `encoding` (strict, as Python sets a
    stdout up): (exit code, stdout bytes, stderr bytes)."""
    out, err = io.BytesIO(), io.BytesIO()
    streams = [io.TextIOWrapper(out, encoding=encoding, errors="strict", write_through=True),
               io.TextIOWrapper(err, encoding=encoding, errors="strict", write_through=True)]
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", streams[0])
        patch.setattr(sys, "stderr", streams[1])
        try:
            code = main(list(argv))
        except SystemExit as done:  # (--help, a usage error)
            code = int(done.code or 0)
    for stream in streams:
        stream.flush()
        stream.detach()
    return code, out.getvalue(), err.getvalue()


ENCODINGS = ["ascii", "latin-1"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("argv", [
    ("list", "--offline", "--json"),  # (the quick path)
    ("list", "--offline", "-q", "review", "--json"),
    ("show", "café-1", "--json"),
    ("accounts", "--json"),
    ("schema",),
    ("locate", "--json"),
    ("delete", "café-1", "--dry-run", "--json"),
])
def test_json_is_written_ascii_safe_and_reads_back_the_same(env, monkeypatch, capsys,
                                                             encoding, argv):
    code, out, err = run_in(encoding, monkeypatch, *argv)
    assert code == EXIT_OK, err
    out.decode("ascii")
    assert main(list(argv)) == EXIT_OK  # the same command to a UTF-8 stdout
    assert json.loads(out) == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("argv", [
    ("list", "--offline", "--text"), ("show", "café-1", "--text"),
    ("accounts", "--text"), ("locate", "--text"), ("--help",), ("list", "--help"),
])
def test_text_degrades_instead_of_failing(env, monkeypatch, encoding, argv):
    code, out, err = run_in(encoding, monkeypatch, *argv)
    assert code == EXIT_OK, err
    assert out and b"bug in meettui" not in err


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_error_naming_text_the_encoding_lacks_is_said(env, monkeypatch, encoding):
    typed = "nöpe-ünknown 🎉"
    code, out, err = run_in(encoding, monkeypatch, "show", typed, "--text")
    assert code == EXIT_ERROR
    said = err.decode(encoding)
    shown = typed.encode(encoding, "backslashreplace").decode(encoding)
    assert said.startswith(f"meettui: No cached meeting with id '{shown}'")
    assert "bug in meettui" not in said


@pytest.mark.parametrize("title", [TITLE, "会議の予定：東京オフィス",
                                   "Cafe\u0301 re\u0301sume\u0301", "Ｆｕｌｌｗｉｄｔｈ"])
def test_the_text_table_keeps_its_columns(env, monkeypatch, title):
    # Measured before its characters became `?`: a wide character (two cells) was
    # written as one `?`, a combining accent (none) as one, and the columns after it
    # went out of line. (It looked at a column no line had, and passed whatever.)
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(make_meeting(9, account="equipe", title=title).model_copy(
        update={"id": "wide-9", "provider": "jitsi"}))
    cache.close()
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run_in("ascii", monkeypatch, "list", "--offline", "--text")
    assert code == EXIT_OK, err
    header, *rows = out.decode("ascii").splitlines()
    column = header.index("STATUS")
    assert len(rows) == 4
    for row in rows:
        assert row[column - 2:column] == "  " and row[column] != " ", (header, row)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_qr_code_that_cannot_be_drawn_says_so(env, monkeypatch, encoding):
    code, out, err = run_in(encoding, monkeypatch, "qr", "café-1", "--text")
    assert code == EXIT_ERROR
    assert out == b""
    assert err.decode(encoding).startswith(
        f"meettui: The output's encoding ({encoding}) has no block characters to draw the "
        "QR code with.\n  Write a file with --png FILE or --svg FILE")


def test_an_ascii_stdout_as_the_shell_sets_it(env):
    # The real thing: PYTHONIOENCODING as the tester set it, in a process of its own.
    done = subprocess.run([sys.executable, "-m", "meettui", "list", "--offline"],
                          env={**__import__("os").environ, "PYTHONIOENCODING": "ascii"},
                          capture_output=True)
    assert done.returncode == EXIT_OK, done.stderr
    assert [m["title"] for m in json.loads(done.stdout)["meetings"]][0] == f"{TITLE} 0"
