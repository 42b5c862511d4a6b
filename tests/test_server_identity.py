"""On PostgreSQL the database role is the identity: whoever logs in as role
``anna`` acts as the application user ``anna``, whatever ``--user`` says; only
a superuser (administration, the benchmark) may name another user."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from akquise_desktop import cli
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.storage import Database

from .factories import make_world

pytestmark = pytest.mark.postgresql


@pytest.fixture
def role(pg_url) -> Iterator[str]:
    """A login role (no superuser) with the rights the application needs on
    the test database's tables, dropped afterwards."""
    name = f"akq_{uuid.uuid4().hex[:8]}"
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{name}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{name}"'))
    try:
        yield name
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))
        engine.dispose()


def _as(pg_url: str, role: str) -> Database:
    return Database(make_url(pg_url).set(username=role))


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_role_is_the_user(db, pg_url, role, pg_superuser_db):
    world = make_world(db)
    anna = world.admin.create_user(role, "Anna", role_group_id=1).result_id
    as_anna = _as(pg_url, role)
    try:
        assert cli._acting_user(as_anna, role, strict=False) == anna
        assert cli._acting_user(as_anna, "whoever", strict=False) == anna  # (the OS login)
        with pytest.raises(AkquiseError, match="Datenbankrolle"):
            cli._acting_user(as_anna, "admin", strict=True)  # --user admin
        world.admin.set_user_active(anna, False)
        with pytest.raises(AkquiseError, match="kein aktiver Benutzer"):
            cli._acting_user(as_anna, role, strict=False)
    finally:
        as_anna.dispose()
    # A superuser may still name a user.
    assert cli._acting_user(pg_superuser_db, "sales", strict=True) == world.sales_id


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_role_that_is_no_user_is_refused(db, pg_url, role):
    make_world(db)
    as_role = _as(pg_url, role)
    try:
        with pytest.raises(AkquiseError, match="kein aktiver Benutzer"):
            cli._acting_user(as_role, role, strict=False)
    finally:
        as_role.dispose()
