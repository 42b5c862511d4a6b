"""Storage safety: bounded waits on PostgreSQL (a dead link ends in seconds with
a clear error), SQLite files left as they are until accepted (read-only
commands open them read-only and create nothing), no password on screen or in
a process list."""

from __future__ import annotations

import io
import os
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError as SAOperationalError

from akquise_desktop import cli
from akquise_desktop.bench import processes
from akquise_desktop.core.errors import AkquiseError, DomainError, Rule
from akquise_desktop.storage import Database, postgres, resolve_url, schema
from akquise_desktop.storage.url import hide_passwords, mask_password, passwords

SECRET = "geheim-Pa55"


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    for name in [*postgres.SERVER_SETTINGS, *postgres.CONNECTION_PARAMETERS]:
        monkeypatch.delenv(postgres.ENV_PREFIX + name.upper(), raising=False)


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("akquise-desktop: ")
    return lines[0]


def within(seconds: float, fn: Callable[[], Any]) -> tuple[Any, BaseException | None, float]:
    """Run ``fn`` on a thread: (result, exception, elapsed s); the test fails,
    rather than hangs, if it has not ended after ``seconds``."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - started
    if thread.is_alive():
        pytest.fail(f"still waiting after {elapsed:.1f} s: the wait is not bounded")
    return box.get("result"), box.get("error"), elapsed


# --- PostgreSQL: the settings ---------------------------------------------------------


def test_default_limits_and_tcp_settings():
    config = postgres.settings(make_url("postgresql+psycopg://anna@db/akquise"), {})
    assert config.server == {
        "statement_timeout": "30s",
        "lock_timeout": "10s",
        "idle_in_transaction_session_timeout": "60s",
    }
    args = config.connect_args
    assert (args["keepalives"], args["keepalives_idle"], args["keepalives_interval"],
            args["keepalives_count"]) == ("1", "10", "5", "3")  # fmt: skip
    assert args["tcp_user_timeout"] == "15000" and args["connect_timeout"] == "5"
    assert args["options"].startswith("-c jit=off -c statement_timeout=30s -c lock_timeout=10s")
    assert config.reply_timeout == 35.0  # the statement timeout + 5 s
    assert "default_transaction_read_only" not in args["options"]


def test_url_beats_environment_beats_default():
    url = make_url(
        "postgresql+psycopg://anna@db/akquise?statement_timeout=2min&tcp_user_timeout=4000"
        "&sslmode=require&options=-csearch_path%3Dnord"
    )
    env = {"AKQUISE_PG_STATEMENT_TIMEOUT": "5s", "AKQUISE_PG_LOCK_TIMEOUT": "3 s",
           "AKQUISE_PG_KEEPALIVES_IDLE": "30"}  # fmt: skip
    config = postgres.settings(url, env)
    assert config.server["statement_timeout"] == "2min"
    assert config.server["lock_timeout"] == "3s"
    assert config.connect_args["tcp_user_timeout"] == "4000"
    assert config.connect_args["keepalives_idle"] == "30"
    assert config.reply_timeout == 125.0
    # The app's own names leave the URL (libpq would refuse them); libpq's stay.
    assert dict(config.url.query) == {"sslmode": "require"}
    # The URL's own options come last, so they win where they set the same.
    assert config.connect_args["options"].endswith("-csearch_path=nord")


def test_short_limits_have_a_short_grace_and_zero_means_none():
    short = postgres.settings(make_url("postgresql://db/x?statement_timeout=500ms"), {})
    assert short.reply_timeout == 1.0
    off = postgres.settings(make_url("postgresql://db/x?statement_timeout=0"), {})
    assert off.reply_timeout is None
    bulk = postgres.settings(make_url("postgresql://db/x?statement_timeout=1s"), {}, bulk=True)
    assert bulk.server["statement_timeout"] == "0"
    assert bulk.server["idle_in_transaction_session_timeout"] == "0"
    assert bulk.server["lock_timeout"] == "10s" and bulk.reply_timeout is None
    read_only = postgres.settings(make_url("postgresql://db/x"), {}, read_only=True)
    assert "-c default_transaction_read_only=on" in read_only.connect_args["options"]


@pytest.mark.parametrize(
    ("given", "env", "name"),
    [
        ("?statement_timeout=fast", {}, "statement_timeout"),
        ("?lock_timeout=10;drop", {}, "lock_timeout"),
        ("", {"AKQUISE_PG_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "1 hour"}, "AKQUISE_PG_IDLE"),
        ("?tcp_user_timeout=15s", {}, "tcp_user_timeout"),
    ],
)
def test_a_malformed_limit_is_one_clear_error(given, env, name):
    with pytest.raises(AkquiseError) as info:
        postgres.settings(make_url(f"postgresql://db/x{given}"), env)
    assert name in str(info.value) and "\n" not in str(info.value)


def test_processes_floor_knows_the_apps_own_url_settings():
    assert tuple(postgres.SERVER_SETTINGS) == processes.APP_URL_SETTINGS


@pytest.mark.postgresql
def test_limits_and_tcp_settings_reach_the_connection(pg_url, monkeypatch):
    monkeypatch.setenv("AKQUISE_PG_LOCK_TIMEOUT", "3s")
    url = make_url(pg_url).update_query_dict({"tcp_user_timeout": "7000"})
    db = Database(url)
    try:
        with db.read() as s:
            shown = [s.scalar(text(f"SHOW {n}")) for n in postgres.SERVER_SETTINGS]
            params = s.connection().connection.dbapi_connection.info.get_parameters()
    finally:
        db.dispose()
    assert shown == ["30s", "3s", "1min"]
    assert params["tcp_user_timeout"] == "7000" and params["keepalives"] == "1"
    assert params["keepalives_idle"] == "10" and params["keepalives_count"] == "3"


@pytest.mark.postgresql
def test_bulk_and_schema_upgrades_run_without_statement_limit(pg_url):
    bulk = Database(pg_url, bulk=True)
    try:
        with bulk.read() as s:
            assert s.scalar(text("SHOW statement_timeout")) == "0"
            assert s.scalar(text("SHOW lock_timeout")) == "10s"
    finally:
        bulk.dispose()
    db = Database(pg_url)
    try:
        with db.engine.begin() as conn:
            raw = conn.connection.dbapi_connection
            with postgres.unbounded(conn):
                assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
                assert raw.reply_timeout is None
            assert raw.reply_timeout == 35.0
        with db.read() as s:
            assert s.scalar(text("SHOW statement_timeout")) == "30s"
    finally:
        db.dispose()


@pytest.mark.postgresql
def test_read_only_database_refuses_writes_on_postgresql(pg_url):
    db = Database(pg_url, read_only=True)
    try:
        with pytest.raises(DBAPIError, match="read-only"), db.read() as s:
            s.execute(text("CREATE TABLE nie_angelegt (x int)"))
    finally:
        db.dispose()


def test_a_sqlite_start_does_not_import_psycopg(tmp_path):
    """The bounded connections are PostgreSQL's: a SQLite start does not pay
    for importing psycopg (some 150 ms)."""
    code = (
        "import sys\n"
        "from akquise_desktop.storage import Database\n"
        f"Database({str(tmp_path / 'a.sqlite3')!r}).open().dispose()\n"
        "print('psycopg' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"


# --- PostgreSQL: the limits in action ----------------------------------------------------


def _url(pg_url: str, **query: str) -> str:
    return make_url(pg_url).update_query_dict(query).render_as_string(hide_password=False)


@pytest.mark.postgresql
def test_statement_timeout_is_a_clear_error(pg_url):
    db = Database(_url(pg_url, statement_timeout="300ms"))
    try:

        def slow() -> None:
            with db.read() as s:
                s.execute(text("SELECT pg_sleep(10)"))

        _, error, elapsed = within(10, slow)
        assert isinstance(error, DomainError) and error.rule is Rule.DB_TIMEOUT
        assert "0.3 s" in error.message_de and "nichts wurde gespeichert" in error.message_de
        assert elapsed < 3
        with db.read() as s:  # the connection is fine afterwards
            assert s.scalar(text("SELECT 1")) == 1
    finally:
        db.dispose()


@pytest.fixture
def probe_table(pg_url) -> Iterator[str]:
    db = Database(pg_url)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS storage_lock_probe (id int)")
    yield "storage_lock_probe"
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS storage_lock_probe")
    db.dispose()


@pytest.mark.postgresql
def test_lock_timeout_is_a_clear_error_but_nowait_is_left_to_its_caller(pg_url, probe_table):
    holder = Database(pg_url)
    waiter = Database(_url(pg_url, lock_timeout="300ms"))
    try:
        with holder.write() as h:
            h.execute(text(f"LOCK TABLE {probe_table} IN ACCESS EXCLUSIVE MODE"))

            def wait_for_lock() -> None:
                with waiter.write() as s:
                    s.execute(text(f"LOCK TABLE {probe_table}"))

            _, error, elapsed = within(10, wait_for_lock)
            assert isinstance(error, DomainError) and error.rule is Rule.DB_TIMEOUT
            assert "Sperre" in error.message_de and "lock" in error.message_en
            assert elapsed < 3
            with pytest.raises(SAOperationalError), waiter.write() as s:
                s.execute(text(f"LOCK TABLE {probe_table} NOWAIT"))
    finally:
        waiter.dispose()
        holder.dispose()


@pytest.mark.postgresql
def test_a_transaction_left_idle_is_ended_by_the_server(pg_url):
    db = Database(_url(pg_url, idle_in_transaction_session_timeout="300ms"))
    try:
        with pytest.raises(DomainError) as info, db.read() as s:
            s.execute(text("SELECT 1"))
            time.sleep(1.0)  # the client stops talking inside a transaction
            s.execute(text("SELECT 1"))
        assert info.value.rule is Rule.DB_TIMEOUT
        with db.read() as s:
            assert s.scalar(text("SELECT 1")) == 1
    finally:
        db.dispose()


# --- PostgreSQL: a dead link (black hole) ------------------------------------------------


class BlackHoleProxy:
    """A TCP forwarder on 127.0.0.1 to the test server that can stop forwarding
    while keeping every connection open: the client's data is taken and never
    answered, as by a dead link, a hung server or a stuck middlebox."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = [self.listener]
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            if not self.forwarding.is_set():  # new connections wait in the backlog
                time.sleep(0.02)
                continue
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server = socket.create_connection(self.upstream, timeout=5)
            self.sockets += [client, server]
            pump = threading.Thread(target=self._pump, args=(client, server), daemon=True)
            self.threads.append(pump)
            pump.start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peer = {a: b, b: a}
        while not self.stopped.is_set():
            if not self.forwarding.is_set():
                time.sleep(0.02)
                continue
            try:
                ready, _, _ = select.select([a, b], [], [], 0.05)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peer[sock].sendall(data)
            except (OSError, ValueError):
                return

    def black_hole(self) -> None:
        self.forwarding.clear()

    def resume(self) -> None:
        self.forwarding.set()

    def close(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=2)
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def proxy(pg_url) -> Iterator[BlackHoleProxy]:
    server = make_url(pg_url)
    p = BlackHoleProxy(server.host or "127.0.0.1", server.port or 5432)
    yield p
    p.close()


def _through(proxy: BlackHoleProxy, pg_url: str, **query: str) -> str:
    url = make_url(pg_url).set(host="127.0.0.1", port=proxy.port)
    return url.update_query_dict(query).render_as_string(hide_password=False)


@pytest.mark.postgresql
def test_a_dead_link_mid_session_ends_within_the_deadline(proxy, pg_url, capsys):
    """The link stops forwarding inside a session: the next statement ends
    after the reply deadline (statement timeout 1 s + 1 s grace) with the
    clear error, and the database works again once the link is back."""
    db = Database(_through(proxy, pg_url, statement_timeout="1s", connect_timeout="2"))
    assert db.pg is not None and db.pg.reply_timeout == 2.0
    try:
        with db.read() as s:
            assert s.scalar(text("SELECT 1")) == 1
            proxy.black_hole()
            _, error, statement_s = within(15, lambda: s.scalar(text("SELECT 2")))
        assert isinstance(error, DomainError), repr(error)
        assert error.rule is Rule.DB_NO_REPLY
        assert f"127.0.0.1:{proxy.port}" in error.message_de and "2 s" in error.message_de
        assert 2.0 <= statement_s < 3.5
        # A new session while the link is still dead: the connect's own limit.
        _, error, connect_s = within(15, lambda: _select(db))
        assert isinstance(error, AkquiseError) and "nicht erreichbar" in str(error)
        assert connect_s < 3.5
        proxy.resume()
        assert _select(db) == 1
        with capsys.disabled():
            print(f"\n[black hole] statement: {statement_s:.2f} s, connect: {connect_s:.2f} s")
    finally:
        proxy.resume()
        db.dispose()


def _select(db: Database) -> int:
    with db.read() as s:
        return s.scalar(text("SELECT 1"))


@pytest.mark.postgresql
def test_a_dead_link_at_commit_and_at_checkout_ends_in_seconds(proxy, pg_url):
    """The commit waits for its answer under the same deadline; a pooled
    connection whose link died is pinged (deadline), then a new connect is
    tried (connect_timeout): seconds, then one readable error."""
    db = Database(_through(proxy, pg_url, statement_timeout="1s", connect_timeout="1"))
    try:

        def commit_into_the_void() -> None:
            with db.write() as s:
                s.execute(text("SELECT 1"))
                proxy.black_hole()

        _, error, elapsed = within(15, commit_into_the_void)
        assert isinstance(error, DomainError) and error.rule is Rule.DB_NO_REPLY
        assert elapsed < 3.5
        proxy.resume()
        assert _select(db) == 1  # a connection is idle in the pool now
        proxy.black_hole()
        _, error, elapsed = within(15, lambda: _select(db))
        assert isinstance(error, AkquiseError), repr(error)
        assert elapsed < 2.0 + 1.0 + 1.5  # ping deadline + connect timeout + slack
    finally:
        proxy.resume()
        db.dispose()


@pytest.mark.postgresql
def test_a_dead_link_in_the_cli_is_one_line(proxy, pg_url, capsys, monkeypatch):
    monkeypatch.setenv("AKQUISE_PG_CONNECT_TIMEOUT", "1")
    url = _through(proxy, pg_url)
    proxy.black_hole()
    code, error, elapsed = within(15, lambda: cli.main(["db", "status", "--db", url]))
    assert error is None and code == 2
    assert "nicht erreichbar" in one_error_line(capsys)
    assert elapsed < 3


# --- SQLite: nothing changed before it is accepted ------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def foreign_file(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE kunden (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO kunden (name) VALUES ('Fremd GmbH')")
        conn.commit()
    return path


def ours_in_delete_mode(path: Path, revision: str | None = None) -> Path:
    """A database of this program, in SQLite's default journal mode (as a copy
    or an old version might leave it); at ``revision`` if given."""
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        if revision:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    assert journal_mode(path) == "delete"
    return path


def outdated_file(path: Path) -> Path:
    db = Database(f"sqlite:///{path}")
    with db.engine.begin() as conn:  # (not through open/upgrade: the file stays as SQLite made it)
        schema.upgrade(conn, "0005")
    db.dispose()
    assert journal_mode(path) == "delete"
    return path


KINDS = {
    "foreign": (foreign_file, "fremde Tabellen"),
    "newer": (lambda p: ours_in_delete_mode(p, "9999_newer"), "9999_newer"),
    "outdated": (outdated_file, "db upgrade"),
}
COMMANDS = {
    "gui": [],
    "check": ["check"],
    "status": ["db", "status"],
    "demo": ["demo", "--records", "1"],
    "bench": ["bench", "--no-processes"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_refused_file_is_left_unchanged(kind, command, tmp_path, capsys):
    make, said = KINDS[kind]
    path = make(tmp_path / "fremd.sqlite3")
    before = snapshot(tmp_path)
    code = cli.main([*COMMANDS[command], "--db", str(path)])
    if command == "status":  # says what it is, refuses nothing
        assert code == 1 and kind in capsys.readouterr().out
    else:
        assert code != 0
        assert said in one_error_line(capsys)
    assert snapshot(tmp_path) == before
    assert journal_mode(path) == "delete"


def test_db_upgrade_refuses_a_foreign_file_unchanged(tmp_path, capsys):
    path = foreign_file(tmp_path / "fremd.sqlite3")
    before = snapshot(tmp_path)
    assert cli.main(["db", "upgrade", "--db", str(path)]) == 2
    assert "fremde Tabellen" in one_error_line(capsys)
    assert snapshot(tmp_path) == before


def test_read_only_commands_leave_an_accepted_file_as_it_is(tmp_path, capsys):
    path = ours_in_delete_mode(tmp_path / "akquise.sqlite3")
    before = snapshot(tmp_path)
    assert cli.main(["db", "status", "--db", str(path)]) == 0
    assert cli.main(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    assert snapshot(tmp_path) == before
    assert journal_mode(path) == "delete"
    # Opened for work, the same file is accepted: now it is switched to WAL.
    db = Database(f"sqlite:///{path}").open(create=False)
    db.dispose()
    assert journal_mode(path) == "wal"


@pytest.mark.parametrize(
    ("argv", "read_only", "bulk"),
    [
        (["db", "status"], True, False),
        (["check"], True, False),
        (["export-ical", "--user", "x", "--out", "x.ics"], True, False),
        (["db", "upgrade"], False, False),
        (["demo"], False, False),
        (["demo", "--scale", "large"], False, True),
        (["bench"], False, False),
        ([], False, False),
    ],
)
def test_how_each_command_opens_the_database(argv, read_only, bulk, monkeypatch, capsys):
    import akquise_desktop.storage as storage

    seen = {}

    class Recording:
        def __init__(self, url, **kwargs):
            seen.update(kwargs)
            raise AkquiseError("recorded")

    monkeypatch.setattr(storage, "Database", Recording)
    assert cli.main([*argv, "--db", "x.sqlite3"]) == 2
    assert "recorded" in one_error_line(capsys)
    assert seen == {"read_only": read_only, "bulk": bulk}


def test_read_only_mode_is_sqlites_own(tmp_path):
    """mode=ro: SQLite itself refuses every write (whoever runs the program, root too)."""
    path = ours_in_delete_mode(tmp_path / "akquise.sqlite3")
    db = Database(f"sqlite:///{path}", read_only=True).open(create=False)
    try:
        with pytest.raises(SAOperationalError, match="readonly"), db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO team (name, created_at) VALUES ('x', '2030-01-01')")
        with pytest.raises(AkquiseError, match="nur zum Lesen"):
            db.upgrade()
        assert db.checkpointer is None
    finally:
        db.dispose()
    assert journal_mode(path) == "delete"


@pytest.mark.parametrize(
    "argv",
    [["check"], ["db", "status"], ["export-ical", "--user", "admin", "--out", "{tmp}/x.ics"]],
    ids=["check", "status", "export-ical"],
)
def test_a_missing_path_is_said_and_nothing_created(argv, tmp_path, capsys):
    path = tmp_path / "nirgends" / "tiefer" / "akquise.sqlite3"
    args = [a.format(tmp=tmp_path) for a in argv]
    assert cli.main([*args, "--db", str(path)]) == 2
    line = one_error_line(capsys)
    assert str(path) in line and "gibt es nicht" in line and "db upgrade" in line
    assert list(tmp_path.iterdir()) == []


def test_a_missing_path_opened_without_create_creates_nothing(tmp_path):
    path = tmp_path / "neu" / "akquise.sqlite3"
    db = Database(f"sqlite:///{path}")
    try:
        assert db.schema_state()[0].value == "empty"
        with pytest.raises(AkquiseError, match="gibt es nicht"):
            db.open(create=False)
    finally:
        db.dispose()
    assert not (tmp_path / "neu").exists()


def test_a_file_that_is_no_database_is_said_and_left_unchanged(tmp_path, capsys):
    path = tmp_path / "notizen.sqlite3"
    path.write_text("Dies ist keine Datenbank.\n" * 200, encoding="utf-8")
    before = snapshot(tmp_path)
    for argv in ([], ["check"], ["db", "status"], ["db", "upgrade"]):
        assert cli.main([*argv, "--db", str(path)]) == 2
        assert "keine SQLite-Datenbank" in one_error_line(capsys)
    assert snapshot(tmp_path) == before


@pytest.fixture
def write_protect() -> Iterator[Callable[[Path], None]]:
    """Take write access away from a file or folder, really (for root too:
    ``chattr +i``; for others the permission bits); restored afterwards."""
    done: list[tuple[Path, Callable[[], None]]] = []

    def protect(path: Path) -> None:
        if getattr(os, "geteuid", lambda: -1)() != 0:
            mode = path.stat().st_mode
            path.chmod(mode & ~0o222)
            done.append((path, lambda: path.chmod(mode)))
            return
        try:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        except FileNotFoundError:
            pytest.skip("chattr is not installed: no way to write-protect a file for root")
        if result.returncode != 0:
            pytest.skip(f"chattr +i is not possible here: {result.stderr.strip()}")
        done.append((path, lambda: subprocess.run(["chattr", "-i", str(path)], check=True)))

    yield protect
    for _path, undo in reversed(done):
        undo()


def test_a_write_protected_file_is_refused_for_work_as_read_only(tmp_path, capsys, write_protect):
    path = tmp_path / "akquise.sqlite3"
    Database(f"sqlite:///{path}").open().dispose()
    write_protect(path)
    assert not os.access(path, os.W_OK)
    before = snapshot(tmp_path)
    # The GUI start refuses, with the reason (not "unreachable").
    assert cli.main(["--db", str(path)]) == 2
    line = one_error_line(capsys)
    assert "schreibgeschützt" in line and "nicht erreichbar" not in line
    for argv in (["demo", "--records", "1"], ["db", "upgrade"]):
        assert cli.main([*argv, "--db", str(path)]) == 2
        assert "schreibgeschützt" in one_error_line(capsys)
    # Looking still works.
    assert cli.main(["db", "status", "--db", str(path)]) == 0
    assert "current" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    # The file as it was; reading a WAL database makes SQLite's WAL index files
    # next to it, nothing else.
    after = snapshot(tmp_path)
    assert after[path.name] == before[path.name]
    assert set(after) - set(before) <= {f"{path.name}-wal", f"{path.name}-shm"}


def test_a_write_protected_folder_is_refused_for_work_as_read_only(tmp_path, capsys, write_protect):
    folder = tmp_path / "archiv"
    folder.mkdir()
    path = ours_in_delete_mode(folder / "akquise.sqlite3")
    write_protect(folder)
    with pytest.raises(AkquiseError) as info:
        Database(f"sqlite:///{path}").open()
    assert "schreibgeschützt" in str(info.value) and str(folder) in str(info.value)
    assert cli.main(["db", "status", "--db", str(path)]) == 0  # reading needs no journal
    capsys.readouterr()
    assert journal_mode(path) == "delete"


def test_a_wal_file_in_a_write_protected_folder_is_reported_as_read_only(
    tmp_path, capsys, write_protect
):
    """Even reading a WAL database needs its -shm file next to it: then the
    folder's write protection is the reason given, not "unreachable"."""
    folder = tmp_path / "archiv"
    folder.mkdir()
    path = folder / "akquise.sqlite3"
    Database(f"sqlite:///{path}").open().dispose()
    assert sorted(p.name for p in folder.iterdir()) == ["akquise.sqlite3"]
    write_protect(folder)
    assert cli.main(["db", "status", "--db", str(path)]) == 2
    line = one_error_line(capsys)
    assert "schreibgeschützt" in line and "nicht erreichbar" not in line


# --- passwords ---------------------------------------------------------------------------

WITH_PASSWORD = {
    "unsupported": f"mysql://anna:{SECRET}@db.example.com/akquise",
    "malformed": f"postgresql://anna:{SECRET}@db.example.com:port/akquise",
    "garbage": f"post gres://anna:{SECRET}@db.example.com/akquise",
    "unreachable": f"postgresql://anna:{SECRET}@127.0.0.1:1/akquise",
    "in-query": f"postgresql://anna@127.0.0.1:1/akquise?password={SECRET}",
    "bad-limit": f"postgresql://anna:{SECRET}@127.0.0.1:1/akquise?lock_timeout=x",
}


@pytest.mark.parametrize("kind", list(WITH_PASSWORD))
@pytest.mark.parametrize("argv", [["db", "status"], ["check"], ["db", "upgrade"], []])
def test_no_password_in_cli_errors(kind, argv, capsys):
    assert cli.main([*argv, "--db", WITH_PASSWORD[kind]]) != 0
    captured = capsys.readouterr()
    assert SECRET not in captured.err + captured.out
    assert captured.err.startswith("akquise-desktop: ")


def test_no_password_in_cli_errors_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("AKQUISE_DB", WITH_PASSWORD["malformed"])
    assert cli.main(["check"]) == 2
    line = one_error_line(capsys)
    assert SECRET not in line and "anna:***@" in line


def test_an_invalid_url_is_echoed_with_its_password_masked():
    with pytest.raises(AkquiseError) as info:
        resolve_url(WITH_PASSWORD["malformed"])
    assert SECRET not in str(info.value)
    assert "postgresql://anna:***@db.example.com:port/akquise" in str(info.value)


@pytest.mark.parametrize(
    ("given", "masked"),
    [
        ("post gres://anna:ge/he@im@host/db", "post gres://anna:***@host/db"),
        ("postgresql://anna@host/db?sslmode=require&password=x1", "postgresql://anna@host/db?sslmode=require&password=***"),
        ("postgresql://anna@host/db", "postgresql://anna@host/db"),
        ("/home/anna/akquise.sqlite3", "/home/anna/akquise.sqlite3"),
    ],
)  # fmt: skip
def test_mask_password(given, masked):
    assert mask_password(given) == masked


def test_hide_passwords_from_urls_and_text():
    url = resolve_url(f"postgresql://anna:{SECRET}@db/akquise?password=zwei")
    message = f"failed: password={SECRET} and zwei"
    assert SECRET not in hide_passwords(message, url) and "zwei" not in hide_passwords(message, url)
    assert hide_passwords(message, f"postgresql://anna:{SECRET}@db:port/x") == (
        "failed: password=*** and zwei"
    )
    assert passwords(None) == [] and passwords("/a/b.sqlite3") == []


def test_describe_shows_no_password():
    db = Database(f"postgresql://anna:{SECRET}@db.example.com/akquise?password={SECRET}")
    try:
        for lang in ("de", "en"):
            assert SECRET not in db.describe(lang)
        assert "anna@db.example.com:5432/akquise" in db.describe()
    finally:
        db.dispose()


class _FakeChild:
    seen: dict[str, Any] = {}

    def __init__(self, args: list[str], **kwargs: Any) -> None:
        _FakeChild.seen = {"args": args, "env": kwargs["env"]}
        self.stdout = io.StringIO('READY\n{"maxrss_kb": 1}\n')
        self.stderr = io.StringIO("")
        self.returncode = 0

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0


def test_bench_children_get_the_url_in_their_environment(monkeypatch):
    url = f"postgresql+psycopg://anna:{SECRET}@db.example.com/akquise"
    monkeypatch.setattr(processes.subprocess, "Popen", _FakeChild)
    processes.measure("app", url, "--user", "anna")
    args, env = _FakeChild.seen["args"], _FakeChild.seen["env"]
    assert not any(SECRET in a or "postgresql" in a for a in args), args
    assert args[-3:] == ["app", "--user", "anna"]
    assert env["AKQUISE_DB"] == url


def test_a_bench_child_reads_its_database_from_the_environment(tmp_path):
    path = tmp_path / "bench.sqlite3"
    Database(f"sqlite:///{path}").open().dispose()
    report = processes.measure("floor", f"sqlite:///{path}")
    assert report["ms"] > 0
