"""The public side of share links: the file and its thumbnail, for whoever has the link
(and, for a link with a password, the grant the page got for the right one). The page
itself is /s/<link> (dokvault.pages.sharing.public)."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from dokvault.api import http
from dokvault.api.documents import send_object, send_thumbnail
from dokvault.i18n import translate
from dokvault.services.sharing import links

# A refused download answers with the reason, in the page's words.
STATUS_CODES = {links.UNKNOWN: 404, links.NEEDS_PASSWORD: 403, links.LIMITED: 429}


def _viewer_id(request: Request) -> int | None:
    user = http.current_user(request)
    return user.id if user else None


def download(request: Request) -> Response:
    token = request.path_params["token"]
    outcome = links.claim_download(token, request.query_params.get("grant", ""),
                                   http.client(request), _viewer_id(request))
    if isinstance(outcome, str):
        return _refused(request, token, outcome)
    return send_object(outcome.object_key, outcome.name, outcome.content_type, outcome.size)


def thumbnail(request: Request) -> Response:
    document = links.thumbnail(request.path_params["token"], request.query_params.get("grant", ""))
    if document is None:
        return Response(status_code=404)
    return send_thumbnail(document)


def _refused(request: Request, token: str, status: str) -> Response:
    lang = request.cookies.get("dokvault_lang", "nb")
    message = translate(lang, f"share.status_{status}", minutes=15)
    back = f"/s/{html.escape(token, quote=True)}"
    body = (f'<!doctype html><html lang="{html.escape(lang)}"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>DokVault</title><body style=\"font-family:sans-serif;margin:3em\">"
            f"<p>{html.escape(message)}</p><p><a href=\"{back}\">DokVault</a></p></body></html>")
    return HTMLResponse(body, status_code=STATUS_CODES.get(status, 410),
                        headers={"Cache-Control": "no-store"})


routes = [
    Route("/api/share/{token}/download", download),
    Route("/api/share/{token}/thumbnail", thumbnail),
]
