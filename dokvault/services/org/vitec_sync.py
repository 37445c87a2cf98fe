"""The Vitec Megler sync: offices from Departments, people from Employees, assignments
(oppdrag) from each office's Estates. Upserted by Vitec's id; what Vitec no longer lists
becomes inactive, never deleted; people are linked to DokVault users by e-mail (any case).

A full run reads every office's estates and deactivates the assignments it did not see;
an incremental run (after a full one) asks only for the estates changed after the last
good run's watermark (`changedAfter`), and deactivates nothing among them. Offices and
staff are small and read whole every time: only what differs is written. A department
whose estates could not be read is an error of the run, not its end: the others go on,
and the watermark stays where it was so the next run asks for that span again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock
from dokvault.integrations import vitec
from dokvault.integrations.vitec import Parsed, VitecClient, VitecError
from dokvault.models import Employee, Office, OfficeSource, SyncRun, User
from dokvault.models.base import utcnow
from dokvault.services.org import pictures, runs, vitec_estates
from dokvault.services.org.runs import Progress, SyncFailed
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
# Vitec's changedAfter is compared on its clock: ask a little further back than we started.
WATERMARK_MARGIN = timedelta(minutes=5)
# A full run at least this often (the nightly run becomes one), so that what Vitec
# removed without a change stamp is found.
FULL_EVERY = timedelta(days=7)
PICTURE_CONCURRENCY = 8


def missing_settings() -> list[str]:
    """The settings still to be given before a sync can run (the admin page lists them)."""
    settings = get_settings()
    needed = {"VITEC_HUB_PRODUCT_LOGIN": settings.vitec_hub_product_login,
              "VITEC_HUB_ACCESS_KEY": settings.vitec_hub_access_key.get_secret_value(),
              "VITEC_INSTALLATION_ID": settings.vitec_installation_id}
    return [name for name, value in needed.items() if not value.strip()]


def configured() -> bool:
    return not missing_settings()


def base_url() -> str:
    settings = get_settings()
    return vitec.base_url(settings.vitec_hub_base_url, settings.vitec_environment)


def client(**options) -> VitecClient:
    settings = get_settings()
    return VitecClient(base_url(), settings.vitec_installation_id, settings.vitec_hub_product_login,
                       settings.vitec_hub_access_key.get_secret_value(), **options)


async def test_connection() -> list[str]:
    """Account/Methods: what this login may do. Raises VitecError (in words by its code)."""
    async with client(max_retries=1, max_wait=5.0, timeout=15.0) as hub:
        return await hub.methods()


def run(sync_run: SyncRun, progress: Progress) -> None:
    """The work of one run (runs.execute calls it)."""
    if not configured():
        raise SyncFailed("vitec.not_configured", "missing: " + ", ".join(missing_settings()))
    since = None
    if sync_run.incremental:
        last = runs.last_finished("vitec")
        last_full = _last_full()
        if last is not None and last.watermark is not None and last_full is not None and \
                clock.recent(last_full.started_at, FULL_EVERY):
            since = clock.utc(last.watermark)
    if since is None and sync_run.incremental:
        with db.session() as s:  # the run says what it does: a full one
            row = s.get(SyncRun, sync_run.id)
            row.incremental = False
            s.add(row)
            s.commit()
    started = utcnow()
    asyncio.run(_sync(progress, since))
    progress.watermark = _watermark(progress, since, started)


def _last_full() -> SyncRun | None:
    with db.session() as s:
        return s.exec(select(SyncRun).where(SyncRun.kind == "vitec", SyncRun.status == runs.DONE,
                                            SyncRun.incremental == False)  # noqa: E712
                      .order_by(col(SyncRun.id).desc()).limit(1)).first()


def _watermark(progress: Progress, since, started):
    """Where the next incremental run starts: before this run's start, unless a page of
    estates failed (then where this run started from, or none: a full run next)."""
    if any(e["what"].startswith("estates") for e in progress.errors):
        return since
    return started - WATERMARK_MARGIN


async def _sync(progress: Progress, since) -> None:
    async with client() as hub:
        try:
            departments = await hub.departments()
        except VitecError as exc:
            raise SyncFailed(exc.code, exc.detail) from None
        offices = sync_offices(departments, progress)
        await _pictures(hub, "office", offices.new_pictures, progress)
        try:
            staff = await hub.employees()
        except VitecError as exc:
            progress.error("employees", exc.detail)
        else:
            new_people = sync_employees(staff, offices.by_vitec_id, progress)
            await _pictures(hub, "employee", new_people, progress)
        await vitec_estates.sync(hub, offices.active_vitec_ids, offices.by_vitec_id, since, progress)


class OfficeResult:
    def __init__(self) -> None:
        self.by_vitec_id: dict[str, int] = {}
        self.active_vitec_ids: list[str] = []
        self.new_pictures: list[tuple[int, str]] = []  # (office id, department id)


def _unique_name(s, name: str, vitec_id: str, own_id: int | None) -> str:
    taken = s.exec(select(Office.id).where(Office.name == name)).first()
    return name if taken is None or taken == own_id else f"{name} ({vitec_id})"[:200]


def sync_offices(parsed: Parsed, progress: Progress) -> OfficeResult:
    """Departments into offices. A manual office of the same name is adopted (it becomes
    Vitec's); one that Vitec no longer lists is deactivated (never deleted)."""
    result = OfficeResult()
    progress.start_phase("offices", len(parsed.rows))
    for what, reason in parsed.skipped:
        progress.skip("offices", what, reason)
    now = utcnow()
    with db.session() as s:
        existing = {o.vitec_id: o for o in s.exec(select(Office).where(
            col(Office.vitec_id).is_not(None))).all()}
        for department in parsed.rows:
            office = existing.get(department.vitec_id)
            values = {"market_name": department.market_name, "email": department.email,
                      "phone": department.phone, "street_address": department.street_address,
                      "postal_code": department.postal_code, "city": department.city}
            if office is None:
                office = s.exec(select(Office).where(Office.name == department.name,
                                                     col(Office.vitec_id).is_(None))).first()
                adopted = office is not None
                if adopted:
                    office.vitec_id, office.source = department.vitec_id, OfficeSource.VITEC
                else:
                    office = Office(name=_unique_name(s, department.name, department.vitec_id, None),
                                    vitec_id=department.vitec_id, source=OfficeSource.VITEC)
                for key, value in values.items():
                    setattr(office, key, value)
                office.is_active, office.updated_at = True, now
                s.add(office)
                s.flush()
                progress.count("offices", "updated" if adopted else "created")
                result.new_pictures.append((office.id, department.vitec_id))
            else:
                name = _unique_name(s, department.name, department.vitec_id, office.id)
                wanted = {**values, "name": name, "is_active": True}
                if any(getattr(office, k) != v for k, v in wanted.items()):
                    for key, value in wanted.items():
                        setattr(office, key, value)
                    office.updated_at = now
                    s.add(office)
                    s.flush()
                    progress.count("offices", "updated")
                else:
                    progress.count("offices", "unchanged")
                if not office.has_picture:
                    result.new_pictures.append((office.id, department.vitec_id))
            result.by_vitec_id[department.vitec_id] = office.id
            result.active_vitec_ids.append(department.vitec_id)
        if parsed.rows:  # an empty answer is no reason to retire every office
            gone = [o for vid, o in existing.items() if vid not in result.by_vitec_id and o.is_active]
            for office in gone:
                office.is_active, office.updated_at = False, now
                s.add(office)
            progress.count("offices", "deactivated", len(gone))
        else:
            progress.error("offices", "Vitec listed no departments: nothing was deactivated")
        for vid, office in existing.items():
            result.by_vitec_id.setdefault(vid, office.id)
        s.commit()
    progress.step(len(parsed.rows))  # after the commit: the progress is written apart
    return result


EMPLOYEE_FIELDS = ("name", "title", "email", "mobile_phone", "work_phone", "positions",
                   "office_id", "is_active", "user_id")


def sync_employees(parsed: Parsed, offices: dict[str, int], progress: Progress) -> list[tuple[int, str]]:
    """Employees into staff, linked to users by e-mail; those no longer listed (or listed
    as inactive) are inactive. Returns (employee id, Vitec id) of those new in this run."""
    progress.start_phase("employees", len(parsed.rows))
    for what, reason in parsed.skipped:
        progress.skip("employees", what, reason)
    now = utcnow()
    created: list[tuple[int, str]] = []
    with db.session() as s:
        users = {email: (uid, office) for uid, email, office in s.exec(
            select(User.id, User.email, User.office_id)).all()}
        existing = {e.vitec_id: e for e in s.exec(select(Employee)).all()}
        seen: set[str] = set()
        place_users: dict[int, int] = {}
        for person in parsed.rows:
            if person.vitec_id in seen:
                progress.skip("employees", f"employee {person.vitec_id}", "listed twice")
                continue
            seen.add(person.vitec_id)
            office_id = next((offices[d] for d in person.department_ids if d in offices), None)
            user = users.get(person.email) if person.email else None
            values = {"name": person.name, "title": person.title, "email": person.email,
                      "mobile_phone": person.mobile_phone, "work_phone": person.work_phone,
                      "positions": list(person.positions), "office_id": office_id,
                      "is_active": person.active, "user_id": user[0] if user else None}
            if user is not None and user[1] is None and office_id is not None and person.active:
                place_users[user[0]] = office_id  # a user in no office joins their Vitec office
            row = existing.get(person.vitec_id)
            if row is None:
                row = Employee(vitec_id=person.vitec_id, **values)
                s.add(row)
                s.flush()
                created.append((row.id, person.vitec_id))
                progress.count("employees", "created")
            elif any(getattr(row, k) != v for k, v in values.items()):
                was_active = row.is_active
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = now
                s.add(row)
                progress.count("employees", "deactivated" if was_active and not person.active
                               else "updated")
            else:
                progress.count("employees", "unchanged")
        if parsed.rows:
            gone = [e for vid, e in existing.items() if vid not in seen and e.is_active]
            for row in gone:
                row.is_active, row.updated_at = False, now
                s.add(row)
            progress.count("employees", "deactivated", len(gone))
        for user_id, office_id in place_users.items():
            s.execute(update(User).where(col(User.id) == user_id, col(User.office_id).is_(None))
                      .values(office_id=office_id))
        s.commit()
    progress.step(len(parsed.rows))
    return created


async def _pictures(hub: VitecClient, kind: str, owners: list[tuple[int, str]],
                    progress: Progress) -> None:
    """Fetch the pictures of new offices or people, a few at a time; 404 = none."""
    if not owners:
        return
    progress.start_phase(f"{kind}_pictures", len(owners))
    gate = asyncio.Semaphore(PICTURE_CONCURRENCY)
    fetch = hub.employee_picture if kind == "employee" else hub.department_picture

    async def one(owner_id: int, vitec_id: str) -> None:
        async with gate:
            try:
                data = await fetch(vitec_id)
            except VitecError as exc:
                progress.error(f"picture of {kind} {vitec_id}", exc.detail)
                data = None
        if data is not None:
            pictures.store(kind, owner_id, data)
        progress.step()

    await asyncio.gather(*(one(owner_id, vitec_id) for owner_id, vitec_id in owners))
