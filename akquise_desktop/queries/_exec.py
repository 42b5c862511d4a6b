"""Running the read side's statements cheaply.

Building a ``select()`` from the ORM's attributes costs more than running it on
a page of rows (about 0.1–0.2 ms per statement, measured), and so does the ORM
session's execution layer. The query modules therefore build each statement
once — on first use, with :func:`statement` — with :func:`~sqlalchemy.bindparam`
for everything that changes from call to call, and run it with :func:`rows` on
the connection of the session's transaction: same SQL, same transaction, plain
rows, no ORM entities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    ARRAY,
    BindParameter,
    Boolean,
    Date,
    Integer,
    Row,
    String,
    Text,
    Time,
    any_,
    bindparam,
    column,
    table,
)
from sqlalchemy.sql import ColumnElement, Executable

from akquise_desktop.sqltypes import UTCDateTime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


def statement(build: Callable[..., T]) -> Callable[..., T]:
    """Decorate a function that builds a statement from hashable arguments (the
    shape of the query: which filters are set, which keyset case applies): each
    shape is built once and reused. SQLAlchemy statements are immutable, so one
    object may be run from any thread."""
    return cache(build)


def limit_param(name: str = "limit") -> BindParameter[int]:
    """A LIMIT given at run time but written into the SQL text.

    PostgreSQL's generic plan of a prepared statement cannot know a ``LIMIT $1``
    and costs it as if all rows were wanted, so it keeps planning every call
    anew (measured: 2–5 ms of planning for a page of 100 that runs in 1–2 ms).
    With the number in the text, psycopg's prepared statement gets a generic
    plan after a few calls and planning stops. A page has few sizes, so there
    are few distinct statements."""
    return bindparam(name, type_=Integer, literal_execute=True)


def in_list(column: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column IN :name`` for a list given at run time. On PostgreSQL one array
    parameter (``= ANY``): an expanded IN of 100 parameters costs psycopg and
    SQLAlchemy about 0.4 ms per call to render and parse (measured), and its
    text changes with the list's length."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def dialect(s: Session) -> str:
    """The name of the session's database dialect ("sqlite", "postgresql")."""
    return s.get_bind().dialect.name


def rows(s: Session, stmt: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Row]:
    """All rows of ``stmt`` run with ``params`` in ``s``'s transaction."""
    return s.connection().execute(stmt, params).all()


# --- the first screen's tables, without the ORM models -------------------------------
#
# The statements of the start — the acting user (queries/users.py) and the follow-up
# list with its counts, context and source activity (queries/follow_ups.py) — are
# built from these Core table clauses instead of the mapped classes: importing
# akquise_desktop.models (18 declarative classes) costs a start 50-80 ms, and the
# first statement built from mapped attributes configures every mapper (another
# 30-40 ms); with these, the models are imported after the first screen, by the first
# view or worker job that needs them. Each table lists only the columns those
# statements use, with the models' names and types (``tests/test_core_tables.py``
# compares them with ``Base.metadata``); the SQL is the same as from the models.


class UTCTimestampRead(UTCDateTime):
    """Reads a column of the models' ``UTCDateTime`` as that type does (it is
    that type): aware, in UTC. Read only: these tables are never written through."""

    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        raise TypeError("UTCTimestampRead reads only; bind timestamps through the models")


USER = table(
    "app_user",
    column("id", Integer),
    column("login", String),
    column("display_name", String),
    column("team_id", Integer),
    column("role_group_id", Integer),
    column("active", Boolean),
)
TEAM = table("team", column("id", Integer), column("name", String))
ROLE_GROUP = table("role_group", column("id", Integer), column("is_admin", Boolean))
RECORD = table("record", column("id", Integer), column("name", String), column("city", String))
CONTACT = table(
    "contact",
    column("id", Integer),
    column("title", String),
    column("first_name", String),
    column("last_name", String),
)
ACTIVITY_TYPE = table(
    "activity_type", column("id", Integer), column("name", String), column("icon", String)
)
ACTIVITY = table(
    "activity",
    column("id", Integer),
    column("record_id", Integer),
    column("contact_id", Integer),
    column("user_id", Integer),
    column("type_id", Integer),
    column("occurred_at", UTCTimestampRead),
    column("subject", String),
    column("text", Text),
)
FOLLOW_UP = table(
    "follow_up",
    column("id", Integer),
    column("record_id", Integer),
    column("assignee_id", Integer),
    column("created_by_id", Integer),
    column("due_date", Date),
    column("due_time", Time),
    column("priority", Integer),
    column("instruction", String),
    column("source_activity_id", Integer),
    column("recurrence", String),
    column("state", String),
    column("created_at", UTCTimestampRead),
    column("version", Integer),
)
CORE_TABLES = (USER, TEAM, ROLE_GROUP, RECORD, CONTACT, ACTIVITY_TYPE, ACTIVITY, FOLLOW_UP)

# A follow-up's state (akquise_desktop.models.FollowUpState; kept as the value so
# the first screen needs no model import).
FOLLOW_UP_OPEN = "open"
