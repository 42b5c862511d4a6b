"""The benchmarked operations, each as the application runs it and (for reads) as
bare SQL returning the same rows.

Application side: the public query functions the views call on their worker,
one database session per worker job (as :meth:`Services.read` does), and the
controller for the write. Parameters (users, records, search words) are picked
deterministically from the database, including the worst cases: the user with
the most due follow-ups and the records with the most activities.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import func, not_, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.queries import dead, follow_ups, records, stream, timeline
from akquise_desktop.storage import Database

from .bare import Bare

BLOCK = 100  # rows per fetch of the record list model (ui/record_list.py)
SCROLL_PAGES = 20


@dataclass
class Case:
    """One measured call: the application's and the bare SQL's version."""

    label: str
    app: Callable[[], Any]
    bare: Callable[[], Any] | None = None


@dataclass
class Operation:
    key: str
    title: str
    target_ms: float  # p95 target on this machine
    cases: list[Case]
    write: bool = False
    notes: str = ""


@dataclass
class Context:
    db: Database
    bare: Bare
    today: date
    rng: random.Random
    users: list[int] = field(default_factory=list)
    records: list[int] = field(default_factory=list)
    search_terms: list[str] = field(default_factory=list)
    phone_numbers: list[str] = field(default_factory=list)  # as stored (records, contacts)


# --- normalisation: what both sides must agree on ----------------------------------------


def open_record_key(detail: records.RecordDetail | None, page: timeline.TimelinePage) -> dict:
    assert detail is not None
    past = [e for e in page.entries if e.at is not None]
    return {
        "record": [(detail.id, detail.name)],
        "contacts": [c.id for c in detail.contacts],
        "memberships": [ms.id for ms in detail.memberships],
        "open_follow_ups": [f.id for f in detail.follow_ups],
        "timeline": [(timeline.RANK[e.kind], e.id) for e in past],
    }


# --- the application side -------------------------------------------------------------------


def page_key(page: records.RecordPage) -> list[tuple]:
    """A page of the record list as the bare SQL returns it, in list order."""
    return [
        (r.id, r.name, r.kind, r.city, r.phone, r.owner, r.campaign, r.status, r.status_color,
         r.status_final, r.campaign_count)
        for r in page.rows
    ]  # fmt: skip


def app_page(db: Database, text: str = "", after: tuple | None = None) -> list[tuple]:
    """A keystroke in the record list (the first page of the result, as the view
    asks the worker for it), or the next page while scrolling (``after``: the key
    of the last row shown)."""
    with db.read() as s:
        page = records.record_page(s, records.RecordCriteria(text=text), after, BLOCK)
    return page_key(page)


def app_open_record(db: Database, record_id: int) -> dict:
    """The record view: master data with contacts, memberships and open follow-ups,
    and the timeline's first page (one worker job, as the view submits it)."""
    with db.read() as s:
        detail, page = records.record_view(s, record_id)
    return open_record_key(detail, page)


def app_sorted_list(db: Database, criteria: records.RecordCriteria) -> list[int]:
    """The record list with a sort and filters: its first page, then the next
    (two worker jobs, as the view asks for them)."""
    with db.read() as s:
        page = records.record_page(s, criteria, None, BLOCK)
    ids = [r.id for r in page.rows]
    if len(page.rows) == BLOCK:
        with db.read() as s:
            ids += [r.id for r in records.record_page(s, criteria, page.rows[-1].key, BLOCK).rows]
    return ids


def list_filters(ctx: Context) -> list[tuple[str, dict]]:
    """The filters of the sorted-list cases: none, the biggest campaign, the most
    common status, an account manager, a team."""
    mem = m.CampaignMembership
    with ctx.db.read() as s:
        campaign = s.scalar(
            select(mem.campaign_id).group_by(mem.campaign_id).order_by(func.count().desc()).limit(1)
        )
        status = s.scalar(
            select(mem.status_id).group_by(mem.status_id).order_by(func.count().desc()).limit(1)
        )
        owner, team = s.execute(
            select(m.Record.owner_id, m.User.team_id)
            .join(m.User, m.User.id == m.Record.owner_id)
            .order_by(m.Record.id)
            .limit(1)
        ).one()
    return [("all", {}), ("campaign", {"campaign_id": campaign}), ("status", {"status_id": status}),
            ("manager", {"owner_id": owner}), ("team", {"team_id": team})]  # fmt: skip


def app_follow_ups(db: Database, user_id: int, today: date) -> dict:
    """The follow-up list as it opens: counts per bucket, the first page by due date."""
    f = follow_ups.FollowUpFilter(today=today, user_id=user_id)
    with db.read() as s:
        counts = follow_ups.bucket_counts(s, f)
    with db.read() as s:
        rows = follow_ups.follow_up_page(s, f)
    order = (
        follow_ups.Bucket.ALL,
        follow_ups.Bucket.OVERDUE,
        follow_ups.Bucket.TODAY,
        follow_ups.Bucket.WEEK,
        follow_ups.Bucket.LATER,
    )
    return {
        "counts": tuple(counts[b] for b in order),
        "rows": [(r.id, r.due_date) for r in rows],
    }


def app_dead(db: Database) -> dict:
    with db.read() as s:
        result = dead.dead_records(s)
    return {
        "count": result.count,
        "rows": [r.id for r in result.rows],
        "statuses": sorted(
            (r.id, st.campaign, st.status) for r in result.rows for st in r.statuses
        ),
    }


def app_stream(db: Database) -> list[int]:
    with db.read() as s:
        return [r.id for r in stream.stream_page(s, stream.StreamFilter())]


# --- parameters --------------------------------------------------------------------------------


def pick(ctx: Context, quick: bool) -> None:
    """Users, records and search words for the cases (deterministic)."""
    db, rng = ctx.db, ctx.rng
    fu = m.FollowUp
    with db.read() as s:
        due = (
            select(fu.assignee_id, func.count().label("n"))
            .where(fu.state == m.FollowUpState.OPEN, fu.due_date <= ctx.today)
            .group_by(fu.assignee_id)
            .order_by(func.count().desc(), fu.assignee_id)
        )
        ranked = [row[0] for row in s.execute(due)]
        biggest = list(
            s.scalars(
                select(m.Activity.record_id)
                .group_by(m.Activity.record_id)
                .order_by(func.count().desc(), m.Activity.record_id)
                .limit(2)
            )
        ) if not quick else []  # fmt: skip
        low, high = s.execute(select(func.min(m.Record.id), func.max(m.Record.id))).one()
        names = []
        for _ in range(3 if quick else 6):
            row = s.execute(
                select(m.Record.name, m.Record.city)
                .where(m.Record.id >= rng.randint(low, high))
                .order_by(m.Record.id)
                .limit(1)
            ).first()
            if row is not None:
                names.append(row)
    ctx.users = ranked[:1] + ranked[1:][:: max(1, len(ranked) // 4)][:3]
    sample = sorted({rng.randint(low, high) for _ in range(8 if quick else 24)})
    ctx.records = biggest + [r for r in sample if r not in biggest]
    terms = []
    for name, city in names:
        first = name.split()[0]
        terms.append(f"{first} {city.split()[0]}" if city else first)
    ctx.search_terms = terms
    with db.read() as s:
        numbers = []
        for table in (m.Record, m.Contact):
            low, high = s.execute(select(func.min(table.id), func.max(table.id))).one()
            for _ in range(2 if quick else 4):
                number = s.scalar(
                    select(table.phone)
                    .where(table.id >= rng.randint(low, high), table.phone.is_not(None))
                    .order_by(table.id)
                    .limit(1)
                )
                if number:
                    numbers.append(number)
    ctx.phone_numbers = numbers


def phone_spellings(number: str) -> list[str]:
    """``number`` (as stored, national: ``0221 3712306``) written the ways a caller
    id, a signature or a website has it."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if not digits.startswith("0") or digits.startswith("00"):
        return [number, digits[-6:]]
    national = digits[1:]
    return [
        number,
        f"+49 {national[:3]} {national[3:]}",
        f"0049{national}",
        f"+49 (0){national}",
        digits,
        digits[-6:],
    ]


def keystrokes(term: str) -> list[str]:
    """What the search field holds after each keystroke."""
    return [term[:k] for k in range(1, len(term) + 1) if not term[:k].endswith(" ")]


# --- the operations ------------------------------------------------------------------------------


def build(ctx: Context, *, quick: bool = False) -> list[Operation]:
    db, bare, today = ctx.db, ctx.bare, ctx.today
    ops: list[Operation] = []

    cases = [
        Case(
            f"{text!r}",
            partial(app_page, db, text),
            partial(bare.record_page, text, limit=BLOCK),
        )
        for term in ctx.search_terms
        for text in keystrokes(term)
    ]
    ops.append(
        Operation(
            "search_keystroke",
            "search-as-you-type: one keystroke to the first page of results",
            50,
            cases,
            notes="record_page (the first page of 100 rows), per prefix of "
            f"{len(ctx.search_terms)} typed 'name city' terms; the view adds a "
            "250 ms typing pause before it searches",
        )
    )

    ops.append(
        Operation(
            "phone_lookup",
            "a caller's number, however written, to the matching records",
            20,
            [
                Case(f"{text!r}", partial(app_page, db, text))
                for number in ctx.phone_numbers
                for text in phone_spellings(number)
            ],
            notes="record_page for numbers of records and contact persons as stored, in "
            "E.164, as '0049 …', '+49 (0)…', without blanks, and their last six digits — what "
            "`call` and the search box run for an incoming call",
        )
    )

    after: list[tuple] = []  # the key of the last row of pages 1, 2, …
    with db.read() as s:
        page = records.record_page(s, records.RecordCriteria(), None, BLOCK)
        while page.rows and len(after) < SCROLL_PAGES:
            after.append(page.rows[-1].key)
            page = records.record_page(s, records.RecordCriteria(), after[-1], BLOCK)
    ops.append(
        Operation(
            "scroll_next_page",
            "next page while scrolling the record list",
            16,
            [
                Case(
                    f"page {k + 1}",
                    partial(app_page, db, "", key),
                    partial(bare.record_page, "", after=key, limit=BLOCK),
                )
                for k, key in enumerate(after, start=1)
            ],
            notes=f"record_page after the last row of pages 1–{len(after)} (keyset, sorted "
            "by name), as the view fetches more rows when scrolled to the end",
        )
    )

    ops.append(
        Operation(
            "open_record",
            "open a record with its first timeline page",
            50,
            [
                Case(
                    f"record {rid}",
                    partial(app_open_record, db, rid),
                    partial(bare.open_record, rid),
                )
                for rid in ctx.records
            ],
            notes="record_view (record_detail + timeline_page in one job); includes the records "
            "with the most activities",
        )
    )

    ops.append(
        Operation(
            "my_follow_ups",
            "a user's overdue + today follow-ups",
            20,
            [
                Case(
                    f"user {uid}",
                    partial(app_follow_ups, db, uid, today),
                    partial(bare.follow_ups, uid, today, follow_ups.PAGE_SIZE),
                )
                for uid in ctx.users
            ],
            notes="bucket_counts + follow_up_page (the list as it opens, due date order: "
            "overdue and today first); includes the user with the most due follow-ups",
        )
    )

    ops.append(
        Operation(
            "dead_records",
            "dead-records view: count and first page",
            100,
            [Case("all", lambda: app_dead(db), lambda: bare.dead_records(dead.PAGE_SIZE))],
        )
    )

    ops.append(
        Operation(
            "activity_stream",
            "activity stream: first page (not in the issue's table)",
            50,
            [Case("all", lambda: app_stream(db), lambda: bare.stream(stream.PAGE_SIZE))],
        )
    )

    ops.append(
        Operation(
            "sorted_lists",
            "record list by each sort and filter: first and next page (not in the issue's table)",
            100,
            [
                Case(f"{sort} / {label}", partial(app_sorted_list, db, criteria))
                for sort in records.SORT_KEYS
                for label, kw in list_filters(ctx)
                for criteria in [records.RecordCriteria(sort=sort, **kw)]
            ],
            notes="record_page twice (first page, next page) per sort key and filter: none, "
            "the biggest campaign, the most common status, an account manager, a team; "
            "no bare SQL (a plain ORDER BY of every match is what the grouped and walked "
            "pages avoid)",
        )
    )

    ops.append(
        Operation(
            "log_activity",
            "log activity (complete follow-up, status change, next follow-up)",
            25 if db.is_sqlite else 40,
            log_activity_cases(ctx, 4 if quick else 40),
            write=True,
            notes="Controller.log_activity by the record's owner; each case a different record "
            "(the benchmark adds these activities to the database)",
        )
    )
    return ops


def log_activity_cases(ctx: Context, n: int) -> list[Case]:
    """Records with an open follow-up and a live status that has a next status: the
    owner completes the follow-up, moves the status on and sets the next one."""
    db = ctx.db
    fu, cm, tr = m.FollowUp, m.CampaignMembership, m.StatusTransition
    with db.read() as s:
        sales = select(m.RoleGroup.id).where(not_(m.RoleGroup.is_admin))
        rows = s.execute(
            select(fu.record_id, fu.id, m.Record.owner_id, cm.campaign_id, tr.to_status_id)
            .join(m.Record, m.Record.id == fu.record_id)
            .join(m.User, m.User.id == m.Record.owner_id)
            .join(cm, cm.record_id == fu.record_id)
            .join(m.Campaign, m.Campaign.id == cm.campaign_id)
            .join(tr, (tr.from_status_id == cm.status_id) & tr.is_default)
            .join(m.CampaignStatus, m.CampaignStatus.id == tr.to_status_id)
            .where(
                fu.state == m.FollowUpState.OPEN,
                fu.assignee_id == m.Record.owner_id,
                m.Campaign.active,
                m.CampaignStatus.is_active,
                m.User.role_group_id.in_(sales),
            )
            .order_by((fu.record_id * 7919) % 10007, fu.id)  # spread over the table
            .limit(n * 4)
        ).all()
    seen: set[int] = set()
    picked = []
    for record_id, fu_id, owner, campaign_id, to_status in rows:
        if record_id in seen:
            continue
        seen.add(record_id)
        assert owner is not None  # joined to its user above
        picked.append((record_id, fu_id, owner, campaign_id, to_status))
        if len(picked) == n:
            break

    def run(record_id: int, fu_id: int, owner: int, campaign_id: int, to_status: int):
        now = datetime.now(UTC)
        ctl = Controller(db, owner, clock=FixedClock(now))
        return ctl.log_activity(
            LogActivity(
                record_id=record_id,
                subject="Benchmark: Telefonat",
                text="- Angebot besprochen\n- nächster Schritt vereinbart",
                occurred_at=now,
                completes=(fu_id,),
                status_changes={campaign_id: to_status},
                next_follow_up=NextFollowUp(
                    due_date=now.date() + timedelta(days=7), instruction="Nachfassen"
                ),
            )
        ).result_id

    return [Case(f"record {p[0]}", partial(run, *p)) for p in picked]
