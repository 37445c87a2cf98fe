"""Integration sync history: the sync runs (services/org/runs.py: Vitec, Microsoft 365)
that finished in each time bucket, those that went well against those that ended with
errors (failed, or done with errors on the way). System-wide, like the queues: the office
and type filters do not apply, and only admins see it."""

from __future__ import annotations

from dokvault.services.analytics import scope
from dokvault.services.analytics.charts import Chart, empty_chart, pivot
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import buckets

NO_RUNS = "analytics.empty.syncs"
OUTCOMES = ("ok", "errors")
FINISHED = ("done", "failed")


def history(filters: Filters) -> Chart:
    """Runs per bucket of their start, by outcome; one GROUP BY over sync_run."""
    params: dict = {"done": FINISHED[0], "failed": FINISHED[1]}
    started = "coalesce(r.started_at, r.created_at)"
    where = scope.range_sql(started, filters, params)
    bucket = scope.bucket(started, filters, params)
    with_errors = "r.status = :failed OR coalesce(json_array_length(r.errors), 0) > 0"
    found = scope.rows(
        f"SELECT {bucket} AS bucket, CASE WHEN {with_errors} THEN 'errors' ELSE 'ok' END AS outcome, "  # noqa: S608
        f"count(*) FROM sync_run r WHERE {where} AND r.status IN (:done, :failed) GROUP BY 1, 2", params)
    x = buckets(filters.start, filters.end, filters.bucket)
    if not found:
        return empty_chart("count", NO_RUNS, x)
    chart = pivot(found, x, {o: f"analytics.series.sync_{o}" for o in OUTCOMES}, "count", NO_RUNS,
                  top=len(OUTCOMES), translate=OUTCOMES)
    order = {f"analytics.series.sync_{o}": i for i, o in enumerate(OUTCOMES)}
    chart.series.sort(key=lambda s: order.get(s.name, len(order)))
    chart.notes = ["analytics.note.system_wide"]
    return chart
