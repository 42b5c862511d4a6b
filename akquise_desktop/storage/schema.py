"""Schema revisions: check on connect, upgrade on request (Alembic)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


class SchemaState(Enum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"
    OUTDATED = "outdated"  # known older revision: needs `db upgrade`
    NEWER = "newer"  # unknown revision: written by a newer client
    FOREIGN = "foreign"  # tables but no revision: not ours


def schema_state(connection: Connection) -> tuple[SchemaState, str | None]:
    from sqlalchemy import inspect

    rev = current_revision(connection)
    if rev is None:
        tables = set(inspect(connection).get_table_names())
        tables.discard("alembic_version")
        return (SchemaState.FOREIGN if tables else SchemaState.EMPTY), None
    if rev == head_revision():
        return SchemaState.CURRENT, rev
    known = {s.revision for s in script_directory().walk_revisions()}
    return (SchemaState.OUTDATED if rev in known else SchemaState.NEWER), rev


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), target)
