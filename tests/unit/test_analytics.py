"""The analytics aggregates on SQLite: buckets in Oslo's days, weeks and months, each view
scoped to what the viewer may see, the brief cache, the CSV export; and the recording the
workers do (stage timings, queue depth, their retention). tests/integration/
test_analytics_pg.py runs the same aggregates on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import clock, metrics
from dokvault.models import QueueSample, StageTiming, SyncRun
from dokvault.models.base import utcnow
from dokvault.services import analytics, documents
from dokvault.services.access import Forbidden
from dokvault.services.analytics import Filters, timebuckets
from dokvault.services.ops import queue_depth
from dokvault.state import chart_view
from tests import analytics_data
from tests.samples import TAKST, make_text
from tests.unit.helpers import wait_final, wait_until

WHOLE = Filters(start=date(2025, 12, 1), end=date(2026, 8, 31), bucket="month")
JANUARY = Filters(start=date(2025, 12, 29), end=date(2026, 1, 11), bucket="day")


@pytest.fixture
def firm(admin):
    analytics.forget()
    yield analytics_data.build(admin)
    analytics.forget()


def series(chart) -> dict[str, dict[str, object]]:
    """{series name: {x: value}} of a chart, without the empty points."""
    return {s.name: {p["x"]: p[s.key] for p in chart.points if p[s.key] not in (0, None)}
            for s in chart.series}


def check_documents_by_type(firm) -> None:
    chart = analytics.chart(firm.admin, "documents_by_type", WHOLE)
    assert chart.x == ["2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01",
                       "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01"]
    # Admin's own takst at 22:30 UTC on 31 July is August in Oslo; the trashed one never counts.
    assert series(chart) == {"Takst/Verdivurdering": {"2026-01-01": 3, "2026-08-01": 1},
                             "Kjøpekontrakt": {"2026-01-01": 1, "2026-02-01": 1},
                             "analytics.no_type": {"2026-01-01": 1}}
    assert [s.translate for s in chart.series] == [False, False, True]
    assert chart.total == 7
    # A broker: her own and what is shared with her office (Kari's first takst).
    ola = analytics.chart(firm.ola, "documents_by_type", WHOLE)
    assert series(ola) == {"Kjøpekontrakt": {"2026-01-01": 1, "2026-02-01": 1},
                           "Takst/Verdivurdering": {"2026-01-01": 1}}
    assert analytics.chart(firm.per, "documents_by_type", WHOLE).total == 1


def check_days_and_weeks_of_oslo(firm) -> None:
    days = analytics.chart(firm.admin, "documents_by_user", JANUARY)
    assert series(days) == {"Kari Nordmann": {"2026-01-05": 1, "2026-01-06": 1},
                            "Ola Hansen": {"2026-01-06": 1},  # 23:30 UTC on the 5th
                            "Per Olsen": {"2026-01-04": 1}}  # 22:30 UTC: still Sunday
    weeks = analytics.chart(firm.admin, "documents_by_office", JANUARY.with_(bucket="week"))
    assert weeks.x == ["2025-12-29", "2026-01-05"]
    assert series(weeks) == {"Strandkaien": {"2026-01-05": 3}, "Sentrum": {"2025-12-29": 1}}


def check_filters(firm) -> None:
    office = analytics.chart(firm.admin, "documents_by_type", WHOLE.with_(office_id=firm.sentrum))
    assert series(office) == {"analytics.no_type": {"2026-01-01": 1}}
    kind = analytics.chart(firm.admin, "documents_by_office", WHOLE.with_(type_id=firm.kontrakt))
    assert series(kind) == {"Strandkaien": {"2026-01-01": 1, "2026-02-01": 1}}
    february = analytics.chart(firm.admin, "documents_by_type",
                               Filters(date(2026, 2, 1), date(2026, 2, 28), bucket="month"))
    assert series(february) == {"Kjøpekontrakt": {"2026-02-01": 1}}
    nothing = analytics.chart(firm.admin, "documents_by_type",
                              Filters(date(2025, 1, 1), date(2025, 1, 31)))
    assert nothing.series == [] and nothing.empty == "analytics.empty.documents"


def check_storage(firm) -> None:
    by_office = analytics.chart(firm.admin, "storage_by_office", WHOLE)
    assert by_office.x == ["analytics.no_office", "Strandkaien", "Sentrum"]
    assert by_office.x_keys == ["analytics.no_office"]
    assert [p["s0"] for p in by_office.points] == [8000, 7000, 4000]
    by_type = analytics.chart(firm.kari, "storage_by_type", WHOLE)
    assert [(p["x"], p["s0"]) for p in by_type.points] == [("Takst/Verdivurdering", 3000)]


def check_processing_and_queues(firm) -> None:
    chart = analytics.chart(firm.admin, "processing", WHOLE)
    assert [s.key for s in chart.series] == ["extraction_p50", "extraction_p95", "ocr_p50", "ocr_p95"]
    january = next(p for p in chart.points if p["x"] == "2026-01-01")
    # Nearest rank of 100, 200, … 1000 ms: the 5th and the 10th.
    assert (january["extraction_p50"], january["extraction_p95"]) == (0.5, 1.0)
    assert (january["ocr_p50"], january["ocr_p95"]) == (30.0, 30.0)
    assert next(p for p in chart.points if p["x"] == "2026-02-01")["extraction_p50"] is None
    per = analytics.chart(firm.per, "processing", WHOLE)  # his document's OCR only
    assert [s.key for s in per.series] == ["ocr_p50", "ocr_p95"]
    depth = analytics.chart(firm.admin, "queue_depth", JANUARY)
    assert series(depth) == {"analytics.queue.documents": {"2026-01-07": 9},
                             "analytics.queue.ai": {"2026-01-07": 2}}
    assert "queue_depth" not in analytics.views_for(firm.kari)
    with pytest.raises(Forbidden):
        analytics.chart(firm.kari, "queue_depth", JANUARY)


def check_sync_history(firm) -> None:
    """Finished runs per day of their start: ok, or with errors (failed, or done with errors
    on the way); a run still going and one outside the range are not counted."""
    from tests.analytics_data import utc

    with db.session() as s:
        for kind, status, errors, started in (
                ("vitec", "done", [], utc(2026, 1, 5, 9)),
                ("teams", "done", [{"what": "team", "error": "403"}], utc(2026, 1, 5, 10)),
                ("vitec", "failed", [{"what": "vitec.unauthorized", "error": "401"}], utc(2026, 1, 6, 2)),
                ("vitec", "running", [], utc(2026, 1, 6, 3)),
                ("vitec", "done", [], utc(2025, 11, 1, 2))):
            s.add(SyncRun(kind=kind, status=status, errors=errors, started_at=started,
                          finished_at=None if status == "running" else started))
        s.commit()
    analytics.forget()
    chart = analytics.chart(firm.admin, "sync_history", JANUARY)
    assert [s.name for s in chart.series] == ["analytics.series.sync_ok", "analytics.series.sync_errors"]
    assert series(chart) == {"analytics.series.sync_ok": {"2026-01-05": 1},
                             "analytics.series.sync_errors": {"2026-01-05": 1, "2026-01-06": 1}}
    assert chart.total == 3 and chart.notes == ["analytics.note.system_wide"]
    assert analytics.chart(firm.admin, "sync_history", Filters(date(2020, 1, 1), date(2020, 1, 31))).empty \
        == "analytics.empty.syncs"
    assert "sync_history" not in analytics.views_for(firm.mona)
    with pytest.raises(Forbidden):
        analytics.chart(firm.mona, "sync_history", JANUARY)


def check_acceptance(firm) -> None:
    providers = analytics.chart(firm.admin, "acceptance_by_provider", WHOLE)
    assert series(providers) == {"local": {"2026-01-01": 75.0}, "openai": {"2026-02-01": 50.0}}
    assert providers.total == 6
    fields = analytics.chart(firm.admin, "acceptance_by_field", WHOLE)
    values = {s.name: {p["x"]: p[s.key] for p in fields.points if p[s.key] is not None}
              for s in fields.series}
    assert values["analytics.field.tags"] == {"2026-01-01": 100.0, "2026-02-01": 0.0}
    assert values["analytics.field.title"] == {"2026-01-01": 0.0}
    assert values["analytics.field.fields"] == {"2026-01-01": 100.0}
    # Kari may not see Ola's document, so not its review either.
    assert series(analytics.chart(firm.kari, "acceptance_by_provider", WHOLE)) == {
        "local": {"2026-01-01": 75.0}}


def check_sign_ins(firm) -> None:
    ok, failed = "analytics.series.sign_ins", "analytics.series.failed"
    assert series(analytics.chart(firm.admin, "sign_ins", WHOLE)) == {
        ok: {"2026-01-01": 5}, failed: {"2026-01-01": 2}}
    assert series(analytics.chart(firm.kari, "sign_ins", WHOLE)) == {
        ok: {"2026-01-01": 3}, failed: {"2026-01-01": 1}}
    # The office manager sees her office's people (Kari, Ola), not Per.
    assert series(analytics.chart(firm.mona, "sign_ins", WHOLE)) == {
        ok: {"2026-01-01": 3}, failed: {"2026-01-01": 1}}
    sentrum = analytics.chart(firm.admin, "sign_ins", WHOLE.with_(office_id=firm.sentrum))
    assert series(sentrum) == {ok: {"2026-01-01": 2}}


def check_every_view(firm) -> None:
    """What the integration test on PostgreSQL runs too: the same figures on both."""
    check_documents_by_type(firm)
    check_days_and_weeks_of_oslo(firm)
    check_filters(firm)
    check_storage(firm)
    check_processing_and_queues(firm)
    check_acceptance(firm)
    check_sign_ins(firm)
    check_sync_history(firm)


def test_every_view_on_sqlite(firm):
    check_every_view(firm)


def test_buckets_fill_the_range_and_filters_come_from_the_url():
    assert timebuckets.buckets(date(2026, 1, 30), date(2026, 3, 2), "month") == [
        "2026-01-01", "2026-02-01", "2026-03-01"]
    assert timebuckets.buckets(date(2026, 1, 1), date(2026, 1, 12), "week") == [
        "2025-12-29", "2026-01-05", "2026-01-12"]
    f = Filters.from_params({"from": "2026-03-31", "to": "2026-01-01", "office": "2", "type": "x",
                             "bucket": "day"}, now=date(2026, 6, 1))
    assert (f.start, f.end, f.office_id, f.type_id, f.bucket) == (
        date(2026, 1, 1), date(2026, 3, 31), 2, None, "day")
    assert Filters.from_params(f.params()) == f
    default = Filters.from_params({"from": "not a day", "bucket": "hour"}, now=date(2026, 6, 1))
    assert default == Filters.default(date(2026, 6, 1))
    # A year of days is counted by the week; ten years are cut to the last three.
    long = Filters.from_params({"from": "2016-01-01", "to": "2026-01-01", "bucket": "day"})
    assert long.bucket == "week" and long.start > date(2022, 12, 1)


def test_answers_are_cached_briefly_and_exported_as_csv(firm):
    first = analytics.chart(firm.admin, "documents_by_type", WHOLE)
    with db.session() as s:  # a change within the cache's time is not seen yet
        s.delete(s.get(documents.library.Document, firm.docs["per1"]))
        s.commit()
    assert analytics.chart(firm.admin, "documents_by_type", WHOLE).total == first.total == 7
    analytics.forget()
    assert analytics.chart(firm.admin, "documents_by_type", WHOLE).total == 6
    shown = chart_view.view(first, "month", "nb")
    assert [s["name"] for s in shown["series"]] == ["Takst/Verdivurdering", "Kjøpekontrakt", "Uten type"]
    assert shown["points"][1]["label"] == "jan 26" and shown["rows"][1]["label"] == "januar 2026"
    lines = shown["csv"].splitlines()
    assert lines[0] == "Periode,Takst/Verdivurdering,Kjøpekontrakt,Uten type"
    assert lines[2] == "2026-01-01,3,1,1" and lines[3] == "2026-02-01,0,1,0"
    assert len(lines) == 1 + len(first.x)
    assert analytics.to_csv(["=1+1", "-x"], [["@SUM(A1)", 2, None]]).splitlines() == [
        "'=1+1,'-x", "'@SUM(A1),2,"]  # never a formula in a spreadsheet
    storage = chart_view.view(analytics.chart(firm.admin, "storage_by_office", WHOLE), "month", "en")
    assert storage["unit"] == "Storage (KB)" and storage["points"][0]["s0"] == 7.81  # 8000 B
    assert storage["csv"].splitlines()[1] == "No office,7.81"


def test_metrics_are_trimmed_after_their_retention(firm):
    old = utcnow() - metrics.RETENTION - timedelta(days=1)
    metrics.record_stage("upload", firm.docs["kari1"], 0.25)
    metrics.record_stage("bogus", firm.docs["kari1"], 1)  # not a stage: not recorded
    metrics.record_queue_depths({"documents": 4})
    with db.session() as s:
        s.add(QueueSample(sampled_at=old, queue="documents", depth=1))
        s.add(StageTiming(stage="upload", document_id=firm.docs["kari1"], recorded_at=old, duration_ms=5))
        s.commit()
    assert metrics.trim() == 2 + 11 + 4  # and the firm's January measurements, as old
    with db.session() as s:  # what is left: today's
        assert s.exec(select(StageTiming.stage, StageTiming.duration_ms)).all() == [("upload", 250)]
        assert s.exec(select(QueueSample.depth)).all() == [4]


def test_old_queue_samples_are_rolled_up_to_the_hour(admin):
    check_roll_up(admin)


def check_roll_up(admin) -> None:
    """What the integration test on PostgreSQL runs too."""
    now = utcnow().replace(minute=30, second=0, microsecond=0)
    old = now - timedelta(days=3)
    with db.session() as s:
        for minute, depth in ((0, 3), (2, 9), (4, 1)):
            s.add(QueueSample(sampled_at=old.replace(minute=minute), queue="documents", depth=depth))
        s.add(QueueSample(sampled_at=old.replace(minute=2), queue="ai", depth=5))  # alone: kept
        for minute in (0, 2):
            s.add(QueueSample(sampled_at=now.replace(minute=minute), queue="documents", depth=7))
        s.commit()
    assert metrics.trim(now) == 2  # three samples of an old hour became one
    with db.session() as s:
        rows = s.exec(select(QueueSample.queue, QueueSample.sampled_at, QueueSample.depth)
                      .order_by(QueueSample.sampled_at, QueueSample.queue)).all()
    hour = old.replace(minute=0).replace(tzinfo=None)
    assert [(q, at.replace(tzinfo=None), d) for q, at, d in rows] == [
        ("documents", hour, 9), ("ai", old.replace(minute=2, tzinfo=None), 5),
        ("documents", now.replace(minute=0, tzinfo=None), 7),
        ("documents", now.replace(minute=2, tzinfo=None), 7)]
    assert metrics.trim(now) == 0  # rolled up once
    # The chart reads the rolled-up hour as it read the samples: the deepest.
    day = clock.local(old).date()
    chart = analytics.chart(admin, "queue_depth", Filters(day, day, bucket="day"))
    assert series(chart)["analytics.queue.documents"] == {day.isoformat(): 9}


def test_the_workers_record_each_stage_and_the_queues(admin, tmp_path):
    from tests.unit.test_ocr import save, scan

    text = documents.ingest_path(admin.id, make_text(tmp_path / "takst.txt", TAKST))
    image = documents.ingest_path(admin.id, save(scan(), tmp_path / "skannet.png"))
    for d in (text, image):
        wait_final(d.id, timeout=60)

    def stages(document_id: int) -> dict[str, int]:
        with db.session() as s:
            return dict(s.exec(select(StageTiming.stage, StageTiming.duration_ms)
                               .where(StageTiming.document_id == document_id)).all())

    got = wait_until(lambda: "classification" in stages(text.id) and stages(text.id), 30,
                     "the classification's timing")
    assert set(got) == {"upload", "extraction", "classification"}  # no OCR in a text file
    scanned = wait_until(lambda: "classification" in stages(image.id) and stages(image.id), 60,
                         "the scan's timings")
    assert set(scanned) == {"upload", "extraction", "ocr", "classification"}
    assert scanned["ocr"] > 100  # Tesseract takes more than a tenth of a second on a page
    # The embedded default counts what waits in the database: nothing now.
    assert queue_depth.sample() == {"documents": 0, "ai": 0}
    with db.session() as s:
        assert sorted(s.exec(select(QueueSample.queue)).all()) == ["ai", "documents"]
