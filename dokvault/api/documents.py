"""Downloads, searchable PDFs and thumbnails: streamed by the app on the embedded default,
a presigned GET to the object store in production; only for who may see the document."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import (
    RedirectResponse,
    Response,
    StreamingResponse,
)

from dokvault.api import http
from dokvault.models import Document
from dokvault.services import documents
from dokvault.storage.objects import content_disposition, get_object_store

log = logging.getLogger(__name__)


def _document(request: Request) -> Document | Response:
    """The document of the URL if the signed-in user may see it; else 401, or 404 (with the
    refusal audited when it exists but is someone else's)."""
    user = request.state.user = http.current_user(request)
    if user is None:
        return Response("Not signed in", status_code=401)
    document = documents.get_document(user, request.path_params["uid"])
    if document is None:
        documents.note_refused(user, request.path_params["uid"], http.client(request))
        return Response("Not found", status_code=404)
    return document


def download(request: Request) -> Response:
    document = _document(request)
    if isinstance(document, Response):
        return document
    documents.note_download(request.state.user, document, http.client(request))
    return send_object(document.object_key, document.name, document.content_type, document.size)


def send_object(key: str, filename: str, content_type: str, size: int | None = None) -> Response:
    store = get_object_store()
    url = store.download_url(key, filename, content_type)
    if url:  # production: the browser fetches straight from the object store
        return RedirectResponse(url, status_code=302)
    headers = {
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(store.iter_chunks(key), media_type=content_type, headers=headers)


def searchable(request: Request) -> Response:
    """The OCRed, searchable PDF kept beside a scan."""
    document = _document(request)
    if isinstance(document, Response):
        return document
    if not document.searchable_key:
        return Response("Not found", status_code=404)
    documents.note_download(request.state.user, document, http.client(request), "searchable")
    return send_object(document.searchable_key, documents.searchable_name(document), "application/pdf")


def thumbnail(request: Request) -> Response:
    document = _document(request)
    if isinstance(document, Response):
        return document
    return send_thumbnail(document)


def send_thumbnail(document: Document) -> Response:
    if not document.thumbnail_key:
        return Response(status_code=404)
    return StreamingResponse(
        get_object_store().iter_chunks(document.thumbnail_key),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
