"""An admin invites a user by mail: the account exists without a usable password until the
invitee chooses one through the single-use link (valid for seven days)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.test_mail_password_reset import token_from, wait_for_email_queue

pytestmark = pytest.mark.integration
INVITEE = "ny.megler@example.no"
PASSWORD = "Strandkaien-14-Stavanger"


def test_invited_user_chooses_a_password_through_the_mail(admin, mail_configured, stub_worker):
    from dokvault import db
    from dokvault.core import audit
    from dokvault.models import Role
    from dokvault.models.base import utcnow
    from dokvault.services import admin as admin_service
    from dokvault.services.auth import accounts, password_reset

    user = admin_service.invite_user(admin, INVITEE, "Ny Megler", Role.OFFICE_MANAGER, "nb")
    wait_for_email_queue(stub_worker)
    [mail] = mail_configured.wait_for(INVITEE)
    assert mail.subject == "Du er invitert til DokVault"
    assert "sju dager" in mail.text()
    token = token_from(mail)
    claims = password_reset._decode(token)
    assert timedelta(days=6, hours=23) < (
        claims["exp"] - utcnow().timestamp()) * timedelta(seconds=1) <= timedelta(days=7)

    with db.session() as s:  # no password works before the invitee chooses one
        assert accounts.authenticate(s, INVITEE, "") is None
    password_reset.reset_password(token, PASSWORD)
    with db.session() as s:
        signed_in = accounts.authenticate(s, INVITEE, PASSWORD)
    assert signed_in is not None and signed_in.id == user.id and signed_in.role == "office_manager"
    with pytest.raises(password_reset.ResetRefused):
        password_reset.reset_password(token, "Enda-et-nytt-passord-2026")
    assert audit.search_events(kind="admin.user_invited")[1] == 1


def test_only_admins_invite_and_no_address_twice(admin, mail_configured, stub_worker):
    from dokvault import db
    from dokvault.core.validation import Invalid
    from dokvault.models import Role
    from dokvault.services import admin as admin_service
    from dokvault.services.auth import accounts

    with db.session() as s:
        broker = accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)
    with pytest.raises(admin_service.Forbidden):
        admin_service.invite_user(broker, INVITEE, "", Role.ADMIN)
    with pytest.raises(Invalid) as taken:  # shown beside the e-mail field
        admin_service.invite_user(admin, "megler@example.no", "", Role.BROKER)
    assert taken.value.errors["email"].code == "error.email_taken"
    with pytest.raises(Invalid) as bad:
        admin_service.invite_user(admin, "not an address", "", Role.BROKER)
    assert bad.value.errors["email"].code == "error.invalid_email"
    wait_for_email_queue(stub_worker)
    assert mail_configured.messages == []
