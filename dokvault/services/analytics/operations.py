"""How the work went: each stage's time (p50 and p95 per bucket) from the timings the
workers record, and the depth of each queue from the samples the maintenance job takes
(core/metrics.py). Percentiles are nearest-rank on both databases: PostgreSQL's
`percentile_disc`, SQLite's window functions, so both give the same figures."""

from __future__ import annotations

from dokvault.core.jobs import QUEUES
from dokvault.core.metrics import STAGES
from dokvault.models import User
from dokvault.services.analytics import scope
from dokvault.services.analytics.charts import Chart, Series, empty_chart, pivot
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import buckets

PERCENTILES = (("p50", 0.5), ("p95", 0.95))
NO_TIMINGS = "analytics.empty.timings"
NO_SAMPLES = "analytics.empty.queues"


def _percentile_sql(source: str) -> str:
    """(bucket, stage, p50 ms, p95 ms) of `source`, a query of (bucket, stage, ms)."""
    if scope.dialect() == "postgresql":
        wanted = ", ".join(f"percentile_disc({q}) WITHIN GROUP (ORDER BY ms)" for _, q in PERCENTILES)
        return f"SELECT bucket, stage, {wanted} FROM ({source}) t GROUP BY 1, 2"  # noqa: S608
    wanted = ", ".join(f"min(CASE WHEN rn >= {q} * n THEN ms END)" for _, q in PERCENTILES)
    return (f"SELECT bucket, stage, {wanted} FROM (SELECT bucket, stage, ms, "  # noqa: S608
            "row_number() OVER (PARTITION BY bucket, stage ORDER BY ms) AS rn, "
            f"count(*) OVER (PARTITION BY bucket, stage) AS n FROM ({source}) s) t GROUP BY 1, 2")


def processing_times(user: User, filters: Filters) -> Chart:
    """Seconds per stage, p50 and p95, of the documents the viewer may see; one series
    per stage and percentile ("upload_p50", …)."""
    params: dict = {}
    join, parts = scope.of_documents(user, filters, "m.document_id", params)
    parts.append(scope.range_sql("m.recorded_at", filters, params))
    bucket = scope.bucket("m.recorded_at", filters, params)
    source = (f"SELECT {bucket} AS bucket, m.stage AS stage, m.duration_ms AS ms "  # noqa: S608
              f"FROM stage_timing m {join}WHERE {' AND '.join(parts)}")
    found = scope.rows(_percentile_sql(source), params)
    values = {(str(row[0]), f"{row[1]}_{name}"): round(row[2 + i] / 1000, 2)
              for row in found for i, (name, _) in enumerate(PERCENTILES) if row[2 + i] is not None}
    x = buckets(filters.start, filters.end, filters.bucket)
    if not values:
        return empty_chart("seconds", NO_TIMINGS, x)
    measured = {key for _, key in values}
    keys = [k for stage in STAGES for name, _ in PERCENTILES if (k := f"{stage}_{name}") in measured]
    return Chart(unit="seconds", x=x, series=[Series(k, f"analytics.series.{k}", True) for k in keys],
                 points=[{"x": b, **{k: values.get((b, k)) for k in keys}} for b in x])


def queue_depth(filters: Filters) -> Chart:
    """The deepest each queue was per bucket (jobs waiting). System-wide: the office and
    type filters do not apply, and only admins see it (the page asks is_admin first)."""
    params: dict = {}
    where = scope.range_sql("q.sampled_at", filters, params)
    bucket = scope.bucket("q.sampled_at", filters, params)
    found = scope.rows(f"SELECT {bucket} AS bucket, q.queue, max(q.depth) FROM queue_sample q "  # noqa: S608
                       f"WHERE {where} GROUP BY 1, 2", params)
    if not found:
        return empty_chart("count", NO_SAMPLES, buckets(filters.start, filters.end, filters.bucket))
    order = {q: i for i, q in enumerate(QUEUES)}
    chart = pivot(found, buckets(filters.start, filters.end, filters.bucket),
                  {q: f"analytics.queue.{q}" for q in QUEUES}, "count", NO_SAMPLES, top=len(QUEUES),
                  fill=None, translate=QUEUES)
    chart.series.sort(key=lambda s: order.get(s.name.removeprefix("analytics.queue."), len(order)))
    chart.total = 0
    chart.notes = ["analytics.note.system_wide"]
    return chart
