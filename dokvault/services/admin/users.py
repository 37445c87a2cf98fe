"""Admin actions on users. Every function checks, on the server, that the actor is an
admin, and records the action in the audit log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from dokvault import db
from dokvault.core import audit, clock, jobs
from dokvault.core.audit import Client
from dokvault.integrations import mail
from dokvault.models import Role, User
from dokvault.services.access import Forbidden, require_admin
from dokvault.services.auth import accounts, password_reset, sessions
from dokvault.services.notify.notifications import INVITATION_LIFETIME


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
    if role not in {r.value for r in Role}:
        raise Forbidden("error.unknown_role")
    email = accounts.normalize_email(email)
    if not accounts.EMAIL.match(email):
        raise Forbidden("error.invalid_email")
    with db.session() as s:
        if accounts.find_user(s, email):
            raise Forbidden("error.email_taken")
        # A random secret nobody knows: the invitee sets a password through the link.
        user = User(email=email, name=name.strip()[:200], role=role, office_id=office_id,
                    password_hash=accounts.password_hash.hash(secrets.token_urlsafe(32)))
        s.add(user)
        try:  # the unique e-mail: of two invitations at once, one account and one mail
            s.commit()
        except IntegrityError:
            s.rollback()
            raise Forbidden("error.email_taken") from None
        s.refresh(user)
    audit.record("admin.user_invited", actor_id=actor.id, target_user_id=user.id, client=client,
                 role=role, mailed=mail.delivers())
    if mail.delivers():
        jobs.send("send_notification", "invitation", user.id, lang)
    return user


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


def emails_by_id() -> dict[int, str]:
    with db.session() as s:
        return dict(s.exec(select(User.id, User.email)).all())
