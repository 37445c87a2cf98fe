"""Helpers for the unit tests on the embedded default."""

from __future__ import annotations

import time
from pathlib import Path

from dokvault.models import Document
from dokvault.models.documents import DocumentStatus

FINAL = (DocumentStatus.READY, DocumentStatus.FAILED)


def wait_final(document_id: int, timeout: float = 20.0) -> Document:
    """Poll the database until the document is ready or failed."""
    from dokvault import db

    deadline = time.monotonic() + timeout
    while True:
        with db.session() as s:
            document = s.get(Document, document_id)
        assert document is not None, f"document {document_id} vanished"
        if document.status in FINAL:
            return document
        if time.monotonic() > deadline:
            raise AssertionError(
                f"document {document_id} still {document.status!r} after {timeout} s"
            )
        time.sleep(0.05)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
