"""The bulk editor: preview, run and undo together."""

from __future__ import annotations

from .importing import ImportOps
from .preview import PreviewOps
from .run import RunOps
from .undo import UndoOps


class BulkEditor(PreviewOps, RunOps, UndoOps, ImportOps):
    """Bulk operations on behalf of the controller's user."""
