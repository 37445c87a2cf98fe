"""Hebrew and Arabic text from PDFs is kept in logical order, so a word is found as typed."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from dokvault.extract import extract, rtl
from tests.samples import FONT_PATH

HEBREW = "חוזה מכר דירה בתל אביב נחתם"
ARABIC = "عقد بيع الشقة في دبي مع الشركة"
MIXED = "Kontrakt 2026: חוזה מכר דירה בתל אביב"


def naive_pdf(path, lines):
    """Letters laid out from left to right in the order they are typed, as report writers
    without bidi support do: PDFium reads such lines back reversed."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_PATH))
    pdf.set_font("DejaVu", size=14)
    pdf.add_page()
    for number, line in enumerate(lines):
        pdf.text(20, 30 + 12 * number, line)
    pdf.output(str(path))
    return path


def visual_pdf(path, lines):
    """Lines shown as a reader sees them (the bidi algorithm applied when laying out)."""
    from bidi import get_display

    return naive_pdf(path, [get_display(line) for line in lines])


@pytest.mark.parametrize("make", [naive_pdf, visual_pdf])
def test_right_to_left_pdf_text_is_in_logical_order(tmp_path, make):
    text = extract(make(tmp_path / "kontrakt.pdf", [HEBREW, ARABIC, "Strandkaien 12 Stavanger"]),
                   ".pdf").text
    assert HEBREW in text and ARABIC in text and "Strandkaien 12 Stavanger" in text


def test_a_line_mixing_latin_numbers_and_hebrew_keeps_each_the_right_way(tmp_path):
    # MIXED has no letter that tells its order: it goes the way the page's other line goes.
    text = extract(naive_pdf(tmp_path / "blandet.pdf", [MIXED, HEBREW]), ".pdf").text
    assert "חוזה מכר דירה בתל אביב" in text.split("\n")[0] and HEBREW in text
    assert {"Kontrakt", "2026"} <= set(text.split("\n")[0].replace(":", " ").split())


@pytest.mark.parametrize(("given", "expected"), [
    (HEBREW[::-1], HEBREW),
    (ARABIC[::-1], ARABIC),
    (HEBREW, HEBREW),  # typed order stays
    (ARABIC, ARABIC),
    ("\ufe94\ufedb\ufeae\ufeb8\ufedf\ufe8d", "الشركة"),  # presentation forms, reversed
    ("\ufe8d\ufedf\ufeb8\ufeae\ufedb\ufe94", "الشركة"),  # presentation forms, as typed
    ("Ingen høyre-til-venstre her", "Ingen høyre-til-venstre her"),
])
def test_logical_order(given, expected):
    assert rtl.logical_order(given) == expected
