"""HTTP routes beside the Reflex pages: health, sign-in cookies, downloads, thumbnails."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from dokvault import db
from dokvault.api import cookies, password_reset
from dokvault.api import two_factor as two_factor_routes
from dokvault.api.cookies import ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE
from dokvault.core import audit, ratelimit
from dokvault.core.audit import Client
from dokvault.i18n import translate
from dokvault.models import Document, User
from dokvault.services import documents
from dokvault.services.auth import accounts, devices, identity, tokens, two_factor
from dokvault.services.auth.tokens import TokenError
from dokvault.services.ops.health import health
from dokvault.settings import get_settings
from dokvault.storage.objects import content_disposition, get_object_store

log = logging.getLogger(__name__)
FORM_LIMIT = 16 * 1024


def _client(request: Request) -> Client:
    return Client(ip=request.client.host if request.client else "",
                  user_agent=request.headers.get("user-agent", ""))


def _same_origin(request: Request) -> bool:
    """Refuse cross-site form posts: the Origin, when sent, must be DokVault's own
    (FRONTEND_URL, never the Host header, which a DNS-rebinding page controls)."""
    origin = request.headers.get("origin")
    if origin is None or origin in get_settings().allowed_origins:
        return True
    log.warning("refused a form post to %s from origin %r", request.url.path, origin[:100])
    return False


def _safe_next(value: str | None) -> str:
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


def _redirect(path: str, **query: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode(query)}" if query else path, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    if int(request.headers.get("content-length") or 0) > FORM_LIMIT:
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def sign_in(request: Request) -> Response:
    if not _same_origin(request):
        return _redirect("/login", error="error.forbidden")
    form = await _form(request)
    email, password = form.get("email", ""), form.get("password", "")
    client = _client(request)
    # A browser that signed in to this account before counts its own attempts; every other
    # client shares the account's limit (dokvault.services.auth.devices).
    device = await run_in_threadpool(devices.recognise, request.cookies.get(DEVICE_COOKIE), email)
    scope = {"device": device} if device else {"account": email}
    limited = await run_in_threadpool(ratelimit.hit, "sign_in", **scope, ip=client.ip)
    if limited:
        await run_in_threadpool(audit.record, "auth.rate_limited", client=client, action="sign_in")
        return too_many_attempts(request, limited, "/login")

    def authenticate() -> tuple[str, str | int, int] | None:
        with db.session() as s:
            user = accounts.authenticate(s, email, password)
            if user is None:
                known = accounts.find_user(s, email)
                audit.record("auth.sign_in.failed", target_user_id=known.id if known else None,
                             client=client, session=s)
                return None
            ratelimit.reset("sign_in", **scope)
            if two_factor.is_enabled(user):  # no session until the second factor is checked
                audit.record("auth.sign_in.password_ok", actor_id=user.id, client=client, session=s)
                return "2fa", two_factor.issue_pending(user, _safe_next(form.get("next"))), user.id
            audit.record("auth.sign_in.ok", actor_id=user.id, client=client, session=s)
            target = "/account/security" if two_factor.must_enrol(user) else _safe_next(form.get("next"))
            return target, accounts.open_session(s, user, client.user_agent, client.ip), user.id

    result = await run_in_threadpool(authenticate)
    if result is None:
        return _redirect("/login", error="login.invalid")
    target, token_or_session, user_id = result
    if target == "2fa":
        return two_factor_routes.with_pending_cookie(_redirect(two_factor_routes.PAGE), request,
                                                     str(token_or_session))
    return await run_in_threadpool(cookies.signed_in, _redirect(target), request, user_id,
                                   int(token_or_session))


async def set_up(request: Request) -> Response:
    """Create the first administrator (only while there are no users) and sign them in."""
    if not _same_origin(request):
        return _redirect("/setup", error="error.forbidden")
    form = await _form(request)
    if form.get("password") != form.get("password_confirm"):
        return _redirect("/setup", error="setup.mismatch")
    client = _client(request)

    def create() -> Response:
        with db.session() as s:
            user = accounts.create_first_admin(
                s, form.get("email", ""), form.get("password", ""), form.get("name", "")
            )
            audit.record("admin.first_admin_created", actor_id=user.id, target_user_id=user.id,
                         client=client, session=s)
            session_id = accounts.open_session(s, user, client.user_agent, client.ip)
        return cookies.signed_in(_redirect("/"), request, user.id, session_id)

    try:
        return await run_in_threadpool(create)
    except accounts.AccountError as exc:
        target = "/login" if exc.code == "error.setup_done" else "/setup"
        return _redirect(target, error=exc.code)


async def sign_out(request: Request) -> Response:
    """End the session (its whole refresh family) and the access token in hand."""
    if not _same_origin(request):
        return _redirect("/login", error="error.forbidden")
    client = _client(request)
    token, fingerprint = request.cookies.get(ACCESS_COOKIE), cookies.request_fingerprint(request)

    def close() -> None:
        try:
            who = identity.identify(token, fingerprint, client, enrolling=True)
        except TokenError:
            return
        tokens.revoke_access(tokens.verify_access(token, fingerprint))
        with db.session() as s:
            accounts.close_session(s, who.session_id)
            audit.record("auth.sign_out", actor_id=who.user.id, client=client, session=s)

    await run_in_threadpool(close)
    return cookies.without_credentials(_redirect("/login", info="login.signed_out"))


async def refresh(request: Request) -> Response:
    """Rotate the refresh token for a new access token: POST from the page's timer (JSON);
    GET when a page found its access token expired (then back to `next`)."""
    if request.method == "POST" and not _same_origin(request):
        return JSONResponse({"detail": "forbidden"}, status_code=403)
    is_navigation = request.method == "GET"
    next_path = _safe_next(request.query_params.get("next"))
    lang = request.cookies.get("dokvault_lang", "nb")
    rotation = await run_in_threadpool(tokens.rotate_refresh, request.cookies.get(REFRESH_COOKIE),
                                       _client(request), lang)
    if rotation.user is None or rotation.session_id is None or rotation.reused:
        refused = (_redirect("/login", next=next_path) if is_navigation
                   else JSONResponse({"detail": "signed_out"}, status_code=401))
        return cookies.without_credentials(refused)
    response = (_redirect(next_path) if is_navigation
                else JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"}))
    return await run_in_threadpool(cookies.with_credentials, response, request, rotation.user.id,
                                   rotation.session_id, rotation.refresh_token)


def _current_user(request: Request) -> User | None:
    """Routes demand an unexpired access token and a live session."""
    try:
        return identity.identify(request.cookies.get(ACCESS_COOKIE),
                                 cookies.request_fingerprint(request), _client(request)).user
    except TokenError:
        return None


def _document(request: Request) -> Document | Response:
    """The document of the URL if the signed-in user may see it; else 401, or 404 (with the
    refusal audited when it exists but is someone else's)."""
    user = _current_user(request)
    if user is None:
        return Response("Not signed in", status_code=401)
    document = documents.get_document(user, request.path_params["uid"])
    if document is None:
        documents.note_refused(user, request.path_params["uid"], _client(request))
        return Response("Not found", status_code=404)
    return document


def download(request: Request) -> Response:
    document = _document(request)
    if isinstance(document, Response):
        return document
    return _send(document.object_key, document.name, document.content_type, document.size)


def _send(key: str, filename: str, content_type: str, size: int | None = None) -> Response:
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
    return _send(document.searchable_key, documents.searchable_name(document), "application/pdf")


def thumbnail(request: Request) -> Response:
    document = _document(request)
    if isinstance(document, Response):
        return document
    if not document.thumbnail_key:
        return Response(status_code=404)
    return StreamingResponse(
        get_object_store().iter_chunks(document.thumbnail_key),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


def health_check(_request: Request) -> Response:
    return JSONResponse(health())


# Feature modules add their own routes here: `*module.routes`.
ROUTES = [
    Route("/health", health_check),
    Route("/api/health", health_check),
    Route("/api/auth/login", sign_in, methods=["POST"]),
    Route("/api/auth/setup", set_up, methods=["POST"]),
    Route("/api/auth/logout", sign_out, methods=["POST"]),
    Route("/api/auth/refresh", refresh, methods=["GET", "POST"]),
    Route("/api/documents/{uid}/download", download),
    Route("/api/documents/{uid}/thumbnail", thumbnail),
    Route("/api/documents/{uid}/searchable", searchable),
    *two_factor_routes.routes,
    *password_reset.routes,
]

api = Starlette(routes=ROUTES)
