"""record search text: one searchable row per record on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 08:30:00

PostgreSQL's counterpart of SQLite's ``record_search`` (``0004``): the table
``record_search_text`` holds, per record, its searchable text followed by that of
all its contact persons (the texts of ``search.record_document`` and
``search.contact_document``), so every word of a search is one look-up on one
row instead of the record's columns plus a probe of its contacts. Triggers on
``record`` and ``contact`` keep it exact (a contact moved to another record
updates both); existing rows are filled here. With ``pg_trgm`` (see ``0004``)
a GIN trigram index on the text answers ``ILIKE``; without it search scans the
table, with the same results. SQLite: nothing (it has ``record_search``).

The table, its index, functions and triggers live only here, not in the models
(``search.include_object`` leaves them out of a comparison).
"""

import logging

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

RECORD_DOCUMENT = (
    "(coalesce(r.name, '') || ' ' || coalesce(r.city, '') || ' ' || coalesce(r.phone, '') "
    "|| ' ' || coalesce(r.email, ''))"
)
CONTACT_DOCUMENTS = (
    "string_agg(coalesce(c.first_name, '') || ' ' || c.last_name, ' ' ORDER BY c.id)"
)
# Every record's text, as rows (record_id, doc).
DOCUMENTS = (
    f"SELECT r.id, {RECORD_DOCUMENT} || ' ' || coalesce(c.docs, '') FROM record r "
    f"LEFT JOIN (SELECT c.record_id, {CONTACT_DOCUMENTS} AS docs FROM contact c "
    "GROUP BY c.record_id) c ON c.record_id = r.id"
)

FUNCTIONS = {
    "record_search_text_refresh(integer)": f"""
        CREATE FUNCTION record_search_text_refresh(rid integer) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            -- Writers of one record's text queue here, and the INSERT below, a
            -- statement of its own, reads what the writer before committed
            -- (else two users adding contacts at once would each write a text
            -- without the other's).
            PERFORM 1 FROM record WHERE id = rid FOR NO KEY UPDATE;
            INSERT INTO record_search_text (record_id, doc)
            SELECT r.id, {RECORD_DOCUMENT} || ' ' || coalesce(
                       (SELECT {CONTACT_DOCUMENTS} FROM contact c WHERE c.record_id = r.id), '')
              FROM record r WHERE r.id = rid
            ON CONFLICT (record_id) DO UPDATE SET doc = excluded.doc;
        END $$""",
    "record_search_text_on_record()": """
        CREATE FUNCTION record_search_text_on_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM record_search_text_refresh(new.id);
            RETURN NULL;
        END $$""",
    "record_search_text_on_contact()": """
        CREATE FUNCTION record_search_text_on_contact() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF tg_op IN ('UPDATE', 'DELETE') THEN
                PERFORM record_search_text_refresh(old.record_id);
            END IF;
            IF tg_op = 'INSERT'
               OR (tg_op = 'UPDATE' AND new.record_id IS DISTINCT FROM old.record_id) THEN
                PERFORM record_search_text_refresh(new.record_id);
            END IF;
            RETURN NULL;
        END $$""",
}
# (table, trigger) -> definition; a deleted record takes its row along (ON DELETE CASCADE)
TRIGGERS = {
    ("record", "record_search_text_record"): """
        CREATE TRIGGER record_search_text_record
        AFTER INSERT OR UPDATE OF name, city, phone, email ON record
        FOR EACH ROW EXECUTE FUNCTION record_search_text_on_record()""",
    ("contact", "record_search_text_contact"): """
        CREATE TRIGGER record_search_text_contact
        AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name, record_id ON contact
        FOR EACH ROW EXECUTE FUNCTION record_search_text_on_contact()""",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE record_search_text ("
        "record_id integer PRIMARY KEY REFERENCES record (id) ON DELETE CASCADE, "
        "doc text NOT NULL)"
    )
    # Search reads this table now; 0004's trigram indexes on record and contact
    # would only cost every write of a record or contact person.
    op.execute("DROP INDEX IF EXISTS ix_record_search_trgm")
    op.execute("DROP INDEX IF EXISTS ix_contact_search_trgm")
    op.execute(f"INSERT INTO record_search_text (record_id, doc) {DOCUMENTS}")
    op.execute("ANALYZE record_search_text")  # statistics for the planner's first searches
    for ddl in FUNCTIONS.values():
        op.execute(ddl)
    for ddl in TRIGGERS.values():
        op.execute(ddl)
    savepoint = bind.begin_nested()
    try:  # as 0004: without pg_trgm (or its operator class) no trigram index
        bind.exec_driver_sql(
            "CREATE INDEX ix_record_search_text_trgm ON record_search_text "
            "USING gin (doc gin_trgm_ops)"
        )
    except Exception as exc:
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): record_search_text without trigram index", exc)
        return
    savepoint.commit()


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.execute("DROP TABLE IF EXISTS record_search_text")
    if (
        op.get_bind()
        .exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        .first()
    ):
        op.execute(  # 0004's indexes, as 0004 made them
            "CREATE INDEX ix_record_search_trgm ON record USING gin ((coalesce(name, '') || ' ' "
            "|| coalesce(city, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(email, '')) "
            "gin_trgm_ops)"
        )
        op.execute(
            "CREATE INDEX ix_contact_search_trgm ON contact "
            "USING gin ((coalesce(first_name, '') || ' ' || last_name) gin_trgm_ops)"
        )
