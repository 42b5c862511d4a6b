"""Run the benchmark: warm-up, repeated timed runs, p50/p95, JSON and a table.

Reads are timed as the application runs them and as bare SQL in the same run,
alternating, so both see the same machine load; the ratio is app / bare. The
write (log activity) runs once per case on different records. Cold start and
its floor, and peak memory, run in fresh processes (:mod:`.processes`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from akquise_desktop import __version__
from akquise_desktop import models as m
from akquise_desktop.storage import Database

from . import operations, processes
from .bare import Bare

RATIO_TARGET = 2.0
COLD_START_FLOOR_FACTOR = 1.5
COLD_START_MAX_MS = 1000
MEMORY_TARGET_MB = 200


@dataclass(frozen=True)
class Settings:
    warmup: int = 2  # untimed rounds over every case
    repeat: int = 10  # timed rounds over every case
    process_runs: int = 5  # cold starts (and floors)
    quick: bool = False  # few cases (tests)
    processes: bool = True  # cold start, floor, memory
    only: frozenset[str] = frozenset()  # operation keys to run (empty: all)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": round(percentile(samples, 50), 3),
        "p95": round(percentile(samples, 95), 3),
        "mean": round(sum(samples) / len(samples), 3) if samples else math.nan,
        "max": round(max(samples), 3) if samples else math.nan,
    }


def _ms(fn: Callable[[], Any], cpu: list[float] | None = None) -> float:
    """Wall time of ``fn()`` in ms; its CPU time (this thread) goes to ``cpu``."""
    cpu_started = time.thread_time()
    started = time.perf_counter()
    fn()
    wall = (time.perf_counter() - started) * 1000
    if cpu is not None:
        cpu.append((time.thread_time() - cpu_started) * 1000)
    return wall


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gb = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (OSError, AttributeError):
        return None


def database_info(db: Database) -> dict[str, Any]:
    with db.read() as s:
        counts = {
            "records": s.scalar(select(func.count()).select_from(m.Record)),
            "contacts": s.scalar(select(func.count()).select_from(m.Contact)),
            "activities": s.scalar(select(func.count()).select_from(m.Activity)),
            "follow_ups_open": s.scalar(
                select(func.count()).select_from(m.FollowUp).where(m.FollowUp.state == "open")
            ),
            "follow_ups_done": s.scalar(
                select(func.count()).select_from(m.FollowUp).where(m.FollowUp.state == "done")
            ),
        }
        version = (
            s.connection()
            .exec_driver_sql("SELECT sqlite_version()" if db.is_sqlite else "SHOW server_version")
            .scalar()
        )
    return {
        "backend": "sqlite" if db.is_sqlite else "postgresql",
        "server_version": version,
        "where": db.describe(),
        **counts,
    }


def run_operation(op: operations.Operation, settings: Settings) -> dict[str, Any]:
    app_samples: list[float] = []
    bare_samples: list[float] = []
    app_cpu: list[float] = []
    bare_cpu: list[float] = []
    per_case: dict[str, list[float]] = {}
    first_runs: dict[str, float] = {}
    if op.write:
        warm = op.cases[: settings.warmup]
        for case in warm:
            case.app()
        for case in op.cases[len(warm) :]:
            app_samples.append(_ms(case.app, app_cpu))
    else:
        for round_ in range(settings.warmup):
            for case in op.cases:
                if round_ == 0:  # first runs: before caches and prepared statements
                    first_runs[case.label] = _ms(case.app)
                else:
                    case.app()
                if case.bare is not None:
                    case.bare()
        for round_ in range(settings.repeat):
            for case in op.cases:
                pair = [(app_samples, app_cpu, case.app), (bare_samples, bare_cpu, case.bare)]
                if round_ % 2:
                    pair.reverse()  # alternate which goes first
                for samples, cpu, fn in pair:
                    if fn is not None:
                        samples.append(_ms(fn, cpu))
                        if samples is app_samples:
                            per_case.setdefault(case.label, []).append(samples[-1])
    result: dict[str, Any] = {
        "key": op.key,
        "title": op.title,
        "target_p95_ms": op.target_ms,
        "cases": len(op.cases),
        "app_ms": summary(app_samples),
        "app_cpu_ms": summary(app_cpu),
        "notes": op.notes,
    }
    if bare_samples:
        bare = summary(bare_samples)
        result["bare_ms"] = bare
        result["bare_cpu_ms"] = summary(bare_cpu)
        result["ratio_p50"] = round(result["app_ms"]["p50"] / bare["p50"], 2)
        result["ratio_p95"] = round(result["app_ms"]["p95"] / bare["p95"], 2)
        result["ratio_ok"] = result["ratio_p95"] <= RATIO_TARGET
    result["ok"] = result["app_ms"]["p95"] <= op.target_ms
    if first_runs:
        worst = max(first_runs, key=lambda k: first_runs[k])
        result["first_run_max_ms"] = {"case": worst, "ms": round(first_runs[worst], 1)}
    if per_case:
        medians = sorted(
            ((round(percentile(v, 50), 1), k) for k, v in per_case.items()), reverse=True
        )
        result["slowest_cases_p50_ms"] = [{"case": k, "p50": ms} for ms, k in medians[:8]]
    return result


PROCESS_KEYS = frozenset({"cold_start", "peak_memory"})


def run_processes(db: Database, url: str, settings: Settings, today: date) -> list[dict[str, Any]]:
    with db.read() as s:
        login = _bench_login(s, today)
        record_id = s.scalar(
            select(m.Activity.record_id)
            .group_by(m.Activity.record_id)
            .order_by(func.count().desc(), m.Activity.record_id)
            .limit(1)
        ) or s.scalar(select(func.min(m.Record.id)))
    app_runs, floor_runs, rows = [], [], []
    processes.measure("floor", url)  # warm-up: disk cache, compiled bytecode
    processes.measure("app", url, "--user", login)
    for k in range(settings.process_runs):
        order = ["app", "floor"] if k % 2 == 0 else ["floor", "app"]
        for mode in order:
            if mode == "app":
                report = processes.measure("app", url, "--user", login)
                app_runs.append(report["ms"])
                rows.append(report.get("follow_up_rows"))
            else:
                floor_runs.append(processes.measure("floor", url)["ms"])
    app, floor = summary(app_runs), summary(floor_runs)
    limit = min(COLD_START_FLOOR_FACTOR * floor["p95"], COLD_START_MAX_MS)
    cold = {
        "key": "cold_start",
        "title": "cold start to the main window showing today's follow-ups",
        "target_p95_ms": round(limit, 1),
        "cases": 1,
        "app_ms": app,
        "floor_ms": floor,
        "ratio_p50": round(app["p50"] / floor["p50"], 2),
        "ratio_p95": round(app["p95"] / floor["p95"], 2),
        "ok": app["p95"] <= limit,
        "notes": f"user {login} ({rows[-1] if rows else '?'} follow-up rows on the first "
        "page); fresh process each run, OS file cache warm; floor = PySide6 + SQLAlchemy "
        "imported, one SELECT, an empty window",
    }
    memory = processes.measure(
        "memory", url, "--user", login, "--record", str(record_id), "--pages", "20"
    )
    peak_mb = round(memory["maxrss_kb"] / 1024, 1)
    mem = {
        "key": "peak_memory",
        "title": "peak memory with the record list scrolled 20 pages and a record open",
        "target_mb": MEMORY_TARGET_MB,
        "peak_mb": peak_mb,
        "ok": peak_mb <= MEMORY_TARGET_MB,
        "notes": f"scrolled {memory.get('pages')} pages of {memory.get('records_rows')} rows, "
        f"record {record_id} open ({memory.get('timeline_rows')} timeline rows); "
        "peak resident set size of the whole process",
    }
    return [cold, mem]


def _bench_login(s, today: date) -> str:
    """The user with the most follow-ups due today or earlier (the heaviest first screen)."""
    fu = m.FollowUp
    user_id = s.scalar(
        select(fu.assignee_id)
        .where(fu.state == "open", fu.due_date <= today)
        .group_by(fu.assignee_id)
        .order_by(func.count().desc(), fu.assignee_id)
        .limit(1)
    )
    query = select(m.User.login).where(m.User.active)
    if user_id is not None:
        query = query.where(m.User.id == user_id)
    return s.scalar(query.order_by(m.User.id).limit(1)) or ""


def run(
    db: Database,
    settings: Settings = Settings(),
    *,
    today: date | None = None,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The whole benchmark on ``db``; the result as plain data (for JSON)."""
    today = today or date.today()
    say = progress or (lambda _text: None)
    started_load = load()
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None  # a connection just checked out of the pool is open
    if not db.is_sqlite:
        driver.autocommit = True  # one transaction per statement, as reads
    try:
        ctx = operations.Context(db, Bare(driver, db.is_sqlite), today,
                                 random.Random(seed))  # fmt: skip
        operations.pick(ctx, settings.quick)
        ops = operations.build(ctx, quick=settings.quick)
        if settings.only:
            ops = [op for op in ops if op.key in settings.only]
        results = []
        for op in ops:
            say(op.title)
            results.append(run_operation(op, settings))
    finally:
        if not db.is_sqlite:  # back to the pool as it came, or later writers autocommit
            driver.autocommit = False
        raw.close()
    if settings.processes and (not settings.only or settings.only & PROCESS_KEYS):
        say("cold start / floor / memory")
        # With the password: the children get it in their environment
        # (processes.measure), never on a command line.
        url = db.url.render_as_string(hide_password=False)
        try:
            results.extend(run_processes(db, url, settings, today))
        except RuntimeError as exc:  # a child failed: keep the other results
            results.append({"key": "processes", "title": "cold start / memory", "error": str(exc)})
    return {
        "akquise_desktop": __version__,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": machine(),
        "load_before": started_load,
        "load_after": load(),
        "database": database_info(db),
        "settings": {
            "warmup": settings.warmup,
            "repeat": settings.repeat,
            "process_runs": settings.process_runs,
        },
        "results": results,
    }


# --- output ------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def table(report: dict[str, Any]) -> str:
    """The result as a Markdown table with the machine and load above it."""
    mach, dbi = report["machine"], report["database"]
    lines = [
        f"AkquiseDesktop {report['akquise_desktop']} — {report['when']}",
        f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory_gb']} GB, "
        f"{mach['system']}, Python {mach['python']}; "
        f"load average before {report['load_before']}, after {report['load_after']}",
        f"Database: {dbi['backend']} {dbi['server_version']} ({dbi['where']}): "
        f"{dbi['records']:,} records, {dbi['contacts']:,} contacts, "
        f"{dbi['activities']:,} activities, {dbi['follow_ups_done']:,} done / "
        f"{dbi['follow_ups_open']:,} open follow-ups",
        "",
        "| operation | target (p95) | p50 ms | p95 ms | bare SQL p50 / p95 ms | ratio p50 / p95 "
        "| CPU p50 app / bare ms | slowest first run ms | ok |",
        "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for r in report["results"]:
        if "error" in r:
            lines.append(f"| {r['title']} | | | | | | | | FAILED: {r['error']} |")
            continue
        if r["key"] == "peak_memory":
            lines.append(
                f"| {r['title']} | ≤ {r['target_mb']} MB | | {r['peak_mb']} MB | | | | | "
                f"{'yes' if r['ok'] else 'NO'} |"
            )
            continue
        app = r["app_ms"]
        ref = r.get("bare_ms") or r.get("floor_ms")
        ref_text = f"{_fmt(ref['p50'])} / {_fmt(ref['p95'])}" if ref else ""
        if "floor_ms" in r:
            ref_text = f"floor {ref_text}"
        ratio = f"{_fmt(r['ratio_p50'])} / {_fmt(r['ratio_p95'])}" if "ratio_p50" in r else ""
        ok = "yes" if r["ok"] else "NO"
        if "ratio_ok" in r and not r["ratio_ok"]:
            ok += " (ratio > 2)"
        cpu = ""
        if "app_cpu_ms" in r:
            cpu = _fmt(r["app_cpu_ms"]["p50"])
            if "bare_cpu_ms" in r:
                cpu += f" / {_fmt(r['bare_cpu_ms']['p50'])}"
        first = r.get("first_run_max_ms")
        first_text = f"{_fmt(first['ms'])} ({first['case']})" if first else ""
        lines.append(
            f"| {r['title']} | ≤ {_fmt(float(r['target_p95_ms']))} ms | {_fmt(app['p50'])} | "
            f"{_fmt(app['p95'])} | {ref_text} | {ratio} | {cpu} | {first_text} | {ok} |"
        )
    return "\n".join(lines)


def command(db: Database, json_path: str | None, settings: Settings) -> int:
    """``akquise-desktop bench``: run, print the table, write the JSON."""
    db.open(create=False)
    report = run(db, settings, progress=lambda t: print(f"… {t}", file=sys.stderr, flush=True))
    text = table(report)
    print(text)
    if json_path:
        path = Path(json_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nJSON: {path}", file=sys.stderr)
    return 0
