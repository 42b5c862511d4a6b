"""Contention benchmark: many clients completing and rescheduling the same
follow-ups at once.

Run as ``python -m akquise_desktop.bench.contention --db URL`` (or with the
URL in ``AKQUISE_DB``). It sets up its own users and records (named with a
run id, so any database will do; an empty one gets the schema), then
``--clients`` threads, each a controller of its own user, loop for
``--seconds`` over ``--follow-ups`` records that each have one open follow-up:
read the follow-up and its version as a dialog would, then either complete it
by an activity that sets the next one (a keyed save; now and then sent twice,
as after a lost answer) or reschedule it.

Printed: throughput, conflicts refused (``concurrency.stale`` and
``chain.follow_up_not_open``: the expected outcome of two users on the same
follow-up), retries of the whole transaction by reason, deadlocks surfaced
to a caller (target 0), doubled writes (target 0: activities beyond one per
successful completion, a repeated save that wrote, a record with other than
one open follow-up), and the invariant check afterwards
(:mod:`akquise_desktop.queries.invariants`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from akquise_desktop import models as m
from akquise_desktop.controller import (
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    bootstrap,
)
from akquise_desktop.controller.concurrency import DEADLOCK
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock
from akquise_desktop.core.errors import DomainError
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database

CONFLICTS = {"concurrency.stale", "chain.follow_up_not_open"}
RESUBMIT_SHARE = 0.1  # completions sent a second time with the same key


@dataclass
class Tally:
    """One client's counts (merged at the end)."""

    completed: int = 0
    rescheduled: int = 0
    replayed: int = 0  # a resubmitted save answered with the first one's result
    conflicts: int = 0
    gave_up: int = 0  # concurrency.conflict: still deadlocking after the retries
    deadlocks_surfaced: int = 0
    doubled: int = 0  # a resubmitted save that wrote again
    other_refusals: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for name in ("completed", "rescheduled", "replayed", "conflicts", "gave_up"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.deadlocks_surfaced += other.deadlocks_surfaced
        self.doubled += other.doubled
        self.other_refusals.update(other.other_refusals)
        self.errors.update(other.errors)
        self.retries.update(other.retries)


@dataclass(frozen=True)
class Setup:
    run: str
    user_ids: tuple[int, ...]
    record_ids: tuple[int, ...]
    activities_before: int


def set_up(db: Database, clients: int, follow_ups: int, clock: Clock = SYSTEM_CLOCK) -> Setup:
    """Users (one per client, all rights) and records with one open follow-up each."""
    run = uuid.uuid4().hex[:8]
    admin = Controller(db, bootstrap(db, "admin", "Admin"), clock=clock)
    group = admin.create_role_group(
        RoleGroupData(f"Last {run}", rights={module: Scope.ALL for module in Module})
    ).result_id
    assert group is not None
    users = tuple(
        admin.create_user(f"last-{run}-{i}", f"Last {run} {i}", role_group_id=group).result_id or 0
        for i in range(clients)
    )
    owner = Controller(db, users[0], clock=clock)
    today = clock.today()
    records = []
    for i in range(follow_ups):
        rid = owner.create_record(RecordData(name=f"Last {run} {i:03d}")).result_id
        assert rid is not None
        owner.log_activity(
            LogActivity(
                record_id=rid,
                subject="Erstkontakt",
                next_follow_up=NextFollowUp(today + timedelta(days=1 + i % 7)),
            )
        )
        records.append(rid)
    return Setup(run, users, tuple(records), _activities(db, records))


def _activities(db: Database, record_ids: Sequence[int]) -> int:
    with db.read() as s:
        return s.execute(
            select(func.count()).where(m.Activity.record_id.in_(list(record_ids)))
        ).scalar_one()


def _open_follow_up(db: Database, record_id: int) -> tuple[int, int, date] | None:
    fu = m.FollowUp
    with db.read() as s:
        row = s.execute(
            select(fu.id, fu.version, fu.due_date)
            .where(fu.record_id == record_id, fu.state == m.FollowUpState.OPEN)
            .order_by(fu.id)
            .limit(1)
        ).first()
    return (row[0], row[1], row[2]) if row is not None else None


def client(
    ctl: Controller,
    records: Sequence[int],
    *,
    stop: threading.Event,
    start: threading.Barrier,
    operations: int | None,
    seed: int,
) -> Tally:
    """One client's loop until ``stop`` (or ``operations`` calls)."""
    rnd = random.Random(seed)
    tally = Tally()
    today = ctl.clock.today()
    start.wait()
    done = 0
    while not stop.is_set() and (operations is None or done < operations):
        done += 1
        record_id = rnd.choice(records)
        seen = _open_follow_up(ctl.db, record_id)
        if seen is None:
            tally.errors["no open follow-up"] += 1
            continue
        fu_id, version, due = seen
        try:
            if rnd.random() < 0.5:
                cmd = LogActivity(
                    record_id=record_id,
                    subject="Telefonat",
                    completes={fu_id: version},
                    next_follow_up=NextFollowUp(today + timedelta(days=rnd.randint(1, 30))),
                    client_key=str(uuid.uuid4()),
                )
                first = ctl.log_activity(cmd)
                tally.completed += 1
                if rnd.random() < RESUBMIT_SHARE:
                    again = ctl.log_activity(cmd)
                    if again.result_id == first.result_id:
                        tally.replayed += 1
                    else:
                        tally.doubled += 1
            else:
                ctl.update_follow_up(
                    fu_id,
                    expected_version=version,
                    due_date=max(due, today) + timedelta(days=rnd.randint(1, 5)),
                )
                tally.rescheduled += 1
        except DomainError as exc:
            if exc.rule_id in CONFLICTS:
                tally.conflicts += 1
            elif exc.rule_id == "concurrency.conflict":
                tally.gave_up += 1
            else:
                tally.other_refusals[exc.rule_id] += 1
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == DEADLOCK:
                tally.deadlocks_surfaced += 1
            else:
                tally.errors[type(exc.orig).__name__] += 1
    tally.retries.update(ctl.retries)
    return tally


def run(
    db: Database,
    *,
    clients: int = 10,
    follow_ups: int = 50,
    seconds: float | None = 30.0,
    operations: int | None = None,
    seed: int = 1,
    clock: Clock = SYSTEM_CLOCK,
) -> dict[str, Any]:
    """Set up, run the clients (for ``seconds``, or ``operations`` calls each),
    check; the report as a dict."""
    setup = set_up(db, clients, follow_ups, clock)
    stop = threading.Event()
    start = threading.Barrier(clients + 1)
    tallies: list[Tally] = [Tally() for _ in range(clients)]
    failures: list[BaseException] = []

    def work(i: int) -> None:
        try:
            ctl = Controller(db, setup.user_ids[i], clock=clock)
            tallies[i] = client(
                ctl,
                setup.record_ids,
                stop=stop,
                start=start,
                operations=operations,
                seed=seed * 1000 + i,
            )
        except BaseException as exc:  # reported, not swallowed
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    if seconds is not None:
        stop.wait(seconds)
        stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise failures[0]
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return _report(db, setup, total, elapsed, clients=clients)


def _report(
    db: Database, setup: Setup, total: Tally, elapsed: float, *, clients: int
) -> dict[str, Any]:
    records = list(setup.record_ids)
    activities = _activities(db, records) - setup.activities_before
    fu = m.FollowUp
    with db.read() as s:
        open_counts = s.execute(
            select(fu.record_id, func.count())
            .where(fu.record_id.in_(records), fu.state == m.FollowUpState.OPEN)
            .group_by(fu.record_id)
        ).all()
        violations = check_invariants(s, include_dead_records=False)
    not_one_open = len(records) - sum(1 for _rid, n in open_counts if n == 1)
    succeeded = total.completed + total.rescheduled
    doubled = total.doubled + max(activities - total.completed, 0) + not_one_open
    return {
        "database": db.describe("en"),
        "clients": clients,
        "follow_ups": len(records),
        "seconds": round(elapsed, 2),
        "completed": total.completed,
        "rescheduled": total.rescheduled,
        "throughput_per_s": round(succeeded / elapsed, 1) if elapsed else 0.0,
        "conflicts_refused": total.conflicts,
        "replayed_resubmits": total.replayed,
        "retries": dict(total.retries),
        "deadlocks_surfaced": total.deadlocks_surfaced,
        "gave_up_after_retries": total.gave_up,
        "doubled_writes": doubled,
        "activities_written": activities,
        "records_without_exactly_one_open_follow_up": not_one_open,
        "other_refusals": dict(total.other_refusals),
        "errors": dict(total.errors),
        "invariant_violations": [asdict(v) for v in violations],
    }


def print_report(report: dict[str, Any], out: Any = sys.stdout) -> None:
    lines = [
        ("database", report["database"]),
        ("clients × follow-ups", f"{report['clients']} × {report['follow_ups']}"),
        ("duration", f"{report['seconds']} s"),
        (
            "throughput",
            f"{report['throughput_per_s']} saves/s "
            f"({report['completed']} completed, {report['rescheduled']} rescheduled)",
        ),
        ("conflicts refused", f"{report['conflicts_refused']} (stale / no longer open)"),
        ("resubmits replayed", report["replayed_resubmits"]),
        ("retries", ", ".join(f"{k} {v}" for k, v in report["retries"].items()) or "0"),
        ("deadlocks surfaced", f"{report['deadlocks_surfaced']} (target 0)"),
        ("gave up after retries", report["gave_up_after_retries"]),
        ("doubled writes", f"{report['doubled_writes']} (target 0)"),
        ("other refusals", report["other_refusals"] or "none"),
        ("errors", report["errors"] or "none"),
        (
            "invariants",
            "ok"
            if not report["invariant_violations"]
            else ", ".join(f"{v['check']} ({v['count']})" for v in report["invariant_violations"]),
        ),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m akquise_desktop.bench.contention")
    parser.add_argument("--db", default=os.environ.get("AKQUISE_DB"), help="database URL")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--follow-ups", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the report as one JSON line")
    args = parser.parse_args(argv)
    if not args.db:
        parser.error("--db URL (or AKQUISE_DB) is required")
    db = Database(args.db).open()
    try:
        report = run(
            db,
            clients=args.clients,
            follow_ups=args.follow_ups,
            seconds=args.seconds,
            seed=args.seed,
        )
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report, default=str))
    else:
        print_report(report)
    ok = (
        report["deadlocks_surfaced"] == 0
        and report["doubled_writes"] == 0
        and not report["invariant_violations"]
        and not report["errors"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
