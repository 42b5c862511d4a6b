"""Concurrent writers, on SQLite and PostgreSQL (required here).

Two threads, each with its own controller, meet at a barrier and save at the
same moment, for several rounds per pair of calls. Whatever the interleaving,
exactly one of two conflicting saves wins; the other is refused with a
DomainError naming the conflict (``concurrency.stale`` with the current values
and who changed them), never a raw database error, a deadlock or a silent
overwrite. The controllers' retry counters show that no deadlock happened at
all (the lock order prevents them; a retry would only have hidden one).

Then, with one client: versions and current values of a conflict, keyed
(idempotent) saves, the retry machinery itself, and a commit whose answer is
lost on the way back (a loopback proxy to the PostgreSQL server drops the
connection right after forwarding COMMIT).
"""

from __future__ import annotations

import contextlib
import select as select_module
import shutil
import socket
import struct
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from akquise_desktop import models as m
from akquise_desktop.bench import contention
from akquise_desktop.controller import (
    ContactData,
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
)
from akquise_desktop.controller.bulk import BulkEditor, ShiftDueDates
from akquise_desktop.controller.rebooking import RebookFilter, Rebooking, RebookSpec
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database

from .conftest import reset_database
from .factories import World, make_world

ROUNDS = 12
# No call of a round may take longer (a deadlock or a hang fails the test).
ROUND_TIMEOUT = 30.0
STALE = Rule.STALE.id


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request, tmp_path) -> Iterator[Database]:
    """As the suite's ``db``, but PostgreSQL is required: without a server
    these tests fail instead of skipping (concurrency is what PostgreSQL is for)."""
    if request.param == "sqlite":
        path = tmp_path / "akquise.sqlite3"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    try:
        database = request.getfixturevalue("_pg_migrated")
    except pytest.skip.Exception as exc:
        pytest.fail(f"the concurrency tests need PostgreSQL: {exc}", pytrace=False)
    reset_database(database)
    yield database


@pytest.fixture
def world(db, clock) -> World:
    return make_world(db, clock)


# --- racing two calls ---------------------------------------------------------------------


@dataclass
class Outcome:
    value: Any = None
    refused: DomainError | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None and self.error is None


def race(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run the calls on threads of their own, released together by a barrier."""
    barrier = threading.Barrier(len(calls), timeout=ROUND_TIMEOUT)
    outcomes = [Outcome() for _ in calls]

    def run(outcome: Outcome, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcome.value = call()
        except DomainError as exc:
            outcome.refused = exc
        except BaseException as exc:
            outcome.error = exc

    threads = [
        threading.Thread(target=run, args=(o, c), daemon=True)
        for o, c in zip(outcomes, calls, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(ROUND_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a call hung"
    errors = [o.error for o in outcomes if o.error is not None]
    assert not errors, f"raw errors: {errors!r}"
    return outcomes


def one_wins(
    outcomes: list[Outcome], rules: frozenset[str] = frozenset({STALE})
) -> tuple[int, Outcome]:
    """Exactly one call succeeded, the other was refused with one of ``rules``;
    the winner's index and the loser."""
    winners = [i for i, o in enumerate(outcomes) if o.ok]
    assert len(winners) == 1, outcomes
    (loser,) = (o for o in outcomes if not o.ok)
    assert loser.refused is not None and loser.refused.rule_id in rules, loser.refused
    return winners[0], loser


def assert_no_deadlocks(*controllers: Controller) -> None:
    retried = sum((c.retries for c in controllers), start=type(controllers[0].retries)())
    assert retried["deadlock"] == 0 and retried["serialization"] == 0, retried


def assert_invariants(db: Database) -> None:
    with db.read() as s:
        assert check_invariants(s, include_dead_records=False) == []


def version(db: Database, model: type, ident: int) -> int:
    with db.read() as s:
        return s.scalar(select(model.version).where(model.id == ident))


def open_follow_ups(db: Database, record_id: int) -> dict[int, int]:
    with db.read() as s:
        rows = s.execute(
            select(m.FollowUp.id, m.FollowUp.version)
            .where(m.FollowUp.record_id == record_id, m.FollowUp.state == m.FollowUpState.OPEN)
            .order_by(m.FollowUp.id)
        )
        return {fu_id: seen for fu_id, seen in rows}


def display_name(db: Database, user_id: int) -> str:
    with db.read() as s:
        return s.scalar(select(m.User.display_name).where(m.User.id == user_id))


@dataclass
class Pair:
    """Two clients: lax (all rights, no chain policies) and the administrator."""

    world: World
    a: Controller
    b: Controller

    @property
    def names(self) -> tuple[str, str]:
        db = self.world.db
        return display_name(db, self.a.user_id), display_name(db, self.b.user_id)


@pytest.fixture
def pair(world) -> Pair:
    return Pair(world, world.controller(world.lax_id), world.controller(world.admin_id))


def completion(world: World, record_id: int, completes, **kwargs) -> LogActivity:
    return LogActivity(
        record_id=record_id,
        subject="Telefonat",
        completes=completes,
        next_follow_up=NextFollowUp(world.today + timedelta(days=3)),
        **kwargs,
    )


# --- pairs of conflicting saves -------------------------------------------------------------


def test_update_record_twice(pair):
    w, db = pair.world, pair.world.db
    for r in range(ROUNDS):
        rid = w.record(f"Firma {r}", w.lax)
        seen = version(db, m.Record, rid)
        outcomes = race(
            partial(
                pair.a.update_record, rid, RecordData("Von A", city="Köln"), expected_version=seen
            ),
            partial(
                pair.b.update_record, rid, RecordData("Von B", city="Köln"), expected_version=seen
            ),
        )
        winner, loser = one_wins(outcomes)
        params = loser.refused.params
        assert params["changed_by"] == pair.names[winner]
        assert params["current"]["name"] == ("Von A", "Von B")[winner]
        assert (params["expected_version"], params["version"]) == (seen, seen + 1)
        assert params["changed_fields"] == ("name",)
    assert_no_deadlocks(pair.a, pair.b)


def test_update_contact_twice(pair):
    w, db = pair.world, pair.world.db
    rid = w.record("Firma", w.lax)
    for _ in range(ROUNDS):
        cid = pair.a.add_contact(rid, ContactData("Alt")).result_id
        seen = version(db, m.Contact, cid)
        outcomes = race(
            partial(pair.a.update_contact, cid, ContactData("Neu A"), expected_version=seen),
            partial(pair.b.update_contact, cid, ContactData("Neu B"), expected_version=seen),
        )
        winner, loser = one_wins(outcomes)
        assert loser.refused.params["current"]["last_name"] == ("Neu A", "Neu B")[winner]
        assert loser.refused.params["changed_by"] == pair.names[winner]
    assert_no_deadlocks(pair.a, pair.b)


def test_cancel_vs_complete(pair):
    w, db = pair.world, pair.world.db
    for r in range(ROUNDS):
        rid = w.in_campaign(f"Firma {r}", w.lax)
        w.lax.create_follow_up(rid, NextFollowUp(w.today + timedelta(days=5)))
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        outcomes = race(
            partial(pair.a.log_activity, completion(w, rid, {fu: seen})),
            partial(pair.b.cancel_follow_up, fu, expected_version=seen, reason="doppelt"),
        )
        winner, loser = one_wins(outcomes)
        current = loser.refused.params["current"]
        assert current["state"] == ("done", "cancelled")[winner]
        assert loser.refused.params["changed_by"] == pair.names[winner]
    assert_no_deadlocks(pair.a, pair.b)
    assert_invariants(db)


def test_reschedule_vs_complete(pair):
    w, db = pair.world, pair.world.db
    later = w.today + timedelta(days=9)
    for r in range(ROUNDS):
        rid = w.in_campaign(f"Firma {r}", w.lax)
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        outcomes = race(
            partial(pair.a.log_activity, completion(w, rid, {fu: seen})),
            partial(pair.b.update_follow_up, fu, expected_version=seen, due_date=later),
        )
        winner, loser = one_wins(outcomes)
        params = loser.refused.params
        if winner == 1:  # rescheduled first: the completion is refused, naming it
            assert params["current"]["due_date"] == later
            assert params["changed_fields"] == ("due_date",)
            assert "Fälligkeit" in params["detail_de"] and "due date" in params["detail_en"]
        else:
            assert params["current"]["state"] == "done"
    assert_no_deadlocks(pair.a, pair.b)
    assert_invariants(db)


def test_complete_twice(pair):
    w, db = pair.world, pair.world.db
    for r in range(ROUNDS):
        rid = w.in_campaign(f"Firma {r}", w.lax)
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        outcomes = race(
            partial(pair.a.log_activity, completion(w, rid, {fu: seen})),
            partial(pair.b.log_activity, completion(w, rid, {fu: seen})),
        )
        winner, loser = one_wins(outcomes)
        assert loser.refused.params["changed_by"] == pair.names[winner]
        with db.read() as s:
            assert s.scalar(select(func.count()).where(m.Activity.record_id == rid)) == 2
    assert_no_deadlocks(pair.a, pair.b)
    assert_invariants(db)


def test_bulk_shift_vs_complete(pair):
    w, db = pair.world, pair.world.db
    for r in range(ROUNDS):
        records = [w.in_campaign(f"Firma {r}-{i}", w.lax) for i in range(4)]
        targets = {f: v for rid in records for f, v in open_follow_ups(db, rid).items()}
        rid = records[2]
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        editor = BulkEditor(pair.b)
        outcomes = race(
            partial(pair.a.log_activity, completion(w, rid, {fu: seen})),
            partial(editor.run, ShiftDueDates(days=3), targets),
        )
        done, bulk = outcomes
        assert bulk.ok
        result = bulk.value
        if done.ok:  # completed first: the bulk run leaves that one, with the reason
            assert [x.target_id for x in result.refused] == [fu]
            assert result.refused[0].rule_id == STALE
            assert len(result.changed) == 3
        else:  # shifted first: the completion is refused, naming the bulk change
            assert done.refused.rule_id == STALE
            assert done.refused.params["change"] == "bulk_shift_due_dates"
            assert len(result.changed) == 4
    assert_no_deadlocks(pair.a, pair.b)
    assert_invariants(db)


def test_rebook_vs_complete(pair):
    w, db = pair.world, pair.world.db
    for r in range(ROUNDS):
        records = [w.in_campaign(f"Firma {r}-{i}", w.lax) for i in range(3)]
        rid = records[1]
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        spec = RebookSpec(RebookFilter(from_user_ids=(w.lax_id,)), to_user_ids=(w.admin_id,))
        plan = Rebooking(pair.b).plan(spec)
        outcomes = race(
            partial(pair.a.log_activity, completion(w, rid, {fu: seen})),
            partial(Rebooking(pair.b).run, plan),
        )
        done, rebook = outcomes
        assert rebook.ok
        if done.ok:
            assert fu in {x.target_id for x in rebook.value.refused}
        else:
            assert done.refused.rule_id == STALE
            assert done.refused.params["current"]["assignee_id"] == w.admin_id
            assert done.refused.params["change"] == "bulk_rebook"
    assert_no_deadlocks(pair.a, pair.b)
    assert_invariants(db)


def test_correct_activity_twice(pair):
    w, db = pair.world, pair.world.db
    rid = w.in_campaign("Firma", w.lax)
    for _ in range(ROUNDS):
        aid = pair.a.log_activity(
            LogActivity(record_id=rid, subject="Telefonat", text="- Preis")
        ).result_id
        seen = version(db, m.Activity, aid)
        outcomes = race(
            partial(
                pair.a.correct_activity,
                aid,
                expected_version=seen,
                subject="Telefonat",
                text="- A",
                reason="Tippfehler",
            ),
            partial(
                pair.b.correct_activity,
                aid,
                expected_version=seen,
                subject="Telefonat",
                text="- B",
                reason="Nachtrag",
            ),
        )
        winner, loser = one_wins(outcomes)
        assert loser.refused.params["current"]["text"] == ("- A", "- B")[winner]
        assert loser.refused.params["changed_by"] == pair.names[winner]
        with db.read() as s:
            assert s.get(m.Activity, aid).text == ("- A", "- B")[winner]
    assert_no_deadlocks(pair.a, pair.b)


def test_same_key_twice_writes_once(pair):
    """The same save sent twice at once (two connections of one user): one
    activity, and both answers are its summary."""
    w, db = pair.world, pair.world.db
    twin = w.controller(w.lax_id)
    for r in range(ROUNDS):
        rid = w.in_campaign(f"Firma {r}", w.lax)
        fu, seen = next(iter(open_follow_ups(db, rid).items()))
        cmd = completion(w, rid, {fu: seen}, client_key=str(uuid.uuid4()))
        first, second = race(partial(pair.a.log_activity, cmd), partial(twin.log_activity, cmd))
        assert first.ok and second.ok
        assert first.value == second.value
        with db.read() as s:
            assert s.scalar(select(func.count()).where(m.Activity.record_id == rid)) == 2
        assert twin.activity_saved(cmd.client_key) == first.value.result_id
    assert_no_deadlocks(pair.a, twin)
    assert_invariants(db)


# --- one client: versions, current values, keys ------------------------------------------


def test_stale_record_names_the_change_and_the_current_values(world):
    w, db = world, world.db
    rid = w.record("Müller GmbH", w.sales)
    seen = version(db, m.Record, rid)
    colleague = w.controller(w.colleague_id)
    colleague.update_record(rid, RecordData(name="Müller AG", city="Bonn"), expected_version=seen)
    with pytest.raises(DomainError) as info:
        w.sales.update_record(rid, RecordData(name="Müller KG"), expected_version=seen)
    error = info.value
    assert error.rule is Rule.STALE and error.rule_id == "concurrency.stale"
    p = error.params
    assert p["changed_by"] == "Karl Kollege" and p["changed_by_id"] == w.colleague_id
    assert p["changed_at"] == w.clock.now()
    assert p["change"] == "update_record"
    assert set(p["changed_fields"]) == {"name", "city"}
    assert p["current"]["name"] == "Müller AG" and p["current"]["city"] == "Bonn"
    assert (p["expected_version"], p["version"]) == (seen, seen + 1)
    assert p["detail_de"] == "Geändert von Karl Kollege am 12.06.2030 um 10:00 Uhr: Name, Ort."
    assert p["detail_en"] == "Changed by Karl Kollege on 2030-06-12 at 10:00: name, city."
    assert "someone else" in error.message_en  # the message itself is unchanged
    with db.read() as s:
        assert s.get(m.Record, rid).name == "Müller AG"


def test_stale_contact_and_follow_up(world):
    w, db = world, world.db
    rid = w.in_campaign("Firma", w.sales)
    cid = w.sales.add_contact(rid, ContactData("Meier")).result_id
    w.admin.update_contact(cid, ContactData("Maier"), expected_version=1)
    with pytest.raises(DomainError) as info:
        w.sales.update_contact(cid, ContactData("Mayer"), expected_version=1)
    assert info.value.params["current"]["last_name"] == "Maier"
    assert info.value.params["changed_by"] == "Admin"
    fu, seen = next(iter(open_follow_ups(db, rid).items()))
    w.sales.update_follow_up(fu, expected_version=seen, priority=m.Priority.HIGH)
    with pytest.raises(DomainError) as info:
        w.admin.cancel_follow_up(fu, expected_version=seen)
    assert info.value.rule is Rule.STALE
    assert info.value.params["current"]["priority"] == m.Priority.HIGH
    assert info.value.params["changed_fields"] == ("priority",)


def test_correct_activity_takes_the_version(world):
    w, db = world, world.db
    rid = w.in_campaign("Firma", w.sales)
    aid = w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Telefonat",
            text="- Preis zu hoch",
            next_follow_up=NextFollowUp(w.today + timedelta(days=2)),
        )
    ).result_id
    assert version(db, m.Activity, aid) == 1
    w.sales.correct_activity(
        aid, expected_version=1, subject="Telefonat", text="- Preis ok", reason="Tippfehler"
    )
    assert version(db, m.Activity, aid) == 2
    with pytest.raises(DomainError) as info:
        w.admin.correct_activity(
            aid, expected_version=1, subject="Telefonat", text="- Preis?", reason="Rückfrage"
        )
    p = info.value.params
    assert info.value.rule is Rule.STALE
    assert p["current"]["text"] == "- Preis ok" and p["changed_by"] == "Sven Sales"
    assert p["change"] == "correct_activity" and p["changed_fields"] == ("text",)
    w.admin.correct_activity(
        aid, expected_version=2, subject="Telefonat", text="- Preis?", reason="Rückfrage"
    )
    with db.read() as s:
        activity = s.get(m.Activity, aid)
        assert (activity.text, activity.version) == ("- Preis?", 3)


def test_completing_a_rescheduled_follow_up_is_refused_naming_the_change(world):
    w, db = world, world.db
    rid = w.in_campaign("Firma", w.sales)
    fu, seen = next(iter(open_follow_ups(db, rid).items()))
    later = w.today + timedelta(days=10)
    w.controller(w.colleague_id).update_follow_up(fu, expected_version=seen, due_date=later)
    with pytest.raises(DomainError) as info:
        w.sales.log_activity(completion(w, rid, {fu: seen}))
    p = info.value.params
    assert info.value.rule is Rule.STALE and p["id"] == fu
    assert p["changed_by"] == "Karl Kollege" and p["change"] == "update_follow_up"
    assert p["current"]["due_date"] == later and p["current"]["state"] == "open"
    assert "Fälligkeit" in p["detail_de"]
    with db.read() as s:  # nothing written
        assert s.scalar(select(func.count()).where(m.Activity.record_id == rid)) == 1
    # With the version now shown, it completes; the ids alone are not checked.
    w.sales.log_activity(completion(w, rid, {fu: seen + 1}))
    assert fu not in open_follow_ups(db, rid)


def test_completing_a_rebooked_or_completed_follow_up_is_refused(world):
    w, db = world, world.db
    rid = w.in_campaign("Firma", w.lax)
    fu, seen = next(iter(open_follow_ups(db, rid).items()))
    spec = RebookSpec(RebookFilter(from_user_ids=(w.lax_id,)), to_user_ids=(w.admin_id,))
    Rebooking(w.admin).run(Rebooking(w.admin).plan(spec))
    with pytest.raises(DomainError) as info:
        w.lax.log_activity(completion(w, rid, {fu: seen}))
    assert info.value.params["change"] == "bulk_rebook"
    assert info.value.params["current"]["assignee_id"] == w.admin_id
    assert "Zuständig" in info.value.params["detail_de"]
    w.admin.log_activity(completion(w, rid, {fu: seen + 1}))
    with pytest.raises(DomainError) as info:
        w.lax.log_activity(completion(w, rid, {fu: seen + 1}))
    assert info.value.params["current"]["state"] == "done"
    assert info.value.params["detail_en"].startswith("Changed by Admin on 2030-06-12 at 10:00")
    assert "completed" in info.value.params["detail_en"]


def test_keyed_save_twice_writes_once(world):
    w, db = world, world.db
    rid = w.in_campaign("Firma", w.sales)
    fu, seen = next(iter(open_follow_ups(db, rid).items()))
    key = uuid.uuid4()
    cmd = LogActivity(
        record_id=rid,
        subject="Angebot besprochen",
        completes={fu: seen},
        status_changes={w.campaign_id: w.status["Kontaktiert"]},
        next_follow_up=NextFollowUp(w.today + timedelta(days=7)),
        client_key=str(key).upper(),  # any spelling of the UUID
    )
    assert w.sales.activity_saved(key) is None
    first = w.sales.log_activity(cmd)
    again = w.sales.log_activity(cmd)
    assert again == first
    assert first.ids(Entity.FOLLOW_UP) >= {fu}
    assert first.created[Entity.STATUS_CHANGE] and first.updated[Entity.MEMBERSHIP]
    assert w.sales.activity_saved(key) == first.result_id
    assert w.sales.activity_saved(str(key)) == first.result_id
    with db.read() as s:
        assert s.scalar(select(func.count()).where(m.Activity.record_id == rid)) == 2
        assert s.scalar(select(func.count()).where(m.StatusChange.record_id == rid)) == 2
        assert s.get(m.Activity, first.result_id).client_key == str(key)
    assert_invariants(db)


def test_keyed_save_refuses_a_foreign_or_broken_key(world):
    w = world
    rid = w.in_campaign("Firma", w.lax)
    other = w.in_campaign("Andere", w.lax)
    key = str(uuid.uuid4())
    w.lax.log_activity(LogActivity(record_id=rid, subject="Notiz", client_key=key))
    for ctl, record in ((w.lax, other), (w.admin, rid)):
        with pytest.raises(DomainError) as info:
            ctl.log_activity(LogActivity(record_id=record, subject="Notiz", client_key=key))
        assert info.value.rule is Rule.DUPLICATE
    with pytest.raises(DomainError) as info:
        w.lax.log_activity(LogActivity(record_id=rid, subject="Notiz", client_key="kein-uuid"))
    assert info.value.rule is Rule.INVALID_VALUE
    assert w.lax.activity_saved("kein-uuid") is None


# --- the retry machinery ------------------------------------------------------------------


class _FakeDeadlock(Exception):
    sqlstate = "40P01"


def test_a_deadlock_is_retried_then_refused(world):
    ctl = world.controller(world.lax_id)
    calls = []

    def body(op) -> int:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE …", {}, _FakeDeadlock("deadlock detected"))
        return 7

    assert ctl._run("probe", body).result_id == 7
    assert len(calls) == 3 and ctl.retries["deadlock"] == 2

    def always(op) -> int:
        raise OperationalError("UPDATE …", {}, _FakeDeadlock("deadlock detected"))

    with pytest.raises(DomainError) as info:
        ctl._run("probe", always)
    assert info.value.rule is Rule.CONCURRENT_CONFLICT and info.value.params["attempts"] == 3
    assert ctl.retries["deadlock"] == 5


def test_a_stale_flush_is_retried_and_then_refused_with_the_current_values(world):
    """An ORM version mismatch (StaleDataError) runs the transaction again,
    whose version check then refuses properly."""
    w, db = world, world.db
    rid = w.record("Firma", w.lax)
    w.admin.update_record(rid, RecordData(name="Neu"), expected_version=1)
    ctl = w.controller(w.lax_id)
    attempts = []

    def body(op) -> int:
        attempts.append(1)
        record = op.session.get(m.Record, rid)
        if len(attempts) == 1:
            raise StaleDataError("UPDATE statement on table 'record' expected to update 1 row")
        ctl._check_version(record, 1, op)
        return rid

    with pytest.raises(DomainError) as info:
        ctl._run("probe", body)
    assert info.value.rule is Rule.STALE and info.value.params["current"]["name"] == "Neu"
    assert ctl.retries["stale_data"] == 1 and len(attempts) == 2
    assert version(db, m.Record, rid) == 2


def test_a_keyed_save_cut_off_without_reply_tries_once_more(world):
    """storage.no_reply (the storage layer cut a connection that stopped
    answering) is worth one more attempt for a keyed save only."""
    ctl = world.controller(world.lax_id)
    calls = []

    def cut_once(op) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise DomainError(Rule.DB_NO_REPLY, where="test", seconds="1")
        return 1

    assert ctl._run("probe", cut_once, replayable=True).result_id == 1
    assert ctl.retries["disconnect"] == 1
    calls.clear()
    with pytest.raises(DomainError) as info:
        ctl._run("probe", cut_once)  # not keyed: the caller decides
    assert info.value.rule is Rule.DB_NO_REPLY and len(calls) == 1

    def always_cut(op) -> int:
        raise DomainError(Rule.DB_NO_REPLY, where="test", seconds="1")

    with pytest.raises(DomainError) as info:
        ctl._run("probe", always_cut, replayable=True)
    assert info.value.rule is Rule.DB_NO_REPLY and ctl.retries["disconnect"] == 2


def test_contention_benchmark_short_run(db, clock):
    """The benchmark's loop, bounded by calls instead of seconds: no
    deadlock, no doubled write, invariants hold."""
    report = contention.run(db, clients=4, follow_ups=5, seconds=None, operations=15, clock=clock)
    assert report["completed"] + report["rescheduled"] + report["conflicts_refused"] == 60
    assert report["deadlocks_surfaced"] == 0 and report["gave_up_after_retries"] == 0
    assert report["retries"].get("deadlock", 0) == 0
    assert report["doubled_writes"] == 0 and report["errors"] == {}
    assert report["other_refusals"] == {} and report["invariant_violations"] == []


def test_a_real_deadlock_is_retried(world):
    """Two transactions that lock two records in opposite order (what the
    lock order forbids) deadlock; the server's victim is run again and succeeds."""
    w, db = world, world.db
    if db.is_sqlite:
        pytest.skip("SQLite's write transaction cannot deadlock")
    first, second = w.record("Eins", w.lax), w.record("Zwei", w.lax)
    barrier = threading.Barrier(2, timeout=ROUND_TIMEOUT)
    controllers = [w.controller(w.lax_id), w.controller(w.admin_id)]

    def body_for(order: tuple[int, int], attempts: list[int]):
        def body(op) -> int:
            attempts.append(1)
            s = op.session
            s.execute(text("SET LOCAL deadlock_timeout = '100ms'"))
            s.execute(text("SELECT id FROM record WHERE id = :i FOR UPDATE"), {"i": order[0]})
            if len(attempts) == 1:
                barrier.wait()
            s.execute(text("SELECT id FROM record WHERE id = :i FOR UPDATE"), {"i": order[1]})
            return order[0]

        return body

    tries: list[list[int]] = [[], []]
    outcomes = race(
        lambda: controllers[0]._run("probe", body_for((first, second), tries[0])),
        lambda: controllers[1]._run("probe", body_for((second, first), tries[1])),
    )
    assert all(o.ok for o in outcomes)
    assert sum(c.retries["deadlock"] for c in controllers) == 1
    assert sorted(map(len, tries)) == [1, 2]


# --- a commit whose answer is lost ----------------------------------------------------------


class CommitDropper:
    """A loopback proxy (127.0.0.1 only) in front of the PostgreSQL server.

    When armed, it forwards the next ``COMMIT`` to the server, waits for the
    server's answer — the transaction is committed — and then closes both
    connections without passing that answer on: the client sees its commit
    fail. One connection is served per thread with ``select``; only the
    client's side of the protocol is parsed (StartupMessage, then typed
    messages), and the server's only after the dropped COMMIT."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.armed = threading.Event()
        self.dropped = threading.Event()
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        server = socket.create_connection(self.target)
        pending = b""  # client bytes not yet parsed into whole messages
        started = False
        try:
            while True:
                readable, _, _ = select_module.select([client, server], [], [], 30)
                if not readable:
                    return
                if server in readable:
                    data = server.recv(65536)
                    if not data:
                        return
                    client.sendall(data)
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        return
                    pending += data
                    while True:
                        if not started:  # StartupMessage: int32 length, no type byte
                            if len(pending) < 4:
                                break
                            size = struct.unpack("!I", pending[:4])[0]
                            if len(pending) < size:
                                break
                            message, pending = pending[:size], pending[size:]
                            started = True
                            server.sendall(message)
                            continue
                        if len(pending) < 5:
                            break
                        size = struct.unpack("!I", pending[1:5])[0] + 1
                        if len(pending) < size:
                            break
                        message, pending = pending[:size], pending[size:]
                        server.sendall(message)
                        is_commit = message[:1] == b"Q" and message[5:].rstrip(b"\0;").strip()
                        if self.armed.is_set() and is_commit and is_commit.upper() == b"COMMIT":
                            self.armed.clear()
                            self._swallow_answer(server)
                            self.dropped.set()
                            return
        finally:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    @staticmethod
    def _swallow_answer(server: socket.socket) -> None:
        """Read the server's answer to COMMIT up to its ReadyForQuery ('Z')."""
        answer = b""
        while True:
            data = server.recv(65536)
            if not data:
                return
            answer += data
            at = 0
            while len(answer) - at >= 5:
                kind = answer[at : at + 1]
                size = struct.unpack("!I", answer[at + 1 : at + 5])[0] + 1
                if len(answer) - at < size:
                    break
                if kind == b"Z":
                    return
                at += size


@pytest.fixture
def proxied(db, pg_url) -> Iterator[tuple[CommitDropper, Database]]:
    if db.is_sqlite:
        pytest.skip("a lost COMMIT answer needs a server connection")
    url = make_url(pg_url)
    proxy = CommitDropper(url.host or "127.0.0.1", url.port or 5432)
    through = url.set(
        host="127.0.0.1",
        port=proxy.port,
        query={**url.query, "sslmode": "disable", "gssencmode": "disable"},
    )
    database = Database(through)
    try:
        yield proxy, database
    finally:
        database.dispose()
        proxy.close()


def _activities(db: Database, record_id: int) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(m.Activity.record_id == record_id))


def test_lost_commit_answer_resubmitted_with_the_key_writes_once(world, proxied, clock):
    proxy, through = proxied
    w = world
    rid = w.in_campaign("Firma", w.lax)
    fu, seen = next(iter(open_follow_ups(w.db, rid).items()))
    cmd = completion(w, rid, {fu: seen}, client_key=str(uuid.uuid4()))
    # A client that does not retry by itself: the dialog's case.
    client = Controller(through, w.lax_id, clock=clock)
    client.max_attempts = 1
    proxy.armed.set()
    with pytest.raises(OperationalError):
        client.log_activity(cmd)
    assert proxy.dropped.is_set()
    # The commit reached the server: the dialog's "did it save?" says so ...
    saved = client.activity_saved(cmd.client_key)
    assert saved is not None and _activities(w.db, rid) == 2
    # ... and pressing Save again writes nothing more.
    again = client.log_activity(cmd)
    assert again.result_id == saved and _activities(w.db, rid) == 2
    assert again.updated[Entity.FOLLOW_UP] == {fu}
    assert_invariants(w.db)


def test_lost_commit_answer_is_retried_by_the_controller_for_a_keyed_save(world, proxied, clock):
    proxy, through = proxied
    w = world
    rid = w.in_campaign("Firma", w.lax)
    fu, seen = next(iter(open_follow_ups(w.db, rid).items()))
    cmd = completion(w, rid, {fu: seen}, client_key=str(uuid.uuid4()))
    client = Controller(through, w.lax_id, clock=clock)
    proxy.armed.set()
    summary = client.log_activity(cmd)  # the lost answer is replaced by the replay
    assert proxy.dropped.is_set() and client.retries["disconnect"] == 1
    assert summary.result_id == client.activity_saved(cmd.client_key)
    assert _activities(w.db, rid) == 2
    # Without a key, the same loss is an error the caller has to decide on.
    proxy.armed.set()
    with pytest.raises(OperationalError):
        client.log_activity(completion(w, rid, {}))
    assert _activities(w.db, rid) == 3  # it did commit: why saves carry a key
