from datetime import datetime

from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Office(SQLModel, table=True):
    """A brokerage office. Users belong to one; a document shared with its owner's office
    is visible to everyone there. `vitec_id` links it to Vitec Megler when synced."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    vitec_id: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
