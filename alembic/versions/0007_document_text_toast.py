"""PostgreSQL: keep document texts out of line (TOAST) from 128 bytes on, so the main
table holds only the search vectors and an index scan reads a few MB instead of hundreds
(bench/search.py at 100k documents: 226 MB -> 8 MB, word queries p95 313 -> 208 ms).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE document_text SET (toast_tuple_target = 128)")
    with op.get_context().autocommit_block():  # rewrite the rows already there
        op.execute("VACUUM FULL document_text")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE document_text RESET (toast_tuple_target)")
