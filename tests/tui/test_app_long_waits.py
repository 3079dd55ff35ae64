"""The app says a provider's long wait in words: `Retry-After: Wed, 21 Oct 2099
07:28:00 GMT` made its toast read "Try again in 2300183278 s."."""

from __future__ import annotations

import contextlib

from textual.worker import WorkerFailed

from throttling import throttling_server


async def test_a_wait_until_2099_is_said_as_its_date(make_app, monkeypatch):
    monkeypatch.setenv("WB_APP_WAIT", "app-wait-key-9d")
    with throttling_server("Wed, 21 Oct 2099 07:28:00 GMT") as url:
        config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
                  f'base_url = "{url}"\nsecret_env = "WB_APP_WAIT"\n')
        app = make_app([], config=config)
        async with app.run_test(size=(160, 40)) as pilot:
            with contextlib.suppress(WorkerFailed):  # the fetch fails, as it should
                await app.workers.wait_for_complete()
            await pilot.pause()
            said = [text for _, text in app.messages if "429" in text]
            assert said and all("The provider asks to wait until 2099-10-21 07:28 UTC. Try "
                                "again later; if it keeps refusing, ask the provider why."
                                in text for text in said)
            assert not any("2300" in text for _, text in app.messages)
