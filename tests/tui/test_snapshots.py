"""Snapshots of the main app states at fixed sizes (fixed clock, theme, data; no toasts)."""

import pytest

from factories import make_meeting

SIZES = [(100, 32), (140, 40)]


def realistic():
    titles = [
        "Onboarding — ACME Corp", "Mortgage advice: J. Alvarez", "Support #48213 follow-up",
        "Quarterly review", "Booth 12 demo", "[bold red]Boss[/] \x1b[31mstyled\x1b[0m",
        "Claims intake", "Tenant viewing — Flat 4B", "Investor update", "Weekly standup",
    ]
    return [make_meeting(i * 37, account="team", title=t) for i, t in enumerate(titles)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_list_with_detail(snap_compare, make_app, size):
    assert snap_compare(make_app(realistic()), terminal_size=size,
                        run_before=lambda pilot: pilot.press("down"))


def test_host_link_revealed(snap_compare, make_app):
    assert snap_compare(make_app(realistic()), terminal_size=(140, 40), press=["r"])


def test_accounts_screen(snap_compare, make_app):
    config = (
        'builtin_jitsi = false\n'
        '[[accounts]]\nname = "team"\nprovider = "jitsi"\n'
        '[[accounts]]\nname = "front-desk"\nprovider = "jitsi"\nread_only = true\n'
    )
    assert snap_compare(make_app(realistic(), config=config), terminal_size=(100, 32),
                        press=["a"])


def test_create_form_with_validation_error(snap_compare, make_app):
    async def run_before(pilot):
        # The list's pane and its QR complete first (behind the form, its edge shows),
        # whatever else the app's threads are doing.
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")
        await pilot.press("ctrl+s")

    assert snap_compare(make_app(realistic()), terminal_size=(100, 32), run_before=run_before)


def test_delete_confirmation(snap_compare, make_app):
    assert snap_compare(make_app(realistic()), terminal_size=(100, 32), press=["d"])


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(realistic()), terminal_size=(100, 32), press=["question_mark"])


def test_light_theme(snap_compare, make_app):
    assert snap_compare(make_app(realistic(), theme="meettui-light"), terminal_size=(100, 32))
