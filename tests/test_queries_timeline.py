"""The per-record timeline and its entry details (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.queries.records import record_detail
from akquise_desktop.queries.timeline import (
    ACTIVITY,
    FOLLOW_UP,
    STATUS_CHANGE,
    entry_info,
    timeline_page,
)

from .factories import make_world


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
            next_follow_up=NextFollowUp(date.today() + timedelta(days=due_days), instruction="WV"),
        )
    )


def test_timeline_newest_first_with_all_kinds(world, db):
    rid = world.in_campaign()
    now = datetime.now(UTC)
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
    start = datetime.now(UTC) - timedelta(hours=30)
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
