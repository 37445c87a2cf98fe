"""Documents over time (by type, office or owner) and storage (by office or type): one
GROUP BY each, over what the viewer may see."""

from __future__ import annotations

from typing import Literal

from sqlmodel import col, select

from dokvault import db
from dokvault.models import DocumentType, Office, User
from dokvault.services.analytics import scope
from dokvault.services.analytics.charts import Chart, pivot
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import buckets

Dimension = Literal["type", "office", "user"]
COLUMNS = {"type": "d.document_type_id", "office": "d.office_id", "user": "d.owner_id"}
NONE_NAMES = {"type": "analytics.no_type", "office": "analytics.no_office", "user": ""}
NO_DOCUMENTS = "analytics.empty.documents"


def names(dimension: Dimension, ids: set) -> dict:
    """Names of the ids that occur (a few dozen rows at most), and the missing one's key."""
    wanted = {i for i in ids if i is not None}
    found: dict = {None: NONE_NAMES[dimension]}
    if not wanted:
        return found
    with db.session() as s:
        if dimension == "type":
            found |= dict(s.exec(select(DocumentType.id, DocumentType.name)
                                 .where(col(DocumentType.id).in_(wanted))).all())
        elif dimension == "office":
            found |= dict(s.exec(select(Office.id, Office.name).where(col(Office.id).in_(wanted))).all())
        else:
            found |= {i: name or email for i, name, email in s.exec(
                select(User.id, User.name, User.email).where(col(User.id).in_(wanted))).all()}
    return found


def over_time(user: User, filters: Filters, dimension: Dimension) -> Chart:
    """Documents added per time bucket, one series per type, office or owner."""
    parts, params = scope.documents_where(user, filters)
    bucket = scope.bucket("d.created_at", filters, params)
    found = scope.rows(
        f"SELECT {bucket} AS bucket, {COLUMNS[dimension]} AS k, count(*) AS n "  # noqa: S608
        f"FROM document d WHERE {' AND '.join(parts)} GROUP BY 1, 2", params)
    return pivot(found, buckets(filters.start, filters.end, filters.bucket),
                 names(dimension, {r[1] for r in found}), "count", NO_DOCUMENTS,
                 translate=[None])


def storage(user: User, filters: Filters, dimension: Literal["type", "office"]) -> Chart:
    """Bytes stored per office or type, of the documents added in the range."""
    parts, params = scope.documents_where(user, filters)
    found = scope.rows(
        f"SELECT {COLUMNS[dimension]} AS k, sum(d.size) AS bytes "  # noqa: S608
        f"FROM document d WHERE {' AND '.join(parts)} GROUP BY 1", params)
    named = names(dimension, {r[0] for r in found})
    ordered = sorted(found, key=lambda r: -(r[1] or 0))
    categories = [str(named.get(k, k)) for k, _ in ordered]
    chart = pivot([(str(named.get(k, k)), "bytes", int(n or 0)) for k, n in ordered], categories,
                  {"bytes": "analytics.series.bytes"}, "bytes", NO_DOCUMENTS,
                  translate=["bytes"])
    chart.dated = False
    chart.x_keys = [NONE_NAMES[dimension]] if any(k is None for k, _ in found) else []
    return chart
