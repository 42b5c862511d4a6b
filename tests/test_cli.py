"""The ``akquise-desktop`` command, in-process (cli.main) and as the installed
console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from akquise_desktop import __version__, cli
from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.storage import Database, schema

from .conftest import drop_test_database
from .factories import make_world


def script() -> str:
    found = Path(sys.executable).with_name("akquise-desktop")
    if found.exists():
        return str(found)
    which = shutil.which("akquise-desktop")
    assert which, "the console script akquise-desktop is not installed"
    return which


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKQUISE_")}
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
        **extra,
    )
    return env


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("akquise-desktop: ")
    return lines[0]


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    return f"sqlite:///{tmp_path}/cli.sqlite3"


# --- version and the console script ----------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"akquise-desktop {__version__}"


def test_console_script_version(tmp_path):
    done = subprocess.run(
        [script(), "--version"], capture_output=True, text=True, env=clean_env(tmp_path), timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"akquise-desktop {__version__}"


# --- db upgrade / db status -------------------------------------------------------------


def test_db_upgrade_and_status(url, capsys, tmp_path):
    # A missing file: said so, nothing created (db status only looks).
    assert cli.main(["db", "status", "--db", url]) == 2
    assert "gibt es nicht" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "cli.sqlite3").touch()
    assert cli.main(["db", "status", "--db", url]) == 1
    assert "empty" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--db", url]) == 0
    assert f"→ {schema.head_revision()}" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--db", url]) == 0
    assert "aktuell" in capsys.readouterr().out
    assert cli.main(["db", "status", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "current" in out and schema.head_revision() in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "{url}", "db", "upgrade"],
        ["db", "--db", "{url}", "upgrade"],
        ["db", "upgrade", "--db", "{url}"],
    ],
    ids=["before", "between", "after"],
)
def test_db_option_anywhere(url, argv, capsys, tmp_path):
    assert cli.main([a.format(url=url) for a in argv]) == 0
    assert str(tmp_path / "cli.sqlite3") in capsys.readouterr().out
    assert (tmp_path / "cli.sqlite3").exists()


def test_db_option_after_demo_and_check(url, capsys):
    assert cli.main(["demo", "--records", "2", "--seed", "3", "--db", url]) == 0
    assert "2 Datensätze" in capsys.readouterr().out
    assert cli.main(["check", "--db", url]) == 0
    assert "FEHLER" not in capsys.readouterr().out


def test_environment_variable(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("AKQUISE_DB", str(path))
    assert cli.main(["db", "upgrade"]) == 0
    assert path.exists()
    assert str(path) in capsys.readouterr().out
    # --db wins over the environment.
    other = tmp_path / "given.sqlite3"
    assert cli.main(["db", "upgrade", "--db", str(other)]) == 0
    assert other.exists() and str(other) in capsys.readouterr().out


# --- errors: one line, no traceback, non-zero -------------------------------------------

BAD = {
    "unsupported": "mysql://anna@db.example.com/akquise",
    "malformed": "postgresql://anna@db.example.com:port/akquise",
    "garbage": "://",
    "unreachable": "postgresql://postgres@127.0.0.1:1/akquise",
}


@pytest.mark.parametrize("argv", [["db", "status"], ["db", "upgrade"], ["check"], ["demo"]])
@pytest.mark.parametrize("kind", list(BAD))
def test_bad_database_gives_one_line(kind, argv, capsys, monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    assert cli.main([*argv, "--db", BAD[kind]]) != 0
    line = one_error_line(capsys)
    if kind == "unreachable":
        assert "127.0.0.1:1" in line


def test_gui_path_with_a_bad_database_gives_one_line(capsys, monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    assert cli.main(["--db", BAD["unreachable"]]) != 0
    one_error_line(capsys)


def test_check_on_an_empty_database_gives_one_line(url, capsys):
    assert cli.main(["check", "--db", url]) != 0
    assert "db upgrade" in one_error_line(capsys)


def test_newer_schema_gives_one_line(url, capsys):
    assert cli.main(["db", "upgrade", "--db", url]) == 0
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
    db.dispose()
    capsys.readouterr()
    for argv in (["check"], ["demo", "--records", "1"], []):
        assert cli.main([*argv, "--db", url]) != 0
        assert "9999_newer" in one_error_line(capsys)


def test_console_script_error_has_no_traceback(tmp_path):
    done = subprocess.run(
        [script(), "db", "status", "--db", BAD["unreachable"]],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        timeout=60,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


# --- demo and check ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def demo_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/demo.sqlite3"
        return
    server = make_url(request.getfixturevalue("pg_url")).set(database="postgres")
    name = f"akquise_cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            drop_test_database(conn, name)
        admin.dispose()


def test_demo_fills_a_database_that_passes_check(demo_url, capsys, monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    assert cli.main(["demo", "--records", "30", "--db", demo_url]) == 0
    assert "30 Datensätze" in capsys.readouterr().out
    db = Database(demo_url)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(m.Record)) == 30
            assert s.scalar(select(func.count()).select_from(m.Activity)) >= 30
    finally:
        db.dispose()
    assert cli.main(["check", "--db", demo_url]) == 0
    out = capsys.readouterr().out
    assert "FEHLER" not in out
    # A second demo into the filled database is refused with one line.
    assert cli.main(["demo", "--records", "5", "--db", demo_url]) != 0
    one_error_line(capsys)


def test_demo_needs_at_least_one_record(url, capsys):
    assert cli.main(["demo", "--records", "0", "--db", url]) != 0
    one_error_line(capsys)


def test_check_strict_counts_dead_records(url, capsys, clock):
    db = Database(url).open()
    try:
        w = make_world(db, clock)
        rid = w.in_campaign("Tot GmbH", owner=w.lax)
        with db.read() as s:
            fu = s.scalar(select(m.FollowUp.id).where(m.FollowUp.record_id == rid))
        # The lax group (policy off) completes the last follow-up without a next one.
        w.lax.log_activity(LogActivity(record_id=rid, subject="Abschluss", completes=(fu,)))
        # A second, healthy record.
        w.in_campaign("Lebt GmbH")
        w.sales.log_activity(
            LogActivity(
                record_id=w.record("Ohne Kampagne"),
                subject="Notiz",
                next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
            )
        )
    finally:
        db.dispose()
    assert cli.main(["check", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Hinweis" in out and ": 1 " in out and f"#{rid}" in out
    assert cli.main(["check", "--strict", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "FEHLER" in out and ": 1 " in out and f"#{rid}" in out


# --- the GUI ----------------------------------------------------------------------------


def test_gui_starts_and_quits(tmp_path):
    path = tmp_path / "gui.sqlite3"
    done = subprocess.run(
        [script(), "--db", str(path), "--demo", "5"],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path, AKQUISE_QUIT_AFTER_START="1"),
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(m.Record)) == 5
            assert s.scalar(select(func.count()).select_from(m.User)) >= 1
    finally:
        db.dispose()


def test_admin_create_user_first_becomes_administrator(tmp_path, monkeypatch, capsys):
    import io

    path = tmp_path / "users.sqlite3"
    assert cli.main(["db", "upgrade", "--db", str(path)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: no password
    assert cli.main(["admin", "create-user", "chefin", "--name", "Chefin", "--db", str(path)]) == 0
    assert "erster Administrator" in capsys.readouterr().out
    argv = ["admin", "create-user", "sven", "--name", "Sven", "--db", str(path), "--user", "chefin"]
    assert cli.main(argv) == 0
    assert cli.main([*argv[:3], "--role-group", "Gibtsnicht", *argv[3:]]) == 2
    assert "Gibtsnicht" in capsys.readouterr().err
    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            users = {u.login: u.role_group.name for u in s.scalars(select(m.User))}
    finally:
        db.dispose()
    assert users == {"chefin": "Administratoren", "sven": "Vertrieb"}
