"""The read side's statements run on the DB-API connection (queries/_exec.rows):
the same rows as SQLAlchemy's own execution, values converted by the column
types, SQLAlchemy's errors, and read sessions that change nothing."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import Integer, bindparam, column, func, select, table, text
from sqlalchemy.exc import DBAPIError

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.queries import _exec, stream, timeline
from akquise_desktop.queries.records import detail as records
from akquise_desktop.storage import Database

from .factories import make_world


@pytest.fixture
def world(db, clock):
    w = make_world(db, clock)
    rid = w.in_campaign()
    w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Erstgespräch",
            occurred_at=clock.now() - timedelta(hours=2),
            completes=_open_ids(db, rid),
            status_changes={w.campaign_id: w.status["Kontaktiert"]},
            next_follow_up=NextFollowUp(w.today + timedelta(days=3), time(9, 30)),
        )
    )
    w.rid = rid  # type: ignore[attr-defined]
    return w


def _open_ids(db, rid: int) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(f.id for f in records.record_detail(s, rid).follow_ups)


def _cases(w) -> list[tuple[str, object, dict]]:
    rid = w.rid
    with w.db.read() as s:
        activity_ids = list(s.scalars(select(m.Activity.id).where(m.Activity.record_id == rid)))
    shape = stream._shape(stream.StreamFilter())
    _, changes = stream._page_statements(shape, False, w.db.engine.dialect.name)
    return [
        ("record (timestamps, dates, NULLs)", records._DETAIL, {"record_id": rid}),
        ("memberships (booleans, timestamps)", records._MEMBERSHIPS, {"record_id": rid}),
        ("open follow-ups (date, time, enum)", records._OPEN_FOLLOW_UPS, {"record_id": rid}),
        (
            "timeline (literal limits, fixed values)",
            timeline._first_page_statement(),
            {"record_id": rid, "n": 51, "max_open": 500},
        ),
        ("status changes (in_list)", changes, {"activity_ids": activity_ids}),
    ]


def test_rows_are_sqlalchemys_rows(world, db):
    for label, statement, params in _cases(world):
        with db.read() as s:
            fast = [tuple(r) for r in _exec.rows(s, statement, params)]
            reference = [tuple(r) for r in s.connection().execute(statement, params)]
        assert fast, label
        assert fast == reference, label
        for row in fast:  # and the same types, not merely equal values
            for value, expected in zip(row, reference[fast.index(row)], strict=True):
                assert type(value) is type(expected), (label, value, expected)


def test_timestamps_are_aware_utc(world, db):
    with db.read() as s:
        detail = _exec.rows(s, records._DETAIL, {"record_id": world.rid})[0]
    created_at = detail[15]
    assert isinstance(created_at, datetime) and created_at.tzinfo is not None
    assert created_at.utcoffset() == timedelta(0)


def test_parameters_a_statement_does_not_use_are_ignored_a_missing_one_refused(world, db):
    with db.read() as s:
        found = _exec.rows(s, records._CONTACTS, {"record_id": world.rid, "unused": 1})
        assert found == []
    with db.read() as s, pytest.raises(Exception, match="record_id"):
        _exec.rows(s, records._CONTACTS, {})


def test_a_literal_parameter_is_part_of_the_prepared_statement(world, db):
    numbers = select(m.ActivityType.id).order_by(m.ActivityType.id).limit(_exec.limit_param("n"))
    with db.read() as s:
        everything = s.scalars(select(m.ActivityType.id).order_by(m.ActivityType.id)).all()
        assert len(everything) >= 3
        for n in (1, 2, 3, 1):
            assert [r[0] for r in _exec.rows(s, numbers, {"n": n})] == everything[:n]


def test_errors_are_sqlalchemys(db):
    missing = select(column("x", Integer)).select_from(table("no_such_table"))
    with db.read() as s, pytest.raises(DBAPIError) as caught:
        _exec.rows(s, missing)
    assert "no_such_table" in str(caught.value)
    assert not caught.value.connection_invalidated
    with db.read() as s:  # the next read is not disturbed
        assert _exec.rows(s, select(func.count()).select_from(m.User.__table__))[0][0] >= 0


@pytest.mark.postgresql
def test_a_lost_connection_is_invalidated(pg_url, _pg_migrated):
    db = _pg_migrated
    with db.read() as s:
        pid = _exec.rows(s, select(func.pg_backend_pid()))[0][0]
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        with pytest.raises(DBAPIError) as caught:
            _exec.rows(s, select(bindparam("one", 1, type_=Integer)))
        assert caught.value.connection_invalidated
    with db.read() as s:  # a new connection from the pool
        assert _exec.rows(s, select(func.pg_backend_pid()))[0][0] != pid


def test_the_kept_connection_belongs_to_the_transaction(world, db):
    """A session that ends its transaction and starts another gets the new
    transaction's connection, not the one kept for the old."""
    with db.read() as s:
        first = _exec._connection(s)
        assert _exec._connection(s) is first
        s.rollback()
        second = _exec._connection(s)
        assert second is not first and not second.closed


def test_a_read_session_changes_nothing(db):
    with db.read() as s:
        s.add(m.Team(name="Heimlich"))
        with pytest.raises(RuntimeError, match="read session"):
            s.flush()
    with db.read() as s:
        assert s.scalar(select(m.Team.id).where(m.Team.name == "Heimlich")) is None


@pytest.mark.postgresql
def test_reads_keep_the_drivers_prepared_statements(pg_url, _pg_migrated):
    """psycopg prepares a statement run often on a connection; a read ends by a
    commit, not a rollback (which would make psycopg drop them all), so the
    server keeps its plans from read to read."""
    db = Database(pg_url)  # its own pool: one connection, used by every read
    try:
        user = select(m.User.id).where(m.User.id == bindparam("uid", type_=Integer))
        for _ in range(8):
            with db.read() as s:
                _exec.rows(s, user, {"uid": 1})
        with db.read() as s:
            prepared = s.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        assert prepared >= 1
    finally:
        db.dispose()


def test_a_read_inside_a_read_and_a_read_on_another_thread_have_their_own_session(db):
    """Each thread reuses its last closed read session; a nested read, or one on
    another thread at the same time, never gets a session in use."""
    with db.read() as outer:
        with db.read() as inner:
            assert inner is not outer
            assert _exec.rows(inner, select(func.count()).select_from(m.User.__table__))
        seen = []
        worker = threading.Thread(target=lambda: seen.append(_session_of(db)))
        worker.start()
        worker.join()
        assert seen and seen[0] is not outer
        assert _exec.rows(outer, select(func.count()).select_from(m.User.__table__))
    with db.read() as again:  # sequential reads on one thread: one session object
        assert again in (outer, inner)
        assert not again.new and not again.identity_map


def _session_of(db):
    with db.read() as s:
        return s
