"""Second factor, backup codes, expiring keys, organisation settings and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True),
                                   nullable=False, server_default=sa.func.now()))
        batch.add_column(sa.Column("totp_secret", sa.String(512)))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True)))

    op.create_table(
        "backup_code",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("code_hash", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_backup_code_user_id", "backup_code", ["user_id"])

    op.create_table(
        "expiring_key",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_expiring_key_expires_at", "expiring_key", ["expires_at"])

    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(2000), nullable=False, server_default=""),
    )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.Integer),
        sa.Column("target_user_id", sa.Integer),
        sa.Column("ip", sa.String(64), nullable=False, server_default=""),
        sa.Column("user_agent", sa.String(400), nullable=False, server_default=""),
        sa.Column("detail", sa.String(2000), nullable=False, server_default=""),
    )
    for column in ("created_at", "kind", "actor_id", "target_user_id"):
        op.create_index(f"ix_audit_event_{column}", "audit_event", [column])


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("app_setting")
    op.drop_table("expiring_key")
    op.drop_table("backup_code")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
        batch.drop_column("password_changed_at")
