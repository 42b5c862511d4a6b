"""Property tests of the chain (hypothesis), on SQLite and PostgreSQL.

Each example empties the database, builds a small world and runs a random
sequence of operations, allowed and refused, by random users (policies on
and off, in and out of their scope). After every accepted operation the
invariants hold; every refused operation (DomainError) left the database
exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.sql import literal

from akquise_desktop import models as m
from akquise_desktop.controller import (
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    StatusSpec,
)
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Base, Priority, RecurrenceAnchor
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database

from .conftest import reset_database
from .factories import make_world

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 23, 7, 30, tzinfo=UTC)  # the week of the March DST change

POLICY_ON = ("admin", "sales", "colleague", "other")
MIXED = (*POLICY_ON, "lax", "inactive")
RULES = [None, None, None, "FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=2", "FREQ=MONTHLY;INTERVAL=6",
         "FREQ=DAILY;INTERVAL=3", "garbage", "FREQ=HOURLY"]  # fmt: skip

# Rules a chain operation may be refused with. A database constraint that
# fires (reported as input.invalid on the field "database", or a duplicate)
# means the controller let something through that it should have refused.
EXPECTED_RULES = {
    Rule.ACTIVITY_REQUIRES_FOLLOW_UP,
    Rule.FOLLOW_UP_REQUIRES_ACTIVITY,
    Rule.CANCEL_LEAVES_DEAD_RECORD,
    Rule.STATUS_NOT_ALLOWED,
    Rule.FOLLOW_UP_NOT_OPEN,
    Rule.FOLLOW_UP_OTHER_RECORD,
    Rule.CAMPAIGN_INACTIVE,
    Rule.STATUS_OTHER_CAMPAIGN,
    Rule.ALREADY_IN_CAMPAIGN,
    Rule.NO_RIGHT,
    Rule.NOT_FOUND,
    Rule.UNKNOWN_USER,
    Rule.REQUIRED,
    Rule.DUE_BEFORE_ACTIVITY,
    Rule.ACTIVITY_IN_FUTURE,
    Rule.INVALID_RECURRENCE,
    Rule.STALE,
}


def fingerprint(db: Database) -> tuple[Any, ...]:
    """Row count, highest id and sum of versions of every table, plus the
    derived record columns, in one query."""
    parts = []
    for table in Base.metadata.sorted_tables:
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        for col in table.primary_key.columns:
            if col.type.python_type is int:
                parts.append(select(func.max(col)).scalar_subquery())
        if "version" in table.c:
            parts.append(select(func.sum(table.c.version)).scalar_subquery())
    fu, rec = m.FollowUp.__table__, m.Record.__table__
    for state in ("open", "done", "cancelled"):
        parts.append(select(func.count()).where(fu.c.state == state).scalar_subquery())
    parts += [
        select(func.count(rec.c.next_follow_up_date)).scalar_subquery(),
        select(func.max(rec.c.next_follow_up_date)).scalar_subquery(),
        select(func.max(rec.c.last_activity_at)).scalar_subquery(),
        select(func.count(rec.c.last_activity_at)).scalar_subquery(),
    ]
    with db.engine.connect() as conn:
        return tuple(conn.execute(select(literal(1), *parts)).one())


@dataclass
class Sim:
    db: Database
    clock: FixedClock
    ctl: dict[str, Controller]
    user_ids: list[int]  # every user, including the inactive one
    campaigns: list[int]  # two active, one inactive
    statuses: list[int]  # of all campaigns

    def ids(self, cls: type, *where: Any) -> list[int]:
        with self.db.read() as s:
            return list(s.scalars(select(cls.id).where(*where).order_by(cls.id)))

    def version(self, fu_id: int) -> int:
        with self.db.read() as s:
            return s.get(m.FollowUp, fu_id).version


def build(db: Database) -> Sim:
    reset_database(db)
    clock = FixedClock(START)  # a fresh clock for each example
    w = make_world(db, clock)
    admin = w.admin
    with db.read() as s:
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
    inactive_id = admin.create_user("weg", "Willi Weg", role_group_id=group).result_id
    admin.set_user_active(inactive_id, False)
    bestand = admin.create_campaign(
        "Bestand",
        [
            StatusSpec("Aktiv", next=("Gefährdet",)),
            StatusSpec("Gefährdet", next=("Aktiv", "Verloren")),
            StatusSpec("Verloren", is_final=True, next=("Aktiv",)),
        ],
    ).result_id
    old = admin.create_campaign("Alt", [StatusSpec("Offen", next=("Zu",)), StatusSpec("Zu")])
    admin.set_campaign_active(old.result_id, False)
    users = {
        "admin": w.admin_id,
        "sales": w.sales_id,
        "colleague": w.colleague_id,
        "other": w.other_id,
        "lax": w.lax_id,
        "inactive": inactive_id,
    }
    sim = Sim(
        db=db,
        clock=clock,
        ctl={name: w.controller(uid) for name, uid in users.items()},
        user_ids=sorted(users.values()),
        campaigns=[w.campaign_id, bestand, old.result_id],
        statuses=[],
    )
    sim.statuses = sim.ids(m.CampaignStatus)
    # Three records to start with: one per team in the campaign, one without.
    for owner, name in (("sales", "Müller GmbH"), ("other", "Süd AG")):
        record = sim.ctl[owner].create_record(RecordData(name=name)).result_id
        sim.ctl[owner].assign_to_campaign(
            record, w.campaign_id, next_follow_up=NextFollowUp(clock.today() + timedelta(days=3))
        )
    sim.ctl["sales"].create_record(RecordData(name="Schulz KG"))
    return sim


# --- drawing the arguments of one operation ---------------------------------------------


def pick(data: st.DataObject, ids: list[int], label: str) -> int:
    """One of ``ids``, rarely an id that does not exist."""
    return data.draw(st.sampled_from([*ids, *ids, 9999]), label=label)


def assignee(data: st.DataObject, sim: Sim) -> int | None:
    """Mostly nobody (the actor) or an active user; sometimes the inactive one."""
    return data.draw(st.sampled_from([None, None, *sim.user_ids]), label="assignee")


def next_follow_up(data: st.DataObject, sim: Sim, not_before: date) -> NextFollowUp | None:
    if data.draw(st.integers(0, 3), label="no next follow-up?") == 0:
        return None
    return NextFollowUp(
        due_date=not_before + timedelta(days=data.draw(st.integers(-1, 20), label="due in")),
        assignee_id=assignee(data, sim),
        priority=data.draw(st.sampled_from(list(Priority)), label="priority"),
        recurrence=data.draw(st.sampled_from(RULES), label="rule"),
        recurrence_anchor=data.draw(st.sampled_from(list(RecurrenceAnchor)), label="anchor"),
    )


def op_create_record(data, sim, actor):
    name = data.draw(st.sampled_from(["Neu GmbH", "Schmidt KG", "", "Weber AG"]), label="name")
    owner = assignee(data, sim)
    return f"create_record({name!r}, owner={owner})", lambda: actor.create_record(
        RecordData(name=name, owner_id=owner)
    )


def op_assign(data, sim, actor):
    record = pick(data, sim.ids(m.Record), "record")
    campaign = data.draw(st.sampled_from(sim.campaigns), label="campaign")
    status = data.draw(st.one_of(st.none(), st.sampled_from(sim.statuses)), label="status")
    nf = next_follow_up(data, sim, sim.clock.today())
    return f"assign({record}, {campaign}, {status}, {nf})", lambda: actor.assign_to_campaign(
        record, campaign, status, next_follow_up=nf
    )


def op_log_activity(data, sim, actor):
    records = sim.ids(m.Record)
    record = pick(data, records, "record")
    own_open = sim.ids(m.FollowUp, m.FollowUp.record_id == record, m.FollowUp.state == "open")
    every = sim.ids(m.FollowUp)
    completes = data.draw(
        st.one_of(
            st.lists(st.sampled_from(own_open), unique=True) if own_open else st.just([]),
            st.lists(st.sampled_from(own_open), min_size=1, unique=True)
            if own_open
            else st.just([]),
            st.lists(st.sampled_from(every), max_size=2) if every else st.just([]),
        ),
        label="completes",
    )
    changes: dict[int, int] = {}
    if data.draw(st.booleans(), label="status change?"):
        changes[data.draw(st.sampled_from(sim.campaigns), label="campaign")] = data.draw(
            st.sampled_from(sim.statuses), label="to status"
        )
    back = data.draw(st.sampled_from([None, None, None, None, 0, 3, 30, 50, -1]), label="hours ago")
    occurred = None
    if back is not None:
        zone = data.draw(st.sampled_from([UTC, BERLIN]), label="zone")
        occurred = (sim.clock.now() - timedelta(hours=back)).astimezone(zone)
    day = (occurred or sim.clock.now()).astimezone(BERLIN).date()
    cmd = LogActivity(
        record_id=record,
        subject=data.draw(
            st.sampled_from(["Telefonat", "Besuch", "E-Mail", "Notiz", "Brief", " "]),
            label="subject",
        ),
        occurred_at=occurred,
        completes=tuple(completes),
        status_changes=changes,
        next_follow_up=next_follow_up(data, sim, day),
    )
    return f"log_activity({cmd})", lambda: actor.log_activity(cmd)


def op_create_follow_up(data, sim, actor):
    record = pick(data, sim.ids(m.Record), "record")
    activities = sim.ids(m.Activity)
    own = sim.ids(m.Activity, m.Activity.record_id == record)
    source = data.draw(
        st.one_of(
            st.none(),
            st.sampled_from(own) if own else st.none(),
            st.sampled_from(activities) if activities else st.none(),
        ),
        label="source activity",
    )
    nf = next_follow_up(data, sim, sim.clock.today() - timedelta(days=1)) or NextFollowUp(
        sim.clock.today()
    )
    return f"create_follow_up({record}, {nf}, source={source})", lambda: actor.create_follow_up(
        record, nf, source_activity_id=source
    )


def op_update_follow_up(data, sim, actor):
    fu = pick(data, sim.ids(m.FollowUp), "follow-up")
    if fu == 9999:
        return "update_follow_up(none)", lambda: actor.update_follow_up(9999, expected_version=1)
    version = sim.version(fu) - data.draw(st.sampled_from([0, 0, 0, 1]), label="stale by")
    changes: dict[str, Any] = {}
    if data.draw(st.booleans(), label="reschedule?"):
        changes["due_date"] = sim.clock.today() + timedelta(days=data.draw(st.integers(-3, 20)))
    if data.draw(st.booleans(), label="reassign?"):
        changes["assignee_id"] = data.draw(st.sampled_from(sim.user_ids), label="to")
    if data.draw(st.booleans(), label="priority?"):
        changes["priority"] = data.draw(st.sampled_from(list(Priority)))
    return f"update_follow_up({fu}, v{version}, {changes})", lambda: actor.update_follow_up(
        fu, expected_version=version, **changes
    )


def op_cancel(data, sim, actor):
    fu = pick(data, sim.ids(m.FollowUp), "follow-up")
    if fu == 9999:
        return "cancel(none)", lambda: actor.cancel_follow_up(9999, expected_version=1)
    version = sim.version(fu) - data.draw(st.sampled_from([0, 0, 0, 1]), label="stale by")
    return f"cancel_follow_up({fu}, v{version})", lambda: actor.cancel_follow_up(
        fu, expected_version=version
    )


OPERATIONS = [
    op_create_record,
    op_assign,
    op_assign,
    op_log_activity,
    op_log_activity,
    op_log_activity,
    op_create_follow_up,
    op_update_follow_up,
    op_cancel,
]


def violations(sim: Sim, *, dead_records: bool) -> list[str]:
    with sim.db.read() as s:
        found = [
            f"{v.check} {v.sample}" for v in check_invariants(s, include_dead_records=dead_records)
        ]
        if dead_records:  # policy on everywhere: no follow-up without an activity either
            orphans = s.scalars(
                select(m.FollowUp.id).where(m.FollowUp.source_activity_id.is_(None))
            ).all()
            if orphans:
                found.append(f"follow-up without activity {orphans}")
    return found


def run_chain(db: Database, data: st.DataObject, actors: tuple[str, ...], *, policy_on: bool):
    sim = build(db)
    assert violations(sim, dead_records=policy_on) == []
    steps = data.draw(st.integers(4, 14), label="steps")
    for step in range(steps):
        sim.clock.advance(hours=data.draw(st.integers(0, 30), label="hours later"))
        actor_name = data.draw(st.sampled_from(actors), label="actor")
        operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
        label, call = operation(data, sim, sim.ctl[actor_name])
        label = f"step {step}: {actor_name} {label}"
        before = fingerprint(db)
        try:
            call()
        except DomainError as exc:
            note(f"{label} -> refused {exc.rule_id}")
            event(f"{operation.__name__}: refused {exc.rule_id}")
            assert exc.rule in EXPECTED_RULES, f"{label}: unexpected refusal {exc!r}"
            assert fingerprint(db) == before, f"{label}: refused, but the database changed"
        else:
            note(f"{label} -> ok")
            event(f"{operation.__name__}: ok")
            problems = violations(sim, dead_records=policy_on)
            assert problems == [], f"{label}: invariants violated: {problems}"


# An example costs about half a second on SQLite and two or three times that on
# PostgreSQL (a commit per operation); the counts keep the file near a minute.
EXAMPLES = {"sqlite": 25, "postgresql": 10}
CHAIN_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # No shrinking: with examples this costly, shrinking one took minutes. A
    # failure reports every step of its example (note()), which is short anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def check_chain(db: Database, actors: tuple[str, ...], *, policy_on: bool) -> None:
    """Run the examples on this backend; each one resets the database itself."""

    @settings(CHAIN_SETTINGS, max_examples=EXAMPLES[db.url.get_backend_name()])
    @given(data=st.data())
    def chain(data: st.DataObject) -> None:
        run_chain(db, data, actors, policy_on=policy_on)

    chain()


def test_chain_holds_with_policies_on(db):
    """Only users of policy-on groups act: no record in an active campaign with a
    non-final status is ever left without an open follow-up, no follow-up
    exists without an activity."""
    check_chain(db, POLICY_ON, policy_on=True)


def test_chain_holds_with_policies_mixed(db):
    """Users with the policies off (and an inactive user) act too: the
    always-on invariants still hold, refusals still write nothing."""
    check_chain(db, MIXED, policy_on=False)
