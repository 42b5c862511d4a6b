"""Around the bulk load: the secondary indexes, triggers (the search table's) and,
on PostgreSQL, foreign keys of the tables it fills taken off first
(:func:`_prepare`, :func:`_drop`) and put back exactly as they were afterwards,
the sequences moved past the ids written (:func:`_finish`); then statistics for
the query planner (:func:`_after`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from akquise_desktop.queries import search

from .write import TABLES

BULK_TABLES = [name for name, _cols in TABLES]


def _prepare(conn: Connection, sqlite: bool) -> list[str]:
    """Set the connection up for the bulk load and take the secondary indexes (and,
    on PostgreSQL, the foreign keys) of the tables it fills off: building them once
    afterwards is much faster than keeping them up to date row by row. Returns the
    statements that put them back, exactly as they were (from the catalog)."""
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if sqlite:
        raw: Any = conn.connection.driver_connection
        raw.execute("PRAGMA cache_size = -1000000")
        raw.execute("PRAGMA foreign_keys = OFF")
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({tables}) AND sql IS NOT NULL"
        ).all()
        conn.commit()
        return [
            *(f'DROP {kind.upper()} "{name}"' for kind, name, _sql in rows),
            "--",
            *(sql for _kind, _name, sql in rows),
        ]
    rows = conn.exec_driver_sql(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c WHERE c.contype = 'f' "
        f"AND c.conrelid::regclass::text IN ({tables})"
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        f"AND i.tablename IN ({tables}, '{search.PG_TABLE}') AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ).all()
    # The search table's triggers (0006) would refresh its row per COPY row: off,
    # the table is refilled once afterwards (search.rebuild_index). The chain
    # triggers (0010) would check each COPY row (and queue millions of
    # deferred checks): off too, as the owner may; the plan keeps the chain
    # by construction (queries.invariants checks it).
    triggers = conn.exec_driver_sql(
        "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
        f"WHERE NOT t.tgisinternal AND t.tgrelid::regclass::text IN ({tables}) "
        f"AND (starts_with(t.tgname, '{search.PG_TABLE}') "
        "OR starts_with(t.tgname, 'akquise_chain_'))"
    ).all()
    conn.commit()
    return [
        *(f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _d in rows),
        *(f'DROP INDEX "{name}"' for name, _d in indexes),
        *(f'ALTER TABLE {t} DISABLE TRIGGER "{name}"' for t, name in triggers),
        "--",
        "SET LOCAL maintenance_work_mem = '256MB'",
        *(ddl for _name, ddl in indexes),
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in rows),
        *(f'ALTER TABLE {t} ENABLE TRIGGER "{name}"' for t, name in triggers),
    ]


def _drop(conn: Connection, statements: list[str]) -> None:
    for sql in statements[: statements.index("--")]:
        conn.exec_driver_sql(sql)


def _finish(conn: Connection, sqlite: bool, statements: list[str]) -> None:
    for sql in statements[statements.index("--") + 1 :]:
        conn.exec_driver_sql(sql)
    if not sqlite:
        for name in BULK_TABLES:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )


def _after(conn: Connection, sqlite: bool) -> None:
    """Statistics for the query planner, outside the load's transaction."""
    raw: Any = conn.connection.driver_connection
    if sqlite:
        raw.execute("PRAGMA cache_size = -2000")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA analysis_limit = 1000")
        raw.execute("ANALYZE")
    else:
        raw.autocommit = True
        try:
            found = conn.exec_driver_sql(f"SELECT to_regclass('{search.PG_TABLE}')").scalar()
            extra = [search.PG_TABLE] if found is not None else []
            conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join([*BULK_TABLES, *extra]))
        finally:
            raw.autocommit = False
