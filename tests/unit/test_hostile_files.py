"""Hostile files, built here small but in the shapes an attacker uses (bench/hostile_files.py):
each is refused fast with its own code, or read within its bounds and says what it left out."""

from __future__ import annotations

import time
import tracemalloc
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bench import hostile_files as h
from dokvault.extract import (
    MAX_TEXT_CHARS,
    ExtractionError,
    archive,
    extract,
    ocr,
    pdf,
    pdf_bounds,
    pdf_render,
    tesseract,
)
from dokvault.extract import text as text_format
from dokvault.extract.budget import Budget
from tests.samples import KJOPEKONTRAKT, SALGSOPPGAVE, make_docx

MIB = 1024 * 1024


def refused(path: Path, **kwargs) -> str:
    with pytest.raises(ExtractionError) as info:
        extract(path, path.suffix, **kwargs)
    return info.value.code


def traced_peak(work) -> tuple[object, int]:
    """What `work()` returns, and the most memory Python objects took meanwhile."""
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- ZIP containers --------------------------------------------------------------------------


@pytest.mark.parametrize("build", [h.docx_bomb, h.odt_bomb], ids=["docx", "odt"])
def test_a_zip_bomb_is_refused_from_its_central_directory(tmp_path, build):
    path = build(tmp_path / f"bombe.{'docx' if build is h.docx_bomb else 'odt'}", 200 * MIB)
    assert path.stat().st_size < 2 * MIB  # 200 MB of XML in a file of a few hundred KB
    code, peak = traced_peak(lambda: refused(path))
    assert code == "error.bomb"
    assert peak < 16 * MIB  # nothing was inflated (the rest is the first import of the reader)


def test_a_zip_archive_bomb_or_one_of_too_many_entries_is_refused_before_a_file_is_written(
        tmp_path, monkeypatch):
    out = tmp_path / "ut"
    out.mkdir()
    bomb = h.docx_bomb(tmp_path / "bombe.docx", 200 * MIB).rename(tmp_path / "bombe.zip")
    code, peak = traced_peak(lambda: refused(bomb, attachments_dir=out))
    assert code == "error.bomb" and peak < 16 * MIB
    crowd = h.docx_with_entries(tmp_path / "oppfor.docx", 3000).rename(tmp_path / "oppfor.zip")
    monkeypatch.setattr(archive, "MAX_ENTRIES", 2000)
    assert refused(crowd, attachments_dir=out) == "error.too_complex"
    assert list(out.iterdir()) == []  # nothing inflated to disk either


def test_a_part_that_compresses_like_a_bomb_is_refused_below_the_size_limit(tmp_path):
    path = h.docx_bomb(tmp_path / "tett.docx", 20 * MIB)  # under 256 MiB, but 340 to 1
    assert refused(path) == "error.bomb"


def test_a_zip_of_too_many_entries_is_refused_before_zipfile_lists_them(tmp_path, monkeypatch):
    path = h.docx_with_entries(tmp_path / "oppfor.docx", 3000)
    monkeypatch.setattr(archive, "MAX_ENTRIES", 2000)
    listed = []
    monkeypatch.setattr(archive.zipfile, "ZipFile", lambda *a, **k: listed.append(a))
    assert refused(path) == "error.too_complex"
    assert listed == []  # refused on the end record alone


def test_docx_reads_paragraphs_and_tables_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(SALGSOPPGAVE)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Adresse", "Strandkaien 12"
    document.add_paragraph(KJOPEKONTRAKT)
    path = tmp_path / "rekkefolge.docx"
    document.save(str(path))
    assert extract(path, ".docx").text.splitlines() == [SALGSOPPGAVE, "Adresse | Strandkaien 12",
                                                        KJOPEKONTRAKT]


def test_a_long_docx_is_read_as_far_as_the_text_that_is_kept(tmp_path):
    words = [f"ord{n} bolig{n % 97} kontrakt{n % 89}" for n in range(120_000)]  # compresses ~5:1
    paragraphs = [" ".join(words[i:i + 20]) for i in range(0, len(words), 20)]
    path = make_docx(tmp_path / "lang.docx", paragraphs * 2)
    result = extract(path, ".docx")
    assert len(result.text) == MAX_TEXT_CHARS
    assert {"code": "notice.text_cut", "chars": MAX_TEXT_CHARS} in result.notices


# --- PDF -------------------------------------------------------------------------------------


def test_a_flate_bomb_pdf_is_refused_before_pdfium_loads_the_page(tmp_path, monkeypatch):
    path = h.pdf_flate_bomb(tmp_path / "flate.pdf", 200 * MIB)
    loaded = []
    monkeypatch.setattr(pdf, "_read_text", lambda *a: loaded.append(a))
    code, peak = traced_peak(lambda: refused(path))
    assert code == "error.bomb" and loaded == []
    assert peak < 8 * MIB  # counted a piece at a time, never held


def test_an_image_that_inflates_past_what_it_declares_is_a_bomb(tmp_path):
    path = h.write_pdf(tmp_path / "lyver.pdf", [
        h.CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", h._image_page(), h._draw_image(),
        h._stream(b"/Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Filter /FlateDecode", h.deflated(b"\0" * 4096, 20 * MIB)),
    ])
    assert refused(path) == "error.bomb"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_rendered(tmp_path):
    assert refused(h.pdf_image_bomb(tmp_path / "bilde.pdf", 12_000, 12_000)) == "error.image_too_large"


@pytest.mark.parametrize("shape", ["itself", "grandchild"])
def test_a_page_tree_loop_is_a_damaged_pdf(tmp_path, shape):
    if shape == "itself":  # PDFium counts a page and then fails to load it
        path = h.write_pdf(tmp_path / "sykel.pdf", [h.CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    else:  # PDFium reads the same page over and over
        path = h.pdf_page_tree_cycle(tmp_path / "sykel.pdf")
    assert refused(path) == "error.corrupt_pdf"


def test_a_pdf_of_many_pages_is_read_up_to_the_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_bounds, "MAX_PAGES", 30)
    result = extract(h.pdf_many_pages(tmp_path / "mange.pdf", 100), ".pdf")  # 10,000 pages
    assert result.page_count == 10_000
    assert result.text.count("side") == 30
    assert result.notices == [{"code": "notice.pages_limit", "read": 30, "pages": 10_000, "limit": 30}]


def test_pages_together_over_the_content_budget_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_bounds, "MAX_DOCUMENT_CONTENT", 100)  # each page's content is 36 bytes
    result = extract(h.pdf_many_pages(tmp_path / "mange.pdf", 10), ".pdf")
    assert result.text.count("side") == 2
    assert result.notices == [{"code": "notice.size_limit", "read": 2, "pages": 100}]


def test_reading_stops_when_the_time_budget_is_spent(tmp_path):
    spent = Budget(ocr_pages=10, seconds=0.001, deadline=time.monotonic() - 1)  # before page 1
    result = extract(h.pdf_many_pages(tmp_path / "mange.pdf", 10), ".pdf", budget=spent)
    assert result.text == ""
    assert result.notices == [{"code": "notice.time_limit", "seconds": 0, "read": 0, "pages": 100}]


def lzw_encode(data: bytes) -> bytes:
    """LZW as PDF writes it (EarlyChange 1), for a stream only the LZW counter measures."""
    table = {bytes([i]): i for i in range(256)}
    coded, width, next_code, word = [(256, 9)], 9, 258, b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        coded.append((table[word], width))
        if next_code < 4096:
            table[longer], next_code = next_code, next_code + 1
            if next_code + 1 > (1 << width) and width < 12:
                width += 1
        else:
            coded.append((256, width))
            table, next_code, width = {bytes([i]): i for i in range(256)}, 258, 9
        word = bytes([byte])
    coded += [(table[word], width), (257, width)]
    out, buffer, bits = bytearray(), 0, 0
    for code, size in coded:
        buffer, bits = (buffer << size) | code, bits + size
        while bits >= 8:
            bits -= 8
            out.append((buffer >> bits) & 0xFF)
    return bytes(out + (bytes([(buffer << (8 - bits)) & 0xFF]) if bits else b""))


@pytest.mark.parametrize("data", [b"Kjopekontrakt for Strandkaien " * 300, bytes(range(256)) * 80,
                                  b"\0" * 300_000], ids=["text", "table-resets", "zeros"])
def test_the_lzw_and_runlength_counters_agree_with_qpdf(data):
    document = pikepdf.new()
    stream = pikepdf.Stream(document, lzw_encode(data))
    stream.Filter = pikepdf.Name.LZWDecode
    assert pdf_bounds.lzw_size(stream.read_raw_bytes(), 10**9) == len(stream.read_bytes()) == len(data)
    runs = pikepdf.Stream(document, b"\x81\x00" * 500 + b"\x02abc\x80")  # 500 runs of 128, then 3
    runs.Filter = pikepdf.Name.RunLengthDecode
    decoded = runs.read_bytes(pikepdf.StreamDecodeLevel.specialized)
    assert pdf_bounds.run_length_size(runs.read_raw_bytes(), 10**9) == len(decoded) == 64_003


def test_an_lzw_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_bounds, "MAX_STREAM_BYTES", MIB)
    path = h.write_pdf(tmp_path / "lzw.pdf", [
        h.CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        h._stream(b"/Filter /LZWDecode", lzw_encode(b" " * (3 * MIB))),
    ])
    assert refused(path) == "error.bomb"


def test_renders_stay_small_on_absurd_page_sizes(tmp_path):
    thin = pdf_render.render_first_page(h.pdf_thin_page(tmp_path / "tynn.pdf"), 240, 640)
    assert thin.height <= 640
    poster = pdf_render.render_page(h.pdf_huge_page(tmp_path / "plakat.pdf"), 0, 300, ocr.MAX_OCR_PIXELS)
    assert poster.width * poster.height <= ocr.MAX_OCR_PIXELS  # not 60000 x 60000


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("build, code", [
    (lambda p: h.png_bomb(p / "bombe.png", 40_000, 40_000), "error.image_too_large"),
    (lambda p: h.png_bomb(p / "stor.png", 12_000, 12_000), "error.image_too_large"),
    (lambda p: h.jpeg_huge_dimensions(p / "stor.jpg"), "error.image_too_large"),
    (lambda p: h.tiff_huge_dimensions(p / "stor.tif", 16_000, 16_000), "error.image_too_large"),
    (lambda p: h.png_text_bomb(p / "tekst.png", 20 * MIB), "error.corrupt_image"),
    (lambda p: h.png_many_text_chunks(p / "biter.png", 70), "error.corrupt_image"),
], ids=["png-1.6gpx", "png-144mpx", "jpeg-header", "tiff-256mpx", "ztxt-bomb", "text-chunks"])
def test_image_bombs_are_refused_with_their_own_code(tmp_path, build, code):
    path = build(tmp_path)
    assert refused(path) == code


@pytest.mark.parametrize("mode, name", [("L", "stor.png"), ("1", "faks.tif"), ("P", "kart.png"),
                                        ("RGB", "foto.jpg")])
def test_a_large_picture_is_read_scaled_down(tmp_path, monkeypatch, mode, name):
    path = tmp_path / name
    Image.new(mode, (6000, 6000), 255).save(path, dpi=(600, 600))  # 36 Mpx: more than Tesseract gets
    given = []
    monkeypatch.setattr(tesseract, "run",
                        lambda source, *a: given.append(source) or tesseract.Reading("", 0, 0))
    extract(path, path.suffix)
    assert isinstance(given[0], Image.Image) and given[0].width * given[0].height <= ocr.MAX_OCR_PIXELS
    assert round(given[0].info["dpi"][0]) == round(600 * given[0].width / 6000)  # same page size


def test_ocr_stops_at_the_page_budget_and_says_so(tmp_path):
    path = h.tiff_many_pages(tmp_path / "sider.tif", 6)
    result = extract(path, ".tif", budget=Budget(ocr_pages=2, seconds=600))
    assert result.page_count == 6 and result.ocr_pages == 2
    assert result.notices == [{"code": "notice.ocr_pages_limit", "read": 2, "pages": 6, "limit": 2}]


def test_ocr_of_scanned_pdf_pages_stops_at_the_time_budget(tmp_path, monkeypatch):
    path = h.pdf_scanned_pages(tmp_path / "skannet.pdf", 5)
    budget = Budget(ocr_pages=100, seconds=600)
    real = ocr.read_page

    def slow(source, budget_):
        budget.deadline = 0  # the budget is spent during the first page
        return real(source, budget_)

    monkeypatch.setattr(ocr, "read_page", slow)
    result = extract(path, ".pdf", budget=budget)
    assert result.ocr_pages == 0 and result.page_count == 5
    assert result.notices == [{"code": "notice.time_limit", "seconds": 600, "read": 0, "pages": 5}]


# --- text and web pages ----------------------------------------------------------------------


def test_a_huge_web_page_is_read_up_to_its_bound(tmp_path):
    result = extract(h.html_huge(tmp_path / "stor.html", 8 * MIB), ".html")
    assert "ord mer" in result.text
    assert {"code": "notice.file_cut", "mb": 5} in result.notices


def test_text_cut_inside_a_character_keeps_its_encoding(tmp_path, monkeypatch):
    monkeypatch.setattr(text_format, "MAX_BYTES", 11)  # "ø" is two bytes: the cut splits one
    path = tmp_path / "norsk.txt"
    path.write_text("ø" * 100, encoding="utf-8")
    assert extract(path, ".txt").text == "ø" * 5


def test_inflation_is_counted_without_holding_it():
    data = zlib.compress(b"\0" * (64 * MIB))
    size, peak = traced_peak(lambda: pdf_bounds._inflated_size(data, 256 * MIB))
    assert size == 64 * MIB and peak < 4 * MIB
