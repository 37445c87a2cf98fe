"""Taxonomy (types, tags, custom fields), their values per document, classifier
suggestions and reviews; the document's own title, summary, date, language and OCR facts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _label_columns() -> list[sa.Column]:
    return [
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("match", sa.String(1000), nullable=False),
        sa.Column("algorithm", sa.String(16), nullable=False),
        sa.Column("case_sensitive", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "document_type",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        *_label_columns(),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("color", sa.String(16), nullable=False),
        *_label_columns(),
    )
    op.create_table(
        "custom_field",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
    )
    op.create_table(
        "document_tag",
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tag.id", ondelete="CASCADE"),
                  primary_key=True),
    )
    op.create_index("ix_document_tag_tag_id", "document_tag", ["tag_id"])
    op.create_table(
        "document_field",
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field_id", sa.Integer,
                  sa.ForeignKey("custom_field.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("value", sa.String(500), nullable=False),
    )
    op.create_index("ix_document_field_field_value", "document_field", ["field_id", "value"])
    op.create_table(
        "classification",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("fallback_from", sa.String(32)),
        sa.Column("suggestion", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
    )
    op.create_index("ix_classification_confidence", "classification", ["confidence"])
    op.create_index("ix_classification_reviewed_at", "classification", ["reviewed_at"])
    op.create_table(
        "review_record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("suggested", sa.String(1000), nullable=False),
        sa.Column("final", sa.String(1000), nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_record_document_id", "review_record", ["document_id"])
    op.create_index("ix_review_record_provider", "review_record", ["provider"])

    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("document_type_id", sa.Integer))
        batch.add_column(sa.Column("title", sa.String(300)))
        batch.add_column(sa.Column("summary", sa.String(1000)))
        batch.add_column(sa.Column("document_date", sa.Date))
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("ocr_pages", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("searchable_key", sa.String(300)))
        batch.add_column(sa.Column("parent_id", sa.Integer))
        batch.create_foreign_key("fk_document_document_type_id", "document_type",
                                 ["document_type_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key("fk_document_parent_id", "document", ["parent_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_document_document_type_id", ["document_type_id"])
        batch.create_index("ix_document_document_date", ["document_date"])
        batch.create_index("ix_document_parent_id", ["parent_id"])


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        for index in ("ix_document_parent_id", "ix_document_document_date",
                      "ix_document_document_type_id"):
            batch.drop_index(index)
        batch.drop_constraint("fk_document_parent_id", type_="foreignkey")
        batch.drop_constraint("fk_document_document_type_id", type_="foreignkey")
        for column in ("parent_id", "searchable_key", "ocr_pages", "language", "document_date",
                       "summary", "title", "document_type_id"):
            batch.drop_column(column)
    for table in ("review_record", "classification", "document_field", "document_tag",
                  "custom_field", "tag", "document_type"):
        op.drop_table(table)
