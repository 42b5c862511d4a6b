"""The acting user at start-up, found without the controller layer.

The GUI's start reads only; importing the controller (rules, policies,
recurrence, holidays …) just to find the user's id would lengthen every start.
Same rules as :func:`akquise_desktop.controller.bootstrap.resolve_user`
(``tests/test_queries_users.py`` checks that both agree).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.errors import AkquiseError


def acting_user_id(s: Session, login: str | None, *, strict: bool = False) -> int:
    """The active user ``login``; when there is none and not ``strict``, the
    first active administrator."""
    if login:
        user_id = s.scalar(select(m.User.id).where(m.User.login == login, m.User.active))
        if user_id is not None:
            return user_id
        if strict:
            raise AkquiseError(f"Benutzer {login!r} ist in dieser Datenbank unbekannt.")
    user_id = s.scalar(
        select(m.User.id)
        .join(m.RoleGroup)
        .where(m.User.active, m.RoleGroup.is_admin)
        .order_by(m.User.id)
        .limit(1)
    )
    if user_id is None:
        raise AkquiseError("Diese Datenbank hat keinen aktiven Administrator.")
    return user_id
