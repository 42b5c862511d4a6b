"""Administration: teams, role groups (rights and chain policies), users
(administrators only) and activity types (right: ``Module.SETTINGS``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope

from .base import ControllerBase, _Op, _zone, clean_text
from .commands import RoleGroupData


class AdminOps(ControllerBase):
    """Teams, role groups, users, activity types."""

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
            group = self._get(op.session, m.RoleGroup, group_id)
            if group.is_admin and (
                not data.is_admin or any(Scope(s) is not Scope.ALL for s in data.rights.values())
            ):
                raise DomainError(Rule.ADMIN_GROUP_UNRESTRICTED)
            group.name = clean_text("name", data.name, required=True, column=m.RoleGroup.name)  # type: ignore
            self._apply_role_group(group, data)
            return group.id

        return self._run("update_role_group", body)

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

    def create_user(
        self,
        login: str,
        display_name: str,
        *,
        role_group_id: int,
        team_id: int | None = None,
        email: str | None = None,
        time_zone: str = "Europe/Berlin",
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer anlegen", "create users")
            return _add_user(
                op.session,
                login,
                display_name,
                role_group_id=role_group_id,
                team_id=team_id,
                email=email,
                time_zone=time_zone,
                now=op.now,
            )

        return self._run("create_user", body)

    def set_user_active(self, user_id: int, active: bool) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer sperren", "deactivate users")
            user = self._get(op.session, m.User, user_id)
            if not active and user.role_group.is_admin:
                other_admins = op.session.scalar(
                    select(func.count())
                    .select_from(m.User)
                    .join(m.RoleGroup)
                    .where(m.RoleGroup.is_admin, m.User.active, m.User.id != user.id)
                )
                if not other_admins:
                    raise DomainError(Rule.LAST_ADMIN)
            user.active = active
            return user.id

        return self._run("set_user_active", body)

    def create_activity_type(
        self, name: str, icon: str = "mdi6.note-text-outline"
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_settings(op)
            clean = clean_text("name", name, required=True, column=m.ActivityType.name)
            self._unique(op.session, m.ActivityType.name, clean)
            position = (
                op.session.execute(
                    select(func.coalesce(func.max(m.ActivityType.position), 0))
                ).scalar_one()
                + 1
            )
            atype = m.ActivityType(name=clean, icon=icon, position=position)
            op.session.add(atype)
            op.session.flush()
            return atype.id

        return self._run("create_activity_type", body)


def _add_user(
    s: Session,
    login: str,
    display_name: str,
    *,
    role_group_id: int,
    team_id: int | None,
    email: str | None,
    time_zone: str,
    now: datetime,
) -> int:
    clean_login = clean_text("login", login, required=True)
    ControllerBase._unique(s, m.User.login, clean_login)
    ControllerBase._get(s, m.RoleGroup, role_group_id)
    if team_id is not None:
        ControllerBase._get(s, m.Team, team_id)
    _zone(time_zone)
    user = m.User(
        login=clean_login,
        display_name=clean_text("display_name", display_name, required=True),
        email=clean_text("email", email),
        team_id=team_id,
        role_group_id=role_group_id,
        time_zone=time_zone,
        created_at=now,
    )
    s.add(user)
    s.flush()
    return user.id
