"""The second sign-in step: after the right password, a short-lived httpOnly cookie names the
pending sign-in; POST /api/auth/2fa checks a TOTP or backup code and only then opens the
session."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dokvault import db
from dokvault.api import cookies, http
from dokvault.core import audit
from dokvault.models import User
from dokvault.services.auth import accounts, two_factor
from dokvault.services.auth.two_factor import TwoFactorError

PENDING_COOKIE = "dokvault_2fa"
PAGE = "/login/2fa"


def with_pending_cookie(response: Response, request: Request, token: str) -> Response:
    response.set_cookie(
        PENDING_COOKIE,
        token,
        max_age=two_factor.PENDING_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def without_pending_cookie(response: Response) -> Response:
    response.delete_cookie(PENDING_COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def verify_second_factor(request: Request) -> Response:
    if not http.same_origin(request):
        return http.redirect(PAGE, error="error.forbidden")
    form = await http.form(request)
    client = http.client(request)
    cookie = request.cookies.get(PENDING_COOKIE)
    pending = await run_in_threadpool(two_factor.read_pending, cookie)
    if pending is None:
        if cookie:
            await run_in_threadpool(audit.record, "auth.2fa.pending_refused", client=client)
        return without_pending_cookie(http.redirect("/login", error="twofa.expired"))

    code, backup = form.get("code", "").strip(), form.get("backup_code", "").strip()
    action = "backup_code" if backup and not code else "totp"
    limited = await run_in_threadpool(two_factor.code_attempt, action, pending.user_id, client.ip)
    if limited:
        await run_in_threadpool(audit.record, "auth.rate_limited", target_user_id=pending.user_id,
                                client=client, action=action)
        return http.too_many_attempts(request, limited, PAGE)

    def finish() -> int:
        with db.session() as s:
            user = s.get(User, pending.user_id)
        if user is None:
            raise TwoFactorError("twofa.expired")
        if action == "totp":
            two_factor.verify_totp(user, code, client)
        else:
            two_factor.use_backup_code(user, backup, client)
        if not two_factor.consume_pending(pending):  # the same cookie, raced twice
            audit.record("auth.2fa.pending_refused", target_user_id=user.id, client=client)
            raise TwoFactorError("twofa.expired")
        two_factor.code_succeeded(action, user.id)
        with db.session() as s:
            audit.record("auth.sign_in.ok", actor_id=user.id, client=client, session=s,
                         second_factor=action)
            return accounts.open_session(s, user, client.user_agent, client.ip)

    try:
        session_id = await run_in_threadpool(finish)
    except TwoFactorError as exc:
        if exc.code == "twofa.expired":
            return without_pending_cookie(http.redirect("/login", error=exc.code))
        return http.redirect(PAGE, error=exc.code)
    response = http.redirect(http.safe_next(pending.next))
    return without_pending_cookie(await run_in_threadpool(
        cookies.signed_in, response, request, pending.user_id, session_id))


routes = [
    Route("/api/auth/2fa", verify_second_factor, methods=["POST"]),
]
