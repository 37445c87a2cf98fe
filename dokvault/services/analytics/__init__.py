"""The home dashboard and the analytics views: aggregates in SQL (GROUP BY over time
buckets of the firm's time zone, on SQLite and PostgreSQL alike), scoped with access.py's
rule to what the viewer may see, and cached briefly. What the workers measure for them
(stage timings, queue depth) is written by core/metrics.py."""

from dokvault.services.analytics import (
    charts,
    dashboard,
    documents,
    filters,
    operations,
    reviews,
    scope,
    signins,
    syncs,
    timebuckets,
    views,
)
from dokvault.services.analytics.charts import Chart, Series, to_csv
from dokvault.services.analytics.dashboard import Dashboard, Scope, ScopeChoice
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.views import ADMIN_ONLY, VIEWS, chart, forget, views_for

__all__ = [
    "ADMIN_ONLY", "VIEWS", "Chart", "Dashboard", "Filters", "Scope", "ScopeChoice", "Series",
    "chart", "charts", "dashboard", "documents", "filters", "forget", "operations", "reviews",
    "scope", "signins", "syncs", "timebuckets", "to_csv", "views", "views_for",
]
