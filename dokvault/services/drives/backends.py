"""Which adapter a connection is, built with what it needs: its credentials, the hosts the
operator allowed, the CA to trust. OAuth backends get a hook that seals refreshed tokens."""

from __future__ import annotations

from collections.abc import Callable

from dokvault.core import net
from dokvault.drives.types import CloudDrive, DriveError
from dokvault.drives.webdav import WebDAVDrive
from dokvault.models import DriveConnection
from dokvault.settings import get_settings


def verify() -> str | bool:
    """What outbound TLS trusts: OUTBOUND_CA_FILE when set, else certifi's CAs."""
    return get_settings().outbound_ca_file or True


def webdav_drive(row: DriveConnection, username: str, password: str, *,
                 operator: bool = False, digest: bool | None = None) -> WebDAVDrive:
    """`operator`: the URL is the operator's (WEBDAV_URL), so its host is allowed as configured."""
    allow = (entry,) if operator and (entry := net.host_port(row.server_url)) else ()
    options = row.options or {}
    return WebDAVDrive(row.server_url, username, password,
                       digest=options.get("auth") == "digest" if digest is None else digest,
                       root_only=bool(options.get("root_only")), allow=allow, verify=verify())


def probe_webdav(row: DriveConnection, username: str, password: str) -> dict:
    """List the root with Basic, then with Digest if Basic is not taken: the options that
    work. Raises the DriveError of the last try."""
    error: DriveError | None = None
    for digest in (False, True):
        drive = webdav_drive(row, username, password, digest=digest)
        try:
            drive.list(drive.root().id, page_size=1)
            return {"auth": "digest" if digest else "basic", "root_only": drive.root_only}
        except DriveError as exc:
            error = exc
            if not exc.reconnect:
                raise
        finally:
            drive.close()
    assert error is not None
    raise error


def oauth_drive(row: DriveConnection, secret: dict, on_refresh: Callable[[dict], None]) -> CloudDrive:
    raise DriveError("error.drive_kind", row.kind)


def revoke(kind: str, secret: dict) -> None:
    """Revoke what the provider allows (nothing for password connections)."""
