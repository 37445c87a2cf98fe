"""What the workers measure for the analytics views: stage timings and queue depth samples;
indexes for the dashboard's storage figure and for sign-ins over time.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_timing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_stage_timing_document_id", "stage_timing", ["document_id"])
    op.create_index("ix_stage_timing_recorded_at", "stage_timing", ["recorded_at"])
    op.create_table(
        "queue_sample",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sampled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queue", sa.String(length=32), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
    )
    op.create_index("ix_queue_sample_sampled_at", "queue_sample", ["sampled_at"])
    # The dashboard's storage figure over the documents not in the trash: index-only.
    live = sa.text("deleted_at IS NULL")
    op.create_index("ix_document_live", "document", ["owner_id", "office_id", "id", "size"],
                    postgresql_where=live, sqlite_where=live)
    # Sign-ins over time at a million audit rows: an index-only range per kind.
    op.create_index("ix_audit_event_kind_time", "audit_event",
                    ["kind", "created_at", "actor_id", "target_user_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_kind_time", table_name="audit_event")
    op.drop_index("ix_document_live", table_name="document")
    op.drop_index("ix_queue_sample_sampled_at", table_name="queue_sample")
    op.drop_table("queue_sample")
    op.drop_index("ix_stage_timing_recorded_at", table_name="stage_timing")
    op.drop_index("ix_stage_timing_document_id", table_name="stage_timing")
    op.drop_table("stage_timing")
