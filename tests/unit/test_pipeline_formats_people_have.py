"""The pipeline with the formats of issue 17 (part 2): each is uploaded through the intake
checks, read, and found by search."""

from __future__ import annotations

import pytest

from dokvault.services import documents
from tests.samples import SALGSOPPGAVE, make_pdf
from tests.unit.helpers import wait_final
from tests.unit.test_formats_more import write
from tests.unit.test_formats_people_have import PICTURES, alternative_mail, picture
from tests.unit.test_ocr import KONTRAKT, share_found


def found_once(admin, word: str, doc) -> bool:
    rows, total = documents.search_documents(admin, word)
    return total == 1 and rows[0].uid == str(doc.uid)


@pytest.mark.parametrize("ext", list(PICTURES))
def test_a_picture_people_have_is_read_and_found(admin, tmp_path, ext):
    doc = wait_final(documents.ingest_path(admin.id, picture(tmp_path / f"kontrakt{ext}")).id,
                     timeout=120)
    assert doc.status == "ready" and doc.ocr_pages == 1 and doc.thumbnail_key
    assert doc.searchable_key  # a scan gets its searchable PDF, whatever it came as
    assert share_found(KONTRAKT, documents.document_text(doc)) >= 0.8
    assert found_once(admin, "kjøpesummen", doc)


def test_a_pdf_after_a_bom_is_uploaded_and_found(admin, tmp_path):
    clean = make_pdf(tmp_path / "ren.pdf", [SALGSOPPGAVE])
    path = tmp_path / "salgsoppgave.pdf"
    path.write_bytes(b"\xef\xbb\xbf" + clean.read_bytes())
    doc = wait_final(documents.ingest_path(admin.id, path).id)
    assert doc.status == "ready" and doc.page_count == 1
    assert found_once(admin, "prisantydning", doc)


def test_text_with_nul_bytes_is_uploaded_and_found(admin, tmp_path):
    path = tmp_path / "eksport.txt"
    path.write_bytes("Takst\x00 for Grønnåsen med låneverdien kr 5 900 000\x00\x00".encode())
    doc = wait_final(documents.ingest_path(admin.id, path).id)
    assert doc.status == "ready" and "\x00" not in documents.document_text(doc)
    assert found_once(admin, "låneverdien", doc)


def test_both_parts_of_an_email_are_found(admin, tmp_path):
    message = alternative_mail("Hei Ola,\n\nbudet er akseptert.",
                               "<p>Hei Ola,</p><p>budet er akseptert.</p><p>Budjournalen følger.</p>")
    doc = wait_final(documents.ingest_path(admin.id, write(tmp_path / "bud.eml", message)).id)
    assert doc.status == "ready"
    assert found_once(admin, "akseptert", doc) and found_once(admin, "budjournalen", doc)


def test_the_words_in_a_picture_on_a_text_page_are_found(admin, tmp_path):
    from tests.unit.test_pdf_pictures import page_pdf, stamp

    doc = wait_final(documents.ingest_path(admin.id, page_pdf(tmp_path / "tinglyst.pdf", stamp())).id,
                     timeout=120)
    assert doc.status == "ready" and doc.ocr_pages == 1
    assert found_once(admin, "prisantydning", doc) and found_once(admin, "kartverket", doc)


def test_right_to_left_words_are_found_as_typed(admin, tmp_path):
    from tests.unit.test_rtl_text import ARABIC, HEBREW, naive_pdf

    doc = wait_final(documents.ingest_path(admin.id, naive_pdf(tmp_path / "عقد.pdf", [HEBREW, ARABIC])).id)
    assert doc.status == "ready" and ARABIC in documents.document_text(doc)
    assert found_once(admin, "الشقة", doc) and found_once(admin, "אביב", doc)


def children_of(parent_id: int, count: int) -> list:
    import time

    from sqlmodel import select

    from dokvault import db
    from dokvault.models import Document

    deadline = time.monotonic() + 60
    while True:
        with db.session() as s:
            children = s.exec(select(Document).where(Document.parent_id == parent_id)).all()
        if len(children) >= count or time.monotonic() > deadline:
            return sorted(children, key=lambda c: c.name)
        time.sleep(0.1)


def test_a_zip_archive_brings_its_files_as_documents_it_is_the_parent_of(admin, tmp_path):
    from tests.unit.test_zip_archives import contract_zip, make_zip

    inner = make_zip(tmp_path / "vedlegg.zip", {"energiattest.txt": b"Energiattest med karakter C"})
    path = make_zip(tmp_path / "Strandkaien.zip", {
        "kontrakt.zip": contract_zip(tmp_path).read_bytes(), "vedlegg.zip": inner.read_bytes()})
    archive = wait_final(documents.ingest_path(admin.id, path).id)
    assert archive.status == "ready" and "kontrakt.zip" in documents.document_text(archive)
    zips = children_of(archive.id, 2)
    assert [c.name for c in zips] == ["kontrakt.zip", "vedlegg.zip"]
    files = children_of(zips[0].id, 2)
    assert [c.name for c in files] == ["Kjøpekontrakt.pdf", "takst.txt"]  # not program.exe
    for child in [*files, *children_of(zips[1].id, 1)]:
        child = wait_final(child.id)
        assert child.status == "ready" and child.owner_id == admin.id
    assert found_once(admin, "låneverdien", files[1]) and found_once(admin, "karakter",
                                                                      children_of(zips[1].id, 1)[0])


def test_zips_in_zips_are_opened_only_so_deep(admin, tmp_path, monkeypatch):
    from dokvault.services.documents import attachments
    from tests.unit.test_zip_archives import make_zip

    monkeypatch.setattr(attachments, "MAX_DEPTH", 1)
    inner = make_zip(tmp_path / "inner.zip", {"dypt.txt": b"for dypt nede"})
    middle = make_zip(tmp_path / "middle.zip", {"inner.zip": inner.read_bytes()})
    top = wait_final(documents.ingest_path(admin.id, make_zip(tmp_path / "top.zip", {
        "middle.zip": middle.read_bytes()})).id)
    import time

    (child,) = children_of(top.id, 1)
    deadline = time.monotonic() + 60
    while not (child := wait_final(child.id)).notices and time.monotonic() < deadline:
        time.sleep(0.1)  # the notices are added once the archive's files are stored
    assert child.status == "ready" and children_of(child.id, 0) == []
    assert [n["code"] for n in child.notices] == ["notice.attachments_depth"]
