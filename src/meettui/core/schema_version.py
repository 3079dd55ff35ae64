"""The version of meettui's JSON contract (`core/contract.py`), apart from the models
so that the quick `list --offline` (`cli/quick_list.py`) writes it without pydantic."""

from __future__ import annotations

from typing import Final

SCHEMA_VERSION: Final = 2
"""The version of every document; `schema_version` in each output carries it. It
changes when a field is removed, renamed or changes meaning: 2 when a meeting's
`status` became the status meettui shows (and `status:` matches), the provider's own
moving to `reported_status`."""
