"""PostgreSQL connections whose waits are bounded.

A dead server or network link must end an operation in seconds with a message
that says so, not leave the program waiting for ever. Three layers, each with
a default here:

* the server's own limits, set for every connection (``-c`` options at
  connect): ``statement_timeout`` (a statement, its lock waits included),
  ``lock_timeout`` (waiting for a lock someone else holds) and
  ``idle_in_transaction_session_timeout`` (a transaction left open by a client
  that stopped talking: its locks are freed). PostgreSQL's time syntax
  (``30s``, ``500ms``, ``2min``; a plain number is milliseconds; ``0``: none);
* libpq's parameters for the link, in libpq's units: ``connect_timeout`` (s),
  TCP ``keepalives``/``keepalives_idle``/``keepalives_interval`` (s)/
  ``keepalives_count`` (a silent peer is noticed while waiting for it) and
  ``tcp_user_timeout`` (ms: data sent and never acknowledged, the link is dead);
* a reply deadline in the client: a connection that has waited for an answer
  longer than the statement timeout plus a grace (by then the server would have
  answered with its own timeout) is cut — its socket shut down, so the waiting
  call returns at once with :class:`NoReply`. This covers what the others
  cannot see: a link or proxy that takes the data and never answers.

Each can be set in the database URL (``postgresql://host/db?lock_timeout=3s``)
or in the environment (``AKQUISE_PG_LOCK_TIMEOUT=3s``); the URL wins.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy.engine import URL, Connection

from akquise_desktop.core.errors import AkquiseError, DomainError, Rule

SERVER_SETTINGS = {  # PostgreSQL settings (GUCs), PostgreSQL's time syntax
    "statement_timeout": "30s",
    "lock_timeout": "10s",
    "idle_in_transaction_session_timeout": "60s",
}
CONNECTION_PARAMETERS = {  # libpq connection parameters, libpq's units
    "connect_timeout": "5",  # s
    "keepalives": "1",
    "keepalives_idle": "10",  # s
    "keepalives_interval": "5",  # s
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",  # ms
}
ENV_PREFIX = "AKQUISE_PG_"
REPLY_GRACE_S = 5.0  # the reply deadline: statement timeout + min(statement timeout, this)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(us|ms|s|min|h|d)?")
_UNIT_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def duration_s(value: str) -> float | None:
    """Seconds of a PostgreSQL time value (a plain number: milliseconds); None if malformed."""
    match = _DURATION.fullmatch(value)
    if match is None:
        return None
    return float(match[1]) * _UNIT_S[match[2] or "ms"]


@dataclass(frozen=True)
class Settings:
    """How one database's connections are made."""

    url: URL  # the URL without the settings above (libpq would refuse the server ones)
    connect_args: dict[str, Any]  # libpq parameters and the ``options`` string
    server: dict[str, str] = field(default_factory=dict)  # the server settings sent
    reply_timeout: float | None = None  # the client's reply deadline in s (None: none)

    def limit_s(self, name: str) -> float:
        return duration_s(self.server.get(name, "0")) or 0.0


def settings(
    url: URL,
    environ: Mapping[str, str] | None = None,
    *,
    read_only: bool = False,
    bulk: bool = False,
) -> Settings:
    """The connection settings for ``url``: URL query, then ``AKQUISE_PG_*``, then
    the defaults. ``read_only``: every transaction is read-only. ``bulk`` (schema
    upgrades, the large demo): no statement or idle limit, no reply deadline."""
    env = os.environ if environ is None else environ
    query = dict(url.query)

    def value(name: str, default: str) -> tuple[str, str]:
        given = query.pop(name, None)
        where = f"?{name}="
        if given is None:
            where = ENV_PREFIX + name.upper()
            given = env.get(where)
        if given is None:
            return default, ""
        if isinstance(given, tuple):  # given twice in the URL: the last one
            given = given[-1]
        return "".join(str(given).split()), where

    server = {}
    for name, default in SERVER_SETTINGS.items():
        text, where = value(name, default)
        if duration_s(text) is None:
            raise AkquiseError(
                f"Ungültiger Wert für {name} ({where}): {text!r}. Erwartet wird eine Zeit "
                "wie 30s, 500ms oder 2min (0: ohne Grenze)."
            )
        server[name] = text
    if bulk:
        server["statement_timeout"] = "0"
        server["idle_in_transaction_session_timeout"] = "0"
    connect_args: dict[str, Any] = {}
    for name, default in CONNECTION_PARAMETERS.items():
        text, where = value(name, default)
        if not text.isdigit():
            raise AkquiseError(
                f"Ungültiger Wert für {name} ({where}): {text!r}. Erwartet wird eine ganze Zahl."
            )
        connect_args[name] = text
    own = [f"-c {name}={text}" for name, text in server.items()]
    if read_only:
        own.append("-c default_transaction_read_only=on")
    given_options = query.pop("options", None)
    if isinstance(given_options, tuple):
        given_options = " ".join(given_options)
    # JIT compilation costs more than it saves on short interactive queries
    # (measured: +35 ms on the dead-records list). The URL's own options come
    # last: where they set the same, they win.
    connect_args["options"] = " ".join(["-c jit=off", *own, *filter(None, [given_options])])
    statement_s = duration_s(server["statement_timeout"]) or 0.0
    reply = statement_s + min(statement_s, REPLY_GRACE_S) if statement_s else None
    return Settings(url.set(query=query), connect_args, server, reply)


# --- the client's reply deadline ------------------------------------------------------------


class NoReply(psycopg.OperationalError):
    """The server did not answer within the reply deadline; the connection was cut."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no reply from the server within {seconds:g} s: connection closed")
        self.seconds = seconds


class BoundedConnection(psycopg.Connection):  # type: ignore[type-arg]
    """A psycopg connection whose every wait for the server (statements,
    commits, the pool's ping) is watched by :data:`WATCHDOG`."""

    reply_timeout: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watch = threading.Lock()
        self._waiting_since: float | None = None
        self._cut = False

    def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        limit = self.reply_timeout
        if limit is None or "timeout" in kwargs:  # psycopg's own bounded waits (cancel …)
            return super().wait(gen, *args, **kwargs)
        with self._watch:
            self._waiting_since = time.monotonic()
        try:
            return super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError as exc:
            if self._cut:
                raise NoReply(limit) from exc
            raise
        finally:
            with self._watch:
                self._waiting_since = None

    def cut_if_overdue(self, now: float) -> bool:
        """Shut the socket down if this connection waits past its deadline: the
        waiting call then returns at once (and raises :class:`NoReply`)."""
        with self._watch:
            since, limit = self._waiting_since, self.reply_timeout
            if since is None or limit is None or self._cut or now - since < limit:
                return False
            self._cut = True
            try:
                sock = socket.socket(fileno=self.fileno())
            except (OSError, psycopg.Error):
                return False
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            finally:
                sock.detach()  # the descriptor stays libpq's
            return True


class Watchdog:
    """One thread for the process's bounded connections; it looks at them ten
    times per deadline (at most every half second) and stops when none is left."""

    def __init__(self) -> None:
        self._connections: weakref.WeakSet[BoundedConnection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.cuts = 0  # connections cut so far (tests)

    def watch(self, connection: BoundedConnection) -> None:
        with self._lock:
            self._connections.add(connection)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="akquise-pg-deadline", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                watched = list(self._connections)
                if not watched:
                    self._thread = None
                    return
            limits = [c.reply_timeout for c in watched if c.reply_timeout]
            tick = min([0.5, *(limit / 10 for limit in limits)])
            now = time.monotonic()
            for connection in watched:
                if connection.cut_if_overdue(now):
                    self.cuts += 1
            del watched  # no strong references while asleep
            time.sleep(max(tick, 0.02))


WATCHDOG = Watchdog()


def connector(config: Settings) -> Callable[..., Any]:
    """A ``do_connect`` handler: psycopg's connect, as a :class:`BoundedConnection`."""

    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> BoundedConnection:
        connection = BoundedConnection.connect(*cargs, **cparams)
        connection.reply_timeout = config.reply_timeout
        if config.reply_timeout is not None:
            WATCHDOG.watch(connection)
        return connection

    return connect


@contextmanager
def unbounded(conn: Connection) -> Iterator[None]:
    """No statement limit and no reply deadline for this transaction (a schema upgrade)."""
    conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
    dbapi = conn.connection.dbapi_connection
    before = getattr(dbapi, "reply_timeout", None)
    if before is not None:
        dbapi.reply_timeout = None  # type: ignore[union-attr]
    try:
        yield
    finally:
        if before is not None:
            dbapi.reply_timeout = before  # type: ignore[union-attr]


# --- errors users can read --------------------------------------------------------------------

_LIMITS = {  # SQLSTATE: (setting, what in German, what in English)
    "57014": ("statement_timeout", "die Anfrage", "the query"),
    "55P03": (
        "lock_timeout",
        "das Warten auf eine Sperre (jemand anderes bearbeitet dieselben Daten)",
        "waiting for a lock (someone else is editing the same data)",
    ),
    "25P03": (
        "idle_in_transaction_session_timeout",
        "eine offene Transaktion ohne Aktivität",
        "an open transaction without activity",
    ),
}


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def error_translator(config: Settings, where: str, hide: Callable[[str], str]) -> Callable:
    """A ``handle_error`` handler: a time limit, a cut connection or a failed
    connect become one readable error (:class:`DomainError` with a storage rule,
    :class:`AkquiseError` for the connect); anything else is left as it is.
    ``hide`` removes the URL's password from a message."""

    def translate(ctx: Any) -> Exception | None:
        if ctx.is_pre_ping:  # the pool reconnects by itself
            return None
        exc = ctx.original_exception
        if isinstance(exc, NoReply):
            return DomainError(Rule.DB_NO_REPLY, where=where, seconds=f"{exc.seconds:g}")
        limit = _LIMITS.get(getattr(exc, "sqlstate", None) or "")
        # NOWAIT asks for 55P03 at once: that caller handles it itself.
        if limit and not (limit[0] == "lock_timeout" and "NOWAIT" in (ctx.statement or "").upper()):
            name, what_de, what_en = limit
            seconds = config.limit_s(name)
            return DomainError(
                Rule.DB_TIMEOUT,
                what_de=what_de,
                what_en=what_en,
                limit=f"{seconds:g} s" if seconds else first_line(exc),
            )
        if ctx.connection is None and isinstance(exc, psycopg.OperationalError):
            return AkquiseError(hide(f"Datenbank nicht erreichbar ({where}): {first_line(exc)}"))
        return None

    return translate
