""" "Test connection": try a database and name what is wrong, one reason each.

The start dialog's button and the login run :func:`probe`. A failed connect is
classified from libpq's and the server's message (PostgreSQL sends no
SQLSTATE before the session exists; the server's part may be in German when
its ``lc_messages`` is, so both are recognised). A connection that works is
checked further: is it encrypted, is the schema this program's, is the login a
user of AkquiseDesktop. Nothing is changed: the database is opened read-only.

Passwords never appear in a result: every detail is passed through
:func:`~.url.hide_passwords`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import text
from sqlalchemy.engine import URL

from akquise_desktop.core.errors import AkquiseError

from .schema import SchemaState
from .url import hide_passwords


class Problem(Enum):
    """What stands between the user and the database; value = (German, English)."""

    HOST_UNKNOWN = (
        "Der Server-Name ist unbekannt (DNS). Bitte den Namen prüfen.",
        "The server name is unknown (DNS). Please check the name.",
    )
    UNREACHABLE = (
        "Der Server ist nicht erreichbar (Adresse, Port, Firewall oder der Server läuft nicht).",
        "The server cannot be reached (address, port, firewall, or it is not running).",
    )
    PASSWORD_NEEDED = (
        "Der Server verlangt ein Passwort.",
        "The server asks for a password.",
    )
    WRONG_PASSWORD = (
        "Anmeldename oder Passwort ist falsch.",
        "Wrong login name or password.",
    )
    NO_DATABASE = (
        "Die Datenbank gibt es auf diesem Server nicht.",
        "There is no such database on this server.",
    )
    TLS_REQUIRED = (
        "Der Server verlangt eine verschlüsselte Verbindung (TLS): bitte "
        "„Verschlüsselung“ auf „erforderlich“ stellen.",
        "The server requires an encrypted connection (TLS): please set “Encryption” to “required”.",
    )
    TLS_UNAVAILABLE = (
        "Der Server bietet keine Verschlüsselung (TLS) an, die Einstellung verlangt sie.",
        "The server offers no encryption (TLS), but the setting requires it.",
    )
    TLS_CERTIFICATE = (
        "Das Zertifikat des Servers ist nicht prüfbar oder passt nicht "
        "(Stammzertifikat, Server-Name).",
        "The server's certificate cannot be verified or does not match "
        "(root certificate, server name).",
    )
    NO_ACCESS = (
        "Der Server lässt diese Anmeldung von diesem Rechner aus nicht zu (pg_hba.conf).",
        "The server does not allow this login from this computer (pg_hba.conf).",
    )
    SCHEMA_EMPTY = (
        "Die Datenbank ist leer: ein Administrator legt sie mit „db upgrade“ an.",
        "The database is empty: an administrator sets it up with “db upgrade”.",
    )
    SCHEMA_OLD = (
        "Das Schema der Datenbank ist älter als dieses Programm: ein Administrator "
        "aktualisiert es mit „db upgrade“.",
        "The database's schema is older than this program: an administrator upgrades it "
        "with “db upgrade”.",
    )
    SCHEMA_NEW = (
        "Die Datenbank ist neuer als dieses Programm: bitte AkquiseDesktop aktualisieren.",
        "The database is newer than this program: please update AkquiseDesktop.",
    )
    SCHEMA_FOREIGN = (
        "Die Datenbank enthält fremde Tabellen, keine von AkquiseDesktop.",
        "The database holds other tables, not AkquiseDesktop's.",
    )
    NOT_A_USER = (
        "„{login}“ ist kein aktiver Benutzer von AkquiseDesktop in dieser Datenbank.",
        "“{login}” is not an active user of AkquiseDesktop in this database.",
    )
    NO_PERMISSION = (
        "Diese Anmeldung darf die Tabellen von AkquiseDesktop nicht lesen: ein Administrator "
        "legt sie in der Benutzerverwaltung als Benutzer an.",
        "This login may not read AkquiseDesktop's tables: an administrator makes it a user "
        "in the user administration.",
    )
    OTHER = ("{detail}", "{detail}")

    def message(self, lang: str = "de", **params: str) -> str:
        template = self.value[0] if lang == "de" else self.value[1]
        return template.format(**params)


# libpq's (English) and the server's (English or German) words for each failure.
_PATTERNS: list[tuple[Problem, re.Pattern[str]]] = [
    (Problem.HOST_UNKNOWN, re.compile(
        r"failed to resolve host|could not translate host name|Name or service not known|"
        r"nodename nor servname|No address associated", re.I)),
    (Problem.PASSWORD_NEEDED, re.compile(r"no password supplied|kein Passwort angegeben", re.I)),
    (Problem.WRONG_PASSWORD, re.compile(
        r"password authentication failed|Passwort-Authentifizierung .* fehlgeschlagen|"
        r"role \S+ does not exist|Rolle \S+ existiert nicht", re.I)),
    (Problem.NO_DATABASE, re.compile(
        r"database \S+ does not exist|Datenbank \S+ existiert nicht", re.I)),
    (Problem.TLS_REQUIRED, re.compile(
        r"no pg_hba\.conf entry.*no encryption|kein pg_hba\.conf-Eintrag.*keine Verschlüsselung",
        re.I)),
    (Problem.TLS_UNAVAILABLE, re.compile(r"server does not support SSL", re.I)),
    (Problem.TLS_CERTIFICATE, re.compile(
        r"root certificate file|certificate verify failed|server certificate for|"
        r"does not match host name|SSL error: certificate", re.I)),
    (Problem.NO_ACCESS, re.compile(r"no pg_hba\.conf entry|kein pg_hba\.conf-Eintrag", re.I)),
    (Problem.NO_PERMISSION, re.compile(r"permission denied|keine Berechtigung", re.I)),
    (Problem.UNREACHABLE, re.compile(
        r"Connection refused|timeout expired|timed out|No route to host|Network is unreachable|"
        r"server closed the connection unexpectedly|could not connect|Verbindung verweigert",
        re.I)),
]  # fmt: skip


def classify(message: str) -> Problem:
    """The problem a failed connect's message names (OTHER if none is known)."""
    for problem, pattern in _PATTERNS:
        if pattern.search(message):
            return problem
    return Problem.OTHER


_SCHEMA_PROBLEMS = {
    SchemaState.EMPTY: Problem.SCHEMA_EMPTY,
    SchemaState.OUTDATED: Problem.SCHEMA_OLD,
    SchemaState.NEWER: Problem.SCHEMA_NEW,
    SchemaState.FOREIGN: Problem.SCHEMA_FOREIGN,
}


@dataclass(frozen=True)
class ProbeResult:
    problem: Problem | None  # None: the connection works for this program
    detail: str = ""  # the driver's first line (password hidden), for OTHER and the log
    encrypted: bool | None = None  # TLS in use (None: not connected, or a local file)
    schema: SchemaState | None = None
    login: str = ""  # the user name the server knows us by
    first_user: bool = False  # no users yet: this login becomes the first administrator

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self, lang: str = "de") -> str:
        if self.problem is None:
            return ""
        return self.problem.message(lang, login=self.login, detail=self.detail)


def _driver_error(exc: BaseException) -> BaseException:
    """The innermost error of a failed connect (psycopg's, not its wrappers)."""
    seen = exc
    while True:
        inner = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
        if inner is None or inner is seen:
            return seen
        seen = inner


def _first_line(exc: BaseException) -> str:
    text_ = str(exc).strip()
    # libpq: 'connection failed: connection to server at "h", port p failed: REASON'
    text_ = re.sub(r"^connection failed: (connection to server .*? failed: )?", "", text_)
    lines = [line.strip() for line in text_.splitlines() if line.strip()]
    return (lines[0] if lines else type(exc).__name__).removeprefix("FATAL:").strip()


def probe(url: URL, *, require_user: bool = True) -> ProbeResult:
    """Connect to ``url`` read-only and say whether this program can work there.

    ``require_user``: on PostgreSQL the login must be an active application
    user (the database role is the identity)."""
    from .database import Database

    login = url.username or ""
    first = False
    try:
        # (a SQLite file is not changed before it is opened for work)
        db = Database(url, read_only=url.get_backend_name() != "sqlite")
    except AkquiseError as exc:
        return ProbeResult(Problem.OTHER, detail=hide_passwords(str(exc), url), login=login)
    try:
        try:
            if db.is_sqlite:  # (a missing file is a new, empty database)
                state, _rev = db.schema_state()
                problem = None if state is SchemaState.EMPTY else _SCHEMA_PROBLEMS.get(state)
                return ProbeResult(problem, schema=state)
            with db.engine.connect() as conn:
                login = conn.exec_driver_sql("SELECT current_user").scalar() or login
                pgconn = getattr(conn.connection.dbapi_connection, "pgconn", None)
                encrypted = bool(pgconn.ssl_in_use) if pgconn is not None else None
                from . import schema

                state, _rev = schema.schema_state(conn)
                if state is SchemaState.CURRENT and require_user:
                    known = conn.execute(
                        text("SELECT count(*) FROM app_user WHERE login = :login AND active"),
                        {"login": login},
                    ).scalar()
                    # A database without users yet: the role that logs in first
                    # becomes its first administrator (cli._acting_user).
                    first = conn.execute(text("SELECT id FROM app_user LIMIT 1")).first() is None
                    if not known and not first:
                        return ProbeResult(
                            Problem.NOT_A_USER, encrypted=encrypted, schema=state, login=login
                        )
        except AkquiseError as exc:
            return _failed(exc, url, login)
        except Exception as exc:  # the driver's, whatever its class
            from sqlalchemy.exc import DBAPIError

            if not isinstance(exc, DBAPIError | OSError):
                raise
            return _failed(exc, url, login)
    finally:
        db.dispose()
    problem = _SCHEMA_PROBLEMS.get(state)
    return ProbeResult(problem, encrypted=encrypted, schema=state, login=login, first_user=first)


def _failed(exc: BaseException, url: URL, login: str) -> ProbeResult:
    detail = hide_passwords(_first_line(_driver_error(exc)), url)
    return ProbeResult(classify(detail), detail=detail, login=login)
