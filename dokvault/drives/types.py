"""The CloudDrive protocol every backend speaks, what it returns and how it fails."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

Progress = Callable[[int], None]  # bytes sent so far
PAGE_SIZE = 100


@dataclass(frozen=True)
class Entry:
    """A file or folder on a drive. `id` is what the backend addresses it by (a path on
    WebDAV, a file id on Google Drive and OneDrive); `version` changes with its content."""

    id: str
    name: str
    is_folder: bool
    size: int = 0
    version: str = ""
    modified: datetime | None = None
    content_type: str = ""
    parent_id: str = ""


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_token: str | None = None


class DriveError(Exception):
    """A drive said no or went away. `code` is an i18n key ("error.drive_…"); `retry`: the same
    call may work later (rate limit, outage); `reconnect`: the credentials are no longer taken."""

    def __init__(self, code: str, detail: str = "", *, retry: bool = False, reconnect: bool = False):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail, self.retry, self.reconnect = code, detail, retry, reconnect


def auth_failed(detail: str = "") -> DriveError:
    return DriveError("error.drive_reconnect", detail, reconnect=True)


def not_found(detail: str = "") -> DriveError:
    return DriveError("error.drive_not_found", detail)


def name_taken(detail: str = "") -> DriveError:
    return DriveError("error.drive_name_taken", detail)


def rate_limited(detail: str = "") -> DriveError:
    return DriveError("error.drive_rate_limited", detail, retry=True)


def quota_full(detail: str = "") -> DriveError:
    return DriveError("error.drive_quota", detail)


def unreachable(detail: str = "") -> DriveError:
    return DriveError("error.drive_unreachable", detail, retry=True)


class CloudDrive(Protocol):
    """One connected drive. Blocking calls: run them in a worker or `asyncio.to_thread`."""

    kind: str

    def root(self) -> Entry: ...

    def list(self, folder_id: str, page_token: str | None = None, page_size: int = PAGE_SIZE) -> Page: ...

    def stat(self, item_id: str) -> Entry: ...

    def read(self, item_id: str) -> Iterator[bytes]:
        """The content in chunks, streamed (the response closes when the iterator ends)."""
        ...

    def write(self, folder_id: str, name: str, stream: BinaryIO, size: int,
              progress: Progress | None = None) -> Entry:
        """A new file `name` in the folder; raises name_taken() if one is there already."""
        ...

    def make_folder(self, parent_id: str, name: str) -> Entry: ...

    def move(self, item_id: str, folder_id: str, name: str | None = None) -> Entry: ...

    def copy(self, item_id: str, folder_id: str, name: str | None = None) -> Entry: ...

    def delete(self, item_id: str) -> None: ...

    def legal_name(self, name: str) -> str:
        """`name` as this drive allows it (characters, reserved names, length)."""
        ...

    def close(self) -> None: ...


# Characters OneDrive and Windows shares refuse; also used for WebDAV, where a share is often
# a Windows server behind IIS.
WINDOWS_ILLEGAL = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                    *(f"LPT{i}" for i in range(10))}


def windows_safe_name(name: str, max_length: int = 255) -> str:
    """A name Windows, SharePoint and OneDrive accept: no illegal characters, no trailing dot or
    space, no reserved device name, NFC, at most `max_length` characters (extension kept)."""
    clean = WINDOWS_ILLEGAL.sub("_", unicodedata.normalize("NFC", name)).strip().rstrip(". ")
    stem, dot, ext = clean.rpartition(".")
    if not dot:
        stem, ext = clean, ""
    if stem.upper() in WINDOWS_RESERVED or not stem:
        stem = f"{stem}_" if stem else "dokument"
    ext = f".{ext}" if ext else ""
    return stem[:max(1, max_length - len(ext))] + ext


def numbered(name: str, n: int) -> str:
    """'Kontrakt.pdf' -> 'Kontrakt (2).pdf': a name for the n-th file of that name."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name} ({n})"
    return f"{stem} ({n}).{ext}"
