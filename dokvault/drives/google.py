"""Google Drive v3 through google-api-python-client: the bundled discovery document with its
rootUrl set to GOOGLE_DRIVE_URL (so uploads go where the metadata goes), no discovery cache,
google-auth credentials that refresh themselves (the new token is handed to `on_refresh` to be
sealed again), and every request - token refresh included - over a guarded requests session.
Downloads and resumable uploads go in chunks, so memory stays flat. Blocking: callers run it in
a worker or `asyncio.to_thread`.

Ids are Drive file ids ("root" for My Drive); versions are Drive's `version` (it grows with
every change of content or metadata) with the md5 of the content where there is one."""

from __future__ import annotations

import io
import json
import logging
import re
import ssl
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from typing import BinaryIO

import google_auth_httplib2
import requests
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseDownload, MediaIoBaseUpload

from dokvault.core import net, net_sync
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
    rate_limited,
    unreachable,
)

log = logging.getLogger(__name__)
SCOPE = "https://www.googleapis.com/auth/drive.file"
FOLDER = "application/vnd.google-apps.folder"
NATIVE = "application/vnd.google-apps."  # Docs, Sheets, Slides: exported as PDF
CHUNK = 8 * 1024 * 1024  # a multiple of 256 KiB, as resumable uploads require
MULTIPART_MAX = 5 * 1024 * 1024  # smaller files go in one multipart request
FIELDS = "id, name, mimeType, size, modifiedTime, md5Checksum, version, parents"
RETRIES = 2  # the client's own retries (5xx, 429, and 403 rate limits), with its backoff


def _discovery(root_url: str) -> dict:
    doc = json.loads((resources.files("googleapiclient") / "discovery_cache/documents/drive.v3.json")
                     .read_text())
    doc["rootUrl"] = root_url.rstrip("/") + "/"
    return doc


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


class GoogleDrive:
    kind = "google"

    def __init__(self, secret: dict, *, client_id: str, client_secret: str, token_uri: str, api_url: str,
                 on_refresh: Callable[[dict], None] | None = None, allow: Iterable[str] = (),
                 verify: str | bool | ssl.SSLContext = True):
        net.check_url(api_url, allow=allow)
        net.check_url(token_uri, allow=allow)
        self._secret = dict(secret)
        self._on_refresh = on_refresh
        expiry = None  # google-auth wants naive UTC
        if secret.get("expiry"):
            expiry = datetime.fromisoformat(secret["expiry"]).astimezone(UTC).replace(tzinfo=None)
        self.credentials = Credentials(token=secret.get("access_token"),
                                       refresh_token=secret.get("refresh_token"), token_uri=token_uri,
                                       client_id=client_id, client_secret=client_secret, scopes=[SCOPE],
                                       expiry=expiry)
        self._http = google_auth_httplib2.AuthorizedHttp(
            self.credentials, http=net_sync.RequestsHttp(net_sync.guarded_session(allow, verify=verify)))
        self.service = build_from_document(_discovery(api_url), http=self._http)

    # --- reading ------------------------------------------------------------------------

    def root(self) -> Entry:
        return Entry(id="root", name="", is_folder=True)

    def list(self, folder_id: str, page_token: str | None = None, page_size: int = PAGE_SIZE) -> Page:
        reply = self._run(self.service.files().list(
            q=f"'{_quote(folder_id)}' in parents and trashed = false", pageSize=page_size,
            pageToken=page_token, orderBy="folder,name", fields=f"nextPageToken, files({FIELDS})"))
        return Page([self._entry(f) for f in reply.get("files", [])], reply.get("nextPageToken"))

    def stat(self, item_id: str) -> Entry:
        return self._entry(self._run(self.service.files().get(fileId=item_id, fields=FIELDS)))

    def read(self, item_id: str) -> Iterator[bytes]:
        meta = self._run(self.service.files().get(fileId=item_id, fields="mimeType"))
        if meta.get("mimeType", "").startswith(NATIVE):
            request = self.service.files().export_media(fileId=item_id, mimeType="application/pdf")
        else:
            request = self.service.files().get_media(fileId=item_id)
        buffer = io.BytesIO()
        downloader = MediaIoBaseDownload(buffer, request, chunksize=CHUNK)
        done = False
        while not done:
            _status, done = self._call(lambda: downloader.next_chunk(num_retries=RETRIES))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        self._keep_tokens()

    # --- writing ------------------------------------------------------------------------

    def write(self, folder_id: str, name: str, stream: BinaryIO, size: int,
              progress: Progress | None = None) -> Entry:
        if self._named(folder_id, name):
            raise name_taken(name)
        resumable = size > MULTIPART_MAX
        media = MediaIoBaseUpload(stream, mimetype="application/octet-stream", chunksize=CHUNK,
                                  resumable=resumable)
        request = self.service.files().create(body={"name": name, "parents": [folder_id]}, media_body=media,
                                              fields=FIELDS)
        if not resumable:
            created = self._run(request)
        else:
            created = None
            while created is None:
                status, created = self._call(lambda: request.next_chunk(num_retries=RETRIES))
                if status is not None and progress is not None:
                    progress(status.resumable_progress)
            self._keep_tokens()
        if progress is not None:
            progress(size)
        return self._entry(created)

    def make_folder(self, parent_id: str, name: str) -> Entry:
        return self._entry(self._run(self.service.files().create(
            body={"name": name, "mimeType": FOLDER, "parents": [parent_id]}, fields=FIELDS)))

    def move(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        current = self._run(self.service.files().get(fileId=item_id, fields="parents"))
        return self._entry(self._run(self.service.files().update(
            fileId=item_id, addParents=folder_id, removeParents=",".join(current.get("parents", [])),
            body={"name": name} if name else {}, fields=FIELDS)))

    def copy(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        body: dict = {"parents": [folder_id]}
        if name:
            body["name"] = name
        return self._entry(self._run(self.service.files().copy(fileId=item_id, body=body, fields=FIELDS)))

    def delete(self, item_id: str) -> None:
        self._run(self.service.files().delete(fileId=item_id))

    def legal_name(self, name: str) -> str:
        return re.sub(r"[\x00-\x1f\x7f]", "_", name).strip()[:255] or "dokument"

    def account(self) -> str:
        """The signed-in person's e-mail address (the connection's label)."""
        about = self._run(self.service.about().get(fields="user(emailAddress, displayName)"))
        user = about.get("user", {})
        return user.get("emailAddress") or user.get("displayName") or "Google Drive"

    def close(self) -> None:
        self._http.close()

    # --- the wire ----------------------------------------------------------------------------

    def _named(self, folder_id: str, name: str) -> bool:
        reply = self._run(self.service.files().list(
            q=f"'{_quote(folder_id)}' in parents and name = '{_quote(name)}' and trashed = false",
            pageSize=1, fields="files(id)"))
        return bool(reply.get("files"))

    def _run(self, request):
        reply = self._call(lambda: request.execute(num_retries=RETRIES))
        self._keep_tokens()
        return reply if reply is not None else {}

    def _call(self, fn):
        try:
            return fn()
        except HttpError as exc:
            raise _http_error(exc) from exc
        except RefreshError as exc:  # the refresh token was revoked or expired
            raise auth_failed("refresh") from exc
        except (TransportError, requests.RequestException, OSError) as exc:
            raise unreachable(type(exc).__name__) from exc

    def _keep_tokens(self) -> None:
        """A refreshed access token (google-auth refreshes by itself) is sealed again."""
        token = self.credentials.token
        if token and token != self._secret.get("access_token"):
            self._secret["access_token"] = token
            if self.credentials.refresh_token:
                self._secret["refresh_token"] = self.credentials.refresh_token
            if self.credentials.expiry:
                self._secret["expiry"] = self.credentials.expiry.isoformat()
            if self._on_refresh is not None:
                self._on_refresh(dict(self._secret))

    def _entry(self, data: dict) -> Entry:
        folder = data.get("mimeType") == FOLDER
        name = data.get("name", "")
        if data.get("mimeType", "").startswith(NATIVE) and not folder:
            name += ".pdf"  # read as the PDF it is exported as
        modified = None
        if data.get("modifiedTime"):
            modified = datetime.fromisoformat(data["modifiedTime"].replace("Z", "+00:00"))
        version = "-".join(str(v) for v in (data.get("version"), data.get("md5Checksum")) if v)
        parents = data.get("parents") or [""]
        return Entry(id=data.get("id", ""), name=name, is_folder=folder, size=int(data.get("size") or 0),
                     version=version or (data.get("modifiedTime") or ""), modified=modified,
                     content_type=data.get("mimeType", ""), parent_id=parents[0])


def _http_error(exc: HttpError) -> DriveError:
    status = exc.resp.status if exc.resp is not None else 0
    reasons = {d.get("reason") for d in (exc.error_details or []) if isinstance(d, dict)}
    if status == 401:
        return auth_failed(str(status))
    if status == 429 or reasons & {"userRateLimitExceeded", "rateLimitExceeded"}:
        return rate_limited(str(status))
    if reasons & {"storageQuotaExceeded", "quotaExceeded"}:
        return quota_full(str(status))
    if status == 404:
        return not_found(str(status))
    if status == 403:
        return DriveError("error.drive_refused", str(status))
    if status >= 500:
        return unreachable(str(status))
    return DriveError("error.drive_failed", str(status))
