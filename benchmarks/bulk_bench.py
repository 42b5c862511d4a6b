"""Benchmark: rebooking 10,000 follow-ups and bulk-shifting 10,000 due dates,
on SQLite and PostgreSQL, next to the bare SQL UPDATE of the same rows.

Not a test (no timing assertions): run it and read the table.

    /tmp/venv/bin/python benchmarks/bulk_bench.py [--rows 10000] [--pg URL] [--no-pg]

PostgreSQL: a scratch database is created on the server of ``--pg`` (default
the local one, or $AKQUISE_TEST_PG_URL) and dropped afterwards. The data is
inserted directly (a valid chain: record, source activity, open follow-up);
the timed operations go through the controller layer (``Rebooking``,
``BulkEditor``), i.e. with the checks, the audit trail and the undo journal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RoleGroupData, bootstrap
from akquise_desktop.controller.bulk import BulkEditor, ShiftDueDates
from akquise_desktop.controller.rebooking import DaySpread, RebookFilter, Rebooking, RebookSpec
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_SECONDS = 2.0


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def pg_database(admin_url: str) -> Iterator[Database]:
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"akquise_bench_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def populate(db: Database, rows: int) -> dict[str, int]:
    """Users and ``rows`` records, each with one activity and one open follow-up
    assigned to "quelle"."""
    db.upgrade()
    admin_id = bootstrap(db, "admin", "Admin")
    admin = Controller(db, admin_id)
    group = admin.create_role_group(
        RoleGroupData("Bench-Vertrieb", rights={k: Scope.ALL for k in Module})
    ).result_id
    users = {
        login: admin.create_user(login, login.title(), role_group_id=group).result_id
        for login in ("quelle", "ziel", "ziel2")
    }
    now = datetime.now(UTC)
    today = now.date()
    with db.write() as s:
        type_id = s.scalar(select(m.ActivityType.id).order_by(m.ActivityType.position).limit(1))
        source = users["quelle"]
        s.execute(
            insert(m.Record),
            [
                {
                    "id": i,
                    "kind": "company",
                    "name": f"Firma {i:05d}",
                    "country": "DE",
                    "owner_id": source,
                    "created_at": now,
                    "updated_at": now,
                    "last_activity_at": now - timedelta(days=1),
                    "next_follow_up_date": today + timedelta(days=i % 60),
                    "version": 1,
                }
                for i in range(1, rows + 1)
            ],
        )
        s.execute(
            insert(m.Activity),
            [
                {
                    "id": i,
                    "record_id": i,
                    "user_id": source,
                    "type_id": type_id,
                    "occurred_at": now - timedelta(days=1),
                    "subject": "Telefonat",
                    "text": "",
                    "created_at": now,
                }
                for i in range(1, rows + 1)
            ],
        )
        s.execute(
            insert(m.FollowUp),
            [
                {
                    "id": i,
                    "record_id": i,
                    "assignee_id": source,
                    "created_by_id": source,
                    "due_date": today + timedelta(days=i % 60),
                    "time_zone": "Europe/Berlin",
                    "priority": i % 3,
                    "instruction": "nachfassen",
                    "source_activity_id": i,
                    "recurrence_anchor": "due",
                    "occurrence": 1,
                    "state": "open",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for i in range(1, rows + 1)
            ],
        )
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            for table in ("record", "activity", "follow_up"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            conn.execute(text("ANALYZE"))
    return {"admin": admin_id, **users}


CPU: dict[float, float] = {}  # wall seconds -> this process's CPU seconds


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall = time.perf_counter() - start
    CPU[wall] = time.process_time() - cpu
    return wall, result


def bare_update(db: Database, sql: str, params: dict) -> tuple[float, int]:
    def run() -> int:
        with db.engine.begin() as conn:
            return conn.execute(text(sql), params).rowcount

    return timed(run)


def bench(db: Database, label: str, rows: int) -> list[tuple[str, str, float, str]]:
    print(f"\n[{label}] {rows} Wiedervorlagen anlegen …", file=sys.stderr, flush=True)
    users = populate(db, rows)
    admin = Controller(db, users["admin"])
    results: list[tuple[str, str, float, str]] = []

    # --- rebooking: all of "quelle" to "ziel", dates kept ---
    rebooking = Rebooking(admin)
    spec = RebookSpec(RebookFilter(from_user_ids=(users["quelle"],)), (users["ziel"],))
    t_plan, plan = timed(lambda: rebooking.plan(spec))
    t_run, result = timed(lambda: rebooking.run(plan))
    assert len(result.changed) == rows, (len(result.changed), result.refused[:3])
    results.append((label, "Umbuchen: Vorschau (plan)", t_plan, f"{plan.moving} Zeilen"))
    results.append((label, "Umbuchen: Ausführen (run)", t_run, f"{len(result.changed)} geändert"))
    CPU[t_plan + t_run] = CPU[t_plan] + CPU[t_run]
    results.append((label, "Umbuchen: gesamt", t_plan + t_run, ""))
    t_undo, undo = timed(lambda: BulkEditor(admin).undo(result.run_id))
    assert len(undo.restored) == rows
    results.append((label, "Umbuchen: Rückgängig", t_undo, f"{len(undo.restored)} zurück"))

    # --- rebooking spread over two users and working days (DE-NW), 150/day ---
    spread = RebookSpec(
        RebookFilter(from_user_ids=(users["quelle"],)),
        (users["ziel"], users["ziel2"]),
        DaySpread(date.today(), 150, "DE-NW", keep_later_dates=False),
    )
    t_plan2, plan2 = timed(lambda: rebooking.plan(spread))
    t_run2, result2 = timed(lambda: rebooking.run(plan2))
    assert len(result2.changed) == rows
    CPU[t_plan2 + t_run2] = CPU[t_plan2] + CPU[t_run2]
    results.append(
        (label, "Umbuchen verteilt (2 Nutzer, 150/Tag, DE-NW)", t_plan2 + t_run2, "plan+run")
    )
    BulkEditor(admin).undo(result2.run_id)

    # --- bulk shift of due dates by 7 days ---
    with db.read() as s:
        ids = list(s.scalars(select(m.FollowUp.id).order_by(m.FollowUp.id)))
    editor = BulkEditor(admin)
    t_prev, preview = timed(lambda: editor.preview(ShiftDueDates(7), ids))
    t_shift, shifted = timed(lambda: editor.run(ShiftDueDates(7), preview.versions))
    assert len(shifted.changed) == rows, shifted.refused[:3]
    results.append((label, "Fälligkeit +7: Vorschau", t_prev, f"{preview.changing} Zeilen"))
    results.append((label, "Fälligkeit +7: Ausführen", t_shift, f"{len(shifted.changed)} geändert"))
    CPU[t_prev + t_shift] = CPU[t_prev] + CPU[t_shift]
    results.append((label, "Fälligkeit +7: gesamt", t_prev + t_shift, ""))

    with db.read() as s:
        violations = check_invariants(s, include_dead_records=False)
        audit = s.scalar(select(func.count()).select_from(m.AuditEntry))
    assert not violations, violations
    print(f"[{label}] Invarianten ok, {audit} Audit-Einträge", file=sys.stderr)

    # --- the bare SQL UPDATE of the same rows ---
    t_bare_r, n1 = bare_update(
        db,
        "UPDATE follow_up SET assignee_id = :to, version = version + 1 "
        "WHERE assignee_id = :src AND state = 'open'",
        {"to": users["ziel"], "src": users["quelle"]},
    )
    shift_sql = (
        "UPDATE follow_up SET due_date = date(due_date, '+7 days'), version = version + 1 "
        "WHERE state = 'open'"
        if db.is_sqlite
        else "UPDATE follow_up SET due_date = due_date + 7, version = version + 1 "
        "WHERE state = 'open'"
    )
    t_bare_s, n2 = bare_update(db, shift_sql, {})
    results.append((label, "bare SQL UPDATE (umbuchen)", t_bare_r, f"{n1} Zeilen"))
    results.append((label, "bare SQL UPDATE (+7 Tage)", t_bare_s, f"{n2} Zeilen"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("AKQUISE_TEST_PG_URL", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs on fresh data; the best and the median"
    )
    args = parser.parse_args(argv)
    runs: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for _ in range(max(1, args.repeat)):
        results = []
        with sqlite_database() as db:
            results += bench(db, "SQLite", args.rows)
        if not args.no_pg:
            with pg_database(args.pg) as db:
                results += bench(db, "PostgreSQL", args.rows)
        for label, what, seconds, note in results:
            runs.setdefault((label, what), []).append((seconds, CPU.get(seconds, 0.0), note))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nRechner: {os.cpu_count()} Kerne, Last (1/5/15 min) {load}; {args.repeat} Lauf/Läufe")
    print(f"{'Datenbank':<11} {'Vorgang':<46} {'best s':>7} {'CPU s':>7} {'Median':>7}  Hinweis")
    for (label, what), values in runs.items():
        best = min(values)
        median = statistics.median(v[0] for v in values)
        flag = ""
        if what.endswith("gesamt") and best[0] >= TARGET_SECONDS:
            flag = f"  (Ziel < {TARGET_SECONDS:.0f} s verfehlt)"
        print(
            f"{label:<11} {what:<46} {best[0]:>7.3f} {best[1]:>7.3f} {median:>7.3f}"
            f"  {best[2]}{flag}"
        )
    print("Wand: Uhrzeit; CPU: dieser Prozess (Python, SQLite) im besten Lauf — die Arbeit des")
    print("PostgreSQL-Servers steckt nur in der Wandzeit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
