"""Migrations: empty -> head on both backends, the migrations match the models,
and the schema check on open (outdated, newer, foreign, empty)."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from akquise_desktop import cli
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.models import Base
from akquise_desktop.queries import search
from akquise_desktop.storage import Database, SchemaState, schema

from .conftest import drop_test_database

FUTURE = "9999_from_a_newer_client"


@pytest.fixture(scope="module")
def pg_database(pg_url) -> Iterator[URL]:
    """A PostgreSQL database for this module (created and dropped here), with
    pg_trgm installed in ``public`` as the search migration would."""
    server = make_url(pg_url).set(database="postgres")
    name = f"akquise_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except Exception:  # not installed: the migration leaves the indexes out
        pass
    finally:
        engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            drop_test_database(conn, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def empty_url(request, tmp_path) -> Iterator[str]:
    """A URL of a database without any table: a new SQLite file, or on
    PostgreSQL a new schema, made the database's first on the search path for
    new connections (tests run one after another), dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/leer.sqlite3"
        return
    database: URL = request.getfixturevalue("pg_database")
    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
        conn.execute(text(f'ALTER DATABASE "{database.database}" SET search_path = {name}, public'))
    try:
        yield database.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            conn.execute(text(f'ALTER DATABASE "{database.database}" RESET search_path'))
        admin.dispose()


@pytest.fixture
def empty_db(empty_url) -> Iterator[Database]:
    db = Database(empty_url)
    yield db
    db.dispose()


def revisions_oldest_first() -> list[str]:
    return [s.revision for s in reversed(list(schema.script_directory().walk_revisions()))]


def tables(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def model_differences(db: Database) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": search.include_object,
                "render_as_batch": db.is_sqlite,
            },
        )
        with warnings.catch_warnings():
            # The search migration's expression index is not reflected on SQLite
            # (and not in the models): include_object leaves it out anyway.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            return compare_metadata(context, Base.metadata)


def set_revision(db: Database, revision: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


# --- upgrade ----------------------------------------------------------------------------


def test_one_head():
    assert len(schema.script_directory().get_heads()) == 1


def test_upgrade_from_empty_to_head(empty_db):
    assert empty_db.schema_state() == (SchemaState.EMPTY, None)
    before, after = empty_db.upgrade()
    assert (before, after) == (None, schema.head_revision())
    assert empty_db.schema_state() == (SchemaState.CURRENT, schema.head_revision())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables(empty_db)
    # A second upgrade is a no-op.
    assert empty_db.upgrade() == (schema.head_revision(), schema.head_revision())


def test_migrations_match_the_models(empty_db):
    empty_db.upgrade()
    assert model_differences(empty_db) == []


def test_upgrade_one_revision_at_a_time(empty_db):
    steps = revisions_oldest_first()
    for revision in steps:
        with empty_db.engine.begin() as conn:
            schema.upgrade(conn, revision)
        state, current = empty_db.schema_state()
        assert current == revision
        assert state is (SchemaState.CURRENT if revision == steps[-1] else SchemaState.OUTDATED)
    assert model_differences(empty_db) == []


def test_downgrade_to_base_and_up_again(empty_db):
    from alembic import command

    empty_db.upgrade()
    with empty_db.engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "base")
    assert tables(empty_db) <= {"alembic_version"}
    empty_db.upgrade()
    assert empty_db.schema_state()[0] is SchemaState.CURRENT


# --- the schema check on open -----------------------------------------------------------


def test_empty_database_is_created_by_open_but_refused_without_create(empty_db):
    with pytest.raises(AkquiseError) as info:
        empty_db.open(create=False)
    assert "db upgrade" in str(info.value)
    assert tables(empty_db) == set()
    assert empty_db.open(create=True) is empty_db
    assert empty_db.schema_state() == (SchemaState.CURRENT, schema.head_revision())
    empty_db.open(create=False)  # now it is fine


def test_outdated_schema_is_refused_until_upgraded(empty_db):
    steps = revisions_oldest_first()
    if len(steps) < 2:
        pytest.skip("only one migration: there is no older schema revision yet")
    older = steps[-2]
    with empty_db.engine.begin() as conn:
        schema.upgrade(conn, older)
    assert empty_db.schema_state() == (SchemaState.OUTDATED, older)
    for create in (True, False):
        with pytest.raises(AkquiseError) as info:
            empty_db.open(create=create)
        assert older in str(info.value) and "db upgrade" in str(info.value)
    assert empty_db.upgrade() == (older, schema.head_revision())
    empty_db.open(create=False)


def test_newer_schema_is_refused(empty_db):
    empty_db.upgrade()
    set_revision(empty_db, FUTURE)
    assert empty_db.schema_state() == (SchemaState.NEWER, FUTURE)
    for call in (lambda: empty_db.open(create=True), lambda: empty_db.open(create=False)):
        with pytest.raises(AkquiseError) as info:
            call()
        message = str(info.value)
        assert FUTURE in message and "neueres Schema" in message and "\n" not in message
    # Upgrading cannot help an old client: refused too, nothing changed.
    with pytest.raises(AkquiseError):
        empty_db.upgrade()
    assert empty_db.schema_state() == (SchemaState.NEWER, FUTURE)


@pytest.mark.parametrize("argv", [["check"], ["db", "upgrade"], ["demo", "--records", "3"]])
def test_newer_schema_cli_prints_one_line(empty_url, argv, capsys):
    db = Database(empty_url)
    db.upgrade()
    set_revision(db, FUTURE)
    db.dispose()
    assert cli.main([*argv, "--db", empty_url]) != 0
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert FUTURE in lines[0] and "Traceback" not in captured.err


def test_db_status_reports_a_newer_schema(empty_url, capsys):
    db = Database(empty_url)
    db.upgrade()
    set_revision(db, FUTURE)
    db.dispose()
    assert cli.main(["db", "status", "--db", empty_url]) == 1
    out = capsys.readouterr().out
    assert "newer" in out and FUTURE in out


def test_foreign_database_is_refused(empty_db):
    with empty_db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE kunden (id INTEGER PRIMARY KEY, name VARCHAR(50))"))
    assert empty_db.schema_state() == (SchemaState.FOREIGN, None)
    for call in (
        lambda: empty_db.open(create=True),
        lambda: empty_db.open(create=False),
        empty_db.upgrade,
    ):
        with pytest.raises(AkquiseError) as info:
            call()
        assert "fremde Tabellen" in str(info.value)
    assert tables(empty_db) == {"kunden"}
