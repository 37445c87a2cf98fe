"""A real WebDAV server for the tests: WsgiDAV on cheroot in a thread, over a folder.

Basic or Digest (`auth`), and optionally the mode of the Proaktiv server in apis.md §8
(`root_only`): PROPFIND answers only at the root, with the whole tree flat; below the root it
is refused. `go_down()` stops answering (the drive goes away); `come_back()` restarts it on the
same port. `requests` counts what was asked, by method."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from pathlib import Path

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

from tests.servers import free_port, wait_for_port

USER, PASSWORD = "megler", "app-passord-æøå"


class _RootOnly:
    """PROPFIND refused below the root; at the root, the whole tree (Depth: infinity)."""

    def __init__(self, app, server: DavServer):
        self.app, self.server = app, server

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        with self.server._lock:
            self.server.requests[method] += 1
        if self.server.root_only and method == "PROPFIND":
            if environ.get("PATH_INFO", "/") not in ("", "/"):
                start_response("403 Forbidden", [("Content-Type", "text/plain"), ("Content-Length", "9")])
                return [b"Forbidden"]
            environ["HTTP_DEPTH"] = "infinity"
        return self.app(environ, start_response)


class DavServer:
    def __init__(self, root: Path, *, auth: str = "basic", root_only: bool = False,
                 user: str = USER, password: str = PASSWORD):
        self.root, self.auth, self.root_only = root, auth, root_only
        self.user, self.password = user, password
        self.port = free_port()
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: wsgi.Server | None = None
        self._thread: threading.Thread | None = None
        root.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _app(self):
        config = {
            "host": "127.0.0.1", "port": self.port,
            "provider_mapping": {"/": str(self.root)},
            "simple_dc": {"user_mapping": {"*": {self.user: {"password": self.password}}}},
            "http_authenticator": {
                "accept_basic": self.auth == "basic",
                "accept_digest": self.auth == "digest",
                "default_to_digest": self.auth == "digest",
            },
            "verbose": 1,
            "logging": {"enable_loggers": []},
            "property_manager": True,
            "lock_storage": True,
            "dir_browser": {"enable": False},
        }
        logging.getLogger("wsgidav").setLevel(logging.WARNING)
        return _RootOnly(WsgiDAVApp(config), self)

    def start(self) -> DavServer:
        self._server = wsgi.Server(("127.0.0.1", self.port), self._app(), numthreads=8)
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve, daemon=True)
        self._thread.start()
        assert wait_for_port(self.port), "WsgiDAV did not start"
        return self

    def go_down(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._thread.join(10)
            self._server = None

    def come_back(self) -> None:
        self.start()

    def __enter__(self) -> DavServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.go_down()
