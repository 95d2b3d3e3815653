"""A real HTTP server on 127.0.0.1 standing for a Slack or Teams incoming webhook (shared by the
webhook and changes tests)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Recorder:
    def __init__(self, answers: list[tuple[int, dict[str, str]]], delay: float = 0.0) -> None:
        self.answers = answers  # one per request; the last one repeats
        self.delay = delay
        self.requests: list[tuple[str, dict[str, str], bytes]] = []


@contextmanager
def chat(answers: list[tuple[int, dict[str, str]]], delay: float = 0.0) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(answers, delay)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            recorder.requests.append((self.path, dict(self.headers), body))
            index = min(len(recorder.requests), len(recorder.answers)) - 1
            status, headers = recorder.answers[index]
            if recorder.delay:
                time.sleep(recorder.delay)
            text = b"ok" if status < 400 else b"invalid_payload"
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/B000/secret-token", recorder
    finally:
        server.shutdown()
        server.server_close()
