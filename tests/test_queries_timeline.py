"""The per-record timeline and its entry details (both backends)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.models import Priority
from akquise_desktop.queries.records import record_detail, record_view
from akquise_desktop.queries.timeline import (
    ACTIVITY,
    FOLLOW_UP,
    RANK,
    STATUS_CHANGE,
    TimelinePage,
    entry_info,
    timeline_page,
)

from .factories import STATUSES, make_world


@pytest.fixture
def world(db):
    return make_world(db)


def _page(db, record_id, cursor=None, limit=50):
    with db.read() as s:
        return timeline_page(s, record_id, cursor, limit)


def _complete(world, db, record_id, *, subject, status=None, at=None, due_days=5):
    with db.read() as s:
        open_ids = tuple(f.id for f in record_detail(s, record_id).follow_ups)
    return world.sales.log_activity(
        LogActivity(
            record_id=record_id,
            subject=subject,
            text=f"Text zu {subject}",
            occurred_at=at,
            completes=open_ids,
            status_changes={world.campaign_id: world.status[status]} if status else {},
            next_follow_up=NextFollowUp(world.today + timedelta(days=due_days), instruction="WV"),
        )
    )


def test_timeline_newest_first_with_all_kinds(world, db):
    rid = world.in_campaign()
    now = world.clock.advance(minutes=5)  # the first talk a little after the assignment
    _complete(world, db, rid, subject="Erstgespräch", status="Kontaktiert", at=now)
    entries = _page(db, rid).entries
    kinds = [(e.kind, e.state) for e in entries]
    # Open follow-up on top; then the newest activity with what it did right above it.
    assert kinds[0] == (FOLLOW_UP, "open")
    assert kinds[1:4] == [(FOLLOW_UP, "done"), (STATUS_CHANGE, None), (ACTIVITY, None)]
    assert entries[3].title == "Erstgespräch"
    assert entries[2].from_status == "Lead" and entries[2].to_status == "Kontaktiert"
    # The campaign assignment: its status change and its activity at the bottom.
    assert [e.kind for e in entries[4:]] == [STATUS_CHANGE, ACTIVITY]
    assert entries[4].from_status is None and entries[4].to_status == "Lead"
    assert entries[3].icon and entries[3].author == "Sven Sales"


def test_timeline_pages_by_keyset_without_gaps_or_repeats(world, db):
    rid = world.in_campaign()
    start = world.clock.now() - timedelta(hours=30)
    for k in range(12):
        _complete(world, db, rid, subject=f"A{k}", at=start + timedelta(hours=k))
    full = _page(db, rid, limit=1000)
    assert full.next_cursor is None
    seen = []
    page = _page(db, rid, limit=5)
    seen.extend(page.entries)
    pages = 1
    while page.next_cursor is not None:
        page = _page(db, rid, page.next_cursor, limit=5)
        seen.extend(page.entries)
        pages += 1
    assert [(e.kind, e.id) for e in seen] == [(e.kind, e.id) for e in full.entries]
    assert pages >= 6
    timestamps = [e.at for e in seen if e.at is not None]
    assert timestamps == sorted(timestamps, reverse=True)


def test_entry_details(world, db):
    rid = world.in_campaign()
    summary = _complete(world, db, rid, subject="Angebot besprochen", status="Kontaktiert")
    entries = _page(db, rid).entries
    open_fu = entries[0]
    with db.read() as s:
        fu = entry_info(s, FOLLOW_UP, open_fu.id)
        act = entry_info(s, ACTIVITY, summary.result_id)
        sc = entry_info(s, STATUS_CHANGE, next(e.id for e in entries if e.kind == STATUS_CHANGE))
        assert entry_info(s, ACTIVITY, 999_999) is None
        with pytest.raises(ValueError):
            entry_info(s, "nonsense", 1)
    # A follow-up shows its source activity ("zugehörige Aktivität").
    assert fu.state == "open" and fu.source is not None
    assert fu.source.subject == "Angebot besprochen"
    assert fu.source.text == "Text zu Angebot besprochen"
    assert act.status_changes == (("Neukunden", "Lead", "Kontaktiert", "#808080"),)
    assert len(act.completed) == 1 and len(act.follow_ups) == 1
    assert sc.activity.id == summary.result_id and sc.to_status == "Kontaktiert"
    done_id = act.completed[0][0]
    with db.read() as s:
        done = entry_info(s, FOLLOW_UP, done_id)
    assert done.state == "done" and done.completed_by.id == summary.result_id


def test_empty_timeline(world, db):
    rid = world.record()
    page = _page(db, rid)
    assert page.entries == () and page.next_cursor is None


def _all_entries(db, rid):
    """The timeline by its definition, from the tables: open follow-ups by due
    date (latest first), then every activity, status change and done follow-up
    by (time, kind rank, id), newest first."""
    a, sc, fu = m.Activity, m.StatusChange, m.FollowUp
    with db.read() as s:
        past = [
            (at, RANK[ACTIVITY], i)
            for i, at in s.execute(select(a.id, a.occurred_at).where(a.record_id == rid))
        ]
        past += [
            (at, RANK[STATUS_CHANGE], i)
            for i, at in s.execute(
                select(sc.id, a.occurred_at)
                .join(a, a.id == sc.activity_id)
                .where(sc.record_id == rid)
            )
        ]
        past += [
            (at, RANK[FOLLOW_UP], i)
            for i, at in s.execute(
                select(fu.id, a.occurred_at)
                .join(a, a.id == fu.completed_by_activity_id)
                .where(fu.record_id == rid, fu.state == "done")
            )
        ]
        future = s.execute(
            select(fu.due_date, fu.id).where(fu.record_id == rid, fu.state == "open")
        ).all()
    kind = {v: k for k, v in RANK.items()}
    head = [(FOLLOW_UP, i) for _due, i in sorted(future, reverse=True)]
    return head, [(kind[r], i) for _at, r, i in sorted(past, reverse=True)]  # fmt: skip


def test_every_page_size_gives_the_one_order_with_ties_at_the_page_edges(world, db):
    """Several activities at the same instant, each with two status changes and
    completed follow-ups: whatever the page size, the pages are the timeline's
    order without gaps or repeats (a page ends inside a tie, the next page's
    first entries lie in the time window of the newest activities and beyond it)."""
    second = world.admin.create_campaign("Bestand", STATUSES).result_id
    rid = world.in_campaign("Gleichzeitig GmbH")
    world.sales.assign_to_campaign(rid, second, next_follow_up=NextFollowUp(world.today))
    with db.read() as s:
        statuses = dict(
            s.execute(
                select(m.CampaignStatus.name, m.CampaignStatus.id).where(
                    m.CampaignStatus.campaign_id == second
                )
            ).all()
        )
    cycle = ["Kontaktiert", "Kein Interesse", "Lead"]
    base = world.clock.now().replace(microsecond=0) - timedelta(days=2)
    instants = [base, base, base + timedelta(hours=1), base + timedelta(hours=1),
                base + timedelta(hours=1), base + timedelta(hours=2)]  # fmt: skip
    for k, at in enumerate(instants):
        with db.read() as s:
            open_ids = tuple(f.id for f in record_detail(s, rid).follow_ups)
        name = cycle[k % 3]
        summary = world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject=f"Gleichzeitig {k}",
                occurred_at=at,
                completes=open_ids,
                status_changes={world.campaign_id: world.status[name], second: statuses[name]},
                next_follow_up=NextFollowUp(world.today + timedelta(days=k + 1)),
            )
        )
        # a second follow-up from the same activity: two done ones at one instant later
        world.sales.create_follow_up(
            rid,
            NextFollowUp(world.today + timedelta(days=9)),
            source_activity_id=summary.result_id,
        )
    head, past = _all_entries(db, rid)
    # 2 + 6 activities; 2 first statuses + 6 x 2 changes; 6 x 2 done follow-ups
    assert len(past) == 8 + 14 + 12
    for limit in (1, 2, 3, 4, 5, 7, 11, len(past) - 1, len(past), 100):
        page = _page(db, rid, limit=limit)
        first = [(e.kind, e.id) for e in page.entries]
        assert first[: len(head)] == head
        assert all(e.state == "open" and e.at is None for e in page.entries[: len(head)])
        seen = first[len(head) :]
        assert len(seen) == min(limit, len(past))
        while page.next_cursor is not None:
            page = _page(db, rid, page.next_cursor, limit=limit)
            assert 0 < len(page.entries) <= limit  # no empty page before the end
            assert all(e.at is not None for e in page.entries)
            seen += [(e.kind, e.id) for e in page.entries]
        assert seen == past, limit


def test_entries_carry_their_columns(world, db):
    rid = world.in_campaign()
    with db.read() as s:
        open_ids = tuple(f.id for f in record_detail(s, rid).follow_ups)
    world.clock.advance(minutes=5)  # the activity a little after the assignment
    due = world.today + timedelta(days=3)
    summary = world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Angebot",
            completes=open_ids,
            status_changes={world.campaign_id: world.status["Kontaktiert"]},
            next_follow_up=NextFollowUp(
                due, time(9, 30), priority=Priority.HIGH, instruction="Nachfassen"
            ),
        )
    )
    with db.read() as s:
        at = s.get(m.Activity, summary.result_id).occurred_at
    open_fu, done, change, act = _page(db, rid).entries[:4]
    assert (open_fu.kind, open_fu.state, open_fu.at, open_fu.title) == (
        FOLLOW_UP, "open", None, "Nachfassen")  # fmt: skip
    assert (open_fu.due_date, open_fu.due_time, open_fu.priority) == (due, time(9, 30), 1)
    assert open_fu.author == "Sven Sales" and open_fu.type_name is None
    assert (done.kind, done.state, done.at, done.priority) == (FOLLOW_UP, "done", at, 0)
    assert isinstance(done.due_date, date) and done.from_status is None and done.icon is None
    assert (change.kind, change.title, change.author, change.color) == (
        STATUS_CHANGE, "Neukunden", "Sven Sales", "#808080")  # fmt: skip
    assert (change.from_status, change.to_status) == ("Lead", "Kontaktiert")
    assert (change.at, change.state, change.priority, change.due_date) == (at, None, 0, None)
    assert (act.kind, act.id, act.title, act.type_name, act.at) == (
        ACTIVITY, summary.result_id, "Angebot", "Telefonat", at)  # fmt: skip
    assert act.at.tzinfo is not None and act.at.utcoffset() == timedelta(0)
    assert act.icon == "mdi6.phone" and act.priority == 0 and act.to_status is None


def test_record_view_shows_the_timelines_own_first_page(world, db):
    """Opening a record reads the timeline's open follow-ups with the record, not
    again: the page is entry for entry the timeline's first page (several open
    follow-ups, two due the same day, one with a time)."""
    rid = world.in_campaign()
    source = _complete(world, db, rid, subject="Erstgespräch", status="Kontaktiert").result_id
    soon = world.today + timedelta(days=2)
    for due, at in [(soon, None), (soon, time(8, 15)), (soon + timedelta(days=30), None)]:
        world.sales.create_follow_up(
            rid, NextFollowUp(due, at, instruction=f"WV {due} {at}"), source_activity_id=source
        )
    for limit in (1, 2, 50):
        with db.read() as s:
            detail, shown = record_view(s, rid)
            own = timeline_page(s, rid, limit=limit)
            viewed = timeline_page(
                s, rid, limit=limit, open_entries=shown.entries[: len(detail.follow_ups)]
            )
        assert len(detail.follow_ups) == 4
        assert viewed == own, limit
    assert shown == _page(db, rid)
    with db.read() as s:
        assert record_view(s, 987_654) == (None, TimelinePage((), None))
