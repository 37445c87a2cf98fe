"""Reading a failed or waiting document again, at the owner's or an admin's request:
one from its page, or many from the list. Checked here, whoever calls: a document
someone else owns is refused (and audited), even when shared with their office.
Idempotent: a second click finds the document `uploaded` already and sends nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import Document, DocumentStatus, User
from dokvault.models.base import utcnow
from dokvault.services.access import changeable_by
from dokvault.services.documents.intake import queue_document
from dokvault.services.documents.library import parse_uid

log = logging.getLogger(__name__)
RETRYABLE = (DocumentStatus.FAILED, DocumentStatus.WAITING)


@dataclass
class Retried:
    sent: int     # sent to be read again
    refused: int  # not the user's to retry (or unknown)


def retry_documents(user: User, uids: list[str], client: Client = Client()) -> Retried:
    """Send again those of `uids` that are failed or waiting and the user's to change."""
    parsed = {u for u in (parse_uid(uid) for uid in uids) if u is not None}
    with db.session() as s:
        allowed = set(s.exec(select(Document.uid).where(
            col(Document.uid).in_(parsed), changeable_by(user))).all())
        sent = list(s.execute(
            update(Document)
            .where(col(Document.uid).in_(allowed), col(Document.status).in_([str(r) for r in RETRYABLE]),
                   col(Document.deleted_at).is_(None))
            .values(status=DocumentStatus.UPLOADED, error=None, attempts=0, updated_at=utcnow())
            .returning(Document.id)).scalars().all())
        s.commit()
    refused = len(set(uids)) - len(allowed)
    if refused:
        log.warning("document retry refused user=%s count=%s", user.id, refused)
        audit.record("document.retry_refused", actor_id=user.id, client=client, count=refused)
    for document_id in sent:
        queue_document(document_id)
    if sent:
        log.info("documents sent again user=%s count=%s", user.id, len(sent))
    return Retried(sent=len(sent), refused=refused)


def retry_failed() -> int:
    """Every failed document sent to be read again, for an operator (`dokvault requeue
    --failed`, after a fix for what failed them); returns how many."""
    with db.session() as s:
        sent = list(s.execute(
            update(Document)
            .where(col(Document.status) == DocumentStatus.FAILED, col(Document.deleted_at).is_(None))
            .values(status=DocumentStatus.UPLOADED, error=None, attempts=0, updated_at=utcnow())
            .returning(Document.id)).scalars().all())
        s.commit()
    for document_id in sent:
        queue_document(document_id)
    if sent:
        log.info("failed documents sent again by an operator count=%s", len(sent))
        audit.record("document.retry_failed", via="cli", count=len(sent))
    return len(sent)
