"""Follow-ups on their own: create one (rule 3: from an activity, or
without one where the role group allows it), reschedule, reassign or
re-prioritise an open one, cancel one (not if that leaves a dead record).
Also the checks and the making of a new follow-up and of a recurring
series' next occurrence, which the activity chain (:mod:`.chain`) uses."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core import holidays_calendar, policies, recurrence
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module

from . import concurrency
from .base import ControllerBase, _field, _Op, _zone, clean_text
from .commands import UNSET, NextFollowUp, _Unset
from .settings import settings_row


class FollowUpOps(ControllerBase):
    """Follow-ups: making and checking one, and the calls on one alone."""

    def _check_next_follow_up(self, s: Session, nf: NextFollowUp, not_before: date) -> None:
        if nf.due_date < not_before:
            raise DomainError(
                Rule.DUE_BEFORE_ACTIVITY,
                due=nf.due_date.isoformat(),
                activity=not_before.isoformat(),
            )
        assignee = self._active_user(s, nf.assignee_id or self.user_id)
        if nf.priority not in {p.value for p in m.Priority}:
            raise DomainError(Rule.INVALID_VALUE, value=nf.priority, **_field("priority"))
        clean_text("instruction", nf.instruction)
        if nf.recurrence:
            if not settings_row(s).recurring_follow_ups:
                raise DomainError(Rule.RECURRENCE_OFF)
            recurrence.validate(nf.recurrence, nf.due_date, nf.due_time, zone=assignee.time_zone)
            if nf.recurrence_shift:
                holidays_calendar.normalize_region(nf.recurrence_shift)

    def _new_follow_up(
        self, op: _Op, record: m.Record, nf: NextFollowUp, source_activity_id: int | None
    ) -> m.FollowUp:
        # Checked by _check_next_follow_up before.
        assignee = self._active_user(op.session, nf.assignee_id or op.actor.id)
        rule = recurrence.normalize(nf.recurrence) if nf.recurrence else None
        return m.FollowUp(
            record_id=record.id,
            assignee_id=assignee.id,
            created_by_id=op.actor.id,
            due_date=nf.due_date,
            due_time=nf.due_time,
            time_zone=assignee.time_zone,
            priority=int(nf.priority),
            instruction=clean_text("instruction", nf.instruction) or "",
            source_activity_id=source_activity_id,
            recurrence=rule,
            recurrence_anchor=m.RecurrenceAnchor(nf.recurrence_anchor).value,
            recurrence_shift=(
                holidays_calendar.normalize_region(nf.recurrence_shift)
                if rule and nf.recurrence_shift
                else None
            ),
            series_start_date=nf.due_date if rule else None,
            occurrence=1,
            created_at=op.now,
            updated_at=op.now,
        )

    @staticmethod
    def _next_occurrence(fu: m.FollowUp, completed_on: date) -> date | None:
        if not fu.recurrence:
            return None
        from_completion = fu.recurrence_anchor == m.RecurrenceAnchor.COMPLETION
        return recurrence.next_occurrence(
            fu.recurrence,
            series_start=fu.series_start_date or fu.due_date,
            due=fu.due_date,
            at=fu.due_time,
            occurrence=fu.occurrence,
            from_completion=completed_on if from_completion else None,
            shift=fu.recurrence_shift,
            zone=fu.time_zone,
        )

    def create_follow_up(
        self, record_id: int, follow_up: NextFollowUp, *, source_activity_id: int | None = None
    ) -> ChangeSummary:
        """A follow-up on its own: from an existing activity (rule 3), or, where
        the role group allows it, without one."""

        def body(op: _Op) -> int:
            s = op.session
            record = self._get(s, m.Record, record_id, lock=True)
            self._require(op, Module.ACTIVITIES, record)
            if source_activity_id is None:
                if policies.follow_up_needs_activity(
                    policy_on=op.actor.role_group.follow_up_requires_activity,
                    source_activity_given=False,
                ):
                    raise DomainError(Rule.FOLLOW_UP_REQUIRES_ACTIVITY)
                not_before = op.now.astimezone(_zone(op.actor.time_zone)).date()
            else:
                source = self._get(s, m.Activity, source_activity_id)
                if source.record_id != record.id:
                    raise DomainError(
                        Rule.NOT_FOUND,
                        what_de="Aktivität",
                        what_en="Activity",
                        id=source_activity_id,
                    )
                not_before = source.occurred_at.astimezone(_zone(op.actor.time_zone)).date()
            self._check_next_follow_up(s, follow_up, not_before)
            fu = self._new_follow_up(op, record, follow_up, source_activity_id)
            s.add(fu)
            s.flush()
            self._refresh_derived(op, record.id)
            return fu.id

        return self._run("create_follow_up", body)

    def update_follow_up(
        self,
        follow_up_id: int,
        *,
        expected_version: int,
        due_date: date | _Unset = UNSET,
        due_time: time | _Unset | None = UNSET,
        assignee_id: int | _Unset = UNSET,
        priority: m.Priority | _Unset = UNSET,
        instruction: str | _Unset = UNSET,
    ) -> ChangeSummary:
        """Reschedule, reassign, re-prioritise an open follow-up."""

        def body(op: _Op) -> int:
            s = op.session
            concurrency.lock_record_of(s, m.FollowUp.__table__, follow_up_id)
            fu = self._get(s, m.FollowUp, follow_up_id, lock=True)
            self._require(op, Module.ACTIVITIES, fu.record)
            self._check_version(fu, expected_version, op)
            if fu.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu.id)
            # Check everything first, then assign: a look-up in between would
            # flush half of the change (and bump the version twice).
            changes: dict[str, Any] = {}
            if not isinstance(due_date, _Unset):
                if fu.source_activity is not None:
                    not_before = fu.source_activity.occurred_at.astimezone(
                        _zone(op.actor.time_zone)
                    ).date()
                    if due_date < not_before:
                        raise DomainError(
                            Rule.DUE_BEFORE_ACTIVITY,
                            due=due_date.isoformat(),
                            activity=not_before.isoformat(),
                        )
                changes["due_date"] = due_date
                if fu.recurrence and fu.occurrence == 1:
                    changes["series_start_date"] = due_date
            if not isinstance(due_time, _Unset):
                changes["due_time"] = due_time
            if not isinstance(assignee_id, _Unset):
                assignee = self._active_user(s, assignee_id)
                changes["assignee_id"] = assignee.id
                # Due date and time are the new assignee's local ones.
                changes["time_zone"] = assignee.time_zone
            if not isinstance(priority, _Unset):
                if priority not in {p.value for p in m.Priority}:
                    raise DomainError(Rule.INVALID_VALUE, value=priority, **_field("priority"))
                changes["priority"] = int(priority)
            if not isinstance(instruction, _Unset):
                changes["instruction"] = clean_text("instruction", instruction) or ""
            for key, value in changes.items():
                setattr(fu, key, value)
            fu.updated_at = op.now
            s.flush()
            self._refresh_derived(op, fu.record_id)
            return fu.id

        return self._run("update_follow_up", body)

    def cancel_follow_up(
        self, follow_up_id: int, *, expected_version: int, reason: str = ""
    ) -> ChangeSummary:
        """Cancel an open follow-up (right needed); ends a recurring series."""

        def body(op: _Op) -> int:
            s = op.session
            # The lock order: the record first, then its follow-up.
            record_id = s.scalar(select(m.FollowUp.record_id).where(m.FollowUp.id == follow_up_id))
            record = self._get(s, m.Record, record_id, lock=True) if record_id else None
            fu = self._get(s, m.FollowUp, follow_up_id, lock=True)
            assert record is not None
            self._require(op, Module.CANCEL_FOLLOW_UPS, record)
            self._check_version(fu, expected_version, op)
            if fu.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu.id)
            op.uow.annotate(fu, reason=clean_text("reason", reason))
            if op.actor.role_group.activity_requires_follow_up:
                others = s.scalar(
                    select(func.count())
                    .select_from(m.FollowUp)
                    .where(
                        m.FollowUp.record_id == record.id,
                        m.FollowUp.state == FollowUpState.OPEN,
                        m.FollowUp.id != fu.id,
                    )
                )
                if not others and not all(self._final_after(s, record, [])):
                    raise DomainError(Rule.CANCEL_LEAVES_DEAD_RECORD, record=record.name)
            fu.state = FollowUpState.CANCELLED
            fu.cancelled_at = op.now
            fu.cancelled_by_id = op.actor.id
            fu.updated_at = op.now
            s.flush()
            self._refresh_derived(op, record.id)
            return fu.id

        return self._run("cancel_follow_up", body)
