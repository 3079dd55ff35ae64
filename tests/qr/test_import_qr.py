"""An imported link's QR code, read back with the real decoder: the guest link of any
service scans to exactly the link that was pasted."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import zxingcpp
from _pytest.capture import CaptureIO
from PIL import Image
from test_cli_qr import decode_terminal

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_OK

TEAMS = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ5YjM2ZTgtMDk1Ni00%40thread"
         ".v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af%22%7d")
WEBEX = "https://acme.webex.com/acme/j.php?MTID=m6f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def env(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text('[[accounts]]\nname = "desk"\nprovider = "jitsi"\n')
    size = os.terminal_size((120, 60))
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: size)
    # stdout a terminal that takes colours: the code is drawn in black and white.
    monkeypatch.setattr(CaptureIO, "isatty", lambda self: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return isolate_paths(monkeypatch, tmp_path)


def imported(capsys, url: str) -> str:
    code, out, err = run_cli(capsys, "import", url, "--json")
    assert code == EXIT_OK, err
    return json.loads(out)["id"]


def test_the_png_of_an_imported_link_decodes_to_the_link(env, capsys):
    meeting_id = imported(capsys, TEAMS)
    png = env / "teams.png"
    code, out, err = run_cli(capsys, "qr", meeting_id, "--png", str(png))
    assert code == EXIT_OK, err
    results = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in results] == [TEAMS]


def test_the_terminal_code_of_an_imported_link_decodes_to_the_link(env, capsys, proof):
    meeting_id = imported(capsys, f"  {WEBEX}  ")  # pasted with spaces around it
    code, out, err = run_cli(capsys, "qr", meeting_id)
    assert code == EXIT_OK, err
    assert decode_terminal(proof, out) == WEBEX


def test_a_host_link_is_no_guest_qr(env, capsys):
    meeting_id = imported(capsys, "https://zoom.us/s/96385274100?zak=eyJzdGFydCI6dHJ1ZX0.abc")
    code, out, err = run_cli(capsys, "qr", meeting_id)
    assert code != EXIT_OK and out == ""
    assert "no link that is safe to show a guest" in err
