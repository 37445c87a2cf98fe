"""A small HTTPS server for the fakes of services that only speak TLS to their clients (msal
refuses http; Google's OAuth libraries want https): a self-signed certificate for 127.0.0.1
and localhost (`cert`, to trust), JSON answers, and DROP to hang up without answering."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.servers import self_signed_cert

DROP = object()  # answer nothing: hang up
# (method, path with query, headers, body) -> (status, body, headers) or DROP; a body that is
# not bytes is sent as JSON.
Answer = Callable[[str, str, dict[str, str], bytes], object]


class TlsServer:
    def __init__(self, directory: Path, answer: Answer):
        self.directory, self.answer = directory, answer
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> TlsServer:
        answer = self.answer
        self.cert, key = self_signed_cert(self.directory, ("127.0.0.1", "localhost"))

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

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
