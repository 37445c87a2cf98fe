"""HTTP routes beside the Reflex pages: the table only; each feature has its module."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from dokvault.api import (
    audit_exports,
    auth,
    cloud,
    documents,
    health,
    org,
    password_reset,
    sharing,
    templates,
    two_factor,
)

ROUTES = [
    Route("/health", health.health_check),
    Route("/api/health", health.health_check),
    Route("/api/auth/login", auth.sign_in, methods=["POST"]),
    Route("/api/auth/setup", auth.set_up, methods=["POST"]),
    Route("/api/auth/logout", auth.sign_out, methods=["POST"]),
    Route("/api/auth/refresh", auth.refresh, methods=["GET", "POST"]),
    Route("/api/documents/{uid}/download", documents.download),
    Route("/api/documents/{uid}/thumbnail", documents.thumbnail),
    Route("/api/documents/{uid}/searchable", documents.searchable),
    Route("/api/org/pictures/{kind}/{owner_id}", org.picture),
    *two_factor.routes,
    *password_reset.routes,
    *sharing.routes,
    *templates.routes,
    *(Route(path, endpoint) for path, endpoint in cloud.routes),
    *audit_exports.routes,
]

api = Starlette(routes=ROUTES)
