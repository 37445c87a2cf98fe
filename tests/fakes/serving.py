"""Serving a fake: its request handler on a ThreadingHTTPServer in a thread of its own, taken
down on demand (`Served`); and the server most fakes are (`AnswerServer`): a function from
the request (method, path with query, headers, body) to (status, body, headers) - the body
sent as JSON unless it is bytes, DROP to hang up without answering - over plain http, or
over TLS with a self-signed certificate for 127.0.0.1 and localhost (`cert`, to trust) for
the services that speak only TLS to their clients (msal refuses http; Google's OAuth
libraries want https)."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.servers import self_signed_cert

DROP = object()  # answer nothing: hang up
Answer = Callable[[str, str, dict[str, str], bytes], object]


class Served:
    """`handler` at host:port (0: a free one, then `port` says which) until `stop()`.
    `poll`: how soon a stop is noticed (seconds)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1", port: int = 0, *,
                 name: str = "fake", context: ssl.SSLContext | None = None, poll: float = 0.5):
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, args=(poll,), name=name,
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


class AnswerServer:
    """`answer` served over http, or over TLS when a `directory` for the certificate is given."""

    def __init__(self, answer: Answer, directory: Path | None = None, *, name: str = "fake"):
        self.answer, self.directory, self.name = answer, directory, name
        self.cert: Path | None = None
        self._served: Served | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.directory else 'http'}://{self.host}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._served.port}"

    def start(self) -> AnswerServer:
        answer = self.answer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = answer(self.command, self.path, dict(self.headers.items()), body)
                if reply is DROP:
                    self.close_connection = True
                    return
                status, content, headers = reply
                data = content if isinstance(content, bytes) else json.dumps(content).encode()
                self.send_response(status)
                if not isinstance(content, bytes):
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815

        context = None
        if self.directory is not None:
            self.cert, key = self_signed_cert(self.directory, ("127.0.0.1", "localhost"))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert, key)
        self._served = Served(Handler, name=self.name, context=context)
        return self

    def stop(self) -> None:
        if self._served is not None:
            self._served.stop()
            self._served = None
