"""Running the command line in-process against temporary config, cache and log paths."""

from __future__ import annotations

from pathlib import Path

from meettui.cli import main


def isolate_paths(monkeypatch, tmp_path: Path, config: Path | None = None) -> Path:
    """Point config, cache and log at `tmp_path` (config: a file that may not exist)."""
    monkeypatch.setenv("MEETTUI_CONFIG", str(config or tmp_path / "config.toml"))
    monkeypatch.setenv("MEETTUI_CACHE", str(tmp_path / "cache.sqlite3"))
    monkeypatch.setenv("MEETTUI_LOG", str(tmp_path / "meettui.log"))
    return tmp_path


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`meettui ARGV...` in this process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
