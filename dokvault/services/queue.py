"""Hand work to the Dramatiq actors. Services call this; actors call services back."""

from __future__ import annotations


def enqueue_processing(document_id: int) -> None:
    from workers.documents import process_document

    process_document.send(document_id)


def enqueue_reindex() -> None:
    """Index search vectors of an older format again, a batch at a time."""
    from workers.documents import reindex_search

    reindex_search.send()


def enqueue_retrain() -> None:
    """Retrain the `local` model soon; a burst of reviews costs one training (the actor
    skips when the confirmed set has not changed since the last one)."""
    from workers.documents import retrain_local_model

    retrain_local_model.send_with_options(delay=5000)


def enqueue_mail(kind: str, user_id: int, lang: str = "nb", reason: str = "", ip: str = "") -> None:
    """A mail to a user on the `email` queue (see dokvault.services.notify.notifications.KINDS).
    Only ids and plain values travel: a reset link is minted by the worker."""
    from workers.email import send_notification

    send_notification.send(kind, user_id, lang, reason, ip)


def enqueue_security_alert(user_id: int, lang: str = "nb", reason: str = "", ip: str = "") -> None:
    enqueue_mail("security_alert", user_id, lang, reason, ip)
