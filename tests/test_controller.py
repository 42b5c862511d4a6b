"""The controller's operations, positive behaviour, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import (
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
)
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Priority, RecurrenceAnchor, Scope
from akquise_desktop.queries.invariants import DEAD_RECORDS, check_invariants

from .factories import SALES_RIGHTS, World, make_world
from .test_bad_input import fingerprint

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def world(db, clock) -> World:
    return make_world(db, clock)


def follow_ups(db, record_id: int) -> list[m.FollowUp]:
    with db.read() as s:
        return list(
            s.scalars(
                select(m.FollowUp).where(m.FollowUp.record_id == record_id).order_by(m.FollowUp.id)
            )
        )


def open_follow_ups(db, record_id: int) -> list[m.FollowUp]:
    return [fu for fu in follow_ups(db, record_id) if fu.state == "open"]


def get(db, cls, ident):
    with db.read() as s:
        return s.get(cls, ident)


def audit(db, operation: str | None = None) -> list[m.AuditEntry]:
    with db.read() as s:
        query = select(m.AuditEntry).order_by(m.AuditEntry.id)
        if operation:
            query = query.where(m.AuditEntry.operation == operation)
        return list(s.scalars(query))


def membership(db, record_id: int, campaign_id: int) -> m.CampaignMembership:
    with db.read() as s:
        return s.scalar(
            select(m.CampaignMembership).where(
                m.CampaignMembership.record_id == record_id,
                m.CampaignMembership.campaign_id == campaign_id,
            )
        )


def violations(db, *, dead: bool = True) -> list[str]:
    with db.read() as s:
        return [v.check for v in check_invariants(s, include_dead_records=dead)]


def set_policies(w: World, *, follow_up_requires_activity: bool, activity_requires_follow_up: bool):
    with w.db.read() as s:
        group_id = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
    w.admin.update_role_group(
        group_id,
        RoleGroupData(
            "Test-Vertrieb",
            follow_up_requires_activity=follow_up_requires_activity,
            activity_requires_follow_up=activity_requires_follow_up,
            rights=SALES_RIGHTS,
        ),
    )


# --- log activity ---------------------------------------------------------------------


def test_log_activity_writes_everything_in_one_transaction(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (first,) = open_follow_ups(db, rid)
    occurred = w.clock.advance(minutes=5)  # later than the assignment's activity
    due = occurred.astimezone(BERLIN).date() + timedelta(days=7)
    summary = w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="  Bedarf geklärt ",
            text="- 12 Arbeitsplätze\n- Angebot bis Freitag",
            type_id=w.types["Telefonat"],
            occurred_at=occurred,
            duration_minutes=15,
            completes=(first.id,),
            status_changes={w.campaign_id: w.status["Kontaktiert"]},
            next_follow_up=NextFollowUp(
                due,
                due_time=time(10, 30),
                assignee_id=w.colleague_id,
                priority=Priority.HIGH,
                instruction="Angebot schicken",
            ),
        )
    )
    aid = summary.result_id
    activity = get(db, m.Activity, aid)
    assert (activity.record_id, activity.user_id, activity.type_id) == (
        rid,
        w.sales_id,
        w.types["Telefonat"],
    )
    assert activity.subject == "Bedarf geklärt"
    assert activity.text.startswith("- 12")
    assert activity.duration_minutes == 15
    assert activity.occurred_at == occurred
    assert activity.occurred_at.tzinfo is not None

    done = get(db, m.FollowUp, first.id)
    assert done.state == "done"
    assert done.completed_by_activity_id == aid
    assert done.completed_at is not None
    assert done.version == first.version + 1

    with db.read() as s:
        (change,) = s.scalars(select(m.StatusChange).where(m.StatusChange.activity_id == aid))
        change_ids = (change.from_status_id, change.to_status_id, change.record_id)
    assert change_ids == (w.status["Lead"], w.status["Kontaktiert"], rid)
    member = membership(db, rid, w.campaign_id)
    assert member.status_id == w.status["Kontaktiert"]
    assert member.since == occurred

    (new,) = open_follow_ups(db, rid)
    assert new.source_activity_id == aid
    assert (new.due_date, new.due_time, new.priority) == (due, time(10, 30), Priority.HIGH)
    assert (new.assignee_id, new.created_by_id) == (w.colleague_id, w.sales_id)
    assert new.instruction == "Angebot schicken"
    assert new.recurrence is None and new.occurrence == 1 and new.version == 1

    record = get(db, m.Record, rid)
    assert record.last_activity_at == occurred
    assert record.next_follow_up_date == due

    assert summary.created[Entity.ACTIVITY] == {aid}
    assert summary.created[Entity.STATUS_CHANGE] == {change.id}
    assert summary.created[Entity.FOLLOW_UP] == {new.id}
    assert first.id in summary.updated[Entity.FOLLOW_UP]
    assert summary.updated[Entity.MEMBERSHIP] == {member.id}
    assert rid in summary.ids(Entity.RECORD)
    assert not summary.deleted
    assert violations(db) == []


def test_log_activity_crashing_midway_writes_nothing(world, monkeypatch):
    """One call = one transaction: a failure after the activity was flushed
    leaves no activity, no completion and no status change behind."""
    w, db = world, world.db
    rid = w.in_campaign()
    (first,) = open_follow_ups(db, rid)
    before = fingerprint(db)

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Controller, "_new_follow_up", boom)
    with pytest.raises(RuntimeError):
        w.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Rückruf",
                completes=(first.id,),
                status_changes={w.campaign_id: w.status["Kontaktiert"]},
                next_follow_up=NextFollowUp(w.today + timedelta(days=3)),
            )
        )
    assert fingerprint(db) == before


def test_log_activity_defaults(world):
    w, db = world, world.db
    rid = w.record()
    before = w.clock.now()
    summary = w.sales.log_activity(LogActivity(record_id=rid, subject="Notiz"))
    activity = get(db, m.Activity, summary.result_id)
    with db.read() as s:
        first_type = s.scalar(
            select(m.ActivityType.id).order_by(m.ActivityType.position, m.ActivityType.id).limit(1)
        )
    assert activity.type_id == first_type
    assert before <= activity.occurred_at <= w.clock.now()
    assert activity.text == ""
    assert summary.created == {Entity.ACTIVITY: {summary.result_id}}


def test_activity_in_a_local_time_zone_keeps_the_record_columns_right(world):
    """An aware timestamp in any zone is the same instant on every backend."""
    w, db = world, world.db
    rid = w.record()
    occurred = w.clock.local_now(BERLIN).replace(microsecond=0) - timedelta(hours=1)
    aid = w.sales.log_activity(
        LogActivity(record_id=rid, subject="Besuch", occurred_at=occurred)
    ).result_id
    assert get(db, m.Activity, aid).occurred_at == occurred
    assert get(db, m.Record, rid).last_activity_at == occurred
    assert violations(db) == []


def test_last_activity_at_and_next_follow_up_date(world):
    w, db = world, world.db
    rid = w.record()
    assert get(db, m.Record, rid).last_activity_at is None
    now = w.clock.now().replace(microsecond=0)
    today = w.today
    w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Neu",
            occurred_at=now - timedelta(hours=1),
            next_follow_up=NextFollowUp(today + timedelta(days=10)),
        )
    )
    # A backdated activity does not move last_activity_at back, an earlier
    # follow-up moves next_follow_up_date forward.
    w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Nachgetragen",
            occurred_at=now - timedelta(days=3),
            next_follow_up=NextFollowUp(today + timedelta(days=2)),
        )
    )
    record = get(db, m.Record, rid)
    assert record.last_activity_at == now - timedelta(hours=1)
    assert record.next_follow_up_date == today + timedelta(days=2)
    # The derived columns are no edit of the record: its version stays.
    assert record.version == 1
    early, late = sorted(open_follow_ups(db, rid), key=lambda f: f.due_date)
    w.admin.cancel_follow_up(early.id, expected_version=early.version)
    assert get(db, m.Record, rid).next_follow_up_date == late.due_date
    w.sales.log_activity(LogActivity(record_id=rid, subject="Erledigt", completes=(late.id,)))
    record = get(db, m.Record, rid)
    assert record.next_follow_up_date is None
    assert record.last_activity_at > now - timedelta(hours=1)
    assert violations(db) == []


# --- assign to campaign -----------------------------------------------------------------


def test_assign_to_campaign_is_an_activity_with_a_status_change(world):
    w, db = world, world.db
    rid = w.record()
    due = w.today + timedelta(days=2)
    summary = w.sales.assign_to_campaign(rid, w.campaign_id, next_follow_up=NextFollowUp(due))
    activity = get(db, m.Activity, summary.result_id)
    assert activity.type_id == w.types["Kampagne"]
    assert "Neukunden" in activity.subject
    with db.read() as s:
        (change,) = s.scalars(
            select(m.StatusChange).where(m.StatusChange.activity_id == activity.id)
        )
        assert (change.from_status_id, change.to_status_id) == (None, w.status["Lead"])
    member = membership(db, rid, w.campaign_id)
    assert member.status_id == w.status["Lead"]
    assert summary.created[Entity.MEMBERSHIP] == {member.id}
    assert summary.created[Entity.STATUS_CHANGE] == {change.id}
    (fu,) = open_follow_ups(db, rid)
    assert fu.source_activity_id == activity.id and fu.due_date == due
    assert violations(db) == []


def test_assign_to_campaign_with_status_subject_and_time(world):
    w, db = world, world.db
    rid = w.record()
    at = w.clock.now().replace(microsecond=0) - timedelta(days=1)
    summary = w.sales.assign_to_campaign(
        rid,
        w.campaign_id,
        w.status["Kontaktiert"],
        subject="Messekontakt",
        text="Stand 4",
        occurred_at=at,
        next_follow_up=NextFollowUp(at.date() + timedelta(days=1)),
    )
    activity = get(db, m.Activity, summary.result_id)
    assert (activity.subject, activity.text, activity.occurred_at) == (
        "Messekontakt",
        "Stand 4",
        at,
    )
    assert membership(db, rid, w.campaign_id).status_id == w.status["Kontaktiert"]


def test_assign_to_a_final_status_needs_no_follow_up(world):
    w, db = world, world.db
    rid = w.record()
    w.sales.assign_to_campaign(rid, w.campaign_id, w.status["Kein Interesse"])
    assert membership(db, rid, w.campaign_id).status_id == w.status["Kein Interesse"]
    assert open_follow_ups(db, rid) == []
    assert violations(db) == []


# --- the chain policies and their exceptions --------------------------------------------


def test_final_status_needs_no_next_follow_up(world):
    w, db = world, world.db
    rid = w.in_campaign()
    today = w.today
    for status in ("Kontaktiert", "Angebot"):
        (fu,) = open_follow_ups(db, rid)
        w.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject=status,
                completes=(fu.id,),
                status_changes={w.campaign_id: w.status[status]},
                next_follow_up=NextFollowUp(today + timedelta(days=1)),
            )
        )
    (fu,) = open_follow_ups(db, rid)
    w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Auftrag!",
            completes=(fu.id,),
            status_changes={w.campaign_id: w.status["Kunde"]},
        )
    )
    assert open_follow_ups(db, rid) == []
    # In a final status, further activities need no follow-up either.
    w.sales.log_activity(LogActivity(record_id=rid, subject="Dankeskarte"))
    assert violations(db) == []


def test_leaving_a_final_status_needs_a_follow_up_again(world):
    w, db = world, world.db
    rid = w.record()
    w.sales.assign_to_campaign(rid, w.campaign_id, w.status["Kein Interesse"])
    with pytest.raises(DomainError) as info:
        w.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Neuer Anlauf",
                status_changes={w.campaign_id: w.status["Lead"]},
            )
        )
    assert info.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP
    w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Neuer Anlauf",
            status_changes={w.campaign_id: w.status["Lead"]},
            next_follow_up=NextFollowUp(w.today + timedelta(days=14)),
        )
    )
    assert membership(db, rid, w.campaign_id).status_id == w.status["Lead"]
    assert violations(db) == []


def test_record_without_campaign_needs_no_follow_up(world):
    w, db = world, world.db
    rid = w.record()
    summary = w.sales.log_activity(LogActivity(record_id=rid, subject="Anruf"))
    assert summary.result_id is not None
    assert follow_ups(db, rid) == []
    assert violations(db) == []


def test_record_only_in_an_inactive_campaign_needs_no_follow_up(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (fu,) = open_follow_ups(db, rid)
    w.admin.set_campaign_active(w.campaign_id, False)
    w.sales.log_activity(LogActivity(record_id=rid, subject="Abschluss", completes=(fu.id,)))
    assert open_follow_ups(db, rid) == []


def test_policies_switched_off_per_role_group(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (fu,) = open_follow_ups(db, rid)
    today = w.today
    # Only the "no activity without a follow-up" policy off:
    set_policies(w, follow_up_requires_activity=True, activity_requires_follow_up=False)
    w.sales.log_activity(LogActivity(record_id=rid, subject="Letzter Anruf", completes=(fu.id,)))
    assert open_follow_ups(db, rid) == []
    assert violations(db) == [DEAD_RECORDS]
    with pytest.raises(DomainError) as info:
        w.sales.create_follow_up(rid, NextFollowUp(today + timedelta(days=1)))
    assert info.value.rule is Rule.FOLLOW_UP_REQUIRES_ACTIVITY
    # Both off:
    set_policies(w, follow_up_requires_activity=False, activity_requires_follow_up=False)
    summary = w.sales.create_follow_up(rid, NextFollowUp(today + timedelta(days=1)))
    fu = get(db, m.FollowUp, summary.result_id)
    assert fu.source_activity_id is None and fu.state == "open"
    assert violations(db) == []
    # On again: the policies hold for this group again; another group is unaffected.
    set_policies(w, follow_up_requires_activity=True, activity_requires_follow_up=True)
    with pytest.raises(DomainError) as info:
        w.sales.log_activity(LogActivity(record_id=rid, subject="x", completes=(fu.id,)))
    assert info.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP
    w.lax.log_activity(LogActivity(record_id=rid, subject="Locker", completes=(fu.id,)))


def test_lax_group_may_create_a_follow_up_without_an_activity(world):
    w, db = world, world.db
    rid = w.record()
    summary = w.lax.create_follow_up(rid, NextFollowUp(w.today))
    fu = get(db, m.FollowUp, summary.result_id)
    assert (fu.source_activity_id, fu.assignee_id, fu.created_by_id) == (None, w.lax_id, w.lax_id)
    assert get(db, m.Record, rid).next_follow_up_date == w.today


# --- follow-ups -------------------------------------------------------------------------


def test_create_follow_up_from_an_existing_activity(world):
    w, db = world, world.db
    rid = w.record()
    occurred = w.clock.now().replace(microsecond=0) - timedelta(days=3)
    aid = w.sales.log_activity(
        LogActivity(record_id=rid, subject="Messe", occurred_at=occurred)
    ).result_id
    # Due after the activity, though already in the past: allowed.
    due = occurred.astimezone(BERLIN).date() + timedelta(days=1)
    summary = w.sales.create_follow_up(
        rid,
        NextFollowUp(due, priority=Priority.TIME_CRITICAL, instruction="Prospekt senden"),
        source_activity_id=aid,
    )
    fu = get(db, m.FollowUp, summary.result_id)
    assert (fu.source_activity_id, fu.record_id, fu.due_date) == (aid, rid, due)
    assert (fu.priority, fu.instruction, fu.state) == (2, "Prospekt senden", "open")
    assert summary.created == {Entity.FOLLOW_UP: {fu.id}}
    assert rid in summary.ids(Entity.RECORD)
    assert get(db, m.Record, rid).next_follow_up_date == due
    assert violations(db) == []


def test_reschedule_and_reassign_bump_the_version(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (fu,) = open_follow_ups(db, rid)
    later = fu.due_date + timedelta(days=5)
    summary = w.sales.update_follow_up(fu.id, expected_version=fu.version, due_date=later)
    assert summary.result_id == fu.id
    assert summary.updated[Entity.FOLLOW_UP] == {fu.id}
    moved = get(db, m.FollowUp, fu.id)
    assert (moved.due_date, moved.version) == (later, fu.version + 1)
    assert get(db, m.Record, rid).next_follow_up_date == later

    w.sales.update_follow_up(
        fu.id,
        expected_version=moved.version,
        assignee_id=w.colleague_id,
        due_time=time(14, 0),
        priority=Priority.HIGH,
        instruction="Chef fragen",
    )
    reassigned = get(db, m.FollowUp, fu.id)
    assert reassigned.version == moved.version + 1
    assert (reassigned.assignee_id, reassigned.due_time) == (w.colleague_id, time(14, 0))
    assert (reassigned.priority, reassigned.instruction) == (1, "Chef fragen")
    assert reassigned.state == "open" and reassigned.due_date == later
    # The old version is stale now.
    with pytest.raises(DomainError) as info:
        w.sales.update_follow_up(fu.id, expected_version=moved.version, due_date=later)
    assert info.value.rule is Rule.STALE
    # Before/after in the audit trail.
    entries = [a for a in audit(db, "update_follow_up") if a.entity_id == fu.id]
    assert len(entries) == 2
    assert entries[0].before["due_date"] == fu.due_date.isoformat()
    assert entries[0].after["due_date"] == later.isoformat()
    assert entries[1].before["assignee_id"] == w.sales_id
    assert entries[1].after["assignee_id"] == w.colleague_id
    assert {e.user_id for e in entries} == {w.sales_id}


def test_cancel_follow_up(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (keep,) = open_follow_ups(db, rid)
    aid = w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Zweiter Termin",
            next_follow_up=NextFollowUp(keep.due_date + timedelta(days=10)),
        )
    ).result_id
    (other,) = [fu for fu in open_follow_ups(db, rid) if fu.source_activity_id == aid]
    summary = w.admin.cancel_follow_up(other.id, expected_version=other.version, reason="doppelt")
    assert summary.updated[Entity.FOLLOW_UP] == {other.id}
    cancelled = get(db, m.FollowUp, other.id)
    assert (cancelled.state, cancelled.cancelled_by_id) == ("cancelled", w.admin_id)
    assert cancelled.cancelled_at is not None and cancelled.completed_by_activity_id is None
    assert cancelled.version == other.version + 1
    assert get(db, m.Record, rid).next_follow_up_date == keep.due_date
    (entry,) = audit(db, "cancel_follow_up")
    assert (entry.user_id, entry.entity, entry.entity_id) == (w.admin_id, "follow_up", other.id)
    assert (entry.before["state"], entry.after["state"]) == ("open", "cancelled")
    # The last open follow-up of a live record cannot be cancelled under the policy ...
    with pytest.raises(DomainError) as info:
        w.admin.cancel_follow_up(keep.id, expected_version=keep.version)
    assert info.value.rule is Rule.CANCEL_LEAVES_DEAD_RECORD
    assert get(db, m.FollowUp, keep.id).state == "open"
    # ... a group with the policy off may, and the record is dead then.
    w.lax.cancel_follow_up(keep.id, expected_version=keep.version)
    assert get(db, m.FollowUp, keep.id).state == "cancelled"
    assert get(db, m.Record, rid).next_follow_up_date is None
    assert violations(db) == [DEAD_RECORDS]


def test_cancel_the_last_follow_up_where_no_chain_is_needed(world):
    w, db = world, world.db
    # A record without campaign ...
    rid = w.record()
    aid = w.sales.log_activity(LogActivity(record_id=rid, subject="Anruf")).result_id
    fu_id = w.sales.create_follow_up(
        rid, NextFollowUp(w.today + timedelta(days=1)), source_activity_id=aid
    ).result_id
    w.admin.cancel_follow_up(fu_id, expected_version=1)
    assert get(db, m.FollowUp, fu_id).state == "cancelled"
    # ... and a record in a final status.
    final = w.record("Final AG")
    w.sales.assign_to_campaign(
        final,
        w.campaign_id,
        w.status["Kein Interesse"],
        next_follow_up=NextFollowUp(w.today + timedelta(days=30)),
    )
    (fu,) = open_follow_ups(db, final)
    w.admin.cancel_follow_up(fu.id, expected_version=fu.version)
    assert open_follow_ups(db, final) == []
    assert violations(db) == []


# --- recurring follow-ups ---------------------------------------------------------------


# The series tests cross the DST change of 29 March 2026: they start on
# Friday 20 March 2026, 09:00 in Berlin.
SERIES_START = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def series_clock(clock: FixedClock) -> FixedClock:
    clock.set(SERIES_START)
    return clock


def _series_record(w: World, clock: FixedClock, rule: str, **kwargs) -> tuple[int, Controller]:
    sales = w.controller(w.sales_id)
    assert sales.clock is clock
    rid = w.record()
    sales.assign_to_campaign(
        rid,
        w.campaign_id,
        next_follow_up=NextFollowUp(
            clock.today() + timedelta(days=7), due_time=time(9, 0), recurrence=rule, **kwargs
        ),
    )
    return rid, sales


def _complete(sales: Controller, rid: int, fu_id: int, **kwargs) -> int:
    return sales.log_activity(
        LogActivity(record_id=rid, subject="Regeltermin", completes=(fu_id,), **kwargs)
    ).result_id


def test_completing_a_recurring_follow_up_creates_exactly_one_next(world, series_clock):
    clock = series_clock
    w, db = world, world.db
    rid, sales = _series_record(w, clock, "FREQ=WEEKLY")
    (first,) = open_follow_ups(db, rid)
    assert (first.due_date, first.due_time, first.occurrence) == (date(2026, 3, 27), time(9), 1)
    assert first.recurrence == "FREQ=WEEKLY"
    clock.set(datetime(2026, 3, 27, 8, 5, tzinfo=UTC))
    # Under the policy, no next follow-up is needed: the series continues.
    summary = sales.log_activity(
        LogActivity(record_id=rid, subject="Regeltermin", completes=(first.id,))
    )
    aid = summary.result_id
    (second,) = open_follow_ups(db, rid)
    assert summary.created[Entity.FOLLOW_UP] == {second.id}
    assert first.id in summary.updated[Entity.FOLLOW_UP]
    # Across the DST change: still weekly at 09:00 local.
    assert (second.due_date, second.due_time) == (date(2026, 4, 3), time(9, 0))
    assert (second.occurrence, second.previous_id) == (2, first.id)
    assert (second.source_activity_id, second.recurrence) == (aid, "FREQ=WEEKLY")
    assert (second.assignee_id, second.time_zone) == (first.assignee_id, first.time_zone)
    assert get(db, m.FollowUp, first.id).completed_by_activity_id == aid
    # Completed late: the next one keeps the weekly grid.
    clock.set(datetime(2026, 4, 8, 12, 0, tzinfo=UTC))
    _complete(sales, rid, second.id)
    (third,) = open_follow_ups(db, rid)
    assert third.due_date == date(2026, 4, 10) and third.occurrence == 3
    assert violations(db) == []


def test_completion_anchored_series_counts_from_the_completion(world, series_clock):
    clock = series_clock
    w, db = world, world.db
    rid, sales = _series_record(
        w, clock, "FREQ=WEEKLY;INTERVAL=2", recurrence_anchor=RecurrenceAnchor.COMPLETION
    )
    (first,) = open_follow_ups(db, rid)
    clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))  # completed 5 days late
    _complete(sales, rid, first.id)
    (second,) = open_follow_ups(db, rid)
    assert second.due_date == date(2026, 4, 15)
    assert second.recurrence_anchor == "completion"


def test_series_with_count_ends(world, series_clock):
    clock = series_clock
    w, db = world, world.db
    rid, sales = _series_record(w, clock, "FREQ=WEEKLY;COUNT=2")
    (first,) = open_follow_ups(db, rid)
    clock.set(datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
    _complete(sales, rid, first.id)
    (second,) = open_follow_ups(db, rid)
    assert second.occurrence == 2
    clock.set(datetime(2026, 4, 3, 9, 0, tzinfo=UTC))
    # The series ends here: under the policy the activity needs a next follow-up.
    with pytest.raises(DomainError) as info:
        _complete(sales, rid, second.id)
    assert info.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP
    _complete(sales, rid, second.id, next_follow_up=NextFollowUp(date(2026, 4, 20)))
    (last,) = open_follow_ups(db, rid)
    assert (last.recurrence, last.due_date, last.occurrence) == (None, date(2026, 4, 20), 1)
    assert violations(db) == []


def test_cancelling_ends_the_series(world, series_clock):
    w, db = world, world.db
    admin = w.controller(w.admin_id)
    rid = w.record()
    aid = admin.log_activity(LogActivity(record_id=rid, subject="Wartungsvertrag")).result_id
    admin.create_follow_up(
        rid,
        NextFollowUp(date(2026, 4, 1), recurrence="FREQ=MONTHLY;INTERVAL=6"),
        source_activity_id=aid,
    )
    (fu,) = open_follow_ups(db, rid)
    admin.cancel_follow_up(fu.id, expected_version=fu.version)
    assert open_follow_ups(db, rid) == []
    assert [f.state for f in follow_ups(db, rid)] == ["cancelled"]
    assert violations(db) == []


# --- audit ------------------------------------------------------------------------------


def test_audit_entries_for_changes_and_none_for_refusals(world):
    w, db = world, world.db
    rid = w.in_campaign()
    (fu,) = open_follow_ups(db, rid)
    mark = len(audit(db))
    summary = w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Angebot besprochen",
            completes=(fu.id,),
            status_changes={w.campaign_id: w.status["Kontaktiert"]},
            next_follow_up=NextFollowUp(w.today + timedelta(days=4)),
        )
    )
    entries = audit(db)[mark:]
    assert {(e.user_id, e.operation) for e in entries} == {(w.sales_id, "log_activity")}
    by_kind = {(e.entity, e.action) for e in entries}
    assert {
        ("activity", "create"),
        ("status_change", "create"),
        ("follow_up", "create"),
        ("follow_up", "update"),
        ("campaign_membership", "update"),
    } <= by_kind
    (activity_entry,) = [e for e in entries if e.entity == "activity"]
    assert activity_entry.entity_id == summary.result_id
    assert activity_entry.before is None
    assert activity_entry.after["subject"] == "Angebot besprochen"
    (done_entry,) = [e for e in entries if e.entity == "follow_up" and e.action == "update"]
    assert done_entry.entity_id == fu.id
    assert (done_entry.before["state"], done_entry.after["state"]) == ("open", "done")
    (member_entry,) = [e for e in entries if e.entity == "campaign_membership"]
    assert member_entry.before["status_id"] == w.status["Lead"]
    assert member_entry.after["status_id"] == w.status["Kontaktiert"]
    assert all(e.at is not None and e.at.tzinfo is not None for e in entries)
    # Refused calls leave no audit entry.
    count = len(audit(db))
    for call in (
        lambda: w.sales.log_activity(LogActivity(record_id=rid, subject="")),
        lambda: w.other.log_activity(LogActivity(record_id=rid, subject="fremd")),
        lambda: w.sales.create_team("Ost"),
    ):
        with pytest.raises(DomainError):
            call()
    assert len(audit(db)) == count


def test_record_changes_are_audited_with_before_and_after(world):
    w, db = world, world.db
    rid = w.record("Alt GmbH")
    (created,) = [e for e in audit(db, "create_record") if e.entity_id == rid]
    assert created.after["name"] == "Alt GmbH" and created.user_id == w.sales_id
    version = get(db, m.Record, rid).version
    summary = w.sales.update_record(
        rid, RecordData(name="Neu GmbH", city="Bonn"), expected_version=version
    )
    assert summary.updated[Entity.RECORD] == {rid}
    assert get(db, m.Record, rid).version == version + 1
    (entry,) = audit(db, "update_record")
    assert (entry.before["name"], entry.after["name"]) == ("Alt GmbH", "Neu GmbH")
    assert (entry.before["city"], entry.after["city"]) == ("Köln", "Bonn")


def test_correct_activity_is_audited(world):
    w, db = world, world.db
    rid = w.record()
    aid = w.sales.log_activity(
        LogActivity(record_id=rid, subject="Telefonta", text="- Preis zu hoch")
    ).result_id
    w.sales.correct_activity(
        aid,
        expected_version=get(db, m.Activity, aid).version,
        subject="Telefonat",
        text="- Preis zu hoch",
        reason="Tippfehler",
    )
    activity = get(db, m.Activity, aid)
    assert activity.subject == "Telefonat" and activity.corrected_at is not None
    (entry,) = audit(db, "correct_activity")
    assert (entry.entity, entry.entity_id, entry.user_id) == ("activity", aid, w.sales_id)
    assert (entry.before["subject"], entry.after["subject"]) == ("Telefonta", "Telefonat")
    # An administrator may correct someone else's activity.
    w.admin.correct_activity(
        aid,
        expected_version=get(db, m.Activity, aid).version,
        subject="Telefonat",
        text="- Preis ok",
        reason="Rückfrage",
    )
    assert get(db, m.Activity, aid).text == "- Preis ok"
    assert [e.user_id for e in audit(db, "correct_activity")] == [w.sales_id, w.admin_id]


def test_correct_activity_keeps_the_reason_in_the_audit_trail(world):
    """The reason a correction requires is part of what the audit trail keeps
    (rule 1: corrections are audited) — not checked and then dropped."""
    w, db = world, world.db
    rid = w.record()
    aid = w.sales.log_activity(LogActivity(record_id=rid, subject="Besuhc")).result_id
    reason = "Schreibfehler im Betreff korrigiert"
    w.sales.correct_activity(
        aid,
        expected_version=get(db, m.Activity, aid).version,
        subject="Besuch",
        text="",
        reason=reason,
    )
    entries = audit(db, "correct_activity")
    assert any(reason in repr((e.before, e.after)) for e in entries), [
        (e.before, e.after) for e in entries
    ]


# --- administration ---------------------------------------------------------------------


def test_admin_calls_create_what_they_say(world):
    w, db = world, world.db
    team = w.admin.create_team("Ost").result_id
    group = w.admin.create_role_group(
        RoleGroupData(
            "Innendienst",
            activity_requires_follow_up=False,
            rights={Module.RECORDS: Scope.ALL, Module.ACTIVITIES: Scope.TEAM},
        )
    ).result_id
    user = w.admin.create_user(
        "ines", "Ines Innen", role_group_id=group, team_id=team, email="ines@example.com"
    ).result_id
    campaign = w.admin.create_campaign(
        "Messe", [StatusSpec("Eingeladen", next=("Besucht",)), StatusSpec("Besucht", is_final=True)]
    ).result_id
    with db.read() as s:
        g = s.get(m.RoleGroup, group)
        assert (g.follow_up_requires_activity, g.activity_requires_follow_up) == (True, False)
        assert g.scope(Module.RECORDS) is Scope.ALL and g.scope(Module.SETTINGS) is Scope.NONE
        u = s.get(m.User, user)
        assert (u.team_id, u.role_group_id, u.active) == (team, group, True)
        statuses = s.scalars(
            select(m.CampaignStatus)
            .where(m.CampaignStatus.campaign_id == campaign)
            .order_by(m.CampaignStatus.position)
        ).all()
        assert [st.name for st in statuses] == ["Eingeladen", "Besucht"]
        assert statuses[0].is_start and statuses[1].is_final
        assert [n.name for n in statuses[0].next_statuses] == ["Besucht"]
    w.admin.set_user_active(user, False)
    assert not get(db, m.User, user).active
    w.admin.set_campaign_active(campaign, False)
    assert not get(db, m.Campaign, campaign).active
    with db.read() as s:
        ops = set(
            s.scalars(select(m.AuditEntry.operation).where(m.AuditEntry.user_id == w.admin_id))
        )
    assert {"create_team", "create_role_group", "create_user", "create_campaign"} <= ops
    assert {"set_user_active", "set_campaign_active"} <= ops


def test_summary_counts_match_the_database(world):
    """What a summary reports as created exists; nothing else was created."""
    w, db = world, world.db

    def counts() -> Iterator[tuple[str, int]]:
        with db.read() as s:
            for cls in (m.Activity, m.FollowUp, m.StatusChange, m.CampaignMembership):
                yield cls.__tablename__, s.scalar(select(func.count()).select_from(cls))

    before = dict(counts())
    rid = w.record()
    summary = w.sales.assign_to_campaign(
        rid, w.campaign_id, next_follow_up=NextFollowUp(w.today + timedelta(days=1))
    )
    after = dict(counts())
    assert after["activity"] - before["activity"] == len(summary.created[Entity.ACTIVITY])
    assert after["follow_up"] - before["follow_up"] == len(summary.created[Entity.FOLLOW_UP])
    assert after["status_change"] - before["status_change"] == len(
        summary.created[Entity.STATUS_CHANGE]
    )
    assert after["campaign_membership"] - before["campaign_membership"] == len(
        summary.created[Entity.MEMBERSHIP]
    )


def test_the_last_active_admin_cannot_be_deactivated(world):
    w = world
    with pytest.raises(DomainError) as info:
        w.admin.set_user_active(w.admin_id, False)
    assert info.value.rule is Rule.LAST_ADMIN
    assert get(w.db, m.User, w.admin_id).active
    with w.db.read() as s:
        admin_group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.is_admin))
    second = w.admin.create_user("admin2", "Zweite Admin", role_group_id=admin_group).result_id
    w.admin.set_user_active(w.admin_id, False)
    assert not get(w.db, m.User, w.admin_id).active
    with pytest.raises(DomainError):
        w.controller(second).set_user_active(second, False)


def test_a_reassigned_follow_up_takes_the_new_assignees_time_zone(world):
    w, db = world, world.db
    rid = w.in_campaign()
    with db.write() as s:
        s.get(m.User, w.colleague_id).time_zone = "Europe/Lisbon"
    (fu,) = open_follow_ups(db, rid)
    w.sales.update_follow_up(fu.id, expected_version=fu.version, assignee_id=w.colleague_id)
    assert get(db, m.FollowUp, fu.id).time_zone == "Europe/Lisbon"


def test_a_shifted_series_moves_its_next_occurrence_off_holidays(world, clock):
    """NextFollowUp.recurrence_shift: the next occurrence of a weekly series due
    on a public holiday in NRW (Christmas Day 2026, a Friday) moves to Monday."""
    w, db = world, world.db
    rid = w.record()
    first = date(2026, 12, 18)  # a Friday; the next one would be 25 December
    clock.set(datetime(2026, 12, 18, 12, tzinfo=UTC))
    sales = w.controller(w.sales_id)
    sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Wöchentlicher Anruf",
            occurred_at=datetime(2026, 12, 17, 10, tzinfo=UTC),
            next_follow_up=NextFollowUp(first, recurrence="FREQ=WEEKLY", recurrence_shift="de-nw"),
        )
    )
    (fu,) = open_follow_ups(db, rid)
    assert fu.recurrence_shift == "DE-NW"
    sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Erledigt",
            occurred_at=datetime(2026, 12, 18, 10, tzinfo=UTC),
            completes=(fu.id,),
        )
    )
    (nxt,) = open_follow_ups(db, rid)
    assert (nxt.due_date, nxt.recurrence_shift) == (date(2026, 12, 28), "DE-NW")


def test_an_unknown_holiday_region_is_refused(world):
    w = world
    rid = w.record()
    with pytest.raises(DomainError) as info:
        w.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="x",
                next_follow_up=NextFollowUp(
                    w.today + timedelta(days=1),
                    recurrence="FREQ=WEEKLY",
                    recurrence_shift="XX-YY",
                ),
            )
        )
    assert info.value.rule is Rule.INVALID_VALUE
