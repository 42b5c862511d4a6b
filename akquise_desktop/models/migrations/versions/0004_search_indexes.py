"""search indexes: SQLite FTS5 (trigram) table with triggers, PostgreSQL pg_trgm

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 05:00:00

What search-as-you-type needs (see ``akquise_desktop/queries/search.py``), and
the expression index behind the record list's default sort (by name, case-
insensitive). These objects live only here, not in the models: a comparison of
database and models leaves them out (``search.include_object``).

* SQLite: ``record_search``, an FTS5 table with the trigram tokenizer (SQLite
  3.34 or newer), one row per record: name, city, phone, e-mail and the names
  of all its contact persons. Triggers on ``record`` and ``contact`` keep it in
  step; existing rows are indexed here.
* PostgreSQL: the ``pg_trgm`` extension and GIN trigram indexes on the
  record's and the contact's searchable text. If the extension cannot be
  created (no right to, not installed), the indexes are left out with a
  warning: search then scans, with the same results.
"""

import logging

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CONTACT_NAMES = (
    "(SELECT group_concat(coalesce(c.first_name, '') || ' ' || c.last_name, ' ') "
    "FROM contact c WHERE c.record_id = {rid})"
)
SQLITE_TRIGGERS = {
    "record_search_insert": f"""
        CREATE TRIGGER record_search_insert AFTER INSERT ON record BEGIN
            INSERT INTO record_search (rowid, name, city, phone, email, contacts)
            VALUES (new.id, new.name, new.city, new.phone, new.email,
                    {CONTACT_NAMES.format(rid="new.id")});
        END""",
    "record_search_update": """
        CREATE TRIGGER record_search_update AFTER UPDATE OF name, city, phone, email ON record
        BEGIN
            UPDATE record_search
               SET name = new.name, city = new.city, phone = new.phone, email = new.email
             WHERE rowid = new.id;
        END""",
    "record_search_delete": """
        CREATE TRIGGER record_search_delete AFTER DELETE ON record BEGIN
            DELETE FROM record_search WHERE rowid = old.id;
        END""",
    "contact_search_insert": f"""
        CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN
            UPDATE record_search SET contacts = {CONTACT_NAMES.format(rid="new.record_id")}
             WHERE rowid = new.record_id;
        END""",
    "contact_search_update": f"""
        CREATE TRIGGER contact_search_update
        AFTER UPDATE OF first_name, last_name, record_id ON contact BEGIN
            UPDATE record_search SET contacts = {CONTACT_NAMES.format(rid="old.record_id")}
             WHERE rowid = old.record_id;
            UPDATE record_search SET contacts = {CONTACT_NAMES.format(rid="new.record_id")}
             WHERE rowid = new.record_id;
        END""",
    "contact_search_delete": f"""
        CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN
            UPDATE record_search SET contacts = {CONTACT_NAMES.format(rid="old.record_id")}
             WHERE rowid = old.record_id;
        END""",
}
RECORD_DOCUMENT = (
    "(coalesce(name, '') || ' ' || coalesce(city, '') || ' ' || coalesce(phone, '') "
    "|| ' ' || coalesce(email, ''))"
)
CONTACT_DOCUMENT = "(coalesce(first_name, '') || ' ' || last_name)"


def upgrade() -> None:
    bind = op.get_bind()
    op.execute("CREATE INDEX ix_record_lower_name ON record (lower(name), id)")
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql_upgrade(bind)


def _sqlite_upgrade(bind) -> None:
    try:
        op.execute(
            "CREATE VIRTUAL TABLE record_search USING fts5("
            "name, city, phone, email, contacts, tokenize = 'trigram')"
        )
    except Exception as exc:  # an SQLite without FTS5 or its trigram tokenizer
        raise RuntimeError(
            "SQLite ohne FTS5-Trigramm-Index (nötig: SQLite 3.34 oder neuer): "
            f"{exc.__class__.__name__}: {exc}"
        ) from exc
    op.execute(
        "INSERT INTO record_search (rowid, name, city, phone, email, contacts) "
        "SELECT r.id, r.name, r.city, r.phone, r.email, "
        + CONTACT_NAMES.format(rid="r.id")
        + " FROM record r"
    )
    for ddl in SQLITE_TRIGGERS.values():
        op.execute(ddl)


def _postgresql_upgrade(bind) -> None:
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # no right to create it, or not installed
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): search without trigram indexes", exc)
        return
    savepoint.commit()
    op.execute(
        f"CREATE INDEX ix_record_search_trgm ON record USING gin ({RECORD_DOCUMENT} gin_trgm_ops)"
    )
    op.execute(
        "CREATE INDEX ix_contact_search_trgm ON contact "
        f"USING gin ({CONTACT_DOCUMENT} gin_trgm_ops)"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS record_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contact_search_trgm")
        op.execute("DROP INDEX IF EXISTS ix_record_search_trgm")
    op.execute("DROP INDEX IF EXISTS ix_record_lower_name")
