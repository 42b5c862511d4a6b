"""Benchmark: importing 100,000 CSV rows (duplicate check included) into a
database that already holds 100,000 records.

Not a test (no timing assertions): run it and read the figures.

    /work/main/.venv/bin/python benchmarks/import_bench.py [--rows 100000] [--existing 100000]
        [--pg URL]

The file is a German Excel CSV (Windows-1252, ``;``) with realistic firm
names, addresses, phones and e-mails; about 2 % of its rows repeat an
existing record (other spelling of the phone, same e-mail domain) and 1 %
repeat an earlier row. The existing records are put in by an import too (not
timed). Timed: reading the file, the check and duplicate search (``plan``),
and writing (``run``: records, contact persons, first activity, campaign
status, first follow-up, audit trail and undo journal), then the undo.
Target: read + plan + run under 60 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from akquise_desktop.controller import Controller, bootstrap
from akquise_desktop.controller.bulk import BulkEditor
from akquise_desktop.demo.large.vocabulary import (
    LEGAL,
    PEOPLE,
    PREFIXES,
    SUFFIXES,
    SURNAMES,
    TRADES,
)
from akquise_desktop.imports import ImportSettings, guess_mapping, read_file
from akquise_desktop.storage import Database
from tests.factories import STATUSES

TARGET_SECONDS = 60.0
CITIES = [
    ("Köln", "50667", "221"), ("München", "80331", "89"), ("Berlin", "10115", "30"),
    ("Hamburg", "20095", "40"), ("Düsseldorf", "40213", "211"), ("Stuttgart", "70173", "711"),
    ("Leipzig", "04109", "341"), ("Nürnberg", "90402", "911"), ("Bremen", "28195", "421"),
    ("Münster", "48143", "251"), ("Würzburg", "97070", "931"), ("Lübeck", "23552", "451"),
]  # fmt: skip
HEADER = "Firma;Straße;PLZ;Ort;Telefon;E-Mail;Webseite;Anrede;Vorname;Nachname;Branche"


def _row(rnd: random.Random, n: int) -> list[str]:
    trade, industry = rnd.choice(TRADES)
    style = rnd.random()
    if style < 0.4:
        name = f"{rnd.choice(SURNAMES)} {trade} {rnd.choice(LEGAL)}"
    elif style < 0.7:
        name = f"{rnd.choice(PREFIXES)}{rnd.choice(SUFFIXES)} {rnd.choice(LEGAL)}"
    else:
        name = f"{trade} {rnd.choice(SURNAMES)} & {rnd.choice(SURNAMES)} {rnd.choice(LEGAL)}"
    name = f"{name} {n}" if rnd.random() < 0.9 else name
    city, plz, area = rnd.choice(CITIES)
    salutation, first = rnd.choice(PEOPLE)
    last = rnd.choice(SURNAMES)
    slug = f"firma{n}"
    return [
        name,
        f"{rnd.choice(SURNAMES)}straße {rnd.randint(1, 200)}",
        plz,
        city,
        f"0{area} {rnd.randint(100000, 9999999)}",
        f"info@{slug}.de",
        f"www.{slug}.de",
        salutation,
        first,
        last,
        industry,
    ]


def write_csv(path: Path, rows: int, seed: int, start: int, repeat_from: int = 0) -> None:
    rnd = random.Random(seed)
    lines = [HEADER]
    made: list[list[str]] = []
    for i in range(rows):
        roll = rnd.random()
        if repeat_from and roll < 0.02:  # an existing record again, other phone spelling
            k = rnd.randrange(repeat_from)
            row = _row(random.Random(f"{seed - 1}-{k}"), k + 1)
            row[4] = "+49 " + row[4][1:].replace(" ", "-")
        elif made and roll < 0.03:  # an earlier row of this file
            row = list(rnd.choice(made))
            row[0] = row[0].upper()
        else:
            row = _row(random.Random(f"{seed}-{i}"), start + i)
        made.append(row)
        lines.append(";".join(row))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def bench(db: Database, rows: int, existing: int, tmp: Path) -> float:
    db.upgrade()
    admin_id = bootstrap(db, "admin", "Admin")
    admin = Controller(db, admin_id)
    campaign_id = admin.create_campaign("Neukunden", STATUSES).result_id
    assert campaign_id is not None
    editor = BulkEditor(admin)
    settings = ImportSettings(campaign_id=campaign_id)
    if existing:
        old = tmp / "existing.csv"
        # The seeds of the rows are "0-<k>" (seed 0): write_csv(seed=1) repeats them.
        rnd_rows = [_row(random.Random(f"0-{k}"), k + 1) for k in range(existing)]
        old.write_bytes(
            ("\r\n".join([HEADER, *(";".join(r) for r in rnd_rows)]) + "\r\n").encode("cp1252")
        )
        t = read_file(old)
        started = time.perf_counter()
        plan = editor.plan_import(t, guess_mapping(t.headers), check_duplicates=False)
        editor.run_import(plan, settings)
        print(f"  (loaded {existing:,} existing records in {time.perf_counter() - started:.1f} s)")
    path = tmp / "import.csv"
    write_csv(path, rows, seed=1, start=existing + 1, repeat_from=existing)
    t0 = time.perf_counter()
    table = read_file(path)
    t1 = time.perf_counter()
    plan = editor.plan_import(table, guess_mapping(table.headers))
    t2 = time.perf_counter()
    result = editor.run_import(plan, settings)
    t3 = time.perf_counter()
    undone = editor.undo(result.run_id) if result.run_id else None
    t4 = time.perf_counter()
    found = sum(1 for mt in plan.duplicates.values() if mt.record_id is not None)
    within = len(plan.duplicates) - found
    total = t3 - t0
    shape = f"({table.encoding}, {table.delimiter!r})"
    print(f"  read   {t1 - t0:6.1f} s   {len(table.rows):,} rows {shape}")
    print(
        f"  plan   {t2 - t1:6.1f} s   {len(plan.bad_rows)} bad rows, {found:,} duplicates of "
        f"existing records, {within:,} within the file"
    )
    print(f"  run    {t3 - t2:6.1f} s   {len(result.created):,} records created, "
          f"{len(result.skipped):,} skipped")  # fmt: skip
    print(f"  undo   {t4 - t3:6.1f} s   {len(undone.restored) if undone else 0:,} removed")
    verdict = "OK" if total < TARGET_SECONDS else "TOO SLOW"
    print(
        f"  import {total:6.1f} s   (read + plan + run; target < {TARGET_SECONDS:.0f} s) {verdict}"
    )
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--pg", metavar="URL", help="also on a PostgreSQL scratch database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite: import of {args.rows:,} rows into {args.existing:,} records")
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            total = bench(db, args.rows, args.existing, Path(tmp))
        finally:
            db.dispose()
        if args.pg:
            from benchmarks.bulk_bench import pg_database

            print(f"PostgreSQL: import of {args.rows:,} rows into {args.existing:,} records")
            with pg_database(args.pg) as pg:
                bench(pg, args.rows, args.existing, Path(tmp))
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
