"""The group commit of an import's rows (intake.RowWriter): files stored by several threads
at once get their rows in one transaction, each with its audit entry, its upload time and
what the importer records, and each keeps its own outcome when the group cannot be written
whole (a quota the files would pass together, the same file twice)."""

from __future__ import annotations

import json

from sqlalchemy import event
from sqlmodel import select

from dokvault import db
from dokvault.core import audit
from dokvault.core.filenames import UploadRefused
from dokvault.models import Document, StageTiming
from dokvault.services import documents
from dokvault.services.documents import quotas
from dokvault.storage.objects import get_object_store
from tests.unit.helpers import store_at_once


def document_transactions_during(fn):
    """fn's result and in how many transactions it inserted into the document table (the
    documents' reading, in other threads, inserts none)."""
    transactions: list = []  # held, so that no two are taken for one

    def seen(conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO document ") and \
                not any(t is conn.get_transaction() for t in transactions):
            transactions.append(conn.get_transaction())

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        return fn(), len(transactions)
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_rows_of_files_stored_at_once_are_written_in_one_transaction(admin):
    writer = documents.RowWriter()
    recorded: list[int] = []
    files = {f"Notat {i} æøå.txt": f"notat nummer {i}".encode() for i in range(4)}
    outcomes, transactions = document_transactions_during(lambda: store_at_once(
        admin.id, files, writer, on_stored=lambda s, document: recorded.append(document.id)))
    assert transactions == 1
    assert all(isinstance(o, Document) for o in outcomes.values()), outcomes
    ids = sorted(o.id for o in outcomes.values())
    assert sorted(recorded) == ids and len(set(ids)) == 4
    with db.session() as s:
        rows = {d.name: d for d in s.exec(select(Document).where(Document.owner_id == admin.id)).all()}
        timed = s.exec(select(StageTiming.document_id).where(StageTiming.stage == "upload")).all()
    assert set(rows) == set(files) and sorted(timed) == ids
    assert all(rows[name].size == len(data) and rows[name].duplicate_of_id is None
               for name, data in files.items())
    uploaded = [json.loads(e.detail) for e in audit.search_events(kind="document.uploaded")[0]]
    assert sorted(e["document_id"] for e in uploaded) == ids


def test_a_file_the_owner_has_already_is_flagged_in_a_group_too(admin):
    first = documents.ingest_stream(admin.id, "Kontrakt.txt", [b"den samme kontrakten"])
    outcomes = store_at_once(admin.id, {"Kontrakt kopi.txt": b"den samme kontrakten",
                                        "Annet.txt": b"noe annet"}, documents.RowWriter())
    assert outcomes["Kontrakt kopi.txt"].duplicate_of_id == first.id
    assert outcomes["Annet.txt"].duplicate_of_id is None


def test_the_same_file_twice_in_a_group_is_written_one_by_one(admin):
    outcomes, transactions = document_transactions_during(lambda: store_at_once(
        admin.id, {"A.txt": b"likt innhold", "B.txt": b"likt innhold"}, documents.RowWriter()))
    assert transactions == 2
    by_id = sorted(outcomes.values(), key=lambda d: d.id)
    assert by_id[0].duplicate_of_id is None and by_id[1].duplicate_of_id == by_id[0].id


def test_a_group_over_a_quota_takes_what_fits_and_refuses_the_rest(admin, broker_user):
    quotas.set_quota(admin, "user", broker_user.id, "", "2")
    files = {f"Fil {i}.txt": f"fil {i}".encode() for i in range(4)}
    outcomes = store_at_once(broker_user.id, files, documents.RowWriter())
    refused = [o for o in outcomes.values() if isinstance(o, UploadRefused)]
    assert len(refused) == 2 and all(o.code == "error.quota_user_documents" for o in refused)
    with db.session() as s:
        kept = s.exec(select(Document).where(Document.owner_id == broker_user.id)).all()
    assert len(kept) == 2
    assert len(audit.search_events(kind="quota.exceeded")[0]) == 2  # one per refused file, not the group's
    # The refused files' objects went with them: only the kept ones are in the store (beside
    # what reading the kept ones made, such as their thumbnails).
    owned = {o.key for o in get_object_store().iter_objects()
             if o.key.startswith(f"{broker_user.id}/") and o.key.endswith(".txt")}
    assert owned == {d.object_key for d in kept}
