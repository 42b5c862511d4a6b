"""Administration: users, teams and role groups (rights and chain policies);
administrators only.

Guards kept here, whatever the client: the administrator group cannot be
restricted; the last active administrator can be neither deactivated nor moved
out of the administrator group; nobody changes their own role group; a team or
role group still in use is not deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.storage import roles

from .base import ControllerBase, _field, _Op, _zone, clean_text
from .commands import RoleGroupData, UserData
from .settings import settings_row


class AdminOps(ControllerBase):
    """Teams, role groups, users."""

    # --- teams ------------------------------------------------------------------------

    def create_team(self, name: str) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Teams anlegen", "create teams")
            clean = clean_text("name", name, required=True, column=m.Team.name)
            self._unique(op.session, m.Team.name, clean)
            team = m.Team(name=clean, created_at=op.now)
            op.session.add(team)
            op.session.flush()
            return team.id

        return self._run("create_team", body)

    def rename_team(self, team_id: int, name: str) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Teams umbenennen", "rename teams")
            team = self._get(op.session, m.Team, team_id, lock=True)
            clean = clean_text("name", name, required=True, column=m.Team.name)
            if clean != team.name:
                self._unique(op.session, m.Team.name, clean)
                team.name = clean
            return team.id

        return self._run("rename_team", body)

    def delete_team(self, team_id: int) -> ChangeSummary:
        """Delete a team without members (active or not: their history names it)."""

        def body(op: _Op) -> int:
            self._require_admin(op, "Teams löschen", "delete teams")
            team = self._get(op.session, m.Team, team_id, lock=True)
            members = _count(op.session, m.User.team_id == team.id)
            if members:
                raise DomainError(
                    Rule.IN_USE, name=team.name, count=members, what_de="Benutzer",
                    what_en="users",
                )  # fmt: skip
            op.session.delete(team)
            return team.id

        return self._run("delete_team", body)

    # --- role groups ------------------------------------------------------------------

    def create_role_group(self, data: RoleGroupData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen anlegen", "create role groups")
            clean = clean_text("name", data.name, required=True, column=m.RoleGroup.name)
            self._unique(op.session, m.RoleGroup.name, clean)
            group = m.RoleGroup(name=clean, created_at=op.now)
            self._apply_role_group(group, data)
            op.session.add(group)
            op.session.flush()
            return group.id

        return self._run("create_role_group", body)

    def update_role_group(self, group_id: int, data: RoleGroupData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen ändern", "change role groups")
            group = self._get(op.session, m.RoleGroup, group_id, lock=True)
            if group.is_admin and (
                not data.is_admin or any(Scope(s) is not Scope.ALL for s in data.rights.values())
            ):
                raise DomainError(Rule.ADMIN_GROUP_UNRESTRICTED)
            clean = clean_text("name", data.name, required=True, column=m.RoleGroup.name)
            if clean != group.name:
                self._unique(op.session, m.RoleGroup.name, clean)
            group.name = clean  # type: ignore[assignment]
            self._apply_role_group(group, data)
            return group.id

        return self._run("update_role_group", body)

    def duplicate_role_group(self, group_id: int, name: str) -> ChangeSummary:
        """A new role group with ``group_id``'s rights and policies (never an
        administrator group: its rights are the point of a copy)."""

        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen anlegen", "create role groups")
            source = self._get(op.session, m.RoleGroup, group_id)
            clean = clean_text("name", name, required=True, column=m.RoleGroup.name)
            self._unique(op.session, m.RoleGroup.name, clean)
            rights = {Module(r.module): Scope(r.scope) for r in source.rights}
            if source.is_admin:
                rights = {module: Scope.ALL for module in Module}
            group = m.RoleGroup(name=clean, created_at=op.now)
            self._apply_role_group(
                group,
                RoleGroupData(
                    name=clean,  # type: ignore[arg-type]
                    follow_up_requires_activity=source.follow_up_requires_activity,
                    activity_requires_follow_up=source.activity_requires_follow_up,
                    rights=rights,
                ),
            )
            op.session.add(group)
            op.session.flush()
            return group.id

        return self._run("duplicate_role_group", body)

    def delete_role_group(self, group_id: int) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen löschen", "delete role groups")
            group = self._get(op.session, m.RoleGroup, group_id, lock=True)
            if group.is_admin:
                raise DomainError(Rule.ADMIN_GROUP_UNRESTRICTED)
            users = _count(op.session, m.User.role_group_id == group.id)
            if users:
                raise DomainError(
                    Rule.IN_USE, name=group.name, count=users, what_de="Benutzer",
                    what_en="users",
                )  # fmt: skip
            op.session.delete(group)
            return group.id

        return self._run("delete_role_group", body)

    @staticmethod
    def _apply_role_group(group: m.RoleGroup, data: RoleGroupData) -> None:
        group.is_admin = data.is_admin
        group.follow_up_requires_activity = data.follow_up_requires_activity
        group.activity_requires_follow_up = data.activity_requires_follow_up
        wanted = {Module(k).value: Scope(v).value for k, v in data.rights.items()}
        existing = {r.module: r for r in group.rights}
        for module, right in existing.items():
            if module not in wanted:
                group.rights.remove(right)
        for module, scope in wanted.items():
            if module in existing:
                existing[module].scope = scope
            else:
                group.rights.append(m.RoleGroupRight(module=module, scope=scope))

    # --- users ------------------------------------------------------------------------

    def create_user(
        self,
        login: str,
        display_name: str,
        *,
        role_group_id: int,
        team_id: int | None = None,
        email: str | None = None,
        time_zone: str = "Europe/Berlin",
        default_follow_up_days: int | None = None,
        password: str | None = None,
    ) -> ChangeSummary:
        """A new user. On a shared PostgreSQL database also their login role
        (in the users group), with ``password`` if given (it goes to the server
        only as a SCRAM verifier, see :mod:`akquise_desktop.storage.roles`)."""
        data = UserData(
            login=login,
            display_name=display_name,
            role_group_id=role_group_id,
            team_id=team_id,
            email=email,
            time_zone=time_zone,
            default_follow_up_days=default_follow_up_days,
        )

        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer anlegen", "create users")
            user_id = _add_user(op.session, data, now=op.now)
            _login_role(op.session, data.login.strip(), data.active, password=password, new=True)
            return user_id

        return self._run("create_user", body)

    def update_user(self, user_id: int, data: UserData) -> ChangeSummary:
        """Change a user's login, name, e-mail, team, role group, time zone,
        default follow-up days and active flag."""

        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer ändern", "change users")
            s = op.session
            user = self._get(s, m.User, user_id, lock=True)
            group = self._get(s, m.RoleGroup, data.role_group_id)
            if user.active and user.role_group.is_admin and (not group.is_admin or not data.active):
                _require_other_admin(s, user.id)
            if user.id == op.actor.id and group.id != user.role_group_id:
                raise DomainError(Rule.OWN_ACCOUNT)
            login = clean_text("login", data.login, required=True)
            if login != user.login:
                self._unique(s, m.User.login, login)
            if data.team_id is not None:
                self._get(s, m.Team, data.team_id)
            _zone(data.time_zone)
            user.login = login  # type: ignore[assignment]
            user.display_name = clean_text("display_name", data.display_name, required=True)  # type: ignore[assignment]
            user.email = clean_text("email", data.email)
            user.team_id = data.team_id
            user.role_group_id = group.id
            user.time_zone = data.time_zone
            if data.default_follow_up_days is not None:
                user.default_follow_up_days = _days(data.default_follow_up_days)
            was_active, user.active = user.active, data.active
            if was_active != data.active:
                _login_role(s, user.login, data.active)
            return user.id

        return self._run("update_user", body)

    def set_user_active(self, user_id: int, active: bool) -> ChangeSummary:
        """Deactivate (or reactivate) a user: an inactive user can't log in and
        keeps their history; their open follow-ups stay theirs until rebooked."""

        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer sperren", "deactivate users")
            user = self._get(op.session, m.User, user_id, lock=True)
            if not active and user.active and user.role_group.is_admin:
                _require_other_admin(op.session, user.id)
            if user.active != active:
                _login_role(op.session, user.login, active)
            user.active = active
            return user.id

        return self._run("set_user_active", body)


def _login_role(
    s: Session, login: str, active: bool, *, password: str | None = None, new: bool = False
) -> None:
    """On a shared PostgreSQL database (migration 0009): create, enable or
    disable the user's login role. The server refuses unless the session's
    login is an administrator; its refusal names no password."""
    conn = s.connection()
    if not roles.manages_logins(conn):
        return
    s.flush()  # the server function looks the user up
    try:
        with conn.begin_nested():
            if new:
                roles.create_login(conn, login, password)
                if not active:
                    roles.set_login_active(conn, login, False)
            else:
                roles.set_login_active(conn, login, active)
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise DomainError(
            Rule.INVALID_VALUE, value=reason, field_de="Datenbankrolle", field_en="database role"
        ) from None


def _count(s: Session, condition) -> int:
    return s.execute(select(func.count()).select_from(m.User).where(condition)).scalar_one()


def _require_other_admin(s: Session, user_id: int) -> None:
    """Refuse unless an active administrator other than ``user_id`` remains."""
    others = s.execute(
        select(func.count())
        .select_from(m.User)
        .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
        .where(m.RoleGroup.is_admin, m.User.active, m.User.id != user_id)
    ).scalar_one()
    if not others:
        raise DomainError(Rule.LAST_ADMIN)


def _days(value: int) -> int:
    if not 1 <= int(value) <= 365:
        raise DomainError(Rule.INVALID_VALUE, value=value, **_field("default_follow_up_days"))
    return int(value)


def _add_user(s: Session, data: UserData, *, now: datetime) -> int:
    """A new user (also the first one, in :func:`.bootstrap.bootstrap`)."""
    clean_login = clean_text("login", data.login, required=True)
    ControllerBase._unique(s, m.User.login, clean_login)
    ControllerBase._get(s, m.RoleGroup, data.role_group_id)
    if data.team_id is not None:
        ControllerBase._get(s, m.Team, data.team_id)
    _zone(data.time_zone)
    days = data.default_follow_up_days
    user = m.User(
        login=clean_login,
        display_name=clean_text("display_name", data.display_name, required=True),
        email=clean_text("email", data.email),
        team_id=data.team_id,
        role_group_id=data.role_group_id,
        time_zone=data.time_zone,
        default_follow_up_days=(
            _days(days) if days is not None else settings_row(s).default_follow_up_days
        ),
        active=data.active,
        created_at=now,
    )
    s.add(user)
    s.flush()
    return user.id
