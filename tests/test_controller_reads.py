"""What log_activity reads: everything it needs once, no lazy loads per call (both
backends); the order of its refusals over several follow-ups; the allowed
statuses named in a refusal."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.core.errors import DomainError, Rule

from .factories import make_world


@pytest.fixture
def world(db):
    return make_world(db)


@contextmanager
def selects(db) -> Iterator[Counter]:
    """Count the SELECT statements by the table they read first."""
    counts: Counter = Counter()

    def note(_conn, _cursor, statement, *_args):
        found = re.match(r"\s*SELECT\s.*?\sFROM\s+(\w+)", statement, re.S)
        if found:
            counts[found.group(1)] += 1

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def _open_ids(db, record_id: int) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.scalars(
                select(m.FollowUp.id).where(
                    m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                )
            )
        )


def test_log_activity_reads_each_thing_once(world, db):
    rid = world.in_campaign()
    with selects(db) as counts:
        world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Telefonat",
                completes=_open_ids(db, rid),
                status_changes={world.campaign_id: world.status["Kontaktiert"]},
                next_follow_up=NextFollowUp(world.today + timedelta(days=7)),
            )
        )
    counts["follow_up"] -= 1  # _open_ids
    # the acting user with role group and rights; the record; the activity type; the
    # follow-ups to complete; the memberships with campaigns and statuses; the new
    # status; whether the transition is allowed
    assert counts == Counter(
        app_user=1, record=1, activity_type=1, follow_up=1, campaign_membership=1,
        campaign_status=1, status_transition=1,
    )  # fmt: skip


def test_memberships_are_read_only_when_needed(world, db):
    rid = world.in_campaign()
    with selects(db) as counts:
        world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Notiz",
                next_follow_up=NextFollowUp(world.today + timedelta(days=7)),
            )
        )
    assert counts["campaign_membership"] == 0  # no status change, a next follow-up given
    with selects(db) as counts, pytest.raises(DomainError) as info:
        world.sales.log_activity(LogActivity(record_id=rid, subject="Ohne Wiedervorlage"))
    assert info.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP
    assert counts["campaign_membership"] == 1  # the policy asks for the statuses


def test_completing_several_follow_ups_refuses_the_first_bad_one(world, db):
    rid, other = world.in_campaign("Eins GmbH"), world.in_campaign("Zwei GmbH")
    (mine,), (foreign,) = _open_ids(db, rid), _open_ids(db, other)

    def log(*completes: int) -> None:
        world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Erledigt",
                completes=completes,
                next_follow_up=NextFollowUp(world.today + timedelta(days=7)),
            )
        )

    for completes, rule, ident in (
        ((mine, 999_999, foreign), Rule.NOT_FOUND, 999_999),
        ((mine, foreign, 999_999), Rule.FOLLOW_UP_OTHER_RECORD, foreign),
    ):
        with pytest.raises(DomainError) as info:
            log(*completes)
        assert (info.value.rule, info.value.params["id"]) == (rule, ident)
    assert _open_ids(db, rid) == (mine,)  # nothing written
    log(mine, mine)  # the same one twice counts once
    with db.read() as s:
        done = s.get(m.FollowUp, mine)
        assert done.state == "done"
    with pytest.raises(DomainError) as info:
        log(mine)
    assert info.value.rule is Rule.FOLLOW_UP_NOT_OPEN


def test_a_refused_status_names_the_current_and_the_allowed_ones(world, db):
    rid = world.in_campaign()
    with pytest.raises(DomainError) as info:
        world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Sprung",
                occurred_at=world.clock.now(),
                status_changes={world.campaign_id: world.status["Angebot"]},
                next_follow_up=NextFollowUp(world.today + timedelta(days=7)),
            )
        )
    assert info.value.rule is Rule.STATUS_NOT_ALLOWED
    assert info.value.params == {
        "to": "Angebot",
        "current": "Lead",
        "campaign": "Neukunden",
        "allowed": "Kontaktiert, Kein Interesse",
    }
