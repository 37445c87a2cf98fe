"""Classify a document with the organisation's provider (falling back to `local`), apply
the suggestion at once (unconfirmed, so search and facets see it), and keep the `local`
model trained on what people confirmed."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, timedelta

from sqlmodel import Session, col, delete, select

from dokvault import db
from dokvault.ai.providers import classify_with_fallback
from dokvault.ai.types import AIProvider, Suggestion, Taxonomy
from dokvault.core import audit, metrics
from dokvault.extract.layout import Layout
from dokvault.models import (
    Classification,
    CustomField,
    Document,
    DocumentFieldValue,
    DocumentStatus,
    DocumentTag,
    DocumentText,
    DocumentType,
    Tag,
)
from dokvault.models.base import utcnow
from dokvault.services.intelligence import ai_settings, local_model
from dokvault.services.intelligence import taxonomy as taxonomy_service

log = logging.getLogger(__name__)
# Fields whose value is the document's own date, in order of preference.
DATE_FIELDS = ("document_date", "contract_date")

# A document ready this recently without suggestions is still waiting for the `ai` queue.
SUGGESTIONS_EXPECTED_WITHIN = timedelta(minutes=5)


def awaits_suggestions(document: Document) -> bool:
    """Ready, not classified yet, and read recently: its suggestions are on their way."""
    if document.status != DocumentStatus.READY or document.processed_at is None:
        return False
    if utcnow() - document.processed_at > SUGGESTIONS_EXPECTED_WITHIN:
        return False
    with db.session() as s:
        return s.exec(select(Classification.id)
                      .where(Classification.document_id == document.id)).first() is None


def configured_provider() -> AIProvider:
    """The provider an admin chose (dokvault.services.intelligence.ai_settings), else `local`."""

    return ai_settings.build()


def classify_document(document_id: int) -> Suggestion | None:
    """Suggest type, tags, fields, title and summary, and apply them unconfirmed. Once: a
    document with suggestions already (a message delivered twice, or sent again by the
    sweep while it waited in a long queue) costs no second provider call, and one a person
    reviewed keeps what they chose."""
    with db.session() as s:
        document = s.get(Document, document_id)
        text_row = s.get(DocumentText, document_id)
        done = s.exec(select(Classification.id).where(
            Classification.document_id == document_id)).first()
    if document is None or done is not None:
        return None
    started = time.monotonic()
    text = (text_row.text if text_row else "") or document.name
    taxonomy = taxonomy_service.load()
    shared = local_model.local_provider()
    fallback = shared.for_document(Layout.from_json(text_row.layout) if text_row else None)
    primary = configured_provider()
    if primary is shared:  # `local` itself: read with the document's layout
        primary = fallback
    suggestion = asyncio.run(_classify(primary, fallback, text, taxonomy))
    apply(document_id, suggestion, taxonomy)
    metrics.record_stage("classification", document_id, time.monotonic() - started)
    log.info("document classified id=%s provider=%s model=%s fallback_from=%s type=%s conf=%.2f",
             document_id, suggestion.provider, suggestion.model, suggestion.fallback_from,
             suggestion.document_type, suggestion.type_confidence)
    return suggestion


async def _classify(primary: AIProvider, fallback: AIProvider, text: str,
                    taxonomy: Taxonomy) -> Suggestion:
    try:
        return await classify_with_fallback(primary, fallback, text, taxonomy)
    finally:
        close = getattr(primary, "aclose", None)
        if close is not None and primary is not fallback:
            await close()


def apply(document_id: int, suggestion: Suggestion, taxonomy: Taxonomy | None = None) -> None:
    """Write a suggestion onto the document (type, tags, fields, title, summary, date) and
    keep it beside for the review."""
    with db.session() as s:
        document = s.get(Document, document_id)
        row = s.exec(select(Classification).where(Classification.document_id == document_id)).first()
        if document is None or (row is not None and row.reviewed_at is not None):
            return  # gone, or a person decided while the classifier was reading it
        set_values(s, document, suggestion.document_type, suggestion.tags, suggestion.fields)
        document.title = (suggestion.title or "")[:300] or None
        document.summary = (suggestion.summary or "")[:1000] or None
        s.add(document)
        row = row or Classification(document_id=document_id, provider=suggestion.provider)
        row.provider, row.model = suggestion.provider, suggestion.model[:128]
        row.fallback_from = suggestion.fallback_from
        row.suggestion = suggestion.model_dump_json()
        row.confidence = suggestion.type_confidence
        row.reviewed_at = row.reviewed_by_id = None
        s.add(row)
        s.commit()
        # The classifier changed the document's metadata (names and values stay out).
        audit.record("document.classified", target_user_id=document.owner_id, session=s,
                     document_id=document_id, provider=suggestion.provider,
                     type_id=document.document_type_id)


def set_values(s: Session, document: Document, type_name: str | None, tag_names: list[str],
               fields: dict[str, str]) -> None:
    """The document's type, tags and custom field values, by name (unknown names dropped)."""
    types = {t.name: t.id for t in s.exec(select(DocumentType)).all()}
    tags = {t.name: t.id for t in s.exec(select(Tag)).all()}
    specs = {f.key: f for f in s.exec(select(CustomField)).all()}
    document.document_type_id = types.get(type_name) if type_name else None
    s.exec(delete(DocumentTag).where(DocumentTag.document_id == document.id))
    for tag_id in {tags[n] for n in tag_names if n in tags}:
        s.add(DocumentTag(document_id=document.id, tag_id=tag_id))
    s.exec(delete(DocumentFieldValue).where(DocumentFieldValue.document_id == document.id))
    for key, value in fields.items():
        value = " ".join(str(value).split())[:500]
        if key in specs and value:
            s.add(DocumentFieldValue(document_id=document.id, field_id=specs[key].id, value=value))
    document.document_date = _own_date(fields)


def rename_in_pending(s: Session, kind: str, before: str, after: str) -> int:
    """An admin renamed a type, tag or field (`kind`): unconfirmed suggestions say the new
    name, so accepting one keeps it (set_values drops names it does not know). Reviewed
    ones are history and stay. Returns how many changed; the caller commits."""
    rows = s.exec(select(Classification).where(
        col(Classification.reviewed_at).is_(None),
        col(Classification.suggestion).contains(before, autoescape=True))).all()
    changed = 0
    for row in rows:
        suggestion = Suggestion.model_validate_json(row.suggestion)
        if kind == "type" and suggestion.document_type == before:
            suggestion.document_type = after
        elif kind == "tag" and before in suggestion.tags:
            suggestion.tags = [after if t == before else t for t in suggestion.tags]
            if before in suggestion.tag_confidence:
                suggestion.tag_confidence[after] = suggestion.tag_confidence.pop(before)
        elif kind == "field" and before in suggestion.fields:
            suggestion.fields = {after if k == before else k: v for k, v in suggestion.fields.items()}
        else:
            continue  # the name only appeared somewhere in the text of the suggestion
        row.suggestion = suggestion.model_dump_json()
        s.add(row)
        changed += 1
    return changed


def _own_date(fields: dict[str, str]) -> date | None:
    for key in DATE_FIELDS:
        try:
            return date.fromisoformat(fields.get(key, ""))
        except ValueError:
            continue
    return None
