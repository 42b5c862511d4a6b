"""Running a bulk operation: chunk by chunk, one transaction each, with
progress and cancel, and the run's journal (:class:`m.BulkRun`) that undo
reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary

from ..base import _Op
from .base import _merge, _Outcome, _targets, start_run
from .chunks import ChunkWork
from .operations import BulkResult, CancelToken, Operation, ProgressFn
from .rows import batches


class RunOps(ChunkWork):
    """``run`` and the run journal."""

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

    # --- the run journal -------------------------------------------------------------

    @staticmethod
    def _start_run(op: _Op, operation: Operation, total: int) -> int:
        return start_run(op, operation.name, operation.params(), total)

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
