"""Bulk editing: preview, run (chunks, progress, cancel), per-row refusals,
version conflicts, undo — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp, RoleGroupData
from akquise_desktop.controller.bulk import (
    BulkEditor,
    CancelToken,
    ChangeStatus,
    LogActivityForEach,
    SetAssignee,
    SetDueDate,
    SetInstruction,
    SetOwner,
    SetPriority,
    ShiftDueDates,
    ids_from_query,
    open_follow_up_ids,
    recent_runs,
)
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries import search
from akquise_desktop.queries.invariants import check_invariants

from .factories import SALES_RIGHTS, TODAY, World, make_world


def _lead(world: World) -> tuple[Controller, int]:
    """A team lead in team Nord: bulk right on the own team's records."""
    group = world.admin.create_role_group(
        RoleGroupData(
            "Teamleitung",
            rights={**SALES_RIGHTS, Module.BULK_EDIT: Scope.TEAM},
        )
    ).result_id
    with world.db.read() as s:
        nord = s.scalar(select(m.Team.id).where(m.Team.name == "Nord"))
    uid = world.admin.create_user("lead", "Lena Lead", role_group_id=group, team_id=nord).result_id
    assert uid is not None
    return world.controller(uid), uid


def _follow_up(db, record_id: int) -> m.FollowUp:
    with db.read() as s:
        fu = s.scalar(
            select(m.FollowUp).where(
                m.FollowUp.record_id == record_id, m.FollowUp.state == m.FollowUpState.OPEN
            )
        )
        assert fu is not None
        return fu


def _activity_version(db, activity_id: int) -> int:
    with db.read() as s:
        return s.get(m.Activity, activity_id).version


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _records(world: World, n: int, owner: Controller | None = None) -> list[int]:
    return [world.in_campaign(f"Firma {i:02d}", owner) for i in range(n)]


def _assert_invariants(db) -> None:
    with db.read() as s:
        assert check_invariants(s, include_dead_records=False) == []


# --- schema ---------------------------------------------------------------------------


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": search.include_object}
            ),
            m.Base.metadata,
        )
    assert diff == []


# --- rights and parameters ----------------------------------------------------------------


def test_without_the_bulk_right_nothing_runs(db):
    world = make_world(db)
    rid = world.in_campaign()
    fu = _follow_up(db, rid)
    editor = BulkEditor(world.sales)  # sales: no bulk right
    for call in (editor.preview, editor.run):
        with pytest.raises(DomainError) as err:
            call(ShiftDueDates(3), [fu.id])
        assert err.value.rule is Rule.NO_RIGHT
        assert "Massenbearbeitung" in err.value.message_de
    assert _follow_up(db, rid).due_date == fu.due_date
    assert _count(db, m.BulkRun) == 0


def test_bad_parameters_refuse_the_whole_run(db):
    world = make_world(db)
    rid = world.in_campaign()
    fu = _follow_up(db, rid)
    editor = BulkEditor(world.admin)
    cases = [
        (SetAssignee(99_999), Rule.UNKNOWN_USER),
        (SetOwner(99_999), Rule.UNKNOWN_USER),
        (SetPriority(7), Rule.INVALID_VALUE),
        (SetInstruction("x" * (m.INSTRUCTION_MAX + 1)), Rule.TOO_LONG),
        (ShiftDueDates(100_000), Rule.INVALID_VALUE),
        (LogActivityForEach(subject="  "), Rule.REQUIRED),
        (ChangeStatus(world.campaign_id, 99_999), Rule.NOT_FOUND),
    ]
    for operation, rule in cases:
        targets = [rid] if operation.target == "record" else [fu.id]
        with pytest.raises(DomainError) as err:
            editor.run(operation, targets)
        assert err.value.rule is rule, operation
    assert _count(db, m.BulkRun) == 0
    assert _follow_up(db, rid).version == fu.version


# --- follow-up fields ------------------------------------------------------------------------


def test_set_assignee_preview_then_run_audits_each_row(db):
    world = make_world(db)
    rids = _records(world, 3)
    fus = [_follow_up(db, r) for r in rids]
    editor = BulkEditor(world.admin)
    audit_before = _count(db, m.AuditEntry)

    preview = editor.preview(SetAssignee(world.colleague_id), [f.id for f in fus])
    assert preview.total == 3 and preview.changing == 3 and not preview.refused
    assert preview.changes[0].before == {"assignee_id": world.sales_id}
    assert preview.changes[0].after == {"assignee_id": world.colleague_id}
    assert preview.versions == {f.id: f.version for f in fus}
    assert _count(db, m.AuditEntry) == audit_before  # the preview wrote nothing

    result = editor.run(SetAssignee(world.colleague_id), preview.versions)
    assert sorted(result.changed) == sorted(f.id for f in fus)
    assert result.summary.updated[Entity.FOLLOW_UP] == {f.id for f in fus}
    for fu in fus:
        with db.read() as s:
            row = s.get(m.FollowUp, fu.id)
            assert row.assignee_id == world.colleague_id
            assert row.version == fu.version + 1
            audit = s.scalars(
                select(m.AuditEntry).where(
                    m.AuditEntry.entity == "follow_up",
                    m.AuditEntry.entity_id == fu.id,
                    m.AuditEntry.operation == "bulk_set_assignee",
                )
            ).all()
        assert len(audit) == 1
        assert audit[0].before == {"assignee_id": world.sales_id}
        assert audit[0].after == {"assignee_id": world.colleague_id}
        assert audit[0].user_id == world.admin_id
    _assert_invariants(db)


def test_shift_due_dates_refuses_a_date_before_the_source_activity(db):
    world = make_world(db)
    near, far = _records(world, 2)
    fu_near, fu_far = _follow_up(db, near), _follow_up(db, far)
    # far: due in 20 days.
    world.sales.update_follow_up(
        fu_far.id, expected_version=fu_far.version, due_date=TODAY + timedelta(days=20)
    )
    editor = BulkEditor(world.admin)
    result = editor.run(ShiftDueDates(-5), [fu_near.id, fu_far.id])
    assert result.changed == (fu_far.id,)
    [refusal] = result.refused
    assert refusal.target_id == fu_near.id
    assert refusal.rule_id == Rule.DUE_BEFORE_ACTIVITY.id
    assert refusal.label == "Firma 00"
    assert "vor der Aktivität" in refusal.message("de")
    assert _follow_up(db, near).due_date == fu_near.due_date  # unchanged
    assert _follow_up(db, far).due_date == TODAY + timedelta(days=15)
    with db.read() as s:
        assert s.get(m.Record, far).next_follow_up_date == TODAY + timedelta(days=15)
    _assert_invariants(db)


def test_set_due_date_time_priority_instruction(db):
    world = make_world(db)
    rids = _records(world, 2)
    ids = [_follow_up(db, r).id for r in rids]
    editor = BulkEditor(world.admin)
    target = TODAY + timedelta(days=9)
    editor.run(SetDueDate(target, time(9, 30)), ids)
    editor.run(SetPriority(m.Priority.TIME_CRITICAL), ids)
    editor.run(SetInstruction("  Angebot nachfassen  "), ids)
    for rid in rids:
        fu = _follow_up(db, rid)
        assert (fu.due_date, fu.due_time) == (target, time(9, 30))
        assert fu.priority == m.Priority.TIME_CRITICAL
        assert fu.instruction == "Angebot nachfassen"
    # Same values again: nothing changes, nothing is counted.
    again = editor.run(SetPriority(m.Priority.TIME_CRITICAL), ids)
    assert again.changed == () and sorted(again.unchanged) == sorted(ids)
    # Only the date, keeping the time.
    editor.run(SetDueDate(target + timedelta(days=1)), ids)
    assert _follow_up(db, rids[0]).due_time == time(9, 30)
    _assert_invariants(db)


def test_rows_outside_the_scope_are_refused_per_row(db):
    world = make_world(db)
    lead, _lead_id = _lead(world)
    own = world.in_campaign("Nord GmbH", world.sales)
    foreign = world.in_campaign("Süd GmbH", world.other)
    fus = [_follow_up(db, own).id, _follow_up(db, foreign).id, 999_999]
    result = BulkEditor(lead).run(SetPriority(m.Priority.HIGH), fus)
    assert result.changed == (fus[0],)
    refused = {r.target_id: r for r in result.refused}
    assert refused[fus[1]].rule_id == Rule.NO_RIGHT.id
    assert refused[fus[1]].label == "Süd GmbH"
    assert refused[999_999].rule_id == Rule.NOT_FOUND.id
    assert _follow_up(db, foreign).priority == m.Priority.NORMAL


def test_closed_follow_ups_are_refused(db):
    world = make_world(db)
    rid = world.in_campaign()
    fu = _follow_up(db, rid)
    world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Telefonat",
            completes=(fu.id,),
            next_follow_up=NextFollowUp(TODAY + timedelta(days=3)),
        )
    )
    result = BulkEditor(world.admin).run(ShiftDueDates(1), [fu.id])
    assert [r.rule_id for r in result.refused] == [Rule.FOLLOW_UP_NOT_OPEN.id]


def test_a_row_changed_since_the_preview_is_skipped_and_reported(db):
    world = make_world(db)
    rids = _records(world, 3)
    fus = [_follow_up(db, r) for r in rids]
    editor = BulkEditor(world.admin)
    preview = editor.preview(ShiftDueDates(7), [f.id for f in fus])
    # A colleague reschedules the second one meanwhile.
    moved = TODAY + timedelta(days=30)
    world.sales.update_follow_up(fus[1].id, expected_version=fus[1].version, due_date=moved)
    result = editor.run(ShiftDueDates(7), preview.versions)
    assert sorted(result.changed) == sorted([fus[0].id, fus[2].id])
    [refusal] = result.refused
    assert refusal.target_id == fus[1].id and refusal.rule_id == Rule.STALE.id
    assert "inzwischen" in refusal.message_de
    assert _follow_up(db, rids[1]).due_date == moved  # never overwritten


# --- records ---------------------------------------------------------------------------------


def test_set_owner_and_undo(db):
    world = make_world(db)
    rids = _records(world, 2)
    editor = BulkEditor(world.admin)
    result = editor.run(SetOwner(world.colleague_id), rids)
    assert sorted(result.changed) == sorted(rids)
    with db.read() as s:
        assert {s.get(m.Record, r).owner_id for r in rids} == {world.colleague_id}
    undo = editor.undo(result.run_id)
    assert sorted(undo.restored) == sorted(rids) and not undo.refused
    with db.read() as s:
        assert {s.get(m.Record, r).owner_id for r in rids} == {world.sales_id}
    _assert_invariants(db)


def test_set_owner_outside_the_records_scope_is_refused(db):
    world = make_world(db)
    lead, _ = _lead(world)
    rid = world.in_campaign()
    with pytest.raises(DomainError) as err:
        BulkEditor(lead).run(SetOwner(world.other_id), [rid])  # Süd: not the lead's team
    assert err.value.rule is Rule.NO_RIGHT


# --- activities and status changes ---------------------------------------------------------------


def test_log_activity_for_each_and_undo(db):
    world = make_world(db)
    lead, _ = _lead(world)
    rids = _records(world, 3)
    foreign = world.in_campaign("Süd GmbH", world.other)
    with db.read() as s:
        last_before = {r: s.get(m.Record, r).last_activity_at for r in rids}
    activities_before = _count(db, m.Activity)
    operation = LogActivityForEach(
        subject="Mailing Frühjahr",
        text="Katalog verschickt",
        next_follow_up=NextFollowUp(TODAY + timedelta(days=14), instruction="nachfassen"),
        follow_up_for_owner=True,
    )
    editor = BulkEditor(lead)
    preview = editor.preview(operation, [*rids, foreign])
    assert preview.changing == 3
    assert [r.target_id for r in preview.refused] == [foreign]
    assert _count(db, m.Activity) == activities_before  # preview rolled back

    result = editor.run(operation, [*rids, foreign])
    assert sorted(result.changed) == sorted(rids)
    assert [r.rule_id for r in result.refused] == [Rule.NO_RIGHT.id]
    assert _count(db, m.Activity) == activities_before + 3
    with db.read() as s:
        for rid in rids:
            acts = s.scalars(
                select(m.Activity).where(
                    m.Activity.record_id == rid, m.Activity.subject == "Mailing Frühjahr"
                )
            ).all()
            assert len(acts) == 1 and acts[0].text == "Katalog verschickt"
            fu = s.scalar(select(m.FollowUp).where(m.FollowUp.source_activity_id == acts[0].id))
            assert fu.due_date == TODAY + timedelta(days=14)
            assert fu.assignee_id == world.sales_id  # the record's owner
            assert fu.instruction == "nachfassen"
    _assert_invariants(db)

    undo = editor.undo(result.run_id)
    assert sorted(undo.restored) == sorted(rids)
    assert _count(db, m.Activity) == activities_before
    with db.read() as s:
        assert {r: s.get(m.Record, r).last_activity_at for r in rids} == last_before
        audit = s.scalars(
            select(m.AuditEntry.action).where(m.AuditEntry.operation == "bulk_undo")
        ).all()
    assert audit.count("delete") == 6  # 3 activities, 3 follow-ups
    _assert_invariants(db)


def test_change_status_checks_each_record_like_the_activity_mask(db):
    world = make_world(db)
    st = world.status
    lead_ok, stays, final = _records(world, 3)
    # "final" is already a customer: Kunde has no next statuses.
    for status in ("Kontaktiert", "Angebot", "Kunde"):
        world.sales.log_activity(
            LogActivity(
                record_id=final,
                subject=status,
                status_changes={world.campaign_id: st[status]},
                next_follow_up=NextFollowUp(TODAY + timedelta(days=5)),
            )
        )
    editor = BulkEditor(world.admin)
    # Without a next follow-up the chain policy refuses a non-final status.
    bare = editor.preview(ChangeStatus(world.campaign_id, st["Kontaktiert"]), [lead_ok])
    assert [r.rule_id for r in bare.refused] == [Rule.ACTIVITY_REQUIRES_FOLLOW_UP.id]

    operation = ChangeStatus(
        world.campaign_id,
        st["Kontaktiert"],
        subject="Erstkontakt Messe",
        text="auf der Messe gesprochen",
        next_follow_up=NextFollowUp(TODAY + timedelta(days=7)),
    )
    result = editor.run(operation, [lead_ok, stays, final])
    assert sorted(result.changed) == sorted([lead_ok, stays])
    [refusal] = result.refused
    assert refusal.target_id == final
    assert refusal.rule_id == Rule.STATUS_NOT_ALLOWED.id
    assert "„Kontaktiert“" in refusal.message_de and "„Kunde“" in refusal.message_de
    with db.read() as s:
        for rid in (lead_ok, stays):
            ms = s.scalar(select(m.CampaignMembership).where(m.CampaignMembership.record_id == rid))
            assert ms.status_id == st["Kontaktiert"]
            change = s.scalar(
                select(m.StatusChange)
                .where(m.StatusChange.record_id == rid)
                .order_by(m.StatusChange.id.desc())
            )
            assert change.activity.subject == "Erstkontakt Messe"  # rule 5
    # Same status again: unchanged, no activity.
    again = editor.preview(operation, [lead_ok])
    assert again.unchanged == (lead_ok,) and again.changing == 0
    _assert_invariants(db)

    undo = editor.undo(result.run_id)
    assert sorted(undo.restored) == sorted([lead_ok, stays])
    with db.read() as s:
        for rid in (lead_ok, stays):
            ms = s.scalar(select(m.CampaignMembership).where(m.CampaignMembership.record_id == rid))
            assert ms.status_id == st["Lead"]
        assert not s.scalars(
            select(m.Activity).where(m.Activity.subject == "Erstkontakt Messe")
        ).all()
    _assert_invariants(db)


def test_change_status_refuses_a_membership_changed_since_the_preview(db):
    world = make_world(db)
    st = world.status
    a, b = _records(world, 2)
    operation = ChangeStatus(
        world.campaign_id,
        st["Kein Interesse"],
        subject="Absage per Mail",
    )
    editor = BulkEditor(world.admin)
    preview = editor.preview(operation, [a, b])
    assert preview.changing == 2
    world.sales.log_activity(
        LogActivity(
            record_id=b,
            subject="Telefonat",
            status_changes={world.campaign_id: st["Kontaktiert"]},
            next_follow_up=NextFollowUp(TODAY + timedelta(days=4)),
        )
    )
    result = editor.run(operation, preview.versions)
    assert result.changed == (a,)
    assert [r.rule_id for r in result.refused] == [Rule.STALE.id]
    _assert_invariants(db)


# --- undo -----------------------------------------------------------------------------------------


def test_undo_restores_exactly_and_skips_rows_changed_since(db):
    world = make_world(db)
    rids = _records(world, 3)
    fus = [_follow_up(db, r) for r in rids]
    editor = BulkEditor(world.admin)
    result = editor.run(ShiftDueDates(10), [f.id for f in fus])
    # Someone reschedules the first one after the run.
    moved = _follow_up(db, rids[0])
    world.sales.update_follow_up(
        moved.id, expected_version=moved.version, due_date=TODAY + timedelta(days=40)
    )
    undo = editor.undo(result.run_id)
    assert sorted(undo.restored) == sorted([fus[1].id, fus[2].id])
    [refusal] = undo.refused
    assert refusal.target_id == fus[0].id and refusal.rule_id == Rule.STALE.id
    assert _follow_up(db, rids[0]).due_date == TODAY + timedelta(days=40)  # theirs stays
    for fu, rid in zip(fus[1:], rids[1:], strict=True):
        restored = _follow_up(db, rid)
        assert restored.due_date == fu.due_date
        assert restored.version == fu.version + 2  # the run, then the undo
    with db.read() as s:
        run = s.get(m.BulkRun, result.run_id)
        assert (run.state, run.undo_refused) == (m.BulkRunState.UNDONE, 1)
        assert s.get(m.Record, rids[1]).next_follow_up_date == fus[1].due_date
    # Undo is one step: a second one is refused.
    with pytest.raises(DomainError) as err:
        editor.undo(result.run_id)
    assert "rückgängig" in err.value.message_de
    _assert_invariants(db)


def test_only_the_author_or_an_administrator_undoes_a_run(db):
    world = make_world(db)
    lead, lead_id = _lead(world)
    rid = world.in_campaign()
    result = BulkEditor(world.admin).run(SetPriority(1), [_follow_up(db, rid).id])
    with pytest.raises(DomainError) as err:
        BulkEditor(lead).undo(result.run_id)
    assert err.value.rule is Rule.ADMIN_ONLY
    with pytest.raises(DomainError) as err:
        BulkEditor(world.admin).undo(123_456)
    assert err.value.rule is Rule.NOT_FOUND
    assert recent_runs(db, lead_id) == []
    [info] = recent_runs(db, world.admin_id)
    assert (info.operation, info.changed, info.state) == ("set_priority", 1, "done")


# --- progress, cancel, chunks ---------------------------------------------------------------


def test_progress_and_cancel_keep_the_chunks_done(db):
    world = make_world(db)
    rids = _records(world, 5)
    ids = open_follow_up_ids(db, rids)
    assert len(ids) == 5
    token = CancelToken()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 2:
            token.cancel()

    editor = BulkEditor(world.admin)
    result = editor.run(ShiftDueDates(1), ids, progress=progress, cancel=token, chunk_size=2)
    assert result.cancelled
    assert seen == [(0, 5), (2, 5)]
    assert list(result.changed) == ids[:2]
    assert list(result.not_reached) == ids[2:]
    with db.read() as s:
        run = s.get(m.BulkRun, result.run_id)
        assert (run.state, run.changed, run.total) == ("cancelled", 2, 5)
        dues = {fid: s.get(m.FollowUp, fid).due_date for fid in ids}
    assert dues[ids[0]] == TODAY + timedelta(days=3) and dues[ids[4]] == TODAY + timedelta(days=2)
    # The cancelled run is undone like any other.
    undo = editor.undo(result.run_id)
    assert sorted(undo.restored) == sorted(ids[:2])
    with db.read() as s:
        assert {s.get(m.FollowUp, fid).due_date for fid in ids} == {TODAY + timedelta(days=2)}


def test_a_full_run_in_chunks_reports_progress_to_the_end(db):
    world = make_world(db)
    rids = _records(world, 5)
    ids = open_follow_up_ids(db, rids)
    seen: list[tuple[int, int]] = []
    result = BulkEditor(world.admin).run(
        SetPriority(2), ids, progress=lambda d, t: seen.append((d, t)), chunk_size=2
    )
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert not result.cancelled and len(result.changed) == 5
    with db.read() as s:
        run = s.get(m.BulkRun, result.run_id)
        assert (run.state, run.changed) == ("done", 5)
        assert run.finished_at is not None
    assert result.summary.ids(Entity.FOLLOW_UP) == set(ids)


def test_an_empty_selection_changes_nothing(db):
    world = make_world(db)
    result = BulkEditor(world.admin).run(ShiftDueDates(1), [])
    assert result.run_id is None and result.changed == ()
    assert _count(db, m.BulkRun) == 0


def test_activity_time_is_the_run_time(db):
    world = make_world(db)
    rid = world.in_campaign()
    at = world.clock.advance(seconds=2)
    ctl = world.controller(world.admin_id)
    BulkEditor(ctl).run(
        LogActivityForEach("Rundruf", next_follow_up=NextFollowUp(TODAY + timedelta(days=3))),
        [rid],
    )
    with db.read() as s:
        act = s.scalar(select(m.Activity).where(m.Activity.subject == "Rundruf"))
        assert act.occurred_at == at and act.user_id == world.admin_id
        assert s.get(m.Record, rid).last_activity_at == at


def test_change_status_into_the_campaign_and_undo_removes_the_membership(db):
    world = make_world(db)
    rid = world.record("Neu GmbH")  # not in the campaign yet
    editor = BulkEditor(world.admin)
    result = editor.run(
        ChangeStatus(
            world.campaign_id,
            world.status["Lead"],
            subject="Messekontakt",
            next_follow_up=NextFollowUp(TODAY + timedelta(days=3)),
        ),
        [rid],
    )
    assert result.changed == (rid,)
    assert result.summary.created[Entity.MEMBERSHIP]
    _assert_invariants(db)
    undo = editor.undo(result.run_id)
    assert undo.restored == (rid,)
    with db.read() as s:
        assert s.scalar(select(func.count()).where(m.CampaignMembership.record_id == rid)) == 0
        assert s.scalar(select(func.count()).where(m.StatusChange.record_id == rid)) == 0
        assert s.get(m.Record, rid).next_follow_up_date is None
    _assert_invariants(db)


def test_undo_leaves_activities_others_built_on(db):
    world = make_world(db)
    corrected, followed, untouched = _records(world, 3)
    editor = BulkEditor(world.admin)
    result = editor.run(
        LogActivityForEach("Rundschreiben", next_follow_up=NextFollowUp(TODAY + timedelta(days=9))),
        [corrected, followed, untouched],
    )
    with db.read() as s:
        acts = {
            a.record_id: a.id
            for a in s.scalars(select(m.Activity).where(m.Activity.subject == "Rundschreiben"))
        }
    # Corrected afterwards (with a reason): part of the history now.
    world.admin.correct_activity(
        acts[corrected],
        expected_version=_activity_version(db, acts[corrected]),
        subject="Rundschreiben (korrigiert)",
        text="",
        reason="Tippfehler",
    )
    # A colleague scheduled another follow-up from the bulk activity.
    world.admin.create_follow_up(
        followed, NextFollowUp(TODAY + timedelta(days=20)), source_activity_id=acts[followed]
    )
    undo = editor.undo(result.run_id)
    assert undo.restored == (untouched,)
    assert {r.target_id for r in undo.refused} == {corrected, followed}
    assert all(r.rule_id == Rule.STALE.id for r in undo.refused)
    with db.read() as s:
        assert s.get(m.Activity, acts[corrected]) is not None
        assert s.get(m.Activity, acts[followed]) is not None
        assert s.get(m.Activity, acts[untouched]) is None
    _assert_invariants(db)


def test_a_failing_run_keeps_its_chunks_and_is_marked_failed(db):
    world = make_world(db)
    ids = open_follow_up_ids(db, _records(world, 4))

    def progress(done: int, _total: int) -> None:
        if done == 2:
            raise RuntimeError("Verbindung verloren")

    editor = BulkEditor(world.admin)
    with pytest.raises(RuntimeError):
        editor.run(ShiftDueDates(3), ids, progress=progress, chunk_size=2)
    [info] = recent_runs(db, world.admin_id)
    assert (info.state, info.changed) == ("failed", 2)
    undo = editor.undo(info.id)
    assert sorted(undo.restored) == sorted(ids[:2])
    with db.read() as s:
        assert {s.get(m.FollowUp, i).due_date for i in ids} == {TODAY + timedelta(days=2)}


def test_bulk_on_a_search_result(db):
    world = make_world(db)
    _records(world, 3)
    world.in_campaign("Andere AG")
    query = select(m.Record.id).where(m.Record.name.like("Firma%")).order_by(m.Record.id)
    with db.read() as s:
        ids = ids_from_query(s, query)
    assert len(ids) == 3
    result = BulkEditor(world.admin).run(SetOwner(world.colleague_id), ids)
    assert sorted(result.changed) == sorted(ids)
