"""The sanity check, as paperless-ngx's sanity checker: rows whose stored object or
thumbnail is missing, objects in the store that no row names, and (optionally, it reads
every file) originals whose checksum no longer matches. It reports; it deletes nothing.

Runs on the `maintenance` queue (scheduled daily, or "run now" on the admin page) and in
`dokvault check`. The last reports are kept in `sanity_report` for the admin page.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from datetime import timedelta

from sqlmodel import col, delete, select

from dokvault import db
from dokvault.core import jobs
from dokvault.models import Document, SanityReport
from dokvault.models.base import utcnow
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)

KINDS = ("missing_object", "missing_thumbnail", "orphan_object", "checksum_mismatch")
KEEP_PROBLEMS = 200  # stored per report; the counts are complete
KEEP_REPORTS = 10
# A run that never finished (its worker died) no longer blocks "run now" after this.
RUNNING_AT_MOST = timedelta(hours=2)
# Keys the app writes that belong to no document row (the shared local model, the audit
# log's exports).
APP_PREFIXES = ("models/", "audit/")


def _aware(when):
    return when if when is None or when.tzinfo else when.replace(tzinfo=utcnow().tzinfo)


def running() -> SanityReport | None:
    """The run in progress, if one started recently."""
    with db.session() as s:
        report = s.exec(select(SanityReport).where(SanityReport.status == "running")
                        .order_by(col(SanityReport.started_at).desc())).first()
    if report and _aware(report.started_at) > utcnow() - RUNNING_AT_MOST:
        return report
    return None


def last_report() -> SanityReport | None:
    with db.session() as s:
        return s.exec(select(SanityReport).order_by(col(SanityReport.started_at).desc())).first()


def request_run() -> bool:
    """Queue a run for the workers unless one is running; False when one is."""
    if running() is not None:
        return False
    with db.session() as s:
        report = SanityReport()
        s.add(report)
        s.commit()
        report_id = report.id
    jobs.send("check_sanity", report_id)
    return True


def run(report_id: int | None = None, *, checksums: bool = False) -> SanityReport:
    """Check everything now and store the report (in row `report_id` when queued)."""
    with db.session() as s:
        report = s.get(SanityReport, report_id) if report_id else None
        if report is None:
            report = SanityReport()
        report.status, report.checksums, report.started_at = "running", checksums, utcnow()
        s.add(report)
        s.commit()
        report_id = report.id
    try:
        documents, objects, problems = _check(checksums)
    except Exception as exc:
        log.exception("sanity check failed")
        _finish(report_id, status="error", error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    counts = Counter(p["kind"] for p in problems)
    if problems:
        log.warning("sanity check: %s", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    return _finish(report_id, status="done", documents=documents, objects=objects,
                   counts=dict(counts), problems=problems[:KEEP_PROBLEMS])


def _finish(report_id: int, **values) -> SanityReport:
    with db.session() as s:
        report = s.get(SanityReport, report_id)
        for name, value in values.items():
            setattr(report, name, value)
        report.finished_at = utcnow()
        s.add(report)
        s.commit()
        s.refresh(report)
        old = s.exec(select(SanityReport.id).order_by(col(SanityReport.started_at).desc())
                     .offset(KEEP_REPORTS)).all()
        if old:
            s.exec(delete(SanityReport).where(col(SanityReport.id).in_(old)))
            s.commit()
        return report


def _check(checksums: bool) -> tuple[int, int, list[dict]]:
    store = get_object_store()
    now = utcnow()
    grace = now - timedelta(minutes=get_settings().sanity_grace_minutes)
    stored: set[str] = set()
    orphans_candidates: list[str] = []
    listed = 0
    for obj in store.iter_objects():
        listed += 1
        stored.add(obj.key)
        if obj.modified < grace and not obj.key.startswith(APP_PREFIXES):
            orphans_candidates.append(obj.key)
    problems: list[dict] = []
    named: set[str] = set()
    rows = 0
    with db.session() as s:
        query = select(Document.id, Document.object_key, Document.thumbnail_key,
                       Document.searchable_key, Document.sha256, Document.created_at)
        for doc_id, key, thumb, searchable, sha256, created in s.exec(query).yield_per(1000):
            rows += 1
            named.update(k for k in (key, thumb, searchable) if k)
            if _aware(created) > grace:  # its object may still be on its way
                continue
            if key not in stored:
                problems.append({"kind": "missing_object", "key": key, "document_id": doc_id})
            elif checksums and _sha256(store, key) != sha256:
                problems.append({"kind": "checksum_mismatch", "key": key, "document_id": doc_id})
            if thumb and thumb not in stored:
                problems.append({"kind": "missing_thumbnail", "key": thumb, "document_id": doc_id})
    problems += [{"kind": "orphan_object", "key": k, "document_id": None}
                 for k in orphans_candidates if k not in named]
    return rows, listed, problems


def _sha256(store, key: str) -> str:
    digest = hashlib.sha256()
    for chunk in store.iter_chunks(key):
        digest.update(chunk)
    return digest.hexdigest()
