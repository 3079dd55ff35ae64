"""Issue 12, as a newcomer meets the app: the first screen, what it says, every size."""

from __future__ import annotations

import pytest
from states import DEMO_PROVIDERS, deterministic_env, first_start_app, settle
from textual.widgets import Static

from meettui.tui.widgets.detail import DetailPane


@pytest.fixture(autouse=True)
def _env() -> None:
    deterministic_env()


def _unfitted_blocks(app) -> list[str]:
    """Detail blocks whose height is not the height of what they show."""
    pane = app.screen.query_one(DetailPane)
    wrong = []
    for block in pane.query(Static):
        width = block.content_region.width
        if not width:
            continue
        wanted = block.get_content_height(block.size, app.size, width)
        if block.content_region.height != wanted:
            wrong.append(f"{block.id}: {block.content_region.height} rows for {wanted}")
    return wrong


@pytest.mark.parametrize("providers", [DEMO_PROVIDERS, None], ids=["pinned", "all"])
async def test_first_start_detail_pane_is_complete(tmp_path, providers):
    # D7: pages land one after another while the pane goes from "No meeting selected"
    # to the first meeting; a stale height showed only the first line of each block.
    app = first_start_app(tmp_path, providers=providers)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DetailPane).meeting is not None
        assert _unfitted_blocks(app) == []
