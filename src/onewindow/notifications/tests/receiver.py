"""A department's receiving endpoint for tests: a real HTTP server on 127.0.0.1 (random
port) that verifies signatures and applies each event once, by its `webhook-id`."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from onewindow.notifications import signing


class Receiver:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.lock = threading.Lock()
        self.applied: dict[str, dict[str, Any]] = {}
        self.order: list[tuple[str, str]] = []  # (subject, event id) in the order applied
        self.requests = 0
        self.duplicates = 0
        self.bad_signatures = 0
        self.status_for: Callable[[int], int] = lambda n: 200  # request number -> status
        self.after_apply: Callable[[str], None] = lambda event_id: None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/onewindow"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _receive(self, headers: dict[str, str], body: bytes) -> int:
        try:
            event_id = signing.verify(self.secret, headers, body)
        except signing.SignatureInvalid:
            with self.lock:
                self.bad_signatures += 1
            return 401
        with self.lock:
            self.requests += 1
            status = self.status_for(self.requests)
            if status != 200:
                return status
            if event_id in self.applied:
                self.duplicates += 1  # already applied: acknowledge, do nothing
                return 200
            document = json.loads(body)
            self.applied[event_id] = document
            self.order.append((document["data"]["subject"], event_id))
        self.after_apply(event_id)
        return 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._receive(dict(self.headers), body)
                answer = json.dumps({"status": status}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
