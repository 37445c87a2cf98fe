"""Notifications: one `notify` for every event, the in-app list and its unread count, each
person's choice per kind (in the app only, or by mail too), mails in the person's language
(text and HTML from templates), and no claim of a sent mail where none leaves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.models import Classification, Document, DocumentStatus, Notification, Role
from dokvault.models.base import utcnow
from dokvault.services import admin as admin_service
from dokvault.services import notify
from dokvault.services.admin import offices
from dokvault.services.auth import accounts
from dokvault.services.documents import processing
from tests import servers
from tests.unit.helpers import wait_until


@pytest.fixture
def smtp(clean_env, tmp_path, monkeypatch):
    """A capturing SMTP server (STARTTLS, AUTH) the mail transport is pointed at."""
    with servers.SmtpCapture(tmp_path / "smtp") as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        reset_caches()
        yield server


def _user(email: str, office_id: int | None = None, role: str = Role.BROKER):
    with db.session() as s:
        user = accounts.create_user(s, email, "megler passord 2024", role, email.split("@")[0].title())
        user.office_id = office_id
        s.add(user)
        s.commit()
        s.refresh(user)
        return user


def _document(owner, name: str = "Kjøpekontrakt.pdf", **values) -> Document:
    with db.session() as s:
        document = Document(owner_id=owner.id, name=name, ext=".pdf", content_type="application/pdf",
                            size=1, sha256="0" * 64, object_key=f"{owner.id}/x", office_id=owner.office_id,
                            **{"status": DocumentStatus.READY, **values})
        s.add(document)
        s.commit()
        s.refresh(document)
        return document


def _entries(user_id: int) -> list[Notification]:
    with db.session() as s:
        return list(s.exec(select(Notification).where(Notification.user_id == user_id)).all())


def test_sharing_with_the_office_tells_the_colleagues_once(smtp, admin):
    smtp_server = smtp
    bergen = offices.create_office(admin, "Bergen")
    kari, ola, per = (_user(e, bergen.id) for e in ("kari@example.no", "ola@example.no", "per@example.no"))
    solo = _user("solo@example.no")
    notify.set_mailed(per.id, "document_shared", False)  # Per: in the app only
    notify.set_language(ola.id, "en")
    document = _document(kari)
    offices.set_shared(kari, document, True)
    offices.set_shared(kari, document, True)  # again (a double click): told once
    assert [len(_entries(u.id)) for u in (kari, ola, per, solo)] == [0, 1, 1, 0]
    entry = notify.recent(ola.id)[0]
    assert entry.link == f"/documents/{document.uid}" and entry.unread
    assert entry.titles["nb"] == "Kari delte «Kjøpekontrakt.pdf» med Bergen"
    assert entry.titles["en"] == "Kari shared “Kjøpekontrakt.pdf” with Bergen"
    assert notify.unread_count(ola.id) == 1
    # Ola wants it by mail (the default), in English; Per does not.
    [message] = smtp_server.wait_for("ola@example.no")
    assert message.subject == "Kari shared “Kjøpekontrakt.pdf” with Bergen"
    assert f"/documents/{document.uid}" in message.text() and "<p>Hello Ola,</p>" in message.html()
    assert "/account/notifications" in message.text()
    assert smtp_server.to("per@example.no") == []

    def mailed():
        with db.session() as s:
            return s.get(Notification, entry.id).mailed_at
    assert wait_until(mailed)


def test_read_and_all_read_touch_only_ones_own(admin):
    kari, ola = _user("kari@example.no"), _user("ola@example.no")
    first, second = notify.notify([kari.id], "review_waiting", {"count": 3}, "/review")[0], \
        notify.notify([kari.id], "review_waiting", {"count": 4}, "/review")[0]
    assert notify.mark_read(ola.id, [first]) == 0  # not Ola's
    assert notify.mark_read(kari.id, [first]) == 1 and notify.unread_count(kari.id) == 1
    assert notify.mark_all_read(kari.id) == 1 and notify.unread_count(kari.id) == 0
    assert second


def test_the_uploader_hears_of_a_failed_document(admin):
    kari = _user("kari@example.no")
    document = _document(kari, "Skannet.png", status=DocumentStatus.PROCESSING)
    processing._mark_failed(document.id, "error.corrupt")
    [entry] = notify.recent(kari.id)
    assert entry.kind == "processing_failed" and entry.link == f"/documents/{document.uid}"
    assert "Skannet.png" in entry.titles["nb"]


def test_suggestions_waiting_over_a_day_make_one_daily_digest(admin):
    kari, ola = _user("kari@example.no"), _user("ola@example.no")
    old, new = _document(kari, "a.pdf"), _document(kari, "b.pdf")
    _document(ola, "c.pdf")
    with db.session() as s:
        s.add(Classification(document_id=old.id, provider="local", created_at=utcnow() - timedelta(days=2)))
        s.add(Classification(document_id=new.id, provider="local"))
        s.commit()
    assert notify.review_digest() == 2  # Kari (her own) and the admin (who may change all)
    [entry] = notify.recent(kari.id)
    assert entry.titles["en"] == "1 suggestions are waiting for review" and entry.link == "/review"
    assert notify.recent(ola.id) == []
    assert notify.review_digest() == 0  # not twice a day


def test_security_alerts_are_always_mailed(admin, stub_worker):
    kari = _user("kari@example.no")
    assert not notify.set_mailed(kari.id, "security_alert", False)
    assert "security_alert" in notify.choices(kari.id).mailed
    notify.security_alert(kari.id, "refresh_token_reuse", "10.0.0.1")
    assert [e.kind for e in notify.recent(kari.id)] == ["security_alert"]


def test_mails_are_rendered_in_the_persons_language_from_templates(admin):
    kari = _user("kari@example.no")
    [entry_id] = notify.notify([kari.id], "sync_failed", {"system": "vitec", "errors": 2},
                               "/admin/integrations")
    with db.session() as s:
        entry = s.get(Notification, entry_id)
    nb = notify.inbox.render_mail(entry, kari, "nb")
    en = notify.inbox.render_mail(entry, kari, "en")
    assert nb.subject == "Synkroniseringen med Vitec Megler ble ferdig med 2 feil"
    assert en.subject == "The sync with Vitec Megler finished with 2 errors"
    assert nb.html.startswith("<!doctype html>") and 'lang="nb"' in nb.html
    assert "http://localhost:3000/admin/integrations" in nb.text and "Hilsen DokVault" in nb.text


def test_html_in_a_value_is_escaped(admin):
    kari = _user("kari@example.no")
    [entry_id] = notify.notify([kari.id], "processing_failed", {"document": "<b>x</b>.pdf"}, "/")
    with db.session() as s:
        message = notify.inbox.render_mail(s.get(Notification, entry_id), kari, "nb")
    assert "<b>x</b>" not in message.html and "&lt;b&gt;x&lt;/b&gt;" in message.html


def test_without_a_mail_transport_invitations_give_the_link_instead(admin, stub_worker, caplog):
    assert not admin_service.mail_delivers()
    user = admin_service.invite_user(admin, "ny@example.no", "Ny", "broker")
    link = admin_service.set_password_link(admin, user.id, invitation=True)
    assert link.startswith("http://localhost:3000/reset-password?token=")
    assert "mail not sent" not in caplog.text  # no mail was queued to pretend


def test_with_a_mail_transport_invitations_are_mailed(smtp, admin):
    smtp_server = smtp
    assert admin_service.mail_delivers()
    admin_service.invite_user(admin, "ny@example.no", "Ny", "broker")
    assert smtp_server.wait_for("ny@example.no")[0].subject == "Du er invitert til DokVault"


@pytest.mark.parametrize("kind", notify.KINDS)
def test_every_kind_has_its_words(kind):
    values = {"document": "a.pdf", "by": "Kari", "office": "", "count": 2, "system": "teams",
              "errors": 1, "reason": "x"}
    for lang in ("nb", "en"):
        title, body = notify.inbox.words(lang, kind, values)
        assert title and body and "{" not in title + body
