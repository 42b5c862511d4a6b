"""Backups of the local database: the online backup, its verification, the
generations kept, the restore (the state before kept aside) and the CLI."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.cli import main
from akquise_desktop.controller import Controller, RecordData, bootstrap
from akquise_desktop.storage import Database, backup
from akquise_desktop.storage.backup import BackupError

NOW = datetime(2030, 6, 12, 10, 0, 0)


@pytest.fixture
def local(tmp_path, _sqlite_template) -> Database:
    path = tmp_path / "data" / "akquise.sqlite3"
    path.parent.mkdir()
    shutil.copy(_sqlite_template, path)
    db = Database(f"sqlite:///{path}").open()
    yield db
    db.dispose()


def _controller(db: Database) -> Controller:
    return Controller(db, bootstrap(db, "admin", "Admin"))


def _names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM record"))


def test_backup_while_the_database_is_open_and_verified(local, tmp_path):
    ctl = _controller(local)
    ctl.create_record(RecordData(name="Müller GmbH"))
    folder = tmp_path / "backups"
    # The app's connection is open (WAL mode, a read transaction even): the
    # backup API reads one consistent state.
    with local.read() as s:
        s.scalar(select(func.count()).select_from(m.Record))
        made = backup.backup_now(local.path, NOW, folder)
    assert made == folder / "akquise-20300612-100000.sqlite3"
    assert backup.integrity_problems(made) == []
    assert _names(made) == ["Müller GmbH"]
    assert [b.path for b in backup.backups(local.path, folder)] == [made]


def test_generations_beyond_keep_are_deleted(local, tmp_path):
    folder = tmp_path / "backups"
    (folder).mkdir()
    (folder / "unrelated.sqlite3").write_bytes(b"x")  # not ours: stays
    made = [
        backup.backup_now(local.path, NOW + timedelta(days=n), folder, keep=3) for n in range(5)
    ]
    kept = [b.path for b in backup.backups(local.path, folder)]
    assert kept == [made[4], made[3], made[2]]
    assert not made[0].exists() and not made[1].exists()
    assert (folder / "unrelated.sqlite3").exists()


def test_daily_backup_only_when_the_last_is_a_day_old(local, tmp_path):
    folder = tmp_path / "backups"
    first = backup.daily_backup(local.path, NOW, folder)
    assert first is not None
    assert backup.daily_backup(local.path, NOW + timedelta(hours=23), folder) is None
    second = backup.daily_backup(local.path, NOW + timedelta(days=1, minutes=1), folder)
    assert second is not None and second != first
    assert len(backup.backups(local.path, folder)) == 2


def test_a_failed_verification_deletes_the_backup_and_says_so(local, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    monkeypatch.setattr(backup, "integrity_problems", lambda path: ["Page 7: btreeInitPage error"])
    with pytest.raises(BackupError, match=r"integrity_check.*gelöscht.*Page 7"):
        backup.backup_now(local.path, NOW, folder)
    assert list(folder.iterdir()) == []


def test_integrity_check_finds_a_damaged_file(tmp_path):
    made = tmp_path / "made.sqlite3"
    with closing(sqlite3.connect(made)) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE INDEX t_name ON t (name)")
        conn.executemany("INSERT INTO t (name) VALUES (?)", [(f"n{n}" * 40,) for n in range(2000)])
        conn.commit()
    assert backup.integrity_problems(made) == []
    data = bytearray(made.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 5 * page):  # scribble over pages
        data[offset + 100 : offset + 400] = b"\xff" * 300
    made.write_bytes(bytes(data))
    assert backup.integrity_problems(made)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    assert backup.integrity_problems(garbage)


def test_restore_round_trip_keeps_the_current_state_aside(local, tmp_path):
    ctl = _controller(local)
    ctl.create_record(RecordData(name="Vorher GmbH"))
    made = backup.backup_now(local.path, NOW, tmp_path / "backups")
    ctl.create_record(RecordData(name="Nachher AG"))

    restored = backup.restore(local.path, made, NOW + timedelta(hours=2))

    # The app's own connections see the restored state (no file swapped under them).
    with local.read() as s:
        assert sorted(s.scalars(select(m.Record.name))) == ["Vorher GmbH"]
    assert restored.aside == local.path.with_name("akquise-before-restore-20300612-120000.sqlite3")
    assert _names(restored.aside) == ["Nachher AG", "Vorher GmbH"]
    assert backup.integrity_problems(local.path) == []
    assert not restored.upgraded
    # and the app goes on writing into it
    ctl.create_record(RecordData(name="Danach KG"))
    assert _names(local.path) == ["Danach KG", "Vorher GmbH"]


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(local, tmp_path):
    ctl = _controller(local)
    ctl.create_record(RecordData(name="Bleibt GmbH"))
    garbage = tmp_path / "kaputt.sqlite3"
    garbage.write_bytes(b"no database" * 500)
    with pytest.raises(BackupError, match="beschädigt"):
        backup.restore(local.path, garbage, NOW)
    foreign = tmp_path / "fremd.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE kunden (id INTEGER)")
    with pytest.raises(BackupError, match="keine AkquiseDesktop-Datenbank"):
        backup.restore(local.path, foreign, NOW)
    assert _names(local.path) == ["Bleibt GmbH"]
    assert list(local.path.parent.glob("*before-restore*")) == []


def test_cli_backup_and_restore(local, tmp_path, capsys):
    ctl = _controller(local)
    ctl.create_record(RecordData(name="Eins GmbH"))
    out = tmp_path / "hand.sqlite3"
    url = f"sqlite:///{local.path}"
    assert main(["backup", "--db", url, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    ctl.create_record(RecordData(name="Zwei GmbH"))
    local.dispose()
    assert main(["restore", "--db", url, str(out)]) == 0
    said = capsys.readouterr().out
    assert "before-restore" in said
    assert _names(local.path) == ["Eins GmbH"]
    # a missing file: one line, non-zero
    assert main(["restore", "--db", url, str(tmp_path / "fehlt.sqlite3")]) == 2
    assert "gibt es nicht" in capsys.readouterr().err


def test_cli_backup_refuses_postgresql(capsys):
    assert main(["backup", "--db", "postgresql://u@127.0.0.1:1/x"]) == 2
    assert "pg_dump" in capsys.readouterr().err
