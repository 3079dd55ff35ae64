"""Copy toasts and questions name a link as a sentence would: "the guest link", "the host
link of Ines Shah"; a label that describes the link ("room link", "roomKey: host
powers") is never put where a name goes."""

from __future__ import annotations

import pyperclip
import pytest

from factories import make_meeting
from meettui.core.capabilities import Capabilities
from meettui.core.models import Link, Role
from meettui.core.registry import provider_class
from meettui.tui.screens.confirm import ConfirmScreen
from meettui.tui.screens.main_links import in_sentence, link_name

# Each provider's labels, as its mapping writes them (src/meettui/providers/*/).
LABELLED = [
    ("whereby", Role.GUEST, "room link", "the guest link"),
    ("whereby", Role.HOST, "roomKey: host powers", "the host link"),
    ("whereby", Role.VIEWER, "roomKey: watch only", "the viewer link"),
    ("vonage", Role.HOST, "host rights (participant token)", "the host link"),
    ("vonage", Role.GUEST, "meeting code 123456", "the guest link"),
    ("24sessions", Role.HOST, "Host (24sessions login)", "the host link"),
    ("24sessions", Role.GUEST, "Guest link", "the guest link"),
    ("accelevents", Role.GUEST, "Attendee portal page", "the guest link"),
    ("jitsi", Role.GUEST, "Room link", "the guest link"),
    ("imported", Role.GUEST, "Zoom meeting", "the guest link"),
    ("eyeson", Role.GUEST, "Guest link", "the guest link"),
    ("eyeson", Role.HOST, "Ines Shah", "the host link of Ines Shah"),
    ("eyeson", Role.HOST, "Ines Shah (in the running meeting)",
     "the host link of Ines Shah (in the running meeting)"),
]


@pytest.mark.parametrize(("kind", "role", "label", "name"), LABELLED)
def test_every_providers_link_is_named_naturally(kind, role, label, name):
    link = Link(role=role, url="https://example.com/r", label=label)
    meeting = make_meeting(0).model_copy(update={"links": [link]})
    assert link_name(link, meeting, provider_class(kind).capabilities) == name


def test_several_links_of_a_role_are_told_apart_by_their_labels():
    ann = Link(role=Role.HOST, url="https://example.com/a", label="Ann")
    bo = Link(role=Role.HOST, url="https://example.com/b", label="Bo Banker")
    meeting = make_meeting(0).model_copy(update={"links": [ann, bo]})
    assert link_name(bo, meeting, Capabilities()) == "the host link of Bo Banker"


def test_a_label_reads_as_a_noun_in_a_sentence():
    assert in_sentence("Join data (Chime)") == "the join data (Chime)"
    assert in_sentence("JSON join data") == "the JSON join data"


def _whereby_labelled(i: int = 0):
    meeting = make_meeting(i, account="team", title="Labelled")
    return meeting.model_copy(update={"links": [
        Link(role=Role.GUEST, url="https://x.whereby.com/r0", label="room link"),
        Link(role=Role.HOST, url="https://x.whereby.com/r0?roomKey=k0",
             label="roomKey: host powers", sensitive=True),
    ]})


@pytest.fixture
def no_system_clipboard(monkeypatch):
    """No system clipboard (no DISPLAY, no xclip) and no SSH session: pyperclip fails, so
    only the terminal (OSC 52) is asked."""

    def no_clipboard(_text):
        raise pyperclip.PyperclipException("no copy/paste mechanism")

    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.setattr(pyperclip, "copy", no_clipboard)


async def test_copy_toasts_and_questions_read_naturally(make_app, monkeypatch):
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")  # keep the real system clipboard out of tests
    app = make_app([_whereby_labelled()])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("g")
        # Was "Copied guest link of room link: …".
        assert app.messages[-1][1] == "Copied the guest link: https://x.whereby.com/r0"
        await pilot.press("h")
        assert isinstance(app.screen, ConfirmScreen)
        # Was "Copy the host link of roomKey: host powers?"; then it named no meeting.
        assert app.screen._title == "Copy the host link for 'Labelled'?"
        await pilot.press("y")
        assert app.messages[-1][1].startswith("Copied the host link: https://x.whereby.com/")
        await pilot.press("I")
        assert app.messages[-1][1].startswith("Copied the invitation: ")


async def test_a_copy_that_reached_no_system_clipboard_does_not_say_copied(
        make_app, monkeypatch, no_system_clipboard):
    """With no system clipboard (no DISPLAY, no xclip) in tmux, whose default drops OSC
    52, the toast said "Copied" and nothing was: the user pasted what was there before.
    Only the terminal was asked, so the toast says that it may not have taken it and
    shows the link to copy by hand."""
    app = make_app([_whereby_labelled()])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("g")
        severity, text = app.messages[-1]
        assert severity == "warning"
        assert text == ("No system clipboard found (xclip, xsel or wl-clipboard); the guest "
                        "link went to the terminal (OSC 52), which may not take it (tmux: "
                        "set -g set-clipboard on). The guest link is: "
                        "https://x.whereby.com/r0")
        # Where the system clipboard took it, it was copied.
        monkeypatch.setattr(pyperclip, "copy", lambda _text: None)
        await pilot.press("g")
        assert app.messages[-1] == ("information",
                                    "Copied the guest link: https://x.whereby.com/r0")


async def test_an_invitation_to_copy_by_hand_keeps_its_lines(make_app,
                                                             no_system_clipboard):
    # With no clipboard, the invitation the toast gave to copy by hand was flattened
    # onto one line.
    from meettui.core.invitation import invitation_text

    app = make_app([_whereby_labelled()])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("I")
        severity, text = app.messages[-1]
        invitation = invitation_text(app.service.config.invitation, app.screen.selected)
        assert "\n" in invitation
        assert severity == "warning"
        assert text.endswith(f"The invitation is:\n{invitation}"), text


async def test_a_question_names_an_untitled_meeting_by_its_id(make_app, monkeypatch):
    # "Delete ''?" named nothing.
    monkeypatch.setenv("SSH_TTY", "/dev/pts/9")
    app = make_app([make_meeting(0, account="team", title="")])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("h")
        assert app.screen._title == "Copy the host link for the untitled meeting m000000?"
        await pilot.press("n")
        await pilot.press("d")
        await pilot.pause()
        assert app.screen._title == "Forget the untitled meeting m000000?"  # (jitsi: local)


def test_a_question_quotes_a_title_with_its_hidden_characters_shown():
    from meettui.core.display import named

    assert named("End \x1b[2J\u202eX", "m1") == "'End \\x1b[2J\\u202eX'"
    assert named("", "m\u202e1") == "the untitled meeting m\\u202e1"


async def test_discarding_an_edit_names_the_meeting(make_app):
    app = make_app([make_meeting(0, account="team", title="Call")])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e", "x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen._title == "Discard changes to 'Call'?"


async def test_a_host_link_maybe_not_copied_is_shown_whole_only_when_revealed(
        make_app, no_system_clipboard):
    # The toast gave `https://x.whereby.com/••••••••` to copy by hand, even with the
    # link revealed in the pane: useless either way.
    app = make_app([_whereby_labelled()])
    host = "https://x.whereby.com/r0?roomKey=k0"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("h", "y")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "warning" and "roomKey=k0" not in text
        assert text.endswith("The host link is masked here: press r to reveal it, then "
                             "copy it by hand.")
        await pilot.press("r", "h", "y")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "warning"
        assert text.endswith(f"The host link is: {host}")
        assert app.clipboard == host
        await pilot.press("r", "h", "y")  # masked again: not shown again
        await pilot.pause()
        assert "roomKey=k0" not in app.messages[-1][1]


async def test_the_reveal_hint_names_the_keys_that_work_where_the_user_is(
        make_app, no_system_clipboard):
    # At 80 columns the pane is hidden and the list's `r` only says "press i to see
    # them": the toast's "press r to reveal it" needed a step it did not name.
    app = make_app([_whereby_labelled()])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "y")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert severity == "warning"
        assert text.endswith("The host link is masked here: press i, then r to reveal it, "
                             "then copy it by hand."), text
        # On the full-screen detail `r` reveals them.
        await pilot.press("i", "h", "y")
        await pilot.pause()
        severity, text = app.messages[-1]
        assert text.endswith("The host link is masked here: press r to reveal it, then "
                             "copy it by hand."), text


async def test_a_copy_s_toast_takes_the_place_of_the_one_before(make_app, monkeypatch,
                                                                no_system_clipboard):
    # Two copies in a row stacked two toasts; the first, a 15 s "Maybe not copied",
    # stayed over the next one's answer.
    app = make_app([_whereby_labelled()], show_toasts=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Maybe not copied"]
        monkeypatch.setattr(pyperclip, "copy", lambda _text: None)
        await pilot.press("g")
        await pilot.pause()
        shown = list(app._notifications)
        assert [(n.title, n.message) for n in shown] == [
            ("Copied", "Copied the guest link: https://x.whereby.com/r0")]
        # Another kind of toast is not taken away by a copy.
        app.notify("Something else", title="Other")
        await pilot.press("g")
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Other", "Copied"]


async def test_two_copies_in_one_turn_of_the_loop_leave_one_toast(make_app, monkeypatch):
    # Keys that arrive together (`g` then `y`) copied twice before the first toast was
    # shown: it was not there to remove yet, and both stacked.
    monkeypatch.setattr(pyperclip, "copy", lambda _text: None)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    app = make_app([_whereby_labelled()], show_toasts=True)
    async with app.run_test(size=(120, 36)) as pilot:
        app.screen.action_copy("guest")
        app.screen.action_copy("guest")  # the first one's Notify not read yet
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Copied"]
        # The one replaced in passing does not come back later.
        await pilot.pause()
        assert len(app._notifications) == 1


async def test_a_revealed_host_link_copied_by_hand_is_not_logged(make_app,
                                                                 no_system_clipboard):
    # With no system clipboard, the toast gives a revealed host link to copy by hand, as
    # it should; every notification is also logged, and the link went to the log whole
    # (a host link that only needs a login, of no token shape `redact` knows).
    import logging

    host = "https://demo.example.com/room/meeting/1520871645"
    meeting = make_meeting(0, account="team", title="Advice").model_copy(update={"links": [
        Link(role=Role.GUEST, url="https://demo.example.com/room/guest-key"),
        Link(role=Role.HOST, url=host, label="Host (login)", sensitive=True)]})
    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    keep = Keep()
    tui_log = logging.getLogger("meettui.tui")
    level = tui_log.level
    tui_log.addHandler(keep)
    tui_log.setLevel(logging.INFO)  # (setLevel: it clears the logger's cache of levels)
    try:
        app = make_app([meeting])
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("r", "h")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            severity, text = app.messages[-1]
            assert severity == "warning" and text.endswith(f"The host link is: {host}")
    finally:
        tui_log.removeHandler(keep)
        tui_log.setLevel(level)
    said = [line for line in logged if line.startswith("notify[warning] No system clipboard")]
    assert said and said[-1].endswith("The host link is: https://demo.example.com/••••••••")
    assert not any("1520871645" in line for line in logged)
