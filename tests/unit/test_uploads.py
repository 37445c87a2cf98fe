"""An upload over the limit is not read to its end: refused on what it declares before its
body is read, and no longer consumed once a file passes the limit, through the same
multipart parser Reflex's upload endpoint streams with."""

from __future__ import annotations

import asyncio
import json

import pytest
from reflex_components_core.core._upload import UploadChunkIterator, _UploadChunkMultipartParser
from sqlmodel import select
from starlette.datastructures import Headers

from dokvault import db
from dokvault.api.upload_guard import guard_uploads
from dokvault.core.caches import reset_caches
from dokvault.i18n import translate
from dokvault.models import Document
from dokvault.services.documents import uploads
from dokvault.services.documents.uploads import UploadReceiver

MB = 1024 * 1024
BOUNDARY = "dokvaultgrense"
PIECE = 64 * 1024  # what the server hands over at a time


@pytest.fixture
def one_megabyte_limit(embedded, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    reset_caches()
    return embedded


def t(key: str, **values) -> str:
    return translate("en", key, **values)


def multipart(files: list[tuple[str, int]]) -> list[bytes]:
    """The pieces of an upload request body, as the browser's FormData sends it."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="__reflex_event_args"\r\n\r\n'
             f'{json.dumps({"sizes": [list(f) for f in files]})}\r\n'.encode()]
    for name, size in files:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
                     f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'.encode())
        parts.extend(b"takst " * (PIECE // 6) for _ in range(size // PIECE))
        parts.append(b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return parts


async def stream_upload(receiver: UploadReceiver, body: list[bytes]) -> tuple[int, int, Exception | None]:
    """Feed `body` through Reflex's streaming parser to the receiver, as the endpoint does;
    (bytes the server read, bytes in the body, what ended the parse)."""
    read = 0

    async def stream():
        nonlocal read
        for piece in body:
            read += len(piece)
            yield piece

    chunks = UploadChunkIterator(maxsize=8)

    async def publish() -> None:
        await asyncio.sleep(0)

    handler: list[asyncio.Future] = []

    async def start_handler(_args) -> None:
        handler.append(asyncio.ensure_future(receiver.receive(chunks, publish)))
        chunks.set_consumer_task(handler[0])

    parser = _UploadChunkMultipartParser(
        headers=Headers({"content-type": f"multipart/form-data; boundary={BOUNDARY}"}),
        stream=stream(), chunk_iter=chunks, on_args_ready=start_handler)
    ended = None
    try:
        await parser.parse()
        await chunks.finish()
    except RuntimeError as exc:  # the endpoint answers 400 and reads no further
        ended = exc
    await handler[0]  # the handler's last file is stored
    return read, sum(len(p) for p in body), ended


def stored_names() -> list[str]:
    with db.session() as s:
        return sorted(s.exec(select(Document.name)).all())


def test_reading_stops_at_the_file_that_passes_the_limit(admin, one_megabyte_limit):
    files = [("liten.txt", 2 * PIECE), ("stor.txt", 40 * MB), ("etter.txt", 2 * PIECE)]
    receiver = UploadReceiver(admin.id, [[n, 1000] for n, _ in files], t)  # sizes understated
    read, total, ended = asyncio.run(stream_upload(receiver, multipart(files)))
    assert ended is not None and "before consuming all upload chunks" in str(ended)
    assert read < 2 * MB < total / 20  # the 40 MB were not read to their end
    states = [(row["state"], row["message"]) for row in receiver.progress]
    assert states[0] == ("stored", "")
    assert states[1] == ("refused", t("error.too_large", mb=1))
    assert states[2] == ("refused", t("upload.not_received"))
    assert stored_names() == ["liten.txt"]
    assert receiver.counts == (1, 2)


def test_an_upload_within_the_limit_is_read_whole(admin, one_megabyte_limit):
    files = [("en.txt", 4 * PIECE), ("to.txt", 8 * PIECE)]
    receiver = UploadReceiver(admin.id, [[n, s] for n, s in files], t)
    read, total, ended = asyncio.run(stream_upload(receiver, multipart(files)))
    assert ended is None and read == total
    assert [row["state"] for row in receiver.progress] == ["stored", "stored"]
    assert stored_names() == ["en.txt", "to.txt"]


class NeverRead:
    """A chunk stream that fails the test if anything takes from it."""

    def __aiter__(self):
        return self

    async def __anext__(self):
        raise AssertionError("the request was read")


def test_a_declared_size_over_the_limit_is_refused_before_reading(admin, one_megabyte_limit):
    receiver = UploadReceiver(admin.id, [["a.txt", 100], ["stor.pdf", 5 * MB], ["b.txt", 100]], t)
    assert receiver.refused_before_reading(content_length=5 * MB + 200) is True
    assert [row["message"] for row in receiver.progress] == [
        t("upload.not_received"), t("error.too_large", mb=1), t("upload.not_received")]
    assert receiver.counts == (0, 3)
    assert stored_names() == []


def test_a_request_longer_than_the_files_it_declares_is_refused_before_reading(admin, one_megabyte_limit):
    receiver = UploadReceiver(admin.id, [["a.txt", 100]], t)
    assert receiver.refused_before_reading(content_length=50 * MB) is True
    assert receiver.progress[0]["message"] == t("upload.undeclared")
    honest = UploadReceiver(admin.id, [["a.txt", 900_000], ["b.txt", 900_000]], t)
    assert honest.refused_before_reading(content_length=1_801_000) is False
    assert honest.refused_before_reading(content_length=None) is False  # chunked: read, bounded


def test_the_upload_guard_keeps_the_content_length_while_the_request_lasts():
    seen = []

    async def reflex_endpoint(scope, receive, send):
        seen.append(uploads.content_length("tab-1"))

    app = guard_uploads(reflex_endpoint)
    scope = {"type": "http", "path": "/_upload", "method": "POST",
             "headers": [(b"reflex-client-token", b"tab-1"), (b"content-length", b"12345")]}
    asyncio.run(app(scope, None, None))
    asyncio.run(app({**scope, "path": "/api/health"}, None, None))
    assert seen == [12345, None]
    assert uploads.content_length("tab-1") is None  # forgotten when the request ended
