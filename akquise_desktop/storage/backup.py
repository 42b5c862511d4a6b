"""Backups of the local database (SQLite): made, verified, pruned, restored.

* A backup is written with SQLite's online backup API
  (:meth:`sqlite3.Connection.backup`), never by copying the file of an open
  database: it reads one consistent state (WAL included) while the app works on.
* Each backup is verified with ``PRAGMA integrity_check`` after writing; a
  backup that fails it is deleted and the failure raised (:class:`BackupError`).
* Automatic backups go to the user's data folder, ``backups/``, named
  ``<database name>-<YYYYMMDD-HHMMSS>.sqlite3``; :func:`daily_backup` makes one
  when the newest is older than a day, and :func:`prune` keeps the newest
  ``keep`` of them (default :data:`DEFAULT_GENERATIONS`).
* :func:`restore` puts a backup in place of the database: the current state is
  kept aside first, next to the database as
  ``<name>-before-restore-<YYYYMMDD-HHMMSS>.sqlite3``. Both steps use the backup
  API too: the database may be open (the app, a checkpoint thread); replacing or
  renaming the file of an open database would lose or corrupt data (its WAL
  file belongs to the old name), while the backup API writes the restored pages
  into the database under SQLite's locks.

PostgreSQL databases are backed up with ``pg_dump`` (see the README).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from platformdirs import user_data_path

from akquise_desktop.core.errors import AkquiseError

from .url import APP_NAME

DEFAULT_GENERATIONS = 7
DAILY = timedelta(days=1)
SUFFIX = ".sqlite3"
STAMP = "%Y%m%d-%H%M%S"
_STAMP_RE = r"\d{8}-\d{6}"


class BackupError(AkquiseError):
    """A backup or restore that failed; nothing half-done is left behind."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # from the name (local time of the backup)
    size: int


def default_backup_folder() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "backups"


def _stem(database: Path) -> str:
    name = database.name
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else database.stem


def backups(database: Path, folder: Path | None = None) -> list[BackupFile]:
    """The automatic backups of ``database`` in ``folder``, newest first."""
    folder = folder or default_backup_folder()
    pattern = re.compile(rf"^{re.escape(_stem(database))}-({_STAMP_RE}){re.escape(SUFFIX)}$")
    found = []
    with contextlib.suppress(FileNotFoundError):
        for path in folder.iterdir():
            match = pattern.match(path.name)
            if match and path.is_file():
                taken = datetime.strptime(match.group(1), STAMP)
                found.append(BackupFile(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the SQLite file ``path``
    (empty: it is sound). A file that is no database is one problem."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = [str(r[0]) for r in connection.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        connection.close()
    return [] if rows == ["ok"] else rows


def _copy(source: Path, target: Path, *, timeout: float = 5.0) -> None:
    """``source`` (possibly open elsewhere) into ``target`` by the backup API
    (``timeout``: how long to wait for a lock on ``target``)."""
    src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target), timeout=timeout)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def create_backup(database: Path, target: Path) -> Path:
    """Write a verified backup of ``database`` to ``target`` (a new file).

    Raises :class:`BackupError` when the database is missing or the backup
    fails its integrity check (the faulty backup is deleted then)."""
    if not database.exists():
        raise BackupError(f"Die Datenbankdatei {database} gibt es nicht: nichts zu sichern.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"Die Sicherungsdatei {target} gibt es schon.")
    try:
        _copy(database, target)
    except (sqlite3.Error, OSError) as exc:
        _delete(target)
        raise BackupError(f"Die Sicherung nach {target} ist fehlgeschlagen: {exc}") from None
    problems = integrity_problems(target)
    if problems:
        _delete(target)
        raise BackupError(
            f"Die Sicherung {target.name} hat die Prüfung (integrity_check) nicht bestanden "
            f"und wurde gelöscht: {'; '.join(problems[:3])}"
        )
    return target


def _delete(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def backup_now(
    database: Path, now: datetime, folder: Path | None = None, keep: int = DEFAULT_GENERATIONS
) -> Path:
    """A new automatic backup in ``folder``, then the oldest beyond ``keep`` deleted."""
    folder = folder or default_backup_folder()
    target = folder / f"{_stem(database)}-{now.strftime(STAMP)}{SUFFIX}"
    while target.exists():  # two in one second: the next second's name
        now += timedelta(seconds=1)
        target = folder / f"{_stem(database)}-{now.strftime(STAMP)}{SUFFIX}"
    create_backup(database, target)
    prune(database, folder, keep)
    return target


def prune(
    database: Path, folder: Path | None = None, keep: int = DEFAULT_GENERATIONS
) -> list[Path]:
    """Delete the automatic backups of ``database`` beyond the newest ``keep``."""
    doomed = [b.path for b in backups(database, folder)[max(1, keep) :]]
    for path in doomed:
        _delete(path)
    return doomed


def daily_backup(
    database: Path, now: datetime, folder: Path | None = None, keep: int = DEFAULT_GENERATIONS
) -> Path | None:
    """:func:`backup_now` when the newest backup is older than a day (or there
    is none); None when it is not due (or there is no database file yet)."""
    if not database.exists():
        return None
    found = backups(database, folder)
    if found and now - found[0].taken_at < DAILY:
        return None
    return backup_now(database, now, folder, keep)


@dataclass(frozen=True)
class Restored:
    aside: Path | None  # where the state before the restore was kept
    upgraded: bool  # the backup's schema was older and has been brought up to date


def restore(
    database: Path, backup: Path, now: datetime, *, upgrade: Callable[[Path], None] | None = None
) -> Restored:
    """Put ``backup`` in place of ``database``; the current state first kept
    aside (``<name>-before-restore-<stamp>.sqlite3`` next to it).

    The backup must pass ``integrity_check`` and be an AkquiseDesktop database
    of this version's schema or an older one (then ``upgrade(database)`` brings
    it up to date; by default :meth:`Database.upgrade`)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import URL

    from . import schema
    from .schema import SchemaState

    if not backup.is_file():
        raise BackupError(f"Die Sicherungsdatei {backup} gibt es nicht.")
    if backup.resolve() == database.resolve():
        raise BackupError("Die Sicherung ist die Datenbank selbst.")
    problems = integrity_problems(backup)
    if problems:
        raise BackupError(
            f"Die Sicherung {backup.name} ist beschädigt (integrity_check): "
            f"{'; '.join(problems[:3])}. Nichts wurde geändert."
        )
    uri = backup.absolute().as_uri()
    engine = create_engine(URL.create("sqlite", database=uri, query={"mode": "ro", "uri": "true"}))
    try:
        with engine.connect() as conn:
            state, rev = schema.schema_state(conn)
    finally:
        engine.dispose()
    if state not in (SchemaState.CURRENT, SchemaState.OUTDATED):
        reason = {
            SchemaState.EMPTY: "ist leer",
            SchemaState.FOREIGN: "ist keine AkquiseDesktop-Datenbank",
            SchemaState.NEWER: f"stammt von einer neueren Programmversion ({rev})",
        }.get(state, state.value)
        raise BackupError(f"Die Sicherung {backup.name} {reason}. Nichts wurde geändert.")
    aside = None
    if database.exists():
        stamp = now.strftime(STAMP)
        aside = database.with_name(f"{_stem(database)}-before-restore-{stamp}{SUFFIX}")
        create_backup(database, aside)
    else:
        database.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy(backup, database, timeout=10)
    except sqlite3.Error as exc:
        kept = f" Der vorige Stand liegt in {aside}." if aside else ""
        raise BackupError(f"Wiederherstellen fehlgeschlagen: {exc}.{kept}") from None
    upgraded = state is SchemaState.OUTDATED
    if upgraded:
        (upgrade or _upgrade)(database)
    return Restored(aside, upgraded)


def _upgrade(database: Path) -> None:
    from .database import Database

    db = Database(f"sqlite:///{database}")
    try:
        db.upgrade()
    finally:
        db.dispose()
