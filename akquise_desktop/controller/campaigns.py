"""Campaigns: create, change, duplicate and switch on or off; their statuses
(order, colour, progress, active, final, start) and workflow (allowed next
statuses, the first the default); a status is deleted only by merging it into
another of the same campaign. Right: ``Module.CAMPAIGNS`` (scope all).

A record enters a campaign and changes status only through an activity
(:mod:`.chain`: ``assign_to_campaign``, ``log_activity``). Merging a status is
the one change of a membership's status without an activity: it renames the
status, it does not move the record in its workflow; the memberships and the
status history move with it, each row in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope

from .base import RIGHT_NAMES, ControllerBase, _field, _Op, clean_text
from .commands import StatusData, StatusSpec


class CampaignOps(ControllerBase):
    """Campaigns and their statuses."""

    def _require_campaigns(self, op: _Op) -> None:
        group = op.actor.role_group
        if group.scope(Module.CAMPAIGNS) is not Scope.ALL:
            raise DomainError(Rule.NO_RIGHT, group=group.name, right=RIGHT_NAMES[Module.CAMPAIGNS])

    # --- campaigns ------------------------------------------------------------------------

    def create_campaign(
        self, name: str, statuses: Sequence[StatusSpec], *, description: str | None = None
    ) -> ChangeSummary:
        """A campaign with its statuses and workflow (allowed next statuses)."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            return add_campaign(op.session, name, statuses, description=description, now=op.now)

        return self._run("create_campaign", body)

    def update_campaign(
        self, campaign_id: int, name: str, *, description: str | None = None
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_campaigns(op)
            campaign = self._get(op.session, m.Campaign, campaign_id, lock=True)
            clean = clean_text("name", name, required=True, column=m.Campaign.name)
            if clean != campaign.name:
                self._unique(op.session, m.Campaign.name, clean)
            campaign.name = clean
            campaign.description = clean_text("description", description)
            return campaign.id

        return self._run("update_campaign", body)

    def set_campaign_active(self, campaign_id: int, active: bool) -> ChangeSummary:
        """Switch a campaign on or off. Reactivating one brings its records with
        a non-final status and no open follow-up back as dead records: the
        administration says how many first (``queries.admin.dead_if_active``)."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            campaign = self._get(op.session, m.Campaign, campaign_id, lock=True)
            campaign.active = active
            return campaign.id

        return self._run("set_campaign_active", body)

    def duplicate_campaign(self, campaign_id: int, name: str) -> ChangeSummary:
        """A new campaign with ``campaign_id``'s description, statuses and
        workflow (no records)."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            source = self._get(s, m.Campaign, campaign_id)
            clean = clean_text("name", name, required=True, column=m.Campaign.name)
            self._unique(s, m.Campaign.name, clean)
            copy = m.Campaign(name=clean, description=source.description, created_at=op.now)
            s.add(copy)
            s.flush()
            new_ids: dict[int, int] = {}
            for status in source.statuses:
                twin = m.CampaignStatus(
                    campaign_id=copy.id,
                    name=status.name,
                    position=status.position,
                    color=status.color,
                    progress=status.progress,
                    is_active=status.is_active,
                    is_final=status.is_final,
                    is_start=status.is_start,
                )
                s.add(twin)
                s.flush()
                new_ids[status.id] = twin.id
            tr = m.StatusTransition
            for t in s.scalars(select(tr).where(tr.from_status_id.in_(list(new_ids)))):
                s.add(
                    tr(
                        from_status_id=new_ids[t.from_status_id],
                        to_status_id=new_ids[t.to_status_id],
                        position=t.position,
                        is_default=t.is_default,
                    )
                )
            return copy.id

        return self._run("duplicate_campaign", body)

    # --- statuses -----------------------------------------------------------------------------

    def add_status(self, campaign_id: int, data: StatusData) -> ChangeSummary:
        """A new status at the end of the campaign's list (no workflow yet)."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            campaign = self._get(s, m.Campaign, campaign_id, lock=True)
            name = _status_name(s, campaign.id, data.name)
            last = s.execute(
                select(func.coalesce(func.max(m.CampaignStatus.position), -1)).where(
                    m.CampaignStatus.campaign_id == campaign.id
                )
            ).scalar_one()
            status = m.CampaignStatus(campaign_id=campaign.id, name=name, position=last + 1)
            _apply_status(s, status, data)
            s.add(status)
            s.flush()
            return status.id

        return self._run("add_status", body)

    def update_status(self, status_id: int, data: StatusData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            status = self._get(s, m.CampaignStatus, status_id, lock=True)
            if data.name.strip() != status.name:
                status.name = _status_name(s, status.campaign_id, data.name)
            _apply_status(s, status, data)
            return status.id

        return self._run("update_status", body)

    def move_status(self, status_id: int, position: int) -> ChangeSummary:
        """Put a status at ``position`` (0 = first) of its campaign's list."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            moving = self._get(s, m.CampaignStatus, status_id, lock=True)
            st = m.CampaignStatus
            statuses = list(
                s.scalars(
                    select(st)
                    .where(st.campaign_id == moving.campaign_id)
                    .order_by(st.position, st.id)
                )
            )
            statuses.remove(moving)
            statuses.insert(max(0, min(int(position), len(statuses))), moving)
            for index, status in enumerate(statuses):
                if status.position != index:
                    status.position = index
            return moving.id

        return self._run("move_status", body)

    def set_next_statuses(self, status_id: int, next_ids: Sequence[int]) -> ChangeSummary:
        """The allowed next statuses (Folgestatus) of ``status_id``, in the
        order the activity mask shows them; the first is the default."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            status = self._get(s, m.CampaignStatus, status_id, lock=True)
            wanted = list(dict.fromkeys(int(i) for i in next_ids))
            for target_id in wanted:
                target = self._get(s, m.CampaignStatus, target_id)
                if target.campaign_id != status.campaign_id:
                    raise DomainError(
                        Rule.STATUS_OTHER_CAMPAIGN,
                        status=target_id,
                        campaign=status.campaign.name,
                    )
                if target.id == status.id:
                    raise DomainError(
                        Rule.INVALID_VALUE, value=target.name, **_field("next_status")
                    )
            existing = {t.to_status_id: t for t in status.transitions}
            for to_id, transition in existing.items():
                if to_id not in wanted:
                    status.transitions.remove(transition)
            for position, to_id in enumerate(wanted):
                transition = existing.get(to_id)
                if transition is None:
                    status.transitions.append(
                        m.StatusTransition(
                            from_status_id=status.id,
                            to_status_id=to_id,
                            position=position,
                            is_default=position == 0,
                        )
                    )
                else:
                    transition.position = position
                    transition.is_default = position == 0
            return status.id

        return self._run("set_next_statuses", body)

    def merge_status(self, status_id: int, into_id: int) -> ChangeSummary:
        """Delete ``status_id`` by merging it into ``into_id`` (same campaign):
        its memberships and status history move to ``into_id``, the workflow
        pointing at it points at ``into_id``; every moved row is audited."""

        def body(op: _Op) -> int:
            self._require_campaigns(op)
            s = op.session
            merged = self._get(s, m.CampaignStatus, status_id, lock=True)
            into = self._get(s, m.CampaignStatus, into_id, lock=True)
            if into.campaign_id != merged.campaign_id:
                raise DomainError(
                    Rule.STATUS_OTHER_CAMPAIGN, status=into.id, campaign=merged.campaign.name
                )
            if into.id == merged.id:
                raise DomainError(Rule.INVALID_VALUE, value=into.name, **_field("merge_into"))
            _move_rows(op, m.CampaignMembership, "status_id", merged.id, into.id, versioned=True)
            _move_rows(op, m.StatusChange, "from_status_id", merged.id, into.id)
            _move_rows(op, m.StatusChange, "to_status_id", merged.id, into.id)
            _merge_workflow(s, merged, into)
            if merged.is_start:
                into.is_start = True
            op.uow.annotate(merged, merged_into=into.id)
            s.delete(merged)
            return into.id

        return self._run("merge_status", body)


# --- helpers ------------------------------------------------------------------------------------


def add_campaign(
    s: Session,
    name: str,
    statuses: Sequence[StatusSpec],
    *,
    description: str | None,
    now: datetime,
) -> int:
    """A campaign with its statuses and workflow (also the first-run template)."""
    clean = clean_text("name", name, required=True, column=m.Campaign.name)
    ControllerBase._unique(s, m.Campaign.name, clean)
    if not statuses:
        raise DomainError(Rule.REQUIRED, field_de="Status", field_en="statuses")
    campaign = m.Campaign(
        name=clean, description=clean_text("description", description), created_at=now
    )
    s.add(campaign)
    s.flush()
    by_name: dict[str, m.CampaignStatus] = {}
    for position, spec in enumerate(statuses):
        status_name = clean_text("name", spec.name, required=True, column=m.CampaignStatus.name)
        assert status_name is not None
        if status_name in by_name:
            raise DomainError(
                Rule.DUPLICATE, value=status_name, field_de="Status", field_en="status"
            )
        if not 0 <= spec.progress <= 100:
            raise DomainError(Rule.INVALID_VALUE, value=spec.progress, **_field("progress"))
        _check_color(spec.color)
        status = m.CampaignStatus(
            campaign_id=campaign.id,
            name=status_name,
            position=position,
            color=spec.color,
            progress=spec.progress,
            is_final=spec.is_final,
            is_start=spec.is_start or (position == 0 and not any(x.is_start for x in statuses)),
        )
        s.add(status)
        by_name[status_name] = status
    s.flush()
    for spec in statuses:
        source = by_name[spec.name.strip()]
        for position, target_name in enumerate(spec.next):
            target = by_name.get(target_name)
            if target is None:
                raise DomainError(
                    Rule.NOT_FOUND, what_de="Folgestatus", what_en="Next status", id=target_name
                )
            s.add(
                m.StatusTransition(
                    from_status_id=source.id,
                    to_status_id=target.id,
                    position=position,
                    is_default=position == 0,
                )
            )
    return campaign.id


def _status_name(s: Session, campaign_id: int, name: str) -> str:
    clean = clean_text("name", name, required=True, column=m.CampaignStatus.name)
    assert clean is not None
    st = m.CampaignStatus
    taken = s.execute(
        select(func.count()).where(st.campaign_id == campaign_id, st.name == clean)
    ).scalar_one()
    if taken:
        raise DomainError(Rule.DUPLICATE, value=clean, field_de="Status", field_en="status")
    return clean


def _apply_status(s: Session, status: m.CampaignStatus, data: StatusData) -> None:
    if not 0 <= int(data.progress) <= 100:
        raise DomainError(Rule.INVALID_VALUE, value=data.progress, **_field("progress"))
    _check_color(data.color)
    status.color = data.color
    status.progress = int(data.progress)
    status.is_active = data.is_active
    status.is_final = data.is_final
    if data.is_start and not status.is_start and status.campaign_id is not None:
        # One start status per campaign: the others give it up.
        st = m.CampaignStatus
        for other in s.scalars(select(st).where(st.campaign_id == status.campaign_id, st.is_start)):
            if other is not status:
                other.is_start = False
    status.is_start = data.is_start


def _move_rows(
    op: _Op, model: Any, column: str, old: int, new: int, *, versioned: bool = False
) -> None:
    """Point ``model.column`` from ``old`` to ``new`` set-based, each row audited."""
    s = op.session
    table = model.__table__
    col = table.c[column]
    ids = list(s.scalars(select(table.c.id).where(col == old).order_by(table.c.id)))
    if not ids:
        return
    values: dict[str, Any] = {column: new}
    if versioned:
        values["version"] = table.c.version + 1
    s.flush()
    s.execute(update(table).where(col == old).values(values))
    entity = {m.CampaignMembership: Entity.MEMBERSHIP, m.StatusChange: Entity.STATUS_CHANGE}[model]
    for row_id in ids:
        op.uow.external_update(entity, table.name, row_id, {column: old}, {column: new})


def _merge_workflow(s: Session, merged: m.CampaignStatus, into: m.CampaignStatus) -> None:
    """Transitions from the merged status go; a transition to it now leads to
    ``into`` in its place (unless that would be a loop or a double). Each
    status touched keeps its order and a default (its first next status)."""
    tr = m.StatusTransition
    for t in list(merged.transitions):
        merged.transitions.remove(t)
    s.flush()
    incoming = list(s.scalars(select(tr).where(tr.to_status_id == merged.id)))
    sources = {t.from_status_id for t in incoming}
    for source_id in sources:
        ordered = [
            t.to_status_id
            for t in s.scalars(
                select(tr)
                .where(tr.from_status_id == source_id)
                .order_by(tr.is_default.desc(), tr.position)
            )
        ]
        heir = [] if source_id == into.id else [into.id]
        wanted = list(
            dict.fromkeys(x for to in ordered for x in (heir if to == merged.id else [to]))
        )
        s.execute(delete(tr).where(tr.from_status_id == source_id))
        for position, to_id in enumerate(wanted):
            s.add(
                tr(
                    from_status_id=source_id,
                    to_status_id=to_id,
                    position=position,
                    is_default=position == 0,
                )
            )
    s.flush()


def _check_color(color: str) -> None:
    text = color.lstrip("#")
    if not (
        color.startswith("#")
        and len(text) in (6, 8)
        and all(c in "0123456789abcdefABCDEF" for c in text)
    ):
        raise DomainError(Rule.INVALID_VALUE, value=color, **_field("color"))
