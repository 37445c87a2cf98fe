"""Cloud drives, the network share and web import: connections, transfers and their files,
folders kept in sync, versions imported, web imports and their pages.

Revision ID: 0014
Revises: 0018
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0018"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(name: str, target: str, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{target}.id", ondelete=ondelete),
                     nullable=nullable)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "drive_connection", _id(),
        _fk("owner_id", "user", "CASCADE", nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_code", sa.String(64)),
        sa.Column("options", sa.JSON, nullable=False),
        _when("created_at"), _when("updated_at"), _when("last_used_at", True),
    )
    op.create_index("ix_drive_connection_owner_id", "drive_connection", ["owner_id"])
    op.create_table(
        "drive_sync", _id(),
        _fk("owner_id", "user", "CASCADE"),
        _fk("connection_id", "drive_connection", "CASCADE"),
        sa.Column("folder_id", sa.String(1000), nullable=False),
        sa.Column("folder_name", sa.String(500), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        _when("last_run_at", True),
        sa.Column("last_error", sa.String(64)),
        _when("created_at"),
        sa.UniqueConstraint("owner_id", "connection_id", "folder_id"),
    )
    op.create_index("ix_drive_sync_owner_id", "drive_sync", ["owner_id"])
    op.create_index("ix_drive_sync_connection_id", "drive_sync", ["connection_id"])
    op.create_table(
        "drive_transfer", _id(),
        sa.Column("uid", sa.Uuid, nullable=False, unique=True),
        _fk("owner_id", "user", "CASCADE"),
        _fk("connection_id", "drive_connection", "CASCADE"),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("folder_id", sa.String(1000), nullable=False),
        sa.Column("folder_name", sa.String(500), nullable=False),
        _fk("sync_id", "drive_sync", "SET NULL", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64)),
        _when("heartbeat_at", True), _when("created_at"), _when("finished_at", True),
    )
    for column in ("owner_id", "connection_id", "sync_id", "status", "created_at"):
        op.create_index(f"ix_drive_transfer_{column}", "drive_transfer", [column])
    op.create_table(
        "drive_transfer_item", _id(),
        _fk("transfer_id", "drive_transfer", "CASCADE"),
        sa.Column("remote_id", sa.String(1000), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        _fk("document_id", "document", "SET NULL", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("bytes_done", sa.BigInteger, nullable=False),
        sa.Column("target_name", sa.String(255)),
        sa.Column("attempts", sa.Integer, nullable=False),
        _when("updated_at"),
    )
    op.create_index("ix_drive_transfer_item_transfer_id", "drive_transfer_item", ["transfer_id"])
    op.create_index("ix_drive_transfer_item_document_id", "drive_transfer_item", ["document_id"])
    op.create_table(
        "drive_imported_version", _id(),
        _fk("owner_id", "user", "CASCADE"),
        _fk("connection_id", "drive_connection", "CASCADE"),
        sa.Column("remote_key", sa.String(64), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        _fk("document_id", "document", "SET NULL", nullable=True),
        _when("created_at"),
        sa.UniqueConstraint("owner_id", "connection_id", "remote_key", "version"),
    )
    op.create_index("ix_drive_imported_version_owner_id", "drive_imported_version", ["owner_id"])
    op.create_index("ix_drive_imported_version_connection_id", "drive_imported_version",
                    ["connection_id"])
    op.create_table(
        "web_import", _id(),
        sa.Column("uid", sa.Uuid, nullable=False, unique=True),
        _fk("owner_id", "user", "CASCADE"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("page_limit", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("job_id", sa.String(200)),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("imported", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("error_code", sa.String(64)),
        _when("heartbeat_at", True), _when("created_at"), _when("finished_at", True),
    )
    for column in ("owner_id", "status", "created_at"):
        op.create_index(f"ix_web_import_{column}", "web_import", [column])
    op.create_table(
        "web_page", _id(),
        _fk("web_import_id", "web_import", "CASCADE"),
        _fk("document_id", "document", "SET NULL", nullable=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("url_key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        _when("fetched_at"),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.UniqueConstraint("web_import_id", "url_key"),
    )
    op.create_index("ix_web_page_web_import_id", "web_page", ["web_import_id"])
    op.create_index("ix_web_page_document_id", "web_page", ["document_id"])


def downgrade() -> None:
    for table in ("web_page", "web_import", "drive_imported_version", "drive_transfer_item",
                  "drive_transfer", "drive_sync", "drive_connection"):
        op.drop_table(table)
