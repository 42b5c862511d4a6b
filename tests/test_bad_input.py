"""Bad input: each refused call raises DomainError with the right rule, and
nothing is written (the whole database compares equal before and after).

Each test runs a list of refusals against one small world; a refusal changes
nothing, so the world stays the same for the next case. All mismatches of a
test are collected and reported together.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import (
    ContactData,
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
)
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Base, Module, Scope
from akquise_desktop.storage import Database

from .factories import World, make_world

BERLIN = ZoneInfo("Europe/Berlin")


def fingerprint(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key (test worlds are small)."""
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def fingerprint_diff(before: dict, after: dict) -> str:
    changed = [name for name in before if before[name] != after.get(name)]
    return ", ".join(
        f"{name}: {len(before[name])} -> {len(after.get(name, []))} rows" for name in changed
    )


class Refusals:
    """Collects every case whose refusal is not as expected."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.problems: list[str] = []

    def expect(self, label: str, rule: Rule, call: Callable[[], Any]) -> None:
        before = fingerprint(self.db)
        try:
            call()
        except DomainError as exc:
            if exc.rule is not rule:
                self.problems.append(f"{label}: expected {rule.id}, got {exc!r}")
            for lang in ("de", "en"):
                text = exc.message(lang)
                if not text or "{" in text:
                    self.problems.append(f"{label}: bad {lang} message {text!r}")
        except Exception as exc:
            self.problems.append(
                f"{label}: expected DomainError {rule.id}, got {type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}"
            )
        else:
            self.problems.append(f"{label}: expected {rule.id}, but the call succeeded")
        after = fingerprint(self.db)
        if after != before:
            self.problems.append(f"{label}: database changed ({fingerprint_diff(before, after)})")

    def check(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@dataclass
class Scene:
    """A world with a record in the campaign, its history and some extra things."""

    world: World
    db: Database
    record: int  # sales' record, in "Neukunden" at Lead, one open follow-up
    plain: int  # sales' record without campaign
    south: int  # a record of the Süd user, one open follow-up
    assign_activity: int  # the activity that put ``record`` into the campaign
    open_fu: int
    done_fu: int
    cancelled_fu: int
    south_fu: int
    contact: int  # a contact of ``south``
    inactive_id: int
    bestand: int  # a second active campaign
    bestand_status: dict[str, int]
    old_campaign: int  # an inactive campaign
    old_status: int
    admin_group: int

    def log(self, ctl: Controller | None = None, **kwargs: Any) -> Callable[[], Any]:
        """A call logging an activity on ``record`` (defaults: valid and complete)."""
        fields: dict[str, Any] = {
            "record_id": self.record,
            "subject": "Telefonat",
            "next_follow_up": NextFollowUp(self.world.today + timedelta(days=3)),
        }
        fields.update(kwargs)
        actor = ctl or self.world.sales
        return lambda: actor.log_activity(LogActivity(**fields))


def follow_up_version(db: Database, fu_id: int) -> int:
    with db.read() as s:
        return s.get(m.FollowUp, fu_id).version


def activity_version(db: Database, activity_id: int) -> int:
    with db.read() as s:
        return s.get(m.Activity, activity_id).version


@pytest.fixture
def scene(db, clock) -> Scene:
    w = make_world(db, clock)
    today = w.today
    record = w.in_campaign("Müller GmbH")
    plain = w.record("Schulz KG")
    south = w.in_campaign("Süd AG", owner=w.other)
    with db.read() as s:
        fus = s.scalars(select(m.FollowUp.id).order_by(m.FollowUp.id)).all()
        assign_activity = s.scalar(
            select(m.Activity.id).where(m.Activity.record_id == record).order_by(m.Activity.id)
        )
        admin_group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.is_admin))
    first_fu, south_fu = fus
    # Complete the first follow-up (-> done) with a new one, then a third to cancel.
    summary = w.sales.log_activity(
        LogActivity(
            record_id=record,
            subject="Erstgespräch",
            completes=(first_fu,),
            next_follow_up=NextFollowUp(today + timedelta(days=5)),
        )
    )
    (open_fu,) = summary.created[Entity.FOLLOW_UP]
    w.admin.create_follow_up(
        record, NextFollowUp(today + timedelta(days=9)), source_activity_id=summary.result_id
    )
    with db.read() as s:
        cancelled_fu = s.scalar(select(m.FollowUp.id).order_by(m.FollowUp.id.desc()).limit(1))
    w.admin.cancel_follow_up(cancelled_fu, expected_version=follow_up_version(db, cancelled_fu))
    contact = w.other.add_contact(south, ContactData(last_name="Berger")).result_id
    with db.read() as s:
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
    inactive_id = w.admin.create_user("weg", "Willi Weg", role_group_id=group).result_id
    w.admin.set_user_active(inactive_id, False)
    bestand = w.admin.create_campaign(
        "Bestand",
        [
            StatusSpec("Aktiv", next=("Gefährdet",)),
            StatusSpec("Gefährdet", next=("Aktiv", "Verloren")),
            StatusSpec("Verloren", is_final=True),
        ],
    ).result_id
    old_campaign = w.admin.create_campaign("Alt", [StatusSpec("Offen")]).result_id
    w.admin.set_campaign_active(old_campaign, False)
    with db.read() as s:
        bestand_status = {
            st.name: st.id
            for st in s.scalars(
                select(m.CampaignStatus).where(m.CampaignStatus.campaign_id == bestand)
            )
        }
        old_status = s.scalar(
            select(m.CampaignStatus.id).where(m.CampaignStatus.campaign_id == old_campaign)
        )
    return Scene(
        world=w,
        db=db,
        record=record,
        plain=plain,
        south=south,
        assign_activity=assign_activity,
        open_fu=open_fu,
        done_fu=first_fu,
        cancelled_fu=cancelled_fu,
        south_fu=south_fu,
        contact=contact,
        inactive_id=inactive_id,
        bestand=bestand,
        bestand_status=bestand_status,
        old_campaign=old_campaign,
        old_status=old_status,
        admin_group=admin_group,
    )


def test_scene_is_as_described(scene):
    """The refusals below mean something only if the scene is what they assume."""
    with scene.db.read() as s:
        states = {
            fu_id: s.get(m.FollowUp, fu_id).state
            for fu_id in (scene.open_fu, scene.done_fu, scene.cancelled_fu, scene.south_fu)
        }
        inactive = s.get(m.User, scene.inactive_id)
        assert not inactive.active
        assert not s.get(m.Campaign, scene.old_campaign).active
    assert states == {
        scene.open_fu: "open",
        scene.done_fu: "done",
        scene.cancelled_fu: "cancelled",
        scene.south_fu: "open",
    }
    # The default call of Scene.log is valid: it is accepted.
    scene.log()()


# --- text fields ------------------------------------------------------------------------


def test_empty_and_oversized_text(scene):
    w, r = scene.world, Refusals(scene.db)
    today = w.today
    r.expect("empty subject", Rule.REQUIRED, scene.log(subject=""))
    r.expect("blank subject", Rule.REQUIRED, scene.log(subject="   \t "))
    r.expect("subject 201", Rule.TOO_LONG, scene.log(subject="x" * (m.SUBJECT_MAX + 1)))
    r.expect("text too long", Rule.TOO_LONG, scene.log(text="x" * (m.TEXT_MAX + 1)))
    long_instruction = NextFollowUp(today + timedelta(days=1), instruction="x" * 501)
    r.expect("instruction 501", Rule.TOO_LONG, scene.log(next_follow_up=long_instruction))
    r.expect(
        "instruction 501 (create_follow_up)",
        Rule.TOO_LONG,
        lambda: w.sales.create_follow_up(
            scene.record, long_instruction, source_activity_id=scene.assign_activity
        ),
    )
    r.expect(
        "instruction 501 (update_follow_up)",
        Rule.TOO_LONG,
        lambda: w.sales.update_follow_up(
            scene.open_fu,
            expected_version=follow_up_version(scene.db, scene.open_fu),
            instruction="x" * 501,
        ),
    )
    for label, data, rule in [
        ("record name empty", RecordData(name=""), Rule.REQUIRED),
        ("record name blank", RecordData(name="  "), Rule.REQUIRED),
        ("record name 201", RecordData(name="x" * 201), Rule.TOO_LONG),
        ("city 101", RecordData(name="A", city="x" * 101), Rule.TOO_LONG),
        ("street 201", RecordData(name="A", street="x" * 201), Rule.TOO_LONG),
        ("postal code 21", RecordData(name="A", postal_code="1" * 21), Rule.TOO_LONG),
        ("country 3", RecordData(name="A", country="DEU"), Rule.TOO_LONG),
        ("phone 51", RecordData(name="A", phone="1" * 51), Rule.TOO_LONG),
        ("email 255", RecordData(name="A", email="a" * 245 + "@example.de"), Rule.TOO_LONG),
        ("website 255", RecordData(name="A", website="w" * 255), Rule.TOO_LONG),
        ("industry 101", RecordData(name="A", industry="x" * 101), Rule.TOO_LONG),
        ("notes 20001", RecordData(name="A", notes="x" * 20_001), Rule.TOO_LONG),
    ]:
        r.expect(f"create_record: {label}", rule, lambda d=data: w.sales.create_record(d))
    with scene.db.read() as s:
        version = s.get(m.Record, scene.record).version
    r.expect(
        "update_record: empty name",
        Rule.REQUIRED,
        lambda: w.sales.update_record(scene.record, RecordData(name=""), expected_version=version),
    )
    for label, data, rule in [
        ("contact last name empty", ContactData(last_name=" "), Rule.REQUIRED),
        ("contact last name 101", ContactData(last_name="x" * 101), Rule.TOO_LONG),
        ("contact first name 101", ContactData(last_name="A", first_name="x" * 101), Rule.TOO_LONG),
        ("contact mobile 51", ContactData(last_name="A", mobile="1" * 51), Rule.TOO_LONG),
    ]:
        r.expect(label, rule, lambda d=data: w.sales.add_contact(scene.record, d))
    r.expect(
        "correct_activity: empty subject",
        Rule.REQUIRED,
        lambda: w.sales.correct_activity(
            scene.assign_activity,
            expected_version=activity_version(scene.db, scene.assign_activity),
            subject="",
            text="",
            reason="Tippfehler",
        ),
    )
    r.expect(
        "correct_activity: no reason",
        Rule.REQUIRED,
        lambda: w.sales.correct_activity(
            scene.assign_activity,
            expected_version=activity_version(scene.db, scene.assign_activity),
            subject="Neu",
            text="",
            reason="  ",
        ),
    )
    r.expect("team name empty", Rule.REQUIRED, lambda: w.admin.create_team(""))
    r.expect(
        "user login empty", Rule.REQUIRED, lambda: w.admin.create_user("", "X", role_group_id=1)
    )
    r.expect(
        "user display name empty",
        Rule.REQUIRED,
        lambda: w.admin.create_user("neu", " ", role_group_id=1),
    )
    r.expect(
        "campaign without statuses", Rule.REQUIRED, lambda: w.admin.create_campaign("Leer", [])
    )
    r.check()


def test_admin_names_longer_than_their_columns(scene):
    """Names the controller accepts must fit the database columns: teams, role
    groups, campaigns and statuses have 100 characters, activity types 60. A
    longer name is refused as too long, on every backend (PostgreSQL would
    otherwise fail with a raw database error, SQLite would store it)."""
    w, r = scene.world, Refusals(scene.db)
    r.expect("team 150", Rule.TOO_LONG, lambda: w.admin.create_team("T" * 150))
    r.expect(
        "role group 150", Rule.TOO_LONG, lambda: w.admin.create_role_group(RoleGroupData("G" * 150))
    )
    r.expect(
        "campaign 150",
        Rule.TOO_LONG,
        lambda: w.admin.create_campaign("C" * 150, [StatusSpec("Offen")]),
    )
    r.expect(
        "status 150",
        Rule.TOO_LONG,
        lambda: w.admin.create_campaign("Kurz", [StatusSpec("S" * 150)]),
    )
    r.expect("activity type 80", Rule.TOO_LONG, lambda: w.admin.create_activity_type("A" * 80))
    r.check()


def test_other_invalid_values(scene):
    w, r = scene.world, Refusals(scene.db)
    today = w.today
    r.expect("duration -5", Rule.INVALID_VALUE, scene.log(duration_minutes=-5))
    r.expect("duration 2 days", Rule.INVALID_VALUE, scene.log(duration_minutes=2 * 24 * 60))
    r.expect(
        "priority 7",
        Rule.INVALID_VALUE,
        scene.log(next_follow_up=NextFollowUp(today + timedelta(days=1), priority=7)),
    )
    r.expect(
        "update priority 3",
        Rule.INVALID_VALUE,
        lambda: w.sales.update_follow_up(
            scene.open_fu, expected_version=follow_up_version(scene.db, scene.open_fu), priority=3
        ),
    )
    r.expect(
        "record kind",
        Rule.INVALID_VALUE,
        lambda: w.sales.create_record(RecordData(name="A", kind="verein")),
    )
    r.expect("unknown activity type", Rule.NOT_FOUND, scene.log(type_id=9999))
    r.expect("contact of another record", Rule.NOT_FOUND, scene.log(contact_id=scene.contact))
    r.expect(
        "unknown record",
        Rule.NOT_FOUND,
        lambda: w.sales.log_activity(LogActivity(record_id=9999, subject="x")),
    )
    r.expect(
        "source activity of another record",
        Rule.NOT_FOUND,
        lambda: w.admin.create_follow_up(
            scene.south, NextFollowUp(today + timedelta(days=1)), source_activity_id=9999
        ),
    )
    r.expect(
        "source activity of another record (existing)",
        Rule.NOT_FOUND,
        lambda: w.admin.create_follow_up(
            scene.south,
            NextFollowUp(today + timedelta(days=1)),
            source_activity_id=scene.assign_activity,
        ),
    )
    r.expect(
        "status colour",
        Rule.INVALID_VALUE,
        lambda: w.admin.create_campaign("Bunt", [StatusSpec("A", color="red")]),
    )
    r.expect(
        "status progress 150",
        Rule.INVALID_VALUE,
        lambda: w.admin.create_campaign("Viel", [StatusSpec("A", progress=150)]),
    )
    r.expect(
        "unknown next status",
        Rule.NOT_FOUND,
        lambda: w.admin.create_campaign("Lücke", [StatusSpec("A", next=("B",))]),
    )
    r.expect(
        "time zone",
        Rule.INVALID_VALUE,
        lambda: w.admin.create_user("tz", "T Z", role_group_id=1, time_zone="Mars/Olympus"),
    )
    r.expect(
        "unknown role group",
        Rule.NOT_FOUND,
        lambda: w.admin.create_user("rg", "R G", role_group_id=9999),
    )
    r.expect(
        "unknown team", Rule.NOT_FOUND, lambda: w.admin.create_user("tm", "T M", role_group_id=1,
                                                                    team_id=9999)
    )  # fmt: skip
    r.check()


# --- users ------------------------------------------------------------------------------


def test_unknown_and_inactive_users(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    today = w.today
    r.expect(
        "assignee unknown",
        Rule.UNKNOWN_USER,
        scene.log(next_follow_up=NextFollowUp(today + timedelta(days=1), assignee_id=9999)),
    )
    r.expect(
        "assignee inactive",
        Rule.UNKNOWN_USER,
        scene.log(
            next_follow_up=NextFollowUp(today + timedelta(days=1), assignee_id=scene.inactive_id)
        ),
    )
    r.expect(
        "reassign to inactive",
        Rule.UNKNOWN_USER,
        lambda: w.sales.update_follow_up(
            scene.open_fu,
            expected_version=follow_up_version(db, scene.open_fu),
            assignee_id=scene.inactive_id,
        ),
    )
    r.expect(
        "reassign to unknown",
        Rule.UNKNOWN_USER,
        lambda: w.sales.update_follow_up(
            scene.open_fu, expected_version=follow_up_version(db, scene.open_fu), assignee_id=9999
        ),
    )
    r.expect(
        "create_follow_up for inactive",
        Rule.UNKNOWN_USER,
        lambda: w.sales.create_follow_up(
            scene.record,
            NextFollowUp(today + timedelta(days=1), assignee_id=scene.inactive_id),
            source_activity_id=scene.assign_activity,
        ),
    )
    inactive = w.controller(scene.inactive_id)
    r.expect("acting user inactive", Rule.UNKNOWN_USER, scene.log(inactive))
    r.expect(
        "acting user inactive (create_record)",
        Rule.UNKNOWN_USER,
        lambda: inactive.create_record(RecordData(name="A")),
    )
    r.expect(
        "acting user unknown",
        Rule.UNKNOWN_USER,
        lambda: w.controller(9999).create_record(RecordData(name="A")),
    )
    r.expect(
        "record owner unknown",
        Rule.UNKNOWN_USER,
        lambda: w.admin.create_record(RecordData(name="A", owner_id=9999)),
    )
    r.expect(
        "record owner inactive",
        Rule.UNKNOWN_USER,
        lambda: w.admin.create_record(RecordData(name="A", owner_id=scene.inactive_id)),
    )
    r.check()


# --- dates and times --------------------------------------------------------------------


def test_due_date_before_the_activity(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    today = w.today
    r.expect(
        "next follow-up due yesterday",
        Rule.DUE_BEFORE_ACTIVITY,
        scene.log(next_follow_up=NextFollowUp(today - timedelta(days=1))),
    )
    three_days_ago = w.clock.local_now(BERLIN) - timedelta(days=3)
    r.expect(
        "backdated activity, follow-up due before it",
        Rule.DUE_BEFORE_ACTIVITY,
        scene.log(
            occurred_at=three_days_ago,
            next_follow_up=NextFollowUp(three_days_ago.date() - timedelta(days=1)),
        ),
    )
    with db.read() as s:
        source_day = s.get(m.Activity, scene.assign_activity).occurred_at.astimezone(BERLIN).date()
    r.expect(
        "create_follow_up due before its source activity",
        Rule.DUE_BEFORE_ACTIVITY,
        lambda: w.sales.create_follow_up(
            scene.record,
            NextFollowUp(source_day - timedelta(days=1)),
            source_activity_id=scene.assign_activity,
        ),
    )
    r.expect(
        "reschedule before its source activity",
        Rule.DUE_BEFORE_ACTIVITY,
        lambda: w.sales.update_follow_up(
            scene.open_fu,
            expected_version=follow_up_version(db, scene.open_fu),
            due_date=source_day - timedelta(days=2),
        ),
    )
    r.expect(
        "follow-up without activity due in the past (policy off)",
        Rule.DUE_BEFORE_ACTIVITY,
        lambda: w.lax.create_follow_up(scene.record, NextFollowUp(today - timedelta(days=1))),
    )
    r.check()


def test_naive_and_future_datetimes(scene):
    w, r = scene.world, Refusals(scene.db)
    r.expect(
        "naive occurred_at",
        Rule.INVALID_VALUE,
        scene.log(occurred_at=w.clock.local_now(BERLIN).replace(tzinfo=None)),
    )
    r.expect(
        "naive occurred_at (assign)",
        Rule.INVALID_VALUE,
        lambda: w.sales.assign_to_campaign(
            scene.plain,
            scene.world.campaign_id,
            occurred_at=datetime.combine(w.today - timedelta(days=1), time(10, 0)),
            next_follow_up=NextFollowUp(w.today + timedelta(days=1)),
        ),
    )
    soon = w.clock.local_now(BERLIN) + timedelta(hours=1)
    r.expect(
        "activity in an hour",
        Rule.ACTIVITY_IN_FUTURE,
        scene.log(occurred_at=soon, next_follow_up=NextFollowUp(soon.date() + timedelta(days=1))),
    )
    r.expect(
        "activity in ten minutes",
        Rule.ACTIVITY_IN_FUTURE,
        scene.log(occurred_at=w.clock.local_now(BERLIN) + timedelta(minutes=10)),
    )
    r.expect(
        "assignment tomorrow",
        Rule.ACTIVITY_IN_FUTURE,
        lambda: w.sales.assign_to_campaign(
            scene.plain,
            scene.world.campaign_id,
            occurred_at=w.clock.local_now(BERLIN) + timedelta(days=1),
            next_follow_up=NextFollowUp(w.today + timedelta(days=3)),
        ),
    )
    r.check()


# --- recurrence -------------------------------------------------------------------------

INVALID_RULES = [
    "garbage",
    "FREQ=HOURLY",
    "FREQ=MINUTELY;COUNT=5",
    "FREQ=WEEKLY;COUNT=1",  # no occurrence after the first
    "FREQ=WEEKLY;UNTIL=20200101",
    "FREQ=WEEKLY;DTSTART=20200101T000000",
    "DTSTART:20200101T000000\nRRULE:FREQ=WEEKLY",
    "FREQ=WEEKLY\nEXDATE:20260101T000000",
    "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=DAILY;INTERVAL=-1",
    "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",  # RFC 5545: COUNT and UNTIL must not both occur
    "FREQ=WEEKLY;" + "BYDAY=MO;" * 60,
]


def test_invalid_recurrence(scene):
    w, r = scene.world, Refusals(scene.db)
    due = w.today + timedelta(days=2)
    for rule in INVALID_RULES:
        nf = NextFollowUp(due, due_time=time(9, 0), recurrence=rule)
        r.expect(f"log_activity {rule!r}", Rule.INVALID_RECURRENCE, scene.log(next_follow_up=nf))
        r.expect(
            f"create_follow_up {rule!r}",
            Rule.INVALID_RECURRENCE,
            lambda nf=nf: w.sales.create_follow_up(
                scene.record, nf, source_activity_id=scene.assign_activity
            ),
        )
    r.check()


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;INTERVAL=0", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"],
    ids=["interval-0", "february-30"],
)
def test_recurrence_without_occurrences_is_refused_promptly(rule):
    """A rule that never yields a next date must be refused, not loop forever.

    Run in a child process with a time limit: a hang must fail this test,
    not the whole run."""
    code = (
        "import sys\n"
        "from datetime import date, time\n"
        "from akquise_desktop.core import recurrence\n"
        "from akquise_desktop.core.errors import DomainError\n"
        "try:\n"
        "    recurrence.validate(sys.argv[1], date(2026, 3, 20), time(9, 0))\n"
        "except DomainError as exc:\n"
        "    print(exc.rule_id)\n"
        "else:\n"
        "    print('accepted')\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, rule], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"recurrence.validate({rule!r}) did not return within 20 s (endless loop)")
    assert done.stdout.strip() == Rule.INVALID_RECURRENCE.id, done.stderr


# --- campaigns and statuses -------------------------------------------------------------


def test_status_changes(scene):
    w, r = scene.world, Refusals(scene.db)
    cid, st = w.campaign_id, w.status
    r.expect(
        "Lead -> Angebot (not an allowed next status)",
        Rule.STATUS_NOT_ALLOWED,
        scene.log(status_changes={cid: st["Angebot"]}),
    )
    r.expect(
        "Lead -> Kunde (final, not allowed)",
        Rule.STATUS_NOT_ALLOWED,
        scene.log(status_changes={cid: st["Kunde"]}, next_follow_up=None),
    )
    r.expect(
        "status of another campaign",
        Rule.STATUS_OTHER_CAMPAIGN,
        scene.log(status_changes={cid: scene.bestand_status["Gefährdet"]}),
    )
    r.expect(
        "assign with a status of another campaign",
        Rule.STATUS_OTHER_CAMPAIGN,
        lambda: w.sales.assign_to_campaign(
            scene.plain,
            scene.bestand,
            st["Lead"],
            next_follow_up=NextFollowUp(w.today + timedelta(days=1)),
        ),
    )
    r.expect("unknown status", Rule.NOT_FOUND, scene.log(status_changes={cid: 9999}))
    r.expect("unknown campaign", Rule.NOT_FOUND, scene.log(status_changes={9999: st["Lead"]}))
    r.expect(
        "assign to unknown campaign",
        Rule.NOT_FOUND,
        lambda: w.sales.assign_to_campaign(
            scene.plain, 9999, next_follow_up=NextFollowUp(w.today + timedelta(days=1))
        ),
    )
    r.check()


def test_assign_to_a_campaign_the_record_is_already_in(scene):
    """Assigning again would log a misleading "assigned" activity (or a
    confusing status refusal); the catalogue's rule for it is
    campaign.already_member."""
    w, r = scene.world, Refusals(scene.db)
    nf = NextFollowUp(w.today + timedelta(days=1))
    r.expect(
        "assign again (start status)",
        Rule.ALREADY_IN_CAMPAIGN,
        lambda: w.sales.assign_to_campaign(scene.record, w.campaign_id, next_follow_up=nf),
    )
    r.expect(
        "assign again with another status",
        Rule.ALREADY_IN_CAMPAIGN,
        lambda: w.sales.assign_to_campaign(
            scene.record, w.campaign_id, w.status["Kontaktiert"], next_follow_up=nf
        ),
    )
    r.check()


def test_inactive_campaign(scene):
    w, r = scene.world, Refusals(scene.db)
    nf = NextFollowUp(w.today + timedelta(days=1))
    r.expect(
        "assign to an inactive campaign",
        Rule.CAMPAIGN_INACTIVE,
        lambda: w.sales.assign_to_campaign(scene.plain, scene.old_campaign, next_follow_up=nf),
    )
    r.expect(
        "assign to an inactive campaign with its status",
        Rule.CAMPAIGN_INACTIVE,
        lambda: w.sales.assign_to_campaign(
            scene.plain, scene.old_campaign, scene.old_status, next_follow_up=nf
        ),
    )
    r.expect(
        "status change in an inactive campaign",
        Rule.CAMPAIGN_INACTIVE,
        scene.log(status_changes={scene.old_campaign: scene.old_status}),
    )
    r.check()


# --- rights and scope -------------------------------------------------------------------


def _user_with_rights(w: World, login: str, rights: dict[Module, Scope], team: str | None) -> int:
    group = w.admin.create_role_group(RoleGroupData(f"Gruppe {login}", rights=rights)).result_id
    team_id = None
    if team is not None:
        with w.db.read() as s:
            team_id = s.scalar(select(m.Team.id).where(m.Team.name == team))
    return w.admin.create_user(login, login, role_group_id=group, team_id=team_id).result_id


def test_activity_outside_the_team_scope(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    today = w.today
    # Susi (team Süd, scope team) on Sven's record (team Nord):
    r.expect("log_activity", Rule.NO_RIGHT, scene.log(w.other))
    r.expect(
        "create_follow_up",
        Rule.NO_RIGHT,
        lambda: w.other.create_follow_up(
            scene.record,
            NextFollowUp(today + timedelta(days=2)),
            source_activity_id=scene.assign_activity,
        ),
    )
    r.expect(
        "update_follow_up",
        Rule.NO_RIGHT,
        lambda: w.other.update_follow_up(
            scene.open_fu,
            expected_version=follow_up_version(db, scene.open_fu),
            due_date=today + timedelta(days=20),
        ),
    )
    r.expect(
        "assign_to_campaign",
        Rule.NO_RIGHT,
        lambda: w.other.assign_to_campaign(
            scene.plain, scene.bestand, next_follow_up=NextFollowUp(today + timedelta(days=1))
        ),
    )
    r.expect(
        "add_contact", Rule.NO_RIGHT, lambda: w.other.add_contact(scene.record, ContactData("X"))
    )
    with db.read() as s:
        version = s.get(m.Record, scene.record).version
    r.expect(
        "update_record",
        Rule.NO_RIGHT,
        lambda: w.other.update_record(
            scene.record, RecordData(name="Übernommen"), expected_version=version
        ),
    )
    r.expect(
        "create a record for someone outside the team",
        Rule.NO_RIGHT,
        lambda: w.other.create_record(RecordData(name="A", owner_id=w.sales_id)),
    )
    r.expect(
        "correct an activity of another team's record",
        Rule.NO_RIGHT,
        lambda: w.other.correct_activity(
            scene.assign_activity,
            expected_version=activity_version(scene.db, scene.assign_activity),
            subject="Anders",
            text="",
            reason="falsch",
        ),
    )
    r.expect(
        "complete another team's follow-up from its own record",
        Rule.NO_RIGHT,
        lambda: w.other.log_activity(
            LogActivity(
                record_id=scene.record,
                subject="x",
                completes=(scene.open_fu,),
                next_follow_up=NextFollowUp(today + timedelta(days=1)),
            )
        ),
    )
    r.check()
    # Control: the colleague in the same team may.
    w.controller(w.colleague_id).log_activity(
        LogActivity(
            record_id=scene.record,
            subject="Vertretung",
            next_follow_up=NextFollowUp(today + timedelta(days=1)),
        )
    )


def test_activity_outside_the_own_scope(scene):
    w, r = scene.world, Refusals(scene.db)
    own = {Module.RECORDS: Scope.OWN, Module.ACTIVITIES: Scope.OWN, Module.CONTACTS: Scope.OWN}
    own_id = _user_with_rights(w, "eigen", own, team="Nord")
    ctl = w.controller(own_id)
    r.expect("own scope, same team's record", Rule.NO_RIGHT, scene.log(ctl))
    r.expect("own scope, other team's record", Rule.NO_RIGHT, scene.log(ctl, record_id=scene.south))
    r.expect(
        "own scope, record for a team mate",
        Rule.NO_RIGHT,
        lambda: ctl.create_record(RecordData(name="A", owner_id=w.sales_id)),
    )
    r.check()
    # Control: on its own record it may.
    mine = ctl.create_record(RecordData(name="Eigene GmbH")).result_id
    ctl.log_activity(LogActivity(record_id=mine, subject="Notiz"))


def test_no_right_at_all_and_all_scope(scene):
    w, r = scene.world, Refusals(scene.db)
    reader_id = _user_with_rights(w, "leser", {Module.RECORDS: Scope.OWN}, team="Nord")
    reader = w.controller(reader_id)
    mine = reader.create_record(RecordData(name="Leser GmbH")).result_id
    r.expect(
        "no activities right, own record",
        Rule.NO_RIGHT,
        lambda: reader.log_activity(LogActivity(record_id=mine, subject="x")),
    )
    r.expect("no activities right, team record", Rule.NO_RIGHT, scene.log(reader))
    r.expect("no contacts right", Rule.NO_RIGHT, lambda: reader.add_contact(mine, ContactData("X")))
    r.check()
    # Control: scope "all" reaches every team's records.
    scene.log(w.lax, record_id=scene.south)()


def test_cancel_needs_the_right(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    r.expect(
        "sales group has no cancel right",
        Rule.NO_RIGHT,
        lambda: w.sales.cancel_follow_up(
            scene.open_fu, expected_version=follow_up_version(db, scene.open_fu)
        ),
    )
    r.check()


# --- follow-ups to complete -------------------------------------------------------------


def test_completing_follow_ups(scene):
    r = Refusals(scene.db)
    r.expect(
        "follow-up of another record",
        Rule.FOLLOW_UP_OTHER_RECORD,
        scene.log(scene.world.admin, completes=(scene.south_fu,)),
    )
    r.expect("already done", Rule.FOLLOW_UP_NOT_OPEN, scene.log(completes=(scene.done_fu,)))
    r.expect("cancelled", Rule.FOLLOW_UP_NOT_OPEN, scene.log(completes=(scene.cancelled_fu,)))
    r.expect(
        "one open, one done",
        Rule.FOLLOW_UP_NOT_OPEN,
        scene.log(completes=(scene.open_fu, scene.done_fu)),
    )
    r.expect("unknown", Rule.NOT_FOUND, scene.log(completes=(9999,)))
    w, db = scene.world, scene.db
    r.expect(
        "reschedule a done follow-up",
        Rule.FOLLOW_UP_NOT_OPEN,
        lambda: w.sales.update_follow_up(
            scene.done_fu,
            expected_version=follow_up_version(db, scene.done_fu),
            due_date=w.today + timedelta(days=4),
        ),
    )
    r.expect(
        "cancel a done follow-up",
        Rule.FOLLOW_UP_NOT_OPEN,
        lambda: w.admin.cancel_follow_up(
            scene.done_fu, expected_version=follow_up_version(db, scene.done_fu)
        ),
    )
    r.expect(
        "cancel a cancelled follow-up",
        Rule.FOLLOW_UP_NOT_OPEN,
        lambda: w.admin.cancel_follow_up(
            scene.cancelled_fu, expected_version=follow_up_version(db, scene.cancelled_fu)
        ),
    )
    r.check()


def test_stale_expected_version(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    version = follow_up_version(db, scene.open_fu)
    for stale in (version - 1, version + 1):
        r.expect(
            f"update_follow_up version {stale}",
            Rule.STALE,
            lambda v=stale: w.sales.update_follow_up(
                scene.open_fu, expected_version=v, due_date=w.today + timedelta(days=8)
            ),
        )
        r.expect(
            f"cancel_follow_up version {stale}",
            Rule.STALE,
            lambda v=stale: w.admin.cancel_follow_up(scene.open_fu, expected_version=v),
        )
    with db.read() as s:
        record_version = s.get(m.Record, scene.record).version
        contact_version = s.get(m.Contact, scene.contact).version
    r.expect(
        "update_record",
        Rule.STALE,
        lambda: w.sales.update_record(
            scene.record, RecordData(name="Neu"), expected_version=record_version + 1
        ),
    )
    r.expect(
        "update_contact",
        Rule.STALE,
        lambda: w.other.update_contact(
            scene.contact, ContactData("Neu"), expected_version=contact_version - 1
        ),
    )
    r.check()


# --- administration ---------------------------------------------------------------------


def test_duplicate_names_in_admin_calls(scene):
    w, r = scene.world, Refusals(scene.db)
    r.expect("team", Rule.DUPLICATE, lambda: w.admin.create_team("Nord"))
    r.expect("team, padded", Rule.DUPLICATE, lambda: w.admin.create_team("  Nord "))
    r.expect(
        "role group", Rule.DUPLICATE, lambda: w.admin.create_role_group(RoleGroupData("Locker"))
    )
    r.expect(
        "user login", Rule.DUPLICATE, lambda: w.admin.create_user("sales", "X", role_group_id=1)
    )
    r.expect(
        "campaign", Rule.DUPLICATE, lambda: w.admin.create_campaign("Neukunden", [StatusSpec("A")])
    )
    r.expect("activity type", Rule.DUPLICATE, lambda: w.admin.create_activity_type("Telefonat"))
    r.expect(
        "status twice in one campaign",
        Rule.DUPLICATE,
        lambda: w.admin.create_campaign("Doppelt", [StatusSpec("A"), StatusSpec("A")]),
    )
    with scene.db.read() as s:
        sales_group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
    r.expect(
        "rename a role group to an existing name",
        Rule.DUPLICATE,
        lambda: w.admin.update_role_group(sales_group, RoleGroupData("Locker")),
    )
    r.check()


def test_admin_only_calls_by_non_admins(scene):
    w, r = scene.world, Refusals(scene.db)
    for label, ctl in (("sales", w.sales), ("lax (all scopes)", w.lax)):
        r.expect(f"{label}: create_team", Rule.ADMIN_ONLY, lambda c=ctl: c.create_team("Ost"))
        r.expect(
            f"{label}: create_role_group",
            Rule.ADMIN_ONLY,
            lambda c=ctl: c.create_role_group(RoleGroupData("Neu", is_admin=True)),
        )
        r.expect(
            f"{label}: update_role_group",
            Rule.ADMIN_ONLY,
            lambda c=ctl: c.update_role_group(
                scene.admin_group, RoleGroupData("Administratoren", is_admin=True)
            ),
        )
        r.expect(
            f"{label}: create_user",
            Rule.ADMIN_ONLY,
            lambda c=ctl: c.create_user("neu", "Neu", role_group_id=scene.admin_group),
        )
        r.expect(
            f"{label}: set_user_active",
            Rule.ADMIN_ONLY,
            lambda c=ctl: c.set_user_active(w.colleague_id, False),
        )
    # Settings (campaigns, activity types) need the settings right.
    r.expect(
        "sales: create_campaign",
        Rule.NO_RIGHT,
        lambda: w.sales.create_campaign("Eigene", [StatusSpec("A")]),
    )
    r.expect(
        "sales: set_campaign_active",
        Rule.NO_RIGHT,
        lambda: w.sales.set_campaign_active(w.campaign_id, False),
    )
    r.expect(
        "sales: create_activity_type", Rule.NO_RIGHT, lambda: w.sales.create_activity_type("Fax")
    )
    r.expect(
        "colleague corrects sales' activity",
        Rule.ADMIN_ONLY,
        lambda: w.controller(w.colleague_id).correct_activity(
            scene.assign_activity,
            expected_version=activity_version(scene.db, scene.assign_activity),
            subject="Anders",
            text="",
            reason="falsch",
        ),
    )
    r.check()


def test_admin_group_cannot_be_restricted(scene):
    w, r = scene.world, Refusals(scene.db)
    r.expect(
        "admin flag off",
        Rule.ADMIN_GROUP_UNRESTRICTED,
        lambda: w.admin.update_role_group(
            scene.admin_group, RoleGroupData("Administratoren", is_admin=False)
        ),
    )
    r.expect(
        "a right below 'all'",
        Rule.ADMIN_GROUP_UNRESTRICTED,
        lambda: w.admin.update_role_group(
            scene.admin_group,
            RoleGroupData("Administratoren", is_admin=True, rights={Module.RECORDS: Scope.TEAM}),
        ),
    )
    r.expect(
        "no right at all",
        Rule.ADMIN_GROUP_UNRESTRICTED,
        lambda: w.admin.update_role_group(
            scene.admin_group,
            RoleGroupData("Administratoren", is_admin=True, rights={Module.SETTINGS: Scope.NONE}),
        ),
    )
    r.check()


# --- the chain policies -----------------------------------------------------------------


def test_chain_policy_refusals(scene):
    w, r, db = scene.world, Refusals(scene.db), scene.db
    today = w.today
    r.expect(
        "activity without next follow-up on a live record",
        Rule.ACTIVITY_REQUIRES_FOLLOW_UP,
        scene.log(next_follow_up=None),
    )
    r.expect(
        "completing the last follow-up without a next one",
        Rule.ACTIVITY_REQUIRES_FOLLOW_UP,
        scene.log(completes=(scene.open_fu,), next_follow_up=None),
    )
    r.expect(
        "status change to a live status without a follow-up",
        Rule.ACTIVITY_REQUIRES_FOLLOW_UP,
        scene.log(status_changes={w.campaign_id: w.status["Kontaktiert"]}, next_follow_up=None),
    )
    r.expect(
        "assign to a campaign without a follow-up",
        Rule.ACTIVITY_REQUIRES_FOLLOW_UP,
        lambda: w.sales.assign_to_campaign(scene.plain, scene.bestand),
    )
    r.expect(
        "follow-up without an activity",
        Rule.FOLLOW_UP_REQUIRES_ACTIVITY,
        lambda: w.sales.create_follow_up(scene.record, NextFollowUp(today + timedelta(days=1))),
    )
    r.expect(
        "cancel the last open follow-up of a live record",
        Rule.CANCEL_LEAVES_DEAD_RECORD,
        lambda: w.admin.cancel_follow_up(
            scene.south_fu, expected_version=follow_up_version(db, scene.south_fu)
        ),
    )
    r.check()
