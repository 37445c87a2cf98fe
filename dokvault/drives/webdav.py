"""Generic WebDAV and Nextcloud (RFC 4918) through webdavclient3, over a guarded requests
session: Basic or Digest, every path segment percent-encoded (æ/ø/å and spaces survive), and
servers that answer PROPFIND only at their root (the whole tree, flat: apis.md §8).

Ids are paths below the root the connection was made with ("/Docs/Kontrakt.pdf", folders end
in "/"); versions are ETags (or size and modification time where a server sends none)."""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
from collections.abc import Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from urllib.parse import quote, unquote, urlsplit

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from webdav3 import exceptions as dav_errors
from webdav3.client import Client, WebDavXmlUtils

from dokvault.core import net, net_sync, norwegian
from dokvault.drives.types import (
    PAGE_SIZE,
    DriveError,
    Entry,
    Page,
    Progress,
    auth_failed,
    name_taken,
    not_found,
    quota_full,
    unreachable,
    windows_safe_name,
)

log = logging.getLogger(__name__)
BLOCK = 1024 * 1024
TIMEOUT = 60
ROOT = "/"


class ProgressReader:
    """A file object for requests to send (it sets Content-Length from `len`), counting."""

    def __init__(self, stream: BinaryIO, size: int, progress: Progress | None):
        self._stream, self.len, self._progress, self.sent = stream, size, progress, 0

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(BLOCK if n is None or n < 0 else n)
        self.sent += len(data)
        if self._progress is not None and data:
            self._progress(self.sent)
        return data

    def __len__(self) -> int:
        return self.len


def nextcloud_root(username: str) -> str:
    return f"/remote.php/dav/files/{username}/"


def _folder(path: str) -> str:
    path = "/" + path.strip("/")
    return path if path == ROOT else path + "/"


def _parent(path: str) -> str:
    return _folder(path.rstrip("/").rpartition("/")[0])


class WebDAVDrive:
    kind = "webdav"
    # Files a transfer may read or write at once: requests' session and its connection pool are
    # shared by threads, and nothing here changes meanwhile (no token to refresh).
    parallel_reads = parallel_writes = 4

    def __init__(self, server_url: str, username: str, password: str, *, digest: bool = False,
                 root_only: bool = False, allow: Iterable[str] = (),
                 verify: str | bool | ssl.SSLContext = True, root_path: str = ""):
        net.check_url(server_url, allow=allow)  # at construction; the session checks every request
        parts = urlsplit(server_url)
        self.root_path = unquote(root_path or parts.path or "/")
        self.client = Client({"webdav_hostname": f"{parts.scheme}://{parts.netloc}",
                              "webdav_root": self.root_path, "webdav_login": username,
                              "webdav_password": password, "webdav_timeout": TIMEOUT,
                              "webdav_disable_check": True})
        self.client.session = net_sync.guarded_session(allow, verify=verify)
        self.client.verify = verify if isinstance(verify, str | bool) else True
        self.client.chunk_size = BLOCK
        # Basic in UTF-8 (RFC 7617; requests would send Latin-1): an æ in a password works.
        self.client.session.auth = HTTPDigestAuth(username, password) if digest else \
            HTTPBasicAuth(username.encode(), password.encode())
        self.root_only = root_only
        self.digest = digest
        self._challenged = threading.local()  # Digest: this thread has the server's challenge

    # --- reading ------------------------------------------------------------------------

    def root(self) -> Entry:
        return Entry(id=ROOT, name="", is_folder=True)

    def list(self, folder_id: str, page_token: str | None = None, page_size: int = PAGE_SIZE) -> Page:
        folder = _folder(folder_id)
        entries = sorted(self._children(folder), key=lambda e: (not e.is_folder, norwegian.sort_key(e.name)))
        start = int(page_token or 0)
        end = start + page_size
        return Page(entries[start:end], str(end) if end < len(entries) else None)

    def stat(self, item_id: str) -> Entry:
        if self.root_only:
            return self._from_tree(item_id)
        infos = self._propfind(item_id, depth="0")
        if not infos:
            raise not_found(item_id)
        return self._entry(infos[0])

    def read(self, item_id: str) -> Iterator[bytes]:
        response = self._call(self.client.execute_request, "download", self._urn(item_id), keep=True)
        try:
            yield from response.iter_content(chunk_size=BLOCK)
        except requests.RequestException as exc:
            raise unreachable(type(exc).__name__) from exc
        finally:
            response.close()

    # --- writing ------------------------------------------------------------------------

    def write(self, folder_id: str, name: str, stream: BinaryIO, size: int,
              progress: Progress | None = None) -> Entry:
        path = _folder(folder_id) + name
        self._challenge(folder_id)
        body = ProgressReader(stream, size, progress)
        # If-None-Match: * makes the server refuse (412) rather than overwrite a file of that
        # name (callers look at the folder's listing first: a server that ignores the header
        # overwrites only what appeared since).
        self._call(self.client.execute_request, "upload", self._urn(path), data=body,
                   headers_ext=["If-None-Match: *"])
        return Entry(id=path, name=name, is_folder=False, size=body.sent, parent_id=_folder(folder_id))

    def make_folder(self, parent_id: str, name: str) -> Entry:
        path = _folder(_folder(parent_id) + name)
        self._call(self.client.execute_request, "mkdir", self._urn(path))
        return Entry(id=path, name=name, is_folder=True, parent_id=_folder(parent_id))

    def move(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        return self._relocate("move", item_id, folder_id, name)

    def copy(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        return self._relocate("copy", item_id, folder_id, name)

    def delete(self, item_id: str) -> None:
        self._call(self.client.execute_request, "clean", self._urn(item_id))

    def legal_name(self, name: str) -> str:
        return windows_safe_name(name)

    def close(self) -> None:
        self.client.session.close()

    # --- the wire ----------------------------------------------------------------------------

    def _urn(self, path: str) -> str:
        """The path below the root, every segment percent-encoded."""
        trailing = "/" if path.endswith("/") and path != ROOT else ""
        segments = [quote(s, safe="") for s in path.strip("/").split("/") if s]
        return "/" + "/".join(segments) + trailing

    def _challenge(self, folder_id: str) -> None:
        """Digest: requests keeps the server's challenge per thread, and a thread's first request
        goes without it. Its 401 would have the body sent again from where it stopped (its end:
        the server waits for bytes that never come), so a body is sent only once this thread has
        the challenge, from a request without one (OPTIONS; its own failure is the PUT's to say)."""
        if not self.digest or getattr(self._challenged, "done", False):
            return
        with contextlib.suppress(DriveError):
            self._call(self.client.execute_request, "options", self._urn(_folder(folder_id)))
        self._challenged.done = True

    def _call(self, method, *args, keep: bool = False, **kwargs):
        """`method` with its errors as DriveErrors. A response is read and released to the
        pool (so the connection is used again) unless `keep`: a download streams it."""
        try:
            response = method(*args, **kwargs)
            if not keep and isinstance(response, requests.Response):
                response.content  # noqa: B018  (read to its end, then the connection is free)
                response.close()
            return response
        except dav_errors.RemoteResourceNotFound as exc:
            raise not_found() from exc
        except dav_errors.NotEnoughSpace as exc:
            raise quota_full() from exc
        except dav_errors.MethodNotSupported as exc:  # 405: MKCOL on what exists
            raise name_taken() from exc
        except dav_errors.ResponseErrorCode as exc:
            raise _status_error(exc.code) from exc
        except (dav_errors.NoConnection, dav_errors.ConnectionException, requests.RequestException) as exc:
            raise unreachable(type(exc).__name__) from exc

    def _relocate(self, action: str, item_id: str, folder_id: str, name: str | None) -> Entry:
        source = self.stat(item_id)
        target = _folder(folder_id) + (name or source.name) + ("/" if source.is_folder else "")
        destination = self.client.get_url(self._urn(target))
        headers = [f"Destination: {destination}", "Overwrite: F"]
        if action == "copy":
            headers.append("Depth: infinity")
        self._call(self.client.execute_request, action, self._urn(item_id), headers_ext=headers)
        return Entry(id=target, name=name or source.name, is_folder=source.is_folder,
                     size=source.size, parent_id=_folder(folder_id))

    def _propfind(self, path: str, depth: str) -> list[dict]:
        response = self._call(self.client.execute_request, "list", self._urn(path),
                              headers_ext=[f"Depth: {depth}"])
        return WebDavXmlUtils.parse_get_list_info_response(response.content)

    def _children(self, folder: str) -> list[Entry]:
        if not self.root_only:
            try:
                infos = self._propfind(folder, depth="1")
                # A server may send more than the children (the whole tree): keep them only.
                return [e for e in map(self._entry, infos) if e.parent_id == folder and e.id != folder]
            except DriveError as exc:
                if folder == ROOT or exc.code not in ("error.drive_refused", "error.drive_failed"):
                    raise
                log.info("PROPFIND refused below the root: listing the whole tree from the root")
                self.root_only = True
        return [e for e in self._tree() if e.parent_id == folder and e.id != folder]

    def _tree(self) -> list[Entry]:
        """The server that answers PROPFIND only at its root sends the whole tree, flat."""
        return [e for e in map(self._entry, self._propfind(ROOT, depth="1")) if e.id != ROOT]

    def _from_tree(self, item_id: str) -> Entry:
        wanted = item_id.rstrip("/") or ROOT
        if wanted == ROOT:
            return self.root()
        for entry in self._tree():
            if entry.id.rstrip("/") == wanted:
                return entry
        raise not_found(item_id)

    def _entry(self, info: dict) -> Entry:
        full = info.get("path") or "/"
        base = "/" + self.root_path.strip("/")
        relative = full[len(base):] if base != "/" and full.startswith(base) else full
        path = _folder(relative) if info.get("isdir") else "/" + relative.strip("/")
        name = path.rstrip("/").rpartition("/")[2]
        modified = None
        with contextlib.suppress(TypeError, ValueError):
            modified = parsedate_to_datetime(info.get("modified") or "")
        size = int(info.get("size") or 0) if str(info.get("size") or "0").isdigit() else 0
        version = (info.get("etag") or "").strip('"') or \
            (f"{size}-{modified.isoformat()}" if modified else "")
        return Entry(id=path, name=name, is_folder=bool(info.get("isdir")), size=size,
                     version=version, modified=modified, content_type=info.get("content_type") or "",
                     parent_id=_parent(path) if path != ROOT else "")


def _status_error(status: int) -> DriveError:
    if status == 401:
        return auth_failed(str(status))
    if status == 412:
        return name_taken(str(status))
    if status in (403, 400, 501):
        return DriveError("error.drive_refused", str(status))
    if status in (429, 502, 503, 504):
        return DriveError("error.drive_rate_limited" if status == 429 else "error.drive_unreachable",
                          str(status), retry=True)
    return DriveError("error.drive_failed", str(status))
