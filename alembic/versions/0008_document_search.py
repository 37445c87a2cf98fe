"""PostgreSQL: search over one narrow table, document_search, kept by triggers.

For each match a search reads only what it filters, counts and orders by: who may read
the document, its type and tags, its dates and its search vector. Those now live in one
row per document in document_search, instead of a join of document, document_text and
document_tag per match. Triggers on document and document_tag write the row, so no code
path can forget it; services/search.py writes the vector.

- The vector (terms with positions) and its pairs are two columns: ranking reads only
  the first. One GIN index holds both (search.pg_searchable) and every column a filter
  uses (btree_gin for the plain ones), and the table has no other index a filter could
  use: the planner, which does not see what reading a vector costs, then never reads
  one per row to filter (services/search_pg.py).
- `readers` holds the owner's user id and, when shared, minus the office's id: the index
  itself finds the matches a broker may see (services/documents.reader_keys).
- Every 32nd document (id % 32 = 0) has a partial index of its own: the search counts a
  very large result on that sample instead of reading each match (search_pg.SAMPLE_EVERY).
- Custom text fields get a trigram index (pg_trgm): `address:"Strandkaien"` finds the
  value anywhere in a field without reading every value.
- `added_day` is the upload day in Oslo (`added:`); `day` the document's own date, else
  that (`created:` and the date order). The document table gets an index in that order,
  for walking the newest documents.
- The vectors move over from document_text, their pairs marked incomplete (phrases are
  checked there by positions), with search_format 1; the workers index them again in
  the new format (search.SEARCH_FORMAT) in the background.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SAMPLE_EVERY = 32  # services/search.py: SAMPLE_EVERY
PAIRS_INCOMPLETE = "ǂǂ"  # services/search.py: PAIRS_INCOMPLETE


def _row(d: str) -> dict[str, str]:
    """The columns taken from a document row `d` (NEW in the trigger, d in the backfill)."""
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
    }


ADDED_DAY = "({d}.created_at AT TIME ZONE 'Europe/Oslo')::date"
TAG_IDS = "ARRAY(SELECT tag_id FROM document_tag WHERE document_id = {id} ORDER BY tag_id)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Trusted: the database's owner may create it; deploy/postgres/roles.sql does.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("""
        CREATE TABLE document_search (
            id integer PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE,
            owner_id integer NOT NULL,
            created_at timestamptz NOT NULL,
            added_day date NOT NULL,
            day date NOT NULL,
            search_format smallint NOT NULL DEFAULT 0,
            shared_office_id integer,
            document_type_id integer,
            document_date date,
            deleted_at timestamptz,
            readers integer[] NOT NULL,
            tag_ids integer[] NOT NULL DEFAULT '{}',
            search_vector tsvector,
            search_pairs tsvector NOT NULL DEFAULT ''
        )""")
    # lz4 reads back several times faster than pglz (where the server has it).
    op.execute("""
        DO $$BEGIN
            IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression'
                       AND 'lz4' = ANY (enumvals)) THEN
                ALTER TABLE document_search ALTER COLUMN search_vector SET COMPRESSION lz4;
                ALTER TABLE document_search ALTER COLUMN search_pairs SET COMPRESSION lz4;
            END IF;
        END$$""")

    new = _row("NEW")
    op.execute(f"""
        CREATE FUNCTION document_search_from_document() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO document_search ({", ".join(new)})
            VALUES ({", ".join(new.values())})
            ON CONFLICT (id) DO UPDATE SET
                {", ".join(f"{c} = EXCLUDED.{c}" for c in new if c != "id")};
            RETURN NULL;
        END$$""")  # noqa: S608  (our own fragments)
    op.execute("""
        CREATE TRIGGER document_search_from_document
        AFTER INSERT OR UPDATE OF owner_id, created_at, document_date, shared_office_id,
            document_type_id, deleted_at ON document
        FOR EACH ROW EXECUTE FUNCTION document_search_from_document()""")
    # Once per statement: a tag removed from ten thousand documents is one UPDATE.
    op.execute(f"""
        CREATE FUNCTION document_search_tags() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE document_search s SET tag_ids = {TAG_IDS.format(id="s.id")}
                WHERE s.id IN (SELECT document_id FROM new_rows);
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE document_search s SET tag_ids = {TAG_IDS.format(id="s.id")}
                WHERE s.id IN (SELECT document_id FROM old_rows);
            END IF;
            RETURN NULL;
        END$$""")  # noqa: S608  (our own fragments)
    for event, tables in (("INSERT", "NEW TABLE AS new_rows"),
                          ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                          ("DELETE", "OLD TABLE AS old_rows")):
        op.execute(f"""
            CREATE TRIGGER document_search_tags_{event.lower()} AFTER {event} ON document_tag
            REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION document_search_tags()""")  # noqa: S608

    old = _row("d")
    op.execute(f"""
        INSERT INTO document_search ({", ".join(old)}, tag_ids, search_vector, search_pairs, search_format)
        SELECT {", ".join(old.values())}, {TAG_IDS.format(id="d.id")},
               t.search_vector, '{PAIRS_INCOMPLETE}'::tsvector,
               CASE WHEN t.search_vector IS NULL THEN 0 ELSE 1 END
        FROM document d LEFT JOIN document_text t ON t.document_id = d.id""")  # noqa: S608

    columns = "(search_vector || search_pairs), readers, tag_ids, document_type_id, added_day, day"
    op.execute(f"CREATE INDEX ix_document_search_vector ON document_search USING gin ({columns})")
    op.execute(f"CREATE INDEX ix_document_search_sample ON document_search USING gin ({columns}) "
               f"WHERE id % {SAMPLE_EVERY} = 0")
    op.execute("CREATE INDEX ix_document_search_stale ON document_search (id) "
               "WHERE search_format < 2 AND search_vector IS NOT NULL")
    # address:"Strandkaien 1" finds the value anywhere in a field, through its trigrams.
    op.execute("CREATE INDEX ix_document_field_trigrams ON document_field "
               "USING gin (lower(value) gin_trgm_ops)")
    op.execute(f"CREATE INDEX ix_document_day_order ON document ((COALESCE(document_date, "
               f"{ADDED_DAY.format(d='document')})), created_at, id)")

    op.execute("DROP INDEX ix_document_text_search")
    op.execute("ALTER TABLE document_text DROP COLUMN search_vector")
    op.execute("ANALYZE document_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE document_text ADD COLUMN search_vector tsvector")
    op.execute("UPDATE document_text t SET search_vector = s.search_vector "
               "FROM document_search s WHERE s.id = t.document_id")
    op.execute("CREATE INDEX ix_document_text_search ON document_text USING GIN (search_vector)")
    op.execute("DROP INDEX ix_document_day_order")
    op.execute("DROP INDEX ix_document_field_trigrams")
    op.execute("DROP TABLE document_search")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER document_search_tags_{event} ON document_tag")
    op.execute("DROP TRIGGER document_search_from_document ON document")
    op.execute("DROP FUNCTION document_search_tags()")
    op.execute("DROP FUNCTION document_search_from_document()")
