from datetime import datetime

from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class OfficeSource:
    MANUAL = "manual"
    VITEC = "vitec"


class Office(SQLModel, table=True):
    """A brokerage office. Users belong to one; documents carry one (the office dimension);
    a document shared with its office is visible to everyone there. `vitec_id` links it to
    Vitec Megler's department when synced (dokvault/services/org/vitec_sync.py): such an
    office is Vitec's to name and to retire; a manual one an admin renames, merges and
    deactivates."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    vitec_id: str | None = Field(default=None, max_length=64, unique=True)
    source: str = Field(default=OfficeSource.MANUAL, max_length=16)
    is_active: bool = True
    # What Vitec says about the department (empty for a manual office).
    market_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=64)
    street_address: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=16)
    city: str = Field(default="", max_length=100)
    has_picture: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
