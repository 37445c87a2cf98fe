"""Sharing a document with people, other offices and by link; the templates hub.

- document_share: a user or an office (one of them) that may read a document beside its
  owner. The owner's own office stays Document.shared_office_id (0005), unchanged.
- share_link / share_access: secret links (digest looked up, secret kept encrypted),
  expiry, optional Argon2id password, download limit, revoke; every use recorded.
- template / template_version: sanitised HTML templates and every saved version.
- PostgreSQL: the search table's `readers` (0008) gain the shares' keys, in the same
  encoding (a user's id; minus an office's id). A BEFORE trigger on document_search adds
  them to whatever the document trigger computes, so that trigger stays the one home of
  the owner/office keys; a change of shares touches the document row, which rebuilds
  its readers from scratch (a removed share's key goes away with it).

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0012"
branch_labels = None
depends_on = None

AUTOSTRING = sa.String  # sqlmodel's AutoString compares equal to a sized String


def upgrade() -> None:
    op.create_table(
        "document_share",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "user_id", name="uq_document_share_user"),
        sa.UniqueConstraint("document_id", "office_id", name="uq_document_share_office"),
    )
    for column in ("document_id", "user_id", "office_id"):
        op.create_index(f"ix_document_share_{column}", "document_share", [column])

    op.create_table(
        "share_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.Uuid(), nullable=False, unique=True),
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("token_hash", AUTOSTRING(length=64), nullable=False, unique=True),
        sa.Column("token_sealed", AUTOSTRING(length=512), nullable=False),
        sa.Column("password_hash", AUTOSTRING(length=512), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("max_downloads", sa.Integer(), nullable=True),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_share_link_document_id", "share_link", ["document_id"])

    op.create_table(
        "share_access",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("share_link.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("ip", AUTOSTRING(length=64), nullable=False),
        sa.Column("user_agent", AUTOSTRING(length=400), nullable=False),
        sa.Column("outcome", AUTOSTRING(length=32), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_share_access_link_at", "share_access", ["link_id", "at"])

    op.create_table(
        "template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.Uuid(), nullable=False, unique=True),
        sa.Column("title", AUTOSTRING(length=200), nullable=False),
        sa.Column("category", AUTOSTRING(length=100), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("title", "category", "office_id", "updated_at"):
        op.create_index(f"ix_template_{column}", "template", [column])

    op.create_table(
        "template_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("template_id", sa.Integer(), sa.ForeignKey("template.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", AUTOSTRING(length=200), nullable=False),
        sa.Column("category", AUTOSTRING(length=100), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.UniqueConstraint("template_id", "version", name="uq_template_version"),
    )
    op.create_index("ix_template_version_template_id", "template_version", ["template_id"])

    if op.get_bind().dialect.name == "postgresql":
        _search_readers()


def _search_readers() -> None:
    # The shares' keys, added to the readers the document trigger (0008) computes.
    op.execute("""
        CREATE FUNCTION document_search_share_readers() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.readers := NEW.readers || ARRAY(
                SELECT k FROM (
                    SELECT user_id AS k FROM document_share
                    WHERE document_id = NEW.id AND user_id IS NOT NULL
                    UNION
                    SELECT -office_id FROM document_share
                    WHERE document_id = NEW.id AND office_id IS NOT NULL
                ) keys
                WHERE k <> ALL (NEW.readers) ORDER BY k);
            RETURN NEW;
        END$$""")
    op.execute("""
        CREATE TRIGGER document_search_share_readers
        BEFORE INSERT OR UPDATE OF readers ON document_search
        FOR EACH ROW EXECUTE FUNCTION document_search_share_readers()""")
    # A share added or removed: the document's search row is written again (0008's trigger
    # fires on shared_office_id), readers rebuilt from the owner, the office and the shares.
    op.execute("""
        CREATE FUNCTION document_share_touch() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE document SET shared_office_id = shared_office_id WHERE id = NEW.document_id;
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE document SET shared_office_id = shared_office_id WHERE id = OLD.document_id;
            END IF;
            RETURN NULL;
        END$$""")
    op.execute("""
        CREATE TRIGGER document_share_touch
        AFTER INSERT OR UPDATE OR DELETE ON document_share
        FOR EACH ROW EXECUTE FUNCTION document_share_touch()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER document_share_touch ON document_share")
        op.execute("DROP FUNCTION document_share_touch()")
        op.execute("DROP TRIGGER document_search_share_readers ON document_search")
        op.execute("DROP FUNCTION document_search_share_readers()")
        op.execute("UPDATE document SET shared_office_id = shared_office_id")  # readers again
    op.drop_index("ix_template_version_template_id", table_name="template_version")
    op.drop_table("template_version")
    for column in ("title", "category", "office_id", "updated_at"):
        op.drop_index(f"ix_template_{column}", table_name="template")
    op.drop_table("template")
    op.drop_index("ix_share_access_link_at", table_name="share_access")
    op.drop_table("share_access")
    op.drop_index("ix_share_link_document_id", table_name="share_link")
    op.drop_table("share_link")
    for column in ("document_id", "user_id", "office_id"):
        op.drop_index(f"ix_document_share_{column}", table_name="document_share")
    op.drop_table("document_share")
