"""What reading a document left out, and the fan-out of an upload's attachments.

- document.notices: a JSON list of {"code": "notice.…", **values}, one entry for each part
  of a document that was not read and why (pages past the OCR budget, attachments past
  the depth or count of one upload, text cut at the limit), shown on its page.
- document.derived_documents: on an upload, how many documents its attachments have made
  at any depth; claimed with a compare-and-set, so concurrent workers cannot pass the
  bound (services/attachments.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("notices", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("derived_documents", sa.Integer, nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("derived_documents")
        batch.drop_column("notices")
