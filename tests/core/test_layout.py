"""The provider kit's promise: a provider lives in its own folders. Outside them, the
registry line and the README, no source file names a provider that has an API, so adding
one touches no shared file but the registry."""

from pathlib import Path

from meettui.core.registry import provider_class, provider_kinds
from meettui.simulators.registry import package_name

SRC = Path(__file__).resolve().parents[2] / "src" / "meettui"


def test_no_shared_source_file_names_a_provider():
    kinds = [k for k in provider_kinds() if provider_class(k).capabilities.remote_list]
    allowed = [SRC / layer / package_name(kind) for layer in ("providers", "simulators")
               for kind in kinds]
    offenders = []
    for path in sorted(SRC.rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".tcss", ".toml"):
            continue
        if any(path.is_relative_to(folder) for folder in allowed):
            continue
        if path == SRC / "core" / "registry.py":
            continue
        text = path.read_text(encoding="utf-8").casefold()
        offenders += [f"{path.relative_to(SRC)} names {k}" for k in kinds if k in text]
    assert offenders == []
