"""The document list's fingerprint: it changes with whatever the list of a person shows
(an upload, a status, trash and restore) and with nothing they cannot see, in one query
that reads indexes, never the whole table."""

from __future__ import annotations

from sqlalchemy import event

from dokvault import db
from dokvault.services import documents
from tests.samples import TAKST, make_text
from tests.unit.helpers import wait_final


def test_the_fingerprint_changes_with_what_the_list_shows(admin, broker_user, tmp_path):
    before, theirs = documents.fingerprint(admin), documents.fingerprint(broker_user)
    assert before == documents.fingerprint(admin)  # nothing changed, nothing to reload

    doc = documents.ingest_path(admin.id, make_text(tmp_path / "takst.txt", TAKST))
    uploaded = documents.fingerprint(admin)
    assert uploaded != before
    ready = (wait_final(doc.id), documents.fingerprint(admin))[1]
    assert ready != uploaded and ready.startswith("0:")  # nothing pending any more
    assert documents.fingerprint(broker_user) == theirs  # the admin's upload is not theirs

    documents.trash_document(admin, str(doc.uid))
    trashed = documents.fingerprint(admin)
    documents.restore_document(admin, str(doc.uid))
    assert len({ready, trashed, documents.fingerprint(admin)}) == 3


def test_the_fingerprint_is_one_query_on_indexes(admin, broker_user):
    statements: list[tuple[str, tuple]] = []
    engine = db.get_engine()

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        for user in (admin, broker_user):
            documents.fingerprint(user)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 2  # one each
    with engine.connect() as connection:
        for statement, parameters in statements:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                  parameters)]
            table_scans = [step for step in plan if step.startswith("SCAN document") and "INDEX" not in step]
            assert table_scans == [], plan
