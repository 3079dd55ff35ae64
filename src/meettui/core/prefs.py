"""What the app remembers when the user asks (the theme), kept in config.toml.

config.toml is the one file the user already edits, so a remembered choice is in plain
sight there, follows MEETTUI_CONFIG, is listed by `meettui locate`, and can never
quietly override what the file says: it is what the file says. Remembering rewrites
one top-level line (or adds it at the top), atomically, leaving every other byte and
the file's mode as they were; a file that does not exist yet is created 0600.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from meettui.core.config import config_path
from meettui.core.config_errors import toml_problem
from meettui.core.errors import ConfigError
from meettui.core.paths import make_private_dirs

# The top-level config settings the app may write; everything else is the user's.
REMEMBERED = ("theme",)


def load_prefs(path: Path | None = None) -> dict[str, Any]:
    """The remembered settings as config.toml has them now ({} when it has none or
    cannot be read: loading the config reports that)."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return {key: data[key] for key in REMEMBERED if key in data}


def save_pref(key: str, value: str, path: Path | None = None) -> Path:
    """Set `key = "value"` at the top level of config.toml (`path`, default
    `config_path()`); returns the file changed. ConfigError, with the file and what to
    do, when it cannot be done safely: the file is then left as it was."""
    if key not in REMEMBERED:
        raise ValueError(f"{key!r} is not a setting meettui remembers")
    path = path or config_path()
    target = path.resolve() if path.is_symlink() else path  # a dotfiles link stays a link
    try:
        data = target.read_bytes()
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        data, mode = b"", None
    except OSError as exc:
        raise _not_saved(key, value, path, f"cannot read it: {_reason(exc)}") from None
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = data[len(bom):].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[len(bom):len(bom) + exc.start].count(b"\n") + 1
        raise _not_saved(key, value, path, f"line {line} is not UTF-8 text") from None
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _line, where, what = toml_problem(exc, text)
        raise _not_saved(key, value, path,
                         f"it is not valid TOML now: {where}: {what}") from None
    # Not set yet: added first, without looking for its line (a `theme = …` line inside
    # a multi-line string, an invitation's, was taken for it and the save refused).
    changed = (_set_top_level(text, key, value) if key in before
               else _first_line(text, key, value))
    try:
        after = tomllib.loads(changed)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, key: value}:
        raise _not_saved(key, value, path, f"its `{key}` line is not one meettui can rewrite")
    try:
        _write_atomic(target, bom + changed.encode("utf-8"), mode)
    except OSError as exc:
        raise _not_saved(key, value, path, f"cannot write it: {_reason(exc)}") from None
    return path


def _first_line(text: str, key: str, value: str) -> str:
    """`text` with the line `key = value` added first."""
    newline = "\r\n" if "\r\n" in text else "\n"
    return f"{key} = {_toml_string(value)}{newline}{text}"


def _set_top_level(text: str, key: str, value: str) -> str:
    """`text` with the top-level `key` line set to `value`, or the line added first."""
    lines = text.splitlines(keepends=True)
    assignment = re.compile(rf"""^(\s*(?:{key}|"{key}"|'{key}')\s*=\s*)(.*?)(\r?\n)?$""")
    kept_comment = re.compile(r"""^(?:"(?:[^"\\]|\\.)*"|'[^']*')(\s*(?:#.*)?)$""")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            break  # the first table: the top level ends here
        found = assignment.match(line)
        if found:
            head, rest, end = found.group(1), found.group(2), found.group(3) or ""
            comment = kept_comment.match(rest)
            lines[index] = head + _toml_string(value) + (comment.group(1) if comment else "") + end
            return "".join(lines)
    return _first_line(text, key, value)


def _toml_string(value: str) -> str:
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _write_atomic(target: Path, data: bytes, mode: int | None) -> None:
    """Write beside the file and rename over it: a reader sees the old file or the new
    one, never half of it. The new file gets the old one's mode, or 0600."""
    make_private_dirs(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600 if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _not_saved(key: str, value: str, path: Path, why: str) -> ConfigError:
    return ConfigError(
        f"The {key} was not remembered: {path} was left unchanged ({why}).",
        hint=f"Add `{key} = {_toml_string(value)}` at the top of {path} yourself.",
    )


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
