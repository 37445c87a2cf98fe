"""OneDrive in Microsoft Graph (apis.md §3), in memory, served by tests/fakes/microsoft.py's
MicrosoftFake: `graph = ms.add(OneDriveGraph())`.

    GET    /v1.0/me                                       the signed-in person
    GET    /v1.0/me/drive/root | /items/{id}              an item
    GET    .../children?$top=N                            paged: an absolute @odata.nextLink ($skiptoken)
    GET    /v1.0/me/drive/items/{id}/content              302 to /download/{id} (no token needed there)
    POST   .../{parent}:/{name}:/createUploadSession      an upload URL (/upload/{session})
    PUT    /upload/{session}   Content-Range              202 + nextExpectedRanges; 201 with the item at
                                                          the end; 416 for a range sent twice; 409 when
                                                          the name is taken at commit
    GET    /upload/{session}                              nextExpectedRanges;  DELETE: cancel
    POST   .../{parent}/children                          a folder (409 when the name is taken)
    PATCH  /items/{id}; POST /items/{id}/copy (202 + monitor); DELETE /items/{id}

`violations` lists what a client must not do (a bearer token on an upload or download URL, a
chunk that is not a multiple of 320 KiB but the last). `interrupt_next_chunk()` takes the next
chunk and hangs up without answering; errors of Graph calls are MicrosoftFake.inject's.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import unquote

from tests.fakes.microsoft import Request, graph_error
from tests.fakes.serving import DROP

FRAGMENT = 320 * 1024


@dataclass
class Item:
    id: str
    name: str
    parent: str
    folder: bool = False
    data: bytes = b""
    version: int = 1

    def view(self) -> dict:
        out = {
            "id": self.id,
            "name": self.name,
            "size": len(self.data),
            "eTag": f'"{{{self.id}}},{self.version}"',
            "cTag": f'"c:{{{self.id}}},{self.version}"',
            "lastModifiedDateTime": "2026-12-01T10:00:00Z",
            "parentReference": {"id": self.parent, "driveId": "b!drive"},
        }
        out["folder" if self.folder else "file"] = (
            {"childCount": 0} if self.folder else {"mimeType": "application/octet-stream"}
        )
        return out


@dataclass
class OneDriveGraph:
    url: str = ""
    page_size: int = 2
    items: dict[str, Item] = field(default_factory=dict)
    sessions: dict[str, dict] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    chunks: list[tuple[int, int]] = field(default_factory=list)  # (start, length) of each PUT taken
    interrupt: int = 0

    def __post_init__(self) -> None:
        self.items["root"] = Item("root", "root", "", folder=True)
        self._n = 0

    # --- what it holds ------------------------------------------------------------------

    def add(self, name: str, data: bytes = b"", parent: str = "root", folder: bool = False) -> str:
        self._n += 1
        item_id = f"01ABC{self._n:04d}"
        self.items[item_id] = Item(item_id, name, parent, folder, data)
        return item_id

    def children(self, parent: str) -> list[Item]:
        return sorted(
            (i for i in self.items.values() if i.parent == parent and i.id != "root"),
            key=lambda i: (not i.folder, i.name.lower()),
        )

    def interrupt_next_chunk(self) -> None:
        self.interrupt += 1

    # --- the wire -------------------------------------------------------------------------

    def _item_at(self, ref: str) -> Item | None:
        return self.items.get("root" if ref == "root" else unquote(ref))

    def _download(self, request: Request):
        if "authorization" in {k.lower() for k in request.headers}:
            self.violations.append("a bearer token was sent to the download URL")
        item = self.items.get(request.path.rsplit("/", 1)[1])
        return (200, item.data, {"Content-Type": "application/octet-stream"}) if item else \
            graph_error(404, "itemNotFound")

    @staticmethod
    def _monitor(request: Request):
        return 200, {"status": "completed", "resourceId": request.path.rsplit("/", 1)[1]}, {}

    def _graph(self, request: Request):
        method, path = request.method, request.path
        if path == "/v1.0/me":
            return 200, {"userPrincipalName": "megler@kontor.example", "displayName": "Megler"}, {}
        session = re.fullmatch(r"/v1\.0/me/drive/(?:root|items/([^/:]+)):/([^/]+):/createUploadSession", path)
        if session and method == "POST":
            parent = session.group(1) or "root"
            sid = secrets.token_hex(8)
            self.sessions[sid] = {
                "parent": unquote(parent),
                "name": unquote(session.group(2)),
                "data": bytearray(),
                "conflict": request.json().get("item", {}).get("@microsoft.graph.conflictBehavior"),
            }
            return (
                200,
                {"uploadUrl": f"{self.url}/upload/{sid}", "expirationDateTime": "2030-01-01T00:00:00Z"},
                {},
            )
        match = re.fullmatch(r"/v1\.0/me/drive/(root|items/([^/]+))(/children|/content|/copy)?", path)
        if match is None:
            return graph_error(400, "invalidRequest", path)
        item = self._item_at(match.group(2) or "root")
        if item is None:
            return graph_error(404, "itemNotFound", "The resource could not be found.")
        tail = match.group(3)
        if tail == "/children" and method == "GET":
            return 200, self._page(item, request), {}
        if tail == "/children" and method == "POST":
            body = request.json()
            if any(c.name.lower() == body["name"].lower() for c in self.children(item.id)):
                return graph_error(409, "nameAlreadyExists", "An item with the same name already exists.")
            return 201, self.items[self.add(body["name"], parent=item.id, folder=True)].view(), {}
        if tail == "/content":
            return 302, b"", {"Location": f"{self.url}/download/{item.id}"}
        if tail == "/copy":
            body = request.json()
            new = self.add(body.get("name", item.name), item.data, body["parentReference"]["id"])
            return 202, b"", {"Location": f"{self.url}/monitor/{new}"}
        if method == "PATCH":
            body = request.json()
            item.name = body.get("name", item.name)
            item.parent = body.get("parentReference", {}).get("id", item.parent)
            return 200, item.view(), {}
        if method == "DELETE":
            del self.items[item.id]
            return 204, b"", {}
        return 200, item.view(), {}

    def _page(self, folder: Item, request: Request) -> dict:
        rows = self.children(folder.id)
        start = int((request.query.get("$skiptoken") or ["0"])[0])
        size = min(int((request.query.get("$top") or ["100"])[0]), self.page_size)
        body: dict = {"value": [i.view() for i in rows[start : start + size]]}
        if start + size < len(rows):
            body["@odata.nextLink"] = f"{self.url}{request.path}?$top={size}&$skiptoken={start + size}"
        return body

    def _upload(self, request: Request):
        sid = request.path.rsplit("/", 1)[1]
        session = self.sessions.get(sid)
        if session is None:
            return graph_error(404, "itemNotFound", "Upload session not found.")
        if "authorization" in {k.lower() for k in request.headers}:
            self.violations.append("a bearer token was sent to the upload URL")
        received = len(session["data"])
        if request.method == "GET":
            return (
                200,
                {"expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": [f"{received}-"]},
                {},
            )
        if request.method == "DELETE":
            del self.sessions[sid]
            return 204, b"", {}
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", request.headers.get("Content-Range", ""))
        start, end, total = (int(g) for g in match.groups())
        if start != received:
            return graph_error(
                416,
                "invalidRange",
                "The uploaded fragment overlaps with data that has already been received.",
            )
        if end + 1 < total and len(request.body) % FRAGMENT:
            self.violations.append(f"a chunk of {len(request.body)} bytes is not a multiple of 320 KiB")
        session["data"] += request.body
        self.chunks.append((start, len(request.body)))
        if self.interrupt:
            self.interrupt -= 1
            return DROP
        if end + 1 < total:
            return (
                202,
                {"expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": [f"{end + 1}-"]},
                {},
            )
        del self.sessions[sid]
        if any(c.name.lower() == session["name"].lower() for c in self.children(session["parent"])):
            return graph_error(409, "nameAlreadyExists", "An item with the same name already exists.")
        return (
            201,
            self.items[self.add(session["name"], bytes(session["data"]), session["parent"])].view(),
            {},
        )

    def routes(self) -> list[tuple[str, str, object, bool]]:
        """For MicrosoftFake.add(): the drive's Graph paths (a token needed), and the upload,
        download and copy-monitor URLs it hands out (pre-authenticated: none)."""
        methods = ("GET", "POST", "PATCH", "DELETE")
        return [*((m, r"/v1\.0/me(/drive/.*)?", self._graph, True) for m in methods),
                *((m, r"/upload/[^/]+", self._upload, False) for m in ("GET", "PUT", "DELETE")),
                ("GET", r"/download/[^/]+", self._download, False),
                ("GET", r"/monitor/[^/]+", self._monitor, False)]
