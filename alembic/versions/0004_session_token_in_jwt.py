"""A session is named by the `sid` claim of its access tokens and by its refresh-token
family; the opaque session cookie and its hash are gone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Old opaque-cookie sessions cannot be named by a token any more: sign them out.
    op.execute(sa.text("UPDATE user_session SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL"))
    with op.batch_alter_table("user_session") as batch:
        batch.drop_index("ix_user_session_token_hash")
        batch.drop_column("token_hash")


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
        batch.create_index("ix_user_session_token_hash", ["token_hash"], unique=True)
