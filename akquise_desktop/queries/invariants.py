"""The chain invariants, checked in SQL over the whole database.

Each check returns the offending ids (a sample) and their count; nothing is
loaded whole into Python, so this runs on a database of any size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m

SAMPLE = 20


@dataclass(frozen=True)
class Violation:
    check: str
    description: str
    count: int
    sample: tuple[int, ...]


def _dead_records_condition():
    """Records in an active campaign with a non-final status and no open follow-up."""
    in_live_status = (
        select(m.CampaignMembership.id)
        .join(m.CampaignStatus, m.CampaignStatus.id == m.CampaignMembership.status_id)
        .join(m.Campaign, m.Campaign.id == m.CampaignMembership.campaign_id)
        .where(
            m.CampaignMembership.record_id == m.Record.id,
            m.Campaign.active,
            not_(m.CampaignStatus.is_final),
        )
    )
    open_follow_up = select(m.FollowUp.id).where(
        m.FollowUp.record_id == m.Record.id, m.FollowUp.state == m.FollowUpState.OPEN
    )
    return and_(exists(in_live_status), not_(exists(open_follow_up)))


def dead_records_query():
    return select(m.Record.id).where(_dead_records_condition())


def _checks():
    fu = m.FollowUp
    act = aliased(m.Activity)
    sc = m.StatusChange
    mem = m.CampaignMembership
    latest_change = (
        select(sc.to_status_id)
        .where(sc.record_id == mem.record_id, sc.campaign_id == mem.campaign_id)
        .order_by(sc.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    last_activity = (
        select(func.max(m.Activity.occurred_at))
        .where(m.Activity.record_id == m.Record.id)
        .scalar_subquery()
    )
    next_due = (
        select(func.min(fu.due_date))
        .where(fu.record_id == m.Record.id, fu.state == m.FollowUpState.OPEN)
        .scalar_subquery()
    )
    transition = select(m.StatusTransition.from_status_id).where(
        m.StatusTransition.from_status_id == sc.from_status_id,
        m.StatusTransition.to_status_id == sc.to_status_id,
    )
    return [
        (
            "done_follow_up_without_activity",
            "Erledigte Wiedervorlage ohne erledigende Aktivität desselben Datensatzes",
            select(fu.id)
            .outerjoin(act, act.id == fu.completed_by_activity_id)
            .where(
                fu.state == m.FollowUpState.DONE,
                or_(act.id.is_(None), act.record_id != fu.record_id),
            ),
        ),
        (
            "open_follow_up_with_completion",
            "Offene oder stornierte Wiedervorlage mit erledigender Aktivität",
            select(fu.id).where(
                fu.state != m.FollowUpState.DONE, fu.completed_by_activity_id.is_not(None)
            ),
        ),
        (
            "follow_up_source_other_record",
            "Wiedervorlage, deren Aktivität zu einem anderen Datensatz gehört",
            select(fu.id)
            .join(act, act.id == fu.source_activity_id)
            .where(act.record_id != fu.record_id),
        ),
        (
            "status_without_activity",
            "Kampagnen-Status, der nicht durch eine Aktivität gesetzt wurde",
            select(mem.id).where(or_(latest_change.is_(None), latest_change != mem.status_id)),
        ),
        (
            "status_change_other_record",
            "Statusänderung, deren Aktivität zu einem anderen Datensatz gehört",
            select(sc.id).join(act, act.id == sc.activity_id).where(act.record_id != sc.record_id),
        ),
        (
            "status_change_not_allowed",
            "Statusänderung auf einen nicht erlaubten Folgestatus",
            select(sc.id).where(sc.from_status_id.is_not(None), not_(exists(transition))),
        ),
        (
            "last_activity_stale",
            "Datensatz mit falschem Datum der letzten Aktivität",
            select(m.Record.id).where(
                or_(
                    and_(m.Record.last_activity_at.is_(None), last_activity.is_not(None)),
                    and_(
                        m.Record.last_activity_at.is_not(None),
                        or_(last_activity.is_(None), m.Record.last_activity_at != last_activity),
                    ),
                )
            ),
        ),
        (
            "next_follow_up_stale",
            "Datensatz mit falschem Datum der nächsten Wiedervorlage",
            select(m.Record.id).where(
                or_(
                    and_(m.Record.next_follow_up_date.is_(None), next_due.is_not(None)),
                    and_(
                        m.Record.next_follow_up_date.is_not(None),
                        or_(next_due.is_(None), m.Record.next_follow_up_date != next_due),
                    ),
                )
            ),
        ),
    ]


DEAD_RECORDS = "dead_record"


def check_invariants(session: Session, *, include_dead_records: bool = True) -> list[Violation]:
    """Every violated invariant with a count and a sample of ids.

    ``include_dead_records``: also report records in an active campaign with
    a non-final status and no open follow-up — a violation wherever the
    "no activity without a follow-up" policy is on.
    """
    checks = _checks()
    if include_dead_records:
        checks.append(
            (
                DEAD_RECORDS,
                "Toter Kunde: aktiver, nicht finaler Status ohne offene Wiedervorlage",
                dead_records_query(),
            )
        )
    violations = []
    for name, description, query in checks:
        sub = query.subquery()
        count = session.scalar(select(func.count()).select_from(sub))
        if count:
            first = next(iter(sub.c))
            sample = tuple(session.scalars(select(first).order_by(first).limit(SAMPLE)))
            violations.append(Violation(name, description, count, sample))
    return violations
