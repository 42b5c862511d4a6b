"""Declarative base, naming convention and the portable column types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

from akquise_desktop.sqltypes import UTCDateTime as UTCDateTime  # where the models find it

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _JSONB(TypeDecorator):
    """PostgreSQL's ``jsonb``, imported when a PostgreSQL dialect first asks for it.

    ``from sqlalchemy.dialects.postgresql import JSONB`` at import time loads
    the PostgreSQL dialect with all its drivers' modules: 40 ms of every start
    on SQLite, which never uses it."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        from sqlalchemy.dialects.postgresql import JSONB

        return dialect.type_descriptor(JSONB())


# JSON everywhere, jsonb on PostgreSQL (what JSON().with_variant(JSONB(), "postgresql") is).
JSONType = JSON().with_variant(_JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)
