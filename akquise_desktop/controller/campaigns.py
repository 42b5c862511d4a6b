"""Campaigns: create one with its statuses and workflow (allowed next
statuses), switch it on or off (right: ``Module.SETTINGS``). A record
enters a campaign and changes status only through an activity
(:mod:`.chain`: ``assign_to_campaign``, ``log_activity``)."""

from __future__ import annotations

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule

from .base import ControllerBase, _field, _Op, clean_text
from .commands import StatusSpec


class CampaignOps(ControllerBase):
    """Campaigns and their statuses."""

    def create_campaign(
        self, name: str, statuses: list[StatusSpec], *, description: str | None = None
    ) -> ChangeSummary:
        """A campaign with its statuses and workflow (allowed next statuses)."""

        def body(op: _Op) -> int:
            self._require_settings(op)
            s = op.session
            clean = clean_text("name", name, required=True, column=m.Campaign.name)
            self._unique(s, m.Campaign.name, clean)
            if not statuses:
                raise DomainError(Rule.REQUIRED, field_de="Status", field_en="statuses")
            campaign = m.Campaign(
                name=clean, description=clean_text("description", description), created_at=op.now
            )
            s.add(campaign)
            s.flush()
            by_name: dict[str, m.CampaignStatus] = {}
            for position, spec in enumerate(statuses):
                status_name = clean_text(
                    "name", spec.name, required=True, column=m.CampaignStatus.name
                )
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
                    is_start=spec.is_start
                    or (position == 0 and not any(x.is_start for x in statuses)),
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
                            Rule.NOT_FOUND,
                            what_de="Folgestatus",
                            what_en="Next status",
                            id=target_name,
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

        return self._run("create_campaign", body)

    def set_campaign_active(self, campaign_id: int, active: bool) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_settings(op)
            campaign = self._get(op.session, m.Campaign, campaign_id)
            campaign.active = active
            return campaign.id

        return self._run("set_campaign_active", body)


def _check_color(color: str) -> None:
    text = color.lstrip("#")
    if not (
        color.startswith("#")
        and len(text) in (6, 8)
        and all(c in "0123456789abcdefABCDEF" for c in text)
    ):
        raise DomainError(Rule.INVALID_VALUE, value=color, **_field("color"))
