"""The keys that act on one meeting's links, shared by the list (`MainScreen`) and the
full-screen detail (`DetailScreen`), so both name and bind them the same way (and a
keymap entry, by id, changes both)."""

from __future__ import annotations

from textual.binding import Binding

LINK_KEYS = [
    Binding("y", "copy('share')", "Copy link", id="copy.shareable"),
    Binding("g", "copy('guest')", "Copy guest", show=False, id="copy.guest"),
    Binding("h", "copy('host')", "Copy host", show=False, id="copy.host"),
    Binding("v", "copy('viewer')", "Copy viewer", show=False, id="copy.viewer"),
    Binding("t", "copy('attendee')", "Copy attendee", show=False, id="copy.attendee"),
    Binding("r", "reveal", "Reveal host", show=False, id="detail.reveal"),
    Binding("Q,enter", "show_qr", "QR", id="qr.open"),
]
"""Copy a link by role, reveal host links, the full-screen QR."""

LINK_MORE_KEYS = [
    Binding("o", "open_link", "Open link in browser", show=False, id="link.open"),
    Binding("I", "copy_invitation", "Copy as invitation", show=False, id="copy.invitation"),
]
"""Open the guest link in the browser, copy the meeting as an invitation."""

SHARE_ACTIONS = frozenset({"copy", "show_qr", "open_link"})
"""The list's and the detail's actions on the link a guest is given (`copy` with
`share`): greyed on a meeting that has none (`check_action`), said why when pressed."""
SHARE_BINDINGS = frozenset({"copy('share')", "show_qr", "open_link"})
"""The bindings' actions of SHARE_ACTIONS, as `on_key` meets them."""
