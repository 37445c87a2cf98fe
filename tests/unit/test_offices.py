"""Offices and sharing: a document is visible to its owner, to the owner's office once
shared with it, and to admins; only the owner (or an admin) changes or shares it."""

from __future__ import annotations

import json

import pytest

from dokvault import db
from dokvault.core import audit
from dokvault.core.validation import Invalid
from dokvault.models import Role, User
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.auth import accounts
from tests.samples import SALGSOPPGAVE, TAKST, make_text
from tests.unit.helpers import wait_final


def user(email: str) -> User:
    with db.session() as s:
        return accounts.create_user(s, email, "megler passord 2024", Role.BROKER)


def reload(u: User) -> User:
    with db.session() as s:
        return s.get(User, u.id)


@pytest.fixture
def brokerage(admin):
    """Two brokers at Strandkaien, one at Sentrum; Kari's sales brief is not yet shared."""
    strandkaien = offices.create_office(admin, "  Strandkaien   Stavanger ")
    sentrum = offices.create_office(admin, "Sentrum Bergen")
    kari, ola, per = user("kari@example.no"), user("ola@example.no"), user("per@example.no")
    offices.assign_user(admin, kari.id, strandkaien.id)
    offices.assign_user(admin, ola.id, strandkaien.id)
    offices.assign_user(admin, per.id, sentrum.id)
    return strandkaien, reload(kari), reload(ola), reload(per)


def test_admins_create_offices_and_place_users(admin, brokerage):
    strandkaien, kari, _, _ = brokerage
    assert strandkaien.name == "Strandkaien Stavanger"  # spaces tidied
    assert [(o.name, o.members) for o in offices.list_offices()] == [
        ("Sentrum Bergen", 1), ("Strandkaien Stavanger", 2)]
    with pytest.raises(Invalid, match="error.office_exists") as taken:
        offices.create_office(admin, "Strandkaien Stavanger")
    assert taken.value.field == "name"  # shown beside the name
    with pytest.raises(Invalid, match="error.office_name_missing"):
        offices.create_office(admin, "   ")
    with pytest.raises(Forbidden, match="error.unknown_office"):
        offices.assign_user(admin, kari.id, 999)
    kinds = [e.kind for e in audit.search_events()[0]]
    assert kinds.count("admin.office_created") == 2 and kinds.count("admin.office_assigned") == 3


def test_rename_deactivate_and_merge_are_audited_before_and_after(admin, brokerage):
    strandkaien, kari, _, per = brokerage
    sentrum = next(o for o in offices.list_offices() if o.name == "Sentrum Bergen")
    with pytest.raises(Invalid) as taken:
        offices.rename_office(admin, strandkaien.id, "Sentrum Bergen")
    assert (taken.value.field, taken.value.code) == ("name", "error.office_exists")
    assert offices.rename_office(admin, strandkaien.id, "Strandkaien")
    assert not offices.rename_office(admin, strandkaien.id, "Strandkaien")  # nothing changed
    assert offices.set_office_active(admin, strandkaien.id, False)
    with pytest.raises(Invalid) as none:
        offices.merge_offices(admin, strandkaien.id, 0)
    assert (none.value.field, none.value.code) == ("target", "error.office_merge_target")
    assert offices.merge_offices(admin, strandkaien.id, sentrum.id)["users"] == 2
    assert reload(kari).office_id == sentrum.id == reload(per).office_id
    entries = {e.kind: json.loads(e.detail) for e in audit.search_events(kind="admin.office_")[0]}
    renamed, merged = entries["admin.office_renamed"], entries["admin.office_merged"]
    deactivated = entries["admin.office_deactivated"]
    assert (renamed["before"], renamed["after"]) == ({"name": "Strandkaien Stavanger"},
                                                     {"name": "Strandkaien"})
    assert (deactivated["before"], deactivated["after"]) == ({"active": True}, {"active": False})
    assert (merged["before"], merged["after"]) == ({"office": "Strandkaien"},
                                                   {"office": "Sentrum Bergen"})


def test_a_broker_cannot_manage_offices(brokerage):
    strandkaien, kari, ola, _ = brokerage
    with pytest.raises(Forbidden):
        offices.create_office(kari, "Kari's own office")
    with pytest.raises(Forbidden):
        offices.assign_user(kari, ola.id, None)
    assert reload(ola).office_id == strandkaien.id
    assert audit.search_events(kind="admin.refused")[1] == 2


def test_sharing_reaches_the_office_and_no_one_else(admin, brokerage, tmp_path):
    _, kari, ola, per = brokerage
    doc = wait_final(documents.ingest_path(kari.id, make_text(tmp_path / "brief.txt",
                                                              SALGSOPPGAVE)).id)
    uid = str(doc.uid)
    for colleague in (ola, per):  # not shared yet: only Kari (and admins)
        assert documents.get_document(colleague, uid) is None
        assert documents.list_documents(colleague) == ([], 0)
        assert documents.search_documents(colleague, "Strandkaien") == ([], 0)

    offices.set_shared(kari, doc, True)
    rows, total = documents.list_documents(ola)
    assert total == 1 and rows[0].uid == uid and rows[0].shared
    assert documents.get_document(ola, uid) is not None
    assert documents.search_documents(ola, "Strandkaien")[1] == 1
    assert documents.get_document(per, uid) is None  # another office
    assert documents.search_documents(per, "Strandkaien") == ([], 0)

    # A colleague reads; only the owner or an admin changes or shares.
    assert documents.trash_document(ola, uid) is None
    assert documents.delete_forever(ola, uid) is False
    with pytest.raises(Forbidden):
        offices.set_shared(ola, documents.get_document(ola, uid), False)
    documents.trash_document(kari, uid)
    assert documents.list_documents(ola, trashed=True) == ([], 0)  # a trash is one's own
    assert documents.list_documents(ola) == ([], 0)
    documents.restore_document(kari, uid)

    offices.set_shared(kari, doc, False)
    assert documents.get_document(ola, uid) is None
    shares = [e.kind for e in audit.search_events(kind="document.")[0] if "shared" in e.kind]
    assert shares[:2] == ["document.unshared", "document.shared"]


def test_sharing_needs_an_office_and_an_owner(admin, broker_user, tmp_path):
    doc = wait_final(documents.ingest_path(broker_user.id,
                                           make_text(tmp_path / "takst.txt", TAKST)).id)
    with pytest.raises(Forbidden, match="error.no_office"):
        offices.set_shared(broker_user, doc, True)
    assert documents.get_document(broker_user, str(doc.uid)).shared_office_id is None


def test_a_shared_document_stays_with_its_office_when_the_owner_moves(admin, brokerage,
                                                                        tmp_path):
    strandkaien, kari, ola, per = brokerage
    doc = wait_final(documents.ingest_path(kari.id, make_text(tmp_path / "brief.txt",
                                                              SALGSOPPGAVE)).id)
    offices.set_shared(kari, doc, True)
    offices.assign_user(admin, kari.id, per.office_id)
    assert documents.get_document(ola, str(doc.uid)) is not None
    assert offices.owner_office_id(documents.get_document(kari, str(doc.uid))) == strandkaien.id
