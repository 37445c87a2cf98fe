"""ODT, e-mail with attachments, web pages without their menus, image thumbnails, the new
file signatures and language detection."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from PIL import Image

from dokvault.extract import ExtractionError, eml, extract, formats, language, thumbnail
from dokvault.extract.html import html_to_text
from tests.samples import (
    ENERGIATTEST,
    KJOPEKONTRAKT,
    SALGSOPPGAVE,
    TAKST,
    make_docx,
    make_pdf,
)


def refused(path, ext, **kwargs) -> str:
    with pytest.raises(ExtractionError) as info:
        extract(path, ext, **kwargs)
    return info.value.code


# --- ODT ------------------------------------------------------------------------------------------


def make_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, S, Span

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Tilstandsrapport for Strandkaien 12"))
    document.text.addElement(P(text=SALGSOPPGAVE))
    paragraph = P(text="Takstmann: ")
    paragraph.addElement(Span(text="Bjørn Ødegård"))
    paragraph.addElement(S(c=3))
    paragraph.addText("(autorisert)")
    document.text.addElement(paragraph)
    items = List()
    for text in ("Bad: tilstandsgrad 2", "Kjøkken: tilstandsgrad 1"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Nøkkeltall")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for key, value in (("Adresse", "Strandkaien 12"), ("Energikarakter", "C – gul")):
        row = TableRow()
        for cell_text in (key, value):
            cell = TableCell()
            cell.addElement(P(text=cell_text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(P(text=TAKST))
    document.save(str(path))
    return path


def test_odt_headings_paragraphs_lists_and_table(tmp_path):
    result = extract(make_odt(tmp_path / "rapport.odt"), ".odt")
    lines = result.text.splitlines()
    assert lines[0] == "Tilstandsrapport for Strandkaien 12"
    assert SALGSOPPGAVE in lines
    assert "Takstmann: Bjørn Ødegård   (autorisert)" in lines
    assert "Bad: tilstandsgrad 2" in lines and "Kjøkken: tilstandsgrad 1" in lines
    assert "Adresse | Strandkaien 12" in lines
    assert "Energikarakter | C – gul" in lines
    assert lines[-1] == TAKST
    assert result.language == "nb"
    assert result.page_count is None


def test_corrupt_odt(tmp_path):
    good = make_odt(tmp_path / "hel.odt").read_bytes()
    truncated = tmp_path / "avkuttet.odt"
    truncated.write_bytes(good[: len(good) // 2])
    assert refused(truncated, ".odt") == "error.corrupt_odt"
    docx_named_odt = make_docx(tmp_path / "word.odt", [KJOPEKONTRAKT])  # a zip, but not ODF
    assert refused(docx_named_odt, ".odt") == "error.corrupt_odt"


# --- E-mail ---------------------------------------------------------------------------------------

HOSTILE_NAME = "../../etc/passwd\x00" + "ø" * 300 + ".txt"


def mail(subject="Kjøpekontrakt for Strandkaien 12 – signert") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Åse Kjærnes <ase@megler.example>"
    message["To"] = "Ola Nordmann <ola@example.no>"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    return message


def write(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(message.as_bytes())
    return path


def mail_with_attachments(tmp_path) -> tuple[EmailMessage, bytes]:
    pdf_bytes = make_pdf(tmp_path / "kilde.pdf", [KJOPEKONTRAKT]).read_bytes()
    message = mail()
    message.set_content("Hei Ola,\n\nvedlagt er kjøpekontrakten og takstrapporten.\n\nHilsen Åse")
    message.add_alternative("<html><body><nav>Meny</nav><p>HTML-utgaven</p></body></html>", subtype="html")
    message.add_attachment(pdf_bytes, maintype="application", subtype="pdf",
                           filename="Kjøpekontrakt Strandkaien.pdf")
    message.add_attachment(TAKST.encode("utf-8"), maintype="text", subtype="plain",
                           filename="takst.txt")
    message.add_attachment(b"fiendtlig innhold", maintype="application", subtype="octet-stream",
                           filename=HOSTILE_NAME)
    return message, pdf_bytes


def test_eml_body_headers_and_attachments(tmp_path):
    message, pdf_bytes = mail_with_attachments(tmp_path)
    out = tmp_path / "vedlegg"
    out.mkdir()
    result = extract(write(tmp_path / "post.eml", message), ".eml", attachments_dir=out)

    lines = result.text.splitlines()
    assert lines[0] == "From: Åse Kjærnes <ase@megler.example>"
    assert lines[1] == "To: Ola Nordmann <ola@example.no>"
    assert lines[2] == "Subject: Kjøpekontrakt for Strandkaien 12 – signert"  # RFC 2047 decoded
    assert lines[3].startswith("Date: Mon, 02 Mar 2026 09:30")
    assert "vedlagt er kjøpekontrakten og takstrapporten." in result.text
    # The HTML alternative says something the plain part does not: kept after it, menu left out.
    assert result.text.index("takstrapporten") < result.text.index("HTML-utgaven")
    assert "Meny" not in result.text
    assert result.language == "nb"

    names = [a.name for a in result.attachments]
    assert names[:2] == ["Kjøpekontrakt Strandkaien.pdf", "takst.txt"]
    hostile = result.attachments[2]
    assert "/" not in hostile.name and "\x00" not in hostile.name and ".." not in hostile.name
    assert len(hostile.name) <= 200 and hostile.name.endswith(".txt")
    for attachment in result.attachments:
        assert attachment.path.parent == out  # nothing escapes the folder
    assert sorted(p.name for p in out.iterdir()) == sorted(a.path.name for a in result.attachments)

    pdf, txt = result.attachments[0], result.attachments[1]
    assert pdf.path.read_bytes() == pdf_bytes
    assert pdf.content_type == "application/pdf"
    assert txt.path.read_text(encoding="utf-8") == TAKST
    assert txt.content_type == "text/plain"
    assert hostile.path.read_bytes() == b"fiendtlig innhold"
    # Each attachment is a document of its own: the pipeline extracts it like an upload.
    assert "Kjøpekontrakt mellom selgeren" in " ".join(extract(pdf.path, ".pdf").text.split())
    assert "Attachments: Kjøpekontrakt Strandkaien.pdf, takst.txt" in result.text


def test_eml_without_a_folder_names_attachments_only(tmp_path):
    message, _ = mail_with_attachments(tmp_path)
    before = set(tmp_path.iterdir())
    result = extract(write(tmp_path / "post.eml", message), ".eml")
    assert result.attachments == []
    assert "takst.txt" in result.text
    assert set(tmp_path.iterdir()) - before == {tmp_path / "post.eml"}


def test_eml_without_body(tmp_path):
    message = mail("Bare vedlegg")
    message.add_attachment(b"%PDF-1.4 tom", maintype="application", subtype="pdf", filename="a.pdf")
    out = tmp_path / "ut"
    out.mkdir()
    result = extract(write(tmp_path / "tom.eml", message), ".eml", attachments_dir=out)
    assert result.text.splitlines()[2] == "Subject: Bare vedlegg"
    assert [a.name for a in result.attachments] == ["a.pdf"]

    headers_only = mail("Ingen innhold")
    result = extract(write(tmp_path / "bare-hode.eml", headers_only), ".eml", attachments_dir=out)
    assert result.text.endswith("Subject: Ingen innhold\nDate: Mon, 02 Mar 2026 09:30:00 +0000")
    assert result.attachments == []


def test_eml_html_only_body_keeps_content_not_menus(tmp_path):
    message = mail()
    message.set_content(
        "<html><body><nav><a href='/'>Forside</a> <a href='/kjop'>Kjøp bolig</a></nav>"
        "<main><h1>Budaksept</h1><p>Budet på kr 6 300 000 er akseptert av selger.</p></main>"
        "<footer>Avmeld nyhetsbrev</footer></body></html>", subtype="html")
    result = extract(write(tmp_path / "html.eml", message), ".eml")
    assert "Budet på kr 6 300 000 er akseptert av selger." in result.text
    for chrome in ("Forside", "Kjøp bolig", "Avmeld"):
        assert chrome not in result.text
    body = result.text.split("\n\n", 1)[1]
    assert body.startswith("Budaksept") and "<" not in body


def test_eml_attached_mail_and_inline_logo(tmp_path):
    inner = mail("Videresendt: Budjournal")
    inner.set_content("Budjournalen ligger her.")
    message = mail()
    message.set_content("Se videresendt e-post.")
    message.add_alternative("<p>Se videresendt e-post.<img src='cid:logo'></p>", subtype="html")
    html_part = message.get_payload()[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\nlogo", maintype="image", subtype="png", cid="<logo>",
                          filename="logo.png")
    message.add_attachment(inner)
    out = tmp_path / "ut"
    out.mkdir()
    result = extract(write(tmp_path / "fwd.eml", message), ".eml", attachments_dir=out)
    assert [a.name for a in result.attachments] == ["Videresendt: Budjournal.eml"]  # not the logo
    attached = result.attachments[0]
    assert attached.content_type == "message/rfc822"
    inner_result = extract(attached.path, ".eml")
    assert "Budjournalen ligger her." in inner_result.text
    assert "Subject: Videresendt: Budjournal" in inner_result.text


def test_eml_attachment_limits(tmp_path, monkeypatch):
    message, _ = mail_with_attachments(tmp_path)
    path = write(tmp_path / "post.eml", message)
    out = tmp_path / "ut"
    out.mkdir()
    monkeypatch.setattr(eml, "MAX_ATTACHMENTS", 1)
    assert len(extract(path, ".eml", attachments_dir=out).attachments) == 1

    out2 = tmp_path / "ut2"
    out2.mkdir()
    monkeypatch.setattr(eml, "MAX_ATTACHMENTS", 50)
    monkeypatch.setattr(eml, "MAX_ATTACHMENT_BYTES", 1000)  # the PDF alone is larger
    result = extract(path, ".eml", attachments_dir=out2)
    assert [a.name for a in result.attachments][:1] == ["takst.txt"]
    assert sum(p.stat().st_size for p in out2.iterdir()) <= 1000
    assert "Kjøpekontrakt Strandkaien.pdf" in result.text  # still named in the mail's text


def test_eml_unknown_charset_and_nameless_attachment(tmp_path):
    raw = (
        b"From: megler@example.no\r\nSubject: =?utf-8?q?Oppgj=C3=B8r?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=x-ukjent\r\n\r\nOppgj\xc3\xb8ret er klart.\r\n"
        b"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--XX--\r\n"
    )
    path = tmp_path / "rar.eml"
    path.write_bytes(raw)
    out = tmp_path / "ut"
    out.mkdir()
    result = extract(path, ".eml", attachments_dir=out)
    assert "Subject: Oppgjør" in result.text
    assert "Oppgjøret er klart." in result.text
    assert [(a.name, a.path.read_bytes()) for a in result.attachments] == [("vedlegg-1.pdf", b"%PDF-1.4")]


def test_not_an_email(tmp_path):
    path = tmp_path / "bilde.eml"
    path.write_bytes(bytes(range(256)) * 64)
    assert refused(path, ".eml") == "error.corrupt_eml"


# --- HTML -----------------------------------------------------------------------------------------

REALISTIC_PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Strandkaien 12 | Meglerhuset</title>
<style>body { font-family: sans-serif }</style>
<script>window.dataLayer = [];</script></head>
<body>
  <a class="skip-link" href="#innhold">Hopp til innhold</a>
  <div id="cookie-banner" class="cookie-consent">Vi bruker informasjonskapsler. <button>Godta</button></div>
  <header class="site-header">
    <a href="/"><img src="logo.svg" alt="Meglerhuset"></a>
    <nav aria-label="Hovedmeny"><ul><li><a href="/kjop">Kjøp bolig</a></li>
      <li><a href="/selg">Selg bolig</a></li><li><a href="/kontakt">Kontakt oss</a></li></ul></nav>
  </header>
  <ol class="breadcrumb"><li>Forside</li><li>Boliger til salgs</li></ol>
  <main id="innhold">
    <article>
      <header><h1>Salgsoppgave Strandkaien 12</h1><p>Publisert 2. mars 2026</p></header>
      <p>{salgsoppgave}</p>
      <p>{energiattest}</p>
      <table><tr><th>Prisantydning</th><td>kr 6 450 000</td></tr></table>
      <div hidden>Skjult utkast som ikke skal med</div>
    </article>
  </main>
  <aside><h2>Lignende boliger</h2><p>Bjørnveien 3, Sandnes</p></aside>
  <footer class="site-footer"><p>Personvernerklæring</p><p>Org.nr. 999 888 777</p></footer>
</body></html>
"""


def test_html_keeps_the_main_content_and_drops_the_site_around_it(tmp_path):
    path = tmp_path / "annonse.html"
    path.write_text(REALISTIC_PAGE.replace("{salgsoppgave}", SALGSOPPGAVE)
                    .replace("{energiattest}", ENERGIATTEST), encoding="utf-8")
    text = extract(path, ".html").text
    flat = " ".join(text.split())
    assert text.startswith("Salgsoppgave Strandkaien 12")  # the article's own header is kept
    assert "Publisert 2. mars 2026" in text
    assert SALGSOPPGAVE in flat and ENERGIATTEST in flat
    assert "Prisantydning" in text and "kr 6 450 000" in text
    for chrome in ("Hopp til innhold", "informasjonskapsler", "Godta", "Kjøp bolig", "Selg bolig",
                   "Kontakt oss", "Boliger til salgs", "Lignende boliger", "Bjørnveien",
                   "Personvernerklæring", "999 888 777", "Skjult utkast", "dataLayer", "font-family"):
        assert chrome not in text, chrome


def test_html_without_main_drops_page_header_footer_and_nav():
    markup = (
        "<html><body><div id='nav'><a>Hjem</a> <a>Om oss</a></div>"
        "<header><h2>Meglerhuset AS</h2></header>"
        f"<div class='content'><h1>Kjøpekontrakt</h1><p>{KJOPEKONTRAKT}</p></div>"
        "<div role='navigation'>Neste side</div>"
        "<footer>Alle rettigheter forbeholdt</footer><!-- kommentar --></body></html>"
    )
    text = html_to_text(markup)
    assert text.startswith("Kjøpekontrakt")
    assert KJOPEKONTRAKT in " ".join(text.split())
    for chrome in ("Hjem", "Om oss", "Meglerhuset AS", "Neste side", "rettigheter", "kommentar"):
        assert chrome not in text


def test_html_with_an_empty_main_shell_uses_the_body():
    markup = f"<html><body><main></main><div><p>{TAKST}</p></div><nav>Meny</nav></body></html>"
    text = html_to_text(markup)
    assert TAKST in " ".join(text.split())
    assert "Meny" not in text


def test_html_fragments_and_empty_markup():
    assert html_to_text("") == ""
    assert html_to_text("<?xml version='1.0'?><p>Skjøte tinglyst</p>") == "Skjøte tinglyst"
    assert html_to_text("bare tekst, ingen tagger") == "bare tekst, ingen tagger"


# --- thumbnails of images -------------------------------------------------------------------------


def png_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


@pytest.mark.parametrize("ext,fmt", [(".png", "PNG"), (".jpg", "JPEG"), (".tif", "TIFF")])
def test_image_thumbnail(tmp_path, ext, fmt):
    path = tmp_path / f"bilde{ext}"
    Image.new("RGB", (2480, 3508), (200, 30, 30)).save(path, format=fmt)
    thumb = png_of(thumbnail.render(path, ext, ""))
    assert thumb.width == thumbnail.WIDTH
    assert abs(thumb.height - round(240 * 3508 / 2480)) <= 1  # proportions kept
    r, g, b = thumb.getpixel((120, 160))
    assert r > 150 and g < 80 and b < 80


def test_tiff_thumbnail_is_the_first_frame(tmp_path):
    path = tmp_path / "sider.tiff"
    first = Image.new("RGB", (1240, 1754), (20, 20, 200))
    rest = [Image.new("RGB", (1240, 1754), (20, 200, 20)) for _ in range(2)]
    first.save(path, save_all=True, append_images=rest)
    r, g, b = png_of(thumbnail.render(path, ".tiff", "")).getpixel((100, 100))
    assert b > 150 and g < 80


def test_thumbnail_of_a_sideways_phone_photo_is_upright(tmp_path):
    stored = Image.new("RGB", (400, 300), "white")  # landscape as stored ...
    exif = Image.Exif()
    exif[0x0112] = 6  # ... shown portrait
    path = tmp_path / "mobil.jpg"
    stored.save(path, exif=exif)
    thumb = png_of(thumbnail.render(path, ".jpg", ""))
    assert thumb.height > thumb.width


# --- formats and signatures -----------------------------------------------------------------------


@pytest.mark.parametrize("name,head,ok", [
    ("skann.png", b"\x89PNG\r\n\x1a\n....", True),
    ("skann.png", b"GIF89a", False),
    ("foto.JPG", b"\xff\xd8\xff\xe1", True),
    ("foto.jpeg", b"\x89PNG\r\n\x1a\n", False),
    ("skann.tif", b"II*\x00rest", True),
    ("skann.tiff", b"MM\x00*rest", True),
    ("skann.tiff", b"%PDF-1.7", False),
    ("rapport.odt", b"PK\x03\x04", True),
    ("rapport.odt", b"<?xml", False),
    ("post.eml", b"From: a@b.no", True),
])
def test_new_formats_and_signatures(name, head, ok):
    assert formats.is_supported(name)
    ext = formats.extension_of(name)
    assert formats.signature_matches(ext, head) is ok


def test_content_types():
    assert formats.content_type_for(".odt") == "application/vnd.oasis.opendocument.text"
    assert formats.content_type_for(".eml") == "message/rfc822"
    assert formats.content_type_for(".tif") == "image/tiff"
    assert formats.content_type_for(".jpg") == "image/jpeg"


# --- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SALGSOPPGAVE, ENERGIATTEST, KJOPEKONTRAKT, TAKST,
                                  "Kjøperen overtar boligen 1. mars etter oppgjør.",
                                  "Eg har kjøpt eit hus ved sjøen, og det er ikkje langt frå byen."])
def test_norwegian_is_nb(text):
    assert language.detect(text) == "nb"


@pytest.mark.parametrize("text,code", [
    ("The buyer takes over the property on 1 March, after settlement through the broker.", "en"),
    ("Köparen tar över bostaden den första mars efter att likviden betalats.", "sv"),
    ("Køberen overtager boligen den første marts, efter at købesummen er betalt.", "da"),
    ("Der Käufer übernimmt die Wohnung am ersten März nach der Zahlung.", "de"),
])
def test_other_languages(text, code):
    assert language.detect(text) == code


@pytest.mark.parametrize("text", ["", "Selger Kari", "12 345 678 90 / 2026-03-02", "\n\n\t"])
def test_too_little_text_has_no_language(text):
    assert language.detect(text) is None


def test_extract_sets_language(tmp_path):
    path = tmp_path / "engelsk.txt"
    path.write_text("This purchase agreement transfers the property at Strandkaien 12 to the buyer.",
                    encoding="utf-8")
    assert extract(path, ".txt").language == "en"
    assert extract(make_pdf(tmp_path / "norsk.pdf", [KJOPEKONTRAKT]), ".pdf").language == "nb"
