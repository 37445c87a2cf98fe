"""An e-mail's attachments, and the files in a ZIP archive, become documents of their own,
linked to it, within bounds.

Attached mails and archives in archives are documents too, and their files in turn: a
small file of mails inside mails (or of zips inside zips) would otherwise make a hundred
thousand documents. So one upload makes at
most MAX_DOCUMENTS documents however its mails nest, counted on the upload at the top of
the parent chain; a mail or archive MAX_DEPTH levels down brings no attachments; and every attachment
passes the checks of an upload (intake.ingest_spooled: size, type, signature) and is
moved, not copied, from where the mail's reading wrote it into the object store. What was
not imported, and why, is noted on the mail.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import Session, select

from dokvault import db
from dokvault.core.filenames import UploadRefused
from dokvault.extract import Attachment, Notice, notice
from dokvault.extract.formats import is_supported
from dokvault.models import Document
from dokvault.services.documents.intake import ingest_spooled
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
MAX_DEPTH = 5
MAX_DOCUMENTS = 100



def _upload_of(session: Session, mail: Document) -> tuple[Document, int]:
    """The upload at the top of the mail's parent chain, and how many mails down the mail
    is (0: the mail is the upload); past MAX_DEPTH the walk stops."""
    top, depth = mail, 0
    while top.parent_id is not None and depth <= MAX_DEPTH:
        parent = session.get(Document, top.parent_id)
        if parent is None:
            break
        top, depth = parent, depth + 1
    return top, depth


def _claim(upload_id: int, wanted: int) -> int:
    """Up to `wanted` of the upload's remaining documents, claimed by compare-and-set, so
    mails read at the same time by other workers cannot pass MAX_DOCUMENTS together."""
    for _attempt in range(50):
        with db.session() as s:
            used = s.exec(select(Document.derived_documents).where(Document.id == upload_id)).first()
            granted = 0 if used is None else max(0, min(wanted, MAX_DOCUMENTS - used))
            if not granted:
                return 0
            claimed = s.execute(update(Document)
                                .where(Document.id == upload_id, Document.derived_documents == used)
                                .values(derived_documents=used + granted))
            s.commit()
            if claimed.rowcount == 1:
                return granted
    return 0


def ingest(mail: Document, attachments: list[Attachment]) -> list[Notice]:
    """Store the mail's attachments as documents linked to it; the notices say which were
    not imported, and why."""
    notices: list[Notice] = []
    mb = get_settings().max_upload_mb
    wanted = []
    for attachment in attachments:
        if is_supported(attachment.name):
            wanted.append(attachment)
        else:
            log.info("attachment skipped mail=%s: unsupported type", mail.id)
            notices.append(notice("notice.attachment_refused", name=attachment.name,
                                  reason="error.unsupported_type"))
    if not wanted:
        return notices
    with db.session() as s:
        upload, depth = _upload_of(s, mail)
    if depth >= MAX_DEPTH:
        log.warning("attachments not imported mail=%s: %s mails down, limit %s", mail.id, depth,
                    MAX_DEPTH)
        return [*notices, notice("notice.attachments_depth", n=len(wanted), limit=MAX_DEPTH)]
    granted = _claim(upload.id, len(wanted))
    if granted < len(wanted):
        log.warning("attachments not imported mail=%s: %s over the %s documents of upload=%s",
                    mail.id, len(wanted) - granted, MAX_DOCUMENTS, upload.id)
        notices.append(notice("notice.attachments_total", n=len(wanted) - granted,
                              limit=MAX_DOCUMENTS))
    for attachment in wanted[:granted]:
        try:
            ingest_spooled(mail.owner_id, attachment.path, attachment.name, parent_id=mail.id)
        except UploadRefused as exc:
            log.info("attachment refused mail=%s: %s", mail.id, exc.code)
            notices.append(notice("notice.attachment_refused", name=attachment.name,
                                  reason=exc.code, mb=mb, **exc.values))
    return notices
