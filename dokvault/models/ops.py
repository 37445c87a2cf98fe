from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class SanityReport(SQLModel, table=True):
    """One run of the sanity check (services/ops/sanity.py): what it found, for the admin
    page. Only the last runs are kept."""

    __tablename__ = "sanity_report"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)  # running, done, error
    checksums: bool = False
    documents: int = 0  # rows looked at
    objects: int = 0  # keys listed in the object store
    # {"missing_object": n, "missing_thumbnail": n, "orphan_object": n, "checksum_mismatch": n}
    counts: dict = Field(default_factory=dict, sa_type=JSON)
    # The first problems: [{"kind": …, "key": …, "document_id": …}] (bounded, see sanity.py).
    problems: list[dict] = Field(default_factory=list, sa_type=JSON)
    error: str | None = Field(default=None, max_length=500)
