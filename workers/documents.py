"""The `documents` queue: extraction, thumbnails, indexing. Thin actors, ids only."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.services import documents


@dramatiq.actor(queue_name="documents", max_retries=3, min_backoff=1000, max_backoff=30000,
                time_limit=10 * 60 * 1000)
def process_document(document_id: int) -> None:
    documents.process_document(document_id)
