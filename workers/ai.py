"""The `ai` queue: suggestions for a new document, and training the shared local model.
Extraction does not wait for either."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core.jobs import queue_of
from dokvault.services.intelligence import classification, local_model, taxonomy_apply


@dramatiq.actor(queue_name=queue_of("classify_document"), max_retries=2, min_backoff=2000,
                time_limit=10 * 60 * 1000)
def classify_document(document_id: int) -> None:
    classification.classify_document(document_id)  # a failure leaves the document ready


@dramatiq.actor(queue_name=queue_of("retrain_local_model"), max_retries=1, time_limit=10 * 60 * 1000)
def retrain_local_model() -> None:
    local_model.retrain_if_changed()


@dramatiq.actor(queue_name=queue_of("apply_taxonomy_rule"), max_retries=1, time_limit=60 * 60 * 1000)
def apply_taxonomy_rule(kind: str, item_id: int, actor_id: int | None = None) -> None:
    taxonomy_apply.apply_rule(kind, item_id, actor_id)
