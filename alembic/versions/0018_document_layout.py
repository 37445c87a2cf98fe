"""document_text.layout: the first pages' lines and table cells (JSON), which field
extraction and the field model read (dokvault/extract/layout.py).

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_text") as batch:
        batch.add_column(sa.Column("layout", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_text") as batch:
        batch.drop_column("layout")
