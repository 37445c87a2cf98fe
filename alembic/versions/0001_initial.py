"""Accounts, sessions, documents, extracted text and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("password_hash", sa.String(512), nullable=False),
        sa.Column("role", sa.String(32), nullable=False, server_default="broker"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_user_email", "user", ["email"], unique=True)

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("user_agent", sa.String(400), nullable=False, server_default=""),
        sa.Column("ip", sa.String(64), nullable=False, server_default=""),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])
    op.create_index("ix_user_session_token_hash", "user_session", ["token_hash"], unique=True)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.Uuid, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("ext", sa.String(16), nullable=False, server_default=""),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("object_key", sa.String(300), nullable=False),
        sa.Column("thumbnail_key", sa.String(300)),
        sa.Column("status", sa.String(16), nullable=False, server_default="uploaded"),
        sa.Column("error", sa.String(500)),
        sa.Column("page_count", sa.Integer),
        sa.Column("duplicate_of_id", sa.Integer, sa.ForeignKey("document.id")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_document_uid", "document", ["uid"], unique=True)
    op.create_index("ix_document_owner_id", "document", ["owner_id"])
    op.create_index("ix_document_sha256", "document", ["sha256"])
    op.create_index("ix_document_status", "document", ["status"])
    op.create_index("ix_document_created_at", "document", ["created_at"])
    op.create_index("ix_document_deleted_at", "document", ["deleted_at"])

    op.create_table(
        "document_text",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("document.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
    )

    if op.get_bind().dialect.name == "postgresql":
        # Norwegian stemming for the words, plus our own normalised terms (see
        # dokvault/services/search.py) because Snowball misses common inflections.
        op.execute("ALTER TABLE document_text ADD COLUMN search_vector tsvector")
        op.execute(
            "CREATE INDEX ix_document_text_search ON document_text USING GIN (search_vector)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE document_fts USING fts5("
            "name, body, terms, tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS document_fts")
    op.drop_table("document_text")
    op.drop_table("document")
    op.drop_table("user_session")
    op.drop_table("user")
