"""Pictures of staff and offices (from Vitec), for signed-in people only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from dokvault.api import http
from dokvault.services import org


def picture(request: Request) -> Response:
    if http.current_user(request) is None:
        return Response("Not signed in", status_code=401)
    kind, raw = request.path_params["kind"], request.path_params["owner_id"]
    data = org.staff.picture(kind, int(raw)) if raw.isdigit() else None
    if data is None:
        return Response("Not found", status_code=404)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
