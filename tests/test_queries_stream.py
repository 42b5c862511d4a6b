"""The activity stream query (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.queries.stream import (
    StreamFilter,
    stream_options,
    stream_page,
    stream_rows,
)

from .factories import STATUSES, TODAY, make_world

# Activities some weeks before the suite's today; their follow-ups after it.
T0 = datetime.combine(TODAY - timedelta(days=30), time(9, 0), tzinfo=UTC)
DUE = TODAY + timedelta(days=30)


@pytest.fixture
def world(db):
    return make_world(db)


def _log(ctl, record_id: int, subject: str, at: datetime, **kw) -> int:
    summary = ctl.log_activity(
        LogActivity(
            record_id=record_id,
            subject=subject,
            occurred_at=at,
            next_follow_up=NextFollowUp(DUE),
            **kw,
        )
    )
    assert summary.result_id is not None
    return summary.result_id


def _page(db, f: StreamFilter | None = None, **kw):
    with db.read() as s:
        return stream_page(s, f or StreamFilter(), **kw)


def test_newest_first_ties_broken_by_id_and_keyset_pages(world, db):
    rid = world.record("A GmbH")
    times = [T0, T0 + timedelta(hours=1), T0, T0 - timedelta(days=1), T0 + timedelta(hours=1)]
    ids = [_log(world.sales, rid, f"Aktivität {i}", at) for i, at in enumerate(times)]
    expected = [i for _, i in sorted(zip(times, ids, strict=True), reverse=True)]
    assert [r.id for r in _page(db)] == expected
    seen, before = [], None
    while True:
        page = _page(db, before=before, limit=2)
        seen += [r.id for r in page]
        if len(page) < 2:
            break
        before = page[-1].key
    assert seen == expected


def test_row_content_excerpt_and_status_change(world, db):
    rid = world.in_campaign("B GmbH")
    long_text = "Zeile eins\nZeile  zwei " + "x" * 500
    aid = _log(
        world.sales,
        rid,
        "Erstkontakt",
        T0,
        text=long_text,
        status_changes={world.campaign_id: world.status["Kontaktiert"]},
    )
    row = next(r for r in _page(db) if r.id == aid)
    assert row.record_id == rid and row.record_name == "B GmbH"
    assert row.user_name == "Sven Sales"
    assert row.type_name == "Telefonat" and row.type_icon == "mdi6.phone"
    assert row.excerpt.startswith("Zeile eins Zeile zwei x")  # one line
    assert len(row.excerpt) < 200
    (change,) = row.status_changes
    assert (change.campaign, change.from_status, change.to_status) == (
        "Neukunden",
        "Lead",
        "Kontaktiert",
    )
    # the campaign assignment carried the first status
    first = next(r for r in _page(db) if r.id != aid)
    assert first.status_changes[0].from_status is None
    assert first.status_changes[0].to_status == "Lead"


def test_filters_user_team_type_and_period(world, db):
    nord = world.record("Nord GmbH")
    sued = world.record("Süd GmbH", owner=world.other)
    a = _log(world.sales, nord, "Anruf", T0)
    b = _log(world.sales, nord, "Mail", T0 + timedelta(days=1), type_id=world.types["E-Mail"])
    c = _log(world.other, sued, "Besuch", T0 + timedelta(days=2))
    colleague = world.controller(world.colleague_id)
    d = _log(colleague, nord, "Kollege", T0 + timedelta(days=3))

    def ids(**kw):
        return {r.id for r in _page(db, StreamFilter(**kw))}

    assert ids(user_id=world.sales_id) == {a, b}
    assert ids(user_id=world.other_id) == {c}
    with db.read() as s:
        options = stream_options(s)
    team = {t.name: t.id for t in options.teams}
    assert ids(team_id=team["Nord"]) == {a, b, d}
    assert ids(team_id=team["Süd"]) == {c}
    assert ids(type_id=world.types["E-Mail"]) == {b}
    assert ids(since=T0 + timedelta(days=1), until=T0 + timedelta(days=3)) == {b, c}
    assert ids(user_id=world.sales_id, type_id=world.types["Telefonat"]) == {a}
    assert {t.name for t in options.types} >= {"Telefonat", "E-Mail"}
    assert {u.name for u in options.users} >= {"Sven Sales", "Susi Süd"}


def test_stream_rows_by_id_respects_the_filter(world, db):
    rid = world.record("C GmbH")
    a = _log(world.sales, rid, "Eins", T0)
    b = _log(world.sales, rid, "Zwei", T0 + timedelta(hours=1), type_id=world.types["E-Mail"])
    with db.read() as s:
        assert [r.id for r in stream_rows(s, StreamFilter(), [a, b])] == [b, a]
        only_mail = stream_rows(s, StreamFilter(type_id=world.types["E-Mail"]), [a, b])
        assert [r.id for r in only_mail] == [b]
        assert stream_rows(s, StreamFilter(), []) == []


def test_empty_database_gives_empty_stream(world, db):
    assert _page(db) == []


def test_two_status_changes_of_one_activity_and_pages_of_a_filter(world, db):
    second = world.admin.create_campaign("Bestand", STATUSES).result_id
    rid = world.in_campaign("Zwei GmbH")
    world.sales.assign_to_campaign(rid, second, next_follow_up=NextFollowUp(DUE))
    with db.read() as s:
        lead, kontaktiert = (
            s.scalar(
                select(m.CampaignStatus.id).where(
                    m.CampaignStatus.campaign_id == second, m.CampaignStatus.name == name
                )
            )
            for name in ("Lead", "Kontaktiert")
        )
    both = _log(world.sales, rid, "Beide", T0, status_changes={
        world.campaign_id: world.status["Kontaktiert"], second: kontaktiert})  # fmt: skip
    other = world.record("Andere GmbH")
    plain = [_log(world.sales, other, f"Nr. {k}", T0 - timedelta(minutes=k + 1)) for k in range(5)]
    row = next(r for r in _page(db) if r.id == both)
    assert [(c.campaign, c.from_status, c.to_status) for c in row.status_changes] == [
        ("Neukunden", "Lead", "Kontaktiert"),
        ("Bestand", "Lead", "Kontaktiert"),
    ]
    assert lead is not None
    f = StreamFilter(user_id=world.sales_id, type_id=world.types["Telefonat"],
                     until=T0 + timedelta(seconds=1))  # fmt: skip
    expected = [both, *plain]
    assert [r.id for r in _page(db, f)] == expected
    for limit in (1, 2, 4):
        seen, before = [], None
        while True:
            page = _page(db, f, before=before, limit=limit)
            seen += [r.id for r in page]
            if len(page) < limit:
                break
            before = page[-1].key
        assert seen == expected
    with db.read() as s:
        rows = stream_rows(s, f, [plain[2], both, 999_999])
    assert [r.id for r in rows] == [both, plain[2]]
    assert len(rows[0].status_changes) == 2 and rows[1].status_changes == ()
