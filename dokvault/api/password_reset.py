"""Password reset by mail: native form posts from /forgot-password and /reset-password."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dokvault.api import http
from dokvault.services.auth import accounts, password_reset

FORGOT_PAGE = "/forgot-password"
RESET_PAGE = "/reset-password"


async def forgot(request: Request) -> Response:
    """Always the same answer, whether or not the e-mail belongs to an account."""
    if not http.same_origin(request):
        return http.redirect(FORGOT_PAGE, error="error.forbidden")
    form = await http.form(request)
    lang = request.cookies.get("dokvault_lang", "nb")
    limited = await run_in_threadpool(password_reset.request_reset, form.get("email", "")[:320],
                                      lang, http.client(request))
    if limited:
        return http.too_many_attempts(request, limited, FORGOT_PAGE)
    if not password_reset.mail_leaves():  # never claim a mail that was not sent
        return http.redirect(FORGOT_PAGE, info="reset.no_mail")
    return http.redirect(FORGOT_PAGE, info="reset.sent")


async def reset(request: Request) -> Response:
    if not http.same_origin(request):
        return http.redirect(RESET_PAGE, error="error.forbidden")
    form = await http.form(request)
    token = form.get("token", "")
    if not token:
        return http.redirect(RESET_PAGE, error="reset.invalid")
    if form.get("password", "") != form.get("password_confirm", ""):
        return http.redirect(RESET_PAGE, token=token, error="setup.mismatch")
    try:
        await run_in_threadpool(password_reset.reset_password, token, form.get("password", ""),
                                http.client(request))
    except password_reset.ResetRefused as exc:
        return http.redirect(RESET_PAGE, error=exc.code)
    except accounts.AccountError as exc:  # the policy: the link stays usable
        return http.redirect(RESET_PAGE, token=token, error=exc.code)
    return http.redirect("/login", info="reset.done")


routes = [
    Route("/api/auth/forgot", forgot, methods=["POST"]),
    Route("/api/auth/reset", reset, methods=["POST"]),
]
