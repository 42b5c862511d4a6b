"""Running the read side's statements cheaply.

Building a ``select()`` from the ORM's attributes costs more than running it on
a page of rows (about 0.1–0.2 ms per statement, measured), and so does the ORM
session's execution layer. The query modules therefore build each statement
once — on first use, with :func:`statement` — with :func:`~sqlalchemy.bindparam`
for everything that changes from call to call, and run it with :func:`rows` in
the session's transaction: same SQL, same transaction, plain tuples, no ORM
entities.

:func:`rows` goes one step further down: SQLAlchemy compiles the statement for
the session's dialect once (:class:`_Prepared`), and each call runs that SQL on
the DB-API connection of the session's transaction, converting parameters and
values with the column types' own processors. SQLAlchemy's execution layer
costs 30-40 µs per statement (execution context, result metadata, ``Row``
objects), more than the SQL of a small page on SQLite (measured: opening a
record, five statements, went from 0.65 to 0.25 ms). Errors still arrive as
SQLAlchemy's :class:`~sqlalchemy.exc.DBAPIError`, and a lost connection is
invalidated as SQLAlchemy would.

Why this module exists, going below SQLAlchemy's execution layer: the gain is
measured, not assumed — opening a record 0.65 → 0.25 ms on SQLite, 30–40 µs
saved per statement of the record view, the timeline, the follow-up list, the
stream and the list pages without search (``benchmarks/README.md``, "Light
reads"). It stays in this one module: the other query modules build their
statements (:func:`statement`, :func:`limit_param`, :func:`in_list`) and call
:func:`rows`; none of them reaches the DB-API itself. ``tests/test_exec.py``
holds it to SQLAlchemy's own path: the same rows, of the same types, as
``Connection.execute`` for each kind of value (timestamps, dates, times,
booleans, enums, literal limits, in_list), a missing parameter refused,
SQLAlchemy's errors, a lost connection invalidated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import (
    ARRAY,
    JSON,
    BindParameter,
    Boolean,
    Date,
    Integer,
    String,
    Text,
    Time,
    any_,
    bindparam,
    column,
    func,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ColumnElement, Select

from akquise_desktop.sqltypes import UTCDateTime

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Dialect
    from sqlalchemy.orm import QueryableAttribute, Session

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


def in_list(
    column: ColumnElement[Any] | QueryableAttribute[Any], name: str, dialect: str
) -> ColumnElement[bool]:
    """``column IN :name`` for a list given at run time, as one parameter: an
    expanded IN of 100 parameters costs SQLAlchemy and the driver about 0.4 ms
    per call to render and parse (measured), and its text changes with the
    list's length. PostgreSQL takes an array (``= ANY``), SQLite a JSON array
    (``IN (SELECT value FROM json_each(…))``, answered by the column's index
    like a literal list)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    values = select(func.json_each(bindparam(name, type_=JSON)).table_valued("value").c.value)
    return column.in_(values)


def dialect(s: Session) -> str:
    """The name of the session's database dialect ("sqlite", "postgresql")."""
    return s.get_bind().dialect.name


def rows(s: Session, stmt: Select, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
    """All rows of ``stmt`` (a statement built once, see :func:`statement`) run
    with ``params`` in ``s``'s transaction, as tuples or lists of values."""
    params = params or {}
    connection = _connection(s)
    engine = connection.engine
    if engine.echo:  # statements logged: SQLAlchemy's own path does that
        return [tuple(r) for r in connection.execute(stmt, params)]
    prepared = _prepared(stmt, engine.dialect, params)
    args = prepared.arguments(params)
    dbapi: Any = connection.connection.driver_connection  # open: the transaction holds it
    try:
        cursor = dbapi.execute(prepared.sql, args)
        found = cursor.fetchall()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error as exc:
        lost = engine.dialect.is_disconnect(exc, dbapi, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            prepared.sql, args, exc, engine.dialect.loaded_dbapi.Error,
            connection_invalidated=lost, dialect=engine.dialect,
        ) from exc  # fmt: skip
    convert = prepared.results
    if not convert:
        return found
    converted: list[Sequence[Any]] = []
    for row in found:
        values = list(row)
        for i, f in convert:
            values[i] = f(values[i])
        converted.append(values)
    return converted


def _connection(s: Session) -> Connection:
    """``s.connection()``, kept for the session's transaction: asking the session
    costs 15-20 µs (its state machine), as much as running a small statement."""
    transaction = s.get_transaction()
    kept = s.info.get(_CONNECTION)
    if transaction is not None and kept is not None and kept[0] is transaction:
        return kept[1]
    connection = s.connection()  # begins the transaction if none is
    s.info[_CONNECTION] = (s.get_transaction(), connection)
    return connection


_CONNECTION = "akquise_desktop.queries._exec.connection"


class _Prepared(NamedTuple):
    """A statement compiled for one dialect (and one set of values of its
    literal parameters, see :func:`limit_param`), ready to run on the DB-API."""

    sql: str
    # Per DB-API parameter, in order: its name, its converter (None: none) and,
    # for a value the statement carries itself, that value converted (else _GIVEN).
    slots: tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]
    positional: bool
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, converter), where needed

    def arguments(self, params: Mapping[str, Any]) -> tuple | dict[str, Any]:
        values = []
        for name, convert, value in self.slots:
            if value is _GIVEN:
                value = params[name]
                if convert is not None:
                    value = convert(value)
            values.append(value)
        if self.positional:
            return tuple(values)
        return dict(zip([slot[0] for slot in self.slots], values, strict=True))


_GIVEN = object()
_PREPARED: dict[tuple, _Prepared] = {}
_PREPARED_MAX = 2048  # statements × dialects × literal values; a few hundred in use


def _prepared(stmt: Select, dialect: Dialect, params: Mapping[str, Any]) -> _Prepared:
    compiled, literal_names = _compiled(stmt, dialect)
    key = (stmt, dialect, tuple(params[n] for n in literal_names))
    found = _PREPARED.get(key)
    if found is not None:
        return found
    expanded = compiled.construct_expanded_state(dict(params))
    # As with SQLAlchemy, parameters the statement does not use are ignored (a
    # filter's statement leaves out the conditions not set); a missing one raises.
    given = set(params).intersection(expanded.parameters)
    processors = {
        name: convert
        for name, bind in compiled.binds.items()
        if (convert := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    names = expanded.positiontup if dialect.positional else list(expanded.parameters)
    slots = []
    for name in names:
        convert = processors.get(name)
        if name in given:
            slots.append((name, convert, _GIVEN))
        else:
            value = expanded.parameters[name]
            slots.append((name, None, value if convert is None else convert(value)))
    results = tuple(
        (i, convert)
        for i, column in enumerate(stmt.selected_columns)
        if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
    )
    prepared = _Prepared(
        sql=expanded.statement,
        slots=tuple(slots),
        positional=dialect.positional,
        results=results,
    )
    if len(_PREPARED) >= _PREPARED_MAX:
        _PREPARED.clear()
    _PREPARED[key] = prepared
    return prepared


@lru_cache(maxsize=1024)
def _compiled(stmt: Select, dialect: Dialect) -> tuple[Any, tuple[str, ...]]:
    """``stmt`` compiled for ``dialect``, and the names of its parameters that are
    written into the SQL text (:func:`limit_param`)."""
    compiled = stmt.compile(dialect=dialect)
    if any(b.expanding for b in compiled.binds.values()):
        raise ValueError("rows() takes no expanding IN parameter; use in_list()")
    literal = sorted(k for k, b in compiled.binds.items() if b.literal_execute)
    return compiled, tuple(literal)


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
    column("time_zone", String),
)
CORE_TABLES = (USER, TEAM, ROLE_GROUP, RECORD, CONTACT, ACTIVITY_TYPE, ACTIVITY, FOLLOW_UP)

# A follow-up's state (akquise_desktop.models.FollowUpState; kept as the value so
# the first screen needs no model import).
FOLLOW_UP_OPEN = "open"
