"""The `documents` queue: extraction, OCR, thumbnails, indexing."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core.jobs import queue_of
from dokvault.core.outages import is_outage
from dokvault.services import documents

# An outage (database, object store, broker away) is ridden out: about 15 minutes of
# tries, at most 30 s apart, so a document goes on within 30 s of the service being
# back; after that it waits and the scheduled sweep sends it again. Other errors: 3 tries.
OUTAGE_RETRIES = 35
OTHER_RETRIES = 3


def should_retry(retries_so_far: int, exc: BaseException) -> bool:
    return retries_so_far < (OUTAGE_RETRIES if is_outage(exc) else OTHER_RETRIES)


# OCR of a long scan takes minutes (each page has its own limit, see extract/ocr.py).
@dramatiq.actor(queue_name=queue_of("process_document"), retry_when=should_retry,
                min_backoff=1000, max_backoff=30000,
                time_limit=int(documents.processing.PROCESSING_TIME_LIMIT.total_seconds() * 1000))
def process_document(document_id: int) -> None:
    documents.process_document(document_id)


@dramatiq.actor(queue_name=queue_of("reindex_search"), max_retries=3, time_limit=10 * 60 * 1000)
def reindex_search() -> None:
    """A batch of search vectors of an older format; the next batch goes back in the queue,
    so uploads are not kept waiting behind all of them."""
    if documents.reindex_stale():
        reindex_search.send()
