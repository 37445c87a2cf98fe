"""Admin actions on users. Every function checks, on the server, that the actor is an
admin, and records the action in the audit log (a change with the values before and
after). An invited user is *pending* until they choose a password through the link; an
admin may resend the invitation or copy its link, and delete an account that owns no
documents."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete as sql_delete
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit, clock, jobs
from dokvault.core.audit import Client
from dokvault.core.validation import Checks, Invalid
from dokvault.integrations import mail
from dokvault.models import Document, Office, Role, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden, require_admin
from dokvault.services.auth import accounts, password_reset, sessions
from dokvault.services.notify.notifications import INVITATION_LIFETIME

MAX_NAME = 200


@dataclass
class UserView:
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    two_factor: bool
    last_login_at: str
    is_self: bool
    office_id: str  # "" when in no office (a select's value)
    pending: bool = False  # invited, no password chosen yet
    invited_at: str = ""


def list_users(actor: User | None) -> list[UserView]:
    actor = require_admin(actor)
    with db.session() as s:
        users = s.exec(select(User).order_by(col(User.email))).all()
    return [
        UserView(
            id=u.id, email=u.email, name=u.name, role=u.role, is_active=u.is_active,
            two_factor=u.totp_enabled_at is not None,
            last_login_at=clock.shown(u.last_login_at),
            is_self=u.id == actor.id,
            office_id=str(u.office_id or ""),
            pending=u.invited_at is not None,
            invited_at=clock.shown(u.invited_at),
        )
        for u in users
    ]


def _target(actor: User, user_id: int) -> User:
    if user_id == actor.id:  # no admin locks themselves out, so there is always one left
        raise Forbidden("error.not_on_yourself")
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None:
        raise Forbidden("error.unknown_user")
    return user


def set_role(actor: User | None, user_id: int, role: str, client: Client = Client()) -> None:
    actor = require_admin(actor)
    if role not in {r.value for r in Role}:
        raise Forbidden("error.unknown_role")
    user = _target(actor, user_id)
    if user.role == role:
        return
    with db.session() as s:
        row = s.get(User, user.id)
        row.role = role
        s.add(row)
        s.commit()
    audit.record("admin.role_changed", actor_id=actor.id, target_user_id=user.id, client=client,
                 old=user.role, new=role)


def set_active(actor: User | None, user_id: int, active: bool, client: Client = Client()) -> bool:
    """Activate or deactivate an account; False when it already was so (a double click):
    nothing changes and nothing is recorded."""
    actor = require_admin(actor)
    user = _target(actor, user_id)
    with db.session() as s:
        # One conditional UPDATE: of two clicks (or two admins) only one changes the row.
        changed = s.exec(update(User).where(col(User.id) == user.id,
                                            col(User.is_active) != active)
                         .values(is_active=active)).rowcount
        s.commit()
    if not changed:
        return False
    if not active:
        sessions.revoke_all(user.id)  # signed out everywhere at their next event
    audit.record("admin.user_activated" if active else "admin.user_deactivated",
                 actor_id=actor.id, target_user_id=user.id, client=client)
    return True


def mail_delivers() -> bool:
    """Whether mails really leave (else invitations and resets show their link to copy)."""
    return mail.delivers()


def invite_user(actor: User | None, email: str, name: str, role: str, lang: str = "nb",
                client: Client = Client(), office_id: int | None = None) -> User:
    """Create an account without a usable password and mail its owner a set-password link
    (when mail leaves; else the admin hands on the link, set_password_link)."""
    actor = require_admin(actor)
    return create_invited(actor, email, name, role, lang, client, office_id)


def create_invited(actor: User, email: str, name: str, role: str, lang: str = "nb",
                   client: Client = Client(), office_id: int | None = None) -> User:
    """invite_user for a caller that has checked the actor's right itself (an office
    manager inviting their office's staff, services/org)."""
    email = accounts.normalize_email(email)
    checks = Checks()
    if not accounts.EMAIL.match(email):
        checks.add("email", "error.invalid_email")
    if role not in {r.value for r in Role}:
        checks.add("role", "error.unknown_role")
    name = checks.run("name", _clean_name, name)
    checks.raise_if_any()
    with db.session() as s:
        if accounts.find_user(s, email):
            raise Invalid("error.email_taken", "email")
        # A random secret nobody knows: the invitee sets a password through the link.
        user = User(email=email, name=name, role=role, office_id=office_id, invited_at=utcnow(),
                    password_hash=accounts.password_hash.hash(secrets.token_urlsafe(32)))
        s.add(user)
        try:  # the unique e-mail: of two invitations at once, one account and one mail
            s.commit()
        except IntegrityError:
            s.rollback()
            raise Invalid("error.email_taken", "email") from None
        s.refresh(user)
    audit.record("admin.user_invited", actor_id=actor.id, target_user_id=user.id, client=client,
                 role=role, mailed=mail.delivers())
    if mail.delivers():
        jobs.send("send_notification", "invitation", user.id, lang)
    return user


def _clean_name(value: str) -> str:
    name = " ".join(str(value or "").split())
    if len(name) > MAX_NAME:
        raise Invalid("error.name_too_long", "name", max=MAX_NAME)
    return name


def update_user(actor: User | None, user_id: int, name: str, role: str, office_id: str,
                client: Client = Client()) -> User:
    """Change a user's name, role and office in one form (`office_id` "" = none). An admin
    keeps their own role. Audited with what changed, before and after."""
    actor = require_admin(actor)
    checks = Checks()
    name = checks.run("name", _clean_name, name)
    if role not in {r.value for r in Role}:
        checks.add("role", "error.unknown_role")
    office = int(office_id) if str(office_id or "").isdigit() else None
    if office_id and office is None:
        checks.add("office_id", "error.unknown_office")
    with db.session() as s:
        row = s.get(User, user_id)
        if row is None:
            raise Forbidden("error.unknown_user")
        if row.id == actor.id and role != row.role:
            checks.add("role", "error.not_on_yourself")
        if office is not None and s.get(Office, office) is None:
            checks.add("office_id", "error.unknown_office")
        checks.raise_if_any()
        before = {"name": row.name, "role": row.role, "office_id": row.office_id}
        row.name, row.role, row.office_id = name, role, office
        s.add(row)
        s.commit()
    audit.record_change("admin.user_changed", before,
                        {"name": name, "role": role, "office_id": office},
                        actor_id=actor.id, target_user_id=user_id, client=client)
    return row


def delete_user(actor: User | None, user_id: int, client: Client = Client()) -> str:
    """Delete an account that owns no documents (a pending invitation, a mistake); one that
    does is deactivated instead (its documents keep their owner). Returns its e-mail.
    Once: a second call finds it gone (Forbidden "error.unknown_user")."""
    actor = require_admin(actor)
    user = _target(actor, user_id)
    with db.session() as s:
        owned = s.exec(select(func.count()).select_from(Document)
                       .where(Document.owner_id == user.id)).one()
        if owned:
            raise Forbidden("error.user_has_documents")
        gone = s.exec(sql_delete(User).where(col(User.id) == user.id)).rowcount
        s.commit()
    if not gone:
        raise Forbidden("error.unknown_user")
    audit.record("admin.user_deleted", actor_id=actor.id, target_user_id=user.id, client=client,
                 email=user.email, role=user.role, pending=user.invited_at is not None)
    return user.email


def _pending(actor: User, user_id: int) -> User:
    user = _target(actor, user_id)
    if user.invited_at is None or not user.is_active:
        raise Forbidden("error.not_pending")
    return user


def resend_invitation(actor: User | None, user_id: int, lang: str = "nb",
                      client: Client = Client()) -> User:
    """Mail a pending invitee a new set-password link (the old one stays valid); where no
    mail leaves, the admin copies the link instead (invitation_link)."""
    actor = require_admin(actor)
    user = _pending(actor, user_id)
    if not mail.delivers():
        raise Forbidden("error.no_mail_transport")
    audit.record("admin.invitation_resent", actor_id=actor.id, target_user_id=user.id,
                 client=client)
    jobs.send("send_notification", "invitation", user.id, lang)
    return user


def invitation_link(actor: User | None, user_id: int, client: Client = Client()) -> str:
    """A fresh set-password link for a pending invitee, for the admin to pass on by another
    way (valid seven days, single use). Audited (without the link)."""
    actor = require_admin(actor)
    user = _pending(actor, user_id)
    link = password_reset.reset_link(user, INVITATION_LIFETIME)
    audit.record("admin.invitation_link_copied", actor_id=actor.id, target_user_id=user.id,
                 client=client)
    return link


def emails_by_id() -> dict[int, str]:
    with db.session() as s:
        return dict(s.exec(select(User.id, User.email)).all())


def set_password_link(actor: User | None, user_id: int, invitation: bool = False,
                      client: Client = Client()) -> str:
    """A set-password link for an admin to hand on (copy) where DokVault sends no mail:
    seven days for an invitation, an hour for a reset. Audited; the link is never logged."""
    actor = require_admin(actor)
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None or not user.is_active:
        raise Forbidden("error.unknown_user")
    return link_for(actor, user, invitation, client)


def link_for(actor: User, user: User, invitation: bool, client: Client = Client()) -> str:
    """set_password_link for a caller that has checked the actor's right itself."""
    audit.record("admin.password_link_made", actor_id=actor.id, target_user_id=user.id,
                 client=client, invitation=invitation)
    return password_reset.reset_link(user, INVITATION_LIFETIME if invitation else password_reset.LIFETIME)
