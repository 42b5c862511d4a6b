"""The preview (plan) of a bulk run: how many rows would change, which are
refused and why, the values before and after, the versions seen; nothing is
written (activities are tried in a transaction that is rolled back)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .base import _merge, _Outcome, _targets, read_op
from .chunks import ChunkWork
from .operations import BulkPreview, Operation, SetOwner
from .rows import batches


class _DryRun(Exception):
    """Raised to roll a preview's transaction back."""


class PreviewOps(ChunkWork):
    """``preview``: what ``run`` would do now."""

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
