"""The schema check on connect: one SELECT of the revision, compared with a
constant kept equal to the migrations' head; Alembic only when they differ."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.storage import Database, SchemaState, schema

from .fresh_process import run_python


def db_url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


# --- the schema check -------------------------------------------------------------------


def test_head_revision_constant_is_the_migrations_head():
    """The check on connect compares with a constant; it must be Alembic's head."""
    assert schema.script_directory().get_current_head() == schema.HEAD_REVISION
    assert schema.head_revision() == schema.HEAD_REVISION


def test_schema_check_reads_the_revision_alembic_reads(db):
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        assert (
            schema.current_revision(conn) == MigrationContext.configure(conn).get_current_revision()
        )
    assert db.schema_state() == (SchemaState.CURRENT, schema.HEAD_REVISION)


def test_opening_a_current_database_does_not_import_alembic(db):
    out = run_python(
        f"""
        import sys
        from akquise_desktop.storage import Database
        db = Database({db_url(db)!r})
        db.open(create=False)
        db.dispose()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("alembic", "mako")))
        """
    )
    assert out.strip() == "[]"


@pytest.fixture
def version_table(db):
    """``db`` whose revision rows the test may change: put back afterwards (the
    PostgreSQL database is shared by the tests that follow). On PostgreSQL as
    the superuser: the application's roles may read the revision, not write it."""
    db = getattr(db, "test_superuser", db)
    yield db
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:r)"),
            {"r": schema.HEAD_REVISION},
        )
    assert db.schema_state() == (SchemaState.CURRENT, schema.HEAD_REVISION)


def test_an_older_revision_is_still_told_from_a_newer_one(version_table):
    db = version_table
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert db.schema_state() == (SchemaState.OUTDATED, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_unknown'"))
    assert db.schema_state() == (SchemaState.NEWER, "0099_unknown")


def test_several_revision_rows_are_not_ours(version_table):
    db = version_table
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0003')"))
    state, rev = db.schema_state()
    assert state is SchemaState.NEWER and rev is not None and "0003" in rev
    with pytest.raises(AkquiseError):
        db.open(create=False)


def test_an_empty_version_table_is_a_foreign_database(version_table):
    db = version_table
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    assert db.schema_state() == (SchemaState.FOREIGN, None)
