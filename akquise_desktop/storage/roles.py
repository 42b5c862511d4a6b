"""PostgreSQL roles of a shared database (migration ``0009``): their names,
the owner role for upgrades, and the login roles of application users.

The roles are cluster-wide, so they carry the database's name (and the
schema's, if not ``public``): ``<prefix>_owner``, ``_users``, ``_admins``,
``_usermgr``. Login roles are made and disabled by the SECURITY DEFINER
functions ``akq_create_login`` / ``akq_set_login_active``; a password goes to
the server only as a SCRAM verifier computed here (as ``psql``'s
``\\password`` does), so it is in no statement, log line or error text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

KINDS = ("owner", "users", "admins", "usermgr")


def prefix(database: str, schema: str) -> str:
    """As ``0009.prefix``: the database's name (and the schema's, if not
    ``public``), at most 55 characters."""
    base = database if schema == "public" else f"{database}_{schema}"
    return base[:55]


def role_names(conn: Connection) -> dict[str, str]:
    """kind -> role name for the connection's database and schema."""
    database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
    p = prefix(str(database), str(schema))
    return {kind: f"{p}_{kind}" for kind in KINDS}


def use_owner(conn: Connection) -> bool:
    """For a migration: act as the owner role for the rest of the transaction,
    when it exists and the connected role may (a superuser or a member).
    Returns whether it does."""
    owner = role_names(conn)["owner"]
    found = conn.execute(
        text("SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = :r"),
        {"r": owner},
    ).scalar()
    if not found:
        return False
    conn.exec_driver_sql(f"SET LOCAL ROLE {quote(owner)}")
    return True


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def manages_logins(conn: Connection) -> bool:
    """Whether this database makes login roles for its users (PostgreSQL, 0009 applied)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(
        conn.execute(
            text("SELECT to_regprocedure('akq_create_login(name, text)') IS NOT NULL")
        ).scalar()
    )


def scram_verifier(conn: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for ``login``, computed by libpq
    on this side: the server stores it as the role's password."""
    raw: Any = conn.connection.driver_connection
    verifier = raw.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return bytes(verifier).decode("ascii")


def create_login(conn: Connection, login: str, password: str | None = None) -> None:
    """Make ``login`` (an application user in this transaction) a login role in
    the users group; with ``password``, its password. Refused by the server
    unless the caller is an administrator."""
    verifier = scram_verifier(conn, login, password) if password else None
    conn.execute(text("SELECT akq_create_login(:login, :verifier)"), {
        "login": login, "verifier": verifier,
    })  # fmt: skip


def set_login_active(conn: Connection, login: str, active: bool) -> None:
    """Enable or disable ``login``'s login role (NOLOGIN, or out of this
    database's users group if it is a user of another database too)."""
    conn.execute(
        text("SELECT akq_set_login_active(:login, :active)"), {"login": login, "active": active}
    )
