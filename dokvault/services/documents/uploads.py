"""One upload request received: its files streamed to disk chunk by chunk, with progress.

An upload over the limit is not read to its end. The browser declares each file's size,
and the request its Content-Length: when those already pass the limit, nothing is read.
The quotas (quotas.py) are planned on the declared sizes first: the files that fit, in
order, are received, the others refused at once (all refused: nothing is read); each
stored file is checked again by the intake on its real size.
Once a file's bytes pass the limit while they arrive, no further chunk is taken, so the
rest of the request is never read (Reflex's upload endpoint stops reading its body when
the handler stops consuming); the files after it are marked as not received.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Protocol

from dokvault.core.audit import Client
from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.services.documents import quotas
from dokvault.services.documents.intake import IncomingFile
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
# Multipart headers per file, and the form field that carries the declared sizes.
PART_OVERHEAD = 4096
ARGS_OVERHEAD = 1024 * 1024
# The Content-Length of each upload in progress, by the client token of the browser tab
# sending it (kept by api/upload_guard.py: the handler never sees the request's headers).
_lengths: dict[str, int] = {}



@contextlib.contextmanager
def uploading(client_token: str, length: int) -> Iterator[None]:
    """While a request of `length` bytes from this tab is being received."""
    _lengths[client_token] = length
    try:
        yield
    finally:
        _lengths.pop(client_token, None)


def content_length(client_token: str) -> int | None:
    """The Content-Length of the upload this browser tab is sending now, if known."""
    return _lengths.get(client_token)


class Chunk(Protocol):
    """What Reflex's UploadChunk carries that is used here."""

    filename: str
    data: bytes


class UploadReceiver:
    """The files of one request, as `progress` rows the upload list shows.

    `declared` is [name, size] of each file as the browser chose it; `translate` turns an
    error code into the user's words.
    """

    def __init__(self, owner_id: int, declared: list[list[Any]],
                 translate: Callable[..., str], client: Client = Client()):
        self.owner_id = owner_id
        self.translate = translate
        self.client = client
        self.limit = get_settings().max_upload_bytes
        self.progress: list[dict[str, Any]] = [
            {"name": str(name), "size": _size(size), "received": 0, "percent": 0,
             "state": "waiting", "message": ""}
            for name, size in declared
        ]
        self._index = -1
        self._incoming: IncomingFile | None = None
        self._over_quota: set[int] = set()  # rows refused by the quota plan: not stored

    # --- before anything is read ---------------------------------------------------------------

    def refused_before_reading(self, content_length: int | None) -> bool:
        """Refuse the whole request when a declared size, or the request's length against
        the sizes it declares, is over the limit; True when refused (read nothing then)."""
        too_large = sum(1 for row in self.progress if row["size"] > self.limit)
        declared = sum(min(row["size"], self.limit) for row in self.progress)
        allowed = declared + PART_OVERHEAD * len(self.progress) + ARGS_OVERHEAD
        if not too_large and (content_length is None or content_length <= allowed):
            return self._planned()
        for row in self.progress:
            if row["size"] > self.limit:
                self._refuse_row(row, "error.too_large")
            else:
                self._refuse_row(row, "upload.not_received" if too_large else "upload.undeclared")
        log.warning("upload refused before reading: %s of %s files declared over the limit, "
                    "content-length %s against %s declared", too_large, len(self.progress),
                    content_length, declared)
        return True

    def _planned(self) -> bool:
        """Refuse the files the quotas leave no room for; True when that is all of them."""
        verdicts = quotas.plan(self.owner_id, [row["size"] for row in self.progress])
        for index, (row, verdict) in enumerate(zip(self.progress, verdicts, strict=True)):
            if verdict is not None:
                self._over_quota.add(index)
                self._refuse_row(row, verdict.code, **verdict.values)
        return bool(self.progress) and len(self._over_quota) == len(self.progress)

    # --- while chunks arrive --------------------------------------------------------------------

    async def receive(self, chunks: AsyncIterator[Chunk],
                      publish: Callable[[], Awaitable[None]]) -> None:
        """Take chunks until the request ends, or until a file passes the limit."""
        current: str | None = None
        try:
            async for chunk in chunks:
                if chunk.filename != current:
                    await self._finish()
                    current = chunk.filename
                    self._start(chunk.filename)
                row = self._row()
                row["received"] += len(chunk.data)
                if row["size"]:
                    row["percent"] = min(99, int(row["received"] * 100 / row["size"]))
                if self._incoming is not None:
                    try:
                        self._incoming.write(chunk.data)
                    except UploadRefused as exc:
                        self._incoming = None
                        self._refuse(exc)
                        if exc.code == "error.too_large":
                            self._stop_reading()
                            return
                await publish()
            await self._finish()
        finally:
            if self._incoming is not None:
                self._incoming.abort()

    def _start(self, filename: str) -> None:
        self._index += 1
        if self._index in self._over_quota:  # read past, kept nowhere
            self._incoming = None
            return
        self._row()["state"] = "receiving"
        try:
            self._incoming = IncomingFile(self.owner_id, filename, client=self.client)
            self._row()["name"] = self._incoming.name  # what is stored, not what was sent
        except UploadRefused as exc:
            self._incoming = None
            self._refuse(exc)

    async def _finish(self) -> None:
        incoming, self._incoming = self._incoming, None
        if incoming is None:
            return
        row = self._row()
        try:
            await asyncio.to_thread(incoming.finish)
            row["state"], row["percent"] = "stored", 100
        except UploadRefused as exc:
            self._refuse(exc)
        except Exception:
            log.exception("storing an upload failed")
            row["state"], row["message"] = "refused", self.translate("error.storage")

    def _stop_reading(self) -> None:
        rest = self.progress[self._index + 1:]
        for row in rest:
            self._refuse_row(row, "upload.not_received")
        log.warning("upload stopped at a file over the limit; %s files after it not received",
                    len(rest))

    # --- rows ----------------------------------------------------------------------------------

    def _row(self) -> dict[str, Any]:
        while self._index >= len(self.progress):  # more files than declared
            self.progress.append({"name": "", "size": 0, "received": 0, "percent": 0,
                                  "state": "waiting", "message": ""})
        return self.progress[self._index]

    def _refuse(self, exc: UploadRefused) -> None:
        log.info("upload refused: %s", exc.code)
        self._refuse_row(self._row(), exc.code, **exc.values)

    def _refuse_row(self, row: dict[str, Any], code: str, **values: Any) -> None:
        with contextlib.suppress(UploadRefused):
            row["name"] = clean_filename(row["name"])
        row["state"] = "refused"
        row["message"] = self.translate(code, mb=get_settings().max_upload_mb, **values)

    @property
    def counts(self) -> tuple[int, int]:
        """(stored, refused)"""
        return (sum(1 for r in self.progress if r["state"] == "stored"),
                sum(1 for r in self.progress if r["state"] == "refused"))


def _size(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0
