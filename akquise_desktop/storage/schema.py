"""Schema revisions: check on connect, upgrade on request (Alembic).

The check on every start is one plain ``SELECT`` of the revision compared with
:data:`HEAD_REVISION`; Alembic (with Mako, its templates …) is imported only to
upgrade, and to tell an older from a newer revision when they differ.
``tests/test_migrations.py`` keeps the constant equal to the migrations' head.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"
VERSION_TABLE = "alembic_version"

# The newest migration in models/migrations/versions (its ``revision``). A new
# migration changes this constant too; a test fails until it does.
HEAD_REVISION = "0013"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema revision this program works with."""
    return HEAD_REVISION


def current_revision(connection: Connection) -> str | None:
    """The database's revision (None: no version table, or an empty one).

    What Alembic's ``MigrationContext.get_current_revision`` reads, without
    importing Alembic."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        # Several heads: never written by this program's linear history.
        return ",".join(sorted(rows))
    return rows[0] if rows else None


def known_revisions() -> set[str]:
    return {s.revision for s in script_directory().walk_revisions()}


class SchemaState(Enum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"
    OUTDATED = "outdated"  # known older revision: needs `db upgrade`
    NEWER = "newer"  # unknown revision: written by a newer client
    FOREIGN = "foreign"  # tables but no revision: not ours


def schema_state(connection: Connection) -> tuple[SchemaState, str | None]:
    rev = current_revision(connection)
    if rev is None:
        tables = set(inspect(connection).get_table_names())
        tables.discard(VERSION_TABLE)
        return (SchemaState.FOREIGN if tables else SchemaState.EMPTY), None
    if rev == HEAD_REVISION:
        return SchemaState.CURRENT, rev
    return (SchemaState.OUTDATED if rev in known_revisions() else SchemaState.NEWER), rev


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), target)
