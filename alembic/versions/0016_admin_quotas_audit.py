"""Admin forms, quotas and the audit log: user quotas, pending invitations, the audit
log's keyset indexes and document column, its daily exports, and append-only triggers.

- `audit_event`: `detail` becomes TEXT (values are bounded one by one, so the JSON stays
  whole); `document_id` is copied out of the detail for the viewer's filter; the single
  column indexes give way to one index per filter ending in (created_at, id), the order
  the viewer pages in by keyset.
- `audit_export`: one row per UTC day written to the object store.
- Triggers: an audit entry is never changed, and is deleted only once its day has been
  exported (the retention job); on SQLite and PostgreSQL alike.
- `quota`: limits per user or office. `user.invited_at`: an invitation not yet taken up.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_INDEXES = ("created_at", "kind", "actor_id", "target_user_id")
NEW_INDEXES = {
    "ix_audit_event_time": ["created_at", "id"],
    # The kind's keyset, and whose entries they are: sign-ins over time (analytics, 0015)
    # are read from this index alone.
    "ix_audit_event_kind_time": ["kind", "created_at", "id", "actor_id", "target_user_id"],
    "ix_audit_event_actor_time": ["actor_id", "created_at", "id"],
    "ix_audit_event_target_time": ["target_user_id", "created_at", "id"],
    "ix_audit_event_document_time": ["document_id", "created_at", "id"],
}
CHANGED = "audit entries cannot be changed"
UNEXPORTED = "audit entries are removed only after their day was exported"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END""",
    f"""CREATE TRIGGER audit_event_no_early_delete BEFORE DELETE ON audit_event
    WHEN NOT EXISTS (SELECT 1 FROM audit_export e
                     WHERE e.day = date(OLD.created_at) AND OLD.id <= e.last_id)
    BEGIN SELECT RAISE(ABORT, '{UNEXPORTED}'); END""",
)
POSTGRES_TRIGGERS = (
    f"""CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '{CHANGED}';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM audit_export e
                       WHERE e.day = (OLD.created_at AT TIME ZONE 'UTC')::date
                         AND OLD.id <= e.last_id) THEN
            RAISE EXCEPTION '{UNEXPORTED}';
        END IF;
        RETURN OLD;
    END $$""",
    """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
)


# 0015's index for the sign-ins, which the kind's keyset index below takes over.
ANALYTICS_INDEX = ("ix_audit_event_kind_time", ["kind", "created_at", "actor_id", "target_user_id"])


def upgrade() -> None:
    op.drop_index(ANALYTICS_INDEX[0], table_name="audit_event")
    for column in OLD_INDEXES:
        op.drop_index(f"ix_audit_event_{column}", table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch:
        batch.alter_column("detail", type_=sa.Text(), existing_type=sa.String(2000),
                           existing_nullable=False, existing_server_default="")
        batch.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "audit_event", columns)

    op.create_table(
        "audit_export",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("jsonl_sha256", sa.String(64), nullable=False),
        sa.Column("csv_sha256", sa.String(64), nullable=False),
        sa.Column("jsonl_bytes", sa.BigInteger(), nullable=False),
        sa.Column("csv_bytes", sa.BigInteger(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "quota",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=True, unique=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="CASCADE"),
                  nullable=True, unique=True),
        sa.Column("max_bytes", sa.BigInteger(), nullable=True),
        sa.Column("max_documents", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("user", sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))

    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_early_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_guard ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_guard()")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("invited_at")
    op.drop_table("quota")
    op.drop_table("audit_export")
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("document_id")
        batch.alter_column("detail", type_=sa.String(2000), existing_type=sa.Text(),
                           existing_nullable=False)
    for column in OLD_INDEXES:
        op.create_index(f"ix_audit_event_{column}", "audit_event", [column])
    op.create_index(*ANALYTICS_INDEX[:1], "audit_event", ANALYTICS_INDEX[1])
