"""The production pipeline end to end: an upload is stored in S3 and recorded in
PostgreSQL, its message goes through Redis to a separate `dramatiq` worker process,
and the processed document is found by Norwegian full-text search."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from minio import Minio

from dokvault import db
from dokvault.models import Document, DocumentStatus, User
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests import servers
from tests.samples import SALGSOPPGAVE, make_corrupt_pdf, make_pdf

pytestmark = pytest.mark.integration

PROCESSING_TIMEOUT = 60


@pytest.fixture
def redis_broker(production, redis_url) -> Iterator[None]:
    """Messages sent from this process go to Redis, where the worker process reads them."""
    from dramatiq.brokers.redis import RedisBroker

    import workers.documents  # noqa: F401  (declares the actors on the current broker)
    from dokvault.core.jobs import rebind

    previous = workers.documents.process_document.broker
    broker = rebind(RedisBroker(url=redis_url))
    yield
    rebind(previous)
    broker.close()


@pytest.fixture
def worker(production, redis_broker, tmp_path) -> Iterator[servers.WorkerProcess]:
    process = servers.WorkerProcess(tmp_path / "dramatiq.log")
    process.start(env=production)
    yield process
    process.stop()


def broker_user(email: str) -> User:
    """A real-estate broker (Role.BROKER): sees only their own documents."""
    with db.session() as s:
        return accounts.create_user(s, email, "riktig hest batteri stift")


def wait_until_final(document_id: int, worker: servers.WorkerProcess) -> Document:
    deadline = time.monotonic() + PROCESSING_TIMEOUT
    while time.monotonic() < deadline:
        with db.session() as s:
            document = s.get(Document, document_id)
        if document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
            return document
        if not worker.alive():
            break
        time.sleep(0.2)
    pytest.fail(
        f"document {document_id} still {document.status!r}; worker log:\n{worker.log()[-4000:]}",
        pytrace=False,
    )


def assert_key_under_owner(key: str, owner: User, document: Document, ext: str) -> None:
    """{user_id}/{document uid}/{uuid4}{ext}: no human file name in object storage."""
    user_part, uid_part, name = key.split("/")
    assert (user_part, uid_part) == (str(owner.id), str(document.uid))
    assert name.endswith(ext)
    assert uuid.UUID(name.removesuffix(ext)).version == 4


def stored_size(s3: servers.S3Server, bucket: str, key: str) -> int:
    """Asked of the S3 server directly, not through DokVault's own store."""
    client = Minio(s3.endpoint, access_key=s3.access_key, secret_key=s3.secret_key, secure=False)
    return client.stat_object(bucket, key).size


def test_uploaded_pdf_is_processed_by_the_worker_and_found(worker, s3, bucket, tmp_path):
    owner = broker_user("megler.stavanger@example.no")
    colleague = broker_user("megler.bergen@example.no")
    pdf = make_pdf(tmp_path / "Salgsoppgave Strandkaien 12.pdf", [SALGSOPPGAVE])

    uploaded = documents.ingest_path(owner.id, pdf)
    document = wait_until_final(uploaded.id, worker)

    assert (document.status, document.error, document.page_count) == ("ready", None, 1)
    assert f"document ready id={document.id}" in worker.log()  # done by the worker process
    # Norwegian inflections: "eiendom" finds "Eiendommene", "kjøper" finds "kjøperen".
    for query in ("eiendom kjøper", "eiendom", "kjøper", "Strandkaien"):
        rows, total = documents.search_documents(owner, query)
        assert (total, [r.uid for r in rows]) == (1, [str(document.uid)]), query
    assert_key_under_owner(document.object_key, owner, document, ".pdf")
    assert stored_size(s3, bucket, document.object_key) == pdf.stat().st_size
    assert document.thumbnail_key
    assert_key_under_owner(document.thumbnail_key, owner, document, ".png")
    assert stored_size(s3, bucket, document.thumbnail_key) > 0
    # Another broker sees nothing of it: not by search, list or direct address.
    assert documents.search_documents(colleague, "eiendom kjøper") == ([], 0)
    assert documents.list_documents(colleague) == ([], 0)
    assert documents.get_document(colleague, str(document.uid)) is None


def test_corrupt_pdf_fails_and_the_good_document_stays_ready(worker, tmp_path):
    owner = broker_user("megler.oslo@example.no")
    good = documents.ingest_path(owner.id, make_pdf(tmp_path / "Salgsoppgave.pdf", [SALGSOPPGAVE]))
    assert wait_until_final(good.id, worker).status == "ready"

    corrupt_path = make_corrupt_pdf(tmp_path / "Kjøpekontrakt skadet.pdf")
    corrupt = wait_until_final(documents.ingest_path(owner.id, corrupt_path).id, worker)

    assert (corrupt.status, corrupt.error) == ("failed", "error.corrupt_pdf")
    assert wait_until_final(good.id, worker).status == "ready"
    rows, _ = documents.search_documents(owner, "eiendom kjøper")
    assert [r.uid for r in rows] == [str(good.uid)]
