"""Offices: users belong to one; a document may be shared with its owner's office.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("vitec_id", sa.String(64), unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer))
        batch.create_foreign_key("fk_user_office_id", "office", ["office_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_user_office_id", ["office_id"])
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("shared_office_id", sa.Integer))
        batch.create_foreign_key("fk_document_shared_office_id", "office", ["shared_office_id"],
                                 ["id"], ondelete="SET NULL")
        batch.create_index("ix_document_shared_office_id", ["shared_office_id"])


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_shared_office_id")
        batch.drop_constraint("fk_document_shared_office_id", type_="foreignkey")
        batch.drop_column("shared_office_id")
    with op.batch_alter_table("user") as batch:
        batch.drop_index("ix_user_office_id")
        batch.drop_constraint("fk_user_office_id", type_="foreignkey")
        batch.drop_column("office_id")
    op.drop_table("office")
