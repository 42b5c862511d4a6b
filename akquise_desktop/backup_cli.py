"""``akquise-desktop backup [--out FILE]`` and ``akquise-desktop restore FILE``:
backups of the local database (SQLite) from a script (:mod:`.storage.backup`).

A PostgreSQL database is backed up with ``pg_dump`` (see the README).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from akquise_desktop.core.errors import AkquiseError

PG_HINT = (
    "Sicherungen einer PostgreSQL-Datenbank macht pg_dump (und pg_dumpall --roles-only für "
    "die Rollen), wiederhergestellt wird mit pg_restore; siehe README, Abschnitt Sicherungen."
)


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from akquise_desktop.storage.backup import DEFAULT_GENERATIONS

    make = sub.add_parser(
        "backup",
        parents=[common],
        help="die lokale Datenbank sichern (Online-Sicherung, geprüft mit integrity_check)",
    )
    make.add_argument(
        "--out",
        metavar="FILE",
        help="Zieldatei (sonst der Ordner backups/ im Benutzerordner; dort bleiben die "
        "neuesten --keep Sicherungen)",
    )
    make.add_argument(
        "--keep",
        type=int,
        default=DEFAULT_GENERATIONS,
        metavar="N",
        help=f"Generationen im Ordner backups/ (Vorgabe {DEFAULT_GENERATIONS})",
    )
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="eine Sicherung wiederherstellen (der jetzige Stand wird vorher beiseitegelegt)",
    )
    restore.add_argument("file", metavar="FILE", help="die Sicherungsdatei")


def _local_path(db) -> Path:
    if not db.is_sqlite:
        raise AkquiseError(PG_HINT)
    if db.path is None:
        raise AkquiseError("Eine Datenbank im Arbeitsspeicher lässt sich nicht sichern.")
    return db.path


def command(db, args: argparse.Namespace) -> int:
    from akquise_desktop.storage import backup

    path = _local_path(db)
    now = datetime.now()
    if args.command == "backup":
        if args.out:
            made = backup.create_backup(path, Path(args.out).expanduser())
        else:
            made = backup.backup_now(path, now, keep=max(1, args.keep))
        print(f"Gesichert (geprüft): {made}")
        return 0
    db.dispose()  # (nothing of this process holds the file while it is restored)
    restored = backup.restore(path, Path(args.file).expanduser(), now)
    if restored.aside is not None:
        print(f"Der bisherige Stand liegt in {restored.aside}.")
    if restored.upgraded:
        print("Das Schema der Sicherung wurde auf den Stand dieses Programms gebracht.")
    print(f"Wiederhergestellt: {path}")
    return 0
