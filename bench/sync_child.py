"""One full sync from a running Whereby simulator, in a fresh process.

    python bench/sync_child.py meettui BASE_URL API_KEY MEETINGS WORKDIR
    python bench/sync_child.py floor BASE_URL API_KEY MEETINGS

`meettui`: `MeetingService.sync_all` of a Whereby account at BASE_URL into a new cache
in WORKDIR (what `meettui list` runs for every page). `floor`: a raw `httpx.AsyncClient`
loop, GET /meetings?limit=100&fields=hostRoomUrl,viewerRoomUrl following `cursor`, each
page's JSON parsed, nothing stored. Both import their modules before the clock starts,
and print `BENCH-JSON {"wall": s, "cpu": s, "meetings": n, "requests": r}`.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

KEY_ENV = "BENCH_WHEREBY_API_KEY"


async def floor(base: str, key: str) -> tuple[int, int]:
    import httpx

    seen = requests = 0
    cursor: str | None = None
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"},
                                 timeout=30) as client:
        while True:
            params = {"limit": "100", "fields": "hostRoomUrl,viewerRoomUrl"}
            if cursor:
                params["cursor"] = cursor
            response = await client.get("/meetings", params=params)
            requests += 1
            response.raise_for_status()
            body = response.json()
            seen += len(body["results"])
            cursor = body.get("cursor")
            if not cursor:
                return seen, requests


def meettui_service(base: str, key: str, workdir: Path) -> Any:
    from meettui.core.cache import Cache
    from meettui.core.config import parse_config
    from meettui.core.service import MeetingService

    os.environ[KEY_ENV] = key
    config = (
        "builtin_jitsi = false\n[[accounts]]\nname = \"w\"\nprovider = \"whereby\"\n"
        f"secret_env = \"{KEY_ENV}\"\nbase_url = \"{base}\"\n"
    )
    path = workdir / "config.toml"
    path.write_text(config)
    return MeetingService(parse_config(config, path), Cache(workdir / "cache.sqlite3"))


def main(argv: list[str]) -> int:
    kind, base, key, meetings = argv[0], argv[1], argv[2], int(argv[3])
    if kind == "floor":
        import httpx  # noqa: F401  (imported before the clock starts)

        def run() -> tuple[int, int | None]:
            return asyncio.run(floor(base, key))
    else:
        service = meettui_service(base, key, Path(argv[4]))
        # The provider's module, which the service imports on first use: before the clock.
        for module in ("meettui.providers.whereby", "httpx"):
            importlib.import_module(module)

        def run() -> tuple[int, int | None]:
            return asyncio.run(service.sync_all("w")), None
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    seen, requests = run()
    result = {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu,
              "meetings": seen, "requests": requests}
    if seen != meetings:
        result["note"] = f"saw {seen} meetings, expected {meetings}"
    print("BENCH-JSON " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
