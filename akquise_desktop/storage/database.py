"""The database: engine set-up for SQLite and PostgreSQL, sessions, schema check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from akquise_desktop.core.errors import AkquiseError

from . import schema
from .checkpoint import BACKSTOP_PAGES, Checkpointer
from .netshare import is_network_path
from .schema import SchemaState
from .url import describe, resolve_url

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """One database, SQLite file or PostgreSQL server.

    ``read()`` gives a session for queries, ``write()`` a session in one write
    transaction (``BEGIN IMMEDIATE`` on SQLite, so two writers never deadlock
    on a lock upgrade); both commit or roll back as a whole.
    """

    def __init__(self, url: URL | str | None = None, *, echo: bool = False) -> None:
        self.url = url if isinstance(url, URL) else resolve_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.checkpointer: Checkpointer | None = None  # SQLite files: WAL checkpoints
        self.engine = self._create_engine(echo)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._idle = threading.local()  # per thread: a closed read session to reuse
        event.listen(self._read_sessions, "before_flush", _refuse_flush)
        write_bind = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self._write_sessions = sessionmaker(write_bind, expire_on_commit=False)

    # --- engine ---------------------------------------------------------------

    def _create_engine(self, echo: bool) -> Engine:
        if self.is_sqlite:
            return self._sqlite_engine(echo)
        try:
            return create_engine(
                self.url,
                echo=echo,
                pool_pre_ping=True,
                # JIT compilation costs more than it saves on short interactive
                # queries (measured: +35 ms on the dead-records list).
                connect_args={
                    "connect_timeout": 5,
                    "options": " ".join(
                        filter(None, ["-c jit=off", self.url.query.get("options")])
                    ),
                },
            )
        except (SQLAlchemyError, ImportError) as exc:
            raise AkquiseError(f"Datenbank-URL nicht verwendbar: {exc}") from None

    def _sqlite_engine(self, echo: bool) -> Engine:
        db = self.url.database
        if db and db != ":memory:":
            path = Path(db).expanduser()
            if is_network_path(path):
                raise AkquiseError(
                    f"Die Datenbankdatei {path} liegt auf einem Netzlaufwerk. SQLite ist dort "
                    "nicht sicher (Sperren, Datenverlust). Für die gemeinsame Arbeit im Team "
                    "bitte einen PostgreSQL-Server verwenden: --db postgresql://server/datenbank"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AkquiseError(f"Ordner für die Datenbank nicht anlegbar: {exc}") from None
            self.checkpointer = Checkpointer(str(path))
        engine = create_engine(self.url, echo=echo, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Transactions are begun explicitly below, not by the driver.
            dbapi_connection.isolation_level = None
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if db and db != ":memory:":
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
        with self._connect() as conn:
            return schema.schema_state(conn)

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the schema to this client's head; returns (before, after)."""
        with self._connect() as conn:
            state, before = schema.schema_state(conn)
            self._refuse_unusable(state, before)
        with self.engine.begin() as conn:
            schema.upgrade(conn)
        return before, schema.head_revision()

    def open(self, *, create: bool = True) -> Database:
        """Check the schema before use: create a new database's schema (if
        ``create``), refuse an outdated, newer or foreign one with a clear message."""
        state, rev = self.schema_state()
        if state is SchemaState.CURRENT:
            return self
        if state is SchemaState.EMPTY and create:
            self.upgrade()
            return self
        if state is SchemaState.EMPTY:
            raise AkquiseError(
                f"Die Datenbank ({describe(self.url)}) ist leer. "
                "Anlegen mit: akquise-desktop db upgrade"
            )
        if state is SchemaState.OUTDATED:
            raise AkquiseError(
                f"Das Datenbankschema ({rev}) ist älter als dieses Programm "
                f"({schema.head_revision()}). Aktualisieren mit: akquise-desktop db upgrade"
            )
        self._refuse_unusable(state, rev)
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

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise AkquiseError(
                f"Datenbank nicht erreichbar ({describe(self.url)}): {reason}"
            ) from None

    def describe(self, lang: str = "de") -> str:
        return describe(self.url, lang)

    def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()


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


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("a read session changes nothing: use Database.write() or the controller")
