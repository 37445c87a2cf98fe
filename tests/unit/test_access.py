"""The visibility rule has one home (services/access.py) and three forms: a SQL expression
for the ORM, a raw WHERE fragment for search and suggestions, and the reader keys (and
office, for an office manager) of PostgreSQL's search table. They must agree, for every
kind of reader: admin, broker with and without an office, office manager."""

from __future__ import annotations

import itertools

from sqlalchemy import text
from sqlmodel import col, select

from dokvault import db
from dokvault.models import Document, DocumentShare, Role, User
from dokvault.models.base import utcnow
from dokvault.services import access
from dokvault.services.admin import offices
from dokvault.services.auth import accounts


def _user(email: str, role: str = Role.BROKER) -> User:
    with db.session() as s:
        return accounts.create_user(s, email, "megler passord 2024", role)


def _reload(user: User) -> User:
    with db.session() as s:
        return s.get(User, user.id)


def _documents(owners: list[User], offices: list[int | None]) -> None:
    """Every combination of owner, office it belongs to, shared with the owner's office or
    not, trashed or not."""
    with db.session() as s:
        for n, (owner, office, shared, trashed) in enumerate(
                itertools.product(owners, offices, (False, True), (False, True))):
            s.add(Document(owner_id=owner.id, name=f"d{n}.txt", ext=".txt", content_type="text/plain",
                           size=1, sha256=f"{n:064x}", object_key=f"{owner.id}/{n}",
                           office_id=office, shared_office_id=owner.office_id if shared else None,
                           deleted_at=utcnow() if trashed else None))
        s.commit()


def _shares(people: list[User], office_ids: list[int]) -> dict[int, set[int]]:
    """Every third document shared with a person, every fourth with an office (share rows,
    models.sharing); the search table's keys each share adds (user id, minus office id)."""
    keys: dict[int, set[int]] = {}
    with db.session() as s:
        for n, document in enumerate(s.exec(select(Document).order_by(Document.id)).all()):
            if n % 3 == 0:
                reader = people[n % len(people)]
                if reader.id != document.owner_id:
                    s.add(DocumentShare(document_id=document.id, user_id=reader.id))
                    keys.setdefault(document.id, set()).add(reader.id)
            if n % 4 == 0:
                office = office_ids[n % len(office_ids)]
                s.add(DocumentShare(document_id=document.id, office_id=office))
                keys.setdefault(document.id, set()).add(-office)
        s.commit()
    return keys


def _by_index(d: Document, user: User, shared_keys: dict[int, set[int]]) -> bool:
    """access.search_index_sql as PostgreSQL's search table answers it: the readers (owner,
    minus the office shared with, the shares' keys: migrations 0008, 0017) and the office
    (0013)."""
    keys = access.reader_keys(user)
    readers = [d.owner_id] + ([-d.shared_office_id] if d.shared_office_id else [])
    readers += shared_keys.get(d.id, set())
    managed = access.managed_office(user)
    return bool(set(keys) & set(readers)) or (managed is not None and d.office_id == managed)


def test_the_sql_and_python_forms_of_visibility_agree(admin):
    strandkaien = offices.create_office(admin, "Strandkaien")
    sentrum = offices.create_office(admin, "Sentrum")
    kari, ola, per, solo = (_user(e) for e in ("kari@example.no", "ola@example.no",
                                               "per@example.no", "solo@example.no"))
    manager = _user("leder@example.no", Role.OFFICE_MANAGER)
    homeless_manager = _user("leder2@example.no", Role.OFFICE_MANAGER)
    for person, office in ((kari, strandkaien), (ola, strandkaien), (per, sentrum),
                           (manager, strandkaien)):
        offices.assign_user(admin, person.id, office.id)
    readers = [_reload(u) for u in (admin, kari, ola, per, solo, manager, homeless_manager)]
    _documents(readers[1:5], [None, strandkaien.id, sentrum.id])
    shared_keys = _shares(readers[1:5], [strandkaien.id, sentrum.id])

    with db.session() as s:
        for reader in readers:
            orm = set(s.exec(select(Document.id).where(access.visible_to(reader),
                                                       col(Document.deleted_at).is_(None))).all())
            where, params = access.visible_sql(reader)
            raw = {row[0] for row in s.execute(
                text(f"SELECT d.id FROM document d WHERE {where}"), params)}  # noqa: S608
            assert orm == raw, reader.email
            scope = access.search_index_sql(reader)
            if scope is not None:  # the search table's readers and office, as its index answers
                by_index = {d.id for d in s.exec(select(Document)).all() if d.deleted_at is None
                            and _by_index(d, reader, shared_keys)}
                assert by_index == raw, reader.email
                assert ("d.office_id" in scope[0]) == (access.managed_office(reader) is not None)
        # What the rule means, spelled out once: Ola reads Kari's shared, untrashed document.
        shared_by_kari = {d.id for d in s.exec(select(Document).where(
            Document.owner_id == kari.id, col(Document.shared_office_id).is_not(None),
            col(Document.deleted_at).is_(None))).all()}
        ola_sees = set(s.exec(select(Document.id).where(access.visible_to(_reload(ola)))).all())
        assert shared_by_kari <= ola_sees
        per_sees = set(s.exec(select(Document.id).where(access.visible_to(_reload(per)))).all())
        assert not shared_by_kari - set(shared_keys) & per_sees
        # The office manager of Strandkaien: every untrashed document of the office, whoever
        # owns it and whether or not it is shared; nothing of Sentrum that is not shared.
        office_docs = {d.id for d in s.exec(select(Document).where(
            Document.office_id == strandkaien.id, col(Document.deleted_at).is_(None))).all()}
        manager_sees = set(s.exec(select(Document.id).where(access.visible_to(_reload(manager)))).all())
        assert office_docs <= manager_sees
        sentrum_private = {d.id for d in s.exec(select(Document).where(
            Document.office_id == sentrum.id, Document.owner_id != manager.id,
            col(Document.shared_office_id).is_(None))).all()}
        assert not (sentrum_private - set(shared_keys)) & manager_sees
        # ... and may change them (trash, office, assignment), but not Sentrum's.
        changeable = set(s.exec(select(Document.id).where(access.changeable_by(_reload(manager)))).all())
        assert office_docs <= changeable and not sentrum_private & changeable
        # An office manager without an office is a broker.
        assert access.managed_office(_reload(homeless_manager)) is None
        # Shared with Solveig (no office) by a share row: hers to read, unless trashed.
        to_solo = {d for d, k in shared_keys.items() if solo.id in k}
        solo_sees = set(s.exec(select(Document.id).where(access.visible_to(_reload(solo)))).all())
        live = set(s.exec(select(Document.id).where(col(Document.deleted_at).is_(None))).all())
        assert to_solo and to_solo & live <= solo_sees and not (to_solo - live) & solo_sees


def test_the_share_clause_is_cached_with_each_readers_own_values():
    """SQLAlchemy caches the compiled rule; the share clause's values (who is reading) must
    travel as parameters of the cached statement, never be baked into it."""
    first, second = (User(id=n, email=f"{n}@example.no", password_hash="x", office_id=n + 10)
                     for n in (1, 2))
    keys = [select(Document.id).where(access.visible_to(u))._generate_cache_key()
            for u in (first, second)]
    assert keys[0] is not None and keys[0].key == keys[1].key  # one compiled statement
    assert [p.value for p in keys[0].bindparams] != [p.value for p in keys[1].bindparams]
    assert {2, 12} <= {p.value for p in keys[1].bindparams}
