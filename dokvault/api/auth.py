"""Sign-in, first-admin set-up, sign-out and token refresh: the routes that set and clear
the browser's credentials (api/cookies.py)."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    Response,
)

from dokvault import db
from dokvault.api import cookies, http
from dokvault.api import two_factor as two_factor_routes
from dokvault.api.cookies import ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE
from dokvault.core import audit
from dokvault.services.auth import accounts, devices, identity, tokens, two_factor
from dokvault.services.auth.tokens import TokenError

log = logging.getLogger(__name__)


async def sign_in(request: Request) -> Response:
    if not http.same_origin(request):
        return http.redirect("/login", error="error.forbidden")
    form = await http.form(request)
    email, password = form.get("email", ""), form.get("password", "")
    client = http.client(request)
    # A browser that signed in to this account before counts its own attempts; every other
    # client shares the account's limit (dokvault.services.auth.devices).
    device = await run_in_threadpool(devices.recognise, request.cookies.get(DEVICE_COOKIE), email)
    limited = await run_in_threadpool(accounts.sign_in_attempt, email, device, client.ip)
    if limited:
        await run_in_threadpool(audit.record, "auth.rate_limited", client=client, action="sign_in")
        return http.too_many_attempts(request, limited, "/login")

    def authenticate() -> tuple[str, str | int, int] | None:
        with db.session() as s:
            user = accounts.authenticate(s, email, password)
            if user is None:
                known = accounts.find_user(s, email)
                audit.record("auth.sign_in.failed", target_user_id=known.id if known else None,
                             client=client, session=s)
                return None
            accounts.sign_in_succeeded(email, device)
            if two_factor.is_enabled(user):  # no session until the second factor is checked
                audit.record("auth.sign_in.password_ok", actor_id=user.id, client=client, session=s)
                return "2fa", two_factor.issue_pending(user, http.safe_next(form.get("next"))), user.id
            audit.record("auth.sign_in.ok", actor_id=user.id, client=client, session=s)
            target = "/account/security" if two_factor.must_enrol(user) else http.safe_next(form.get("next"))
            return target, accounts.open_session(s, user, client.user_agent, client.ip), user.id

    result = await run_in_threadpool(authenticate)
    if result is None:
        return http.redirect("/login", error="login.invalid")
    target, token_or_session, user_id = result
    if target == "2fa":
        return two_factor_routes.with_pending_cookie(http.redirect(two_factor_routes.PAGE), request,
                                                     str(token_or_session))
    return await run_in_threadpool(cookies.signed_in, http.redirect(target), request, user_id,
                                   int(token_or_session))


async def set_up(request: Request) -> Response:
    """Create the first administrator (only while there are no users) and sign them in."""
    if not http.same_origin(request):
        return http.redirect("/setup", error="error.forbidden")
    form = await http.form(request)
    if form.get("password") != form.get("password_confirm"):
        return http.redirect("/setup", error="setup.mismatch")
    client = http.client(request)

    def create() -> Response:
        with db.session() as s:
            user = accounts.create_first_admin(
                s, form.get("email", ""), form.get("password", ""), form.get("name", "")
            )
            audit.record("admin.first_admin_created", actor_id=user.id, target_user_id=user.id,
                         client=client, session=s)
            session_id = accounts.open_session(s, user, client.user_agent, client.ip)
        return cookies.signed_in(http.redirect("/"), request, user.id, session_id)

    try:
        return await run_in_threadpool(create)
    except accounts.AccountError as exc:
        target = "/login" if exc.code == "error.setup_done" else "/setup"
        return http.redirect(target, error=exc.code)


async def sign_out(request: Request) -> Response:
    """End the session (its whole refresh family) and the access token in hand."""
    if not http.same_origin(request):
        return http.redirect("/login", error="error.forbidden")
    client = http.client(request)
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
    return cookies.without_credentials(http.redirect("/login", info="login.signed_out"))


async def refresh(request: Request) -> Response:
    """Rotate the refresh token for a new access token: POST from the page's timer (JSON);
    GET when a page found its access token expired (then back to `next`)."""
    if request.method == "POST" and not http.same_origin(request):
        return JSONResponse({"detail": "forbidden"}, status_code=403)
    is_navigation = request.method == "GET"
    next_path = http.safe_next(request.query_params.get("next"))
    lang = request.cookies.get("dokvault_lang", "nb")
    rotation = await run_in_threadpool(tokens.rotate_refresh, request.cookies.get(REFRESH_COOKIE),
                                       http.client(request), lang)
    if rotation.user is None or rotation.session_id is None or rotation.reused:
        refused = (http.redirect("/login", next=next_path) if is_navigation
                   else JSONResponse({"detail": "signed_out"}, status_code=401))
        return cookies.without_credentials(refused)
    response = (http.redirect(next_path) if is_navigation
                else JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"}))
    return await run_in_threadpool(cookies.with_credentials, response, request, rotation.user.id,
                                   rotation.session_id, rotation.refresh_token)
