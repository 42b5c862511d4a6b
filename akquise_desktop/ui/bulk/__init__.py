"""Massenbearbeitung (bulk editing), as a package; the public names are here.

- :mod:`.dialog` — :class:`BulkDialog`, choosing, previewing and running an operation
- :mod:`.runner` — :class:`BulkRunner`, a bulk call on the worker with progress and cancel
- :mod:`.runs` — :class:`RecentRunsPanel`, the user's recent runs with undo
- :mod:`.shared` — what the parts share: :class:`BulkTargets`, :class:`NextFollowUpBox`,
  the operation and priority names, error text, date and user-choice helpers
"""

from .dialog import BulkDialog
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
    "PREVIEW_ROWS",
    "RECORD",
    "BulkDialog",
    "BulkRunner",
    "BulkTargets",
    "NextFollowUpBox",
    "RecentRunsPanel",
    "date_format",
    "error_text",
    "fill_users",
    "operation_names",
    "priority_names",
    "qdate",
]
