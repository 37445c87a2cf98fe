"""ASGI layers around the whole app - pages, HTTP routes and the websocket alike.

`LAYERS` lists them innermost first, as `rx.App(api_transformer=[api, *LAYERS])` applies
them, so a request meets them in reverse:

1. `behind_trusted_proxies`: X-Forwarded-For / X-Forwarded-Proto are believed only from a
   peer in TRUSTED_PROXIES, which then rewrites the scope's client and scheme (cookies get
   Secure, the audit log and rate limits see the real client);
2. `SecurityHeaders`: CSP, frame, referrer and sniffing rules on every response, HSTS over
   https;
3. `OriginGuard`: a request or websocket from another origin is refused.
"""

from __future__ import annotations

import logging

from granian.utils.proxies import wrap_asgi_with_proxy_headers
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from dokvault.settings import get_settings

log = logging.getLogger(__name__)

# As strict as the Reflex frontend allows: its pages carry inline scripts (React Router's
# hydration data, the token refresh timer), rx.call_script runs code through eval, and
# Radix/emotion write inline styles; the 2FA QR code is a data: image. Everything else
# comes from this origin only.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),  # for browsers that predate frame-ancestors
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                           "browsing-topics=()"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
HSTS = ("strict-transport-security", "max-age=63072000; includeSubDomains")


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response (a route's own value wins), and HSTS
    when the request came over https - directly or through a trusted proxy."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = (*SECURITY_HEADERS, HSTS) if scope.get("scheme") == "https" else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class OriginGuard:
    """Only DokVault's own pages may talk to it (Settings.allowed_origins).

    HTTP: a request that names a foreign origin (`null` included) gets 403; one without an
    Origin is a navigation, a same-origin GET or a script, and passes. Websocket: browsers
    always send an Origin, so one without it is refused too (engine.io would let it in)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        origin = Headers(scope=scope).get("origin")
        if origin in settings.allowed_origins or (origin is None and kind == "http"):
            await self.app(scope, receive, send)
            return
        shown = "none" if origin is None else repr(origin[:100])
        log.warning("refused a cross-origin %s to %s (origin %s)", kind, scope.get("path"), shown)
        if kind == "websocket":  # closing before the accept: the server answers 403
            await WebSocketClose(code=1008, reason="origin not allowed")(scope, receive, send)
            return
        message = (f"Refused: this request came from another site (origin {shown}). "
                   f"Open DokVault at {settings.frontend_url}.")
        await PlainTextResponse(message, status_code=403)(scope, receive, send)


def behind_trusted_proxies(app: ASGIApp) -> ASGIApp:
    """Granian's proxy-header rewrite (HTTP and websocket), for TRUSTED_PROXIES only; none
    configured = the app is reached directly and forwarded headers are ignored."""
    proxies = get_settings().trusted_proxy_list
    if not proxies:
        return app
    rewrite = wrap_asgi_with_proxy_headers(app, trusted_hosts=proxies)

    async def behind_proxies(scope: Scope, receive: Receive, send: Send) -> None:
        await rewrite(scope, receive, send)  # granian's wrapper is a plain function

    return behind_proxies


LAYERS = (OriginGuard, SecurityHeaders, behind_trusted_proxies)
