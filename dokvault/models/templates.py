"""The templates hub: HTML letters, checklists and standard texts the firm uses, stored
sanitised, grouped by category and office, with every saved version kept."""

import uuid
from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Template(SQLModel, table=True):
    """The current version of a template (its versions hold every save, this one too)."""

    id: int | None = Field(default=None, primary_key=True)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    title: str = Field(max_length=200, index=True)
    category: str = Field(default="", max_length=100, index=True)
    # None: the whole organisation's; else that office's (its managers may edit it).
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    html: str = Field(default="", sa_type=Text)  # sanitised (services.templates.sanitize)
    text: str = Field(default="", sa_type=Text)  # its words, for search
    version: int = 1
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    # The network share's file it was imported from (its path there), None when made here:
    # importing that file again (into the same office) saves a new version of this one.
    source: str | None = Field(default=None, max_length=1000, index=True)


class TemplateVersion(SQLModel, table=True):
    """One save of a template, kept as it was."""

    __tablename__ = "template_version"
    __table_args__ = (UniqueConstraint("template_id", "version", name="uq_template_version"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="template.id", index=True, ondelete="CASCADE")
    version: int
    title: str = Field(max_length=200)
    category: str = Field(default="", max_length=100)
    office_id: int | None = Field(default=None, foreign_key="office.id", ondelete="SET NULL")
    html: str = Field(default="", sa_type=Text)
    saved_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    saved_at: datetime = Field(default_factory=utcnow)
    # "restored from version N" when this save brought an older version back.
    restored_from: int | None = None
