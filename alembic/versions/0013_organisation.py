"""Organisation (issue 14): offices from Vitec (source, active, contact details), staff,
pictures, assignments and the documents linked to them, Teams and their members, sync
runs, notifications and each person's notification settings. PostgreSQL: the search table
learns each document's office, so an office manager's search is answered by the index.

Revision ID: 0013
Revises: 0017
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0017"
branch_labels = None
depends_on = None

SAMPLE_EVERY = 32  # as 0008


def _now():
    return sa.text("CURRENT_TIMESTAMP")


def _recreate() -> str:
    """SQLite copies the table (its ALTER cannot add a column with a non-constant default);
    PostgreSQL alters it in place (a copy would drop the key others' foreign keys use)."""
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("office", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=False, server_default="manual"))
        batch.add_column(sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()))
        for name, length in (("market_name", 200), ("email", 320), ("phone", 64),
                             ("street_address", 200), ("postal_code", 16), ("city", 100)):
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("has_picture", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=_now()))
    op.execute("UPDATE office SET source = 'vitec' WHERE vitec_id IS NOT NULL")

    op.create_table(
        "employee",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("vitec_id", sa.String(64), nullable=False, unique=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="SET NULL")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("mobile_phone", sa.String(64), nullable=False),
        sa.Column("work_phone", sa.String(64), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
        sa.Column("has_picture", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("office_id", "email", "user_id"):
        op.create_index(f"ix_employee_{column}", "employee", [column])

    op.create_table(
        "picture",
        sa.Column("owner_kind", sa.String(16), primary_key=True),
        sa.Column("owner_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("vitec_id", sa.String(64), nullable=False, unique=True),
        sa.Column("assignment_number", sa.String(64), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="SET NULL")),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("postal_code", sa.String(16), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("brokers", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assignment_assignment_number", "assignment", ["assignment_number"])
    op.create_index("ix_assignment_office_id", "assignment", ["office_id"])

    op.create_table(
        "document_assignment",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("assignment_id", sa.Integer(),
                  sa.ForeignKey("assignment.id", ondelete="CASCADE"), nullable=False),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_assignment_assignment_id", "document_assignment", ["assignment_id"])

    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("graph_id", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("mail", sa.String(320), nullable=False),
        sa.Column("description", sa.String(1000), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="SET NULL")),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_team_office_id", "team", ["office_id"])
    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("graph_user_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id", ondelete="SET NULL")),
    )
    op.create_index("ix_team_member_email", "team_member", ["email"])

    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("incremental", sa.Boolean(), nullable=False),
        sa.Column("watermark", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_sync_run_kind_started", "sync_run", ["kind", "started_at"])

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notification_user_id", "notification", ["user_id"])
    op.create_index("ix_notification_created_at", "notification", ["created_at"])
    op.create_index("ix_notification_user_unread", "notification", ["user_id", "read_at"])
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"),
                  primary_key=True, autoincrement=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("mailed", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )

    if op.get_bind().dialect.name == "postgresql":
        _search_table_learns_offices()


# --- PostgreSQL: document_search gets office_id (an office manager's documents) ----------

ADDED_DAY = "({d}.created_at AT TIME ZONE 'Europe/Oslo')::date"


def _row(d: str) -> dict[str, str]:
    """The columns taken from a document row (as 0008), and now its office."""
    return {
        "id": f"{d}.id",
        "owner_id": f"{d}.owner_id",
        "created_at": f"{d}.created_at",
        "added_day": ADDED_DAY.format(d=d),
        "day": f"COALESCE({d}.document_date, {ADDED_DAY.format(d=d)})",
        "shared_office_id": f"{d}.shared_office_id",
        "readers": (f"CASE WHEN {d}.shared_office_id IS NULL THEN ARRAY[{d}.owner_id] "
                    f"ELSE ARRAY[{d}.owner_id, -{d}.shared_office_id] END"),
        "document_type_id": f"{d}.document_type_id",
        "document_date": f"{d}.document_date",
        "deleted_at": f"{d}.deleted_at",
        "office_id": f"{d}.office_id",
    }


def _trigger(columns: dict[str, str], watched: str) -> None:
    op.execute(f"""
        CREATE OR REPLACE FUNCTION document_search_from_document() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO document_search ({", ".join(columns)})
            VALUES ({", ".join(columns.values())})
            ON CONFLICT (id) DO UPDATE SET
                {", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "id")};
            RETURN NULL;
        END$$""")  # noqa: S608  (our own fragments)
    op.execute("DROP TRIGGER document_search_from_document ON document")
    op.execute(f"""
        CREATE TRIGGER document_search_from_document
        AFTER INSERT OR UPDATE OF {watched} ON document
        FOR EACH ROW EXECUTE FUNCTION document_search_from_document()""")


WATCHED = "owner_id, created_at, document_date, shared_office_id, document_type_id, deleted_at"
INDEXED = "(search_vector || search_pairs), readers, tag_ids, document_type_id, added_day, day"


def _indexes(columns: str) -> None:
    op.execute("DROP INDEX ix_document_search_vector")
    op.execute("DROP INDEX ix_document_search_sample")
    op.execute(f"CREATE INDEX ix_document_search_vector ON document_search USING gin ({columns})")
    op.execute(f"CREATE INDEX ix_document_search_sample ON document_search USING gin ({columns}) "
               f"WHERE id % {SAMPLE_EVERY} = 0")


def _search_table_learns_offices() -> None:
    op.execute("ALTER TABLE document_search ADD COLUMN office_id integer")
    op.execute("UPDATE document_search s SET office_id = d.office_id FROM document d "
               "WHERE d.id = s.id AND d.office_id IS NOT NULL")
    _trigger(_row("NEW"), WATCHED + ", office_id")
    _indexes(INDEXED + ", office_id")
    op.execute("ANALYZE document_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        columns = _row("NEW")
        del columns["office_id"]
        _trigger(columns, WATCHED)
        _indexes(INDEXED)
        op.execute("ALTER TABLE document_search DROP COLUMN office_id")
    for table in ("notification_settings", "notification", "sync_run", "team_member", "team",
                  "document_assignment", "assignment", "picture", "employee"):
        op.drop_table(table)
    with op.batch_alter_table("office", recreate=_recreate()) as batch:
        for name in ("source", "is_active", "market_name", "email", "phone", "street_address",
                     "postal_code", "city", "has_picture", "updated_at"):
            batch.drop_column(name)
