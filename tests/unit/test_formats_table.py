"""The accepted formats have one home (extract/formats.py): the browser's accept list,
the hint under the drop zone, the intake checks and the extractors all read it."""

from __future__ import annotations

from dokvault import extract
from dokvault.extract import formats
from dokvault.i18n import translate


def test_every_format_has_its_reader_and_every_reader_a_format():
    assert {f.reader for f in formats.FORMATS} == set(extract.READERS)


def test_the_upload_page_offers_exactly_the_table():
    from dokvault.pages.documents.listing import ACCEPT

    offered = {ext for exts in ACCEPT.values() for ext in exts}
    assert offered == set(formats.BY_EXTENSION)
    for lang in ("nb", "en"):
        hint = translate(lang, "docs.types_hint")
        assert all(f.label in hint for f in formats.FORMATS), hint


def test_intake_accepts_what_the_table_names_and_nothing_else():
    assert all(formats.is_supported(f"fil{ext.upper()}") for ext in formats.BY_EXTENSION)
    assert not formats.is_supported("program.exe") and not formats.is_supported("uten-endelse")
    assert formats.signature_matches(".pdf", b"%PDF-1.7") and not formats.signature_matches(".pdf", b"PK")
    assert formats.signature_matches(".txt", b"anything")  # text has no signature
