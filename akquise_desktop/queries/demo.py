"""Demo data from the GUI: is the database empty enough for it, and what it
created (for one change summary that refreshes every view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# What the demo generator writes, by the kind a change summary names.
_CREATED = (
    (Entity.RECORD, m.Record),
    (Entity.CONTACT, m.Contact),
    (Entity.ACTIVITY, m.Activity),
    (Entity.FOLLOW_UP, m.FollowUp),
    (Entity.MEMBERSHIP, m.CampaignMembership),
    (Entity.STATUS_CHANGE, m.StatusChange),
    (Entity.CAMPAIGN, m.Campaign),
    (Entity.CAMPAIGN_STATUS, m.CampaignStatus),
    (Entity.USER, m.User),
    (Entity.TEAM, m.Team),
    (Entity.ROLE_GROUP, m.RoleGroup),
)


@dataclass(frozen=True)
class DatabaseContents:
    """What decides whether demo data may go in: none of the demo's records,
    users and teams may meet someone's own."""

    records: int
    users: int
    teams: int

    @property
    def empty(self) -> bool:
        """No records, no teams, at most the first administrator (a first run)."""
        return self.records == 0 and self.teams == 0 and self.users <= 1


def database_contents(s: Session) -> DatabaseContents:
    def count(model) -> int:
        return s.scalar(select(func.count()).select_from(model)) or 0

    return DatabaseContents(count(m.Record), count(m.User), count(m.Team))


def everything_created(s: Session) -> ChangeSummary:
    """A summary naming every row of the kinds demo data writes, as created."""
    return ChangeSummary.build(
        created={entity: s.scalars(select(model.id)) for entity, model in _CREATED}
    )
