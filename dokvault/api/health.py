"""GET /health and /api/health."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    Response,
)

from dokvault.services.ops.health import health


def health_check(_request: Request) -> Response:
    return JSONResponse(health())
