"""OneDrive through Microsoft Graph: tokens from msal (a confidential client over a guarded
requests session; PKCE on the consent), `expires_at` kept and refreshed ahead of time (the new
tokens are handed to `on_refresh` to be sealed again), files in 10 MiB upload-session chunks
(a multiple of 320 KiB) PUT without an Authorization header, and an interrupted upload resumed
from the session's `nextExpectedRanges`. Every Graph URL - `@odata.nextLink` included - must
stay on the configured Graph origin, so a bearer token never leaves for another host.

Ids are driveItem ids ("root" for the drive's root); versions are the content tag (cTag)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import secrets
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import BinaryIO
from urllib.parse import quote, urlencode, urlsplit

import msal
import requests

from dokvault.core import http_retry, net, net_sync
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
    windows_safe_name,
)

log = logging.getLogger(__name__)
SCOPES = ["Files.ReadWrite", "User.Read"]  # msal adds offline_access, openid and profile
FRAGMENT = 320 * 1024
CHUNK = (10 * 1024 * 1024 // FRAGMENT) * FRAGMENT  # 10 MiB, a multiple of 320 KiB
READ_BLOCK = 1024 * 1024
EARLY = 120  # seconds before expiry an access token is renewed
TRIES = 3
SELECT = "id,name,size,folder,file,eTag,cTag,lastModifiedDateTime,parentReference"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class MicrosoftIdentity:
    """msal's confidential client for delegated OneDrive access."""

    def __init__(self, client_id: str, client_secret: str, authority_host: str, tenant: str, *,
                 allow: Iterable[str] = (), verify: str | bool | ssl.SSLContext = True):
        authority = f"{authority_host.rstrip('/')}/{tenant or 'common'}"
        net.check_url(authority, allow=allow)
        self._session = net_sync.guarded_session(allow, verify=verify)
        known = urlsplit(authority_host).hostname == "login.microsoftonline.com"
        self.app = msal.ConfidentialClientApplication(
            client_id, client_credential=client_secret, authority=authority, http_client=self._session,
            instance_discovery=known)

    def consent_url(self, redirect_uri: str, state: str, challenge: str) -> str:
        url = self.app.get_authorization_request_url(SCOPES, state=state, redirect_uri=redirect_uri,
                                                     prompt="select_account")
        return f"{url}&{urlencode({'code_challenge': challenge, 'code_challenge_method': 'S256'})}"

    def redeem(self, code: str, redirect_uri: str, verifier: str) -> dict:
        return self._tokens(self.app.acquire_token_by_authorization_code(
            code, SCOPES, redirect_uri=redirect_uri, data={"code_verifier": verifier}))

    def refresh(self, refresh_token: str) -> dict:
        return self._tokens(self.app.acquire_token_by_refresh_token(refresh_token, SCOPES))

    @staticmethod
    def _tokens(reply: dict) -> dict:
        if "access_token" not in reply:  # msal returns Entra's error as a dict
            error = str(reply.get("error", ""))
            log.info("Microsoft token request refused: %s", error)
            if error in ("invalid_grant", "interaction_required", "invalid_client", "unauthorized_client"):
                raise auth_failed(error)
            raise DriveError("error.drive_failed", error)
        return {"access_token": reply["access_token"], "refresh_token": reply.get("refresh_token", ""),
                "expires_at": int(time.time()) + int(reply.get("expires_in") or 3600)}

    def close(self) -> None:
        self._session.close()


class OneDrive:
    kind = "onedrive"

    def __init__(self, secret: dict, identity: MicrosoftIdentity, graph_url: str, *,
                 on_refresh: Callable[[dict], None] | None = None, allow: Iterable[str] = (),
                 verify: str | bool | ssl.SSLContext = True):
        self.graph = graph_url.rstrip("/")
        net.check_url(self.graph, allow=allow)
        self._origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.graph))
        self._secret, self._identity, self._on_refresh = dict(secret), identity, on_refresh
        self._api = net_sync.guarded_session(allow, verify=verify)
        self._upload = net_sync.guarded_session(allow, verify=verify)  # never carries the token

    # --- reading ------------------------------------------------------------------------

    def root(self) -> Entry:
        return Entry(id="root", name="", is_folder=True)

    def list(self, folder_id: str, page_token: str | None = None, page_size: int = PAGE_SIZE) -> Page:
        query = urlencode({"$top": page_size, "$select": SELECT})
        url = page_token or f"{self._item(folder_id)}/children?{query}"
        reply = self._json("GET", url)
        return Page([self._entry(i) for i in reply.get("value", [])], reply.get("@odata.nextLink"))

    def stat(self, item_id: str) -> Entry:
        return self._entry(self._json("GET", self._item(item_id)))

    def read(self, item_id: str) -> Iterator[bytes]:
        # Graph answers 302 to a pre-authenticated URL, fetched without the token (requests
        # would keep it on a redirect to the same host).
        redirect = self._send("GET", f"{self._item(item_id)}/content", allow_redirects=False)
        location = redirect.headers.get("Location")
        if redirect.status_code not in (301, 302, 303, 307) or not location:
            raise DriveError("error.drive_failed", str(redirect.status_code))
        try:
            response = self._upload.get(location, stream=True, timeout=60)
        except requests.RequestException as exc:
            raise unreachable(type(exc).__name__) from exc
        if response.status_code != 200:
            response.close()
            raise _status_error(response)
        try:
            yield from response.iter_content(chunk_size=READ_BLOCK)
        except requests.RequestException as exc:
            raise unreachable(type(exc).__name__) from exc
        finally:
            response.close()

    def account(self) -> str:
        me = self._json("GET", f"{self.graph}/me")
        return me.get("userPrincipalName") or me.get("mail") or me.get("displayName") or "OneDrive"

    # --- writing ------------------------------------------------------------------------

    def write(self, folder_id: str, name: str, stream: BinaryIO, size: int,
              progress: Progress | None = None) -> Entry:
        target = f"{self._item(folder_id)}:/{quote(name, safe='')}:/createUploadSession"
        session = self._json("POST", target, json={"item": {"@microsoft.graph.conflictBehavior": "fail",
                                                              "name": name}})
        upload_url = session["uploadUrl"]
        try:
            return self._entry(self._upload_chunks(upload_url, stream, size, progress))
        except BaseException:
            self._cancel_upload(upload_url)
            raise

    def _upload_chunks(self, upload_url: str, stream: BinaryIO, size: int, progress: Progress | None) -> dict:
        offset, chunk_start, chunk = 0, 0, b""
        while True:
            if offset >= chunk_start + len(chunk):  # the next chunk from the source
                chunk_start, chunk = offset, _read_exactly(stream, min(CHUNK, size - offset))
            piece = chunk[offset - chunk_start:]
            end = offset + len(piece) - 1
            try:
                response = self._upload.put(upload_url, data=piece, timeout=120, headers={
                    "Content-Length": str(len(piece)), "Content-Range": f"bytes {offset}-{end}/{size}"})
            except requests.RequestException as exc:  # interrupted: ask the session where it stands
                log.info("upload chunk interrupted (%s): resuming", type(exc).__name__)
                offset = self._resume_point(upload_url, chunk_start, chunk, stream)
                continue
            if response.status_code in (200, 201):
                if progress is not None:
                    progress(size)
                return response.json()
            if response.status_code == 202:
                offset = _next_expected(response.json(), end + 1)
            elif response.status_code == 416:  # that range was taken already
                offset = self._resume_point(upload_url, chunk_start, chunk, stream)
            elif response.status_code == 409:
                raise name_taken()
            else:
                raise _status_error(response)
            if progress is not None:
                progress(offset)

    def _resume_point(self, upload_url: str, chunk_start: int, chunk: bytes, stream: BinaryIO) -> int:
        try:
            status = self._upload.get(upload_url, timeout=60)
        except requests.RequestException as exc:
            raise unreachable(type(exc).__name__) from exc
        if status.status_code != 200:
            raise _status_error(status)
        offset = _next_expected(status.json(), chunk_start)
        if not chunk_start <= offset <= chunk_start + len(chunk):  # before this chunk: read it again
            try:
                stream.seek(offset)
            except (AttributeError, OSError) as exc:
                raise unreachable("cannot resume") from exc
        return offset

    def _cancel_upload(self, upload_url: str) -> None:
        with contextlib.suppress(requests.RequestException):
            self._upload.delete(upload_url, timeout=30)

    def make_folder(self, parent_id: str, name: str) -> Entry:
        return self._entry(self._json("POST", f"{self._item(parent_id)}/children", json={
            "name": name, "folder": {}, "@microsoft.graph.conflictBehavior": "fail"}))

    def move(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        body: dict = {"parentReference": {"id": folder_id}}
        if name:
            body["name"] = name
        return self._entry(self._json("PATCH", self._item(item_id), json=body))

    def copy(self, item_id: str, folder_id: str, name: str | None = None) -> Entry:
        body: dict = {"parentReference": {"id": folder_id}}
        if name:
            body["name"] = name
        response = self._send("POST", f"{self._item(item_id)}/copy", json=body)
        monitor = response.headers.get("Location", "")
        for _ in range(60):  # the copy runs at Microsoft; its monitor says when it is done
            status = self._upload.get(monitor, timeout=30).json() if monitor else {}
            if status.get("status") == "completed" and status.get("resourceId"):
                return self.stat(status["resourceId"])
            if status.get("status") == "failed":
                raise DriveError("error.drive_failed", "copy")
            time.sleep(0.5)
        raise unreachable("copy did not finish")

    def delete(self, item_id: str) -> None:
        self._send("DELETE", self._item(item_id))

    def legal_name(self, name: str) -> str:
        clean = windows_safe_name(name).replace("_vti_", "vti_").replace("#", "_").replace("%", "_")
        return clean.lstrip(" ~") or "dokument"

    def close(self) -> None:
        self._api.close()
        self._upload.close()

    # --- the wire ----------------------------------------------------------------------------

    def _item(self, item_id: str) -> str:
        return f"{self.graph}/me/drive/root" if item_id in ("", "root") else \
            f"{self.graph}/me/drive/items/{quote(item_id, safe='')}"

    def _token(self, renew: bool = False) -> str:
        """The access token, renewed when it is (nearly) expired or Graph refused it."""
        if renew or int(self._secret.get("expires_at") or 0) - EARLY < time.time():
            refresh = self._secret.get("refresh_token")
            if not refresh:
                raise auth_failed("no refresh token")
            fresh = self._identity.refresh(refresh)
            self._secret = {**fresh, "refresh_token": fresh.get("refresh_token") or refresh}
            if self._on_refresh is not None:
                self._on_refresh(dict(self._secret))
        return self._secret["access_token"]

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        if not url.startswith(self._origin + "/"):  # a nextLink elsewhere: the token stays home
            raise DriveError("error.drive_refused", "a link off the Graph origin")
        renewed = False
        for attempt in range(TRIES):
            try:
                response = self._api.request(method, url, timeout=60, **kwargs,
                                             headers={"Authorization": f"Bearer {self._token()}"})
            except requests.RequestException as exc:
                raise unreachable(type(exc).__name__) from exc
            if response.status_code == 401 and not renewed:
                self._token(renew=True)
                renewed = True
                continue
            if response.status_code in (429, 503) and attempt < TRIES - 1:
                time.sleep(min(http_retry.retry_after(response.headers) or 1.0, 5.0))
                continue
            if response.status_code >= 400:
                raise _status_error(response)
            return response
        raise _status_error(response)

    def _json(self, method: str, url: str, **kwargs) -> dict:
        response = self._send(method, url, **kwargs)
        return response.json() if response.content else {}

    def _entry(self, item: dict) -> Entry:
        modified = None
        if item.get("lastModifiedDateTime"):
            modified = datetime.fromisoformat(item["lastModifiedDateTime"].replace("Z", "+00:00"))
        return Entry(id=item.get("id", ""), name=item.get("name", ""), is_folder="folder" in item,
                     size=int(item.get("size") or 0), version=item.get("cTag") or item.get("eTag") or "",
                     modified=modified, content_type=(item.get("file") or {}).get("mimeType", ""),
                     parent_id=(item.get("parentReference") or {}).get("id", ""))


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    parts, left = [], n
    while left > 0:
        data = stream.read(left)
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def _next_expected(reply: dict, default: int) -> int:
    ranges = reply.get("nextExpectedRanges") or []
    return int(str(ranges[0]).split("-")[0]) if ranges else default


def _status_error(response: requests.Response) -> DriveError:
    try:
        code = (response.json().get("error") or {}).get("code", "")
    except ValueError:
        code = ""
    status = response.status_code
    if status == 401:
        return auth_failed(code)
    if status in (429, 503):
        return rate_limited(code)
    if status == 507 or code in ("quotaLimitReached", "insufficientStorage"):
        return quota_full(code)
    if status == 404:
        return not_found(code)
    if status == 409:
        return name_taken(code)
    if status == 403:
        return DriveError("error.drive_refused", code)
    if status >= 500:
        return unreachable(str(status))
    return DriveError("error.drive_failed", f"{status} {code}")
