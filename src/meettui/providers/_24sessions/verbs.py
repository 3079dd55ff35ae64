"""The command-line verb of 24sessions' cancel action (`meettui cancel ID --reason R`), as
plain data the CLI's parser reads without loading the client (`core/verbs.py`)."""

from __future__ import annotations

from meettui.core.verbs import ActionAlias, AliasOption, Verbs

CANCEL = Verbs("cancel", (ActionAlias(
    words=("cancel",),
    help="cancel a meeting with a reason (it stays listed as cancelled)",
    options=(
        AliasOption(flags=("--reason", "-r"), field="reason", required=True,
                    help="why it is cancelled"),
        AliasOption(flags=("--by",), field="by",
                    help="who cancelled: advisor (default) or guest"),
    ),
),), dangerous=True)

VERBS = (CANCEL,)
