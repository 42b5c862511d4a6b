"""The dead-records query (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.queries.dead import DeadFilter, dead_count, dead_page, dead_records
from akquise_desktop.queries.invariants import dead_records_query

from .factories import TODAY, make_world

# Records fell silent some weeks before the suite's today.
T0 = datetime.combine(TODAY - timedelta(days=30), time(9, 0), tzinfo=UTC)


@pytest.fixture
def world(db):
    return make_world(db)


def _open_follow_ups(db, record_id: int) -> list[int]:
    with db.read() as s:
        return list(
            s.scalars(
                select(m.FollowUp.id).where(
                    m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                )
            )
        )


def _kill(world, record_id: int, at: datetime = T0, **kw) -> int:
    """Complete the record's open follow-ups without a next one (the lax user may)."""
    summary = world.lax.log_activity(
        LogActivity(
            record_id=record_id,
            subject="Erledigt ohne Folge",
            occurred_at=at,
            completes=tuple(_open_follow_ups(world.db, record_id)),
            **kw,
        )
    )
    assert summary.result_id is not None
    return summary.result_id


def _dead_record(world, name: str, at: datetime, owner=None) -> int:
    """A record assigned to the campaign and left without a follow-up, last active ``at``."""
    ctl = owner or world.sales
    rid = world.record(name, ctl)
    ctl.assign_to_campaign(
        rid,
        world.campaign_id,
        occurred_at=at - timedelta(hours=1),
        next_follow_up=NextFollowUp(at.date() + timedelta(days=1)),
    )
    _kill(world, rid, at=at)
    return rid


def _dead_ids(db, f: DeadFilter | None = None) -> list[int]:
    with db.read() as s:
        return [r.id for r in dead_page(s, f or DeadFilter())]


def _invariant_ids(db) -> set[int]:
    with db.read() as s:
        return set(s.scalars(dead_records_query()))


def test_dead_exactly_when_live_status_and_no_open_follow_up(world, db):
    live = world.in_campaign("Lebendig GmbH")
    dead = world.in_campaign("Tot GmbH")
    _kill(world, dead)
    final = world.in_campaign("Final GmbH")
    _kill(world, final, status_changes={world.campaign_id: world.status["Kein Interesse"]})
    outside = world.record("Ohne Kampagne GmbH")  # no campaign status at all
    assert _dead_ids(db) == [dead]
    assert _invariant_ids(db) == {dead}
    with db.read() as s:
        assert dead_count(s) == 1
    assert live not in _dead_ids(db) and outside not in _dead_ids(db)


def test_inactive_campaign_is_no_dead_record(world, db):
    rid = world.in_campaign("Pause GmbH")
    _kill(world, rid)
    assert _dead_ids(db) == [rid]
    world.admin.set_campaign_active(world.campaign_id, False)
    assert _dead_ids(db) == []


def test_a_new_follow_up_revives_the_record(world, db):
    rid = world.in_campaign("Wieder GmbH")
    activity = _kill(world, rid)
    assert _dead_ids(db) == [rid]
    world.sales.create_follow_up(
        rid, NextFollowUp(TODAY + timedelta(days=30)), source_activity_id=activity
    )
    assert _dead_ids(db) == []


def test_rows_sorted_longest_silent_first_with_keyset_pages(world, db):
    ids = []
    for i, days in enumerate([3, 10, 1, 10, 7]):
        rid = _dead_record(world, f"Firma {i}", T0 - timedelta(days=days))
        ids.append((days, rid))
    # longest silent (oldest last activity) first; equal times by id
    expected = [rid for _, rid in sorted(ids, key=lambda x: (-x[0], x[1]))]
    with db.read() as s:
        rows = dead_page(s)
        assert [r.id for r in rows] == expected
        seen, after = [], None
        while True:
            page = dead_page(s, after=after, limit=2)
            seen += [r.id for r in page]
            if len(page) < 2:
                break
            after = page[-1].key
    assert seen == expected
    first = rows[0]
    assert first.owner_name == "Sven Sales"
    assert first.city == "Köln"
    assert [(st.campaign, st.status) for st in first.statuses] == [("Neukunden", "Lead")]


def test_owner_and_team_filters(world, db):
    nord = world.in_campaign("Nord GmbH")
    sued = world.in_campaign("Süd GmbH", owner=world.other)
    _kill(world, nord)
    _kill(world, sued)
    with db.read() as s:
        team_nord = s.scalar(select(m.User.team_id).where(m.User.id == world.sales_id))
        result = dead_records(s, DeadFilter(owner_id=world.other_id))
    assert _dead_ids(db, DeadFilter(owner_id=world.sales_id)) == [nord]
    assert _dead_ids(db, DeadFilter(team_id=team_nord)) == [nord]
    assert (result.count, [r.id for r in result.rows]) == (1, [sued])
    assert sorted(_dead_ids(db)) == sorted([nord, sued])


def test_record_without_any_activity_comes_first(world, db):
    """A keyset over NULL last-activity times: such records sort first and page."""
    a = world.in_campaign("Alt GmbH")
    b = world.in_campaign("Neu GmbH")
    _kill(world, a)
    _kill(world, b)
    with db.write() as s:  # simulate an imported record without activities
        s.execute(m.Record.__table__.update().where(m.Record.id == b).values(last_activity_at=None))
    with db.read() as s:
        assert [r.id for r in dead_page(s)] == [b, a]
        (first,) = dead_page(s, limit=1)
        assert first.last_activity_at is None
        assert [r.id for r in dead_page(s, after=first.key)] == [a]
        assert dead_page(s, after=(None, b + 1000)) == dead_page(s, after=(None, b))


def test_count_and_first_page_in_one_query(world, db):
    ids = [_dead_record(world, f"Firma {i}", T0 - timedelta(days=i)) for i in range(5)]
    with db.read() as s:
        result = dead_records(s, limit=2)
        assert result.count == dead_count(s) == 5
        assert [r.id for r in result.rows] == [r.id for r in dead_page(s, limit=2)]
    assert [r.id for r in result.rows] == [ids[4], ids[3]]
    world.admin.set_campaign_active(world.campaign_id, False)
    with db.read() as s:
        assert dead_records(s) == dead_records(s, limit=1)
        assert dead_records(s).count == 0 and dead_records(s).rows == []
