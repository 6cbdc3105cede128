"""A loopback HTTP server that serves recordings as Twilio's API does, for fetch tests.

GET  /2010-04-01/Accounts/<account>/Recordings/<sid>  needs HTTP Basic auth (account sid
and auth token) and returns the audio, or 404 while "processing", or a redirect to a
media host (a second loopback address) that must NOT receive the credentials.
DELETE on the same path removes it (204), or fails with 503 while ``failing_deletes`` lasts.
Every request is recorded, so a test can show that a host received nothing.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class RecordingStore:
    account_sid: str
    auth_token: str
    audio: dict[str, bytes] = field(default_factory=dict)  # sid -> bytes
    not_ready: dict[str, int] = field(default_factory=dict)  # sid -> 404s still to give
    redirect_to: str | None = None  # base URL of a media host to redirect to
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, auth
    deleted: list[str] = field(default_factory=list)
    content_type: str = "audio/x-wav"  # what the server claims, whatever the bytes are
    failing_deletes: int = 0  # DELETEs still to answer 503

    def authorised(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}"


def _handler(store: RecordingStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _sid(self) -> str:
            return self.path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]

        def do_GET(self) -> None:
            auth = self.headers.get("Authorization")
            store.requests.append(("GET", self.path, auth))
            sid = self._sid()
            if self.path.startswith("/media/"):
                return self._audio(sid)
            if not store.authorised(auth):
                return self._status(401)
            if store.not_ready.get(sid, 0) > 0:
                store.not_ready[sid] -= 1
                return self._status(404)
            if store.redirect_to:
                self.send_response(302)
                self.send_header("Location", f"{store.redirect_to}/media/{sid}")
                self.end_headers()
                return None
            return self._audio(sid)

        def do_DELETE(self) -> None:
            auth = self.headers.get("Authorization")
            store.requests.append(("DELETE", self.path, auth))
            if not store.authorised(auth):
                return self._status(401)
            sid = self._sid()
            if store.failing_deletes > 0:
                store.failing_deletes -= 1
                return self._status(503)
            if store.audio.pop(sid, None) is None:
                return self._status(404)
            store.deleted.append(sid)
            return self._status(204)

        def _audio(self, sid: str) -> None:
            audio = store.audio.get(sid)
            if audio is None:
                return self._status(404)
            self.send_response(200)
            self.send_header("Content-Type", store.content_type)
            self.send_header("Content-Length", str(len(audio)))
            self.end_headers()
            self.wfile.write(audio)
            return None

        def _status(self, code: int) -> None:
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def serving(store: RecordingStore, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``store`` on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer((host, 0), _handler(store))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
