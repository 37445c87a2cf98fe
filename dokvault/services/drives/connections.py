"""A person's drive connections (and the organisation's network share): made, listed, tested,
removed, and opened as a CloudDrive. Credentials are sealed at rest (credentials.py) and never
leave this package: not to the browser, not to a log, not to the audit log."""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlmodel import col, select

from dokvault import db
from dokvault.core import audit, net
from dokvault.core.audit import Client
from dokvault.drives.types import CloudDrive, DriveError
from dokvault.models import DriveConnection, User
from dokvault.models.base import utcnow
from dokvault.models.drives import ConnectionStatus, DriveKind
from dokvault.services.access import Forbidden
from dokvault.services.drives import backends, credentials
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
PASSWORD_KINDS = (DriveKind.NEXTCLOUD, DriveKind.WEBDAV)
MAX_URL, MAX_USER, MAX_PASSWORD = 500, 200, 500


class DriveInputError(ValueError):
    """Input a person must correct; `code` is an i18n key, `values` fill it."""

    def __init__(self, code: str, **values: str):
        super().__init__(code)
        self.code, self.values = code, values


@dataclass(frozen=True)
class ConnectionView:
    """A connection as a page shows it: nothing secret."""

    id: int
    kind: str
    label: str
    server: str
    status: str
    status_code: str
    shared: bool  # the organisation's network share
    can_export: bool
    created_at: datetime | None
    last_used_at: datetime | None


def _view(row: DriveConnection) -> ConnectionView:
    return ConnectionView(id=row.id, kind=row.kind, label=row.label,
                          server=display_server(row.server_url), status=row.status,
                          status_code=row.status_code or "", shared=row.kind == DriveKind.SHARE,
                          can_export=row.kind != DriveKind.SHARE,
                          created_at=row.created_at, last_used_at=row.last_used_at)


def display_server(url: str) -> str:
    """A server's address as pages show it: host and port, never credentials in the URL."""
    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] if parts.netloc else ""


def owned(s, model, user: User, uid: str):
    """The `model` row (a transfer, a web import) of `uid` if it is this person's; raises
    Forbidden otherwise (unknown and someone else's look the same)."""
    try:
        parsed = uuid.UUID(str(uid))
    except ValueError as exc:
        raise Forbidden("error.drive_unknown") from exc
    row = s.exec(select(model).where(model.uid == parsed, model.owner_id == user.id)).first()
    if row is None:
        raise Forbidden("error.drive_unknown")
    return row


# --- the network share -------------------------------------------------------------------


def share_configured() -> bool:
    return bool(get_settings().webdav_url.strip())


def share_connection() -> DriveConnection | None:
    """The row standing for WEBDAV_URL (made at first use), None when it is not configured.
    Its credentials are the settings', never stored."""
    settings = get_settings()
    if not share_configured():
        return None
    url = settings.webdav_url.strip()
    with db.session() as s:
        row = s.exec(select(DriveConnection).where(DriveConnection.kind == DriveKind.SHARE)).first()
        if row is None:
            row = DriveConnection(owner_id=None, kind=DriveKind.SHARE, label=display_server(url),
                                  server_url=url, username=settings.webdav_username)
            s.add(row)
        elif row.server_url != url:  # the operator moved the share
            row.server_url, row.label, row.options = url, display_server(url), {}
            s.add(row)
        else:
            return row
        s.commit()
        s.refresh(row)
        return row


# --- reading -------------------------------------------------------------------------------


def list_connections(user: User) -> list[ConnectionView]:
    with db.session() as s:
        rows = list(s.exec(select(DriveConnection).where(DriveConnection.owner_id == user.id)
                           .order_by(col(DriveConnection.created_at))))
    share = share_connection()
    return [_view(r) for r in ([share] if share else []) + rows]


def get_connection(user: User, connection_id: int, *, to_change: bool = False) -> DriveConnection:
    """The connection if it is this person's (or the share, which everyone signed in may read
    and only the operator changes); raises Forbidden otherwise (unknown looks the same)."""
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    if row is None or not user.is_active:
        raise Forbidden("error.drive_unknown")
    if row.kind == DriveKind.SHARE:
        if to_change or not share_configured():
            raise Forbidden("error.drive_unknown")
        return share_connection() or row
    if row.owner_id != user.id:
        audit.record("drive.refused", actor_id=user.id, connection=connection_id)
        raise Forbidden("error.drive_unknown")
    return row


def open_drive(row: DriveConnection) -> CloudDrive:
    """The connection's CloudDrive; raises DriveError (reconnect when the credentials do not
    open) or OutboundRefused."""
    if row.kind == DriveKind.SHARE:
        settings = get_settings()
        user, password = settings.webdav_username, settings.webdav_password.get_secret_value()
        if "auth" not in (row.options or {}):  # first use: Basic or Digest, as the server asks
            row.options = backends.probe_webdav(row, user, password, operator=True)
            remember_options(row.id, row.options)
        return backends.webdav_drive(row, user, password, operator=True)
    secret = credentials.unseal(row.owner_id or 0, row.kind, row.secret)
    if secret is None:
        log.warning("drive connection id=%s: credentials do not open (CLOUD_CREDS_KEY changed?)", row.id)
        raise DriveError("error.drive_reconnect", "sealed", reconnect=True)
    if row.kind in PASSWORD_KINDS:
        return backends.webdav_drive(row, row.username, secret.get("password", ""))
    return backends.oauth_drive(row, secret, on_refresh=lambda new: save_secret(row.id, new))


# --- changing ------------------------------------------------------------------------------


def _clean_url(kind: str, url: str, username: str) -> str:
    url = url.strip()
    if not url or len(url) > MAX_URL:
        raise DriveInputError("error.drive_url")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.username or parts.password or parts.query or parts.fragment or not parts.hostname:
        raise DriveInputError("error.drive_url")
    path = parts.path or "/"
    if kind == DriveKind.NEXTCLOUD and "/remote.php/" not in path:
        path = path.rstrip("/") + f"/remote.php/dav/files/{username}/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def connect_with_password(user: User, kind: str, url: str, username: str, password: str,
                          client: Client = Client()) -> ConnectionView:
    """A Nextcloud or WebDAV connection, tried before it is stored (Basic, then Digest when
    the server asks for it). Raises DriveInputError, Forbidden, DriveError, OutboundRefused."""
    if kind not in PASSWORD_KINDS:
        raise DriveInputError("error.drive_kind")
    username, password = username.strip(), password.strip()
    if not username or len(username) > MAX_USER or "/" in username:
        raise DriveInputError("error.drive_username")
    if not password or len(password) > MAX_PASSWORD:
        raise DriveInputError("error.drive_password")
    if not credentials.available():
        raise DriveInputError(credentials.CredentialsUnavailable.code)
    clean = _clean_url(kind, url, username)
    net.check_url(clean)  # what the operator allowed, nothing more: a person typed this
    row = DriveConnection(owner_id=user.id, kind=kind, label=f"{username} @ {display_server(clean)}",
                          server_url=clean, username=username)
    options = backends.probe_webdav(row, username, password)
    row.options = options
    row.secret = credentials.seal(user.id, kind, {"password": password})
    with db.session() as s:
        s.add(row)
        s.commit()
        s.refresh(row)
    audit.record("drive.connected", actor_id=user.id, client=client, drive=kind,
                 server=display_server(clean))
    return _view(row)


def save_oauth_connection(user_id: int, kind: str, label: str, secret: dict,
                          client: Client = Client()) -> int:
    """Store (or renew, for the same account) an OAuth connection; returns its id."""
    with db.session() as s:
        row = s.exec(select(DriveConnection).where(DriveConnection.owner_id == user_id,
                                                   DriveConnection.kind == kind,
                                                   DriveConnection.label == label)).first()
        row = row or DriveConnection(owner_id=user_id, kind=kind, label=label)
        row.secret = credentials.seal(user_id, kind, secret)
        row.status, row.status_code, row.updated_at = ConnectionStatus.OK, None, utcnow()
        s.add(row)
        s.commit()
        s.refresh(row)
    audit.record("drive.connected", actor_id=user_id, client=client, drive=kind)
    return row.id


def save_secret(connection_id: int, secret: dict) -> None:
    """Refreshed tokens, sealed again."""
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
        if row is None or row.owner_id is None:
            return
        row.secret = credentials.seal(row.owner_id, row.kind, secret)
        row.updated_at = utcnow()
        s.add(row)
        s.commit()
    log.info("drive connection id=%s: refreshed tokens stored", connection_id)


def note_outcome(connection_id: int, error: Exception | None) -> None:
    """The connection's state after a use: ok, reconnect (the provider no longer takes the
    credentials) or error (with the reason)."""
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
        if row is None:
            return
        if error is None:
            row.status, row.status_code, row.last_used_at = ConnectionStatus.OK, None, utcnow()
        elif isinstance(error, DriveError) and error.reconnect:
            row.status, row.status_code = ConnectionStatus.RECONNECT, error.code
        else:
            row.status = ConnectionStatus.ERROR
            row.status_code = getattr(error, "code", "error.drive_failed")
        s.add(row)
        s.commit()


def remember_options(connection_id: int, options: dict) -> None:
    """What an adapter learnt about its server (PROPFIND only at the root), for next time."""
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
        if row is not None and row.options != {**row.options, **options}:
            row.options = {**row.options, **options}
            s.add(row)
            s.commit()


def test_connection(user: User, connection_id: int) -> str:
    """'' when the drive answers, else the i18n key of why not (and the connection says so)."""
    row = get_connection(user, connection_id)
    try:
        drive = open_drive(row)
        try:
            drive.list(drive.root().id, page_size=1)
        finally:
            drive.close()
    except (DriveError, net.OutboundRefused) as exc:
        note_outcome(row.id, exc)
        return exc.code
    note_outcome(row.id, None)
    return ""


def remove_connection(user: User, connection_id: int, client: Client = Client()) -> None:
    """Forget the connection, its syncs and transfers; revoke what the provider allows."""
    row = get_connection(user, connection_id, to_change=True)
    with contextlib.suppress(Exception):  # a provider that is away does not keep the row
        secret = credentials.unseal(row.owner_id or 0, row.kind, row.secret)
        if secret and row.kind not in PASSWORD_KINDS:
            backends.revoke(row.kind, secret)
    with db.session() as s:
        stored = s.get(DriveConnection, row.id)
        if stored is not None:
            s.delete(stored)
            s.commit()
    audit.record("drive.removed", actor_id=user.id, client=client, drive=row.kind)
