"""The demo states that scripts/screenshots.py turns into the README's pictures."""

import pytest
from states import STATES, demo_app


@pytest.mark.parametrize("state", STATES, ids=lambda s: s.name)
def test_demo_state(snap_compare, tmp_path, state):
    app = demo_app(tmp_path, theme=state.theme)
    assert snap_compare(app, terminal_size=state.size, run_before=state.run_before)
