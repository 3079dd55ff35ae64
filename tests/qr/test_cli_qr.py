"""`meettui qr`: what it prints or writes decodes to the exact link; host links need asking."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from PIL import Image

from cli_helpers import isolate_paths, run_cli
from meettui.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from meettui.core import qr
from meettui.core.cache import Cache
from meettui.core.models import Link, Meeting, Role

ROOM = "https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"
HOST_KEY = "eFhcG2bXk1lU0ZG9mNm0yZk1ZRk1i00ZG"
HOST = f"{ROOM}?roomKey={HOST_KEY}"


@pytest.fixture
def env(tmp_path, monkeypatch):
    # The accounts of the meetings the tests put straight into the cache: the rows of
    # an account not configured name no meeting. Never called (no secrets).
    (tmp_path / "config.toml").write_text(
        '[[accounts]]\nname = "acme"\nprovider = "whereby"\n'
        'base_url = "http://127.0.0.1:9/v1"\nsecret_env = "QR_UNUSED"\n'
        '[[accounts]]\nname = "vn"\nprovider = "vonage"\nbase_url = "http://127.0.0.1:9"\n'
        '[accounts.settings]\napplication_id = "qr-app"\nprivate_key_path = "unused.key"\n'
        '[[accounts]]\nname = "ae"\nprovider = "accelevents"\n'
        'base_url = "http://127.0.0.1:9/rest"\nsecret_env = "QR_UNUSED"\n'
        '[accounts.settings]\neventurl = "qr"\nevent_id = 1\ntime_zone = "UTC"\n',
        encoding="utf-8")
    return isolate_paths(monkeypatch, tmp_path)


@pytest.fixture
def terminal(monkeypatch):
    """Pretend stdout is a terminal of this size (one that takes colours); returns a
    setter. (Every captured stream says it is a terminal: capsys's is made after the
    fixtures' setup.)"""
    from _pytest.capture import CaptureIO

    monkeypatch.setattr(CaptureIO, "isatty", lambda self: True)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def set_size(cols: int, rows: int) -> None:
        size = os.terminal_size((cols, rows))
        monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: size)

    set_size(80, 40)
    return set_size


def run(capsys, *argv):
    return run_cli(capsys, *argv)


@pytest.fixture
def jitsi(env, capsys):
    code, out, _ = run(capsys, "create", "-a", "jitsi", "-t", "Front desk", "--json")
    assert code == EXIT_OK
    created = json.loads(out)
    return created["id"], created["links"][0]["url"]


@pytest.fixture
def whereby(env):
    """A meeting with a sensitive host link, put straight into the cache."""
    meeting = Meeting(
        provider="whereby",
        account="acme",
        id="112233",
        title="Support",
        links=[
            Link(role=Role.HOST, url=HOST, sensitive=True),
            Link(role=Role.GUEST, url=ROOM),
            Link(role=Role.VIEWER, url=ROOM + "?viewer"),
        ],
    )
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(meeting)
    cache.close()
    return meeting


def code_lines(out: str) -> list[str]:
    lines = out.splitlines()
    assert lines, "nothing printed"
    return [line for line in lines if "\x1b[" in line]


def decode_terminal(proof, out: str, *, try_invert: bool = False) -> str:
    cells = proof.ansi_to_cells("\n".join(code_lines(out)))
    # A dark terminal background around the code, as a camera sees it.
    img = proof.cells_to_image(cells, margin="#1e1e1e")
    return proof.decode(img, try_invert=try_invert).text


def test_terminal_output_decodes_to_the_exact_link(env, capsys, terminal, jitsi, proof):
    room, url = jitsi
    code, out, err = run(capsys, "qr", room)
    assert code == EXIT_OK, err
    assert err == ""
    assert decode_terminal(proof, out) == url
    lines = out.splitlines()
    codes = code_lines(out)
    layout = qr.fit(qr.make_matrix(url), 80, 38, max_scale=1)
    assert len(codes) == layout.rows and layout.quiet == 4
    # Every code line resets its colours; the link follows as plain text, saying which
    # link it is as the host and viewer links' lines do (it was the bare URL).
    assert all(line.endswith("\x1b[0m") for line in codes)
    assert lines[len(codes) :] == [f"Guest link: {url}"]
    # Only explicit 24-bit black and white.
    colours = set(re.findall(r"\x1b\[([0-9;]*)m", "".join(codes)))
    assert colours <= {
        "38;2;0;0;0;48;2;0;0;0",
        "38;2;0;0;0;48;2;255;255;255",
        "38;2;255;255;255;48;2;0;0;0",
        "38;2;255;255;255;48;2;255;255;255",
        "0",
    }


def test_narrow_terminal_falls_back_to_quiet_two(env, capsys, terminal, jitsi, proof):
    room, url = jitsi
    cols, rows = qr.needed_cells(qr.make_matrix(url))
    terminal(cols, rows + 2)
    code, out, _ = run(capsys, "qr", room)
    assert code == EXIT_OK
    assert len(code_lines(out)) == rows
    assert all(len(line) == cols for line in proof.ansi_to_cells("\n".join(code_lines(out))))
    assert decode_terminal(proof, out) == url


def test_too_small_terminal_says_what_it_needs(env, capsys, terminal, jitsi):
    room, url = jitsi
    cols, rows = qr.needed_cells(qr.make_matrix(url))
    terminal(cols - 1, 60)
    code, out, err = run(capsys, "qr", room)
    assert code == EXIT_ERROR
    assert out == ""
    assert (
        f"needs a terminal of at least {cols} columns and {rows + 2} rows "
        f"(this one is {cols - 1}×60)" in err
    )
    assert "--png" in err

    terminal(100, rows + 1)
    code, _, err = run(capsys, "qr", room)
    assert code == EXIT_ERROR
    assert f"(this one is 100×{rows + 1})" in err


def test_explicit_quiet_zone(env, capsys, terminal, jitsi, proof):
    room, url = jitsi
    matrix = qr.make_matrix(url)
    code, out, _ = run(capsys, "qr", room, "--quiet", "2")
    assert code == EXIT_OK
    assert len(code_lines(out)) == qr.layout_for(matrix, quiet=2).rows
    assert decode_terminal(proof, out) == url

    full = qr.layout_for(matrix, quiet=4)
    terminal(full.cols - 1, 60)
    code, _, err = run(capsys, "qr", room, "--quiet", "4")
    assert code == EXIT_ERROR
    assert f"at least {full.cols} columns and {full.rows + 2} rows" in err


def test_invert_is_light_on_dark(env, capsys, terminal, jitsi, proof):
    room, url = jitsi
    code, out, _ = run(capsys, "qr", room, "--invert")
    assert code == EXIT_OK
    assert decode_terminal(proof, out, try_invert=True) == url
    with pytest.raises(AssertionError):
        decode_terminal(proof, out)


def test_png_decodes(env, capsys, terminal, jitsi, proof, tmp_path):
    room, url = jitsi
    terminal(10, 5)  # files do not care about the terminal
    path = tmp_path / "room.png"
    code, out, err = run(capsys, "qr", room, "--png", str(path))
    assert code == EXIT_OK, err
    assert str(path) in out and "\x1b" not in out
    img = Image.open(path)
    side = (qr.make_matrix(url).size + 8) * 10
    assert img.size == (side, side)
    assert proof.decode(img.convert("RGB")).text == url


def test_svg_modules_match_the_matrix(env, capsys, terminal, jitsi, tmp_path):
    room, url = jitsi
    png, svg = tmp_path / "a.png", tmp_path / "a.svg"
    code, _, _ = run(capsys, "qr", room, "--svg", str(svg), "--png", str(png), "--quiet", "2")
    assert code == EXIT_OK
    assert png.exists()
    matrix = qr.make_matrix(url)
    text = svg.read_text()
    side = matrix.size + 4
    assert f'viewBox="0 0 {side} {side}"' in text
    (path,) = re.findall(r'<path fill="#000000" d="([^"]*)"/>', text)
    dark = [[False] * side for _ in range(side)]
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        for dx in range(int(w)):
            dark[int(y)][int(x) + dx] = True
    assert sum(len(m.group()) for m in re.finditer(r"M\d+ \d+h\d+v1h-\d+z", path)) == len(path)
    expected = [[False] * side for _ in range(side)]
    for y, row in enumerate(matrix.modules):
        for x, module in enumerate(row):
            expected[y + 2][x + 2] = module
    assert dark == expected


def test_invert_with_files_is_a_usage_error(env, capsys, jitsi, tmp_path):
    room, _ = jitsi
    code, _, err = run(capsys, "qr", room, "--invert", "--png", str(tmp_path / "x.png"))
    assert code == EXIT_USAGE
    assert "--invert" in err
    assert not (tmp_path / "x.png").exists()


def test_default_is_the_guest_link_never_the_host(env, capsys, terminal, whereby, proof):
    code, out, err = run(capsys, "qr", "112233")
    assert code == EXIT_OK
    assert err == ""
    assert decode_terminal(proof, out) == ROOM
    assert HOST_KEY not in out

    code, out, err = run(capsys, "qr", "112233", "--role", "viewer")
    assert code == EXIT_OK and err == ""
    assert decode_terminal(proof, out) == ROOM + "?viewer"


def test_host_role_must_be_spelled_out_and_warns(env, capsys, terminal, whereby, proof):
    code, out, err = run(capsys, "qr", "112233", "--role", "host")
    assert code == EXIT_OK
    assert "this QR gives host rights; don't show it to guests" in err
    assert decode_terminal(proof, out) == HOST

    png = env / "host.png"
    code, _, err = run(capsys, "qr", "112233", "--role", "host", "--png", str(png))
    assert code == EXIT_OK
    assert "host rights" in err
    assert proof.decode(Image.open(png).convert("RGB")).text == HOST


def test_meeting_with_only_a_host_link_needs_the_role(env, capsys, terminal, proof):
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(
        Meeting(
            provider="vonage",
            account="vn",
            id="v1",
            title="Board",
            links=[Link(role=Role.HOST, url=HOST, sensitive=True)],
        )
    )
    cache.close()
    code, out, err = run(capsys, "qr", "v1")
    assert code == EXIT_USAGE  # refused: a usage error, as --role of no role is
    assert out == ""
    assert "no link that is safe to show a guest" in err and "--role host" in err
    assert HOST_KEY not in err


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("boss", "unknown role 'boss': use one of host, guest, viewer, attendee"),
        ("host", "has no host link (it has: guest)"),
        ("viewer", "has no viewer link (it has: guest)"),
    ],
)
def test_unknown_or_absent_role_is_a_clear_error(env, capsys, terminal, jitsi, role, message):
    room, _ = jitsi
    code, out, err = run(capsys, "qr", room, "--role", role)
    # A usage error, as `ics --role boss`, and as a role the meeting has no link of.
    assert code == EXIT_USAGE
    assert out == ""
    assert message in err


def test_unknown_meeting(env, capsys, terminal):
    code, _, err = run(capsys, "qr", "nope")
    assert code == EXIT_ERROR
    assert "No cached meeting with id 'nope'" in err


def test_the_quiet_zone_choices_are_core_qrs():
    # The parser names them as literals (it is built for `meettui --help`, which must not
    # load core.qr): they must stay the sizes the drawing code knows.
    from meettui.cli import build_parser
    from meettui.core import qr

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command" or a.choices)
    quiet = next(a for a in sub.choices["qr"]._actions if a.dest == "quiet")
    assert set(quiet.choices) == {qr.QUIET, qr.QUIET_MIN}


# -- what is printed beside the code: a host link is masked, named, and revealed on demand --

VONAGE_HOST = ("https://meetings.vonage.com/?room_token=112233445&participant_token="
               "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiaG9zdCJ9.c2lnbmF0dXJl")


@pytest.fixture
def vonage(env):
    """A room whose host link carries a participant token, as Vonage's do."""
    meeting = Meeting(provider="vonage", account="vn", id="v-room-1", title="Board",
                      links=[Link(role=Role.HOST, url=VONAGE_HOST, sensitive=True,
                                  label="host rights (participant token)"),
                             Link(role=Role.GUEST, url="https://meetings.vonage.com/112233445")])
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(meeting)
    cache.close()
    return meeting


@pytest.mark.parametrize(("meeting_id", "url", "secret"), [
    ("112233", HOST, HOST_KEY),
    ("v-room-1", VONAGE_HOST, "participant_token"),
])
def test_the_host_link_under_the_code_is_masked_and_named(env, capsys, terminal, whereby,
                                                          vonage, proof, meeting_id, url,
                                                          secret):
    code, out, err = run(capsys, "qr", meeting_id, "--role", "host")
    assert code == EXIT_OK, err
    assert decode_terminal(proof, out) == url  # the code carries what was asked for
    text = out.splitlines()[len(code_lines(out)):]
    host = url.split("/")[2]
    assert len(text) == 1 and len(text[0]) <= 80
    assert text[0].startswith("Host link: ")
    assert f"https://{host}/••••••••" in text[0] and "--reveal" in text[0]
    assert secret not in text[0]


def test_reveal_prints_the_host_link_whole(env, capsys, terminal, vonage, proof):
    code, out, _ = run(capsys, "qr", "v-room-1", "--role", "host", "--reveal")
    assert code == EXIT_OK
    assert decode_terminal(proof, out) == VONAGE_HOST
    assert out.splitlines()[-1] == "Host link: " + VONAGE_HOST


def test_a_token_bearing_link_of_another_role_is_masked_too(env, capsys, terminal, proof):
    tokened = "https://portal.example/join?attendee=7&token=s3cr3t-t0ken"
    cache = Cache(env / "cache.sqlite3")
    cache.upsert(Meeting(provider="accelevents", account="ae", id="s-1", title="Talk",
                         links=[Link(role=Role.ATTENDEE, url=tokened, sensitive=True)]))
    cache.close()
    code, out, err = run(capsys, "qr", "s-1", "--role", "attendee")
    assert code == EXIT_OK, err
    assert decode_terminal(proof, out) == tokened
    assert "s3cr3t" not in out
    assert out.splitlines()[-1] == ("Attendee link with a token: https://portal.example/"
                                    "•••••••• (masked; --reveal shows it)")


def test_host_json_masks_unless_revealed(env, capsys, whereby, tmp_path):
    png = tmp_path / "host.png"
    code, out, _ = run(capsys, "qr", "112233", "--role", "host", "--png", str(png), "--json")
    assert code == EXIT_OK
    assert HOST_KEY not in out and json.loads(out)["sensitive"] is True
    code, out, _ = run(capsys, "qr", "112233", "--role", "host", "--png", str(png), "--json",
                       "--reveal", "--force")
    assert code == EXIT_OK
    assert json.loads(out)["url"] == HOST


# -- files: readable by their owner only, from the start --


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("role", [None, "host"])
@pytest.mark.parametrize("flag", ["--png", "--svg"])
def test_image_files_are_created_owner_only(env, capsys, whereby, tmp_path, role, flag):
    # With no umask to narrow it, what the file is created with is what it keeps: a
    # file written world-readable and tightened afterwards would show 0644/0666 here.
    old = os.umask(0)
    try:
        path = tmp_path / f"code{flag.replace('--', '.')}"
        code, _, err = run(capsys, "qr", "112233", flag, str(path),
                           *(["--role", role] if role else []))
    finally:
        os.umask(old)
    assert code == EXIT_OK, err
    assert _mode(path) == 0o600


def test_an_existing_readable_file_is_narrowed_before_the_link_goes_in(env, capsys, whereby,
                                                                       tmp_path, proof):
    path = tmp_path / "host.png"
    path.write_bytes(b"old")
    os.chmod(path, 0o644)
    code, _, _ = run(capsys, "qr", "112233", "--role", "host", "--png", str(path), "--force")
    assert code == EXIT_OK
    assert _mode(path) == 0o600
    assert proof.decode(Image.open(path).convert("RGB")).text == HOST


@pytest.mark.parametrize("flag", ["--png", "--svg"])
def test_an_existing_file_is_replaced_only_with_force(env, capsys, jitsi, tmp_path, flag):
    path = tmp_path / "notes.txt"
    path.write_text("the user's notes")
    code, out, err = run(capsys, "qr", jitsi[0], flag, str(path))
    assert code == EXIT_ERROR and out == ""
    assert f"Cannot write {path}: the file exists." in err and "--force" in err
    assert path.read_text() == "the user's notes"
    code, out, err = run(capsys, "qr", jitsi[0], flag, str(path), "--force")
    assert code == EXIT_OK, err
    assert path.read_bytes() != b"the user's notes"


@pytest.mark.parametrize(("variable", "what"), [("MEETTUI_CONFIG", "config file"),
                                                ("MEETTUI_CACHE", "cache"),
                                                ("MEETTUI_LOG", "log")])
def test_meettuis_own_files_are_refused_even_with_force(env, capsys, jitsi, variable, what):
    # A PNG written over the cache lost every Jitsi room on the next start.
    own = Path(os.environ[variable])
    if not own.exists():
        own.write_text("# kept\n")
    before = own.read_bytes()
    code, _, err = run(capsys, "qr", jitsi[0], "--png", str(own), "--force")
    assert code == EXIT_ERROR
    assert f"Cannot write {own}: it is meettui's {what}." in err and "meettui locate" in err
    assert own.read_bytes() == before
    code, out, err = run(capsys, "show", jitsi[0], "--json")
    assert code == EXIT_OK and json.loads(out)["id"] == jitsi[0]


def test_png_and_svg_to_one_file_is_a_usage_error(env, capsys, jitsi, tmp_path):
    path = tmp_path / "code"
    code, _, err = run(capsys, "qr", jitsi[0], "--png", str(path), "--svg",
                       str(tmp_path / "." / "code"))
    assert code == EXIT_USAGE and "--png and --svg name the same file" in err
    assert not path.exists()


DARK_THEME = ("#d0d0d0", "#1e1e1e")
LIGHT_THEME = ("#202020", "#fafafa")


def decode_plain(proof, out: str, theme: tuple[str, str]) -> str:
    """The code printed without escapes, as a terminal of `theme` (its foreground and
    background) shows it, read by a QR reader that does not try inverted codes."""
    fg, bg = theme
    lines = out.splitlines()[:-1]  # (the link under it)
    cells = [[(char, fg, bg) for char in line] for line in lines]
    return proof.decode(proof.cells_to_image(cells, margin=bg)).text


def test_into_a_pipe_the_code_is_whole_and_plain(env, capsys, monkeypatch, whereby, proof):
    # `meettui qr ID --role viewer | cat` said "needs a terminal of at least 45 columns
    # and 25 rows (this one is 80×24)" with no terminal involved, and with NO_COLOR=1
    # the code carried 24-bit colour escapes into the pipe.
    size = os.terminal_size((30, 10))  # the terminal around the pipe: it does not apply
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: size)
    monkeypatch.setenv("NO_COLOR", "1")
    url = ROOM + "?viewer"
    code, out, err = run(capsys, "qr", "112233", "--role", "viewer")
    assert (code, err) == (EXIT_OK, "")
    assert "\x1b" not in out
    layout = qr.layout_for(qr.make_matrix(url), quiet=qr.QUIET)
    lines = out.splitlines()
    assert len(lines) == layout.rows + 1 and lines[-1] == f"Viewer link: {url}"
    assert {len(line) for line in lines[:-1]} == {layout.cols}
    assert decode_plain(proof, out, DARK_THEME) == url
    code, out, _ = run(capsys, "qr", "112233", "--role", "viewer", "--invert")
    assert code == EXIT_OK and "\x1b" not in out
    assert decode_plain(proof, out, LIGHT_THEME) == url


def test_no_color_on_a_terminal_draws_without_escapes(env, capsys, terminal, monkeypatch,
                                                      jitsi, proof):
    room, url = jitsi
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run(capsys, "qr", room)
    assert code == EXIT_OK and "\x1b" not in out
    assert decode_plain(proof, out, DARK_THEME) == url
    # Which background it scans on is said (the terminal's own colours draw it).
    assert err == ("meettui: drawn without colours (NO_COLOR, or not a terminal): it scans "
                   "on a dark background; on the other, add --invert\n")
    code, out, _ = run(capsys, "qr", room, "--invert")
    assert decode_plain(proof, out, LIGHT_THEME) == url
    # Still fitted to the terminal: one too small is told so.
    cols, rows = qr.needed_cells(qr.make_matrix(url))
    terminal(cols - 1, 60)
    code, out, err = run(capsys, "qr", room)
    assert (code, out) == (EXIT_ERROR, "") and "needs a terminal of at least" in err


@pytest.mark.parametrize(("flag", "name", "said"), [
    ("--png", "x.svg", "--png writes PNG, but"), ("--svg", "x.PNG", "--svg writes SVG, but"),
    ("--png", "x.jpg", "is named as a JPG file"),
    ("--png", "x.svg", "is named as an SVG file (--svg writes SVG)"),
])
def test_a_file_named_as_another_format_is_refused(env, capsys, jitsi, tmp_path, flag, name,
                                                   said):
    # `--png x.svg` wrote PNG data under an SVG's name (opened by its name, it fails).
    room, _ = jitsi
    code, out, err = run(capsys, "qr", room, flag, str(tmp_path / name))
    assert (code, out) == (EXIT_USAGE, "")
    assert said in err
    assert not (tmp_path / name).exists()
