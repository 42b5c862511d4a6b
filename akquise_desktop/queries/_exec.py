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
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ARRAY, BindParameter, Integer, Row, any_, bindparam
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Executable

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
