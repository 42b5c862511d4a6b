"""One chunk of a bulk run (or of its preview): each row checked like a
single change and its new values worked out; with a run id, written.

Follow-up fields and the record owner are set-based updates (:mod:`.rows`);
activities and status changes go through the controller's own
``_log_activity``, one savepoint per record, and are journaled for undo."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from akquise_desktop import models as m
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module

from .. import concurrency
from ..base import _Op, clean_text
from ..commands import LogActivity, _Unset
from .base import _NO_CHECK, EditorBase, RowRights, _FollowUpRow, _Outcome
from .operations import (
    ChangeStatus,
    LogActivityForEach,
    Operation,
    PlannedFollowUpValues,
    Refusal,
    RowChange,
    SetAssignee,
    SetDueDate,
    SetInstruction,
    SetOwner,
    SetPriority,
    ShiftDueDates,
)
from .rows import RowUpdate, Writer, refresh_derived


class ChunkWork(EditorBase):
    """The work of one chunk, for each kind of operation."""

    # --- one chunk ----------------------------------------------------------------------

    def _chunk(
        self,
        op: _Op,
        operation: Operation,
        wanted: Mapping[int, Any],
        run_id: int | None,
        outcome: _Outcome,
    ) -> None:
        if operation.target == "follow_up":
            self._follow_up_chunk(op, operation, wanted, run_id, outcome)
        elif isinstance(operation, SetOwner):
            self._owner_chunk(op, operation, wanted, run_id, outcome)
        else:
            self._activity_chunk(op, operation, wanted, run_id, outcome)

    # follow-up fields ------------------------------------------------------------------

    def _load_follow_ups(
        self, op: _Op, ids: Sequence[int], *, lock: bool
    ) -> dict[int, _FollowUpRow]:
        fu = m.FollowUp
        owner = aliased(m.User)
        source = aliased(m.Activity)
        stmt = (
            select(
                fu.id,
                fu.version,
                fu.state,
                fu.record_id,
                fu.assignee_id,
                fu.due_date,
                fu.due_time,
                fu.priority,
                fu.instruction,
                fu.recurrence,
                fu.occurrence,
                fu.series_start_date,
                m.Record.name.label("record_name"),
                m.Record.owner_id,
                owner.team_id.label("owner_team_id"),
                source.occurred_at.label("source_occurred_at"),
            )
            .join(m.Record, m.Record.id == fu.record_id)
            .outerjoin(owner, owner.id == m.Record.owner_id)
            .outerjoin(source, source.id == fu.source_activity_id)
            .where(fu.id.in_(ids))
            .order_by(fu.id)
        )
        if lock and not self.ctl.db.is_sqlite:  # SQLite: the write transaction locks
            # The lock order: the follow-ups' records first, then the
            # follow-ups, each in id order.
            records = op.session.scalars(select(fu.record_id).where(fu.id.in_(ids)))
            concurrency.lock_records(op.session, records)
            stmt = stmt.with_for_update(of=m.FollowUp.__table__, key_share=True)
        return {row.id: row for row in op.session.execute(stmt)}

    def _follow_up_values(self, op: _Op, operation: Operation, row: _FollowUpRow) -> dict[str, Any]:
        if isinstance(operation, SetAssignee):
            return {"assignee_id": operation.assignee_id}
        if isinstance(operation, ShiftDueDates):
            return {"due_date": row.due_date + timedelta(days=operation.days)}
        if isinstance(operation, SetDueDate):
            values: dict[str, Any] = {"due_date": operation.due_date}
            if not isinstance(operation.due_time, _Unset):
                values["due_time"] = operation.due_time
            return values
        if isinstance(operation, SetPriority):
            return {"priority": int(operation.priority)}
        if isinstance(operation, SetInstruction):
            return {"instruction": clean_text("instruction", operation.instruction) or ""}
        assert isinstance(operation, PlannedFollowUpValues)
        return dict(operation.values.get(row.id, {}))

    def _follow_up_chunk(
        self,
        op: _Op,
        operation: Operation,
        wanted: Mapping[int, Any],
        run_id: int | None,
        outcome: _Outcome,
    ) -> None:
        rows = self._load_follow_ups(op, list(wanted), lock=run_id is not None)
        rights = RowRights.of(op)
        zone = ZoneInfo(op.actor.time_zone)
        updates: list[RowUpdate] = []
        for fu_id, expected in wanted.items():
            row = rows.get(fu_id)
            label = row.record_name if row else f"#{fu_id}"
            try:
                if row is None:
                    raise DomainError(
                        Rule.NOT_FOUND, what_de="Wiedervorlage", what_en="Follow-up", id=fu_id
                    )
                outcome.versions[fu_id] = row.version
                if expected is not _NO_CHECK and expected != row.version:
                    raise concurrency.stale_error(
                        op.session,
                        "follow_up",
                        fu_id,
                        expected_version=expected,
                        zone=op.actor.time_zone,
                    )
                if row.state != FollowUpState.OPEN:
                    raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu_id)
                rights.check((Module.BULK_EDIT, Module.ACTIVITIES), row.owner_id, row.owner_team_id)
                after = self._follow_up_values(op, operation, row)
                new_due = after.get("due_date")
                if new_due is not None and row.source_occurred_at is not None:
                    not_before = row.source_occurred_at.astimezone(zone).date()
                    if new_due < not_before:
                        raise DomainError(
                            Rule.DUE_BEFORE_ACTIVITY,
                            due=new_due.isoformat(),
                            activity=not_before.isoformat(),
                        )
                if (
                    new_due is not None
                    and row.recurrence
                    and row.occurrence == 1
                    and new_due != row.due_date
                ):
                    after["series_start_date"] = new_due
            except DomainError as error:
                outcome.refused.append(Refusal.of(fu_id, label, error))
                continue
            before = {k: getattr(row, k) for k in after}
            changed = {k: v for k, v in after.items() if before[k] != v}
            if not changed:
                outcome.unchanged.append(fu_id)
                continue
            before = {k: before[k] for k in changed}
            outcome.changes.append(RowChange(fu_id, label, before, changed))
            updates.append(RowUpdate(fu_id, fu_id, row.version, before, changed))
        if run_id is None or not updates:
            return
        writer = Writer(
            op.session, op.uow, operation=f"bulk_{operation.name}", user_id=op.actor.id, now=op.now
        )
        writer.update_versioned("follow_up", updates, run_id=run_id, touch=True)
        writer.flush()
        # Only the due date feeds the record's derived columns.
        moved = (rows[u.entity_id].record_id for u in updates if "due_date" in u.after)
        refresh_derived(op.session, op.uow, moved)

    # record owner ----------------------------------------------------------------------

    def _owner_chunk(
        self,
        op: _Op,
        operation: SetOwner,
        wanted: Mapping[int, Any],
        run_id: int | None,
        outcome: _Outcome,
    ) -> None:
        owner = aliased(m.User)
        stmt = (
            select(m.Record.id, m.Record.version, m.Record.name, m.Record.owner_id, owner.team_id)
            .outerjoin(owner, owner.id == m.Record.owner_id)
            .where(m.Record.id.in_(list(wanted)))
            .order_by(m.Record.id)
        )
        if run_id is not None and not self.ctl.db.is_sqlite:
            stmt = stmt.with_for_update(of=m.Record.__table__, key_share=True)
        rows = {r[0]: r for r in op.session.execute(stmt)}
        rights = RowRights.of(op)
        updates: list[RowUpdate] = []
        for rid, expected in wanted.items():
            row = rows.get(rid)
            label = row.name if row else f"#{rid}"
            try:
                if row is None:
                    raise DomainError(Rule.NOT_FOUND, what_de="Datensatz", what_en="Record", id=rid)
                outcome.versions[rid] = row.version
                if expected is not _NO_CHECK and expected != row.version:
                    raise concurrency.stale_error(
                        op.session,
                        "record",
                        rid,
                        expected_version=expected,
                        zone=op.actor.time_zone,
                    )
                rights.check((Module.BULK_EDIT, Module.RECORDS), row.owner_id, row.team_id)
            except DomainError as error:
                outcome.refused.append(Refusal.of(rid, label, error))
                continue
            if row.owner_id == operation.owner_id:
                outcome.unchanged.append(rid)
                continue
            before = {"owner_id": row.owner_id}
            after = {"owner_id": operation.owner_id}
            outcome.changes.append(RowChange(rid, label, before, after))
            updates.append(RowUpdate(rid, rid, row.version, before, after))
        if run_id is None or not updates:
            return
        writer = Writer(
            op.session, op.uow, operation=f"bulk_{operation.name}", user_id=op.actor.id, now=op.now
        )
        writer.update_versioned("record", updates, run_id=run_id, touch=True)
        writer.flush()

    # activities and status changes ---------------------------------------------------------

    def _activity_chunk(
        self,
        op: _Op,
        operation: Operation,
        wanted: Mapping[int, Any],
        run_id: int | None,
        outcome: _Outcome,
    ) -> None:
        s = op.session
        # The lock order: all the chunk's records, in id order, before the
        # first activity locks one (and its follow-ups).
        concurrency.lock_records(s, wanted)
        owner = aliased(m.User)
        rows = {
            r[0]: r
            for r in s.execute(
                select(m.Record.id, m.Record.name, m.Record.owner_id, owner.team_id)
                .outerjoin(owner, owner.id == m.Record.owner_id)
                .where(m.Record.id.in_(list(wanted)))
            )
        }
        memberships: dict[int, m.CampaignMembership] = {}
        status_name = ""
        if isinstance(operation, ChangeStatus):
            memberships = {
                ms.record_id: ms
                for ms in s.scalars(
                    select(m.CampaignMembership).where(
                        m.CampaignMembership.campaign_id == operation.campaign_id,
                        m.CampaignMembership.record_id.in_(list(wanted)),
                    )
                )
            }
            status = s.get(m.CampaignStatus, operation.status_id)
            status_name = status.name if status else "?"
        rights = RowRights.of(op)
        writer = Writer(
            s, op.uow, operation=f"bulk_{operation.name}", user_id=op.actor.id, now=op.now
        )
        for rid, expected in wanted.items():
            row = rows.get(rid)
            label = row.name if row else f"#{rid}"
            membership = memberships.get(rid)
            try:
                if row is None:
                    raise DomainError(Rule.NOT_FOUND, what_de="Datensatz", what_en="Record", id=rid)
                rights.check((Module.BULK_EDIT,), row.owner_id, row.team_id)
                before: dict[str, Any] = {}
                if isinstance(operation, ChangeStatus):
                    seen = membership.version if membership is not None else None
                    outcome.versions[rid] = seen
                    if expected is not _NO_CHECK and expected != seen:
                        if membership is None:
                            raise DomainError(
                                Rule.STALE,
                                what_de="Kampagnenstatus",
                                what_en="Campaign status",
                                id=rid,
                            )
                        raise concurrency.stale_error(
                            s,
                            "campaign_membership",
                            membership.id,
                            expected_version=expected,
                            zone=op.actor.time_zone,
                        )
                    if membership is not None and membership.status_id == operation.status_id:
                        outcome.unchanged.append(rid)
                        continue
                    if membership is not None:
                        before = {"status_id": membership.status_id, "since": membership.since}
                else:
                    outcome.versions[rid] = None
                cmd = self._log_command(operation, rid, row.owner_id, status_name)
                created, updated = self._log_one(op, cmd)
            except DomainError as error:
                outcome.refused.append(Refusal.of(rid, label, error))
                continue
            change_after: dict[str, Any] = {"activity": cmd.subject}
            change_before: dict[str, Any] = {}
            if isinstance(operation, ChangeStatus):
                change_before["status_id"] = before.get("status_id")
                change_after["status_id"] = operation.status_id
            if cmd.next_follow_up is not None:
                change_after["follow_up"] = cmd.next_follow_up.due_date
            outcome.changes.append(RowChange(rid, label, change_before, change_after))
            if run_id is not None:
                self._journal_logged(writer, run_id, rid, created, updated, before)
        writer.flush()

    def _log_command(
        self, operation: Operation, record_id: int, owner_id: int | None, status_name: str
    ) -> LogActivity:
        if isinstance(operation, LogActivityForEach):
            nf = operation.next_follow_up
            if nf is not None and operation.follow_up_for_owner and owner_id is not None:
                nf = replace(nf, assignee_id=owner_id)
            return LogActivity(
                record_id=record_id,
                subject=operation.subject,
                text=operation.text,
                type_id=operation.type_id,
                next_follow_up=nf,
            )
        assert isinstance(operation, ChangeStatus)
        return LogActivity(
            record_id=record_id,
            subject=operation.subject.strip() or f"Status „{status_name}“",
            text=operation.text,
            type_id=operation.type_id,
            status_changes={operation.campaign_id: operation.status_id},
            next_follow_up=operation.next_follow_up,
        )

    def _log_one(
        self, op: _Op, cmd: LogActivity
    ) -> tuple[dict[Entity, set[int]], dict[Entity, set[int]]]:
        """``_log_activity`` in a savepoint; the ids it created and updated.

        A refusal rolls the savepoint back. ``_log_activity`` refuses before it
        writes, so nothing of a refused row reached the audit trail; should a
        refusal ever come after a write, the whole chunk is refused instead.
        """
        uow = op.uow
        created_before = {e: set(v) for e, v in uow.created.items()}
        updated_before = {e: set(v) for e, v in uow.updated.items()}
        sizes = (sum(map(len, uow.created.values())), sum(map(len, uow.updated.values())))
        try:
            with op.session.begin_nested():
                self.ctl._log_activity(op, cmd)
        except DomainError:
            after = (sum(map(len, uow.created.values())), sum(map(len, uow.updated.values())))
            if after != sizes:
                raise RuntimeError("refusal after a write; chunk rolled back") from None
            raise
        created = {e: v - created_before.get(e, set()) for e, v in uow.created.items()}
        updated = {e: v - updated_before.get(e, set()) for e, v in uow.updated.items()}
        return created, updated

    @staticmethod
    def _journal_logged(
        writer: Writer,
        run_id: int,
        record_id: int,
        created: dict[Entity, set[int]],
        updated: dict[Entity, set[int]],
        membership_before: dict[str, Any],
    ) -> None:
        s = writer.session
        for activity_id in created.get(Entity.ACTIVITY, ()):
            writer.journal_created(run_id, record_id, "activity", activity_id)
        for sc_id in created.get(Entity.STATUS_CHANGE, ()):
            writer.journal_created(run_id, record_id, "status_change", sc_id)
        for fu_id in created.get(Entity.FOLLOW_UP, ()):
            version = s.scalar(select(m.FollowUp.version).where(m.FollowUp.id == fu_id))
            writer.journal_created(run_id, record_id, "follow_up", fu_id, version_after=version)
        for ms_id in created.get(Entity.MEMBERSHIP, ()):
            version = s.scalar(
                select(m.CampaignMembership.version).where(m.CampaignMembership.id == ms_id)
            )
            writer.journal_created(
                run_id, record_id, "campaign_membership", ms_id, version_after=version
            )
        for ms_id in updated.get(Entity.MEMBERSHIP, set()) - created.get(Entity.MEMBERSHIP, set()):
            ms = s.get(m.CampaignMembership, ms_id)
            assert ms is not None
            writer.journal_update(
                run_id,
                record_id,
                "campaign_membership",
                ms_id,
                membership_before,
                {"status_id": ms.status_id, "since": ms.since},
                ms.version,
            )
