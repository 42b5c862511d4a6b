"""Test set-up: headless Qt, a pinned clock and time zone, and every database
test on SQLite and PostgreSQL.

"Today" is :data:`tests.factories.TODAY` for every test: the ``clock`` fixture
is a :class:`FixedClock` standing at 10:00 Berlin time on that day, and the
process runs in ``Europe/Berlin`` whatever the machine's zone, so nothing a
test checks depends on the wall clock or on where the machine is.

PostgreSQL comes from ``AKQUISE_TEST_PG_URL`` (default: the local server).
Each run creates its own database and drops it afterwards. Without a server
the PostgreSQL tests skip with the reason, unless ``AKQUISE_REQUIRE_PG=1``,
which turns a missing server into a failure.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("AKQUISE_DB", None)
os.environ.pop("AKQUISE_USER", None)
# The views show times in the machine's zone: pin it (children inherit it).
os.environ["TZ"] = "Europe/Berlin"

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from akquise_desktop.core.clock import FixedClock
from akquise_desktop.models import Base
from akquise_desktop.storage import Database
from tests.factories import pinned_clock

time.tzset()  # TZ above takes effect for this process

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def _pg_admin_url():
    url = make_url(os.environ.get("AKQUISE_TEST_PG_URL", PG_DEFAULT))
    return url.set(drivername="postgresql+psycopg")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    admin_url = _pg_admin_url()
    try:
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc}"
        if os.environ.get("AKQUISE_REQUIRE_PG") == "1":
            pytest.fail(f"AKQUISE_REQUIRE_PG=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    name = f"akquise_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def _pg_migrated(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return str(path)


def reset_database(db: Database) -> None:
    """Empty every table (fast, for per-example resets in property tests)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for name in tables:
                conn.exec_driver_sql(f'DELETE FROM "{name}"')
            has_sequence = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).first()
            if has_sequence:  # only where a table uses AUTOINCREMENT
                conn.exec_driver_sql("DELETE FROM sqlite_sequence")
        else:
            quoted = ", ".join(f'"{n}"' for n in tables)
            conn.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Iterator[Database]:
    """An empty, schema-current database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "akquise.sqlite3"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
    else:
        database = request.getfixturevalue("_pg_migrated")
        reset_database(database)
        yield database


@pytest.fixture
def clock() -> FixedClock:
    """The test's clock: 10:00 Berlin time on :data:`tests.factories.TODAY`.
    A test may set or advance it; each test gets its own."""
    return pinned_clock()
