"""What the delete key does to one meeting, in the words every front end shows for it
(the footer, the help, the palette entry, the question it asks). The key's meaning
follows the meeting's provider and its state: a cancel where the provider cancels, a
forget for a meeting kept only here or gone upstream already, and on a meeting cancelled
already the provider's removal ("Delete for good"), never the cancel it can no longer
do. No I/O; names no provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from meettui.core.capabilities import DeleteMode, describe_delete
from meettui.core.service_checks import already_done

if TYPE_CHECKING:
    from meettui.core.capabilities import ActionSpec, Capabilities
    from meettui.core.models import Meeting


class DeleteKey(NamedTuple):
    """What pressing the delete key on one meeting does, as shown."""

    label: str
    """The key's name in the footer and the help: "Delete", "Cancel", "Forget",
    or the removal's own label ("Delete for good")."""
    entry: str
    """The palette entry that does the same: "Cancel meeting", or the removal's
    label."""
    removal: ActionSpec | None
    """The provider action the key runs instead of a delete (the meeting is
    cancelled already and its provider can still remove it), else None."""
    works: bool
    """False when the key can do nothing to this meeting (its provider cannot
    delete, or it is cancelled already with nothing left to do)."""


def delete_key(caps: Capabilities | None, meeting: Meeting | None) -> DeleteKey:
    """What the delete key does to `meeting`, which its provider can do `caps` to (None
    for either: no meeting highlighted, named as a plain delete). The same rules as the
    key's own action (`MainScreenWrites.action_delete`): a meeting gone upstream is
    only forgotten (`describe_delete(gone=True)`), one cancelled already is removed
    for good where its provider can (`already_done`, `Capabilities.removal`)."""
    if caps is None or meeting is None:
        return DeleteKey("Delete", "Delete meeting", None, works=meeting is not None)
    if caps.delete == DeleteMode.NONE:
        return DeleteKey("Delete", "Delete meeting", None, works=False)
    if meeting.missing:
        verb = describe_delete(caps.delete, gone=True).verb
        return DeleteKey(verb, f"{verb} meeting", None, works=True)
    verb = describe_delete(caps.delete).verb
    if already_done(caps, meeting) is not None:
        hard = caps.removal()
        if hard is None:
            return DeleteKey(verb, f"{verb} meeting", None, works=False)
        return DeleteKey(hard.label, hard.label, hard, works=True)
    return DeleteKey(verb, f"{verb} meeting", None, works=True)
