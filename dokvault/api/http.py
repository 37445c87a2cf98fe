"""What every route needs from a request: who is asking, whether a form post comes from
DokVault's own pages, its small form, a safe place to go next, and the answer to too many
attempts."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)

from dokvault.api import cookies
from dokvault.api.cookies import ACCESS_COOKIE
from dokvault.core import ratelimit
from dokvault.core.audit import Client
from dokvault.i18n import translate
from dokvault.models import User
from dokvault.services.auth import identity
from dokvault.services.auth.tokens import TokenError
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
FORM_LIMIT = 16 * 1024


def client(request: Request) -> Client:
    return Client(ip=request.client.host if request.client else "",
                  user_agent=request.headers.get("user-agent", ""))


def same_origin(request: Request) -> bool:
    """Refuse cross-site form posts: the Origin, when sent, must be DokVault's own
    (FRONTEND_URL, never the Host header, which a DNS-rebinding page controls)."""
    origin = request.headers.get("origin")
    if origin is None or origin in get_settings().allowed_origins:
        return True
    log.warning("refused a form post to %s from origin %r", request.url.path, origin[:100])
    return False


def safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def too_many_attempts(request: Request, limited: ratelimit.Limited, back: str) -> Response:
    """429 with Retry-After; a browser gets a short page in its language with a way back."""
    wait = max(1, round(limited.retry_after / 60))
    lang = request.cookies.get("dokvault_lang", "nb")
    message = translate(lang, "error.rate_limited", minutes=wait)
    headers = {"Retry-After": str(limited.retry_after)}
    if "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": message}, status_code=429, headers=headers)
    body = (f'<!doctype html><html lang="{html.escape(lang)}"><meta charset="utf-8">'
            f"<title>DokVault</title><body style=\"font-family:sans-serif;margin:3em\">"
            f"<p>{html.escape(message)}</p><p><a href=\"{back}\">DokVault</a></p></body></html>")
    return HTMLResponse(body, status_code=429, headers=headers)


def redirect(path: str, **query: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode(query)}" if query else path, status_code=303)


async def form(request: Request) -> dict[str, str]:
    if int(request.headers.get("content-length") or 0) > FORM_LIMIT:
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def current_user(request: Request) -> User | None:
    """Routes demand an unexpired access token and a live session."""
    try:
        return identity.identify(request.cookies.get(ACCESS_COOKIE),
                                 cookies.request_fingerprint(request), client(request)).user
    except TokenError:
        return None
