"""Column types shared by the models and the Core tables of the start
(``queries/_exec.py``), in a module that imports no ORM: importing it costs a
start nothing the first screen does not need anyway."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """A time-zone aware timestamp, stored in UTC on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no zone support, so the value
    is stored as naive UTC and read back as aware UTC. Naive input is refused:
    a timestamp without a zone is a bug, not something to guess about.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must be time-zone aware")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
