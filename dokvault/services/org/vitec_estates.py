"""Assignments (oppdrag) from Vitec's estates, one office's page at a time.

Pages are fetched a few at a time and written as they arrive, in bulk (one SELECT of the
page's rows, one INSERT of the new, one UPDATE of those that changed): 50,000 assignments
take seconds, not minutes. A page that fails is an error of the run; the rest go on.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy import bindparam, insert, update
from sqlmodel import col, select

from dokvault import db
from dokvault.integrations.vitec import Estate, Parsed, VitecClient, VitecError
from dokvault.models import Assignment
from dokvault.models.base import utcnow
from dokvault.services.org.runs import Progress

log = logging.getLogger(__name__)
CONCURRENCY = 8
FIELDS = ("assignment_number", "office_id", "address", "postal_code", "city", "status", "brokers",
          "changed_at", "is_active")
TABLE = Assignment.__table__


async def sync(hub: VitecClient, departments: list[str], offices: dict[str, int],
               since: datetime | None, progress: Progress) -> None:
    progress.start_phase("assignments", len(departments))
    gate = asyncio.Semaphore(CONCURRENCY)

    async def fetch(department: str) -> tuple[str, Parsed[Estate] | VitecError]:
        async with gate:
            try:
                return department, await hub.estates(department, since)
            except VitecError as exc:
                return department, exc

    for next_page in asyncio.as_completed([fetch(d) for d in departments]):
        department, page = await next_page
        if isinstance(page, VitecError):
            progress.error(f"estates of department {department}", page.detail)
        else:
            seen = write_page(page, offices, department, progress)
            if since is None:
                deactivate_missing(offices.get(department), seen, progress)
        progress.step()


def _values(estate: Estate, offices: dict[str, int], department: str) -> dict:
    return {
        "assignment_number": estate.assignment_number,
        "office_id": offices.get(estate.department_id or department),
        "address": estate.address, "postal_code": estate.postal_code, "city": estate.city,
        "status": estate.status,
        "brokers": [{"employee": e, "role": r} for e, r in estate.brokers],
        "changed_at": estate.changed_at, "is_active": True,
    }


def _same(row, values: dict) -> bool:
    for key in FIELDS:
        have, want = getattr(row, key), values[key]
        if key == "changed_at" and have is not None and want is not None:
            have, want = have.replace(tzinfo=None), want.replace(tzinfo=None)
        if have != want:
            return False
    return True


def write_page(page: Parsed[Estate], offices: dict[str, int], department: str,
               progress: Progress) -> set[str]:
    """Upsert one office's estates; returns the Vitec ids seen."""
    for what, reason in page.skipped:
        progress.skip("assignments", what, reason)
    wanted: dict[str, dict] = {}
    for estate in page.rows:
        if estate.vitec_id in wanted:
            progress.skip("assignments", f"estate {estate.vitec_id}", "listed twice")
            continue
        wanted[estate.vitec_id] = _values(estate, offices, department)
    if not wanted:
        return set()
    now = utcnow()
    with db.session() as s:
        existing = {}
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            existing.update({r.vitec_id: r for r in s.exec(
                select(Assignment).where(col(Assignment.vitec_id).in_(chunk))).all()})
        new = [{"vitec_id": vid, **values, "created_at": now, "updated_at": now}
               for vid, values in wanted.items() if vid not in existing]
        changed = [{"_id": existing[vid].id, **values, "updated_at": now}
                   for vid, values in wanted.items()
                   if vid in existing and not _same(existing[vid], values)]
        if new:
            s.execute(insert(TABLE), new)
        if changed:
            s.execute(update(TABLE).where(TABLE.c.id == bindparam("_id"))
                      .values({k: bindparam(k) for k in (*FIELDS, "updated_at")}), changed)
        s.commit()
    progress.count("assignments", "created", len(new))
    progress.count("assignments", "updated", len(changed))
    progress.count("assignments", "unchanged", len(wanted) - len(new) - len(changed))
    return set(wanted)


def deactivate_missing(office_id: int | None, seen: set[str], progress: Progress) -> None:
    """After a full read of an office's estates: its assignments Vitec no longer lists."""
    if office_id is None:
        return
    with db.session() as s:
        ids = [i for i, vid in s.exec(select(Assignment.id, Assignment.vitec_id).where(
            Assignment.office_id == office_id, col(Assignment.is_active).is_(True))).all()
            if vid not in seen]
        if ids:
            s.execute(update(TABLE).where(TABLE.c.id == bindparam("_id"))
                      .values(is_active=False, updated_at=utcnow()), [{"_id": i} for i in ids])
            s.commit()
    progress.count("assignments", "deactivated", len(ids))
