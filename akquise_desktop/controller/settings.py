"""Activity types and the system settings (right: ``Module.SETTINGS``, scope all).

The system settings are one row (:class:`~akquise_desktop.models.SystemSettings`);
:func:`settings_row` reads it inside a write transaction, made with its defaults
where a database has none (a test that emptied the tables).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core import holidays_calendar, phones
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule

from .base import ControllerBase, _field, _Op, clean_text
from .commands import ActivityTypeData, SettingsData

ICON_NAME = re.compile(r"^mdi6\.[a-z0-9]+(-[a-z0-9]+)*$")
LANGUAGES = ("de", "en")


def settings_row(s: Session) -> m.SystemSettings:
    """The system settings' row (created with its defaults if missing)."""
    row = s.get(m.SystemSettings, m.SETTINGS_ID)
    if row is None:
        row = m.SystemSettings(id=m.SETTINGS_ID)
        s.add(row)
        s.flush()  # (the columns' defaults are the row's values from here on)
    return row


class SettingsOps(ControllerBase):
    """Activity types, system settings."""

    # --- activity types ----------------------------------------------------------------

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
            atype = m.ActivityType(name=clean, icon=_icon(icon), position=position)
            op.session.add(atype)
            op.session.flush()
            return atype.id

        return self._run("create_activity_type", body)

    def update_activity_type(self, type_id: int, data: ActivityTypeData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_settings(op)
            s = op.session
            atype = self._get(s, m.ActivityType, type_id, lock=True)
            clean = clean_text("name", data.name, required=True, column=m.ActivityType.name)
            if clean != atype.name:
                self._unique(s, m.ActivityType.name, clean)
            if atype.active and not data.active:
                others = s.execute(
                    select(func.count())
                    .select_from(m.ActivityType)
                    .where(m.ActivityType.active, m.ActivityType.id != atype.id)
                ).scalar_one()
                if not others:
                    raise DomainError(Rule.LAST_ACTIVITY_TYPE)
            atype.name = clean
            atype.icon = _icon(data.icon)
            atype.active = data.active
            return atype.id

        return self._run("update_activity_type", body)

    def move_activity_type(self, type_id: int, position: int) -> ChangeSummary:
        """Put an activity type at ``position`` (0 = first) of the list."""

        def body(op: _Op) -> int:
            self._require_settings(op)
            s = op.session
            types = list(
                s.scalars(
                    select(m.ActivityType)
                    .order_by(m.ActivityType.position, m.ActivityType.id)
                    .with_for_update()
                )
            )
            moving = next((t for t in types if t.id == type_id), None)
            if moving is None:
                return self._get(s, m.ActivityType, type_id)  # raises NOT_FOUND
            types.remove(moving)
            types.insert(max(0, min(int(position), len(types))), moving)
            for index, atype in enumerate(types):
                if atype.position != index:
                    atype.position = index
            return type_id

        return self._run("move_activity_type", body)

    # --- system settings -----------------------------------------------------------------

    def update_system_settings(self, data: SettingsData, *, expected_version: int) -> ChangeSummary:
        """Change the system settings; ``expected_version``: the version shown
        (0 for a database that had no row yet)."""

        def body(op: _Op) -> int:
            self._require_settings(op)
            s = op.session
            row = s.get(
                m.SystemSettings,
                m.SETTINGS_ID,
                with_for_update={"key_share": True},
                populate_existing=True,
            )
            if row is None:
                if expected_version not in (0, 1):
                    raise DomainError(
                        Rule.STALE, what_de="Einstellungen", what_en="Settings", id=m.SETTINGS_ID
                    )
                row = settings_row(s)
            else:
                self._check_version(row, expected_version, op)
            days = int(data.default_follow_up_days)
            if not 1 <= days <= 365:
                raise DomainError(
                    Rule.INVALID_VALUE, value=days, **_field("default_follow_up_days")
                )
            working = sorted(set(data.working_days))
            if not working or any(not 0 <= d <= 6 for d in working):
                raise DomainError(
                    Rule.INVALID_VALUE, value=working or "—", **_field("working_days")
                )
            region = (data.holiday_region or "").strip() or None
            if region is not None:
                region = holidays_calendar.normalize_region(region)
            phone_region = phones.region_or_default(data.phone_region, "")
            if not phone_region:
                raise DomainError(
                    Rule.INVALID_VALUE, value=data.phone_region or "—", **_field("phone_region")
                )
            if data.default_language not in LANGUAGES:
                raise DomainError(
                    Rule.INVALID_VALUE, value=data.default_language, **_field("language")
                )
            row.company_name = clean_text(
                "company_name", data.company_name, column=m.SystemSettings.company_name
            )
            row.default_follow_up_days = days
            row.recurring_follow_ups = bool(data.recurring_follow_ups)
            row.working_days = ",".join(str(d + 1) for d in working)
            row.holiday_region = region
            row.default_language = data.default_language
            row.phone_region = phone_region
            return row.id

        return self._run("update_system_settings", body)


def _icon(name: str) -> str:
    text = (name or "").strip()
    if not ICON_NAME.match(text) or len(text) > 60:
        raise DomainError(Rule.INVALID_VALUE, value=text[:60] or "—", **_field("icon"))
    return text
