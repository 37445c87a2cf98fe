"""How good the suggestions are: the share of reviewed suggestions people kept unchanged,
per provider or per field, over time, from the review records of the documents the viewer
may see (what the review page's figures count, per time bucket)."""

from __future__ import annotations

from typing import Literal

from dokvault.models import User
from dokvault.services.analytics import scope
from dokvault.services.analytics.charts import Chart, pivot
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import buckets

NO_REVIEWS = "analytics.empty.reviews"
# Custom fields count together, as on the review page.
FIELD_GROUP = "CASE WHEN r.field LIKE 'field:%' THEN 'fields' ELSE r.field END"
FIELDS = ("type", "tags", "title", "fields")


def acceptance(user: User, filters: Filters, by: Literal["provider", "field"]) -> Chart:
    """Percent accepted unchanged per bucket, one series per provider or field."""
    params: dict = {}
    join, parts = scope.of_documents(user, filters, "r.document_id", params)
    parts.append(scope.range_sql("r.created_at", filters, params))
    bucket = scope.bucket("r.created_at", filters, params)
    key = "r.provider" if by == "provider" else FIELD_GROUP
    found = scope.rows(
        f"SELECT {bucket} AS bucket, {key} AS k, count(*) AS n, "  # noqa: S608
        "sum(CASE WHEN r.accepted THEN 1 ELSE 0 END) AS kept "
        f"FROM review_record r {join}WHERE {' AND '.join(parts)} GROUP BY 1, 2", params)
    shares = [(b, k, round(100 * int(kept or 0) / int(n), 1)) for b, k, n, kept in found if n]
    if by == "provider":
        names, translate = {k: k for _, k, _ in shares}, []
    else:
        names = {k: f"analytics.field.{k}" if k in FIELDS else k for _, k, _ in shares}
        translate = [k for k in names if k in FIELDS]
    chart = pivot(shares, buckets(filters.start, filters.end, filters.bucket), names, "percent",
                  NO_REVIEWS, fill=None, translate=translate)
    chart.total = sum(int(n) for _, _, n, _ in found)  # decisions counted
    return chart
