"""The activity chain: an activity with everything it completes, changes and
creates, in one transaction (``log_activity``, ``assign_to_campaign``, the
bulk editor's activity operations through ``_log_activity``); keyed saves
(``client_key``: a save whose answer was lost is not written twice); the
audited correction of an activity (``correct_activity``).

The five rules (README, *The chain rules*) and where they are enforced; the
role-group policies themselves are pure functions in
:mod:`akquise_desktop.core.policies`, shared with the activity mask:

1. Every interaction is an activity, never silently edited or deleted:
   no call deletes an activity (a bulk undo removes only the activities its
   own run created, and none corrected or linked since: :mod:`.bulk.undo`);
   ``correct_activity`` here changes subject and text only, by the author or
   an administrator, with a reason, kept before and after in the audit trail.
2. An activity normally creates the next follow-up: ``_log_activity`` here
   refuses ``ACTIVITY_REQUIRES_FOLLOW_UP`` (``policies.activity_needs_follow_up``;
   exempt: a final status after it, no campaign status — both read by
   ``_final_after`` in :mod:`.base` — or a recurring series that continues);
   ``cancel_follow_up`` (:mod:`.follow_ups`) refuses to
   cancel the last open follow-up the same way (``CANCEL_LEAVES_DEAD_RECORD``).
3. A follow-up results from an activity: the next follow-up made here links
   its activity; a follow-up on its own (``create_follow_up``,
   :mod:`.follow_ups`) needs one where the role group says so
   (``policies.follow_up_needs_activity``); never due before its activity
   (``_check_next_follow_up``, ``update_follow_up``).
4. A follow-up is completed by an activity, which creates the next one:
   only ``_log_activity`` here completes follow-ups (``completes``, locked and
   checked open); a completed recurring one creates its next occurrence here.
   Records left without an open follow-up are surfaced by
   :mod:`akquise_desktop.queries.dead`.
5. A campaign status changes only through an activity that says why:
   ``_planned_status_changes`` checks the allowed next statuses and
   ``_log_activity`` writes each change with its activity; joining a
   campaign (``assign_to_campaign``) is such an activity too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core import policies
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module

from .base import ControllerBase, _field, _Membership, _Op, _zone, clean_text
from .commands import LogActivity, NextFollowUp
from .follow_ups import FollowUpOps

FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_DURATION_MINUTES = 24 * 60


# Statements of the frequent calls, built once (building one costs about as much
# as running it).


@cache
def _activity_type_statement(given: bool) -> Select:
    """The active activity type ``:type_id``, or the first active one."""
    at = m.ActivityType
    query = select(at.id).where(at.active)
    if given:
        query = query.where(at.id == bindparam("type_id", type_=Integer))
    return query.order_by(at.position, at.id).limit(1)


@cache
def _transition_statement() -> Select:
    """Whether ``:to_id`` is an allowed next status of ``:from_id``."""
    tr = m.StatusTransition
    return select(tr.to_status_id).where(
        tr.from_status_id == bindparam("from_id", type_=Integer),
        tr.to_status_id == bindparam("to_id", type_=Integer),
    )


class ChainOps(FollowUpOps):
    """The activity chain: an activity with what it completes, changes and
    creates, in one transaction; the correction of an activity."""

    def log_activity(self, cmd: LogActivity) -> ChangeSummary:
        """The activity mask's save: activity, completed follow-ups, status
        changes and the next follow-up, in one transaction.

        With ``cmd.client_key`` the save is idempotent: when an activity with
        that key exists (the first save committed, its answer was lost), the
        first save's summary is returned and nothing is written; a lost
        connection is then retried by the controller itself."""
        if cmd.client_key is not None:
            cmd = _with_clean_key(cmd)
        return self._run(
            "log_activity",
            lambda op: self._log_activity(op, cmd),
            replayable=cmd.client_key is not None,
        )

    def activity_saved(self, client_key: str | uuid.UUID) -> int | None:
        """The id of the activity saved with ``client_key``, or None: the
        dialog's "did it save?" after a connection error."""
        key = _normalize_key(client_key)
        if key is None:
            return None
        with self.db.read() as s:
            return s.scalar(select(m.Activity.id).where(m.Activity.client_key == key))

    def assign_to_campaign(
        self,
        record_id: int,
        campaign_id: int,
        status_id: int | None = None,
        *,
        subject: str | None = None,
        text: str = "",
        occurred_at: datetime | None = None,
        next_follow_up: NextFollowUp | None = None,
    ) -> ChangeSummary:
        """Put a record into a campaign. The first status is a status change
        too, so it is carried by an activity (rule 5)."""

        def body(op: _Op) -> int:
            self._get(op.session, m.Record, record_id, lock=True)  # the lock order's first
            campaign = self._get(op.session, m.Campaign, campaign_id)
            already = op.session.scalar(
                select(m.CampaignMembership.id).where(
                    m.CampaignMembership.record_id == record_id,
                    m.CampaignMembership.campaign_id == campaign.id,
                )
            )
            if already is not None:
                raise DomainError(Rule.ALREADY_IN_CAMPAIGN, campaign=campaign.name)
            target = status_id
            if target is None:
                target = op.session.scalar(
                    select(m.CampaignStatus.id)
                    .where(m.CampaignStatus.campaign_id == campaign.id, m.CampaignStatus.is_active)
                    .order_by(m.CampaignStatus.is_start.desc(), m.CampaignStatus.position)
                    .limit(1)
                )
                if target is None:
                    raise DomainError(
                        Rule.NOT_FOUND, what_de="Startstatus", what_en="Start status", id="?"
                    )
            cmd = LogActivity(
                record_id=record_id,
                subject=subject or f"Kampagne „{campaign.name}“ zugeordnet",
                text=text,
                type_id=self._campaign_activity_type(op),
                occurred_at=occurred_at,
                status_changes={campaign.id: target},
                next_follow_up=next_follow_up,
            )
            return self._log_activity(op, cmd)

        return self._run("assign_to_campaign", body)

    @staticmethod
    def _campaign_activity_type(op: _Op) -> int | None:
        return op.session.scalar(select(m.ActivityType.id).where(m.ActivityType.name == "Kampagne"))

    def _log_activity(self, op: _Op, cmd: LogActivity) -> int:
        s = op.session
        record = self._get(s, m.Record, cmd.record_id, lock=True)
        if cmd.client_key is not None:
            # Under the record's lock: a second save with this key waits for
            # the first and then finds it.
            first = self._saved_with_key(op, cmd)
            if first is not None:
                return first
        self._require(op, Module.ACTIVITIES, record)
        subject = clean_text("subject", cmd.subject, required=True)
        text = clean_text("text", cmd.text) or ""
        occurred_at = self._check_occurred_at(op, cmd.occurred_at)
        if cmd.duration_minutes is not None and not (
            0 <= cmd.duration_minutes <= MAX_DURATION_MINUTES
        ):
            raise DomainError(
                Rule.INVALID_VALUE, value=cmd.duration_minutes, **_field("duration_minutes")
            )
        type_id = self._activity_type(s, cmd.type_id)
        if cmd.contact_id is not None:
            contact = self._get(s, m.Contact, cmd.contact_id)
            if contact.record_id != record.id:
                raise DomainError(
                    Rule.NOT_FOUND,
                    what_de="Ansprechpartner",
                    what_en="Contact",
                    id=cmd.contact_id,
                )

        completing = self._open_follow_ups_to_complete(op, record, cmd.completes)
        memberships = self._memberships(s, record.id) if cmd.status_changes else None
        changes = self._planned_status_changes(s, record, cmd.status_changes, memberships or [])
        local_day = occurred_at.astimezone(_zone(op.actor.time_zone)).date()
        if cmd.next_follow_up is not None:
            self._check_next_follow_up(s, cmd.next_follow_up, local_day)

        # Recurring follow-ups re-create themselves when completed.
        recurring_next = [
            (fu, nxt) for fu in completing if (nxt := self._next_occurrence(fu, local_day))
        ]
        if policies.activity_needs_follow_up(
            policy_on=op.actor.role_group.activity_requires_follow_up,
            final_after=self._final_after(s, record, changes, memberships),
            next_follow_up_given=cmd.next_follow_up is not None,
            series_continues=bool(recurring_next),
        ):
            raise DomainError(Rule.ACTIVITY_REQUIRES_FOLLOW_UP)

        activity = m.Activity(
            record_id=record.id,
            contact_id=cmd.contact_id,
            user_id=op.actor.id,
            type_id=type_id,
            occurred_at=occurred_at,
            duration_minutes=cmd.duration_minutes,
            subject=subject,
            text=text,
            created_at=op.now,
            client_key=cmd.client_key,
        )
        s.add(activity)
        s.flush()
        for membership, campaign, status in changes:
            s.add(
                m.StatusChange(
                    activity_id=activity.id,
                    record_id=record.id,
                    campaign_id=campaign.id,
                    from_status_id=membership.status_id if membership else None,
                    to_status_id=status.id,
                )
            )
            if membership is None:
                s.add(
                    m.CampaignMembership(
                        record_id=record.id,
                        campaign_id=campaign.id,
                        status_id=status.id,
                        since=occurred_at,
                    )
                )
            else:
                membership.status_id = status.id
                membership.since = occurred_at
        for fu in completing:
            fu.state = FollowUpState.DONE
            fu.completed_by_activity_id = activity.id
            fu.completed_at = op.now
            fu.updated_at = op.now
        for fu, due in recurring_next:
            s.add(
                m.FollowUp(
                    record_id=record.id,
                    assignee_id=fu.assignee_id,
                    created_by_id=op.actor.id,
                    due_date=due,
                    due_time=fu.due_time,
                    time_zone=fu.time_zone,
                    priority=fu.priority,
                    instruction=fu.instruction,
                    source_activity_id=activity.id,
                    recurrence=fu.recurrence,
                    recurrence_anchor=fu.recurrence_anchor,
                    recurrence_shift=fu.recurrence_shift,
                    series_start_date=fu.series_start_date,
                    occurrence=fu.occurrence + 1,
                    previous_id=fu.id,
                    created_at=op.now,
                    updated_at=op.now,
                )
            )
        if cmd.next_follow_up is not None:
            s.add(self._new_follow_up(op, record, cmd.next_follow_up, activity.id))
        self._refresh_derived(op, record.id, activity_at=occurred_at)
        return activity.id

    def _check_occurred_at(self, op: _Op, occurred_at: datetime | None) -> datetime:
        if occurred_at is None:
            return op.now
        if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
            raise DomainError(
                Rule.INVALID_VALUE, value="ohne Zeitzone / no time zone", **_field("occurred_at")
            )
        if occurred_at > op.now + FUTURE_TOLERANCE:
            raise DomainError(Rule.ACTIVITY_IN_FUTURE, when=occurred_at.isoformat())
        return occurred_at

    @staticmethod
    def _activity_type(s: Session, type_id: int | None) -> int:
        query = _activity_type_statement(type_id is not None)
        found = s.connection().execute(query, {"type_id": type_id}).scalar()
        if found is None:
            raise DomainError(
                Rule.NOT_FOUND,
                what_de="Aktivitätsart",
                what_en="Activity type",
                id=type_id if type_id is not None else "?",
            )
        return found

    @staticmethod
    def _open_follow_ups_to_complete(
        op: _Op, record: m.Record, completes: Iterable[int] | Mapping[int, int]
    ) -> list[m.FollowUp]:
        """The follow-ups to complete, locked in id order (the record is locked
        already). ``completes`` maps each to the version the user saw (checked),
        or just lists them (not checked)."""
        s = op.session
        seen: Mapping[int, int] = completes if isinstance(completes, Mapping) else {}
        wanted = list(dict.fromkeys(int(i) for i in completes))
        if not wanted:
            return []
        fu = m.FollowUp
        found = {
            f.id: f
            for f in s.scalars(
                select(fu)
                .where(fu.id.in_(wanted), fu.record_id == record.id)
                .order_by(fu.id)
                .with_for_update(key_share=True)
                .execution_options(populate_existing=True)
            )
        }
        result = []
        for fu_id in wanted:
            f = found.get(fu_id)
            if f is None:
                elsewhere = s.scalar(select(fu.record_id).where(fu.id == fu_id))
                if elsewhere is not None:
                    raise DomainError(Rule.FOLLOW_UP_OTHER_RECORD, id=fu_id)
                raise DomainError(
                    Rule.NOT_FOUND, what_de="Wiedervorlage", what_en="Follow-up", id=fu_id
                )
            if fu_id in seen:
                ControllerBase._check_version(f, seen[fu_id], op)
            if f.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu_id)
            result.append(f)
        return result

    def _saved_with_key(self, op: _Op, cmd: LogActivity) -> int | None:
        """The activity an earlier save with ``cmd.client_key`` wrote, its
        summary kept in ``op.replayed``; None if there is none."""
        s = op.session
        act = m.Activity
        found = s.execute(
            select(act.id, act.record_id, act.user_id).where(act.client_key == cmd.client_key)
        ).first()
        if found is None:
            return None
        activity_id, record_id, user_id = found
        if record_id != cmd.record_id or user_id != op.actor.id:
            raise DomainError(
                Rule.DUPLICATE,
                value=cmd.client_key,
                field_de="Schlüssel der Speicherung",
                field_en="save key",
            )
        op.replayed = _logged_summary(s, activity_id, record_id)
        return activity_id

    @staticmethod
    def _planned_status_changes(
        s: Session, record: m.Record, wanted: dict[int, int] | Any, memberships: list[_Membership]
    ) -> list[tuple[m.CampaignMembership | None, m.Campaign, m.CampaignStatus]]:
        """Check each wanted status change against the record's ``memberships``;
        returns (membership or None, campaign, status)."""
        current = {ms.campaign_id: (ms, st) for ms, _campaign, st in memberships}
        planned = []
        for campaign_id, status_id in wanted.items():
            campaign = ControllerBase._get(s, m.Campaign, campaign_id)
            if not campaign.active:
                raise DomainError(Rule.CAMPAIGN_INACTIVE, campaign=campaign.name)
            status = ControllerBase._get(s, m.CampaignStatus, status_id)
            if status.campaign_id != campaign.id:
                raise DomainError(
                    Rule.STATUS_OTHER_CAMPAIGN, status=status_id, campaign=campaign.name
                )
            if not status.is_active:
                raise DomainError(Rule.STATUS_INACTIVE, status=status.name)
            membership, now = current.get(campaign.id, (None, None))
            if membership is not None and now is not None:
                if membership.status_id == status.id:
                    continue  # no change
                allowed = (
                    s.connection()
                    .execute(_transition_statement(), {"from_id": now.id, "to_id": status.id})
                    .first()
                )
                if allowed is None:
                    raise DomainError(
                        Rule.STATUS_NOT_ALLOWED,
                        to=status.name,
                        current=now.name,
                        campaign=campaign.name,
                        allowed=", ".join(a.name for a in now.next_statuses) or "—",
                    )
            planned.append((membership, campaign, status))
        return planned

    def correct_activity(
        self, activity_id: int, *, expected_version: int, subject: str, text: str, reason: str
    ) -> ChangeSummary:
        """Correct an activity's subject or text; the author or an administrator
        only, with a reason. The audit trail keeps before and after.
        ``expected_version``: the activity's version the user corrected (a
        correction made meanwhile by someone else is refused, not overwritten)."""

        def body(op: _Op) -> int:
            activity = self._get(op.session, m.Activity, activity_id, lock=True)
            self._require(op, Module.ACTIVITIES, activity.record)
            if activity.user_id != op.actor.id:
                self._require_admin(
                    op, "fremde Aktivitäten korrigieren", "correct other users' activities"
                )
            self._check_version(activity, expected_version, op)
            op.uow.annotate(activity, reason=clean_text("reason", reason, required=True))
            activity.subject = clean_text("subject", subject, required=True)  # type: ignore
            activity.text = clean_text("text", text) or ""
            activity.corrected_at = op.now
            return activity.id

        return self._run("correct_activity", body)


# --- keyed saves ---------------------------------------------------------------------


def _normalize_key(key: str | uuid.UUID | None) -> str | None:
    """The canonical text of a UUID key (lower case, hyphens), None if it is none."""
    if key is None:
        return None
    try:
        return str(key if isinstance(key, uuid.UUID) else uuid.UUID(str(key).strip()))
    except ValueError:
        return None


def _with_clean_key(cmd: LogActivity) -> LogActivity:
    key = _normalize_key(cmd.client_key)
    if key is None:
        raise DomainError(
            Rule.INVALID_VALUE,
            value=str(cmd.client_key)[:60],
            field_de="Schlüssel der Speicherung",
            field_en="save key",
        )
    return replace(cmd, client_key=key)


def _logged_summary(s: Session, activity_id: int, record_id: int) -> ChangeSummary:
    """What the save that wrote ``activity_id`` reported, read back: the
    activity, its status changes, the follow-ups it created (next one,
    recurring successors) and completed, the memberships it set, the record."""
    fu = m.FollowUp
    sc = m.StatusChange
    created_fus = set(s.scalars(select(fu.id).where(fu.source_activity_id == activity_id)))
    completed = set(s.scalars(select(fu.id).where(fu.completed_by_activity_id == activity_id)))
    changes = s.execute(
        select(sc.id, sc.campaign_id, sc.from_status_id).where(sc.activity_id == activity_id)
    ).all()
    created_ms: set[int] = set()
    updated_ms: set[int] = set()
    for _sc_id, campaign_id, from_status_id in changes:
        ms_id = s.scalar(
            select(m.CampaignMembership.id).where(
                m.CampaignMembership.record_id == record_id,
                m.CampaignMembership.campaign_id == campaign_id,
            )
        )
        if ms_id is not None:
            (created_ms if from_status_id is None else updated_ms).add(ms_id)
    return ChangeSummary.build(
        created={
            Entity.ACTIVITY: {activity_id},
            Entity.FOLLOW_UP: created_fus,
            Entity.STATUS_CHANGE: {c[0] for c in changes},
            Entity.MEMBERSHIP: created_ms,
        },
        updated={
            Entity.RECORD: {record_id},
            Entity.FOLLOW_UP: completed - created_fus,
            Entity.MEMBERSHIP: updated_ms,
        },
        result_id=activity_id,
    )
