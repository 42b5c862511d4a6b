"""A new database's first user, role groups and activity types; who is acting."""

from __future__ import annotations

from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock
from akquise_desktop.models import Module, Scope
from akquise_desktop.storage import Database

from . import templates
from .admin import _add_user
from .base import clean_text
from .campaigns import add_campaign
from .commands import FirstRun, UserData
from .settings import settings_row
from .unit_of_work import UnitOfWork

DEFAULT_ACTIVITY_TYPES = [
    ("Telefonat", "mdi6.phone"),
    ("E-Mail", "mdi6.email-outline"),
    ("Besuch", "mdi6.handshake-outline"),
    ("Termin", "mdi6.calendar-clock"),
    ("Brief", "mdi6.email-open-outline"),
    ("Notiz", "mdi6.note-text-outline"),
    ("Kampagne", "mdi6.flag-outline"),
]
SALES_RIGHTS = {
    Module.RECORDS: Scope.TEAM,
    Module.CONTACTS: Scope.TEAM,
    Module.ACTIVITIES: Scope.TEAM,
    Module.CANCEL_FOLLOW_UPS: Scope.NONE,
    Module.CAMPAIGNS: Scope.NONE,
    Module.BULK_EDIT: Scope.NONE,
    Module.IMPORT_EXPORT: Scope.NONE,
    Module.STATISTICS: Scope.OWN,
    Module.SETTINGS: Scope.NONE,
}
ADMIN_GROUP = "Administratoren"
SALES_GROUP = "Vertrieb"


def bootstrap(
    db: Database,
    login: str,
    display_name: str | None = None,
    *,
    setup: FirstRun | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Set up an empty database for its first user (an administrator): the
    role groups "Administratoren" and "Vertrieb", the activity types, and with
    ``setup`` (the first-run wizard) the user's e-mail, the company's name and
    a ready campaign from :mod:`.templates` — one transaction, audited.

    Does nothing on a database that has users; returns the id of the user
    with ``login`` (or of the first administrator if there is none such).
    """
    with db.write() as s:
        if s.scalar(select(func.count()).select_from(m.User)):
            return resolve_user(db, login, session=s)
        now = clock.now()
        uow = UnitOfWork(s, "bootstrap", None, now)
        admin = m.RoleGroup(name=ADMIN_GROUP, is_admin=True)
        sales = m.RoleGroup(
            name=SALES_GROUP,
            rights=[
                m.RoleGroupRight(module=k.value, scope=v.value) for k, v in SALES_RIGHTS.items()
            ],
        )
        s.add_all([admin, sales])
        for position, (name, icon) in enumerate(DEFAULT_ACTIVITY_TYPES):
            s.add(m.ActivityType(name=name, icon=icon, position=position))
        s.flush()
        user_id = _add_user(
            s,
            UserData(
                login=login,
                display_name=display_name or login,
                role_group_id=admin.id,
                email=setup.email if setup else None,
            ),
            now=now,
        )
        if setup is not None:
            row = settings_row(s)
            row.company_name = clean_text(
                "company_name", setup.company_name, column=m.SystemSettings.company_name
            )
            if setup.campaign_template:
                chosen = templates.template(setup.campaign_template)
                add_campaign(s, chosen.name_de, chosen.statuses, description=None, now=now)
        uow.finish()
        return user_id


def resolve_user(db: Database, login: str | None, *, strict: bool = False, session=None) -> int:
    """The acting user's id (:func:`akquise_desktop.queries.users.acting_user_id`):
    the active user ``login``; when there is none and not ``strict``, the first
    active administrator; a deactivated ``login`` is refused."""
    from akquise_desktop.queries.users import acting_user_id

    def find(s) -> int:
        return acting_user_id(s, login, strict=strict)

    if session is not None:
        return find(session)
    with db.read() as s:
        return find(s)
