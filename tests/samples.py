"""Realistic sample documents for unit tests, browser tests and benchmarks.

Norwegian brokerage text, written as PDF (fpdf2 with an embedded Unicode TTF so
æøå survive extraction), DOCX (python-docx), HTML and plain text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

SALGSOPPGAVE = (
    "Salgsoppgave for Strandkaien 12, 4005 Stavanger. Eiendommene til kjøperen ligger ved "
    "Strandkaien, med utsikt over Vågen. Boligen har tre soverom, stue med peis og en "
    "solrik terrasse mot sør. Prisantydning kr 6 450 000,- pluss omkostninger."
)
ENERGIATTEST = (
    "Energiattest for bolig. Energikarakter C, oppvarmingskarakter gul. Attesten er utstedt "
    "av Enova og gjelder i ti år. Beregnet levert energi er 142 kWh per kvadratmeter per år."
)
KJOPEKONTRAKT = (
    "Kjøpekontrakt mellom selgeren Kari Nordmann og kjøperne Ola og Åse Hansen om overdragelse "
    "av gnr. 57 bnr. 311 i Stavanger kommune. Kjøpesummen på kr 6 300 000 gjøres opp via "
    "meglers klientkonto før overtakelse den 15. mars."
)
TAKST = (
    "Verditakst utført av takstmann. Taksten setter markedsverdien til kr 6 200 000 og "
    "låneverdien til kr 5 900 000. Tilstandsgrad 1 på bad og kjøkken."
)
NORWEGIAN_SAMPLES = (SALGSOPPGAVE, ENERGIATTEST, KJOPEKONTRAKT, TAKST)


def make_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A PDF with one page per text, in DejaVu Sans so Norwegian letters extract as written."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creator("DokVault tests")
    pdf.add_font("DejaVu", "", str(FONT_PATH))
    pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    path = Path(path)
    pdf.output(str(path))
    return path


def make_docx(
    path: Path, paragraphs: Sequence[str], table_rows: Sequence[Sequence[str]] | None = None
) -> Path:
    """A Word document with the paragraphs and, optionally, one table."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        columns = max(len(row) for row in table_rows)
        table = document.add_table(rows=len(table_rows), cols=columns)
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    path = Path(path)
    document.save(str(path))
    return path


def make_html(path: Path, title: str, body_paragraphs: Sequence[str]) -> Path:
    """An HTML page with a script and a style block whose content must never be extracted."""
    body = "\n".join(f"    <p>{html.escape(p)}</p>" for p in body_paragraphs)
    markup = f"""<!doctype html>
<html lang="nb">
  <head>
    <meta charset="utf-8">
    <title>{html.escape(title)}</title>
    <style>.hidden-style-marker {{ color: red; }}</style>
    <script>var hiddenScriptMarker = "skal ikke vises";</script>
  </head>
  <body>
    <h1>{html.escape(title)}</h1>
{body}
  </body>
</html>
"""
    path = Path(path)
    path.write_text(markup, encoding="utf-8")
    return path


def make_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = Path(path)
    path.write_bytes(text.encode(encoding))
    return path


def make_corrupt_pdf(path: Path) -> Path:
    """Looks like a PDF by its signature; nothing after it parses."""
    path = Path(path)
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\nthis is not a pdf\n")
    return path
