"""Hand work to the Dramatiq actors. Services call this; actors call services back."""

from __future__ import annotations


def enqueue_processing(document_id: int) -> None:
    from workers.documents import process_document

    process_document.send(document_id)
