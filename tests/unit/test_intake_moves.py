"""What is received is written once: an upload's spool file and an e-mail attachment's
decoded file are moved into the local object store (the same file, not a copy), and an
attachment still passes every check of an upload (size, type, signature, emptiness)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.extract import eml
from dokvault.models import Document
from dokvault.services import documents
from dokvault.services.auth import accounts
from dokvault.storage.objects import get_object_store
from tests.samples import TAKST
from tests.unit.helpers import files_under, wait_final, wait_until
from tests.unit.test_formats_more import mail, mail_with_attachments, write


def stored_file(document: Document):
    return get_object_store().root / document.object_key


def test_a_finished_upload_is_moved_into_the_object_store(admin):
    incoming = documents.IncomingFile(admin.id, "takst.txt")
    for line in TAKST.encode().splitlines(keepends=True):
        incoming.write(line)
    spool = incoming.path
    written = spool.stat().st_ino
    document = incoming.finish()
    assert stored_file(document).stat().st_ino == written  # renamed into place, not copied
    assert stored_file(document).read_bytes() == TAKST.encode() and not spool.exists()
    assert document.sha256 and document.size == len(TAKST.encode())


def test_a_large_stream_is_hashed_and_spooled_beside_its_download(admin, monkeypatch):
    import hashlib

    from dokvault.services.documents import intake

    monkeypatch.setattr(intake, "PIPE_AFTER", 1000)  # the pipe from the second chunk
    chunks = [TAKST.encode()[i:i + 700] for i in range(0, len(TAKST.encode()), 700)]
    document = documents.ingest_stream(admin.id, "takst.txt", iter(chunks))
    assert stored_file(document).read_bytes() == TAKST.encode()
    assert document.sha256 == hashlib.sha256(TAKST.encode()).hexdigest()

    incoming = documents.IncomingFile(admin.id, "takst.txt")
    monkeypatch.setattr(incoming, "_spool", lambda data: (_ for _ in ()).throw(OSError("disk full")))
    for chunk in chunks:  # the pipe's error comes back to the caller (by a write or the finish)
        try:
            incoming.write(chunk)
        except OSError:
            incoming.abort()  # as ingest_stream and the upload's receive do
            break
    else:
        with pytest.raises(OSError, match="disk full"):
            incoming.finish()
    assert not incoming.path.exists()


def test_an_attachment_is_written_once_then_moved(admin, tmp_path, monkeypatch):
    decoded: dict[int, int] = {}  # inode -> times written
    real_save = eml._save

    def save(*args):
        path = real_save(*args)
        decoded[path.stat().st_ino] = decoded.get(path.stat().st_ino, 0) + 1
        return path

    monkeypatch.setattr(eml, "_save", save)
    message, pdf_bytes = mail_with_attachments(tmp_path)
    upload = wait_final(documents.ingest_path(admin.id, write(tmp_path / "post.eml", message)).id)

    def children():
        with db.session() as s:
            found = s.exec(select(Document).where(Document.parent_id == upload.id)).all()
        return found if len(found) == 3 else None

    attachments = [wait_final(child.id) for child in wait_until(children, what="three attachments")]
    inodes = {stored_file(child).stat().st_ino for child in attachments}
    assert inodes == set(decoded) and set(decoded.values()) == {1}  # the decoded files themselves
    pdf = next(child for child in attachments if child.ext == ".pdf")
    assert stored_file(pdf).read_bytes() == pdf_bytes and pdf.status == "ready"
    assert files_under(documents.temp_dir()) == []


def test_an_attachment_passes_every_check_of_an_upload(without_worker, tmp_path, monkeypatch):
    with db.session() as s:
        owner = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    message: EmailMessage = mail()
    message.set_content("Vedlagt.")
    message.add_attachment(b"MZ\x90\x00 a program", maintype="application", subtype="pdf",
                           filename="ikke-pdf.pdf")  # wrong signature
    message.add_attachment(b"", maintype="text", subtype="plain", filename="tom.txt")
    message.add_attachment(b"x" * (1024 * 1024 + 1), maintype="text", subtype="plain",
                           filename="stor.txt")
    message.add_attachment(TAKST.encode(), maintype="text", subtype="plain", filename="takst.txt")
    upload = documents.ingest_path(owner.id, write(tmp_path / "post.eml", message))
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")  # the mail was in before the limit came down
    reset_caches()

    documents.process_document(upload.id)  # nobody consumes the queue: read it here
    with db.session() as s:
        mail_row = s.get(Document, upload.id)
        names = s.exec(select(Document.name).where(Document.parent_id == upload.id)).all()
    refused = {n["name"]: n["reason"] for n in mail_row.notices if n["code"] == "notice.attachment_refused"}
    assert refused == {"ikke-pdf.pdf": "error.type_mismatch", "tom.txt": "error.empty_file",
                       "stor.txt": "error.too_large"}
    assert names == ["takst.txt"]
    assert files_under(documents.temp_dir()) == []  # refused ones are not left behind
