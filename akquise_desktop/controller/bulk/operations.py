"""What a bulk run is asked and what it answers: the operations
(:class:`SetOwner`, :class:`ShiftDueDates`, :class:`ChangeStatus`, ...), the
preview, result and undo dataclasses, the cancel token and the chunk sizes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar

from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError

from ..commands import UNSET, NextFollowUp, _Unset

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
        from ..unit_of_work import jsonable

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
