"""HTTP routes beside the Reflex pages: the table only; each feature has its module."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from dokvault.api import audit_exports, auth, documents, health, password_reset, two_factor

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
    *two_factor.routes,
    *password_reset.routes,
    *audit_exports.routes,
]

api = Starlette(routes=ROUTES)
