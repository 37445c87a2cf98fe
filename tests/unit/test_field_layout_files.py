"""Fields read from the layout of the file itself: a PDF's text positions (a label and its
value in two columns of one line, a row of labels above a row of values) and a DOCX's
table cells, which the flattened text loses. Files of our own making."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.ai.field_page import page_lines
from dokvault.ai.fields import extract_fields
from dokvault.ai.taxonomy_seed import FIELDS
from dokvault.extract import extract
from dokvault.extract.layout import MAX_LAYOUT_CHARS, Layout
from dokvault.models import Classification, DocumentText
from dokvault.services import documents
from tests.samples import FONT_PATH, make_docx
from tests.unit.helpers import wait_final, wait_until


def positioned_pdf(path: Path, pages: list[list[tuple[float, float, str]]]) -> Path:
    """A PDF with each text at its (x, y) in millimetres from the top left."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_PATH))
    pdf.set_font("DejaVu", size=11)
    for texts in pages:
        pdf.add_page()
        for x, y, text in texts:
            pdf.text(x, y, text)
    pdf.output(str(path))
    return path


FORM = [
    (20, 20, "Kystmegleren AS"), (20, 26, "Skippergata 21, 4611 Kristiansand"),
    (20, 40, "KJØPEKONTRAKT"),
    (20, 55, "Selger"), (90, 55, "Kari Nordmann (1/2) og Per Hansen (1/2)"),
    (20, 62, "Kjøpesum"), (90, 62, "3 450 000"),
    (20, 69, "Overtakelse"), (90, 69, "15.03.2026"),
    (20, 84, "Eiendom"), (110, 84, "Kjøper"),
    (20, 90, "Strandkaien 12, 4005 Stavanger"), (110, 90, "Ola Dunk"),
]


def test_a_pdf_form_in_columns_is_read_from_its_text_positions(tmp_path):
    extracted = extract(positioned_pdf(tmp_path / "form.pdf", [FORM]), ".pdf")
    layout = extracted.layout
    assert layout is not None and layout.kind == "pdf"
    seller = next(line for line in layout.lines if line.cells[0].text == "Selger")
    assert [c.text for c in seller.cells] == ["Selger", "Kari Nordmann (1/2) og Per Hansen (1/2)"]
    assert seller.cells[1].x0 > 300  # per mille of the page width: the second column
    fields = extract_fields(extracted.text, FIELDS, layout)
    assert fields["seller"] == "Kari Nordmann og Per Hansen"
    assert fields["price"] == "3450000" and fields["takeover_date"] == "2026-03-15"
    # The row of labels above the row of values is read down its columns.
    assert fields["address"] == "Strandkaien 12, 4005 Stavanger" and fields["buyer"] == "Ola Dunk"
    # The flattened text alone says "Selger Kari Nordmann ...": no label, no value.
    plain = extract_fields(extracted.text, FIELDS)
    assert "seller" not in plain and "buyer" not in plain


def test_the_letterhead_address_is_not_the_propertys_in_a_pdf_form(tmp_path):
    extracted = extract(positioned_pdf(tmp_path / "form.pdf", [FORM]), ".pdf")
    assert extract_fields(extracted.text, FIELDS, extracted.layout)["address"] != \
        "Skippergata 21, 4611 Kristiansand"


def test_a_docx_table_pairs_labels_and_values_by_cell_and_by_column(tmp_path):
    path = make_docx(tmp_path / "skjote.docx", ["Skjøte", "Heimelsoverføring av fast eigedom"], [
        ["Seljarar", "Jonas Nygård (f. 26.11.1978) og Linh Halvorsen (f. 05.08.1983)"],
        ["Vederlag", "6 770 000"],
        ["Gardsnr./bruksnr.", "352/277"],
    ])
    extracted = extract(path, ".docx")
    assert extracted.layout is not None and extracted.layout.kind == "rows"
    assert "Seljarar | Jonas" in extracted.text  # the searchable text is as before
    fields = extract_fields(extracted.text, FIELDS, extracted.layout)
    assert fields["seller"] == "Jonas Nygård og Linh Halvorsen" and fields["price"] == "6770000"
    assert fields["gnr_bnr"] == "352/277"

    header = make_docx(tmp_path / "kontrakt.docx", ["Kjøpekontrakt"], [
        ["Selger", "Kjøper", "Kjøpesum"],
        ["Kari Nordmann", "Ola Dunk", "kr 2 100 000"],
    ])
    extracted = extract(header, ".docx")
    fields = extract_fields(extracted.text, FIELDS, extracted.layout)
    assert (fields["seller"], fields["buyer"], fields["price"]) == ("Kari Nordmann", "Ola Dunk", "2100000")


def test_a_layout_is_bounded_and_survives_storage(tmp_path):
    rows = [[f"Post {i}", f"Verdi {i} " + "tekst " * 20] for i in range(400)]
    extracted = extract(make_docx(tmp_path / "lang.docx", ["Lang tabell"], rows), ".docx")
    layout = extracted.layout
    assert layout is not None and layout.full and layout.chars < MAX_LAYOUT_CHARS + 500
    assert len(extracted.text) > 3 * MAX_LAYOUT_CHARS  # the text itself is not cut
    again = Layout.from_json(layout.to_json())
    assert again is not None and page_lines(again) == page_lines(layout)
    assert Layout.from_json('{"v": 99, "kind": "pdf", "lines": []}') is None
    assert Layout.from_json("not json") is None


def test_scanned_pages_have_no_layout_and_their_text_is_still_read(tmp_path):
    """A layout covering part of the text (the other pages were scans) is read first, then
    the plain text: nothing of the document is lost."""
    from dokvault.ai.field_page import reading_text

    layout = Layout("pdf")
    layout.add_row(["Selger", "Kari Nordmann"])
    text = "Selger Kari Nordmann\n\nSide 2 (skannet)\nKjøpesum: kr 1 200 000\n" + "mer tekst " * 30
    body, places = reading_text(text, layout)
    assert body.startswith("| Selger | Kari Nordmann |") and "Kjøpesum: kr 1 200 000" in body
    assert len(places) >= body.count("\n") + 1
    fields = extract_fields(text, FIELDS, layout)
    assert fields["seller"] == "Kari Nordmann" and fields["price"] == "1200000"


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_pipeline_keeps_the_layout_and_classifies_with_it(admin, tmp_path, kind):
    if kind == "pdf":
        path = positioned_pdf(tmp_path / "form.pdf", [FORM])
    else:
        path = make_docx(tmp_path / "form.docx", ["KJØPEKONTRAKT"], [
            ["Selger", "Kari Nordmann (1/2) og Per Hansen (1/2)"], ["Kjøpesum", "3 450 000"]])
    doc = wait_final(documents.ingest_path(admin.id, path).id)
    with db.session() as s:
        stored = s.get(DocumentText, doc.id)
    layout = Layout.from_json(stored.layout)
    assert layout is not None and layout.kind == ("pdf" if kind == "pdf" else "rows")
    row = wait_until(lambda: _classification(doc.id), timeout=20, what="suggestions")
    fields = json.loads(row.suggestion)["fields"]
    assert fields["seller"] == "Kari Nordmann og Per Hansen" and fields["price"] == "3450000"


def _classification(document_id: int) -> Classification | None:
    with db.session() as s:
        return s.exec(select(Classification).where(Classification.document_id == document_id)).first()


def test_a_page_of_thousands_of_tiny_texts_gives_a_bounded_layout(tmp_path):
    """Each letter its own text object, in a grid: the layout stops at MAX_SEGMENTS segments
    a page and MAX_LAYOUT_CHARS of text; the page's text is read whole all the same."""
    from dokvault.extract.layout import MAX_SEGMENTS

    grid = [(10 + 3 * (i % 60), 10 + 4.5 * (i // 60), "ab"[i % 2]) for i in range(60 * 60)]
    extracted = extract(positioned_pdf(tmp_path / "grid.pdf", [grid]), ".pdf")
    layout = extracted.layout
    assert layout is not None
    assert sum(len(line.cells) for line in layout.lines) <= MAX_SEGMENTS
    assert layout.chars <= MAX_LAYOUT_CHARS + 200
    assert len("".join(extracted.text.split())) == 60 * 60
