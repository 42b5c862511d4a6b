"""Undoing a bulk run as one step: every journaled change whose row still
has the version the run left is restored, created rows are deleted; a row
changed since (or an activity corrected or linked since) is left alone and
reported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule

from .. import concurrency
from ..base import _Op
from .base import EditorBase
from .operations import OPERATION_TARGET, Refusal, UndoResult
from .rows import RowUpdate, Writer, batches, from_json, refresh_derived, table_of


class UndoOps(EditorBase):
    """``undo``."""

    def undo(self, run_id: int) -> UndoResult:
        """Revert a run as one step; rows changed since are left and reported."""
        restored: list[int] = []
        refused: list[Refusal] = []

        def body(op: _Op) -> int:
            restored.clear()
            refused.clear()
            run = _get_run(op, run_id, lock=False)
            if run.user_id != op.actor.id:
                self.ctl._require_admin(
                    op, "Massenänderungen anderer rückgängig machen", "undo other users' bulk runs"
                )
            _refuse_undone(run)
            if run.operation == "import":
                self._require_import(op)
            else:
                self._require_bulk(op)
            undo = _Undo(op, run)
            undo.lock()
            # Locked after the records (the lock order), and read again: a
            # concurrent undo of this run may have finished meanwhile.
            run = _get_run(op, run_id, lock=True)
            _refuse_undone(run)
            undo.apply(restored, refused)
            run.state = m.BulkRunState.UNDONE
            run.undone_at = op.now
            run.undone_by_id = op.actor.id
            run.undo_refused = len(refused)
            return run.id

        summary = self.ctl._run("bulk_undo", body)
        return UndoResult(run_id, tuple(restored), tuple(refused), summary)


# --- undo --------------------------------------------------------------------------------


class _Undo:
    """Restores one run's journal; each target's changes together or not at all."""

    def __init__(self, op: _Op, run: m.BulkRun) -> None:
        self.op = op
        self.run = run
        self.writer = Writer(
            op.session, op.uow, operation="bulk_undo", user_id=op.actor.id, now=op.now
        )

    def _entries(self) -> list[m.BulkChange]:
        return list(
            self.op.session.scalars(
                select(m.BulkChange)
                .where(m.BulkChange.run_id == self.run.id)
                .order_by(m.BulkChange.target_id, m.BulkChange.id)
            )
        )

    def lock(self) -> None:
        """The lock order: every record the run's changes belong to, in id
        order, before any of the rows themselves."""
        records, _ = self._records_of(self._entries())
        concurrency.lock_records(self.op.session, records)

    def apply(self, restored: list[int], refused: list[Refusal]) -> None:
        s = self.op.session
        entries = self._entries()
        by_target: dict[int, list[m.BulkChange]] = {}
        for entry in entries:
            by_target.setdefault(entry.target_id, []).append(entry)
        current = self._current_versions(entries)
        updates: dict[str, list[RowUpdate]] = {}
        deletes: dict[str, list[int]] = {}
        restored_changes: list[m.BulkChange] = []
        created_activities = {e.entity_id for e in entries if e.entity == "activity"}
        created_follow_ups = {
            e.entity_id for e in entries if e.entity == "follow_up" and e.action == "create"
        }
        blocked = self._blocked_activities(created_activities, created_follow_ups)
        grown = self._records_grown(entries)
        labels = self._labels(by_target)
        for target_id, changes in by_target.items():
            conflict = grown.get(target_id) or self._conflict(changes, current, blocked)
            if conflict is not None:
                refused.append(
                    Refusal.of(target_id, labels.get(target_id, f"#{target_id}"), conflict)
                )
                continue
            restored.append(target_id)
            for entry in changes:
                if entry.action == m.BulkChangeAction.CREATE:
                    deletes.setdefault(entry.entity, []).append(entry.entity_id)
                    continue
                table = table_of(entry.entity)
                before = {k: from_json(table, k, v) for k, v in (entry.before or {}).items()}
                after = {k: from_json(table, k, v) for k, v in (entry.after or {}).items()}
                updates.setdefault(entry.entity, []).append(
                    RowUpdate(target_id, entry.entity_id, entry.version_after or 0, after, before)
                )
            restored_changes.extend(changes)
        for table_name, rows in updates.items():
            touch = "updated_at" in table_of(table_name).c
            self.writer.update_versioned(table_name, rows, run_id=None, touch=touch)
        for table_name in (
            "follow_up",
            "status_change",
            "campaign_membership",
            "activity",
            "contact",
            "record",
        ):
            self.writer.delete_rows(table_name, deletes.get(table_name, []))
        self.writer.flush()
        records, activity_records = self._records_of(restored_changes)
        refresh_derived(s, self.op.uow, records - activity_records)
        refresh_derived(s, self.op.uow, activity_records, last_activity=True)

    def _current_versions(self, entries: Sequence[m.BulkChange]) -> dict[tuple[str, int], Any]:
        """(table, id) -> current version (None: the row is gone), rows locked."""
        s = self.op.session
        wanted: dict[str, set[int]] = {}
        for e in entries:
            if e.version_after is not None:
                wanted.setdefault(e.entity, set()).add(e.entity_id)
        found: dict[tuple[str, int], Any] = {}
        for table_name, ids in wanted.items():
            table = table_of(table_name)
            for batch in batches(sorted(ids)):
                stmt = (
                    select(table.c.id, table.c.version)
                    .where(table.c.id.in_(batch))
                    .order_by(table.c.id)
                )
                if s.get_bind().dialect.name != "sqlite":
                    stmt = stmt.with_for_update(key_share=True)
                for rid, version in s.execute(stmt):
                    found[(table_name, rid)] = version
        return found

    def _blocked_activities(
        self, activities: set[int], own_follow_ups: set[int]
    ) -> dict[int, DomainError]:
        """Created activities that may not go: corrected since, or the source or
        completion of a follow-up the run did not create."""
        s = self.op.session
        blocked: dict[int, DomainError] = {}
        for batch in batches(sorted(activities)):
            for aid, corrected in s.execute(
                select(m.Activity.id, m.Activity.corrected_at).where(m.Activity.id.in_(batch))
            ):
                if corrected is not None:
                    blocked[aid] = _stale(s, "activity", aid)
            fu = m.FollowUp
            for aid_source, aid_done, fu_id in s.execute(
                select(fu.source_activity_id, fu.completed_by_activity_id, fu.id).where(
                    (fu.source_activity_id.in_(batch)) | (fu.completed_by_activity_id.in_(batch))
                )
            ):
                if fu_id in own_follow_ups and aid_done is None:
                    continue
                for linked in (aid_source, aid_done):
                    if linked is not None and linked in activities:
                        blocked[linked] = _stale(s, "activity", linked)
        return blocked

    def _records_grown(self, entries: Sequence[m.BulkChange]) -> dict[int, DomainError]:
        """Records the run created (an import) that have rows since that the run
        did not create (a colleague's activity, contact, follow-up): they stay."""
        created: dict[str, set[int]] = {}
        for e in entries:
            if e.action == m.BulkChangeAction.CREATE:
                created.setdefault(e.entity, set()).add(e.entity_id)
        records = sorted(created.get("record", ()))
        grown: dict[int, DomainError] = {}
        if not records:
            return grown
        s = self.op.session
        for table_name in ("contact", "activity", "follow_up", "campaign_membership"):
            table = table_of(table_name)
            own = created.get(table_name, set())
            for batch in batches(records):
                for rid, row_id in s.execute(
                    select(table.c.record_id, table.c.id).where(table.c.record_id.in_(batch))
                ):
                    if row_id not in own and rid not in grown:
                        grown[rid] = _stale(s, table_name, row_id)
        return grown

    def _conflict(
        self,
        changes: Sequence[m.BulkChange],
        current: Mapping[tuple[str, int], Any],
        blocked: Mapping[int, DomainError],
    ) -> DomainError | None:
        for entry in changes:
            if entry.entity == "activity" and entry.entity_id in blocked:
                return blocked[entry.entity_id]
            if entry.version_after is None:
                continue
            if current.get((entry.entity, entry.entity_id)) != entry.version_after:
                return _stale(
                    self.op.session, entry.entity, entry.entity_id, expected=entry.version_after
                )
        return None

    def _records_of(self, changes: Sequence[m.BulkChange]) -> tuple[set[int], set[int]]:
        """The records whose derived columns the restored changes affect, and
        those of them that lost an activity. Created (now deleted) rows belong
        to their target record; updated rows are looked up."""
        s = self.op.session
        records: set[int] = set()
        activity_records: set[int] = set()
        by_table: dict[str, set[int]] = {}
        for entry in changes:
            if entry.entity == "record":
                records.add(entry.entity_id)
            elif entry.action == m.BulkChangeAction.CREATE:
                # Created rows belong to the target record (activity operations).
                records.add(entry.target_id)
                if entry.entity == "activity":
                    activity_records.add(entry.target_id)
            else:
                by_table.setdefault(entry.entity, set()).add(entry.entity_id)
        for table_name, ids in by_table.items():
            table = table_of(table_name)
            for batch in batches(sorted(ids)):
                records.update(s.scalars(select(table.c.record_id).where(table.c.id.in_(batch))))
        return records, activity_records

    def _labels(self, by_target: Mapping[int, Sequence[m.BulkChange]]) -> dict[int, str]:
        s = self.op.session
        labels: dict[int, str] = {}
        ids = sorted(by_target)
        for batch in batches(ids):
            if OPERATION_TARGET.get(self.run.operation) == "follow_up":
                stmt = (
                    select(m.FollowUp.id, m.Record.name)
                    .join(m.Record, m.Record.id == m.FollowUp.record_id)
                    .where(m.FollowUp.id.in_(batch))
                )
            else:
                stmt = select(m.Record.id, m.Record.name).where(m.Record.id.in_(batch))
            labels.update({tid: name for tid, name in s.execute(stmt)})
        return labels


def _stale(
    session: Session, table_name: str, entity_id: int, *, expected: int | None = None
) -> DomainError:
    return concurrency.stale_error(session, table_name, entity_id, expected_version=expected)


def _get_run(op: _Op, run_id: int, *, lock: bool = True) -> m.BulkRun:
    if lock:
        run = op.session.get(m.BulkRun, run_id, with_for_update=True, populate_existing=True)
    else:
        run = op.session.get(m.BulkRun, run_id)
    if run is None:
        raise DomainError(
            Rule.NOT_FOUND, what_de="Massenänderung", what_en="Bulk change", id=run_id
        )
    return run


def _refuse_undone(run: m.BulkRun) -> None:
    if run.state == m.BulkRunState.UNDONE:
        raise DomainError(
            Rule.INVALID_VALUE,
            value=f"#{run.id} ist bereits rückgängig gemacht / already undone",
            field_de="Massenänderung",
            field_en="bulk change",
        )
