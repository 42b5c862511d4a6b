"""``akquise-desktop admin create-user``: a user (and, on a shared PostgreSQL
database, their login role) from a script.

The password comes from a prompt (twice) or, with ``--password-stdin``, from
the first line of standard input — never from the command line, where other
users of the machine and the shell history would see it. In a database
without users the new user becomes its first administrator.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from akquise_desktop.core.errors import AkquiseError


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    admin = sub.add_parser("admin", parents=[common], help="Benutzerverwaltung für Skripte")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="AKTION", required=True)
    create = admin_sub.add_parser(
        "create-user",
        parents=[common],
        help="einen Benutzer (auf PostgreSQL mit seiner Anmelderolle) anlegen",
    )
    create.add_argument("login", metavar="LOGIN", help="Anmeldename (auf PostgreSQL: die Rolle)")
    create.add_argument("--name", required=True, help="Anzeigename")
    create.add_argument(
        "--role-group",
        metavar="NAME",
        help="Rollengruppe (Vorgabe: Vertrieb; der erste Benutzer: Administratoren)",
    )
    create.add_argument("--team", metavar="NAME", help="Team")
    create.add_argument("--email", metavar="ADRESSE")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="Passwort aus der ersten Zeile der Standardeingabe (sonst Abfrage, wenn ein "
        "Terminal da ist, sonst keines)",
    )


def read_password(args: argparse.Namespace, stdin: TextIO | None = None) -> str | None:
    """The new user's password: stdin's first line, a prompt (twice), or None."""
    stdin = stdin or sys.stdin
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n")
        return password or None
    if not stdin.isatty():
        return None
    first = getpass.getpass("Passwort (leer: keines): ")
    if not first:
        return None
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise AkquiseError("Die Passwörter stimmen nicht überein.")
    return first


def create_user(db, args: argparse.Namespace, acting_login: str, strict: bool) -> int:
    from sqlalchemy import select

    from akquise_desktop import models as m
    from akquise_desktop.controller import Controller, bootstrap
    from akquise_desktop.controller.bootstrap import SALES_GROUP
    from akquise_desktop.queries.users import has_users
    from akquise_desktop.storage import roles

    db.open(create=False)
    password = read_password(args)
    with db.read() as s:
        first = not has_users(s)
    if first:
        if args.role_group or args.team:
            raise AkquiseError(
                "Der erste Benutzer einer Datenbank wird ihr Administrator, ohne Team: "
                "--role-group und --team erst ab dem zweiten."
            )
        user_id = bootstrap(db, args.login, args.name)
        if not db.is_sqlite:
            with db.write() as s:
                if roles.manages_logins(s.connection()):
                    roles.create_login(s.connection(), args.login, password)
        print(f"Benutzer {args.login} (#{user_id}) angelegt, als erster Administrator.")
        return 0
    from akquise_desktop.cli import _acting_user

    actor = _acting_user(db, acting_login, strict=strict)
    with db.read() as s:
        group_name = args.role_group or SALES_GROUP
        group_id = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == group_name))
        if group_id is None:
            raise AkquiseError(f"Keine Rollengruppe „{group_name}“ in dieser Datenbank.")
        team_id = None
        if args.team:
            team_id = s.scalar(select(m.Team.id).where(m.Team.name == args.team))
            if team_id is None:
                raise AkquiseError(f"Kein Team „{args.team}“ in dieser Datenbank.")
    summary = Controller(db, actor).create_user(
        args.login,
        args.name,
        role_group_id=group_id,
        team_id=team_id,
        email=args.email,
        password=password,
    )
    print(f"Benutzer {args.login} (#{summary.result_id}) angelegt.")
    return 0
