"""What the large data set holds and how it is laid out before anything is written.

The sizes (:class:`Targets`, exact row counts scaled by the factor) and the
result (:class:`LargeResult`); the world set up through the controller as an
administrator would (:func:`_setup`: users, teams, role groups, campaigns); and
the plan of the history (:func:`_plan`: per record its activities, contacts,
owner, recurring series, campaign walks, done and open follow-ups, with exact
totals).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RoleGroupData, bootstrap
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.storage import Database

from .vocabulary import (
    CAMPAIGNS,
    LEADER_RIGHTS,
    OFFICE_RIGHTS,
    OFFICE_TEAM,
    OFFICE_USERS,
    PEOPLE,
    SALES_PER_TEAM,
    SURNAMES,
    TEAMS,
)

# --- sizes ---------------------------------------------------------------------------

FULL_RECORDS = 100_000
CONTACTS_PER_RECORD = 2.5
ACTIVITIES_PER_RECORD = 20
DONE_PER_RECORD = 15
OPEN_PER_RECORD = 1.5
MIN_RECORDS = 20
HISTORY_DAYS = 3650


@dataclass(frozen=True)
class Targets:
    """Exact row counts the generator writes."""

    records: int
    contacts: int
    activities: int
    done_follow_ups: int
    open_follow_ups: int

    @classmethod
    def scaled(cls, factor: float) -> Targets:
        if not (isinstance(factor, int | float) and 0 < factor <= 10):
            raise ValueError(f"Faktor {factor!r} ungültig: erlaubt ist 0 < Faktor ≤ 10.")
        records = max(MIN_RECORDS, round(FULL_RECORDS * factor))
        return cls(
            records=records,
            contacts=round(records * CONTACTS_PER_RECORD),
            activities=records * ACTIVITIES_PER_RECORD,
            done_follow_ups=records * DONE_PER_RECORD,
            open_follow_ups=round(records * OPEN_PER_RECORD),
        )


@dataclass(frozen=True)
class LargeResult:
    targets: Targets
    users: int
    teams: int
    campaigns: int
    recurring_series: int
    dead_records: int
    admin_user_id: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase


Progress = Callable[[str, int, int], None]


RECURRING_SHARE = 0.05
KEY_ACCOUNT_RECORDS = 20_000  # one key account per this many records
DEAD_SHARE = 0.015


# --- the set-up through the controller ----------------------------------------------------


@dataclass
class _Campaign:
    id: int
    name: str
    active: bool
    share: float
    first_share: float
    start: int
    final: dict[int, bool]
    next: dict[int, list[int]]


@dataclass
class _World:
    admin_id: int
    users: list[int]
    owners: list[int]  # who owns records (sales, team leads, admins)
    owner_weights: list[float]
    team_of: dict[int, int]
    team_members: dict[int, list[int]]
    office: list[int]
    campaigns: list[_Campaign]
    types: dict[str, int]


def _login(first: str, last: str, taken: set[str]) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe"})
    base = (first[0] + last).lower().translate(table)
    login, k = base, 1
    while login in taken:
        k += 1
        login = f"{base}{k}"
    taken.add(login)
    return login


def _setup(db: Database, rng: random.Random, now: datetime) -> _World:
    """Users, teams, role groups and campaigns through the controller."""
    clock_at = now - timedelta(days=HISTORY_DAYS + 1)
    admin_id = bootstrap(db, "kbecker", "Katrin Becker")
    admin = Controller(db, admin_id, clock=FixedClock(clock_at))
    with db.read() as s:
        groups = {g.name: g.id for g in s.scalars(select(m.RoleGroup))}
        types = {t.name: t.id for t in s.scalars(select(m.ActivityType))}
    leader_group = admin.create_role_group(
        RoleGroupData("Teamleitung", rights=LEADER_RIGHTS)
    ).result_id
    office_group = admin.create_role_group(
        RoleGroupData("Innendienst", activity_requires_follow_up=False, rights=OFFICE_RIGHTS)
    ).result_id
    assert leader_group is not None and office_group is not None
    team_ids: list[int] = []
    for name in [*TEAMS, OFFICE_TEAM]:
        team_id = admin.create_team(name).result_id
        assert team_id is not None
        team_ids.append(team_id)
    taken = {"kbecker"}
    names = set()

    def person() -> tuple[str, str]:
        while True:
            first, last = rng.choice(PEOPLE)[1], rng.choice(SURNAMES)
            if (first, last) not in names and (first, last) != ("Katrin", "Becker"):
                names.add((first, last))
                return first, last

    def user(group: int, team: int) -> int:
        first, last = person()
        login = _login(first, last, taken)
        uid = admin.create_user(
            login,
            f"{first} {last}",
            role_group_id=group,
            team_id=team,
            email=f"{login}@example.com",
        ).result_id
        assert uid is not None
        return uid

    with db.write() as s:
        first_user = s.get(m.User, admin_id)
        assert first_user is not None
        first_user.team_id = team_ids[0]
        first_user.email = "kbecker@example.com"
    team_of = {admin_id: team_ids[0]}
    second_admin = user(groups["Administratoren"], team_ids[4])
    team_of[second_admin] = team_ids[4]
    sales = []
    for t in range(len(TEAMS)):
        for k in range(SALES_PER_TEAM):
            uid = user(leader_group if k == 0 else groups["Vertrieb"], team_ids[t])
            team_of[uid] = team_ids[t]
            sales.append(uid)
    office = []
    for _ in range(OFFICE_USERS):
        uid = user(office_group, team_ids[-1])
        team_of[uid] = team_ids[-1]
        office.append(uid)
    campaigns = []
    for name, active, share, first_share, specs in CAMPAIGNS:
        cid = admin.create_campaign(name, specs).result_id
        assert cid is not None
        with db.read() as s:
            rows = s.scalars(
                select(m.CampaignStatus)
                .where(m.CampaignStatus.campaign_id == cid)
                .order_by(m.CampaignStatus.position)
            ).all()
            final = {st.id: st.is_final for st in rows}
            nxt = {st.id: [x.id for x in st.next_statuses] for st in rows}
            start = next(st.id for st in rows if st.is_start)
        campaigns.append(_Campaign(cid, name, active, share, first_share, start, final, nxt))
    for c in campaigns:
        if not c.active:
            admin.set_campaign_active(c.id, False)
    owners = [admin_id, second_admin, *sales]
    # Some account managers own far more records than others.
    weights = [0.3, 0.3] + [rng.uniform(0.4, 2.0) for _ in sales]
    members: dict[int, list[int]] = {}
    for uid, team in team_of.items():
        members.setdefault(team, []).append(uid)
    return _World(
        admin_id,
        [admin_id, second_admin, *sales, *office],
        owners,
        weights,
        team_of,
        members,
        office,
        campaigns,
        types,
    )


# --- the plan: exact counts with realistic spreads ---------------------------------------


def _fit(values: list[int], target: int, lo: Sequence[int], hi: Sequence[int], rng) -> None:
    """Nudge ``values`` (within lo..hi per item) until they sum to ``target``."""
    diff = target - sum(values)
    n = len(values)
    if diff > 0 and sum(h - v for h, v in zip(hi, values, strict=True)) < diff:
        raise ValueError("plan infeasible: too few slots")
    if diff < 0 and sum(v - low for low, v in zip(lo, values, strict=True)) < -diff:
        raise ValueError("plan infeasible: too many items")
    step = 1 if diff > 0 else -1
    misses = 0
    while diff:
        i = rng.randrange(n)
        if (step > 0 and values[i] < hi[i]) or (step < 0 and values[i] > lo[i]):
            values[i] += step
            diff -= step
            misses = 0
        else:
            misses += 1
            if misses > 50:  # few candidates left: walk them in order
                for j in range(n):
                    while diff and lo[j] <= values[j] + step <= hi[j]:
                        values[j] += step
                        diff -= step
                return


def _apportion(weights: Sequence[float], total: int) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    w_sum = sum(weights)
    quotas = [w * total / w_sum for w in weights]
    result = [int(q) for q in quotas]
    rest = total - sum(result)
    order = sorted(range(len(weights)), key=lambda i: quotas[i] - result[i], reverse=True)
    for i in order[:rest]:
        result[i] += 1
    return result


@dataclass
class _Plan:
    activities: list[int]
    contacts: list[int]
    person: list[bool]
    owner: list[int]
    series: list[int | None]  # index into SERIES for recurring records
    # per record: [(campaign index, [(activity index, from status, to status), ...]), ...]
    memberships: list[list[tuple[int, list[tuple[int, int | None, int]]]]]
    dead: list[bool]
    done: list[int]
    open: list[int]


def _walk(rng: random.Random, c: _Campaign, n: int) -> list[tuple[int, int | None, int]]:
    start = 0 if rng.random() < c.first_share else rng.randrange(n)
    changes: list[tuple[int, int | None, int]] = [(start, None, c.start)]
    later = n - start - 1
    steps = min(later, int(rng.expovariate(1 / 2.2)))
    status = c.start
    for idx in sorted(rng.sample(range(start + 1, n), steps)) if steps else ():
        options = c.next[status]
        if not options:
            break
        new = options[0] if rng.random() < 0.55 else rng.choice(options)
        changes.append((idx, status, new))
        status = new
    return changes


def _plan(rng: random.Random, t: Targets, world: _World) -> _Plan:
    n = t.records
    # Activities: log-normal, a few key accounts with thousands.
    weights = [rng.lognormvariate(0.0, 1.34) for _ in range(n)]
    normal = sum(weights)
    for i in rng.sample(range(n), max(1, n // KEY_ACCOUNT_RECORDS)):
        weights[i] = normal * rng.uniform(0.0012, 0.0028)  # ~ 0.2 % of all activities each
    activities = [1 + a for a in _apportion(weights, t.activities - n)]
    person = [rng.random() < 0.08 for _ in range(n)]
    companies = n - sum(person)
    if companies == 0 or t.contacts < companies:
        raise ValueError("too few contacts for the companies")
    contacts = [0 if p else 1 + int(rng.expovariate(1 / 1.7)) for p in person]
    _fit(
        contacts, t.contacts, [0 if p else 1 for p in person], [0 if p else 12 for p in person], rng
    )
    owner = rng.choices(world.owners, world.owner_weights, k=n)
    series: list[int | None] = []
    for a in activities:
        if a <= 257 and rng.random() < RECURRING_SHARE:
            series.append(0 if a <= 19 else 1 if a <= 39 else 2 if a <= 118 else 3)
        else:
            series.append(None)
    memberships = []
    live = []
    for i in range(n):
        mine = []
        for ci, c in enumerate(world.campaigns):
            if rng.random() < c.share:
                mine.append((ci, _walk(rng, c, activities[i])))
        memberships.append(mine)
        live.append(
            any(
                world.campaigns[ci].active and not world.campaigns[ci].final[walk[-1][2]]
                for ci, walk in mine
            )
        )
    dead = [
        series[i] is None and live[i] and rng.random() < DEAD_SHARE for i in range(n)
    ]  # fmt: skip
    # Done follow-ups: each recurring record's whole series; the rest spread over the
    # other records' activities (one follow-up per activity but the last).
    done = [activities[i] - 1 if series[i] is not None else 0 for i in range(n)]
    rest = t.done_follow_ups - sum(done)
    slots = [activities[i] - 1 if series[i] is None else 0 for i in range(n)]
    share = rest / max(1, sum(slots))
    for i in range(n):
        if series[i] is None:
            done[i] = min(slots[i], int(share * slots[i] + rng.random()))
    fixed = [s is not None for s in series]
    done_low = [d if f else 0 for d, f in zip(done, fixed, strict=True)]
    done_high = [d if f else sl for d, f, sl in zip(done, fixed, slots, strict=True)]
    _fit(done, t.done_follow_ups, done_low, done_high, rng)
    # Open follow-ups: a live record has at least one (unless it is one of the dead);
    # some have a second or third for a colleague; others keep one for later.
    opened, lo, hi = [], [], []
    for i in range(n):
        if series[i] is not None:
            k = low = high = 1
        elif dead[i]:
            k = low = high = 0
        elif live[i]:
            k = 1 + (rng.random() < 0.4) + (rng.random() < 0.1)
            low, high = 1, 4
        else:
            k = int(rng.random() < 0.5) + (rng.random() < 0.1)
            low, high = 0, 3
        opened.append(int(k))
        lo.append(low)
        hi.append(high)
    _fit(opened, t.open_follow_ups, lo, hi, rng)
    return _Plan(activities, contacts, person, owner, series, memberships, dead, done, opened)
