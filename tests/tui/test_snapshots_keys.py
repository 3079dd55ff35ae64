"""Snapshots of the screens this file's features change: the footer of a read-only
account, the host chooser, a form's own footer, help on the accounts screen."""

from test_keys_and_links import with_hosts

from factories import make_meeting


def rows():
    return [with_hosts(0)] + [make_meeting(i, account="team", title=f"Call {i}")
                              for i in range(1, 8)]


def test_read_only_footer(snap_compare, make_app):
    assert snap_compare(make_app(rows()), terminal_size=(120, 30), press=["L"])


def test_host_chooser(snap_compare, make_app):
    assert snap_compare(make_app(rows()), terminal_size=(100, 30), press=["h", "down"])


def test_edit_form_with_its_footer(snap_compare, make_app):
    assert snap_compare(make_app(rows()), terminal_size=(100, 32), press=["e", "x"])


def test_help_on_the_accounts_screen(snap_compare, make_app):
    assert snap_compare(make_app(rows()), terminal_size=(100, 40), press=["a", "question_mark"])
