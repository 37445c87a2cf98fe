"""Sign-ins and failed sign-ins over time, from the audit log: the viewer's own, their
office's people's (office managers), or everyone's (admins; failures for unknown
addresses too). The office filter narrows to that office's people; the type filter does
not apply to sign-ins (the page says so)."""

from __future__ import annotations

from dokvault.models import User
from dokvault.services.access import people_visible_sql
from dokvault.services.analytics import scope
from dokvault.services.analytics.charts import Chart, pivot
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import buckets

KINDS = {"auth.sign_in.ok": "analytics.series.sign_ins", "auth.sign_in.failed": "analytics.series.failed"}
NO_SIGN_INS = "analytics.empty.sign_ins"
# A sign-in names its person as the actor, a failure (when the address is known) as the
# target: either column, each with its own index.
PERSON = ("a.actor_id", "a.target_user_id")


def sign_ins(user: User, filters: Filters) -> Chart:
    params: dict = {}
    people = []
    for column in PERSON:
        fragment, more = people_visible_sql(user, column)
        people.append(fragment)
        params |= more
    parts = [f"a.kind IN ({', '.join(f':k{i}' for i in range(len(KINDS)))})",
             f"({' OR '.join(people)})"]
    params |= {f"k{i}": kind for i, kind in enumerate(KINDS)}
    parts.append(scope.range_sql("a.created_at", filters, params))
    if filters.office_id:
        office = 'IN (SELECT u.id FROM "user" u WHERE u.office_id = :f_office)'
        parts.append(f"({' OR '.join(f'{c} {office}' for c in PERSON)})")
        params["f_office"] = filters.office_id
    bucket = scope.bucket("a.created_at", filters, params)
    found = scope.rows(f"SELECT {bucket} AS bucket, a.kind, count(*) FROM audit_event a "  # noqa: S608
                       f"WHERE {' AND '.join(parts)} GROUP BY 1, 2", params)
    chart = pivot(found, buckets(filters.start, filters.end, filters.bucket), KINDS, "count",
                  NO_SIGN_INS, translate=list(KINDS))
    order = list(KINDS.values())
    chart.series.sort(key=lambda s: order.index(s.name))
    chart.total = sum(n for _, kind, n in found if kind == "auth.sign_in.ok")  # the headline
    if filters.type_id:
        chart.notes.append("analytics.note.type_not_for_sign_ins")
    return chart
