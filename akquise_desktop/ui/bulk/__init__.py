"""Massenbearbeitung (bulk editing), as a package; the public names are here.

- :mod:`.dialog` — :class:`BulkDialog`, choosing, previewing and running an operation
- :mod:`.pages` — one page per operation (:class:`OperationPage` and its subclasses,
  :data:`PAGES` by operation key): its inputs, its :class:`Operation`, its words for values
- :mod:`.runner` — :class:`BulkRunner`, a bulk call on the worker with progress and cancel
- :mod:`.runs` — :class:`RecentRunsPanel`, the user's recent runs with undo
- :mod:`.shared` — what the parts share: :class:`BulkTargets`, :class:`NextFollowUpBox`,
  the operation and priority names, error text, date and user-choice helpers
"""

from .dialog import BulkDialog
from .pages import (
    PAGES,
    ChangeStatusPage,
    LogActivityPage,
    OperationPage,
    SetAssigneePage,
    SetDueDatePage,
    SetInstructionPage,
    SetOwnerPage,
    SetPriorityPage,
    ShiftDueDatesPage,
)
from .runner import BulkRunner
from .runs import RecentRunsPanel
from .shared import (
    FINAL_ROLE,
    FOLLOW_UP,
    PREVIEW_ROWS,
    RECORD,
    BulkTargets,
    NextFollowUpBox,
    date_format,
    error_text,
    fill_users,
    operation_names,
    priority_names,
    qdate,
)

__all__ = [
    "FINAL_ROLE",
    "FOLLOW_UP",
    "PAGES",
    "PREVIEW_ROWS",
    "RECORD",
    "BulkDialog",
    "BulkRunner",
    "BulkTargets",
    "ChangeStatusPage",
    "LogActivityPage",
    "NextFollowUpBox",
    "OperationPage",
    "RecentRunsPanel",
    "SetAssigneePage",
    "SetDueDatePage",
    "SetInstructionPage",
    "SetOwnerPage",
    "SetPriorityPage",
    "ShiftDueDatesPage",
    "date_format",
    "error_text",
    "fill_users",
    "operation_names",
    "priority_names",
    "qdate",
]
