"""Test set-up: headless Qt, a pinned clock and time zone, and every database
test on SQLite and PostgreSQL.

"Today" is :data:`tests.factories.TODAY` for every test: the ``clock`` fixture
is a :class:`FixedClock` standing at 10:00 Berlin time on that day, and the
process runs in ``Europe/Berlin`` whatever the machine's zone, so nothing a
test checks depends on the wall clock or on where the machine is.

PostgreSQL comes from ``AKQUISE_TEST_PG_URL`` (default: the local server).
Each run creates its own database and drops it afterwards (with the roles
migration 0009 made for it). The ``db`` fixture's PostgreSQL variant connects
as a non-superuser application role that is a service administrator (not the
owner): the controller suite runs under the grants and row-level security. Without a server
the PostgreSQL tests skip with the reason, unless ``AKQUISE_REQUIRE_PG=1``,
which turns a missing server into a failure.
"""

from __future__ import annotations

import contextlib
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
from sqlalchemy.exc import DBAPIError

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
        before = _role_names(conn)
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            drop_test_database(conn, name)
            _drop_new_roles(conn, before)
        engine.dispose()


def _role_names(conn) -> set[str]:
    return set(conn.execute(text("SELECT rolname FROM pg_roles")).scalars())


def _drop_new_roles(conn, before: set[str]) -> None:
    """Login roles are the server's: drop the ones this run made and left (a
    user deactivated, a database of a test dropped without its users), so the
    next run finds the server as this one did. (One test run per server at a
    time: README, Tests.)"""
    for role in sorted(_role_names(conn) - before):
        # (an AUTOCOMMIT connection: a refusal ends nothing else; a role that
        # still owns or may do something elsewhere is left as it is)
        with contextlib.suppress(DBAPIError):
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def drop_test_database(conn, name: str) -> None:
    """Drop a test's database and the roles migration 0009 made for it (on an
    AUTOCOMMIT connection to another database of the server)."""
    doomed = _roles_of(conn, name)
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for role in doomed:
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def _roles_of(conn, database: str) -> list[str]:
    """The roles a test database made (migration 0009, in any schema of it: all
    named ``<database>_…``) and the login roles only they have as members (the
    users the tests created); the group roles last."""
    groups = [
        r for (r,) in conn.execute(
            text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
            {"p": f"{database}_"},
        )
    ]  # fmt: skip
    members = conn.execute(
        text(
            "SELECT DISTINCT u.rolname FROM pg_roles u JOIN pg_auth_members m ON m.member = u.oid "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = ANY (:groups) "
            "AND NOT u.rolsuper AND NOT (u.rolname = ANY (:groups)) AND NOT EXISTS ("
            "SELECT 1 FROM pg_auth_members o JOIN pg_roles og ON og.oid = o.roleid "
            "WHERE o.member = u.oid AND NOT (og.rolname = ANY (:groups)))"
        ),
        {"groups": groups},
    ).scalars()
    order = {"owner": 3, "usermgr": 2}
    return [*members, *sorted(groups, key=lambda g: order.get(g.rsplit("_", 1)[-1], 0))]


@pytest.fixture(scope="session")
def _pg_migrated(pg_url: str) -> Iterator[Database]:
    """The test database as the superuser: migrations, resets, maintenance."""
    db = Database(pg_url)
    db.upgrade()
    yield db
    db.dispose()


APP_ROLE_SUFFIX = "_app"


@pytest.fixture(scope="session")
def _pg_app(pg_url: str, _pg_migrated: Database) -> Iterator[Database]:
    """The test database as an application role: a login in the users group
    and a service administrator (``<db>_admins``) — no superuser, not the
    owner, so every grant and policy of migration 0009 applies to it."""
    url = make_url(pg_url)
    name = f"{url.database}{APP_ROLE_SUFFIX}"
    with _pg_migrated.engine.begin() as conn:
        conn.execute(
            text(f'CREATE ROLE "{name}" LOGIN IN ROLE "{url.database}_users", '
                 f'"{url.database}_admins"')
        )  # fmt: skip
    db = Database(url.set(username=name))
    db.test_superuser = _pg_migrated  # type: ignore[attr-defined]  # for reset_database
    yield db
    db.dispose()


@pytest.fixture
def pg_superuser_db(_pg_migrated: Database) -> Database:
    """The PostgreSQL test database as the superuser (maintenance: the large
    demo's bulk load, checks of what the server refuses)."""
    return _pg_migrated


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
    db = getattr(db, "test_superuser", db)  # TRUNCATE is no application role's right
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
        # Emptied as the superuser (TRUNCATE is no user's right); used as the
        # application role.
        reset_database(request.getfixturevalue("_pg_migrated"))
        yield request.getfixturevalue("_pg_app")


@pytest.fixture
def clock() -> FixedClock:
    """The test's clock: 10:00 Berlin time on :data:`tests.factories.TODAY`.
    A test may set or advance it; each test gets its own."""
    return pinned_clock()
