"""The entry points: :func:`generate_large` (plan, write, indexes, statistics,
timed by phase) and :func:`command`, what ``akquise-desktop demo --scale large``
runs.
"""

from __future__ import annotations

import random
import sys
import time as wall
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.queries import search
from akquise_desktop.storage import Database

from .indexes import _after, _drop, _finish, _prepare
from .plan import LargeResult, Progress, Targets, _plan, _setup
from .vocabulary import TEAMS
from .write import FLUSH_ROWS, _Formats, _History, _Writer


def generate_large(
    db: Database,
    factor: float = 1.0,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> LargeResult:
    """Fill an empty, schema-current database with the large data set."""
    started = wall.perf_counter()
    targets = Targets.scaled(factor)
    today = today or date.today()
    with db.read() as s:
        if not db.is_sqlite and not _may_bulk_load(s):
            raise ValueError(
                "Die große Demo lädt mit COPY und nimmt Indexe und Fremdschlüssel ab: nur als "
                "Superuser oder als Mitglied der Eigentümerrolle der Datenbank (…_owner)."
            )
        if s.scalar(select(func.count()).select_from(m.Record)) or s.scalar(
            select(func.count()).select_from(m.Activity)
        ):
            raise ValueError("Die Datenbank enthält schon Datensätze; Demodaten nur in eine leere.")
    rng = random.Random(seed)
    now = datetime.combine(today, time(5, 0), tzinfo=UTC)
    phases: dict[str, float] = {}
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        at = wall.perf_counter()
        phases[name] = round(at - mark, 1)
        mark = at

    world = _setup(db, rng, now)
    plan = _plan(rng, targets, world)
    phase("setup_and_plan")
    if progress:
        progress("plan", 0, targets.records)
    fmt = _Formats(db.is_sqlite)
    history = _History(rng, world, plan, fmt, today)
    with db.engine.connect() as conn:
        restore = _prepare(conn, db.is_sqlite)
        with conn.begin():
            _drop(conn, restore)
            writer = _Writer(conn, db.is_sqlite)
            for i in range(targets.records):
                history.record(i, writer)
                if writer.rows >= FLUSH_ROWS:
                    writer.flush()
                    if progress:
                        progress("write", i + 1, targets.records)
            writer.flush()
            if progress:
                progress("write", targets.records, targets.records)
                progress("index", 0, 1)
            phase("write")
            if not db.is_sqlite:  # before its trigram index is back (a GIN build is faster)
                search.rebuild_index(conn)
            _finish(conn, db.is_sqlite, restore)
            if db.is_sqlite:  # its contact look-ups need the index on contact.record_id
                search.rebuild_index(conn)
        phase("indexes_and_commit")
        if progress:
            progress("analyze", 0, 1)
        _after(conn, db.is_sqlite)
        phase("statistics")
    return LargeResult(
        targets=targets,
        users=len(world.users),
        teams=len(TEAMS) + 1,
        campaigns=len(world.campaigns),
        recurring_series=history.recurring,
        dead_records=history.dead,
        admin_user_id=world.admin_id,
        seconds=wall.perf_counter() - started,
        phases=phases,
    )


def _may_bulk_load(s) -> bool:
    """On PostgreSQL: whether the connected role owns the tables (a superuser,
    the owner role or a member of it — migration 0009): the load changes
    constraints and triggers and writes past row-level security."""
    from sqlalchemy import text

    return bool(
        s.execute(
            text(
                "SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
                "FROM pg_class c WHERE c.oid = 'record'::regclass"
            )
        ).scalar()
    )


def command(db: Database, factor: float, seed: int) -> int:
    """``akquise-desktop demo --scale large [--factor F]``: progress on stderr, a summary."""
    from akquise_desktop.core.errors import AkquiseError

    stages = {"plan": "Planung", "write": "Schreiben", "index": "Indizes", "analyze": "Statistik"}

    def progress(stage: str, done: int, total: int) -> None:
        label = stages.get(stage, stage)
        if stage == "write":
            text = f"{label}: {done:,}/{total:,} Datensätze".replace(",", ".")
            print(f"\r{text}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        else:
            print(f"{label} …", file=sys.stderr, flush=True)

    try:
        result = generate_large(db, factor, seed=seed, progress=progress)
    except ValueError as exc:
        raise AkquiseError(str(exc)) from None
    t = result.targets
    print(
        f"{t.records} Datensätze, {t.contacts} Ansprechpartner, {t.activities} Aktivitäten, "
        f"{t.done_follow_ups} erledigte und {t.open_follow_ups} offene Wiedervorlagen "
        f"({result.recurring_series} wiederkehrende Serien), {result.users} Benutzer in "
        f"{result.teams} Teams, {result.campaigns} Kampagnen; {result.dead_records} tote Kunden "
        f"(Innendienst ohne Wiedervorlage) — {result.seconds:.0f} s, {db.describe()}."
    )
    print("Phasen (s): " + ", ".join(f"{k} {v}" for k, v in result.phases.items()))
    return 0
