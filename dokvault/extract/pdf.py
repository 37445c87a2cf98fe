from pathlib import Path

import pypdfium2 as pdfium

from dokvault.extract import Extracted, ExtractionError


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = "error.pdf_encrypted" if "password" in str(exc).lower() else "error.corrupt_pdf"
        raise ExtractionError(code, str(exc)) from exc


def extract(path: Path) -> Extracted:
    pdf = _open(path)
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return Extracted(text="\n\n".join(p.strip() for p in pages).strip(), page_count=len(pdf))
    finally:
        pdf.close()


def render_first_page(path: Path, width: int):
    """The first page as a PIL image `width` pixels wide."""
    pdf = _open(path)
    try:
        if len(pdf) == 0:
            raise ExtractionError("error.corrupt_pdf", "no pages")
        page = pdf[0]
        scale = width / max(page.get_width(), 1)
        image = page.render(scale=scale).to_pil()
        page.close()
        return image
    finally:
        pdf.close()
