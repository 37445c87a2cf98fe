"""OAuth for cloud drives: /api/cloud/{kind}/start sends the signed-in person to the provider;
the provider sends them back to /api/cloud/{kind}/callback. The session cookie is SameSite=
Strict, so a browser arriving from the provider does not send it: the callback answers a page
that continues, same-site, to /api/cloud/{kind}/finish, where the person is known again and
the state is checked against them."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from dokvault.api import http
from dokvault.services.drives import oauth

log = logging.getLogger(__name__)
DRIVES_PAGE = "/drives"


def _kind(request: Request) -> str:
    return str(request.path_params.get("kind", ""))


def start(request: Request) -> Response:
    user = http.current_user(request)
    if user is None:
        return http.redirect("/login")
    try:
        return RedirectResponse(oauth.start(user, _kind(request)), status_code=302)
    except oauth.OAuthRefused as exc:
        return http.redirect(DRIVES_PAGE, error=exc.code)


def callback(request: Request) -> Response:
    params = request.query_params
    query = urlencode({k: params.get(k, "")[:4000] for k in ("code", "state", "error")})
    target = html.escape(f"/api/cloud/{_kind(request)}/finish?{query}", quote=True)
    page = (f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={target}">'
            f'<title>DokVault</title><p><a href="{target}">DokVault</a></p>')
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def finish(request: Request) -> Response:
    user = http.current_user(request)
    if user is None:
        return http.redirect("/login")
    kind, params = _kind(request), request.query_params
    if params.get("error"):
        log.info("OAuth for %s declined at the provider", kind)
        return http.redirect(DRIVES_PAGE, error="declined")
    try:
        oauth.finish(user, kind, params.get("code", ""), params.get("state", ""), http.client(request))
    except oauth.OAuthRefused as exc:
        log.warning("OAuth for %s refused: %s", kind, exc.reason or exc.code)
        return http.redirect(DRIVES_PAGE, error=exc.code)
    return http.redirect(DRIVES_PAGE, connected=kind)


routes = [
    ("/api/cloud/{kind}/start", start),
    ("/api/cloud/{kind}/callback", callback),
    ("/api/cloud/{kind}/finish", finish),
]
