"""An index on document.updated_at: the document list's fingerprint (the latest change
among the documents a person sees) and the scheduled sweep of stuck documents read it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_document_updated_at", "document", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_document_updated_at", table_name="document")
