"""The database: engine set-up for SQLite and PostgreSQL, sessions, schema check."""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.core.folding import register_sqlite

from . import schema
from .checkpoint import BACKSTOP_PAGES, Checkpointer
from .netshare import is_network_path
from .schema import SchemaState
from .url import describe, hide_passwords, resolve_url

if TYPE_CHECKING:  # (imported for PostgreSQL only: psycopg alone takes 150 ms to import)
    from . import postgres

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """One database, SQLite file or PostgreSQL server.

    ``read()`` gives a session for queries, ``write()`` a session in one write
    transaction (``BEGIN IMMEDIATE`` on SQLite, so two writers never deadlock
    on a lock upgrade); both commit or roll back as a whole.

    ``read_only``: for commands that only look (``db status``, ``check``):
    SQLite opens the file with ``mode=ro`` (a missing one is an error, nothing
    is created), PostgreSQL's transactions are read-only. Otherwise a SQLite
    file is changed (switched to WAL) only once :meth:`open` or :meth:`upgrade`
    accepted it. ``bulk``: no statement limit on PostgreSQL (the large demo);
    see :mod:`.postgres` for the limits.
    """

    def __init__(
        self,
        url: URL | str | None = None,
        *,
        echo: bool = False,
        read_only: bool = False,
        bulk: bool = False,
    ) -> None:
        self.url = url if isinstance(url, URL) else resolve_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.read_only = read_only
        # This client, in the change announcements it sends (PostgreSQL): it
        # skips its own (core/announce.py).
        self.client_id = uuid.uuid4().hex[:16]
        db = self.url.database if self.is_sqlite else None
        # A SQLite file (None: in memory, or PostgreSQL).
        self.path = Path(db).expanduser() if db and db != ":memory:" else None
        self.checkpointer: Checkpointer | None = None  # SQLite files: WAL checkpoints
        self.pg: postgres.Settings | None = None  # PostgreSQL: how it connects
        self._accepted = False  # open() or upgrade() accepted it for work
        self.engine = self._create_engine(echo, bulk)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._idle = threading.local()  # per thread: a closed read session to reuse
        event.listen(self._read_sessions, "before_flush", _refuse_flush)
        write_bind = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self._write_sessions = sessionmaker(write_bind, expire_on_commit=False)
        # Every new or changed phone number gets its normal form (models/phones.py).
        event.listen(self._write_sessions, "before_flush", _keep_normal_forms)

    # --- engine ---------------------------------------------------------------

    def _create_engine(self, echo: bool, bulk: bool) -> Engine:
        if self.is_sqlite:
            return self._sqlite_engine(echo)
        from . import postgres

        self.pg = postgres.settings(self.url, read_only=self.read_only, bulk=bulk)
        try:
            engine = create_engine(
                self.pg.url, echo=echo, pool_pre_ping=True, connect_args=self.pg.connect_args
            )
        except (SQLAlchemyError, ImportError) as exc:
            raise AkquiseError(self._hide(f"Datenbank-URL nicht verwendbar: {exc}")) from None
        # Connections whose replies have a deadline; time limits, a cut or a
        # failed connect raise a readable error.
        event.listen(engine, "do_connect", postgres.connector(self.pg))
        event.listen(
            engine,
            "handle_error",
            postgres.error_translator(self.pg, describe(self.url), self._hide),
        )
        return engine

    def _sqlite_engine(self, echo: bool) -> Engine:
        path = self.path
        engine_url = self.url
        if path is not None:
            if is_network_path(path):
                raise AkquiseError(
                    f"Die Datenbankdatei {path} liegt auf einem Netzlaufwerk. SQLite ist dort "
                    "nicht sicher (Sperren, Datenverlust). Für die gemeinsame Arbeit im Team "
                    "bitte einen PostgreSQL-Server verwenden: --db postgresql://server/datenbank"
                )
            if self.read_only:  # SQLite's own read-only open: never writes, never creates
                uri = path.absolute().as_uri()
                engine_url = URL.create("sqlite", database=uri, query={"mode": "ro", "uri": "true"})
            else:
                self.checkpointer = Checkpointer(str(path))
        engine = create_engine(engine_url, echo=echo, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Transactions are begun explicitly below, not by the driver.
            dbapi_connection.isolation_level = None
            register_sqlite(dbapi_connection)  # akq_fold, for the search index's triggers
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if path is not None:
                if self._accepted:  # (the file's mode: only once it is accepted, _accept)
                    cur.execute("PRAGMA journal_mode = WAL")
                # FULL: a commit is on disk before the call returns, so a logged
                # call survives a power cut too (NORMAL could roll the last ones
                # back); measured: +0.5-0.8 ms per write.
                cur.execute("PRAGMA synchronous = FULL")
                # Checkpoints run on a thread of their own (storage/checkpoint.py);
                # a commit does one itself only in a burst of writes.
                cur.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            # On the DB-API connection: through exec_driver_sql, the BEGIN alone
            # cost a read transaction 40 µs (measured), as much as a small query.
            conn.connection.dbapi_connection.execute(f"BEGIN {mode}")

        return engine

    # --- sessions -------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries: one transaction (a read changes nothing; a
        flush in it raises). On SQLite it ends by a rollback, cheaper than the
        ORM's commit (measured: 75 → 55 µs per read). On PostgreSQL by a commit:
        a rollback makes psycopg drop its prepared statements (and send
        DEALLOCATE ALL), and every read would plan its statements anew."""
        # A closed session is as good as new (SQLAlchemy resets it on close):
        # each thread keeps its last one for the next read instead of building
        # another (a read inside a read gets a fresh one).
        session = getattr(self._idle, "session", None) or self._read_sessions()
        self._idle.session = None
        try:
            yield session
            if not self.is_sqlite:
                _end_read(session)
        finally:
            session.close()
            self._idle.session = session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write_sessions() as session, session.begin():
            yield session
        if self.checkpointer is not None:
            self.checkpointer.nudge()

    # --- schema -----------------------------------------------------------------

    def schema_state(self) -> tuple[SchemaState, str | None]:
        """The schema's state; changes nothing. A missing SQLite file is an empty
        database (read-only: an error)."""
        if self.path is not None and not self.path.exists():
            if self.read_only:
                raise AkquiseError(self._missing())
            return SchemaState.EMPTY, None
        with self._connect() as conn:
            return schema.schema_state(conn)

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the schema to this client's head; returns (before, after)."""
        if self.read_only:
            raise AkquiseError(f"Die Datenbank ({describe(self.url)}) ist nur zum Lesen geöffnet.")
        self._refuse_read_only_file()
        if self.path is not None and not self.path.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AkquiseError(f"Ordner für die Datenbank nicht anlegbar: {exc}") from None
        with self._connect() as conn:
            state, before = schema.schema_state(conn)
            self._refuse_unusable(state, before)
        self._accept()
        # Migrations of a large database may take long: no statement limit.
        with self.engine.begin() as conn, self._unbounded(conn):
            schema.upgrade(conn)
        return before, schema.head_revision()

    def open(
        self,
        *,
        create: bool = True,
        state: tuple[SchemaState, str | None] | None = None,
    ) -> Database:
        """Check the schema before use: create a new database's schema (if
        ``create``), refuse an outdated, newer or foreign one with a clear message.
        ``state``: what :meth:`schema_state` just said (saves asking again).
        Only an accepted SQLite file is changed (to WAL mode); a read-only file
        is refused for work."""
        create = create and not self.read_only
        if self.path is not None and not self.path.exists() and not create:
            raise AkquiseError(self._missing())
        if not self.read_only:
            self._refuse_read_only_file()
        found, rev = state or self.schema_state()
        if found is SchemaState.CURRENT:
            self._accept()
            return self
        if found is SchemaState.EMPTY and create:
            self.upgrade()
            return self
        if found is SchemaState.EMPTY:
            raise AkquiseError(
                f"Die Datenbank ({describe(self.url)}) ist leer. "
                "Anlegen mit: akquise-desktop db upgrade"
            )
        if found is SchemaState.OUTDATED:
            raise AkquiseError(
                f"Das Datenbankschema ({rev}) ist älter als dieses Programm "
                f"({schema.head_revision()}). Aktualisieren mit: akquise-desktop db upgrade"
            )
        self._refuse_unusable(found, rev)
        return self

    def _refuse_unusable(self, state: SchemaState, rev: str | None) -> None:
        if state is SchemaState.NEWER:
            raise AkquiseError(
                f"Die Datenbank hat ein neueres Schema ({rev}) als dieses Programm kennt "
                f"({schema.head_revision()}): Bitte AkquiseDesktop aktualisieren (altes "
                "Programm, neue Datenbank)."
            )
        if state is SchemaState.FOREIGN:
            raise AkquiseError(
                f"Die Datenbank ({describe(self.url)}) enthält fremde Tabellen und ist keine "
                "AkquiseDesktop-Datenbank."
            )

    def _unbounded(self, conn: Any) -> Any:
        if self.is_sqlite:
            return nullcontext()
        from . import postgres

        return postgres.unbounded(conn)

    def _accept(self) -> None:
        """The database passed the schema check and is used for work: a SQLite
        file is switched to WAL mode (persistent; each connection from now on
        checks it, _on_connect)."""
        if self._accepted or self.path is None or self.read_only:
            self._accepted = True
            return
        try:
            raw = self.engine.raw_connection()
        except DatabaseError as exc:
            raise AkquiseError(self._unreachable(exc)) from None
        try:
            # On the DB-API connection: never inside a transaction (SQLite refuses that).
            driver = raw.driver_connection
            assert driver is not None  # a connection just checked out of the pool is open
            driver.execute("PRAGMA journal_mode = WAL").fetchall()
        except sqlite3.Error as exc:
            if "readonly" in str(exc):
                raise AkquiseError(self._read_only_message("der Datei")) from None
            raise AkquiseError(
                f"Datenbank nicht verwendbar ({describe(self.url)}): {_first_line(exc)}"
            ) from None
        finally:
            raw.close()
        self._accepted = True

    def _refuse_read_only_file(self) -> None:
        """A SQLite file the program may not write (or whose folder it may not
        write: SQLite keeps its journal and WAL files next to it) is refused for
        work, with that reason (not as "unreachable")."""
        problem = self._unwritable()
        if problem:
            raise AkquiseError(self._read_only_message(problem))

    def _unwritable(self) -> str | None:
        path = self.path
        if path is None or not path.exists():
            return None
        if not os.access(path, os.W_OK):
            return "der Datei"
        if not os.access(path.parent, os.W_OK):
            return f"dem Ordner {path.parent}"
        return None

    def _read_only_message(self, what: str) -> str:
        return (
            f"Die Datenbankdatei {self.path} ist schreibgeschützt (kein Schreibrecht auf {what}). "
            "Zum Arbeiten braucht AkquiseDesktop Schreibrecht auf Datei und Ordner; nur lesen: "
            "akquise-desktop db status / check"
        )

    def _missing(self) -> str:
        return (
            f"Die Datenbankdatei {self.path} gibt es nicht (nichts angelegt). "
            "Anlegen mit: akquise-desktop db upgrade"
        )

    def _unreachable(self, exc: DatabaseError) -> str:
        reason = _first_line(exc.orig if exc.orig else exc)
        if self.path is not None:
            if not self.path.exists():
                return self._missing()
            if self._unwritable() or "readonly" in reason:
                return self._read_only_message(self._unwritable() or "der Datei")
            if not isinstance(exc, OperationalError):  # e.g. "file is not a database"
                return f"Die Datei {self.path} ist keine SQLite-Datenbank ({reason})."
        return self._hide(f"Datenbank nicht erreichbar ({describe(self.url)}): {reason}")

    def _hide(self, message: str) -> str:
        return hide_passwords(message, self.url)

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DatabaseError as exc:
            raise AkquiseError(self._unreachable(exc)) from None

    def describe(self, lang: str = "de") -> str:
        return describe(self.url, lang)

    def encrypted(self) -> bool | None:
        """Whether the connection to the server is encrypted (TLS); None for a
        local file. (Asks a pooled connection: a worker job.)"""
        if self.is_sqlite:
            return None
        with self.engine.connect() as conn:
            pgconn = getattr(conn.connection.dbapi_connection, "pgconn", None)
            return bool(pgconn.ssl_in_use) if pgconn is not None else None

    def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _end_read(session: Session) -> None:
    """Commit a read's clean, working transaction. Anything else — objects
    added against the rule, a failed statement whose error the reader handled,
    a lost connection — is left to the rollback of ``close()``, as on SQLite."""
    if session.new or session.dirty or session.deleted:
        return
    try:
        session.commit()
    except SQLAlchemyError:
        return


def _keep_normal_forms(session: Session, ctx: Any, instances: Any) -> None:
    # Imported at the first flush: the first screen's queries load no model.
    from akquise_desktop.models.phones import keep_normal_forms

    keep_normal_forms(session, ctx, instances)


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("a read session changes nothing: use Database.write() or the controller")
