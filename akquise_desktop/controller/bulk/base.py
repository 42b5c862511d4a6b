"""The bulk editor's base: the controller it works for, the chunk size,
the whole-run checks (the bulk right, the operation's parameters), the
per-row rights (:class:`RowRights`), a chunk's outcome, and the read-only
frame of a preview (:func:`read_op`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope

from ..base import RIGHT_NAMES, _Op, clean_text
from ..controller import Controller
from .operations import (
    CHUNK_SIZE_POSTGRESQL,
    CHUNK_SIZE_SQLITE,
    FOLLOW_UP_FIELDS,
    MAX_SHIFT_DAYS,
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


class EditorBase:
    """The controller, the chunk size and the whole-run checks."""

    def __init__(self, controller: Controller) -> None:
        self.ctl = controller

    @property
    def chunk_size(self) -> int:
        return CHUNK_SIZE_SQLITE if self.ctl.db.is_sqlite else CHUNK_SIZE_POSTGRESQL

    # --- checks -----------------------------------------------------------------------

    def _require_bulk(self, op: _Op) -> None:
        if op.actor.role_group.scope(Module.BULK_EDIT) is Scope.NONE:
            raise DomainError(
                Rule.NO_RIGHT,
                group=op.actor.role_group.name,
                right=RIGHT_NAMES[Module.BULK_EDIT],
            )

    def _require_import(self, op: _Op) -> None:
        if op.actor.role_group.scope(Module.IMPORT_EXPORT) is Scope.NONE:
            raise DomainError(
                Rule.NO_RIGHT,
                group=op.actor.role_group.name,
                right=RIGHT_NAMES[Module.IMPORT_EXPORT],
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


def start_run(op: _Op, operation: str, params: dict[str, Any], total: int) -> int:
    """Open a bulk run's journal (:class:`m.BulkRun`, running, nothing counted
    yet); its id."""
    run = m.BulkRun(
        user_id=op.actor.id,
        operation=operation,
        params=params,
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


def _targets(targets: Sequence[int] | Mapping[int, int | None]) -> dict[int, Any]:
    if isinstance(targets, Mapping):
        return {int(k): v for k, v in targets.items()}
    return dict.fromkeys((int(t) for t in targets), _NO_CHECK)


def _merge(total: _Outcome, part: _Outcome) -> None:
    total.changes.extend(part.changes)
    total.unchanged.extend(part.unchanged)
    total.refused.extend(part.refused)
    total.versions.update(part.versions)
