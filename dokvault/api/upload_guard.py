"""Keeps the Content-Length of each upload in progress for the upload handler.

Reflex streams an upload's body to its handler (services/uploads.py), which can stop
reading it, but the handler never sees the request's headers: this middleware records the
declared length of each `/_upload` request under the client token it carries, for as long
as the request lasts, so a request longer than the files it declares is refused before
its body is read.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from dokvault.services.documents.uploads import uploading


def guard_uploads(app: ASGIApp) -> ASGIApp:
    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/_upload"):
            headers = Headers(scope=scope)
            token = headers.get("reflex-client-token", "")
            length = headers.get("content-length", "")
            if token and length.isdigit():
                with uploading(token, int(length)):
                    await app(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded
