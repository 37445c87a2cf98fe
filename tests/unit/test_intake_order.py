"""A stored file and its row: never one without the other being recoverable. The object
is written first; after an error at or after the commit it is deleted only when no row
has it, and kept when nobody can tell (named, to be settled once the service is back; the
sanity check finds one nobody settles)."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from sqlmodel import Session, select

from dokvault import db
from dokvault.models import Document
from dokvault.services import documents
from dokvault.storage.objects import get_object_store
from tests.samples import KJOPEKONTRAKT, make_text
from tests.unit.helpers import files_under


def _outage() -> sqlalchemy.exc.OperationalError:
    return sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))


def _rows() -> list[Document]:
    with db.session() as s:
        return list(s.exec(select(Document)).all())


def _objects() -> list[str]:
    root = get_object_store().root
    return [str(p.relative_to(root)) for p in files_under(root)]


@pytest.fixture
def upload(admin, tmp_path):
    return lambda: documents.ingest_path(admin.id, make_text(tmp_path / "kontrakt.txt", KJOPEKONTRAKT))


def test_an_error_right_after_the_commit_keeps_the_row_and_its_object(upload, monkeypatch):
    real_commit = Session.commit

    def commit_then_fail(self):
        real_commit(self)
        raise _outage()  # the connection dropped as the COMMIT's answer came back

    monkeypatch.setattr(Session, "commit", commit_then_fail)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        upload()
    monkeypatch.undo()
    [row] = _rows()
    assert _objects() == [row.object_key]


def test_an_error_before_the_commit_leaves_neither(upload, monkeypatch):
    def fail(self):
        raise _outage()

    monkeypatch.setattr(Session, "commit", fail)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        upload()
    monkeypatch.undo()
    assert _rows() == [] and _objects() == []


def test_with_the_database_away_the_object_is_left_for_the_sanity_check(upload, monkeypatch):
    real_session = db.session
    calls = []

    def session():
        calls.append(1)
        if len(calls) > 1:  # the insert got through to the commit; then the database went
            raise _outage()
        return real_session()

    def fail(self):
        raise _outage()

    monkeypatch.setattr(Session, "commit", fail)
    monkeypatch.setattr(db, "session", session)
    with pytest.raises(documents.UnsettledObject) as raised:
        upload()
    assert isinstance(raised.value.__cause__, sqlalchemy.exc.OperationalError)
    monkeypatch.undo()
    assert _rows() == [] and len(_objects()) == 1  # unknown: kept, not guessed away
    # Once the database is back, the one who stored it settles it: no row has it, it goes.
    assert documents.settle_object(raised.value.key) is None
    assert _objects() == []


def test_a_store_that_fails_mid_upload_leaves_no_partial_object(upload, monkeypatch):
    store = get_object_store()
    real_put = store.put_file

    def put_then_fail(key, path, content_type):
        real_put(key, path, content_type)
        raise TimeoutError("read timed out")

    monkeypatch.setattr(store, "put_file", put_then_fail)
    with pytest.raises(TimeoutError):
        upload()
    monkeypatch.undo()
    assert _rows() == [] and _objects() == []
