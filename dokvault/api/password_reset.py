"""Password reset by mail: native form posts from /forgot-password and /reset-password.

The helpers shared with the other auth routes live in dokvault.api.routes, which imports
this module for its route list, so they are imported when a request comes in.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dokvault.services.auth import accounts, password_reset

FORGOT_PAGE = "/forgot-password"
RESET_PAGE = "/reset-password"


async def forgot(request: Request) -> Response:
    """Always the same answer, whether or not the e-mail belongs to an account."""
    from dokvault.api import routes as base

    if not base._same_origin(request):
        return base._redirect(FORGOT_PAGE, error="error.forbidden")
    form = await base._form(request)
    lang = request.cookies.get("dokvault_lang", "nb")
    limited = await run_in_threadpool(password_reset.request_reset, form.get("email", "")[:320],
                                      lang, base._client(request))
    if limited:
        return base.too_many_attempts(request, limited, FORGOT_PAGE)
    return base._redirect(FORGOT_PAGE, info="reset.sent")


async def reset(request: Request) -> Response:
    from dokvault.api import routes as base

    if not base._same_origin(request):
        return base._redirect(RESET_PAGE, error="error.forbidden")
    form = await base._form(request)
    token = form.get("token", "")
    if not token:
        return base._redirect(RESET_PAGE, error="reset.invalid")
    if form.get("password", "") != form.get("password_confirm", ""):
        return base._redirect(RESET_PAGE, token=token, error="setup.mismatch")
    try:
        await run_in_threadpool(password_reset.reset_password, token, form.get("password", ""),
                                base._client(request))
    except password_reset.ResetRefused as exc:
        return base._redirect(RESET_PAGE, error=exc.code)
    except accounts.AccountError as exc:  # the policy: the link stays usable
        return base._redirect(RESET_PAGE, token=token, error=exc.code)
    return base._redirect("/login", info="reset.done")


routes = [
    Route("/api/auth/forgot", forgot, methods=["POST"]),
    Route("/api/auth/reset", reset, methods=["POST"]),
]
