"""Documents carry an office (their owner's at upload, changeable): the office dimension.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_document_office_id_office", "office", ["office_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_document_office_id", ["office_id"])
    # Existing documents belong to their owner's office.
    op.execute('UPDATE document SET office_id = (SELECT office_id FROM "user" '
               'WHERE "user".id = document.owner_id)')


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_office_id")
        batch.drop_constraint("fk_document_office_id_office", type_="foreignkey")
        batch.drop_column("office_id")
