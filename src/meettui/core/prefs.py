"""Small preferences the app remembers when the user asks (e.g. the theme)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs


def prefs_path() -> Path:
    override = os.environ.get("MEETTUI_STATE")
    return Path(override) if override else platformdirs.user_state_path("meettui") / "prefs.json"


def load_prefs(path: Path | None = None) -> dict[str, Any]:
    path = path or prefs_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_pref(key: str, value: Any, path: Path | None = None) -> Path:
    path = path or prefs_path()
    data = load_prefs(path)
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
