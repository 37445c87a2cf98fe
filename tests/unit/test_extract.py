"""Text extraction and thumbnails, per format, straight from files on disk."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from dokvault.extract import ExtractionError, extract, thumbnail
from tests.samples import (
    ENERGIATTEST,
    KJOPEKONTRAKT,
    SALGSOPPGAVE,
    TAKST,
    make_corrupt_pdf,
    make_docx,
    make_html,
    make_pdf,
    make_text,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def flat(text: str) -> str:
    """Whitespace-insensitive view: PDF extraction wraps lines where the layout did."""
    return " ".join(text.split())


def refused(path, ext) -> str:
    with pytest.raises(ExtractionError) as info:
        extract(path, ext)
    return info.value.code


def test_pdf_pages_and_norwegian_letters(tmp_path):
    path = make_pdf(tmp_path / "salgsoppgave.pdf", [SALGSOPPGAVE, KJOPEKONTRAKT])
    result = extract(path, ".pdf")
    assert result.page_count == 2
    text = flat(result.text)
    assert "Eiendommene til kjøperen ligger ved Strandkaien" in text
    assert "Kjøpekontrakt mellom selgeren" in text
    assert "Åse" in text and "Vågen" in text and "sør" in text
    assert text.index("Strandkaien") < text.index("Kjøpekontrakt")  # page order kept


def test_docx_paragraphs_and_table(tmp_path):
    path = make_docx(
        tmp_path / "energiattest.docx",
        [ENERGIATTEST, TAKST],
        table_rows=[["Adresse", "Strandkaien 12"], ["Energikarakter", "C – gul"]],
    )
    result = extract(path, ".docx")
    assert ENERGIATTEST in result.text
    assert TAKST in result.text
    assert "Strandkaien 12" in result.text
    assert "C – gul" in result.text
    assert result.page_count is None


def test_text_utf8(tmp_path):
    path = make_text(tmp_path / "notat.txt", "\ufeff" + KJOPEKONTRAKT + "\n")
    assert extract(path, ".txt").text == KJOPEKONTRAKT  # BOM and trailing space gone


def test_text_cp1252(tmp_path):
    path = make_text(tmp_path / "gammel.txt", "Kjøper Åse får nøklene på tirsdag – €", "cp1252")
    assert extract(path, ".txt").text == "Kjøper Åse får nøklene på tirsdag – €"


def test_markdown(tmp_path):
    markdown = f"# Takst\n\n{TAKST}\n\n- punkt én\n- punkt to\n"
    path = make_text(tmp_path / "takst.md", markdown)
    text = extract(path, ".md").text
    assert TAKST in text
    assert "punkt én" in text


def test_html_visible_text_without_script_or_style(tmp_path):
    path = make_html(tmp_path / "annonse.html", "Salgsoppgave Strandkaien", [SALGSOPPGAVE])
    text = extract(path, ".html").text
    assert "Salgsoppgave Strandkaien" in text
    assert "Eiendommene til kjøperen ligger ved Strandkaien" in flat(text)
    for hidden in ("hiddenScriptMarker", "skal ikke vises", "hidden-style-marker", "color"):
        assert hidden not in text
    assert "<" not in text


def test_html_entities_and_inline_markup(tmp_path):
    path = tmp_path / "side.htm"
    path.write_text(
        "<html><body><p>Pris &amp; omkostninger: <b>kr&nbsp;6&nbsp;450&nbsp;000</b></p>"
        "<script>alert('x')</script><noscript></noscript></body></html>",
        encoding="utf-8",
    )
    text = extract(path, ".htm").text
    assert "Pris & omkostninger" in text
    assert "alert" not in text


@pytest.mark.parametrize("ext", [".pdf", ".docx", ".txt", ".md", ".html"])
def test_empty_file(tmp_path, ext):
    path = tmp_path / f"tom{ext}"
    path.write_bytes(b"")
    assert refused(path, ext) == "error.empty_file"


def test_corrupt_pdf(tmp_path):
    assert refused(make_corrupt_pdf(tmp_path / "ødelagt.pdf"), ".pdf") == "error.corrupt_pdf"


def test_truncated_pdf(tmp_path):
    good = make_pdf(tmp_path / "hel.pdf", [SALGSOPPGAVE]).read_bytes()
    path = tmp_path / "halv.pdf"
    path.write_bytes(good[: len(good) // 2])
    assert refused(path, ".pdf") == "error.corrupt_pdf"


def test_encrypted_pdf(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica")
    pdf.cell(text="hemmelig")
    pdf.set_encryption(owner_password="eier", user_password="bruker")
    path = tmp_path / "låst.pdf"
    pdf.output(str(path))
    assert refused(path, ".pdf") == "error.pdf_encrypted"


def test_zip_without_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hei.txt", "ikke et Word-dokument")
    path = tmp_path / "pakke.docx"
    path.write_bytes(buffer.getvalue())
    assert refused(path, ".docx") == "error.corrupt_docx"


def _garbage_after_zip_signature(tmp_path):
    path = tmp_path / "søppel.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 16)
    return path


def _truncated_docx(tmp_path):
    good = make_docx(tmp_path / "hel.docx", [KJOPEKONTRAKT]).read_bytes()
    path = tmp_path / "avkuttet.docx"
    path.write_bytes(good[: len(good) // 2])
    return path


def _bad_xml_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<ikke xml")
    path = tmp_path / "feil-xml.docx"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    "make",
    [_garbage_after_zip_signature, _truncated_docx, _bad_xml_docx],
    ids=["zip-garbage", "truncated", "bad-xml"],
)
def test_corrupt_docx(tmp_path, make):
    assert refused(make(tmp_path), ".docx") == "error.corrupt_docx"


def test_binary_garbage_named_txt(tmp_path):
    path = tmp_path / "bilde.txt"
    path.write_bytes(bytes(range(256)) * 64)
    assert refused(path, ".txt") == "error.not_text"


def test_unsupported_extension(tmp_path):
    path = make_text(tmp_path / "program.exe", "MZ")
    assert refused(path, ".exe") == "error.unsupported_type"


def test_nul_bytes_never_reach_the_text(tmp_path):
    path = make_text(tmp_path / "nul.md", "a" * 9000 + "\x00b")  # NUL after the sniffed head
    assert "\x00" not in extract(path, ".md").text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


def test_pdf_thumbnail(tmp_path):
    path = make_pdf(tmp_path / "salgsoppgave.pdf", [SALGSOPPGAVE, KJOPEKONTRAKT])
    width, height = _png_size(thumbnail.render(path, ".pdf", ""))
    assert width == thumbnail.WIDTH == 240
    assert height > width  # A4 portrait


@pytest.mark.parametrize("ext", [".txt", ".md", ".docx", ".html"])
def test_text_thumbnail(tmp_path, ext):
    data = thumbnail.render(tmp_path / f"ingen{ext}", ext, SALGSOPPGAVE + "\n" + ENERGIATTEST)
    assert _png_size(data) == (240, thumbnail.HEIGHT)


def test_text_thumbnail_of_long_and_empty_text(tmp_path):
    assert _png_size(thumbnail.render(tmp_path / "x.txt", ".txt", "linje\n" * 5000))[0] == 240
    assert _png_size(thumbnail.render(tmp_path / "x.txt", ".txt", ""))[0] == 240
