"""Regenerate screenshots/*.svg from the app states the snapshot tests pin
(tests/tui/states.py). Run: `uv run python scripts/screenshots.py`."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "tui"))

from states import STATES, demo_app, deterministic_env  # noqa: E402


async def shoot(state, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(Path(tmp), theme=state.theme)
        async with app.run_test(size=state.size) as pilot:
            await state.run_before(pilot)
            svg = app.export_screenshot(title=f"meettui — {state.description}")
        app.service.cache.close()
    out.write_text(svg, encoding="utf-8")


def main() -> int:
    deterministic_env()
    target = ROOT / "screenshots"
    target.mkdir(exist_ok=True)
    for state in STATES:
        path = target / f"{state.name}.svg"
        asyncio.run(shoot(state, path))
        print(f"wrote {path.relative_to(ROOT)}  ({state.description})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
