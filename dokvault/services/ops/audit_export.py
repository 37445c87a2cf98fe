"""The audit log's daily export and its retention.

At 00:00 UTC the scheduler sends `export_audit_log` (maintenance queue). It writes every
finished UTC day not yet exported (the previous day; the days the scheduler missed too,
from the first day the log has entries) to the object store:

    audit/YYYY/MM/DD.jsonl          one entry per line, as services/admin/audit_log.as_record
    audit/YYYY/MM/DD.csv            the same entries, the detail as a JSON column
    audit/YYYY/MM/DD.manifest.json  the day, the rows, the first and last id, and the
                                    SHA-256 and size of both files (written last)

and records the day in `audit_export`. Idempotent: a day exported stays so, unless
entries of it were written after its export (a transaction that committed after
midnight), when it is written again whole. Files are streamed through the spool folder,
never held in memory.

Then the retention: with AUDIT_RETENTION_DAYS set, entries older than that many days are
removed, day by day from the oldest, and only up to the last id their day's export holds
(the database refuses anything else, see migration 0016). The exports stay.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import delete as sql_delete
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit, leases
from dokvault.core.audit import Client
from dokvault.models import AuditEvent, AuditExport, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden, require_admin
from dokvault.services.admin.audit_log import as_record
from dokvault.services.documents import temp_dir
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)
PREFIX = "audit"
COLUMNS = ("id", "created_at", "kind", "actor_id", "target_user_id", "document_id", "ip",
           "user_agent", "detail")
FILES = ("jsonl", "csv", "manifest.json")
CONTENT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
                 "manifest.json": "application/json"}
MAX_DAYS_PER_RUN = 400  # a first run over a long history goes on at the next one
RECHECK_DAYS = 3  # recent exported days looked at again for late entries
PURGE_BATCH = 5000
LEASE = "audit-export"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


def key_of(day: date, file: str) -> str:
    return f"{PREFIX}/{day:%Y}/{day:%m}/{day:%d}.{file}"


@dataclass
class _Written:
    path: Path
    sha256: str
    size: int


class _Sink:
    """A spool file being written while hashed and measured."""

    def __init__(self, suffix: str):
        self._fh = tempfile.NamedTemporaryFile(dir=temp_dir(), prefix="audit-", suffix=suffix,  # noqa: SIM115
                                               delete=False)
        self._sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._fh.write(data)
        self._sha.update(data)
        self.size += len(data)

    def close(self) -> _Written:
        self._fh.close()
        return _Written(Path(self._fh.name), self._sha.hexdigest(), self.size)


def _entries(day: date) -> Iterator[AuditEvent]:
    start, end = day_bounds(day)
    with db.session() as s:
        query = (select(AuditEvent)
                 .where(col(AuditEvent.created_at) >= start, col(AuditEvent.created_at) < end)
                 .order_by(col(AuditEvent.created_at), col(AuditEvent.id)))
        yield from s.exec(query.execution_options(yield_per=1000))


def _csv_row(values: list) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else v for v in values])
    return buffer.getvalue().encode()


def _csv_line(record: dict) -> bytes:
    row = {**record, "detail": json.dumps(record["detail"], ensure_ascii=False, sort_keys=True)}
    return _csv_row([row[c] for c in COLUMNS])


def export_day(day: date) -> AuditExport:
    """Write one UTC day's entries to the object store and record it (again, if asked)."""
    jsonl, table = _Sink(".jsonl"), _Sink(".csv")
    rows, first_id, last_id = 0, 0, 0
    try:
        table.write(_csv_row(list(COLUMNS)))
        for event in _entries(day):
            record = as_record(event)
            jsonl.write(json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n")
            table.write(_csv_line(record))
            rows += 1
            first_id = first_id or event.id
            last_id = max(last_id, event.id)
        written = {"jsonl": jsonl.close(), "csv": table.close()}
        manifest = {
            "day": day.isoformat(), "rows": rows, "first_id": first_id or None,
            "last_id": last_id or None,
            "files": {key_of(day, kind).rsplit("/", 1)[-1]: {"sha256": w.sha256, "bytes": w.size}
                      for kind, w in written.items()},
            "exported_at": utcnow().isoformat().replace("+00:00", "Z"),
        }
        store = get_object_store()
        for kind, w in written.items():
            store.put_file(key_of(day, kind), w.path, CONTENT_TYPES[kind])
        store.put_bytes(key_of(day, "manifest.json"),
                        json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n",
                        CONTENT_TYPES["manifest.json"])
    finally:
        for sink in (jsonl, table):
            Path(sink._fh.name).unlink(missing_ok=True)
    with db.session() as s:
        row = s.get(AuditExport, day) or AuditExport(day=day)
        row.rows, row.last_id = rows, last_id
        row.jsonl_sha256, row.jsonl_bytes = written["jsonl"].sha256, written["jsonl"].size
        row.csv_sha256, row.csv_bytes = written["csv"].sha256, written["csv"].size
        row.exported_at = utcnow()
        s.add(row)
        s.commit()
        s.refresh(row)
    log.info("audit log of %s exported: %s entries", day, rows)
    audit.record("audit.exported", day=day.isoformat(), rows=rows)
    return row


def _first_day() -> date | None:
    with db.session() as s:
        last = s.exec(select(func.max(AuditExport.day))).one()
        if last is not None:
            return last + timedelta(days=1)
        oldest = s.exec(select(func.min(AuditEvent.created_at))).one()
    return _utc(oldest).date() if oldest is not None else None


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _late(day: date, export: AuditExport) -> bool:
    """Entries of an exported day that its export does not hold (written after it)."""
    start, end = day_bounds(day)
    with db.session() as s:
        newest = s.exec(select(func.max(AuditEvent.id)).where(
            col(AuditEvent.created_at) >= start, col(AuditEvent.created_at) < end)).one()
    return newest is not None and newest > export.last_id


def due_days(now: datetime | None = None) -> list[date]:
    """The finished days to write: those never exported, and recent ones with late entries."""
    today = _utc(now or utcnow()).date()
    with db.session() as s:
        recent = s.exec(select(AuditExport).order_by(col(AuditExport.day).desc())
                        .limit(RECHECK_DAYS)).all()
    days = sorted(e.day for e in recent if e.day < today and _late(e.day, e))
    first = _first_day()
    if first is not None:
        day = first
        while day < today and len(days) < MAX_DAYS_PER_RUN:
            days.append(day)
            day += timedelta(days=1)
    return days


def export_due(now: datetime | None = None) -> list[AuditExport]:
    return [export_day(day) for day in due_days(now)]


def purge_expired(now: datetime | None = None) -> int:
    """Remove the entries past the retention that their day's export holds; the oldest
    day first, a batch at a time. Returns how many were removed."""
    days = get_settings().audit_retention_days
    if not days:
        return 0
    cutoff = datetime.combine(_utc(now or utcnow()).date() - timedelta(days=days), time(),
                              tzinfo=UTC)
    removed = 0
    while True:
        with db.session() as s:
            oldest = s.exec(select(func.min(AuditEvent.created_at))).one()
            if oldest is None or _utc(oldest) >= cutoff:
                break
            day = _utc(oldest).date()
            export = s.get(AuditExport, day)
            if export is None:
                log.warning("audit entries of %s are past the retention but not exported yet",
                            day)
                break
            start, end = day_bounds(day)
            batch = select(AuditEvent.id).where(
                col(AuditEvent.created_at) >= start, col(AuditEvent.created_at) < end,
                col(AuditEvent.id) <= export.last_id).limit(PURGE_BATCH)
            gone = s.exec(sql_delete(AuditEvent).where(col(AuditEvent.id).in_(batch))).rowcount
            s.commit()
        if not gone:
            log.warning("audit entries of %s were written after its export: kept until it "
                        "is exported again", day)
            break
        removed += gone
    if removed:
        log.info("audit retention removed %s entries older than %s", removed, cutoff.date())
        audit.record("audit.retention", removed=removed, older_than=cutoff.date().isoformat(),
                     days=days)
    return removed


def run_daily(now: datetime | None = None) -> bool:
    """The scheduled job: export what is due, then apply the retention. One run at a time
    across every worker and `dokvault export-audit` (a lease); False when another holds it."""
    with leases.held(LEASE) as ours:
        if not ours:
            log.info("audit export already running elsewhere")
            return False
        export_due(now)
        purge_expired(now)
    return True


def last_run() -> datetime | None:
    """When the newest export was written (the scheduler catches up a missed midnight)."""
    with db.session() as s:
        last = s.exec(select(func.max(AuditExport.exported_at))).one()
    return _utc(last) if last is not None else None


# --- for the admin page ----------------------------------------------------------------------


def list_exports(actor: User | None, limit: int = 90) -> list[AuditExport]:
    require_admin(actor)
    with db.session() as s:
        return list(s.exec(select(AuditExport).order_by(col(AuditExport.day).desc())
                           .limit(limit)).all())


def open_export(actor: User | None, day: str, file: str, client: Client = Client(),
                ) -> tuple[str, Iterator[bytes], str]:
    """(file name, chunks, content type) of one exported file, for an admin; audited."""
    actor = require_admin(actor)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise Forbidden("error.unknown_export") from None
    if file not in FILES:
        raise Forbidden("error.unknown_export")
    with db.session() as s:
        if s.get(AuditExport, parsed) is None:
            raise Forbidden("error.unknown_export")
    audit.record("audit.export_downloaded", actor_id=actor.id, client=client,
                 day=parsed.isoformat(), file=file)
    key = key_of(parsed, file)
    return f"audit-{parsed.isoformat()}.{file}", get_object_store().iter_chunks(key), \
        CONTENT_TYPES[file]
