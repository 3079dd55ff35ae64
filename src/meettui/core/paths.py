"""Where meettui reads and writes, each with the environment variable that overrides
it (the variable wins; without it, the platform's directory). Apart from `config.py`
(which re-exports these) so that the quick `list --offline` (`core/quicklist.py`) finds
its files without loading pydantic; platformdirs is imported only when a variable is
unset, as it costs more than the rest of this module."""

from __future__ import annotations

import os
from pathlib import Path

APP = "meettui"

CONFIG_ENV = "MEETTUI_CONFIG"
CACHE_ENV = "MEETTUI_CACHE"
LOG_ENV = "MEETTUI_LOG"
THEMES_ENV = "MEETTUI_THEMES"


def _path(variable: str, directory: str, name: str) -> Path:
    """$`variable`, else `name` in platformdirs' `directory` (e.g. "user_config_path")."""
    override = os.environ.get(variable)
    if override:
        return Path(override)
    import platformdirs

    return Path(getattr(platformdirs, directory)(APP)) / name


def config_path() -> Path:
    """The config file: $MEETTUI_CONFIG, else `config.toml` in the user's config dir."""
    return _path(CONFIG_ENV, "user_config_path", "config.toml")


def cache_path() -> Path:
    """The cache file: $MEETTUI_CACHE, else `cache.sqlite3` in the user's cache dir."""
    return _path(CACHE_ENV, "user_cache_path", "cache.sqlite3")


def log_path() -> Path:
    """The log file: $MEETTUI_LOG, else `meettui.log` in the user's log dir."""
    return _path(LOG_ENV, "user_log_path", "meettui.log")


def user_themes_path() -> Path:
    """The user's themes folder: $MEETTUI_THEMES, else `themes` in the user's data dir."""
    return _path(THEMES_ENV, "user_data_path", "themes")


def overridden(variable: str) -> bool:
    """Whether the environment variable `variable` sets its path (error messages name it)."""
    return bool(os.environ.get(variable))


def one_file_for_two() -> tuple[tuple[str, Path], tuple[str, Path]] | None:
    """Two of meettui's files that are one file, as ((what, path), (what, path)), else
    None: a
    config, cache or log path set to another's (by variable, or through a link) has each
    write over the other (the cache would move the config aside as "not a database",
    the log would append to it). `meettui locate` shows them; everything else refuses
    to start (`cli._main`)."""
    files = [("config file", CONFIG_ENV, config_path()), ("cache", CACHE_ENV, cache_path()),
             ("log", LOG_ENV, log_path())]
    for i, (what, _, path) in enumerate(files):
        for other, _, other_path in files[i + 1:]:
            if same_file(path, other_path):
                return (what, path), (other, other_path)
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether paths `a` and `b` name one file: the same place once `~`, `..` and links
    are resolved (a file that does not exist yet included), or the same existing file
    under two names (a hard link). False when either cannot be resolved."""
    try:
        if a.expanduser().resolve() == b.expanduser().resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except (OSError, RuntimeError):
        return False


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and every missing folder above it readable by the user only
    (0700): `Path.mkdir(mode=…, parents=True)` gives that mode to the last one alone,
    and the umask's 0755 to the ones it makes above (a fresh XDG state dir's
    `meettui/` over the log's folder). Existing folders (say /tmp) are left as the user
    has them. Raises OSError as `mkdir` does."""
    missing = []
    for parent in (folder, *folder.parents):
        # Any existing path ends the climb: a file in the way then fails the mkdir below
        # it as "not a directory", which names the problem ("file exists" did not).
        if parent.exists():
            break
        missing.append(parent)
    for new in reversed(missing):
        new.mkdir(mode=0o700, exist_ok=True)
