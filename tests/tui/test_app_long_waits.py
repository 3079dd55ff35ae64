"""The app says a provider's long wait in words: `Retry-After: Wed, 21 Oct 2099
07:28:00 GMT` made its toast read "Try again in 2300183278 s."."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from textual.worker import WorkerFailed


def throttling_server(header: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            body = b'{"error": "Too Many Requests"}'
            self.send_response(429)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Retry-After", header)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                     daemon=True).start()
    return httpd


async def test_a_wait_until_2099_is_said_as_its_date(make_app, monkeypatch):
    httpd = throttling_server("Wed, 21 Oct 2099 07:28:00 GMT")
    monkeypatch.setenv("WB_APP_WAIT", "app-wait-key-9d")
    config = ('builtin_jitsi = false\n[[accounts]]\nname = "wb"\nprovider = "whereby"\n'
              f'base_url = "http://127.0.0.1:{httpd.server_address[1]}/v1"\n'
              'secret_env = "WB_APP_WAIT"\n')
    try:
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
    finally:
        httpd.shutdown()
        httpd.server_close()
