"""What the workers measure as they go, for the analytics views: how long each stage of a
document took, and how many jobs waited in each queue. Bounded: rows older than the
retention are deleted by a scheduled job (core/metrics.py)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class StageTiming(SQLModel, table=True):
    """One stage of one document: upload, extraction, ocr or classification."""

    __tablename__ = "stage_timing"

    id: int | None = Field(default=None, primary_key=True)
    stage: str = Field(max_length=16)
    # Gone with its document: what is left can always be scoped to who may see it.
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    recorded_at: datetime = Field(default_factory=utcnow, index=True)
    duration_ms: int = 0


class QueueSample(SQLModel, table=True):
    """How many jobs waited in a queue at one moment (sampled on the maintenance queue)."""

    __tablename__ = "queue_sample"

    id: int | None = Field(default=None, primary_key=True)
    sampled_at: datetime = Field(default_factory=utcnow, index=True)
    queue: str = Field(max_length=32)
    depth: int = 0
