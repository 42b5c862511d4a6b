"""The follow-up list queries and the activity form (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.models import Priority
from akquise_desktop.queries.activity_form import load_activity_form
from akquise_desktop.queries.follow_ups import (
    Bucket,
    FollowUpFilter,
    bucket_counts,
    bucket_of,
    follow_up_detail,
    follow_up_page,
    list_context,
    week_end,
)

from .factories import TODAY, make_world

# The suite's today is a Wednesday; its calendar week ends on the Sunday after.
SUNDAY = TODAY + timedelta(days=4)
# When the activities that set the follow-ups happened: before every due date.
OCCURRED = datetime.combine(TODAY - timedelta(days=65), time(10, 0), tzinfo=UTC)


def day(offset: int) -> date:
    """The day ``offset`` days after (negative: before) today."""
    return TODAY + timedelta(days=offset)


@pytest.fixture
def world(db):
    return make_world(db)


def _follow_up(world, record_id: int, due: date, *, ctl=None, assignee=None, **kw) -> int:
    """Log an activity on ``record_id`` that sets a follow-up due ``due``; its id."""
    ctl = ctl or world.sales
    summary = ctl.log_activity(
        LogActivity(
            record_id=record_id,
            subject=kw.pop("subject", "Anruf"),
            occurred_at=OCCURRED,
            next_follow_up=NextFollowUp(due, assignee_id=assignee, **kw),
        )
    )
    with world.db.read() as s:
        return s.scalar(
            select(m.FollowUp.id).where(m.FollowUp.source_activity_id == summary.result_id)
        )


def _page(db, f, **kw):
    with db.read() as s:
        return follow_up_page(s, f, **kw)


def test_week_end_and_buckets():
    assert TODAY.weekday() == 2 and SUNDAY.weekday() == 6  # Wednesday, Sunday
    assert week_end(TODAY) == SUNDAY
    assert week_end(SUNDAY) == SUNDAY
    assert bucket_of(day(-1), TODAY) is Bucket.OVERDUE
    assert bucket_of(TODAY, TODAY) is Bucket.TODAY
    assert bucket_of(day(1), TODAY) is Bucket.WEEK
    assert bucket_of(SUNDAY, TODAY) is Bucket.WEEK
    assert bucket_of(day(5), TODAY) is Bucket.LATER


def test_filter_needs_exactly_one_of_user_and_team():
    with pytest.raises(ValueError):
        FollowUpFilter(today=TODAY)
    with pytest.raises(ValueError):
        FollowUpFilter(today=TODAY, user_id=1, team_id=2)


def test_page_orders_by_due_and_pages_by_key(world, db):
    rid = world.record("A GmbH")
    dues = [day(d) for d in (9, -2, 0, 0, 3, 0, -9)]
    ids = [_follow_up(world, rid, d) for d in dues]
    f = FollowUpFilter(today=TODAY, user_id=world.sales_id)
    expected = [i for _, i in sorted(zip(dues, ids, strict=True))]
    assert [r.id for r in _page(db, f)] == expected
    # keyset pages of 2 cover the same rows in the same order, without gaps or repeats
    seen, after = [], None
    while True:
        page = _page(db, f, after=after, limit=2)
        seen += [r.id for r in page]
        if len(page) < 2:
            break
        after = page[-1].key
    assert seen == expected


def test_buckets_filter_and_count(world, db):
    rid = world.record("B GmbH")
    for d in (-2, -1, 0, 0, 1, 4, 5, 19):
        _follow_up(world, rid, day(d))
    base = dict(today=TODAY, user_id=world.sales_id)
    with db.read() as s:
        counts = bucket_counts(s, FollowUpFilter(**base))
    assert counts == {
        Bucket.ALL: 8,
        Bucket.OVERDUE: 2,
        Bucket.TODAY: 2,
        Bucket.WEEK: 2,
        Bucket.LATER: 2,
    }
    for bucket in Bucket:
        rows = _page(db, FollowUpFilter(**base, bucket=bucket))
        assert len(rows) == counts[bucket]
        if bucket is not Bucket.ALL:
            assert all(bucket_of(r.due_date, TODAY) is bucket for r in rows)


def test_only_open_follow_ups_of_the_chosen_user_or_team(world, db):
    mine = world.record("Mine GmbH")
    done_id = _follow_up(world, mine, day(1), instruction="erledigt")
    open_id = _follow_up(world, mine, day(2), instruction="offen")
    colleague_id = _follow_up(world, mine, day(3), assignee=world.colleague_id)
    south = world.record("Süd GmbH", owner=world.other)
    south_id = _follow_up(world, south, day(1), ctl=world.other)
    world.sales.log_activity(
        LogActivity(
            record_id=mine,
            subject="Erledigt",
            occurred_at=OCCURRED + timedelta(hours=23),
            completes=(done_id,),
        )
    )
    sales = _page(db, FollowUpFilter(today=TODAY, user_id=world.sales_id))
    assert [r.id for r in sales] == [open_id]
    assert sales[0].instruction == "offen"
    assert sales[0].record_name == "Mine GmbH"
    team_nord = _team_of(db, world.sales_id)
    team = _page(db, FollowUpFilter(today=TODAY, team_id=team_nord))
    assert [r.id for r in team] == [open_id, colleague_id]
    assert team[1].assignee_name == "Karl Kollege"
    other = _page(db, FollowUpFilter(today=TODAY, user_id=world.other_id))
    assert [r.id for r in other] == [south_id]


def test_keyset_pages_of_a_user_and_a_team_in_every_bucket(world, db):
    """Pages of every size and bucket, for one user and for a team: the rows of
    the whole list in (due date, id) order, without gaps or repeats."""
    mine, theirs = world.record("Eigen GmbH"), world.record("Süd GmbH", owner=world.other)
    dues = [day(d) for d in (-2, 0, 0, 0, 1, 4, 4, 5, 9, 9, -9)]
    for k, due in enumerate(dues):
        _follow_up(world, mine, due, assignee=world.colleague_id if k % 3 == 0 else None)
    for due in dues[:4]:
        _follow_up(world, theirs, due, ctl=world.other)  # another team, never listed
    nord = _team_of(db, world.sales_id)
    for who in ({"user_id": world.sales_id}, {"team_id": nord}):
        for bucket in Bucket:
            f = FollowUpFilter(today=TODAY, bucket=bucket, **who)
            expected = [(r.due_date, r.id) for r in _page(db, f, limit=1000)]
            assert expected == sorted(expected)
            if bucket is Bucket.ALL:
                with db.read() as s:
                    assert bucket_counts(s, f)[Bucket.ALL] == len(expected)
            for limit in (1, 2, 3, 5):
                seen, after = [], None
                while True:
                    page = _page(db, f, after=after, limit=limit)
                    seen += [(r.due_date, r.id) for r in page]
                    if len(page) < limit:
                        break
                    after = page[-1].key
                assert seen == expected, (who, bucket, limit)
    team = _page(db, FollowUpFilter(today=TODAY, team_id=nord))
    assert len(team) == len(dues)
    assert {r.assignee_id for r in team} == {world.sales_id, world.colleague_id}


def _team_of(db, user_id: int) -> int:
    with db.read() as s:
        ctx = list_context(s, user_id)
    assert ctx.team_id is not None
    return ctx.team_id


def test_row_carries_source_activity_priority_and_time(world, db):
    rid = world.record("C GmbH")
    fid = _follow_up(
        world,
        rid,
        day(1),
        subject="Angebot besprochen",
        priority=Priority.TIME_CRITICAL,
        due_time=time(14, 30),
        instruction="Angebot nachfassen",
    )
    (row,) = _page(db, FollowUpFilter(today=TODAY, user_id=world.sales_id))
    assert row.id == fid
    assert row.priority == Priority.TIME_CRITICAL
    assert row.due_time == time(14, 30)
    assert row.source_subject == "Angebot besprochen"
    assert row.source_occurred_at == OCCURRED
    assert row.source_type_icon  # the activity type's icon
    assert row.record_city == "Köln"


def test_follow_up_detail_shows_source_activity(world, db):
    rid = world.record("D GmbH")
    world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Besuch vor Ort",
            text="- Bedarf: 12 Geräte\n- Angebot bis Freitag",
            occurred_at=OCCURRED,
            next_follow_up=NextFollowUp(day(1)),
        )
    )
    (row,) = _page(db, FollowUpFilter(today=TODAY, user_id=world.sales_id))
    with db.read() as s:
        detail = follow_up_detail(s, row.id)
        assert follow_up_detail(s, 999_999) is None
    assert detail is not None and detail.source is not None
    assert detail.state == "open"
    assert detail.created_by == "Sven Sales"
    assert detail.source.subject == "Besuch vor Ort"
    assert detail.source.text == "- Bedarf: 12 Geräte\n- Angebot bis Freitag"
    assert detail.source.user_name == "Sven Sales"
    assert detail.source.record_id == rid


def test_follow_up_without_source_activity(world, db):
    rid = world.record("E GmbH")
    lax = world.controller(world.lax_id)
    summary = lax.create_follow_up(rid, NextFollowUp(day(1)))
    (row,) = _page(db, FollowUpFilter(today=TODAY, user_id=world.lax_id))
    assert row.id == summary.result_id
    assert row.source_activity_id is None and row.source_subject is None
    with db.read() as s:
        detail = follow_up_detail(s, row.id)
    assert detail is not None and detail.source is None


def test_list_context(world, db):
    with db.read() as s:
        sales = list_context(s, world.sales_id)
        admin = list_context(s, world.admin_id)
    assert sales.team_name == "Nord"
    assert admin.team_id is None
    assert {u.name for u in sales.users} >= {"Sven Sales", "Karl Kollege", "Susi Süd"}


# --- the activity form ---------------------------------------------------------------


def test_activity_form_has_everything_for_the_dialog(world, db):
    rid = world.in_campaign("F GmbH")
    with db.read() as s:
        form = load_activity_form(s, rid, world.sales_id)
    assert form.record_name == "F GmbH"
    assert len(form.open_follow_ups) == 1
    assert form.open_follow_ups[0].source_subject  # the campaign assignment activity
    (membership,) = form.memberships
    assert membership.status_name == "Lead" and not membership.status_is_final
    names = [o.name for o in membership.next_statuses]
    assert names == ["Kontaktiert", "Kein Interesse"]  # default first
    assert membership.next_statuses[0].is_default
    assert [o.is_final for o in membership.next_statuses] == [False, True]
    assert form.activity_types[0].name == "Telefonat"
    assert form.actor.activity_requires_follow_up and form.actor.may_log_activity
    assert form.actor.default_follow_up_days == 7


def test_activity_form_policy_flags_and_rights(world, db):
    rid = world.in_campaign("G GmbH")
    with db.read() as s:
        lax = load_activity_form(s, rid, world.lax_id)
        other = load_activity_form(s, rid, world.other_id)  # team Süd, record of Nord
        colleague = load_activity_form(s, rid, world.colleague_id)  # same team
    assert not lax.actor.activity_requires_follow_up
    assert not lax.actor.follow_up_requires_activity
    assert lax.actor.may_log_activity
    assert not other.actor.may_log_activity
    assert colleague.actor.may_log_activity


def test_activity_form_refuses_unknown_record(world, db):
    from akquise_desktop.core.errors import DomainError

    with db.read() as s, pytest.raises(DomainError) as err:
        load_activity_form(s, 123_456, world.sales_id)
    assert err.value.rule_id == "input.not_found"


def test_activity_form_ignores_inactive_campaigns(world, db):
    rid = world.in_campaign("H GmbH")
    world.admin.set_campaign_active(world.campaign_id, False)
    with db.read() as s:
        form = load_activity_form(s, rid, world.sales_id)
    assert form.memberships == ()


def test_activity_form_after_today_default_days(world, db):
    """The form's data stay plain values: no lazy ORM access after the session."""
    rid = world.in_campaign("I GmbH")
    with db.read() as s:
        form = load_activity_form(s, rid, world.sales_id)
    # used outside the session
    assert form.open_follow_ups[0].due_date == world.today + timedelta(days=2)
    assert form.users and all(isinstance(u.name, str) for u in form.users)
