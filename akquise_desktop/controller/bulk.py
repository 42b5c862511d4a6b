"""Bulk editing (Massenbearbeitung) on a selection or a search result.

An operation (:class:`SetOwner`, :class:`ShiftDueDates`, :class:`ChangeStatus`,
...) is applied to a list of ids by :class:`BulkEditor`:

* ``preview`` tells how many rows would change, which are refused and why,
  and the values before and after — without writing anything;
* ``run`` writes in chunks of ``chunk_size`` rows (default per backend: 1,000
  on SQLite, 5,000 on PostgreSQL), one transaction each, with
  a progress callback and a :class:`CancelToken`. A cancelled run keeps the
  chunks already written and reports the rows it did not reach; it can be
  undone like a finished one. Chunks keep SQLite's single write lock short, so
  colleagues can save in between;
* ``undo`` reverts a run as one step (one transaction): every journaled change
  whose row still has the version the run left is restored; a row changed
  since is left alone and reported.

Each row is checked like a single change: the role group's bulk right
(``Module.BULK_EDIT``) and the module right, both with their scope on the
row's record; the row's version when the caller passes the versions it
showed (``BulkPreview.versions``); the chain rules. A refused row is listed
with its reason and does not stop the others. Activity-based operations
(:class:`LogActivityForEach`, :class:`ChangeStatus`) go through the
controller's own ``_log_activity``, so they are checked exactly like the
activity mask; every status change is carried by an activity (rule 5).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module, Scope
from akquise_desktop.storage import Database

from . import concurrency
from .base import RIGHT_NAMES, _Op, clean_text
from .bulk_rows import (
    RowUpdate,
    Writer,
    batches,
    from_json,
    refresh_derived,
    table_of,
)
from .commands import UNSET, LogActivity, NextFollowUp, _Unset
from .controller import Controller

# Rows per transaction: SQLite has one writer for the whole file, so its
# chunks stay short (colleagues' saves wait at most one chunk); PostgreSQL
# locks rows only, so fewer, larger chunks cost less.
CHUNK_SIZE_SQLITE = 1000
CHUNK_SIZE_POSTGRESQL = 5000
MAX_SHIFT_DAYS = 3650
ProgressFn = Callable[[int, int], None]


class CancelToken:
    """Set from any thread (the cancel button); checked between chunks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A row left unchanged, with the reason (the refusal's message)."""

    target_id: int
    label: str
    rule_id: str
    message_de: str
    message_en: str

    def message(self, lang: str = "de") -> str:
        return self.message_de if lang == "de" else self.message_en

    @classmethod
    def of(cls, target_id: int, label: str, error: DomainError) -> Refusal:
        return cls(target_id, label, error.rule_id, error.message_de, error.message_en)


@dataclass(frozen=True)
class RowChange:
    """One row of the preview table: the fields that change, before and after."""

    target_id: int
    label: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


@dataclass(frozen=True)
class BulkPreview:
    operation: str
    total: int
    changes: tuple[RowChange, ...]
    unchanged: tuple[int, ...]
    refused: tuple[Refusal, ...]
    # Target id -> the version the preview saw; pass to ``run`` so rows changed
    # meanwhile are skipped and reported instead of overwritten.
    versions: Mapping[int, int | None]

    @property
    def changing(self) -> int:
        return len(self.changes)


@dataclass(frozen=True)
class BulkResult:
    run_id: int | None
    operation: str
    total: int
    changed: tuple[int, ...]
    unchanged: tuple[int, ...]
    refused: tuple[Refusal, ...]
    not_reached: tuple[int, ...]  # rows after a cancel
    cancelled: bool
    summary: ChangeSummary


@dataclass(frozen=True)
class UndoResult:
    run_id: int
    restored: tuple[int, ...]  # target ids
    refused: tuple[Refusal, ...]
    summary: ChangeSummary


@dataclass(frozen=True)
class BulkRunInfo:
    id: int
    operation: str
    params: Mapping[str, Any]
    state: str
    total: int
    changed: int
    refused: int
    created_at: datetime
    undone_at: datetime | None
    undo_refused: int


# --- operations ------------------------------------------------------------------------


class Operation:
    """Base of the bulk operations (immutable dataclasses)."""

    name: ClassVar[str]
    target: ClassVar[str]  # "record" or "follow_up"

    def params(self) -> dict[str, Any]:
        from .unit_of_work import jsonable

        return {k: jsonable(v) for k, v in vars(self).items() if not isinstance(v, _Unset)}


@dataclass(frozen=True)
class SetOwner(Operation):
    """Records: a new account manager (inside the actor's records scope)."""

    owner_id: int
    name: ClassVar[str] = "set_owner"
    target: ClassVar[str] = "record"


@dataclass(frozen=True)
class SetAssignee(Operation):
    """Follow-ups: a new assigned user."""

    assignee_id: int
    name: ClassVar[str] = "set_assignee"
    target: ClassVar[str] = "follow_up"


@dataclass(frozen=True)
class ShiftDueDates(Operation):
    """Follow-ups: due date plus ``days`` (negative: earlier)."""

    days: int
    name: ClassVar[str] = "shift_due_dates"
    target: ClassVar[str] = "follow_up"


@dataclass(frozen=True)
class SetDueDate(Operation):
    """Follow-ups: one due date (and, if given, time; None = all day)."""

    due_date: date
    due_time: time | _Unset | None = UNSET
    name: ClassVar[str] = "set_due_date"
    target: ClassVar[str] = "follow_up"


@dataclass(frozen=True)
class SetPriority(Operation):
    priority: int
    name: ClassVar[str] = "set_priority"
    target: ClassVar[str] = "follow_up"


@dataclass(frozen=True)
class SetInstruction(Operation):
    instruction: str
    name: ClassVar[str] = "set_instruction"
    target: ClassVar[str] = "follow_up"


@dataclass(frozen=True)
class LogActivityForEach(Operation):
    """Records: the same activity and next follow-up for each record.
    ``follow_up_for_owner``: the follow-up goes to each record's owner."""

    subject: str
    text: str = ""
    type_id: int | None = None
    next_follow_up: NextFollowUp | None = None
    follow_up_for_owner: bool = False
    name: ClassVar[str] = "log_activity"
    target: ClassVar[str] = "record"

    def params(self) -> dict[str, Any]:
        nf = self.next_follow_up
        return {
            "subject": self.subject,
            "text": self.text,
            "type_id": self.type_id,
            "next_follow_up": nf.due_date.isoformat() if nf else None,
            "follow_up_for_owner": self.follow_up_for_owner,
        }


@dataclass(frozen=True)
class ChangeStatus(Operation):
    """Records: a new status in one campaign, carried by an activity (rule 5)
    that says why (``subject``/``text``); the allowed next statuses and the
    chain policies apply per record, as in the activity mask."""

    campaign_id: int
    status_id: int
    subject: str = ""
    text: str = ""
    type_id: int | None = None
    next_follow_up: NextFollowUp | None = None
    name: ClassVar[str] = "change_status"
    target: ClassVar[str] = "record"

    def params(self) -> dict[str, Any]:
        nf = self.next_follow_up
        return {
            "campaign_id": self.campaign_id,
            "status_id": self.status_id,
            "subject": self.subject,
            "text": self.text,
            "next_follow_up": nf.due_date.isoformat() if nf else None,
        }


@dataclass(frozen=True)
class PlannedFollowUpValues(Operation):
    """Follow-ups: per-row new values worked out beforehand (rebooking)."""

    values: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    description: Mapping[str, Any] = field(default_factory=dict)
    name: ClassVar[str] = "rebook"
    target: ClassVar[str] = "follow_up"

    def params(self) -> dict[str, Any]:
        return dict(self.description)


OPERATION_TARGET = {
    cls.name: cls.target
    for cls in (
        SetOwner,
        SetAssignee,
        ShiftDueDates,
        SetDueDate,
        SetPriority,
        SetInstruction,
        LogActivityForEach,
        ChangeStatus,
        PlannedFollowUpValues,
    )
}
FOLLOW_UP_FIELDS = ("assignee_id", "due_date", "due_time", "priority", "instruction")


@dataclass(frozen=True)
class RowRights:
    """``Controller._require`` for rows already loaded with their record's
    owner and the owner's team; the role group's scopes are read once."""

    actor_id: int
    team_id: int | None
    group: str
    scopes: Mapping[Module, Scope]
    _seen: dict[Any, Module | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, op: _Op) -> RowRights:
        group = op.actor.role_group
        scopes = {module: group.scope(module) for module in Module}
        return cls(op.actor.id, op.actor.team_id, group.name, scopes)

    def allows(self, module: Module, owner_id: int | None, owner_team: int | None) -> bool:
        scope = self.scopes[module]
        if scope is Scope.NONE:
            return False
        if scope is Scope.ALL or owner_id == self.actor_id:
            return True
        if scope is Scope.OWN:
            return False
        return self.team_id is not None and owner_id is not None and owner_team == self.team_id

    def check(
        self, modules: tuple[Module, ...], owner_id: int | None, owner_team: int | None
    ) -> None:
        """Raise ``NO_RIGHT`` for the first module not granted on this row."""
        key = (modules, owner_id, owner_team)
        if key not in self._seen:  # few distinct owners: decided once per owner
            self._seen[key] = next(
                (x for x in modules if not self.allows(x, owner_id, owner_team)), None
            )
        missing = self._seen[key]
        if missing is not None:
            raise DomainError(Rule.NO_RIGHT, group=self.group, right=RIGHT_NAMES[missing])


# --- the editor --------------------------------------------------------------------------


class _DryRun(Exception):
    """Raised to roll a preview's transaction back."""


_NO_CHECK = object()


@dataclass
class _Outcome:
    changes: list[RowChange] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    versions: dict[int, int | None] = field(default_factory=dict)

    def clear(self) -> None:
        self.changes.clear()
        self.unchanged.clear()
        self.refused.clear()
        self.versions.clear()


# A follow-up row as ``_load_follow_ups`` reads it (a SQLAlchemy Row with the
# attributes id, version, state, record_id, assignee_id, due_date, due_time,
# priority, instruction, recurrence, occurrence, series_start_date,
# record_name, owner_id, owner_team_id, source_occurred_at).
_FollowUpRow = Any


class BulkEditor:
    """Bulk operations on behalf of the controller's user."""

    def __init__(self, controller: Controller) -> None:
        self.ctl = controller

    @property
    def chunk_size(self) -> int:
        return CHUNK_SIZE_SQLITE if self.ctl.db.is_sqlite else CHUNK_SIZE_POSTGRESQL

    # --- public API ---------------------------------------------------------------

    def preview(
        self,
        operation: Operation,
        targets: Sequence[int] | Mapping[int, int | None],
        *,
        chunk_size: int | None = None,
    ) -> BulkPreview:
        """What ``run`` would do now; writes nothing."""
        wanted = _targets(targets)
        total = _Outcome()
        ids = list(wanted)
        for chunk in batches(ids, chunk_size or self.chunk_size):
            outcome = _Outcome()
            if operation.target == "follow_up" or isinstance(operation, SetOwner):
                # Field changes are worked out from a read; nothing to roll back.
                with read_op(self.ctl) as op:
                    self._check_operation(op, operation)
                    self._chunk(op, operation, {i: wanted[i] for i in chunk}, None, outcome)
            else:
                # Activities: the controller's own checks, in a transaction
                # that is rolled back.
                def dry_run(chunk: Sequence[int] = chunk) -> _Outcome:
                    outcome = _Outcome()
                    try:
                        with self.ctl._operation(f"bulk_{operation.name}") as op:
                            self._check_operation(op, operation)
                            self._chunk(op, operation, {i: wanted[i] for i in chunk}, None, outcome)
                            raise _DryRun
                    except _DryRun:
                        pass
                    return outcome

                outcome = self.ctl._attempts(dry_run)
            _merge(total, outcome)
        return BulkPreview(
            operation=operation.name,
            total=len(ids),
            changes=tuple(total.changes),
            unchanged=tuple(total.unchanged),
            refused=tuple(total.refused),
            versions=dict(total.versions),
        )

    def run(
        self,
        operation: Operation,
        targets: Sequence[int] | Mapping[int, int | None],
        *,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
        chunk_size: int | None = None,
    ) -> BulkResult:
        """Apply ``operation`` to ``targets`` (ids, or id -> expected version)."""
        wanted = _targets(targets)
        ids = list(wanted)
        run_id: int | None = None
        total = _Outcome()
        summary = ChangeSummary()
        done = 0
        cancelled = False
        if progress:
            progress(0, len(ids))
        chunks = list(batches(ids, chunk_size or self.chunk_size)) or [[]]
        try:
            for index, chunk in enumerate(chunks):
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    break
                outcome = _Outcome()

                def body(
                    op: _Op,
                    chunk: Sequence[int] = chunk,
                    outcome: _Outcome = outcome,
                    final: bool = index == len(chunks) - 1,
                    run_before: int | None = run_id,
                ) -> int | None:
                    nonlocal run_id
                    # A retried attempt starts from where the chunk started.
                    run_id = run_before
                    outcome.clear()
                    self._check_operation(op, operation)
                    if run_id is None and chunk:
                        run_id = self._start_run(op, operation, len(ids))
                    self._chunk(op, operation, {i: wanted[i] for i in chunk}, run_id, outcome)
                    if run_id is not None:
                        self._count_run(op, run_id, outcome, finished=final)
                    return run_id

                summary = summary.merged(self.ctl._run(f"bulk_{operation.name}", body))
                _merge(total, outcome)
                done += len(chunk)
                if progress:
                    progress(done, len(ids))
        except BaseException:
            if run_id is not None:
                self._end_run(run_id, m.BulkRunState.FAILED)
            raise
        not_reached = tuple(ids[done:])
        if cancelled and run_id is not None:
            self._end_run(run_id, m.BulkRunState.CANCELLED)
        return BulkResult(
            run_id=run_id,
            operation=operation.name,
            total=len(ids),
            changed=tuple(c.target_id for c in total.changes),
            unchanged=tuple(total.unchanged),
            refused=tuple(total.refused),
            not_reached=not_reached,
            cancelled=cancelled,
            summary=summary,
        )

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

    # --- the run journal -------------------------------------------------------------

    @staticmethod
    def _start_run(op: _Op, operation: Operation, total: int) -> int:
        run = m.BulkRun(
            user_id=op.actor.id,
            operation=operation.name,
            params=operation.params(),
            state=m.BulkRunState.RUNNING,
            total=total,
            changed=0,
            refused=0,
            undo_refused=0,
            created_at=op.now,
        )
        op.session.add(run)
        op.session.flush()
        return run.id

    @staticmethod
    def _count_run(op: _Op, run_id: int, outcome: _Outcome, *, finished: bool) -> None:
        run = op.session.get(m.BulkRun, run_id)
        assert run is not None
        run.changed += len(outcome.changes)
        run.refused += len(outcome.refused)
        if finished:
            run.state = m.BulkRunState.DONE
            run.finished_at = op.now

    def _end_run(self, run_id: int, state: m.BulkRunState) -> None:
        with self.ctl.db.write() as s:
            run = s.get(m.BulkRun, run_id)
            if run is not None and run.state == m.BulkRunState.RUNNING:
                run.state = state
                run.finished_at = self.ctl.clock.now()

    # --- checks -----------------------------------------------------------------------

    def _require_bulk(self, op: _Op) -> None:
        if op.actor.role_group.scope(Module.BULK_EDIT) is Scope.NONE:
            raise DomainError(
                Rule.NO_RIGHT,
                group=op.actor.role_group.name,
                right=RIGHT_NAMES[Module.BULK_EDIT],
            )

    def _check_operation(self, op: _Op, operation: Operation) -> None:
        """Whole-run checks: the bulk right and the operation's parameters.
        A failure refuses the run; nothing is written."""
        self._require_bulk(op)
        s = op.session
        if isinstance(operation, SetOwner):
            self.ctl._require_owner_in_scope(op, operation.owner_id)
        elif isinstance(operation, SetAssignee):
            self.ctl._active_user(s, operation.assignee_id)
        elif isinstance(operation, ShiftDueDates):
            if not -MAX_SHIFT_DAYS <= operation.days <= MAX_SHIFT_DAYS:
                raise DomainError(
                    Rule.INVALID_VALUE,
                    value=operation.days,
                    field_de="Verschiebung (Tage)",
                    field_en="shift (days)",
                )
        elif isinstance(operation, SetPriority):
            if operation.priority not in {p.value for p in m.Priority}:
                raise DomainError(
                    Rule.INVALID_VALUE,
                    value=operation.priority,
                    field_de="Priorität",
                    field_en="priority",
                )
        elif isinstance(operation, SetInstruction):
            clean_text("instruction", operation.instruction)
        elif isinstance(operation, LogActivityForEach):
            clean_text("subject", operation.subject, required=True)
            clean_text("text", operation.text)
        elif isinstance(operation, ChangeStatus):
            campaign = self.ctl._get(s, m.Campaign, operation.campaign_id)
            status = self.ctl._get(s, m.CampaignStatus, operation.status_id)
            if status.campaign_id != campaign.id:
                raise DomainError(
                    Rule.STATUS_OTHER_CAMPAIGN, status=status.id, campaign=campaign.name
                )
            clean_text("subject", operation.subject)
            clean_text("text", operation.text)
        elif isinstance(operation, PlannedFollowUpValues):
            keys = {k for values in operation.values.values() for k in values}
            unknown = keys - set(FOLLOW_UP_FIELDS)
            if unknown:
                raise DomainError(
                    Rule.INVALID_VALUE,
                    value=", ".join(sorted(unknown)),
                    field_de="Feld",
                    field_en="field",
                )
            assignees = {v["assignee_id"] for v in operation.values.values() if "assignee_id" in v}
            for assignee_id in sorted(assignees):
                self.ctl._active_user(s, assignee_id)
        elif not isinstance(operation, SetDueDate):
            raise TypeError(f"unknown bulk operation {operation!r}")

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
        labels = self._labels(by_target)
        for target_id, changes in by_target.items():
            conflict = self._conflict(changes, current, blocked)
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
        for table_name in ("follow_up", "status_change", "campaign_membership", "activity"):
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
                for aid in (aid_source, aid_done):
                    if aid in activities:
                        blocked[aid] = _stale(s, "activity", aid)
        return blocked

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


# --- helpers -----------------------------------------------------------------------------


@contextmanager
def read_op(ctl: Controller) -> Iterator[_Op]:
    """A read-only stand-in for the controller's operation frame (previews):
    the acting user, a read session, the controller's clock; no unit of work."""
    with ctl.db.read() as session:
        actor = session.get(m.User, ctl.user_id)
        if actor is None or not actor.active:
            raise DomainError(Rule.UNKNOWN_USER, user=ctl.user_id)
        yield _Op(session, actor, None, ctl.clock.now())  # type: ignore[arg-type]


def _targets(targets: Sequence[int] | Mapping[int, int | None]) -> dict[int, Any]:
    if isinstance(targets, Mapping):
        return {int(k): v for k, v in targets.items()}
    return dict.fromkeys((int(t) for t in targets), _NO_CHECK)


def _merge(total: _Outcome, part: _Outcome) -> None:
    total.changes.extend(part.changes)
    total.unchanged.extend(part.unchanged)
    total.refused.extend(part.refused)
    total.versions.update(part.versions)


# --- read side ---------------------------------------------------------------------------


def open_follow_up_ids(db: Database, record_ids: Sequence[int]) -> list[int]:
    """The open follow-ups of some records (to shift or reassign them in bulk)."""
    result: list[int] = []
    with db.read() as s:
        for batch in batches(list(record_ids)):
            result.extend(
                s.scalars(
                    select(m.FollowUp.id)
                    .where(
                        m.FollowUp.record_id.in_(batch),
                        m.FollowUp.state == FollowUpState.OPEN,
                    )
                    .order_by(m.FollowUp.due_date, m.FollowUp.id)
                )
            )
    return result


def ids_from_query(session: Session, query: Any) -> list[int]:
    """The ids a search query selects (the "whole current search result")."""
    return list(session.scalars(query))


def recent_runs(db: Database, user_id: int, limit: int = 20) -> list[BulkRunInfo]:
    """A user's latest bulk runs, newest first (for the undo list)."""
    with db.read() as s:
        runs = s.scalars(
            select(m.BulkRun)
            .where(m.BulkRun.user_id == user_id)
            .order_by(m.BulkRun.created_at.desc(), m.BulkRun.id.desc())
            .limit(limit)
        )
        return [
            BulkRunInfo(
                r.id,
                r.operation,
                dict(r.params or {}),
                r.state,
                r.total,
                r.changed,
                r.refused,
                r.created_at,
                r.undone_at,
                r.undo_refused,
            )
            for r in runs
        ]


def _refuse_undone(run: m.BulkRun) -> None:
    if run.state == m.BulkRunState.UNDONE:
        raise DomainError(
            Rule.INVALID_VALUE,
            value=f"#{run.id} ist bereits rückgängig gemacht / already undone",
            field_de="Massenänderung",
            field_en="bulk change",
        )
