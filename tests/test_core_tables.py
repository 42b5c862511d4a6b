"""The first screen's statements run on Core tables (akquise_desktop.queries._exec),
not on the ORM models: the tables are the models' (names and types), timestamps
read as the models read them, and the start's queries import no model."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import DateTime

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.models import Base, FollowUpState, UTCDateTime
from akquise_desktop.queries import _exec
from akquise_desktop.queries.follow_ups import FollowUpFilter, follow_up_detail, follow_up_page
from akquise_desktop.queries.users import display_name, has_users

from .factories import make_world
from .fresh_process import run_python


@pytest.mark.parametrize("core", _exec.CORE_TABLES, ids=lambda t: t.name)
def test_core_table_is_the_models_table(core):
    model = Base.metadata.tables[core.name]
    for col in core.c:
        assert col.name in model.c, f"{core.name}.{col.name} is not a column of the models"
        model_type = model.c[col.name].type
        if isinstance(model_type, UTCDateTime):
            assert isinstance(col.type, _exec.UTCTimestampRead), col
        else:
            assert type(col.type) is type(model_type), (col, model_type)


def test_open_state_is_the_models():
    assert FollowUpState.OPEN.value == _exec.FOLLOW_UP_OPEN


def test_timestamps_read_as_the_models_read_them():
    ours, models = _exec.UTCTimestampRead(), UTCDateTime()
    berlin = timezone(timedelta(hours=1))
    for value in (
        None,
        datetime(2026, 3, 11, 9, 30),  # SQLite: naive UTC
        datetime(2026, 3, 11, 10, 30, tzinfo=berlin),  # PostgreSQL: the session's zone
        datetime(2026, 3, 11, 9, 30, tzinfo=UTC),
    ):
        for dialect in ("sqlite", "postgresql"):
            read = ours.process_result_value(value, dialect)
            assert read == models.process_result_value(value, dialect)
            assert read is None or read.tzinfo is UTC
    assert isinstance(ours.impl, DateTime) and ours.impl.timezone
    with pytest.raises(TypeError):
        ours.process_bind_param(datetime(2026, 3, 11, tzinfo=UTC), "sqlite")
    assert ours.process_bind_param(None, "sqlite") is None


def _world_with_a_follow_up(db, clock, name: str, subject: str, occurred_at: datetime):
    """A world whose sales user logged one activity setting a follow-up due tomorrow."""
    world = make_world(db, clock)
    world.sales.log_activity(
        LogActivity(
            record_id=world.record(name),
            subject=subject,
            occurred_at=occurred_at,
            next_follow_up=NextFollowUp(world.today + timedelta(days=1)),
        )
    )
    return world


def test_detail_timestamps_equal_the_models(db, clock):
    occurred = datetime.combine(clock.today() - timedelta(days=65), time(10, 0, 7), tzinfo=UTC)
    world = _world_with_a_follow_up(db, clock, "Zeit GmbH", "Anruf", occurred)
    with db.read() as s:
        (row,) = follow_up_page(s, FollowUpFilter(today=world.today, user_id=world.sales_id))
        detail = follow_up_detail(s, row.id)
        follow_up = s.get(m.FollowUp, row.id)
        activity = s.get(m.Activity, row.source_activity_id)
        assert detail is not None and detail.source is not None
        assert detail.created_at == follow_up.created_at and detail.created_at.tzinfo is UTC
        assert detail.source.occurred_at == activity.occurred_at
        assert row.source_occurred_at == activity.occurred_at
        assert row.source_occurred_at.tzinfo is UTC


def test_user_lookups(db):
    with db.read() as s:
        assert not has_users(s)
    world = make_world(db)
    with db.read() as s:
        assert has_users(s)
        assert display_name(s, world.sales_id) == "Sven Sales"
        assert display_name(s, 999_999) is None


def test_the_first_screens_queries_import_no_model(db, clock):
    """What the start asks before and right after the first page (the acting
    user, the page, its counts and context, the user's name, the first row's
    source activity) in a fresh process: no model imported."""
    occurred = datetime.combine(clock.today() - timedelta(days=65), time(10, 0), tzinfo=UTC)
    world = _world_with_a_follow_up(db, clock, "Start GmbH", "Erstgespräch", occurred)
    url = db.url.render_as_string(hide_password=False)
    today = world.today
    code = f"""
        import json, sys
        from datetime import date
        from akquise_desktop.storage import Database
        from akquise_desktop.queries.users import acting_user_id, display_name, has_users
        from akquise_desktop.queries import follow_ups as f
        from akquise_desktop.ui.app import user_display_name

        db = Database({url!r})
        with db.read() as s:
            assert has_users(s)
            user_id = acting_user_id(s, "sales", strict=True)
            flt = f.FollowUpFilter(today=date.fromisoformat({today.isoformat()!r}), user_id=user_id)
            page = f.follow_up_page(s, flt)
            counts = f.bucket_counts(s, flt)
            ctx = f.list_context(s, user_id)
            detail = f.follow_up_detail(s, page[0].id)
        name = user_display_name(db, user_id)
        print(json.dumps({{
            "rows": len(page), "all": counts[f.Bucket.ALL], "team": ctx.team_name,
            "subject": detail.source.subject, "name": name,
            "models": sorted(n for n in sys.modules if n.startswith("akquise_desktop.models")),
        }}))
    """
    out = json.loads(run_python(code).strip().splitlines()[-1])
    assert out == {
        "rows": 1,
        "all": 1,
        "team": "Nord",
        "subject": "Erstgespräch",
        "name": "Sven Sales",
        "models": [],
    }
