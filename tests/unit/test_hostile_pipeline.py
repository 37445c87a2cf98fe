"""Hostile files through the pipeline: errors retrying cannot change end failed at once with
their own message; mails inside mails make a bounded number of documents; what was not
read, or not imported, is stored with the document and shown on its page in both languages."""

from __future__ import annotations

import threading
import time
from email.message import EmailMessage

import pypdfium2 as pdfium
import pytest
from sqlmodel import col, select

from bench import hostile_files as h
from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.extract import ExtractionError, extract, pdf
from dokvault.i18n import translate
from dokvault.models import Document
from dokvault.pages.documents.detail_state import describe
from dokvault.services import documents
from dokvault.services.auth import accounts
from dokvault.services.documents import attachments
from tests.unit.helpers import wait_final

MIB = 1024 * 1024


def tree(document_id: int) -> list[Document]:
    """The upload and every document it made, once none is pending and no more appear."""
    deadline = time.monotonic() + 120
    seen = -1
    while True:
        with db.session() as s:
            found, frontier = [s.get(Document, document_id)], [document_id]
            while frontier:
                rows = s.exec(select(Document).where(col(Document.parent_id).in_(frontier))).all()
                found, frontier = found + rows, [r.id for r in rows]
        settled = all(d.status in ("ready", "failed") for d in found)
        if settled and len(found) == seen:
            return found
        assert time.monotonic() < deadline, f"{len(found)} documents, not settled"
        seen = len(found) if settled else -1
        time.sleep(0.3)


# --- errors that cannot change on retry --------------------------------------------------------


@pytest.fixture
def owner(without_worker):
    with db.session() as s:
        return accounts.create_first_admin(s, "admin@example.no", "correct horse battery")


@pytest.mark.parametrize("build, code", [
    (lambda p: h.png_bomb(p / "bombe.png", 40_000, 40_000), "error.image_too_large"),
    (lambda p: h.png_text_bomb(p / "tekst.png", 20 * MIB), "error.corrupt_image"),
    (lambda p: h.write_pdf(p / "sykel.pdf", [h.CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
     "error.corrupt_pdf"),
    (lambda p: h.docx_bomb(p / "bombe.docx", 40 * MIB), "error.bomb"),
], ids=["decompression-bomb", "text-chunk", "page-tree-loop", "zip-bomb"])
def test_lasting_errors_fail_at_the_first_attempt_with_their_message(owner, tmp_path, build, code):
    stored = documents.ingest_path(owner.id, build(tmp_path))
    documents.process_document(stored.id)  # as the worker would, once: nothing to retry
    with db.session() as s:
        document = s.get(Document, stored.id)
    assert (document.status, document.error, document.attempts) == ("failed", code, 1)
    assert translate("en", code) != code


def test_pdfium_failing_a_page_is_a_damaged_pdf_not_a_retry(tmp_path, monkeypatch):
    def broken(path):
        raise pdfium.PdfiumError("Failed to load page.")

    monkeypatch.setattr(pdf, "_page_count", broken)
    path = h.pdf_scanned_pages(tmp_path / "side.pdf", 1)
    with pytest.raises(ExtractionError) as info:
        extract(path, ".pdf")
    assert info.value.code == "error.corrupt_pdf"


def test_an_unexpected_error_is_still_retried(owner, tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(documents.processing, "extract", crash)
    path = tmp_path / "notat.txt"
    path.write_text("Takst for Strandkaien 12")
    stored = documents.ingest_path(owner.id, path)
    with pytest.raises(RuntimeError):
        documents.process_document(stored.id)  # Dramatiq retries it with backoff
    with db.session() as s:
        assert s.get(Document, stored.id).status == "processing"


# --- what reading left out, on the document's page ---------------------------------------------


def test_a_scan_past_the_ocr_budget_is_ready_and_its_page_says_so(admin, tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_MAX_PAGES", "2")
    reset_caches()
    document = wait_final(documents.ingest_path(admin.id, h.tiff_many_pages(tmp_path / "sider.tif", 4)).id,
                          timeout=120)
    assert (document.status, document.ocr_pages, document.page_count) == ("ready", 2, 4)
    assert document.notices == [{"code": "notice.ocr_pages_limit", "read": 2, "pages": 4, "limit": 2}]
    shown = describe(admin, document)["notices"]
    assert shown == [{"nb": "Tekstgjenkjenning (OCR) leste 2 av 4 skannede sider: grensen er 2 sider "
                            "per dokument.",
                      "en": "Text recognition (OCR) read 2 of 4 scanned pages: the limit is 2 pages "
                            "per document."}]


# --- mails inside mails ------------------------------------------------------------------------


def test_nested_mails_bring_attachments_five_levels_down_and_no_further(admin, tmp_path):
    upload = documents.ingest_path(admin.id, h.eml_nested(tmp_path / "dyp.eml", 8, 1))
    made = tree(upload.id)[1:]
    assert len(made) == 2 * attachments.MAX_DEPTH  # a text file and a mail at each level
    assert all(d.status == "ready" for d in made)
    deepest = [d for d in made if d.notices]
    assert len(deepest) == 1 and deepest[0].ext == ".eml"
    assert deepest[0].notices == [{"code": "notice.attachments_depth", "n": 2, "limit": 5}]
    assert "5 levels down" in describe(admin, deepest[0])["notices"][0]["en"]


def test_one_upload_makes_at_most_its_share_of_documents(admin, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_DOCUMENTS", 10)
    upload = documents.ingest_path(admin.id, h.eml_nested(tmp_path / "bred.eml", 2, 4))  # 40 to make
    made = tree(upload.id)[1:]
    assert len(made) == 10
    with db.session() as s:
        assert s.get(Document, upload.id).derived_documents == 10
    skipped = sum(n["n"] for d in tree(upload.id) for n in d.notices
                  if n["code"] == "notice.attachments_total")
    assert skipped > 0


def test_workers_claiming_at_once_never_pass_the_bound(admin):
    with db.session() as s:
        upload = Document(owner_id=admin.id, name="post.eml", sha256="0" * 64, object_key="x")
        s.add(upload)
        s.commit()
        s.refresh(upload)
    granted = []
    threads = [threading.Thread(target=lambda: granted.append(attachments._claim(upload.id, 30)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == attachments.MAX_DOCUMENTS


def test_attachments_are_held_to_the_bounds_of_an_upload(admin, tmp_path):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.no", "b@example.no", "Vedlegg"
    message.set_content("Se vedlegg.")
    message.add_attachment(h.docx_bomb(tmp_path / "k.docx", 40 * MIB).read_bytes(),
                           maintype="application", subtype="octet-stream", filename="kontrakt.docx")
    message.add_attachment(b"ikke en pdf", maintype="application", subtype="pdf",
                           filename="falsk.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream",
                           filename="faktura.exe")
    path = tmp_path / "post.eml"
    path.write_bytes(message.as_bytes())
    upload = documents.ingest_path(admin.id, path)
    everything = tree(upload.id)
    mail, made = everything[0], everything[1:]
    assert [(d.name, d.status, d.error) for d in made] == [("kontrakt.docx", "failed", "error.bomb")]
    shown = [n["en"] for n in describe(admin, mail)["notices"]]
    assert shown == [
        "The attachment “faktura.exe” was not imported: " + translate("en", "error.unsupported_type"),
        "The attachment “falsk.pdf” was not imported: The content does not match the file type."]


def test_a_mail_of_too_many_parts_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    from dokvault.extract import eml

    parsed = []
    monkeypatch.setattr(eml.BytesParser, "parse", lambda *a: parsed.append(a))
    with pytest.raises(ExtractionError) as info:
        extract(h.eml_nested(tmp_path / "bred.eml", 3, 12), ".eml")
    assert info.value.code == "error.too_complex" and parsed == []
