"""Staff (Vitec's employees) as the pages show them: an admin sees every office's, an office
manager their own office's. An employee with no DokVault user is invited in one click:
their account gets their office, is linked to them, and the set-password link goes by mail
(or is shown to copy where DokVault sends no mail)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, or_, select

from dokvault import db
from dokvault.core.audit import Client
from dokvault.core.validation import Invalid
from dokvault.models import Employee, Office, Role, User
from dokvault.services import admin
from dokvault.services.access import Forbidden, managed_office
from dokvault.services.org import pictures

PAGE = 50


@dataclass
class StaffRow:
    id: int
    name: str
    title: str
    email: str
    phone: str
    office: str
    office_id: int | None
    active: bool
    has_picture: bool
    user_email: str  # the linked user's, "" when none
    can_invite: bool


def scope_office(actor: User | None, office_id: int | None) -> int | None:
    """The office an actor's staff list shows: any (None: all) for an admin; their own for
    an office manager; refused for anyone else."""
    if actor is None or not actor.is_active:
        raise Forbidden()
    if actor.role == Role.ADMIN:
        return office_id
    managed = managed_office(actor)
    if managed is None:
        raise Forbidden()
    return managed


def list_staff(actor: User | None, office_id: int | None = None, query: str = "",
               include_inactive: bool = False, page: int = 1) -> tuple[list[StaffRow], int]:
    office_id = scope_office(actor, office_id)
    conditions = []
    if office_id is not None:
        conditions.append(Employee.office_id == office_id)
    if not include_inactive:
        conditions.append(col(Employee.is_active).is_(True))
    if query.strip():
        needle = f"%{query.strip().lower()[:100]}%"
        conditions.append(or_(func.lower(Employee.name).like(needle), col(Employee.email).like(needle),
                              func.lower(Employee.title).like(needle)))
    with db.session() as s:
        total = s.exec(select(func.count()).select_from(Employee).where(*conditions)).one()
        rows = s.exec(select(Employee, Office.name, User.email)
                      .join(Office, col(Office.id) == col(Employee.office_id), isouter=True)
                      .join(User, col(User.id) == col(Employee.user_id), isouter=True)
                      .where(*conditions).order_by(col(Employee.name))
                      .offset(max(page - 1, 0) * PAGE).limit(PAGE)).all()
    return [StaffRow(e.id, e.name, e.title, e.email, e.mobile_phone or e.work_phone, office or "",
                     e.office_id, e.is_active, e.has_picture, user_email or "",
                     e.is_active and not user_email and bool(e.email))
            for e, office, user_email in rows], total


def invite_employee(actor: User | None, employee_id: int, lang: str = "nb",
                    client: Client = Client()) -> tuple[User, str | None]:
    """An account for an employee with no user: a broker in their office, linked to them.
    Returns (the user, the link to hand on when no mail leaves, else None)."""
    with db.session() as s:
        employee = s.get(Employee, employee_id)
    if employee is None:
        raise Forbidden("error.unknown_employee")
    scope = scope_office(actor, employee.office_id)
    if scope is not None and scope != employee.office_id:
        raise Forbidden()
    if employee.user_id is not None:
        raise Forbidden("error.employee_has_user")
    if not employee.email:
        raise Forbidden("error.employee_no_email")
    with db.session() as s:
        existing = s.exec(select(User).where(User.email == employee.email)).first()
    if existing is not None:  # already a user (made by hand): link them, no new account
        _link(employee.id, existing.id)
        raise Forbidden("error.employee_has_user")
    try:
        user = admin.create_invited(actor, employee.email, employee.name, Role.BROKER, lang,
                                    client, office_id=employee.office_id)
    except Invalid as exc:  # the staff page shows one message, not a form's fields
        raise Forbidden(exc.code) from exc
    _link(employee.id, user.id)
    link = None if admin.mail_delivers() else admin.users.link_for(actor, user, True, client)
    return user, link


def _link(employee_id: int, user_id: int) -> None:
    with db.session() as s:
        employee = s.get(Employee, employee_id)
        employee.user_id = user_id
        s.add(employee)
        s.commit()


def picture(kind: str, owner_id: int) -> bytes | None:
    """A person's or office's picture (names and faces are not secret inside the firm)."""
    return pictures.load(kind, owner_id)
