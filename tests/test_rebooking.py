"""Rebooking follow-ups: to other users, spread over working days with a
maximum per day (weekends and DE-NW holidays skipped), preview, version
conflicts, audit history and undo — on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from dateutil.easter import easter
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, NextFollowUp, RoleGroupData
from akquise_desktop.controller.bulk import BulkEditor
from akquise_desktop.controller.rebooking import (
    DaySpread,
    RebookFilter,
    Rebooking,
    RebookSpec,
)
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.follow_up_history import history
from akquise_desktop.queries.invariants import check_invariants

from .factories import SALES_RIGHTS, TODAY, World, make_world

NEXT_YEAR = TODAY.year + 1
# Corpus Christi (Fronleichnam): Easter Sunday + 60 days, always a Thursday,
# a public holiday in North Rhine-Westphalia but not in, e.g., Berlin.
CORPUS_CHRISTI = easter(NEXT_YEAR) + timedelta(days=60)


def _open(db, user_id: int) -> list[m.FollowUp]:
    with db.read() as s:
        return list(
            s.scalars(
                select(m.FollowUp)
                .where(m.FollowUp.assignee_id == user_id, m.FollowUp.state == "open")
                .order_by(m.FollowUp.id)
            )
        )


def _records(world: World, n: int, owner: Controller | None = None, prefix: str = "Firma"):
    return [world.in_campaign(f"{prefix} {i:02d}", owner) for i in range(n)]


def _invariants(db) -> None:
    with db.read() as s:
        assert check_invariants(s, include_dead_records=False) == []


def test_vacation_rebooking_keeps_dates_and_writes_history(db):
    world = make_world(db)
    _records(world, 3)
    before = _open(db, world.sales_id)
    audit_before = _count_audit(db)
    rebooking = Rebooking(world.admin)
    spec = RebookSpec(RebookFilter(from_user_ids=(world.sales_id,)), (world.colleague_id,))

    plan = rebooking.plan(spec)
    assert plan.moving == 3 and not plan.refused
    row = plan.rows[0]
    assert (row.old_assignee, row.new_assignee) == ("Sven Sales", "Karl Kollege")
    assert row.old_due == row.new_due
    assert _count_audit(db) == audit_before  # the plan wrote nothing

    result = rebooking.run(plan)
    assert sorted(result.changed) == sorted(f.id for f in before)
    assert _open(db, world.sales_id) == []
    moved = _open(db, world.colleague_id)
    assert [f.due_date for f in moved] == [f.due_date for f in before]

    # One audit entry per moved follow-up; the history shows the previous assignee.
    entries = history_of(db, before[0].id)
    assert [e.operation for e in entries] == ["assign_to_campaign", "bulk_rebook"]
    last = entries[-1]
    assert last.changes == {"assignee_id": (world.sales_id, world.colleague_id)}
    assert last.user_name == "Admin"
    _invariants(db)

    BulkEditor(world.admin).undo(result.run_id)
    assert [f.id for f in _open(db, world.sales_id)] == [f.id for f in before]


def test_spread_over_users_and_working_days_skips_weekends_and_holidays(db):
    world = make_world(db)
    _records(world, 5)
    # Wednesday before Corpus Christi: Wed, (Thu holiday), Fri, (Sat, Sun), Mon.
    start = CORPUS_CHRISTI - timedelta(days=1)
    spec = RebookSpec(
        RebookFilter(from_user_ids=(world.sales_id,)),
        (world.colleague_id, world.lax_id),
        DaySpread(start=start, max_per_day=1, region="DE-NW"),
    )
    rebooking = Rebooking(world.admin)
    plan = rebooking.plan(spec)
    days = sorted({r.new_due for r in plan.rows})
    friday, monday = CORPUS_CHRISTI + timedelta(days=1), CORPUS_CHRISTI + timedelta(days=4)
    assert days == [start, friday, monday]
    per_day = {d: sorted(r.new_assignee_id for r in plan.rows if r.new_due == d) for d in days}
    assert per_day[start] == sorted([world.colleague_id, world.lax_id])
    assert per_day[friday] == sorted([world.colleague_id, world.lax_id])
    assert len(per_day[monday]) == 1
    assert {(x.day, x.planned) for x in plan.load} >= {(start, 1), (friday, 1)}

    rebooking.run(plan)
    dues = sorted(f.due_date for u in (world.colleague_id, world.lax_id) for f in _open(db, u))
    assert dues == [start, start, friday, friday, monday]
    _invariants(db)

    # In Berlin Corpus Christi is a working day.
    plan_be = rebooking.plan(
        RebookSpec(
            RebookFilter(from_user_ids=(world.colleague_id, world.lax_id)),
            (world.sales_id,),
            DaySpread(start=start, max_per_day=2, region="DE-BE", keep_later_dates=False),
        )
    )
    assert sorted(r.new_due for r in plan_be.rows) == [
        start,
        start,
        CORPUS_CHRISTI,
        CORPUS_CHRISTI,
        friday,
    ]
    # Keeping later dates, Friday's and Monday's stay where they are.
    plan_keep = rebooking.plan(replace(plan_be.spec, spread=DaySpread(start, 2, "DE-BE")))
    assert sorted(r.new_due for r in plan_keep.rows) == [start, start, friday, friday, monday]


def test_existing_follow_ups_count_towards_the_maximum(db):
    world = make_world(db)
    _records(world, 2)
    start = CORPUS_CHRISTI + timedelta(days=4)  # a Monday
    # The colleague already has one follow-up that Monday.
    rid = world.in_campaign("Kollegen GmbH", world.sales)
    [own] = [f for f in _open(db, world.sales_id) if f.record_id == rid]
    world.admin.update_follow_up(
        own.id, expected_version=own.version, assignee_id=world.colleague_id, due_date=start
    )
    plan = Rebooking(world.admin).plan(
        RebookSpec(
            RebookFilter(from_user_ids=(world.sales_id,)),
            (world.colleague_id,),
            DaySpread(start=start, max_per_day=2, region="DE-NW"),
        )
    )
    assert sorted(r.new_due for r in plan.rows) == [start, start + timedelta(days=1)]
    load = {(x.day, x.existing, x.planned) for x in plan.load}
    assert load == {(start, 1, 1), (start + timedelta(days=1), 0, 1)}


def test_spread_never_schedules_before_the_source_activity(db):
    world = make_world(db)
    _records(world, 2)
    plan = Rebooking(world.admin).plan(
        RebookSpec(
            RebookFilter(from_user_ids=(world.sales_id,)),
            (world.colleague_id,),
            DaySpread(start=TODAY - timedelta(days=30), max_per_day=5, keep_later_dates=False),
        )
    )
    for row in plan.rows:
        assert row.new_due >= TODAY and row.new_due.weekday() < 5
        assert row.new_due <= row.old_due  # pulled forward to the first working day


def test_filters_team_date_range_campaign_priority(db):
    world = make_world(db)
    a, b, c = _records(world, 3)
    plain = world.record("Ohne Kampagne", world.lax)
    world.lax.create_follow_up(plain, NextFollowUp(TODAY + timedelta(days=3)))
    fus = {f.record_id: f for f in _open(db, world.sales_id)}
    world.admin.update_follow_up(
        fus[b].id, expected_version=fus[b].version, due_date=TODAY + timedelta(days=50)
    )
    world.admin.update_follow_up(fus[c].id, expected_version=fus[c].version, priority=2)
    rebooking = Rebooking(world.admin)

    def moved(source: RebookFilter) -> set[int]:
        plan = rebooking.plan(RebookSpec(source, (world.other_id,)))
        return {r.record_id for r in plan.rows}

    with world.db.read() as s:
        nord = s.scalar(select(m.Team.id).where(m.Team.name == "Nord"))
    assert moved(RebookFilter(from_team_id=nord)) == {a, b, c}
    assert moved(RebookFilter(from_user_ids=(world.lax_id,))) == {plain}
    span = RebookFilter(from_user_ids=(world.sales_id,), due_to=TODAY + timedelta(days=10))
    assert moved(span) == {a, c}
    late = RebookFilter(from_user_ids=(world.sales_id,), due_from=TODAY + timedelta(days=10))
    assert moved(late) == {b}
    assert moved(RebookFilter(from_user_ids=(world.sales_id,), priorities=(2,))) == {c}
    campaign = RebookFilter(
        from_user_ids=(world.sales_id, world.lax_id), campaign_id=world.campaign_id
    )
    assert moved(campaign) == {a, b, c}


def test_a_leaver_can_be_rebooked_but_not_booked_to(db):
    world = make_world(db)
    _records(world, 2, world.sales)
    world.admin.set_user_active(world.sales_id, False)
    rebooking = Rebooking(world.admin)
    plan = rebooking.plan(
        RebookSpec(RebookFilter(from_user_ids=(world.sales_id,)), (world.colleague_id,))
    )
    assert plan.moving == 2
    with pytest.raises(DomainError) as err:
        rebooking.plan(
            RebookSpec(RebookFilter(from_user_ids=(world.colleague_id,)), (world.sales_id,))
        )
    assert err.value.rule is Rule.UNKNOWN_USER


@pytest.mark.parametrize(
    ("spec_of", "rule"),
    [
        (lambda w: RebookSpec(RebookFilter(from_user_ids=(9999,)), (w.colleague_id,)), "unknown"),
        (lambda w: RebookSpec(RebookFilter(from_user_ids=(w.sales_id,)), (9999,)), "unknown"),
        (lambda w: RebookSpec(RebookFilter(), (w.colleague_id,)), "required"),
        (lambda w: RebookSpec(RebookFilter(from_user_ids=(w.sales_id,)), ()), "required"),
        (
            lambda w: RebookSpec(
                RebookFilter(from_user_ids=(w.sales_id,)),
                (w.colleague_id,),
                DaySpread(TODAY, 3, region="DE-XX"),
            ),
            "invalid",
        ),
        (
            lambda w: RebookSpec(
                RebookFilter(from_user_ids=(w.sales_id,)), (w.colleague_id,), DaySpread(TODAY, 0)
            ),
            "invalid",
        ),
        (
            lambda w: RebookSpec(
                RebookFilter(
                    from_user_ids=(w.sales_id,), due_from=TODAY, due_to=TODAY - timedelta(days=1)
                ),
                (w.colleague_id,),
            ),
            "invalid",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(db, spec_of, rule):
    world = make_world(db)
    _records(world, 1)
    before = _open(db, world.sales_id)
    with pytest.raises(DomainError) as err:
        Rebooking(world.admin).plan(spec_of(world))
    assert (
        err.value.rule_id
        == {
            "unknown": Rule.UNKNOWN_USER.id,
            "required": Rule.REQUIRED.id,
            "invalid": Rule.INVALID_VALUE.id,
        }[rule]
    )
    assert err.value.message_de  # readable
    assert [f.version for f in _open(db, world.sales_id)] == [f.version for f in before]


def test_region_error_names_the_region(db):
    world = make_world(db)
    with pytest.raises(DomainError) as err:
        Rebooking(world.admin).plan(
            RebookSpec(
                RebookFilter(from_user_ids=(world.sales_id,)),
                (world.colleague_id,),
                DaySpread(TODAY, 3, region="XX-YY"),
            )
        )
    assert "XX-YY" in err.value.message_de and "Feiertagsregion" in err.value.message_de


def test_rows_outside_the_scope_are_listed_as_refused(db):
    world = make_world(db)
    group = world.admin.create_role_group(
        RoleGroupData("Teamleitung", rights={**SALES_RIGHTS, Module.BULK_EDIT: Scope.TEAM})
    ).result_id
    with db.read() as s:
        nord = s.scalar(select(m.Team.id).where(m.Team.name == "Nord"))
    lead_id = world.admin.create_user("lead", "Lena", role_group_id=group, team_id=nord).result_id
    lead = world.controller(lead_id)
    _records(world, 1, world.sales, "Nord")
    süd = world.in_campaign("Süd AG", world.other)
    [süd_fu] = _open(db, world.other_id)
    # Süd's record, but the follow-up is assigned to the Nord salesman.
    world.admin.update_follow_up(
        süd_fu.id, expected_version=süd_fu.version, assignee_id=world.sales_id
    )
    rebooking = Rebooking(lead)
    plan = rebooking.plan(
        RebookSpec(RebookFilter(from_user_ids=(world.sales_id,)), (world.colleague_id,))
    )
    assert plan.moving == 1
    [refusal] = plan.refused
    assert refusal.label == "Süd AG" and refusal.rule_id == Rule.NO_RIGHT.id
    result = rebooking.run(plan)
    assert [r.target_id for r in result.refused] == [süd_fu.id]
    with db.read() as s:
        assert s.get(m.FollowUp, süd_fu.id).assignee_id == world.sales_id
        assert s.get(m.Record, süd).owner_id == world.other_id


def test_a_follow_up_changed_after_the_plan_is_skipped(db):
    world = make_world(db)
    _records(world, 3)
    rebooking = Rebooking(world.admin)
    plan = rebooking.plan(
        RebookSpec(RebookFilter(from_user_ids=(world.sales_id,)), (world.colleague_id,))
    )
    first = _open(db, world.sales_id)[0]
    world.sales.update_follow_up(first.id, expected_version=first.version, priority=1)
    result = rebooking.run(plan)
    assert len(result.changed) == 2
    [refusal] = result.refused
    assert refusal.target_id == first.id and refusal.rule_id == Rule.STALE.id
    with db.read() as s:
        assert s.get(m.FollowUp, first.id).assignee_id == world.sales_id  # not overwritten


def test_rebooking_needs_the_bulk_right(db):
    world = make_world(db)
    with pytest.raises(DomainError) as err:
        Rebooking(world.sales).plan(
            RebookSpec(RebookFilter(from_user_ids=(world.sales_id,)), (world.colleague_id,))
        )
    assert err.value.rule is Rule.NO_RIGHT


def test_history_shows_previous_date_and_assignee_after_a_spread(db):
    world = make_world(db)
    _records(world, 1)
    [fu] = _open(db, world.sales_id)
    start = CORPUS_CHRISTI
    rebooking = Rebooking(world.admin)
    rebooking.run(
        rebooking.plan(
            RebookSpec(
                RebookFilter(from_user_ids=(world.sales_id,)),
                (world.colleague_id,),
                DaySpread(start=start, max_per_day=3, region="DE-NW"),
            )
        )
    )
    last = history_of(db, fu.id)[-1]
    assert last.operation == "bulk_rebook"
    assert last.changes["assignee_id"] == (world.sales_id, world.colleague_id)
    assert last.changes["due_date"] == (
        fu.due_date.isoformat(),
        (CORPUS_CHRISTI + timedelta(days=1)).isoformat(),
    )


def history_of(db, follow_up_id: int):
    with db.read() as s:
        return history(s, follow_up_id)


def _count_audit(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(m.AuditEntry))
