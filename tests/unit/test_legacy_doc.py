"""Legacy Word (.doc), read by catdoc: a Word 97 file built here byte by byte."""

from __future__ import annotations

import pytest

from dokvault.extract import ExtractionError, doc, extract, formats
from tests.legacy_doc import make_doc
from tests.samples import KJOPEKONTRAKT, TAKST
from tests.unit.helpers import wait_final


def test_a_word_97_document_is_read_with_norwegian_letters(tmp_path):
    path = make_doc(tmp_path / "kontrakt.doc", ["Kjøpekontrakt", KJOPEKONTRAKT, TAKST])
    assert formats.signature_matches(".doc", path.read_bytes()[:formats.HEAD_BYTES])
    result = extract(path, ".doc")
    assert result.text.splitlines()[0] == "Kjøpekontrakt"
    assert KJOPEKONTRAKT in result.text and TAKST in result.text  # a paragraph a line, unwrapped
    assert result.language == "nb"


def test_a_doc_that_is_not_word_is_refused_by_its_first_bytes():
    assert not formats.signature_matches(".doc", b"PK\x03\x04")
    assert not formats.signature_matches(".doc", b"{\\rtf1\\ansi")


def test_reading_stops_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(doc, "CATDOC_TIMEOUT_S", 0)
    path = make_doc(tmp_path / "kontrakt.doc", [KJOPEKONTRAKT])
    assert isinstance(extract(path, ".doc").text, str)  # killed at once; never hangs the worker


def test_without_catdoc_the_reason_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(doc.shutil, "which", lambda name: None)
    doc._binary.cache_clear()
    try:
        with pytest.raises(ExtractionError) as refused:
            extract(make_doc(tmp_path / "k.doc", ["tekst"]), ".doc")
    finally:
        doc._binary.cache_clear()
    assert refused.value.code == "error.doc_reader_missing"


def test_a_doc_is_uploaded_read_and_found(admin, tmp_path):
    from dokvault.services import documents

    path = make_doc(tmp_path / "Kjøpekontrakt.doc", [KJOPEKONTRAKT])
    document = wait_final(documents.ingest_path(admin.id, path).id)
    assert document.status == "ready" and document.thumbnail_key
    rows, total = documents.search_documents(admin, "klientkonto")
    assert total == 1 and rows[0].uid == str(document.uid)
