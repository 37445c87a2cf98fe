"""The pipeline with the new formats: a scan is OCRed, gets a searchable PDF beside it and
its language; an e-mail's attachments become documents of their own, linked to it."""

from __future__ import annotations

import time

from sqlmodel import select

from dokvault import db
from dokvault.extract import tesseract
from dokvault.models import Document
from dokvault.services import documents
from dokvault.storage.objects import get_object_store
from tests.unit.helpers import wait_final
from tests.unit.test_formats_more import mail_with_attachments, write
from tests.unit.test_ocr import KONTRAKT, pdf_text, reads_where_its_text_layer_says, save, scan, share_found


def test_a_scan_is_read_searchable_and_gets_a_searchable_pdf(admin, tmp_path, monkeypatch):
    readings = []
    real = tesseract.run
    monkeypatch.setattr(tesseract, "run", lambda *args: readings.append(args[1]) or real(*args))
    path = save(scan(), tmp_path / "skannet kontrakt.png")
    doc = wait_final(documents.ingest_path(admin.id, path).id, timeout=120)
    assert doc.status == "ready" and doc.ocr_pages == 1 and doc.language == "nb"
    assert readings == [tesseract.PSM_AUTO]  # read once, for its text and its searchable PDF alike
    assert share_found(KONTRAKT, documents.document_text(doc)) >= 0.8
    rows, total = documents.search_documents(admin, "kjøpesummen")
    assert total == 1 and rows[0].uid == str(doc.uid)
    assert doc.searchable_key and doc.thumbnail_key
    searchable = tmp_path / "ocr.pdf"
    searchable.write_bytes(b"".join(get_object_store().iter_chunks(doc.searchable_key)))
    pages, text = pdf_text(searchable)
    assert pages == 1 and share_found(KONTRAKT, text) >= 0.8
    assert reads_where_its_text_layer_says(searchable, "Grønnåsen")

    documents.trash_document(admin, str(doc.uid))
    assert documents.delete_forever(admin, str(doc.uid))
    assert not get_object_store().exists(doc.searchable_key)  # nothing left behind


def test_an_email_brings_its_attachments_as_linked_documents(admin, tmp_path):
    message, _ = mail_with_attachments(tmp_path)
    path = write(tmp_path / "Kontrakt fra megler.eml", message)
    mail = wait_final(documents.ingest_path(admin.id, path).id)
    assert mail.status == "ready"
    assert "Hei Ola" in documents.document_text(mail)
    deadline = time.monotonic() + 30
    while True:
        with db.session() as s:
            children = s.exec(select(Document).where(Document.parent_id == mail.id)).all()
        if len(children) == 3 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    names = sorted(c.name for c in children)
    assert names[:2] == ["Kjøpekontrakt Strandkaien.pdf", "passwd" + "ø" * (len(names[1]) - 10) + ".txt"]
    assert names[2] == "takst.txt"
    assert all("/" not in n and "\x00" not in n and len(n) <= 255 for n in names)  # tamed
    for child in children:
        assert wait_final(child.id).status == "ready" and child.owner_id == admin.id
    assert documents.search_documents(admin, "låneverdien")[1] == 1  # the attachment's text
