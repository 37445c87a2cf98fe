"""template.source: the network-share file a template was imported from (its path there),
so importing the file again saves a new version of that template instead of a second one.

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("template") as batch:
        batch.add_column(sa.Column("source", sa.String(length=1000), nullable=True))
        batch.create_index("ix_template_source", ["source"])


def downgrade() -> None:
    with op.batch_alter_table("template") as batch:
        batch.drop_index("ix_template_source")
        batch.drop_column("source")
