"""What the list says of the pages still on the server: "so far" and `m` only while a
page is missing from the cache, and what `m` does when none is."""

from __future__ import annotations

from states import demo_app, settle

PROVIDERS = ("whereby", "eyeson", "24sessions")


def status(app) -> str:
    return str(app.screen.query_one("#status-line").render())


async def walk_every_account(app) -> None:
    """Every remote account of the demo read to its last page (as `meettui list` does)."""
    for info in app.service.accounts():
        if info.capabilities.remote_list:
            await app.service.sync_all(info.name)


async def test_the_merged_list_is_not_so_far_once_every_account_was_read_whole(tmp_path):
    # A refresh restarts each account's walk at page one: the merged view said "605
    # meetings so far (m loads more)" for ever, and `m` fetched pages already cached,
    # the count unchanged; a filter matching nothing said "More meetings on the server".
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert "so far (m loads more)" in status(app)  # whereby-demo: page one of three
        await walk_every_account(app)
        await pilot.press("ctrl+r")  # page one of each again: a new walk
        await settle(pilot)
        total = main.table.row_count
        assert status(app).startswith(f"{total:,} meetings"), status(app)
        assert "so far" not in status(app)
        assert main.table.footer_text == "— end of list: every page loaded —"
        await pilot.press("slash", *"zqzqzq", "enter")
        await settle(pilot)
        assert main.table.footer_text == "No meetings match the filter."
        # The new walks still go on where the list nears its end, or with `m`: their
        # pages are read again.
        await pilot.press("escape", "m")
        await settle(pilot)
        assert main.table.row_count == total and "so far" not in status(app)


async def test_m_with_nothing_to_load_says_so(tmp_path):
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await walk_every_account(app)
        await pilot.press("m")
        await settle(pilot)
        assert app.messages[-1] == (
            "information", "Every meeting is loaded: nothing more to fetch. ^r (Refresh) "
            "reads the first page again.")
        # A view of an account whose meetings live on this machine: nothing to fetch.
        app.set_scope("jitsi")
        await settle(pilot)
        app.messages.clear()
        await pilot.press("m")
        await settle(pilot)
        assert app.messages[-1][1].startswith("Every meeting is loaded")


async def test_a_filter_naming_another_account_says_the_view_shows_one(make_app):
    # In one account's view, `account:desk x` said only "No meetings match the filter".
    from test_keys_and_links import TWO_ACCOUNTS

    from factories import make_meeting

    app = make_app([make_meeting(i, account=name) for i, name in
                    enumerate(["team", "desk", "team"])], config=TWO_ACCOUNTS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.set_scope("team")
        await pilot.pause()
        main = app.screen
        await pilot.press("slash", *"account:desk x", "enter")
        await settle(pilot)
        assert main.table.row_count == 0
        assert main.table.footer_text == (
            "No meetings match the filter: account:desk names another account, and this "
            "view shows team only. To filter every account, press a and choose All "
            "accounts.")
        # Its own account named, or in the merged view: nothing of the kind to say.
        main.query_one("#filter").value = "account:team zzz"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert main.table.footer_text == "No meetings match the filter."
        app.set_scope(None)
        main.query_one("#filter").value = "account:desk zzz"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert main.table.footer_text == "No meetings match the filter."


async def test_a_filter_on_an_account_read_whole_is_not_so_far(tmp_path):
    # "3,000 meetings matching 'account:von' so far (m loads more)": other accounts had
    # pages left, and `m` could not change that count.
    app = demo_app(tmp_path, providers=PROVIDERS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        await app.service.sync_all("eyeson-demo")
        assert not app.service.account_info("whereby-demo").sync.complete
        await pilot.press("slash", *"account:eyeson", "enter")
        await settle(pilot)
        total = main.table.row_count
        assert total and status(app).startswith(
            f"{total:,} meetings matching 'account:eyeson'"), status(app)
        assert "so far" not in status(app)
        await pilot.press("escape")
        await pilot.press("slash", *"account:whereby", "enter")
        await settle(pilot)
        assert "matching 'account:whereby' so far (m loads more)" in status(app)
