"""A small standard world for controller tests: users, teams, a campaign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import (
    Controller,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
    bootstrap,
)
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.models import Module, Scope
from akquise_desktop.storage import Database

# "Today" of the whole suite: an ordinary Wednesday, no holiday or DST change
# near it, and far from the day the suite was written, so that anything that
# still reads the wall clock shows up at once. Tests of a particular calendar
# fact (DST, 29 February, Christmas) set the clock before it themselves.
TODAY = date(2030, 6, 12)
ZONE = "Europe/Berlin"


def pinned_clock() -> FixedClock:
    """A clock at 10:00 Berlin time on :data:`TODAY`."""
    return FixedClock.on(TODAY, 10, 0, zone=ZONE)


SALES_RIGHTS = {
    Module.RECORDS: Scope.TEAM,
    Module.CONTACTS: Scope.TEAM,
    Module.ACTIVITIES: Scope.TEAM,
}
STATUSES = [
    StatusSpec("Lead", next=("Kontaktiert", "Kein Interesse"), is_start=True),
    StatusSpec("Kontaktiert", next=("Angebot", "Kein Interesse")),
    StatusSpec("Angebot", next=("Kunde", "Kein Interesse")),
    StatusSpec("Kunde", is_final=True, color="#2E7D32", progress=100),
    StatusSpec("Kein Interesse", is_final=True, next=("Lead",)),
]


@dataclass
class World:
    db: Database
    admin: Controller
    admin_id: int
    sales: Controller  # team "Nord", own team only
    sales_id: int
    colleague_id: int  # same team as sales
    other: Controller  # team "Süd"
    other_id: int
    lax: Controller  # role group with both chain policies off
    lax_id: int
    campaign_id: int
    status: dict[str, int]
    types: dict[str, int]
    clock: FixedClock = field(default_factory=pinned_clock)

    @property
    def today(self) -> date:
        return self.clock.today()

    def controller(self, user_id: int) -> Controller:
        return Controller(self.db, user_id, clock=self.clock)

    def record(self, name: str = "Müller GmbH", owner: Controller | None = None) -> int:
        ctl = owner or self.sales
        rid = ctl.create_record(RecordData(name=name, city="Köln")).result_id
        assert rid is not None
        return rid

    def in_campaign(self, name: str = "Müller GmbH", owner: Controller | None = None) -> int:
        """A record in the campaign (status Lead) with one open follow-up."""
        ctl = owner or self.sales
        rid = self.record(name, ctl)
        ctl.assign_to_campaign(
            rid, self.campaign_id, next_follow_up=NextFollowUp(self.today + timedelta(days=2))
        )
        return rid


def make_world(db: Database, clock: FixedClock | None = None) -> World:
    """The standard world; its controllers act on ``clock`` (default: a
    :func:`pinned_clock` of its own)."""
    clock = clock or pinned_clock()
    admin_id = bootstrap(db, "admin", "Admin")
    admin = Controller(db, admin_id, clock=clock)
    sales_group = admin.create_role_group(RoleGroupData("Test-Vertrieb", rights=SALES_RIGHTS))
    lax_group = admin.create_role_group(
        RoleGroupData(
            "Locker",
            follow_up_requires_activity=False,
            activity_requires_follow_up=False,
            rights={k: Scope.ALL for k in Module},
        )
    )
    nord = admin.create_team("Nord").result_id
    sued = admin.create_team("Süd").result_id
    g = sales_group.result_id
    assert g is not None
    sales_id = admin.create_user("sales", "Sven Sales", role_group_id=g, team_id=nord).result_id
    colleague_id = admin.create_user("kollege", "Karl Kollege", role_group_id=g, team_id=nord)
    other_id = admin.create_user("sued", "Susi Süd", role_group_id=g, team_id=sued).result_id
    lax_id = admin.create_user("lax", "Lars Locker", role_group_id=lax_group.result_id).result_id
    campaign_id = admin.create_campaign("Neukunden", STATUSES).result_id
    with db.read() as s:
        status = {
            st.name: st.id
            for st in s.scalars(
                select(m.CampaignStatus).where(m.CampaignStatus.campaign_id == campaign_id)
            )
        }
        types = {t.name: t.id for t in s.scalars(select(m.ActivityType))}
    assert sales_id and other_id and lax_id and campaign_id
    return World(
        db=db,
        admin=admin,
        admin_id=admin_id,
        sales=Controller(db, sales_id, clock=clock),
        sales_id=sales_id,
        colleague_id=colleague_id.result_id or 0,
        other=Controller(db, other_id, clock=clock),
        other_id=other_id,
        lax=Controller(db, lax_id, clock=clock),
        lax_id=lax_id,
        campaign_id=campaign_id,
        status=status,
        types=types,
        clock=clock,
    )
