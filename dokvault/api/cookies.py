"""The browser's credentials, all httpOnly and SameSite=Strict (Secure over https):

- `dokvault_access`: an ES256 access token (15 minutes), sent to every path;
- `dokvault_refresh`: the refresh token (30 days), sent only to /api/auth, rotated at use;
- `dokvault_access_exp`: when the access token expires (not secret, readable by the page's
  refresh timer, which is all it is for);
- `dokvault_device`: the device cookie of the last account signed in here (a year, sent only
  to /api/auth, kept at sign-out): its sign-in attempts have a limit of their own.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.requests import Request
from starlette.responses import Response

from dokvault.services.auth import devices, policy, tokens

ACCESS_COOKIE = "dokvault_access"
EXPIRY_COOKIE = "dokvault_access_exp"
REFRESH_COOKIE = "dokvault_refresh"
DEVICE_COOKIE = "dokvault_device"
REFRESH_PATH = "/api/auth"


def cookie_from_header(cookie_header: str, name: str) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # a malformed header means no credentials, not an error page
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def request_fingerprint(request: Request) -> str:
    return tokens.fingerprint(request.headers.get("user-agent", ""),
                              request.headers.get("accept-language", ""))


def with_credentials(response: Response, request: Request, user_id: int, session_id: int,
                     refresh_token: str | None) -> Response:
    """A new access token for this browser, and the refresh token when one was issued
    (a raced refresh keeps the cookie the other tab already received)."""
    access, expires = tokens.issue_access(user_id, session_id, request_fingerprint(request))
    # A sign-in lasts as long as the security policy says (policy.py).
    options = {"max_age": policy.current().session_hours * 3600, "samesite": "strict",
               "secure": request.url.scheme == "https"}
    response.set_cookie(ACCESS_COOKIE, access, httponly=True, path="/", **options)
    response.set_cookie(EXPIRY_COOKIE, str(int(expires.timestamp())), httponly=False, path="/",
                        **options)
    if refresh_token:
        response.set_cookie(REFRESH_COOKIE, refresh_token, httponly=True, path=REFRESH_PATH,
                            **options)
    return response


def signed_in(response: Response, request: Request, user_id: int, session_id: int) -> Response:
    """The cookies of a fresh sign-in: the first token of a new refresh family, and a new
    device cookie for the account."""
    if device := devices.issue(user_id):
        response.set_cookie(DEVICE_COOKIE, device, max_age=int(devices.LIFETIME.total_seconds()),
                            httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            path=REFRESH_PATH)
    return with_credentials(response, request, user_id, session_id,
                            tokens.issue_refresh(session_id))


def without_credentials(response: Response) -> Response:
    for name, path in ((ACCESS_COOKIE, "/"), (EXPIRY_COOKIE, "/"), (REFRESH_COOKIE, REFRESH_PATH)):
        response.delete_cookie(name, path=path, httponly=name != EXPIRY_COOKIE, samesite="strict")
    return response
