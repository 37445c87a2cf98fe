"""A local Google Drive v3 and OAuth token endpoint over TLS, speaking the wire of apis.md §4
for google-api-python-client, google-auth and google-auth-oauthlib.

OAuth: `authorize(client_id, redirect_uri, state, code_challenge)` plays the consent screen and
returns the redirect a browser would follow (with `code` and `state`); `POST /token` takes the
code (PKCE S256 checked) or a refresh token; `POST /revoke` revokes. `expire_access_tokens()`
makes the next API call answer 401 (the client refreshes); `revoke_all()` makes refreshing
fail with `invalid_grant`.

Drive: files in memory (`add_file`, `add_folder`), `files.list` with `q` ("'X' in parents",
"name = 'Y'", "trashed = false") and page tokens, `alt=media` with Range, `export`, multipart
and resumable uploads (308 + Range until the last chunk), update (move/rename), copy, delete,
about. `rate_limit_next(n)` answers the next n API calls 403 userRateLimitExceeded.
"""

from __future__ import annotations

import base64
import email
import hashlib
import itertools
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.fakes.serving import AnswerServer

CLIENT_ID, CLIENT_SECRET = "dokvault-test.apps.googleusercontent.com", "google-secret"
FOLDER = "application/vnd.google-apps.folder"


@dataclass
class DriveFile:
    id: str
    name: str
    parents: list[str]
    mime: str = "text/plain"
    data: bytes = b""
    version: int = 1
    modified: str = "2026-12-01T10:00:00.000Z"

    def meta(self) -> dict:
        out = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime,
            "parents": self.parents,
            "version": str(self.version),
            "modifiedTime": self.modified,
        }
        if self.mime != FOLDER:
            out["size"] = str(len(self.data))
            out["md5Checksum"] = hashlib.md5(self.data).hexdigest()  # noqa: S324 (as Drive sends it)
        return out


@dataclass
class GoogleFake:
    directory: Path
    page_size_cap: int = 2  # small pages, so paging is exercised
    files: dict[str, DriveFile] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    rate_limited: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._codes: dict[str, dict] = {}
        self._access: dict[str, bool] = {}
        self._refresh: dict[str, bool] = {}
        self._uploads: dict[str, dict] = {}
        self._lock = threading.Lock()
        self.files["root"] = DriveFile("root", "My Drive", [], FOLDER)

    # --- what it holds --------------------------------------------------------------------

    def add_folder(self, name: str, parent: str = "root") -> str:
        return self._add(name, parent, FOLDER, b"")

    def add_file(self, name: str, data: bytes, parent: str = "root", mime: str = "text/plain") -> str:
        return self._add(name, parent, mime, data)

    def _add(self, name: str, parent: str, mime: str, data: bytes) -> str:
        file_id = f"f{next(self._ids):04d}"
        self.files[file_id] = DriveFile(file_id, name, [parent], mime, data)
        return file_id

    def change(self, file_id: str, data: bytes) -> None:
        f = self.files[file_id]
        f.data, f.version = data, f.version + 1

    def children(self, parent: str) -> list[DriveFile]:
        return [f for f in self.files.values() if parent in f.parents]

    def rate_limit_next(self, n: int) -> None:
        self.rate_limited = n

    def expire_access_tokens(self) -> None:
        self._access = {t: False for t in self._access}

    def revoke_all(self) -> None:
        self._refresh = {t: False for t in self._refresh}
        self.expire_access_tokens()

    # --- OAuth -------------------------------------------------------------------------------

    def authorize(self, url: str) -> str:
        """What a browser gets after consent at `url` (the app's authorization URL)."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert "drive.file" in query["scope"] and query.get("access_type") == "offline"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"challenge": query.get("code_challenge"), "redirect_uri": query["redirect_uri"]}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def _token(self, form: dict, authorization: str) -> tuple[int, dict]:
        if authorization.startswith("Basic "):  # client credentials in the header (RFC 6749 §2.3.1)
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
            form = {**form, "client_id": client_id, "client_secret": client_secret}
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            grant = self._codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if (
                grant is None
                or grant["challenge"] != challenge
                or grant["redirect_uri"] != form.get("redirect_uri")
            ):
                return 400, {"error": "invalid_grant", "error_description": "Bad code or verifier."}
            refresh = "1//" + secrets.token_urlsafe(16)
            self._refresh[refresh] = True
            return 200, {**self._new_access(), "refresh_token": refresh}
        if form.get("grant_type") == "refresh_token":
            if not self._refresh.get(form.get("refresh_token", "")):
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                }
            return 200, self._new_access()
        return 400, {"error": "unsupported_grant_type"}

    def _new_access(self) -> dict:
        token = "ya29." + secrets.token_urlsafe(16)
        self._access[token] = True
        return {
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/drive.file",
        }

    # --- Drive ---------------------------------------------------------------------------------

    def _list(self, query: dict) -> dict:
        q = query.get("q", "")
        parent = re.search(r"'([^']+)' in parents", q)
        named = re.search(r"name = '((?:[^'\\]|\\.)*)'", q)
        found = [
            f
            for f in self.files.values()
            if f.id != "root"
            and (parent is None or parent.group(1) in f.parents)
            and (named is None or f.name == named.group(1).replace("\\'", "'").replace("\\\\", "\\"))
        ]
        found.sort(key=lambda f: (f.mime != FOLDER, f.name.lower()))
        size = min(int(query.get("pageSize", 100)), self.page_size_cap)
        start = int(query.get("pageToken") or 0)
        reply = {
            "kind": "drive#fileList",
            "incompleteSearch": False,
            "files": [f.meta() for f in found[start : start + size]],
        }
        if start + size < len(found):
            reply["nextPageToken"] = str(start + size)
        return reply

    def _media(self, f: DriveFile, range_header: str | None) -> tuple[int, bytes, dict]:
        data = f.data
        if not data:
            return 416, b"", {}
        match = re.match(r"bytes=(\d+)-(\d+)", range_header or "")
        if match is None:
            return 200, data, {}
        start, end = int(match.group(1)), min(int(match.group(2)), len(data) - 1)
        return 206, data[start : end + 1], {"Content-Range": f"bytes {start}-{end}/{len(data)}"}

    def _create(self, meta: dict, data: bytes | None) -> dict:
        mime = meta.get("mimeType") or "application/octet-stream"
        file_id = self._add(meta["name"], (meta.get("parents") or ["root"])[0], mime, data or b"")
        return self.files[file_id].meta()

    @staticmethod
    def _error(status: int, reason: str, message: str) -> tuple[int, dict]:
        return status, {
            "error": {
                "code": status,
                "message": message,
                "errors": [
                    {
                        "message": message,
                        "domain": "usageLimits" if "Rate" in reason else "global",
                        "reason": reason,
                    }
                ],
            }
        }

    def handle(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, object, dict]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append((method, parts.path))
            if parts.path == "/token":
                status, reply = self._token(
                    {k: v[0] for k, v in parse_qs(body.decode()).items()}, headers.get("authorization", "")
                )
                return status, reply, {}
            if parts.path == "/revoke":
                self._refresh.pop(query.get("token", ""), None)
                return 200, {}, {}
            if not self._access.get(headers.get("authorization", "").removeprefix("Bearer ")):
                return (
                    401,
                    {
                        "error": {
                            "code": 401,
                            "message": "Invalid Credentials",
                            "errors": [{"reason": "authError", "domain": "global"}],
                        }
                    },
                    {},
                )
            if self.rate_limited:
                self.rate_limited -= 1
                status, reply = self._error(403, "userRateLimitExceeded", "User Rate Limit Exceeded")
                return status, reply, {}
            return self._drive(method, parts.path, query, headers, body)

    def _drive(
        self, method: str, path: str, query: dict, headers: dict, body: bytes
    ) -> tuple[int, object, dict]:
        if path == "/drive/v3/about":
            return 200, {"user": {"emailAddress": "megler@gmail.example", "displayName": "Megler"}}, {}
        if path == "/drive/v3/files" and method == "GET":
            return 200, self._list(query), {}
        if path == "/drive/v3/files" and method == "POST":
            return 200, self._create(json.loads(body or b"{}"), None), {}
        if path == "/upload/drive/v3/files" and query.get("uploadType") == "multipart":
            message = email.message_from_bytes(
                b"Content-Type: " + headers["content-type"].encode() + b"\n\n" + body
            )
            meta_part, media_part = message.get_payload()
            return (
                200,
                self._create(json.loads(meta_part.get_payload()), media_part.get_payload(decode=True)),
                {},
            )
        if path == "/upload/drive/v3/files" and query.get("uploadType") == "resumable":
            return self._resumable(method, query, headers, body)
        match = re.fullmatch(r"/drive/v3/files/([^/]+)(/copy|/export)?", path)
        if match is None or match.group(1) not in self.files:
            status, reply = self._error(
                404, "notFound", f"File not found: {match.group(1) if match else path}."
            )
            return status, reply, {}
        f = self.files[match.group(1)]
        if match.group(2) == "/export":
            return 200, b"%PDF-1.4 exported " + f.name.encode(), {"Content-Type": "application/pdf"}
        if match.group(2) == "/copy":
            meta = json.loads(body or b"{}")
            return (
                200,
                self._create(
                    {
                        "name": meta.get("name", f.name),
                        "parents": meta.get("parents", f.parents),
                        "mimeType": f.mime,
                    },
                    f.data,
                ),
                {},
            )
        if method == "GET" and query.get("alt") == "media":
            status, data, extra = self._media(f, headers.get("range"))
            return status, data, extra
        if method == "GET":
            return 200, f.meta(), {}
        if method == "PATCH":
            meta = json.loads(body or b"{}")
            f.name = meta.get("name", f.name)
            if query.get("addParents"):
                f.parents = [p for p in f.parents if p not in query.get("removeParents", "").split(",")]
                f.parents.append(query["addParents"])
            return 200, f.meta(), {}
        if method == "DELETE":
            del self.files[f.id]
            return 204, b"", {}
        return 400, {"error": {"code": 400, "message": "unsupported"}}, {}

    def _resumable(self, method: str, query: dict, headers: dict, body: bytes) -> tuple[int, object, dict]:
        if method == "POST":
            upload_id = secrets.token_hex(8)
            self._uploads[upload_id] = {"meta": json.loads(body or b"{}"), "data": bytearray()}
            host = headers.get("host")
            return (
                200,
                b"",
                {
                    "Location": f"https://{host}/upload/drive/v3/files?uploadType=resumable"
                    f"&upload_id={upload_id}"
                },
            )
        upload = self._uploads[query["upload_id"]]
        match = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", headers.get("content-range", ""))
        if match is None:  # a status probe: "bytes */total"
            return 308, b"", ({"Range": f"bytes=0-{len(upload['data']) - 1}"} if upload["data"] else {})
        start, end, total = int(match.group(1)), int(match.group(2)), match.group(3)
        if start != len(upload["data"]):
            return 308, b"", {"Range": f"bytes=0-{len(upload['data']) - 1}"}
        upload["data"] += body
        if total != "*" and end + 1 == int(total):
            del self._uploads[query["upload_id"]]
            return 200, self._create(upload["meta"], bytes(upload["data"])), {}
        return 308, b"", {"Range": f"bytes=0-{end}"}

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._tls.url

    @property
    def host(self) -> str:
        return self._tls.host

    def __enter__(self) -> GoogleFake:
        def answer(method: str, path: str, headers: dict, body: bytes):
            return self.handle(method, path, {k.lower(): v for k, v in headers.items()}, body)

        self._tls = AnswerServer(answer, self.directory, name="google-fake").start()
        self.cert = self._tls.cert
        return self

    def __exit__(self, *exc) -> None:
        self._tls.stop()
