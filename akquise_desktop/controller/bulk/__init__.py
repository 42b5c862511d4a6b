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

Where it lives: the operations and the preview/result dataclasses in
:mod:`.operations`; :class:`BulkEditor` (:mod:`.editor`) is made of the
preview (:mod:`.preview`), the run and its journal (:mod:`.run`) and the undo
(:mod:`.undo`), over the work of one chunk (:mod:`.chunks`) and the editor's
base (:mod:`.base`: whole-run checks, per-row rights); the set-based writes in
:mod:`.rows`; the ids to work on and the latest runs in :mod:`.reads`.
"""

from __future__ import annotations

from ..commands import UNSET
from .base import RowRights, read_op
from .editor import BulkEditor
from .operations import (
    CHUNK_SIZE_POSTGRESQL,
    CHUNK_SIZE_SQLITE,
    FOLLOW_UP_FIELDS,
    MAX_SHIFT_DAYS,
    OPERATION_TARGET,
    BulkPreview,
    BulkResult,
    BulkRunInfo,
    CancelToken,
    ChangeStatus,
    LogActivityForEach,
    Operation,
    PlannedFollowUpValues,
    ProgressFn,
    Refusal,
    RowChange,
    SetAssignee,
    SetDueDate,
    SetInstruction,
    SetOwner,
    SetPriority,
    ShiftDueDates,
    UndoResult,
)
from .reads import ids_from_query, open_follow_up_ids, recent_runs

__all__ = [
    "CHUNK_SIZE_POSTGRESQL",
    "CHUNK_SIZE_SQLITE",
    "FOLLOW_UP_FIELDS",
    "MAX_SHIFT_DAYS",
    "OPERATION_TARGET",
    "UNSET",
    "BulkEditor",
    "BulkPreview",
    "BulkResult",
    "BulkRunInfo",
    "CancelToken",
    "ChangeStatus",
    "LogActivityForEach",
    "Operation",
    "PlannedFollowUpValues",
    "ProgressFn",
    "Refusal",
    "RowChange",
    "RowRights",
    "SetAssignee",
    "SetDueDate",
    "SetInstruction",
    "SetOwner",
    "SetPriority",
    "ShiftDueDates",
    "UndoResult",
    "ids_from_query",
    "open_follow_up_ids",
    "read_op",
    "recent_runs",
]
