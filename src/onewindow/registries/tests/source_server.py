"""Another department's data service for the HTTP connector tests: a real HTTP server on
127.0.0.1 (random port) speaking the protocol of docs/reference/registries.md, with a bearer
token, and switches to answer slowly, fail, or send garbage."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

TOKEN = "s3cret-token"


class SourceServer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.mode = "normal"  # "slow", "error", "garbage"
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        d = self.data
        parts = [unquote(p) for p in path.removeprefix("/api/").split("/")]
        route = (method, parts[0])
        if route == ("GET", "market-entities"):
            if len(parts) == 2:
                found = d["entities"].get(parts[1])
                return (200, found) if found else (404, {})
            rid = query.get("legal_representative_id")
            items = [e for e in d["entities"].values() if e["legal_representative_id"] == rid]
            return 200, {"items": items}
        if route == ("POST", "names"):
            items = [n for n in d["names"] if n["region_key"] == body["region_key"]]
            return 200, {"items": items}
        if route == ("GET", "scope-entries"):
            wording = query.get("wording", "")
            if parts[1] == "lookup":
                found = d["scope"].get(wording)
                return (200, found) if found else (404, {})
            return 200, {"items": [v for k, v in d["scope"].items() if k[:2] == wording[:2]]}
        if route == ("GET", "hosted-addresses"):
            found = d["hosted"].get(query.get("address_key", ""))
            return (200, found) if found else (404, {})
        if route == ("GET", "property-records"):
            found = d["housing"].get(query.get("certificate_number", ""))
            return (200, found) if found else (404, {})
        if route == ("POST", "restrictions"):
            return 200, {"items": [e for e in d["lists"] if e["identifier"] in body["identifiers"]]}
        if route == ("GET", "credit-ratings"):
            found = d["credit"].get(parts[1])
            return (200, found) if found else (404, {})
        if route == ("POST", "identity"):
            person = d["identity"].get(body["resident_id"])
            if person is None:
                return 200, {"result": "not_found", "score": 0}
            if person["name"] != body["name"]:
                return 200, {"result": "name_mismatch", "score": 0}
            return 200, {"result": "match", "score": 0.97}
        return 404, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        source = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length)) if length else None
                source.requests.append((method, url.path, query))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status, answer = 401, {"error": "unauthorised"}
                elif source.mode == "error":
                    status, answer = 500, {"error": "database down"}
                else:
                    if source.mode == "slow":
                        time.sleep(1.5)
                    status, answer = source.answer(method, url.path, query, body)
                raw = b"<html>oops" if source.mode == "garbage" else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
