"""The `local` model every worker shares: trained in the background from the documents
people confirmed in review, stored as a signed file in the object store, and loaded again
by each process when a newer one was stored."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import col, select

from dokvault import db
from dokvault.ai import local, local_file
from dokvault.ai.local import ModelRefused
from dokvault.ai.local_provider import LocalProvider
from dokvault.ai.types import TrainingSample
from dokvault.core import jobs, leases
from dokvault.models import (
    AppSetting,
    Classification,
    CustomField,
    Document,
    DocumentFieldValue,
    DocumentTag,
    DocumentText,
    DocumentType,
    ReviewRecord,
    Tag,
)
from dokvault.services.intelligence import taxonomy as taxonomy_service
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)
# A burst of reviews costs one training: the job waits this long, and skips when the
# confirmed set has not changed since the last one.
RETRAIN_DELAY_MS = 5000
RETRAIN_AGAIN_MS = 30000  # after a skipped run: trainings take tens of seconds at 10k documents
TRAINING_LEASE = "local-model-training"
TRAINING_LEASE_SECONDS = 60.0
MODEL_KEY = "models/local-classifier.dvm"
MODEL_VERSION = "local_model.fingerprint"  # AppSetting: the fingerprint of the stored model

_local: LocalProvider | None = None
_local_lock = threading.Lock()


def local_provider() -> LocalProvider:
    """The `local` provider with the newest trained model every worker shares (kept in the
    object store); reloaded when a retrain stored a new one."""
    global _local
    with db.session() as s:
        setting = s.get(AppSetting, MODEL_VERSION)
    wanted = setting.value if setting else ""
    with _local_lock:
        current = _local.bundle.fingerprint if _local and _local.bundle else ""
        if _local is None or current != wanted:
            _local = LocalProvider(_load_bundle() if wanted else None)
        return _local


def _load_bundle() -> local.ModelBundle | None:
    store = get_object_store()
    try:
        if not store.exists(MODEL_KEY):
            return None
        return local_file.loads(b"".join(store.iter_chunks(MODEL_KEY)))
    except ModelRefused as exc:
        log.error("stored local model refused: %s; using the matching rules", exc)
        return None


# --- learning from what people confirmed -------------------------------------------------------

@dataclass(frozen=True)
class Confirmed:
    """What a person settled on for a reviewed document: what the model learns."""

    type: str | None
    tags: tuple[str, ...]
    fields: dict[str, str]
    corrected: tuple[str, ...]  # fields changed from the suggestion in review


def _confirmed_labels() -> dict[int, Confirmed]:
    """Document id -> what was confirmed, for every reviewed document still in use."""
    with db.session() as s:
        rows = s.exec(
            select(Document.id, DocumentType.name)
            .join(Classification, col(Classification.document_id) == Document.id)
            .join(DocumentType, col(DocumentType.id) == Document.document_type_id, isouter=True)
            .where(col(Classification.reviewed_at).is_not(None), col(Document.deleted_at).is_(None))
        ).all()
        tag_rows = s.exec(select(DocumentTag.document_id, Tag.name)
                          .join(Tag, col(Tag.id) == DocumentTag.tag_id)).all()
        field_rows = s.exec(select(DocumentFieldValue.document_id, CustomField.key, DocumentFieldValue.value)
                            .join(CustomField, col(CustomField.id) == DocumentFieldValue.field_id)
                            .join(Classification,
                                  col(Classification.document_id) == DocumentFieldValue.document_id)
                            .where(col(Classification.reviewed_at).is_not(None))).all()
        corrected_rows = s.exec(select(ReviewRecord.document_id, ReviewRecord.field).distinct()
                                .where(col(ReviewRecord.field).startswith("field:"),
                                       col(ReviewRecord.accepted).is_(False))).all()
    tags: dict[int, list[str]] = {}
    for document_id, name in tag_rows:
        tags.setdefault(document_id, []).append(name)
    fields: dict[int, dict[str, str]] = {}
    for document_id, key, value in field_rows:
        fields.setdefault(document_id, {})[key] = value
    corrected: dict[int, set[str]] = {}
    for document_id, name in corrected_rows:
        corrected.setdefault(document_id, set()).add(name.removeprefix("field:"))
    out = {}
    for document_id, type_name in rows:
        confirmed = fields.get(document_id, {})
        out[document_id] = Confirmed(type_name, tuple(sorted(tags.get(document_id, []))), confirmed,
                                     tuple(sorted(corrected.get(document_id, set()) & confirmed.keys())))
    return out


def _sample(document_id: int, confirmed: Confirmed, text: str = "", layout: str | None = None
            ) -> TrainingSample:
    return TrainingSample(text=text, document_type=confirmed.type, tags=confirmed.tags, id=document_id,
                          fields=confirmed.fields, corrected=confirmed.corrected, layout=layout)


def confirmed_samples(labels: dict[int, Confirmed] | None = None) -> Iterator[TrainingSample]:
    """The reviewed documents with their texts and layouts, streamed (10k texts never sit in
    memory)."""
    labels = _confirmed_labels() if labels is None else labels
    ids = sorted(labels)
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        with db.session() as s:
            texts = {i: (t, layout) for i, t, layout in s.exec(
                select(DocumentText.document_id, DocumentText.text, DocumentText.layout)
                .where(col(DocumentText.document_id).in_(batch))).all()}
        for document_id in batch:
            text, layout = texts.get(document_id, ("", None))
            yield _sample(document_id, labels[document_id], text, layout)


def retrain_if_changed() -> bool:
    """Train and store a new `local` model when the confirmed documents changed; the
    fingerprint needs only ids and labels, so an unchanged set costs one small query.

    One training at a time, across every worker (a lease): a run that finds another
    training asks for one more after it, since that one may have read the confirmed
    documents before the latest reviews."""
    with leases.held(TRAINING_LEASE, ttl=TRAINING_LEASE_SECONDS) as ours:
        if not ours:
            log.info("local model: another training is running; asking again in %s s",
                     RETRAIN_AGAIN_MS // 1000)
            retrain_soon(RETRAIN_AGAIN_MS)
            return False
        return _train_if_changed()


def _train_if_changed() -> bool:
    labels = _confirmed_labels()
    taxonomy = taxonomy_service.load()
    fingerprint = local.training_fingerprint((_sample(i, c) for i, c in labels.items()), taxonomy)
    with db.session() as s:
        setting = s.get(AppSetting, MODEL_VERSION)
    if setting is not None and setting.value == fingerprint:
        return False
    bundle = local.train(confirmed_samples(labels), taxonomy=taxonomy)
    get_object_store().put_bytes(MODEL_KEY, local_file.dumps(bundle), "application/octet-stream")
    with db.session() as s:
        setting = s.get(AppSetting, MODEL_VERSION) or AppSetting(key=MODEL_VERSION)
        setting.value = bundle.fingerprint
        s.add(setting)
        s.commit()
    log.info("local model trained on %s confirmed documents in %.1f s", len(labels),
             bundle.train_seconds)
    return True


def retrain_soon(delay_ms: int = RETRAIN_DELAY_MS) -> None:
    """Train the `local` model again in the background (the `ai` queue)."""
    jobs.send("retrain_local_model", delay_ms=delay_ms)
