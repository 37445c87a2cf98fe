"""The templates hub over HTTP: the preview a template page frames (sandboxed, under a
Content-Security-Policy of its own that lets nothing run or load), and the public
POST /api/sanitize of the Dokumenthub seed."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dokvault.api import http
from dokvault.services.templates import TooLarge, hub, sanitize

# No script, no plugin, no fetch, no form, no base; inline style only (the template's own
# style attributes, already limited to properties that load nothing) and embedded pictures.
# `sandbox` with no allowance: even opened on its own, the page is an opaque origin that
# runs no script. Only DokVault's own pages may frame it.
PREVIEW_POLICY = "; ".join((
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "sandbox",
))
PREVIEW_HEADERS = {
    "Content-Security-Policy": PREVIEW_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
}
PAGE = ('<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{{font-family:system-ui,sans-serif;line-height:1.5;margin:1.5em;"
        "color:#1c2024;overflow-wrap:anywhere}}table{{border-collapse:collapse}}"
        "td,th{{border:1px solid #d0d5dd;padding:.3em .6em}}img{{max-width:100%}}</style>"
        "</head><body>{body}</body></html>")
# A request body past this is refused before it is read to its end.
MAX_BODY = sanitize.MAX_HTML * 4 + 1024


def preview(request: Request) -> Response:
    """GET /api/templates/{uid}/preview[?version=N], for anyone signed in."""
    if http.current_user(request) is None:  # (framed too: its page says so, not the console)
        return Response("Not signed in", status_code=401, headers=PREVIEW_HEADERS)
    version = request.query_params.get("version", "")
    html = hub.version_html(request.path_params["uid"], int(version) if version.isdigit() else None)
    if html is None:
        return Response("Not found", status_code=404, headers=PREVIEW_HEADERS)
    # Sanitised when saved; sanitised again here, in case a row was written some other way.
    return HTMLResponse(PAGE.format(body=sanitize.sanitize(html)), headers=PREVIEW_HEADERS)


async def sanitize_html(request: Request) -> Response:
    """POST /api/sanitize: JSON {"html": "..."} in, {"html": "<sanitised>"} out; or an
    HTML body in and the sanitised HTML out. Open to anyone, rate-limited per address."""
    body = await _body(request)
    if body is None:
        return JSONResponse({"detail": "The HTML is too large."}, status_code=413)
    as_json = "json" in request.headers.get("content-type", "")
    source = _json_html(body) if as_json else body.decode("utf-8", errors="replace")
    if source is None:
        return JSONResponse({"detail": 'Send {"html": "..."} as JSON.'}, status_code=400)
    try:
        clean = await run_in_threadpool(hub.sanitize_public, source, http.client(request).ip)
    except TooLarge:
        return JSONResponse({"detail": "The HTML is too large."}, status_code=413)
    if not isinstance(clean, str):  # too many from this address
        return http.too_many_attempts(request, clean, "/")
    if as_json:
        return JSONResponse({"html": clean})
    # Whoever opens this answer in a browser gets the preview's rules: nothing runs.
    return Response(clean, media_type="text/html; charset=utf-8", headers=PREVIEW_HEADERS)


def _json_html(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    html = data.get("html") if isinstance(data, dict) else None
    return html if isinstance(html, str) else None


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read no further than that)."""
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


routes = [
    Route("/api/sanitize", sanitize_html, methods=["POST"]),
    Route("/api/templates/{uid}/preview", preview),
]
