"""Formats people have (issue 17, part 2), on files made here: GIF, BMP, WebP and HEIC
pictures read by OCR, PDFs with a BOM or junk before the header, text with NUL bytes."""

from __future__ import annotations

import pytest
from PIL import Image

from dokvault.extract import extract, formats, thumbnail
from tests.samples import SALGSOPPGAVE, make_pdf
from tests.unit.test_ocr import DPI, assert_reads_kontrakt, scan

# Pillow's name for each format, and its options (lossless, so Tesseract reads it as a scan).
PICTURES = {".gif": ("GIF", {}), ".bmp": ("BMP", {}), ".webp": ("WEBP", {"lossless": True}),
            ".heic": ("HEIF", {"quality": 90})}


def picture(path, image: Image.Image | None = None):
    fmt, options = PICTURES[path.suffix]
    image = scan() if image is None else image
    if fmt == "GIF":
        image = image.convert("P")
    image.save(path, format=fmt, dpi=(DPI, DPI), **options)
    return path


@pytest.mark.parametrize("ext", list(PICTURES))
def test_pictures_people_have_are_read_by_ocr(tmp_path, ext):
    path = picture(tmp_path / f"kontrakt{ext}")
    assert formats.signature_matches(ext, path.read_bytes()[:formats.HEAD_BYTES])
    result = extract(path, ext)
    assert_reads_kontrakt(result.text)
    assert (result.page_count, result.ocr_pages) == (1, 1)
    assert thumbnail.render(path, ext, result.text).startswith(b"\x89PNG")


@pytest.mark.parametrize(("name", "head", "ok"), [
    ("bilde.gif", b"GIF89a\x01\x00", True),
    ("bilde.gif", b"GIF87a\x01\x00", True),
    ("bilde.gif", b"\x89PNG\r\n\x1a\n", False),
    ("bilde.bmp", b"BM6\x00\x00\x00", True),
    ("bilde.bmp", b"GIF89a", False),
    ("bilde.webp", b"RIFF\x10\x00\x00\x00WEBPVP8L", True),
    ("bilde.webp", b"RIFF\x10\x00\x00\x00WAVEfmt ", False),  # a sound, not a picture
    ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00", True),
    ("IMG_0001.heif", b"\x00\x00\x00\x18ftypmif1\x00\x00", True),
    ("IMG_0001.heic", b"\x00\x00\x00\x18ftypisom\x00\x00", False),  # an MP4 video
    ("kontrakt.pdf", b"\xef\xbb\xbf%PDF-1.7", True),
    ("kontrakt.pdf", b"X-Mailer: junk\r\n\r\n%PDF-1.4", True),
    ("kontrakt.pdf", b"x" * 1023 + b"%PDF-1.4", True),
    ("kontrakt.pdf", b"x" * 1024 + b"%PDF-1.4", False),  # readers look no further
    ("kontrakt.pdf", b"PK\x03\x04", False),
])
def test_signatures_of_the_new_formats(name, head, ok):
    ext = formats.extension_of(name)
    assert formats.is_supported(name)
    assert formats.signature_matches(ext, head[:formats.HEAD_BYTES]) is ok


def test_the_upload_lists_the_new_formats():
    accept = formats.browser_accept()
    assert accept["image/gif"] == [".gif"] and accept["image/heic"] == [".heic", ".heif"]
    assert {"GIF", "BMP", "WebP", "HEIC"} <= set(formats.labels())
    assert {".gif", ".bmp", ".webp", ".heic", ".heif"} <= set(formats.IMAGE_EXTENSIONS)


@pytest.mark.parametrize("junk", [b"\xef\xbb\xbf", b"Content-Type: application/pdf\r\n\r\n",
                                  b"\x00" * 500])
def test_a_pdf_after_a_bom_or_a_little_junk_is_read(tmp_path, junk):
    clean = make_pdf(tmp_path / "ren.pdf", [SALGSOPPGAVE])
    path = tmp_path / "kontrakt.pdf"
    path.write_bytes(junk + clean.read_bytes())
    result = extract(path, ".pdf")
    assert result.page_count == 1 and "Strandkaien" in result.text and "Prisantydning" in result.text


@pytest.mark.parametrize("data", [
    "Takst for Grønnåsen 4\x00\x00 med låneverdi kr 5 900 000\x00".encode(),
    "Takst for Grønnåsen 4 med låneverdi kr 5 900 000".encode("utf-16-le"),  # without it, cp1252
    "Takst for Grønnåsen 4 med låneverdi kr 5 900 000".encode("utf-16"),  # with its mark
])
def test_text_with_nul_bytes_is_read_without_them(tmp_path, data):
    path = tmp_path / "takst.txt"
    path.write_bytes(data)
    result = extract(path, ".txt")
    assert result.text == "Takst for Grønnåsen 4 med låneverdi kr 5 900 000"


@pytest.mark.parametrize("data", [bytes(range(256)) * 64, b"\x00" * 5000,
                                  b"\x00\x01\x02\x03 PK\x05\x06 binary" * 300])
def test_binary_data_named_txt_is_still_not_text(tmp_path, data):
    from dokvault.extract import ExtractionError

    path = tmp_path / "bilde.txt"
    path.write_bytes(data)
    with pytest.raises(ExtractionError) as refused:
        extract(path, ".txt")
    assert refused.value.code == "error.not_text"


def alternative_mail(plain: str, html: str):
    from tests.unit.test_formats_more import mail

    message = mail()
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    return message


def test_an_email_keeps_both_parts_when_they_differ(tmp_path):
    from tests.unit.test_formats_more import write

    message = alternative_mail(
        "Hei Ola,\n\nbudet er akseptert. Se HTML-versjonen for budjournalen.",
        "<html><body><p>Hei Ola,</p><p>budet er akseptert.</p><table><tr><td>Budjournal</td>"
        "<td>kr 6 300 000</td><td>Bjørn Ødegård</td></tr></table><script>alert(1)</script>"
        "</body></html>")
    text = extract(write(tmp_path / "bud.eml", message), ".eml").text
    assert "Se HTML-versjonen" in text and "Bjørn Ødegård" in text and "6 300 000" in text
    body = text.split("\n\n", 1)[1]
    assert "<" not in body and "alert" not in body  # the HTML as text, scripts never kept
    assert text.index("Se HTML-versjonen") < text.index("Ødegård")


def test_an_email_whose_html_repeats_the_plain_part_says_it_once(tmp_path):
    from tests.unit.test_formats_more import write

    message = alternative_mail("Hei Ola,\n\nbudet på kr 6 300 000 er akseptert.\n",
                               "<p>Hei <b>Ola</b>,</p><p>budet på kr 6&nbsp;300&nbsp;000 er akseptert.</p>")
    text = extract(write(tmp_path / "bud.eml", message), ".eml").text
    assert text.count("akseptert") == 1
