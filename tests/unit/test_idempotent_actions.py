"""A double click acts once: done a second time, an action finds its work done and changes
nothing and records nothing: accepting a review, trash and restore, delete-forever,
(de)activating and inviting a user, signing the other sessions out, enrolling in 2FA and
taxonomy edits. (The pages' own checks: test_idempotent_pages.py.)"""

from __future__ import annotations

import pyotp
import pytest
from sqlmodel import func, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.validation import Invalid
from dokvault.models import AuditEvent, BackupCode, Document, ReviewRecord, User
from dokvault.services import documents
from dokvault.services.admin import users as admin_users
from dokvault.services.auth import accounts, sessions, two_factor
from dokvault.services.auth.two_factor import TwoFactorError
from dokvault.services.intelligence import review, taxonomy_admin
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError
from dokvault.state import busy
from tests.samples import ENERGIATTEST, make_text
from tests.unit.helpers import wait_final
from tests.unit.test_review import wait_classified
from tests.unit.test_two_factor import steady


def _count(model, *where) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_accept_all_twice_decides_once(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "e.txt", ENERGIATTEST)).id)
    wait_classified(doc.id)
    assert review.accept_all(admin, str(doc.uid))
    records = _count(ReviewRecord, ReviewRecord.document_id == doc.id)
    audits = _count(AuditEvent, AuditEvent.kind == "document.reviewed")
    assert records > 0 and audits == 1
    assert review.accept_all(admin, str(doc.uid))  # the second click: done already, no error
    assert _count(ReviewRecord, ReviewRecord.document_id == doc.id) == records
    assert _count(AuditEvent, AuditEvent.kind == "document.reviewed") == 1


def test_trash_and_restore_twice_change_once(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "t.txt", "tekst")).id)
    first = documents.trash_document(admin, str(doc.uid))
    assert first is not None and first.deleted_at is not None
    again = documents.trash_document(admin, str(doc.uid))
    assert again is not None  # a no-op, not a refusal
    with db.session() as s:
        row = s.get(Document, doc.id)
    assert (row.deleted_at, row.updated_at) == (first.deleted_at, first.updated_at)
    assert documents.restore_document(admin, str(doc.uid)).deleted_at is None
    restored = documents.restore_document(admin, str(doc.uid))
    assert restored is not None and restored.deleted_at is None


def _kind(kind: str) -> int:
    return audit.search_events(kind=kind)[1]


def test_delete_forever_twice_deletes_once(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "d.txt", "tekst")).id)
    documents.trash_document(admin, str(doc.uid))
    assert documents.delete_forever(admin, str(doc.uid))
    assert documents.delete_forever(admin, str(doc.uid)) is False  # gone: nothing to do
    assert _count(Document, Document.id == doc.id) == 0


def test_deactivating_twice_changes_and_records_once(admin, broker_user):
    assert admin_users.set_active(admin, broker_user.id, False)
    assert admin_users.set_active(admin, broker_user.id, False) is False
    assert _kind("admin.user_deactivated") == 1
    assert admin_users.set_active(admin, broker_user.id, True)
    assert admin_users.set_active(admin, broker_user.id, True) is False
    assert _kind("admin.user_activated") == 1


def test_inviting_twice_makes_one_account(admin):
    admin_users.invite_user(admin, "ny@example.no", "Ny", "broker")
    with pytest.raises(Invalid) as refused:
        admin_users.invite_user(admin, "ny@example.no", "Ny", "broker")
    assert refused.value.errors["email"].code == "error.email_taken"
    assert _count(User, User.email == "ny@example.no") == 1
    assert _kind("admin.user_invited") == 1


def test_signing_out_the_others_twice_records_once(admin):
    with db.session() as s:
        mine = accounts.open_session(s, admin, "this browser")
        accounts.open_session(s, admin, "the phone")
    assert sessions.revoke_others(admin, mine) == 1
    assert sessions.revoke_others(admin, mine) == 0
    assert _kind("auth.session.revoked_others") == 1


def test_confirming_enrolment_twice_enables_once(admin):
    secret = two_factor.start_enrolment(admin).secret
    steady()
    codes = two_factor.confirm_enrolment(admin, pyotp.TOTP(secret).now())
    hashes = {c.code_hash for c in _backup_codes(admin)}
    with pytest.raises(TwoFactorError) as refused:  # the same code again, or the next one
        two_factor.confirm_enrolment(admin, pyotp.TOTP(secret).now())
    assert refused.value.code == "error.2fa_already_on"
    assert len(codes) == 10 and {c.code_hash for c in _backup_codes(admin)} == hashes
    assert _kind("auth.2fa.enrolled") == 1


def test_taxonomy_edits_twice_record_once(admin):
    created = taxonomy_admin.create_type(admin, "Leieavtale")
    with pytest.raises(TaxonomyError) as refused:
        taxonomy_admin.create_type(admin, "Leieavtale")
    assert refused.value.code == "error.type_exists"
    taxonomy_admin.update_type(admin, created.id, "Leiekontrakt")
    taxonomy_admin.update_type(admin, created.id, "Leiekontrakt")  # nothing left to change
    taxonomy_admin.delete_type(admin, created.id)
    with pytest.raises(TaxonomyError):
        taxonomy_admin.delete_type(admin, created.id)
    assert [_kind(f"admin.type_{k}") for k in ("created", "updated", "deleted")] == [1, 1, 1]


def test_a_repeat_is_the_same_submission_at_once():
    sent = busy.fingerprint("a", "hemmelig passord")
    assert sent != busy.fingerprint("a", "c") and "hemmelig" not in sent
    last = busy.stamp(sent, now=1000.0)
    assert busy.is_repeat(last, sent, now=1000.5)
    assert not busy.is_repeat(last, sent, now=1000.0 + busy.REPEAT_SECONDS + 1)
    assert not busy.is_repeat(last, busy.fingerprint("a", "c"), now=1000.5)
    assert not busy.is_repeat("", sent)


def _backup_codes(user: User) -> list[BackupCode]:
    with db.session() as s:
        return list(s.exec(select(BackupCode).where(BackupCode.user_id == user.id)).all())
