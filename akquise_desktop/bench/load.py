"""Load test of a shared PostgreSQL database: N desktop clients at once, each
logged in as its own database role, with row-level security.

``akquise-desktop bench-load --db URL --clients 20 --seconds 60 --json FILE``
(or ``python -m akquise_desktop.bench.load``). ``--db`` is a role that may
create users: a superuser, or a service administrator (``--no-rls`` needs a
superuser). An empty database gets the schema.

Set-up, through the controller as an administrator, named with a run id (so
any database will do, the demo data's included): teams (one per five
clients), a role group with team scope on records, contacts and activities,
one application user per client (``create_user`` makes its login role in the
users group), and ``--records`` records per user, each with a first activity
and one open follow-up. Every client is a process of its own
(``multiprocessing``, spawned) with its own :class:`Database` logged in as its
user's role, a :class:`~akquise_desktop.desktop.live.Listener` of its own and
its user's :class:`Controller`. Once all are connected and listening they
loop for ``--seconds`` over their records: read the open follow-up and its
version (as the activity mask does), then save an activity that completes it
and sets the next one (``log_activity`` with an idempotency key: the real
chain). ``--pause`` adds a think time between saves (default none: each
client saves as fast as the server answers).

Measured: saves per second (all clients), the save's latency (the
``log_activity`` call: p50/p95/p99/max), and the delay until the other
clients hear of each saved activity (the sender notes ``time.time()`` when
its commit returned, an ORM ``after_commit`` hook; every other client's listener notes
when the announcement arrives; one machine, one clock): p50/p95/max over every
(activity, receiving client) pair, and how many never arrived.

``--no-rls``: the same run without row-level security — the same kind of
clients and login roles, but each role is given ``BYPASSRLS`` for the run (and
it is taken back afterwards); grants and triggers apply as before. Only a
superuser may grant it. ``--compare``: both runs, one after the other, and
the overhead of row-level security.

Afterwards: the invariant check (:func:`check_invariants`), and no write lost
or doubled (activities written on the run's records == saves the clients
reported; each record has exactly one open follow-up).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from akquise_desktop import models as m
from akquise_desktop.bench.load_args import add_arguments
from akquise_desktop.bench.load_client import CONNECT_TIMEOUT, ClientResult, client_main
from akquise_desktop.controller import (
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    bootstrap,
)
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.invariants import DEAD_RECORDS, check_invariants
from akquise_desktop.storage import Database
from akquise_desktop.storage.roles import quote

TEAM_RIGHTS = {
    Module.RECORDS: Scope.TEAM,
    Module.CONTACTS: Scope.TEAM,
    Module.ACTIVITIES: Scope.TEAM,
}
CLIENTS_PER_TEAM = 5
TARGET_SAVE_P95_MS = 50.0
TARGET_SEEN_P95_MS = 500.0
NO_RLS = "the same login roles with BYPASSRLS for the run (grants and triggers as with RLS)"


@dataclass(frozen=True)
class Setup:
    run: str
    url: str  # the --db URL (password included: handed to the client processes only)
    logins: tuple[str, ...]
    user_ids: tuple[int, ...]
    records: tuple[tuple[int, ...], ...]  # per client: the records of its user
    teams: int
    activities_before: int


# --- set-up -----------------------------------------------------------------------------


def _login(database: str, run: str, i: int) -> str:
    suffix = f"_load{run}_{i:03d}"
    return database[: 63 - len(suffix)] + suffix


def set_up(db: Database, clients: int, records: int) -> Setup:
    """Teams, a role group, one user (and login role) per client, ``records``
    records per user with one open follow-up each: through the controller."""
    run = uuid.uuid4().hex[:6]
    admin = Controller(db, bootstrap(db, "admin", "Admin"))
    group = admin.create_role_group(RoleGroupData(f"Last {run}", rights=TEAM_RIGHTS)).result_id
    assert group is not None
    teams = max(1, -(-clients // CLIENTS_PER_TEAM))
    team_ids = [admin.create_team(f"Last {run} T{t + 1}").result_id for t in range(teams)]
    database = str(db.url.database)
    logins = tuple(_login(database, run, i) for i in range(clients))
    users = []
    for i, login in enumerate(logins):
        uid = admin.create_user(
            login, f"Last {run} {i:03d}", role_group_id=group, team_id=team_ids[i % teams]
        ).result_id
        assert uid is not None
        users.append(uid)
    today = admin.clock.today()
    per_client = []
    for i, uid in enumerate(users):
        mine = []
        for r in range(records):
            rid = admin.create_record(
                RecordData(name=f"Last {run} {i:03d}-{r:02d}", city="Teststadt", owner_id=uid)
            ).result_id
            assert rid is not None
            admin.log_activity(
                LogActivity(
                    record_id=rid,
                    subject="Erstkontakt",
                    next_follow_up=NextFollowUp(today + timedelta(days=1 + r % 7), assignee_id=uid),
                )
            )
            mine.append(rid)
        per_client.append(tuple(mine))
    url = db.url.render_as_string(hide_password=False)
    all_records = [r for mine in per_client for r in mine]
    return Setup(
        run, url, logins, tuple(users), tuple(per_client), teams, _activities(db, all_records)
    )


def _activities(db: Database, record_ids: Sequence[int]) -> int:
    with db.read() as s:
        return s.execute(
            select(func.count()).where(m.Activity.record_id.in_(list(record_ids)))
        ).scalar_one()


def _bypass_rls(db: Database, logins: Sequence[str], on: bool) -> None:
    """Grant (or take back) BYPASSRLS on the run's login roles (a superuser's right)."""
    word = "BYPASSRLS" if on else "NOBYPASSRLS"
    with db.engine.begin() as conn:
        for login in logins:
            conn.exec_driver_sql(f"ALTER ROLE {quote(login)} {word}")


# --- the run --------------------------------------------------------------------------------


def _client_url(setup: Setup, login: str) -> str:
    """The --db URL as ``login`` (the test server trusts loopback: no password)."""
    url = make_url(setup.url).set(username=login, password=None)
    return url.render_as_string(hide_password=False)


def run(
    db: Database,
    *,
    clients: int = 20,
    seconds: float = 60.0,
    records: int = 5,
    rls: bool = True,
    pause: float = 0.0,
    seed: int = 1,
) -> dict[str, Any]:
    """Set up, run the client processes, check; the report as a dict."""
    if db.is_sqlite:
        raise AkquiseError("The load test needs a PostgreSQL database (--db postgresql://…).")
    if clients < 1 or records < 1 or seconds <= 0:
        raise AkquiseError("--clients and --records must be at least 1, --seconds above 0.")
    setup = set_up(db, clients, records)
    if not rls:
        _bypass_rls(db, setup.logins, True)
    load_before = os.getloadavg()
    server_before = server_cpu(db)
    try:
        elapsed, results = _run_clients(setup, seconds, pause, seed)
    finally:
        if not rls:
            _bypass_rls(db, setup.logins, False)
    time.sleep(0.5)  # the clients' server processes ended: their time goes to the postmaster
    server_after = server_cpu(db)
    load_after = os.getloadavg()
    report = _report(db, setup, results, elapsed, rls=rls, pause=pause)
    report["load_average_before_after"] = [round(load_before[0], 2), round(load_after[0], 2)]
    saves = report["saves"] or 1
    clients_cpu = sum(r.cpu_s for r in results)
    server = (
        server_after - server_before
        if server_before is not None and server_after is not None
        else None
    )
    report["cpu"] = {
        "clients_s": round(clients_cpu, 2),
        "clients_ms_per_save": round(clients_cpu * 1000 / saves, 2),
        "server_s": None if server is None else round(server, 2),
        "server_ms_per_save": None if server is None else round(server * 1000 / saves, 2),
    }
    return report


def server_cpu(db: Database) -> float | None:
    """CPU seconds of the server's ended processes (a connection's process adds
    its time to the postmaster's when it ends) — for a server on this machine
    whose data directory this process may read; else None."""
    if db.url.host not in ("127.0.0.1", "localhost", "::1", None):
        return None
    try:
        with db.engine.connect() as conn:
            directory = conn.exec_driver_sql("SHOW data_directory").scalar()
        with open(os.path.join(str(directory), "postmaster.pid"), encoding="ascii") as f:
            pid = int(f.readline())
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # After the ")": state is field 3; cutime, cstime are fields 16 and 17.
        ticks = int(fields[16 - 3]) + int(fields[17 - 3])
    except (OSError, ValueError, IndexError, DBAPIError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _run_clients(
    setup: Setup, seconds: float, pause: float, seed: int
) -> tuple[float, list[ClientResult]]:
    ctx = mp.get_context("spawn")  # no inherited connections or threads
    n = len(setup.logins)
    start, done = ctx.Barrier(n + 1), ctx.Barrier(n + 1)
    total = ctx.Value("q", 0)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=client_main,
            args=(
                i,
                _client_url(setup, login),
                setup.user_ids[i],
                setup.records[i],
                seconds,
                pause,
                seed * 1000 + i,
                start,
                done,
                total,
                results,
            ),
            name=f"akquise-load-{i}",
            daemon=True,
        )
        for i, login in enumerate(setup.logins)
    ]
    for p in procs:
        p.start()
    collected: list[ClientResult] = []
    failures: list[str] = []
    try:
        start.wait(CONNECT_TIMEOUT)
        began = time.perf_counter()
        done.wait(CONNECT_TIMEOUT + seconds)
        elapsed = time.perf_counter() - began
    except Exception:  # a client failed (it broke the barriers): its message follows
        elapsed = 0.0
    for _ in procs:
        try:
            index, answer = results.get(timeout=CONNECT_TIMEOUT + seconds + 30)
        except Exception:
            failures.append("a client did not answer")
            break
        if isinstance(answer, str):
            failures.append(f"client {index}: {answer}")
        else:
            collected.append(answer)
    for p in procs:
        p.join(10)
        if p.is_alive():
            p.terminate()
    if failures:
        raise AkquiseError("The load test failed: " + "; ".join(failures[:5]))
    return elapsed, sorted(collected, key=lambda r: r.index)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (nearest rank, as the benchmark's); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 2)


def _report(
    db: Database,
    setup: Setup,
    results: list[ClientResult],
    elapsed: float,
    *,
    rls: bool,
    pause: float,
) -> dict[str, Any]:
    saves = sum(r.saves for r in results)
    latencies = [x for r in results for x in r.latencies]
    sender: dict[int, tuple[int, float]] = {}
    for r in results:
        for aid, at in zip(r.sent_ids, r.sent_at, strict=True):
            sender[aid] = (r.index, at)
    delays: list[float] = []
    for r in results:
        for aid, at in zip(r.heard_ids, r.heard_at, strict=True):
            sent = sender.get(aid)
            if sent is not None and sent[0] != r.index:
                delays.append(at - sent[1])
    expected = saves * (len(results) - 1)
    all_records = [rid for mine in setup.records for rid in mine]
    written = _activities(db, all_records) - setup.activities_before
    fu = m.FollowUp
    with db.read() as s:
        open_counts = dict(
            s.execute(
                select(fu.record_id, func.count())
                .where(fu.record_id.in_(all_records), fu.state == m.FollowUpState.OPEN)
                .group_by(fu.record_id)
            ).all()
        )
        violations = check_invariants(s)
        server = s.execute(text("SHOW server_version")).scalar()
        max_connections = s.execute(text("SHOW max_connections")).scalar()
    not_one_open = sum(1 for rid in all_records if open_counts.get(rid, 0) != 1)
    hard = [v for v in violations if v.check != DEAD_RECORDS]
    refusals: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    retries: Counter[str] = Counter()
    for r in results:
        refusals.update(r.refusals)
        errors.update(r.errors)
        retries.update(r.retries)
    return {
        "database": db.describe("en"),
        "server": f"PostgreSQL {server}, max_connections {max_connections}",
        "machine": f"{os.cpu_count()} CPUs",
        "run": setup.run,
        "clients": len(results),
        "teams": setup.teams,
        "records_per_client": len(setup.records[0]) if setup.records else 0,
        "rls": rls,
        "connection": "own login role per client, row-level security on" if rls else NO_RLS,
        "pause_s": pause,
        "seconds": round(elapsed, 2),
        "saves": saves,
        "saves_per_client": [r.saves for r in results],
        "throughput_per_s": round(saves / elapsed, 1) if elapsed else 0.0,
        "save_ms": {
            "p50": _ms(percentile(latencies, 50)),
            "p95": _ms(percentile(latencies, 95)),
            "p99": _ms(percentile(latencies, 99)),
            "max": _ms(max(latencies, default=None)),
            "target_p95": TARGET_SAVE_P95_MS,
        },
        "seen_by_others_ms": {
            "p50": _ms(percentile(delays, 50)),
            "p95": _ms(percentile(delays, 95)),
            "max": _ms(max(delays, default=None)),
            "deliveries": len(delays),
            "expected": expected,
            "missing": expected - len(delays),
            "target_p95": TARGET_SEEN_P95_MS,
        },
        "whole_refreshes": sum(r.whole_refreshes for r in results),
        "activities_written": written,
        "lost_writes": max(saves - written, 0),
        "doubled_writes": max(written - saves, 0),
        "records_without_exactly_one_open_follow_up": not_one_open,
        "refusals": dict(refusals),
        "errors": dict(errors),
        "retries": dict(retries),
        "invariant_violations": [asdict(v) for v in hard],
        "dead_records_hint": sum(v.count for v in violations if v.check == DEAD_RECORDS),
    }


def ok(report: dict[str, Any]) -> bool:
    """No write lost or doubled, the invariants hold, nothing failed (times are not judged)."""
    return (
        report["saves"] > 0
        and report["lost_writes"] == 0
        and report["doubled_writes"] == 0
        and report["records_without_exactly_one_open_follow_up"] == 0
        and not report["invariant_violations"]
        and not report["errors"]
        and not report["refusals"]
    )


def overhead(with_rls: dict[str, Any], without: dict[str, Any]) -> dict[str, Any]:
    """What row-level security costs: throughput and latency ratios of two runs."""

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    return {
        "throughput_with_over_without": ratio(
            with_rls["throughput_per_s"], without["throughput_per_s"]
        ),
        "save_p50_with_over_without": ratio(with_rls["save_ms"]["p50"], without["save_ms"]["p50"]),
        "save_p95_with_over_without": ratio(with_rls["save_ms"]["p95"], without["save_ms"]["p95"]),
        "without_rls": NO_RLS,
    }


# --- output -----------------------------------------------------------------------------------


def print_report(report: dict[str, Any], out: Any = sys.stdout) -> None:
    save, seen = report["save_ms"], report["seen_by_others_ms"]
    cpu = report.get("cpu") or {"clients_ms_per_save": None, "server_ms_per_save": None}
    lines = [
        ("database", f"{report['database']} ({report['server']}; {report['machine']})"),
        ("clients", f"{report['clients']} in {report['teams']} teams, {report['connection']}"),
        ("duration", f"{report['seconds']} s, pause {report['pause_s']} s between saves"),
        ("throughput", f"{report['throughput_per_s']} saves/s ({report['saves']} saves)"),
        (
            "save latency",
            f"p50 {save['p50']} ms, p95 {save['p95']} ms (target ≤ {save['target_p95']}), "
            f"p99 {save['p99']} ms, max {save['max']} ms",
        ),
        (
            "seen by the others",
            f"p50 {seen['p50']} ms, p95 {seen['p95']} ms (target ≤ {seen['target_p95']}), "
            f"max {seen['max']} ms; {seen['deliveries']} of {seen['expected']} "
            f"announcements heard",
        ),
        (
            "writes",
            f"{report['activities_written']} activities for {report['saves']} saves: "
            f"lost {report['lost_writes']}, doubled {report['doubled_writes']}, "
            f"records without exactly one open follow-up "
            f"{report['records_without_exactly_one_open_follow_up']}",
        ),
        ("retries", ", ".join(f"{k} {v}" for k, v in report["retries"].items()) or "0"),
        ("refusals", report["refusals"] or "none"),
        ("errors", report["errors"] or "none"),
        (
            "invariants",
            "ok"
            if not report["invariant_violations"]
            else ", ".join(f"{v['check']} ({v['count']})" for v in report["invariant_violations"]),
        ),
        (
            "CPU per save",
            f"clients {cpu['clients_ms_per_save']} ms, server {cpu['server_ms_per_save']} ms "
            f"(ended server processes; None: a server not on this machine)",
        ),
        ("load average", " → ".join(str(x) for x in report.get("load_average_before_after", []))),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}", file=out)


def command(
    db: Database,
    *,
    clients: int,
    seconds: float,
    records: int = 5,
    rls: bool = True,
    compare: bool = False,
    pause: float = 0.0,
    json_path: str | None = None,
    out: Any = sys.stdout,
) -> int:
    """``bench-load``: one run (or with ``compare`` both), printed and written as JSON."""
    db.open(create=True)
    runs = [rls] if not compare else [True, False]
    reports = []
    for with_rls in runs:
        report = run(
            db, clients=clients, seconds=seconds, records=records, rls=with_rls, pause=pause
        )
        print(f"--- {'with' if with_rls else 'without'} row-level security", file=out)
        print_report(report, out)
        reports.append(report)
    result: dict[str, Any] = {"runs": reports}
    if compare:
        result["rls_overhead"] = overhead(reports[0], reports[1])
        o = result["rls_overhead"]
        print(
            f"--- row-level security: throughput × {o['throughput_with_over_without']}, "
            f"save p50 × {o['save_p50_with_over_without']}, "
            f"p95 × {o['save_p95_with_over_without']}",
            file=out,
        )
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, default=str)
    return 0 if all(ok(r) for r in reports) else 1


def run_args(db: Database, args: argparse.Namespace) -> int:
    """The load test with the options of ``bench-load`` (cli.py and :func:`main`)."""
    return command(
        db,
        clients=args.clients,
        seconds=args.seconds,
        records=args.records,
        rls=not args.no_rls,
        compare=args.compare,
        pause=args.pause,
        json_path=args.json,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m akquise_desktop.bench.load")
    parser.add_argument("--db", default=os.environ.get("AKQUISE_DB"), help="database URL")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.db:
        parser.error("--db URL (or AKQUISE_DB) is required")
    db = Database(args.db)
    try:
        return run_args(db, args)
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
