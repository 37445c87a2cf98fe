"""What documents are: types, tags and custom fields (admins edit them), the values each
document has, and the classifier's suggestions with their human review."""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class DocumentType(SQLModel, table=True):
    __tablename__ = "document_type"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)
    description: str = Field(default="", max_length=500)
    # A paperless-style matching rule (dokvault.ai.matching), used before the local model
    # has confirmed documents to learn from.
    match: str = Field(default="", max_length=1000)
    algorithm: str = Field(default="none", max_length=16)
    case_sensitive: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    color: str = Field(default="gray", max_length=16)
    description: str = Field(default="", max_length=500)
    match: str = Field(default="", max_length=1000)
    algorithm: str = Field(default="none", max_length=16)
    case_sensitive: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class CustomField(SQLModel, table=True):
    __tablename__ = "custom_field"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)  # as typed in search: `address:"..."`
    label: str = Field(max_length=128)
    kind: str = Field(default="text", max_length=16)  # dokvault.ai.types.FieldKind
    description: str = Field(default="", max_length=500)


class DocumentTag(SQLModel, table=True):
    __tablename__ = "document_tag"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True, ondelete="CASCADE")


class DocumentFieldValue(SQLModel, table=True):
    __tablename__ = "document_field"
    __table_args__ = (Index("ix_document_field_field_value", "field_id", "value"),)

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    field_id: int = Field(foreign_key="custom_field.id", primary_key=True, ondelete="CASCADE")
    value: str = Field(max_length=500)


class Classification(SQLModel, table=True):
    """The latest suggestion for a document (applied at once, unconfirmed) and its review."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True, ondelete="CASCADE")
    provider: str = Field(max_length=32)
    model: str = Field(default="", max_length=128)
    fallback_from: str | None = Field(default=None, max_length=32)
    suggestion: str = Field(default="{}", sa_type=Text)  # dokvault.ai.types.Suggestion as JSON
    confidence: float = Field(default=0.0, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    reviewed_at: datetime | None = Field(default=None, index=True)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class ReviewRecord(SQLModel, table=True):
    """One reviewed field of one document: what was suggested, what a human kept. These
    give the accuracy figures and, with the document text, train the local model."""

    __tablename__ = "review_record"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    provider: str = Field(max_length=32, index=True)
    field: str = Field(max_length=80)  # "type", "tags", "title", "field:<key>"
    suggested: str = Field(default="", max_length=1000)
    final: str = Field(default="", max_length=1000)
    accepted: bool = True  # kept unchanged
    created_at: datetime = Field(default_factory=utcnow)
