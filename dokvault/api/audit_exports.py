"""Downloads of the audit log's daily exports, for admins only (streamed through the app:
the files are small, and every download is audited)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from dokvault.api import http
from dokvault.models import Role
from dokvault.services.access import Forbidden
from dokvault.services.ops import audit_export
from dokvault.storage.objects import content_disposition


async def download(request: Request) -> Response:
    user = await run_in_threadpool(http.current_user, request)
    if user is None:
        return Response("Not signed in", status_code=401)
    if user.role != Role.ADMIN:
        return Response("Forbidden", status_code=403)
    try:
        name, chunks, content_type = await run_in_threadpool(
            audit_export.open_export, user, request.path_params["day"],
            request.path_params["file"], http.client(request))
    except Forbidden:
        return Response("Not found", status_code=404)
    return StreamingResponse(chunks, media_type=content_type, headers={
        "Content-Disposition": content_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


routes = [Route("/api/admin/audit-exports/{day}/{file}", download)]
