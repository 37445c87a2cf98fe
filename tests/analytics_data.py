"""A small brokerage with documents at known times, for the analytics tests on SQLite and
PostgreSQL alike (times chosen around Oslo's midnight, week and month turns, summer time).

Strandkaien: Kari and Ola (brokers), Mona (office manager); Sentrum: Per. Kari shares one
takst with the office; one of hers is in the trash."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from dokvault import db
from dokvault.models import (
    AuditEvent,
    Classification,
    Document,
    DocumentType,
    Office,
    QueueSample,
    ReviewRecord,
    Role,
    StageTiming,
    User,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass
class Firm:
    admin: User
    kari: User
    ola: User
    per: User
    mona: User
    strandkaien: int
    sentrum: int
    takst: int
    kontrakt: int
    docs: dict[str, int]


def _user(s, email: str, role: Role, office_id: int | None, name: str) -> User:
    user = User(email=email, name=name, password_hash="-", role=role, office_id=office_id)
    s.add(user)
    s.flush()
    return user


def _type(s, name: str) -> int:
    found = s.query(DocumentType).filter(DocumentType.name == name).first()
    if found is None:
        found = DocumentType(name=name)
        s.add(found)
        s.flush()
    return found.id


def build(admin: User) -> Firm:
    with db.session() as s:
        strandkaien, sentrum = Office(name="Strandkaien"), Office(name="Sentrum")
        s.add_all([strandkaien, sentrum])
        s.flush()
        kari = _user(s, "kari@example.no", Role.BROKER, strandkaien.id, "Kari Nordmann")
        ola = _user(s, "ola@example.no", Role.BROKER, strandkaien.id, "Ola Hansen")
        per = _user(s, "per@example.no", Role.BROKER, sentrum.id, "Per Olsen")
        mona = _user(s, "mona@example.no", Role.OFFICE_MANAGER, strandkaien.id, "Mona Leder")
        takst, kontrakt = _type(s, "Takst/Verdivurdering"), _type(s, "Kjøpekontrakt")
        docs: dict[str, int] = {}

        def doc(key: str, owner: User, at: datetime, size: int, type_id: int | None,
                **extra) -> None:
            d = Document(uid=uuid.uuid4(), owner_id=owner.id, office_id=owner.office_id,
                         name=f"{key}.pdf", ext=".pdf", size=size, sha256=f"{len(docs):064x}",
                         object_key=f"{owner.id}/{key}.pdf", document_type_id=type_id,
                         created_at=at, updated_at=at, **{"status": "ready", **extra})
            s.add(d)
            s.flush()
            docs[key] = d.id

        # Monday 5 January 2026, 09:00 in Oslo
        doc("kari1", kari, utc(2026, 1, 5, 8), 1000, takst, shared_office_id=strandkaien.id)
        doc("kari2", kari, utc(2026, 1, 6, 8), 1000, takst)
        doc("kari3", kari, utc(2026, 1, 12, 8), 1000, takst, status="failed", error="error.corrupt_pdf")
        doc("kari_trash", kari, utc(2026, 1, 12, 9), 5000, takst, deleted_at=utc(2026, 1, 13))
        # 23:30 UTC on Monday the 5th is 00:30 on Tuesday the 6th in Oslo
        doc("ola1", ola, utc(2026, 1, 5, 23, 30), 2000, kontrakt)
        doc("ola2", ola, utc(2026, 2, 2, 10), 2000, kontrakt, status="processing")
        # 22:30 UTC on Sunday 4 January is 23:30 that Sunday in Oslo: the week of 29 December
        doc("per1", per, utc(2026, 1, 4, 22, 30), 4000, None)
        # 22:30 UTC on 31 July is 00:30 on 1 August in Oslo (summer time, UTC+2)
        doc("admin1", admin, utc(2026, 7, 31, 22, 30), 8000, takst)

        # Stage timings: Kari's extraction 100..1000 ms in January; Per's OCR
        for i in range(10):
            s.add(StageTiming(stage="extraction", document_id=docs["kari1"],
                              recorded_at=utc(2026, 1, 7, 10, i), duration_ms=(i + 1) * 100))
        s.add(StageTiming(stage="ocr", document_id=docs["per1"], recorded_at=utc(2026, 1, 7, 11),
                          duration_ms=30000))
        for minute, depth in ((0, 3), (2, 9), (4, 1)):
            s.add(QueueSample(sampled_at=utc(2026, 1, 7, 12, minute), queue="documents", depth=depth))
        s.add(QueueSample(sampled_at=utc(2026, 1, 7, 12, 0), queue="ai", depth=2))

        # Reviews: local model, 3 of 4 fields kept (January); openai, 1 of 2 (February)
        for key, provider in (("kari1", "local"), ("ola1", "openai")):
            s.add(Classification(document_id=docs[key], provider=provider, suggestion=json.dumps({}),
                                 confidence=0.4, reviewed_at=utc(2026, 1, 8)))
        s.add(Classification(document_id=docs["kari2"], provider="local", suggestion=json.dumps(
            {"document_type": "Takst/Verdivurdering"}), confidence=0.3))
        for field, accepted in (("type", True), ("tags", True), ("title", False), ("field:address", True)):
            s.add(ReviewRecord(document_id=docs["kari1"], user_id=kari.id, provider="local",
                               field=field, accepted=accepted, created_at=utc(2026, 1, 8, 9)))
        for field, accepted in (("type", True), ("tags", False)):
            s.add(ReviewRecord(document_id=docs["ola1"], user_id=ola.id, provider="openai",
                               field=field, accepted=accepted, created_at=utc(2026, 2, 3, 9)))

        # Sign-ins: Kari 3 and 1 failure; Per 2; a failure for an unknown address
        for day in (5, 6, 7):
            s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=kari.id, created_at=utc(2026, 1, day, 8)))
        s.add(AuditEvent(kind="auth.sign_in.failed", target_user_id=kari.id, created_at=utc(2026, 1, 5, 7)))
        for day in (5, 20):
            s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=per.id, created_at=utc(2026, 1, day, 8)))
        s.add(AuditEvent(kind="auth.sign_in.failed", created_at=utc(2026, 1, 9, 8)))
        s.commit()
        users = [kari, ola, per, mona]
        for u in users:
            s.refresh(u)
        firm = Firm(admin, kari, ola, per, mona, strandkaien.id, sentrum.id, takst, kontrakt, docs)
    return firm
