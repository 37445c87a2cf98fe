from pathlib import Path

import docx

from dokvault.extract import Extracted, ExtractionError


def extract(path: Path) -> Extracted:
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # bad zip, missing parts, broken XML: all one answer to a person
        raise ExtractionError("error.corrupt_docx", f"{type(exc).__name__}: {exc}") from exc
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
            if cells:
                parts.append(" | ".join(cells))
    return Extracted(text="\n".join(parts).strip())
