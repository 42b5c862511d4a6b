"""Storage: where the database is, network shares, SQLite settings, UTC timestamps."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from platformdirs import user_data_path
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, StatementError

from akquise_desktop import models as m
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.models import UTCDateTime
from akquise_desktop.storage import Database, default_database_path, netshare, resolve_url
from akquise_desktop.storage.checkpoint import BACKSTOP_PAGES

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)


# --- URL resolution ---------------------------------------------------------------------


def test_db_text_is_a_sqlalchemy_url(no_env, tmp_path):
    url = resolve_url(f"sqlite:///{tmp_path}/a.sqlite3")
    assert url.get_backend_name() == "sqlite"
    assert url.database == f"{tmp_path}/a.sqlite3"


def test_plain_path_means_a_sqlite_file(no_env, tmp_path):
    url = resolve_url(str(tmp_path / "kunden.sqlite3"))
    assert url.drivername == "sqlite"
    assert url.database == str(tmp_path / "kunden.sqlite3")


def test_home_in_a_plain_path_is_expanded(no_env):
    url = resolve_url("~/akquise.sqlite3")
    assert url.database == str(Path.home() / "akquise.sqlite3")


def test_environment_variable_when_no_db_given(monkeypatch, tmp_path):
    monkeypatch.setenv("AKQUISE_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url(None).database == str(tmp_path / "env.sqlite3")
    # --db wins over the environment.
    assert resolve_url(str(tmp_path / "given.sqlite3")).database == str(tmp_path / "given.sqlite3")


def test_default_is_the_file_in_the_user_data_dir(no_env):
    path = default_database_path()
    assert path.parent == user_data_path("AkquiseDesktop", appauthor=False)
    assert path.suffix == ".sqlite3"
    assert resolve_url(None).database == str(path)
    assert resolve_url("").database == str(path)


def test_default_database_is_created_in_the_user_data_dir(no_env, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # platformdirs on Linux
    path = default_database_path()
    assert path.is_relative_to(tmp_path / "data")
    db = Database().open()
    try:
        assert path.exists()
        assert db.describe().endswith(str(path))
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "given",
    [
        "postgres://anna@db.example.com/akquise",
        "postgresql://anna@db.example.com/akquise",
        "postgresql+psycopg2://anna@db.example.com/akquise",
    ],
)
def test_postgres_urls_use_psycopg_3(no_env, given):
    url = resolve_url(given)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.database) == ("anna", "db.example.com", "akquise")


def test_postgres_url_keeps_port_and_password_but_describe_hides_it(no_env):
    url = resolve_url("postgresql://anna:geheim@db.example.com:6543/akquise")
    assert (url.port, url.password) == (6543, "geheim")
    db = Database("postgresql://anna:geheim@db.example.com:6543/akquise")
    try:
        assert "geheim" not in db.describe()
        assert "db.example.com:6543/akquise" in db.describe()
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "given",
    ["mysql://anna@db.example.com/akquise", "oracle://x@y/z", "mssql+pyodbc://x@y/z"],
)
def test_unsupported_scheme_is_refused(no_env, given):
    with pytest.raises(AkquiseError) as info:
        resolve_url(given)
    assert "PostgreSQL" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "given", ["://nothing", "postgresql://anna@db.example.com:port/akquise", "post gres://x"]
)
def test_malformed_url_is_refused_with_a_clear_message(no_env, given):
    with pytest.raises(AkquiseError) as info:
        resolve_url(given)
    assert "\n" not in str(info.value)


@pytest.mark.postgresql
def test_postgres_url_options_reach_the_server(pg_url):
    """Connection options in the URL (here a search path, as for one schema per
    team on a shared server) are passed on, not replaced by the app's own."""
    url = make_url(pg_url).update_query_dict({"options": "-csearch_path=team_nord,public"})
    db = Database(url.render_as_string(hide_password=False))
    try:
        with db.read() as s:
            assert s.scalar(text("SHOW search_path")).replace(" ", "") == "team_nord,public"
    finally:
        db.dispose()


def test_unreachable_server_is_one_clear_error():
    db = Database("postgresql://postgres@127.0.0.1:1/akquise")
    try:
        with pytest.raises(AkquiseError) as info:
            db.open()
    finally:
        db.dispose()
    message = str(info.value)
    assert "127.0.0.1:1" in message and "\n" not in message


# --- network shares ---------------------------------------------------------------------

MOUNTS = [
    ("/", "ext4"),
    ("/home", "xfs"),
    ("/mnt/nas", "cifs"),
    ("/mnt/nas/cache", "ext4"),
    ("/srv/nfs", "nfs4"),
    ("/media/ssh", "fuse.sshfs"),
    ("/mnt/Upper", "CIFS"),
]


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/home/anna/akquise.sqlite3", False),
        ("/mnt/nas/akquise.sqlite3", True),
        ("/mnt/nas", True),
        ("/mnt/nas/team/sub/akquise.sqlite3", True),
        ("/mnt/nasty/akquise.sqlite3", False),  # a prefix, not the mount
        ("/mnt/nas/cache/akquise.sqlite3", False),  # a local mount inside the share
        ("/srv/nfs/akquise.sqlite3", True),
        ("/media/ssh/akquise.sqlite3", True),
        ("/mnt/Upper/akquise.sqlite3", True),
        ("/tmp/akquise.sqlite3", False),
    ],
)
def test_network_path_from_the_mount_table(path, network):
    assert netshare.is_network_path(Path(path), MOUNTS) is network


@pytest.mark.parametrize(
    "path", ["\\\\server\\share\\akquise.sqlite3", "//server/share/akquise.sqlite3"]
)
def test_unc_paths_are_network_paths(path):
    assert netshare.is_network_path(Path(path), [("/", "ext4")]) is True


def test_mount_table_of_this_machine_has_the_root():
    assert "/" in {point for point, _fstype in netshare.mount_table()}


def test_mount_command_output_is_parsed(monkeypatch):
    """macOS/BSD have no /proc/mounts; their ``mount`` output is parsed."""
    out = (
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//anna@nas._smb._tcp.local/Team on /Volumes/Team Share (smbfs, nodev, nosuid)\n"
        "map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)\n"
    )
    monkeypatch.setattr(
        subprocess, "run", lambda *_a, **_k: SimpleNamespace(stdout=out, returncode=0)
    )
    table = netshare._mount_command_table()
    assert ("/", "apfs") in table
    assert ("/Volumes/Team Share", "smbfs") in table
    assert netshare.is_network_path(Path("/Volumes/Team Share/akquise.sqlite3"), table)


def test_database_on_a_network_share_is_refused(monkeypatch, tmp_path):
    share = tmp_path / "share"
    monkeypatch.setattr(netshare, "mount_table", lambda: [("/", "ext4"), (str(share), "cifs")])
    with pytest.raises(AkquiseError) as info:
        Database(f"sqlite:///{share}/akquise.sqlite3")
    message = str(info.value)
    assert "PostgreSQL" in message and "postgresql://" in message
    assert not share.exists(), "nothing may be created on the share"


def test_database_on_a_unc_path_is_refused(no_env):
    with pytest.raises(AkquiseError) as info:
        Database("//server/share/akquise.sqlite3")
    assert "PostgreSQL" in str(info.value)


# --- SQLite connection settings ----------------------------------------------------------


@pytest.fixture
def sqlite_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/akquise.sqlite3").open()
    yield db
    db.dispose()


def test_sqlite_pragmas(sqlite_db):
    for session_of in (sqlite_db.read, sqlite_db.write):
        with session_of() as s:
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
            # FULL (2): a committed write survives a power cut, not only a crash.
            assert s.execute(text("PRAGMA synchronous")).scalar() == 2
            # Checkpoints on their own thread; a commit runs one only far behind.
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == BACKSTOP_PAGES


def _teams_in_the_database_file(db, tmp_path) -> int:
    """Teams in the database file alone, without its WAL (what a checkpoint copied)."""
    copy = tmp_path / "file-only.sqlite3"
    shutil.copyfile(db.url.database, copy)
    with closing(sqlite3.connect(copy)) as conn:
        try:
            return conn.execute("SELECT count(*) FROM team").fetchone()[0]
        except sqlite3.OperationalError:  # not even the schema copied yet
            return -1


def test_writes_are_checkpointed_off_the_writers_path(sqlite_db, tmp_path):
    """A commit only appends to the WAL; the checkpointer thread copies it into
    the database file shortly after (the commits' own checkpoint is far off)."""
    checkpointer = sqlite_db.checkpointer
    assert checkpointer is not None
    for n in range(5):
        with sqlite_db.write() as s:
            s.execute(text("INSERT INTO team (name, created_at) VALUES (:n, '2026-01-01')"),
                      {"n": f"Team {n}"})  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if checkpointer.checkpoints and _teams_in_the_database_file(sqlite_db, tmp_path) == 5:
            break
        time.sleep(0.05)
    assert checkpointer.checkpoints >= 1
    assert _teams_in_the_database_file(sqlite_db, tmp_path) == 5
    sqlite_db.dispose()
    assert not checkpointer._thread.is_alive()
    checkpointer.nudge()  # after close: no new thread
    assert not checkpointer._thread.is_alive()


def test_a_burst_of_writes_keeps_the_wal_short(sqlite_db):
    """Writes faster than the checkpoints leave the log never fully copied (so
    never restarted): SQLite's own checkpoint at its default threshold still
    keeps it short."""
    path = Path(sqlite_db.url.database)
    for n in range(400):
        with sqlite_db.write() as s:
            s.execute(
                text("INSERT INTO team (name, created_at) VALUES (:n, '2026-01-01')"),
                {"n": f"Team {n:04d} " + "x" * 80},
            )
            s.execute(text("UPDATE team SET name = name WHERE id <= :n"), {"n": n})
    with sqlite_db.engine.connect() as conn:
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
    wal_pages = path.with_name(path.name + "-wal").stat().st_size / page_size
    assert wal_pages <= 1_500  # about SQLite's default; 3,000+ with a threshold of 10,000


def test_memory_and_postgresql_databases_have_no_checkpointer(pg_url):
    assert Database("sqlite://").checkpointer is None
    assert Database(pg_url).checkpointer is None


def test_sqlite_enforces_foreign_keys(sqlite_db):
    with pytest.raises(IntegrityError), sqlite_db.write() as s:
        s.execute(text("INSERT INTO contact (record_id, last_name) VALUES (9999, 'Niemand')"))
    with sqlite_db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM contact")) == 0


def test_write_session_takes_the_write_lock_at_begin(sqlite_db):
    """BEGIN IMMEDIATE: a write session holds the write lock from its first
    statement on, so another writer waits instead of failing on a lock upgrade."""
    path = sqlite_db.url.database
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with sqlite_db.write() as s:
            s.execute(select(1))  # nothing written yet
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are not blocked (WAL).
            assert other.execute("SELECT count(*) FROM record").fetchone() == (0,)
        # Once the write session ended, the other writer gets the lock.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_read_session_does_not_take_the_write_lock(sqlite_db):
    path = sqlite_db.url.database
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with sqlite_db.read() as s:
            s.execute(select(1))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_second_writer_waits_for_the_first(sqlite_db, clock):
    """Two Database objects on one file (two app instances): the second write
    waits for the lock (busy timeout) and succeeds once the first commits."""
    second = Database(sqlite_db.url)
    try:
        with sqlite_db.write() as s:
            s.add(m.Team(name="Erster", created_at=clock.now()))
            s.flush()
            raw = second.engine.raw_connection()
            try:
                cur = raw.cursor()
                cur.execute("PRAGMA busy_timeout = 0")
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    cur.execute("BEGIN IMMEDIATE")
            finally:
                raw.close()
        with second.write() as s:
            s.add(m.Team(name="Zweiter", created_at=clock.now()))
        with second.read() as s:
            assert set(s.scalars(select(m.Team.name))) == {"Erster", "Zweiter"}
    finally:
        second.dispose()


# --- UTCDateTime ------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_utc_datetime_refuses_naive_values(dialect):
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 3, 29, 9, 0), dialect)
    bound = UTCDateTime().process_bind_param(datetime(2026, 3, 29, 9, 0, tzinfo=BERLIN), dialect)
    assert bound.replace(tzinfo=None) == datetime(2026, 3, 29, 7, 0)


def test_naive_datetime_is_refused_on_write(db):
    with pytest.raises(StatementError, match="naive"), db.write() as s:
        s.add(m.Team(name="Naiv", created_at=datetime(2026, 1, 5, 9, 0)))
    with db.read() as s:
        assert s.scalar(select(m.Team.id).where(m.Team.name == "Naiv")) is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN),  # just after the spring change (CEST)
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),  # the repeated hour, 2nd time
        datetime(2026, 1, 5, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("America/New_York")),
    ],
    ids=["cest", "fold", "utc", "new-york"],
)
def test_aware_datetimes_round_trip_as_utc(db, moment):
    with db.write() as s:
        s.add(m.Team(name="Zeit", created_at=moment))
    with db.read() as s:
        stored = s.scalar(select(m.Team.created_at).where(m.Team.name == "Zeit"))
        # The same instant, as UTC; comparing with an aware value in any zone works in SQL.
        found = s.scalar(select(m.Team.name).where(m.Team.created_at == moment))
        earlier = s.scalar(select(m.Team.name).where(m.Team.created_at < moment.astimezone(BERLIN)))
    # (Compared in UTC: PEP 495 makes a time in the repeated hour unequal to
    # every other zone's datetimes.)
    assert stored == moment.astimezone(UTC)
    assert stored.utcoffset().total_seconds() == 0
    assert found == "Zeit" and earlier is None
