"""The acting user at start-up, found without the controller layer.

The GUI's start reads only; importing the controller (rules, policies,
recurrence, holidays …) just to find the user's id would lengthen every start.
Same rules as :func:`akquise_desktop.controller.bootstrap.resolve_user`
(``tests/test_acting_user.py`` checks that both agree). The statements are built
from the Core tables of :mod:`._exec`: the start imports no ORM model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, text

from akquise_desktop.core.errors import AkquiseError

from ._exec import ROLE_GROUP, USER

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def acting_user_id(s: Session, login: str | None, *, strict: bool = False) -> int:
    """The active user ``login``; when there is none and not ``strict``, the
    first active administrator. A deactivated user is refused either way (it
    must not become the administrator by not being let in)."""
    user, role_group = USER.c, ROLE_GROUP.c
    if login:
        found = s.execute(select(user.id, user.active).where(user.login == login)).first()
        if found is not None and found.active:
            return found.id
        if found is not None:
            raise AkquiseError(
                f"Benutzer {login!r} ist deaktiviert; eine Administratorin oder ein "
                "Administrator kann ihn in der Verwaltung wieder aktivieren."
            )
        if strict:
            raise AkquiseError(f"Benutzer {login!r} ist in dieser Datenbank unbekannt.")
    user_id = s.scalar(
        select(user.id)
        .select_from(USER)
        .join(ROLE_GROUP, role_group.id == user.role_group_id)
        .where(user.active, role_group.is_admin)
        .order_by(user.id)
        .limit(1)
    )
    if user_id is None:
        raise AkquiseError("Diese Datenbank hat keinen aktiven Administrator.")
    return user_id


def server_login(s: Session) -> tuple[str, bool]:
    """On PostgreSQL: the database role this session logged in as, and whether
    it is a superuser (who may act as any user, as with SQL it could anyway)."""
    role, superuser = s.execute(
        text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    ).one()
    return str(role), bool(superuser)


def server_user_id(s: Session, requested: str | None) -> int:
    """The acting user on PostgreSQL: the application user whose login is the
    database role — the role is the identity, ``--user`` can't change it. A
    superuser (administration, the benchmark) acts as ``requested``, or like
    the local database without it."""
    role, superuser = server_login(s)
    if superuser:
        return acting_user_id(s, requested, strict=bool(requested))
    if requested and requested != role:
        raise AkquiseError(
            f"Auf PostgreSQL ist die Anmeldung die Datenbankrolle „{role}“; als „{requested}“ "
            "arbeitet nur, wer sich als diese Rolle anmeldet."
        )
    user_id = s.scalar(select(USER.c.id).where(USER.c.login == role, USER.c.active))
    if user_id is None:
        raise AkquiseError(
            f"Die Datenbankrolle „{role}“ ist kein aktiver Benutzer von AkquiseDesktop "
            "in dieser Datenbank."
        )
    return user_id


def has_users(s: Session) -> bool:
    """Whether the database has any user (a new one has none)."""
    return s.scalar(select(USER.c.id).limit(1)) is not None


def display_name(s: Session, user_id: int) -> str | None:
    """The user's display name; None for an unknown id."""
    return s.scalar(select(USER.c.display_name).where(USER.c.id == user_id))
