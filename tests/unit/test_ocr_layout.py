"""Scanned pages contribute layout (issue 17): Tesseract's word boxes become the same lines
and cells a PDF's text page gives, bounded the same way, so a label and its value on a scan
are paired by where they stand: beside it, below it, or a row of labels over a row of
values."""

from __future__ import annotations

import io

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFont

from dokvault.ai.fields import extract_fields
from dokvault.ai.taxonomy_seed import FIELDS
from dokvault.extract import extract, tesseract
from dokvault.extract.layout import MAX_LAYOUT_CHARS, MAX_SEGMENTS, Layout
from tests.samples import FONT_PATH, make_pdf

DPI = 300
LEFT, VALUE_AT = 0.8, 4.2  # inches: where labels and the values beside them start


def form_scan(rows, points: float = 11) -> Image.Image:
    """An A4 form at 300 dpi: `(label, value)` side by side, `("below", label, value)` one
    under the other, `("columns", labels, values)` a row of labels over a row of values."""
    width, height = int(8.27 * DPI), int(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(points * DPI / 72)
    font = ImageFont.truetype(str(FONT_PATH), size)
    y = int(0.8 * DPI)
    draw.text((int(LEFT * DPI), y), "Overdragelse av eiendom", fill=0,
              font=ImageFont.truetype(str(FONT_PATH), size * 2))
    y += size * 4
    for row in rows:
        if row[0] == "columns":
            for n, (label, value) in enumerate(zip(row[1], row[2], strict=True)):
                x = int((LEFT + 2.4 * n) * DPI)
                draw.text((x, y), label, fill=0, font=font)
                draw.text((x, y + int(size * 1.5)), value, fill=0, font=font)
            y += size * 4
        elif row[0] == "below":
            draw.text((int(LEFT * DPI), y), row[1], fill=0, font=font)
            draw.text((int(LEFT * DPI), y + int(size * 1.5)), row[2], fill=0, font=font)
            y += int(size * 4)
        else:
            draw.text((int(LEFT * DPI), y), row[0], fill=0, font=font)
            draw.text((int(VALUE_AT * DPI), y), row[1], fill=0, font=font)
            y += int(size * 2.2)
    return image


FORM = [("Saksnummer", "2026-0412"),
        ("columns", ("Selger", "Kjøper", "Kjøpesum"), ("Kari Nordmann", "Ola Dunk", "kr 3 450 000")),
        ("below", "Eiendommens adresse", "Strandkaien 12, 4005 Stavanger"),
        ("Gnr. / bnr.", "57/311"),
        ("Dato", "12.03.2026")]


def test_a_scanned_form_pairs_labels_and_values_by_where_they_stand(tmp_path):
    path = tmp_path / "skjema.png"
    form_scan(FORM).save(path, dpi=(DPI, DPI))
    read = extract(path, ".png")
    assert read.ocr_pages == 1 and read.layout is not None and read.layout.kind == "scan"
    rows = [[c.text for c in line.cells] for line in read.layout.lines]
    assert ["Selger", "Kjøper", "Kjøpesum"] in rows
    assert ["Kari Nordmann", "Ola Dunk", "kr 3 450 000"] in rows
    assert ["Gnr. / bnr.", "57/311"] in rows  # beside: two cells, not one run of words
    beside = next(line for line in read.layout.lines if line.cells[0].text == "Dato")
    assert beside.cells[1].x0 > 450  # per mille of the page's width: 4.2 of 8.27 inches
    assert Layout.from_json(read.layout.to_json()).lines == read.layout.lines  # stored as a PDF's is

    # Tesseract's text has the labels on one line and the values on the next: the rules
    # cannot tell who sells; the layout reads each label down its column.
    plain = extract_fields(read.text, FIELDS)
    assert "seller" not in plain and "buyer" not in plain
    fields = extract_fields(read.text, FIELDS, read.layout)
    assert (fields["seller"], fields["buyer"], fields["price"]) == ("Kari Nordmann", "Ola Dunk", "3450000")
    assert fields["address"] == "Strandkaien 12, 4005 Stavanger"  # the value below its label
    assert (fields["gnr_bnr"], fields["document_date"]) == ("57/311", "2026-03-12")


def test_a_pdf_with_a_scanned_page_has_its_layout_in_page_order(tmp_path):
    scan = io.BytesIO()
    form_scan(FORM).save(scan, format="PNG", dpi=(DPI, DPI))
    scanned = pikepdf.open(io.BytesIO(img2pdf.convert(scan.getvalue())))
    text = pikepdf.open(make_pdf(tmp_path / "tekst.pdf", ["Vedlegg til kontrakten\nSide to er tekst"]))
    mixed = pikepdf.new()
    mixed.pages.extend(scanned.pages)  # page 0: the scan, page 1: a text layer
    mixed.pages.extend(text.pages)
    path = tmp_path / "blandet.pdf"
    mixed.save(path)
    read = extract(path, ".pdf")
    assert read.ocr_pages == 1 and read.layout is not None
    pages = [line.page for line in read.layout.lines]
    assert pages == sorted(pages) and set(pages) == {0, 1}
    assert any(c.text == "Ola Dunk" for line in read.layout.lines if line.page == 0 for c in line.cells)
    fields = extract_fields(read.text, FIELDS, read.layout)
    assert (fields.get("seller"), fields.get("buyer")) == ("Kari Nordmann", "Ola Dunk")


def test_the_boxes_a_reading_keeps_are_bounded_as_a_pdf_page_s_segments():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [head, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for line in range(300):
        rows.append(f"4\t1\t1\t1\t{line}\t0\t100\t{100 + 20 * line}\t2000\t18\t-1\t")
        rows += [f"5\t1\t1\t1\t{line}\t{w}\t{100 + 60 * w}\t{101 + 20 * line}\t50\t16\t95\tord{w}"
                 for w in range(12)]
    reading = tesseract.parse_tsv("\n".join(rows))
    assert reading.words == 3600 and reading.size == (2480, 3508)
    assert len(reading.boxes) <= MAX_SEGMENTS
    assert sum(len(b[4]) + 1 for b in reading.boxes) <= MAX_LAYOUT_CHARS + 10
    left, top, right, bottom, word = reading.boxes[13]  # line 1, word 1: its line's height
    assert (left, top, right, bottom, word) == (160, 120, 210, 138, "ord1")
    assert reading.text.split("\n")[0] == " ".join(f"ord{w}" for w in range(12))
