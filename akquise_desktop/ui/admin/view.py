"""Verwaltung: the administration's sections on the left, the chosen page on
the right.

Which sections show follows the controller's checks exactly
(:func:`admin_sections`): users, teams and role groups need the administrator
group (``_require_admin``); campaigns the right ``CAMPAIGNS`` with scope all
(``_require_campaigns``); activity types and system settings the right
``SETTINGS`` with scope all (``_require_settings``) — an administrator has every
right with scope all. A page's module is imported and its widget made when the
section is first shown.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.models import Scope
from akquise_desktop.queries.admin import AdminRights, admin_rights

from .. import common
from ..services import Services
from .page import AdminPage

# The sections in the order shown: key -> (module, class, icon).
SECTIONS: dict[str, tuple[str, str, str]] = {
    "users": ("users_page", "UsersPage", "mdi6.account-outline"),
    "teams": ("teams_page", "TeamsPage", "mdi6.account-group-outline"),
    "role_groups": ("role_groups_page", "RoleGroupsPage", "mdi6.shield-account-outline"),
    "campaigns": ("campaigns_page", "CampaignsPage", "mdi6.flag-outline"),
    "activity_types": ("activity_types_page", "ActivityTypesPage", "mdi6.shape-outline"),
    "settings": ("settings_page", "SettingsPage", "mdi6.cog-outline"),
}


def admin_sections(rights: AdminRights) -> list[str]:
    """The section keys ``rights`` may use, in display order; empty: no
    administration at all (the main window hides "Verwaltung")."""
    admin = rights.is_admin
    allowed = {
        "users": admin,
        "teams": admin,
        "role_groups": admin,
        "campaigns": admin or rights.campaigns is Scope.ALL,
        "activity_types": admin or rights.settings is Scope.ALL,
        "settings": admin or rights.settings is Scope.ALL,
    }
    return [key for key in SECTIONS if allowed[key]]


class AdminView(QWidget):
    """The sections the acting user may use; each page made on first show.

    ``rights``: the acting user's (:func:`akquise_desktop.queries.admin.admin_rights`);
    None reads them. They are read again when users or role groups change.
    """

    def __init__(
        self, services: Services, rights: AdminRights | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AdminView")
        self.services = services
        self.rights = rights if rights is not None else AdminRights()
        self.pages: dict[str, QWidget] = {}
        self._build()
        services.bus.changed.connect(self._on_changed)
        if rights is None:
            self.reload_rights()
        else:
            self._fill_sections()

    @classmethod
    def for_rights(
        cls, services: Services, rights: AdminRights, parent: QWidget | None = None
    ) -> AdminView:
        return cls(services, rights, parent)

    def _titles(self) -> dict[str, str]:
        return {
            "users": self.tr("Users"),
            "teams": self.tr("Teams"),
            "role_groups": self.tr("Role groups"),
            "campaigns": self.tr("Campaigns"),
            "activity_types": self.tr("Activity types"),
            "settings": self.tr("Settings"),
        }

    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sections = QListWidget()
        self.sections.setObjectName("adminSections")
        self.sections.setAccessibleName(self.tr("Administration sections"))
        self.sections.setIconSize(QSize(20, 20))
        self.sections.setSpacing(1)
        self.sections.setFixedWidth(190)
        self.sections.currentRowChanged.connect(self._section_changed)
        self.stack = QStackedWidget()
        self.none_label = QLabel(
            self.tr("Your role group gives you no part of the administration.")
        )
        self.none_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.none_label.setWordWrap(True)
        self.stack.addWidget(self.none_label)
        layout.addWidget(self.sections)
        layout.addWidget(self.stack, 1)

    # --- rights and sections ---------------------------------------------------------

    def visible_sections(self) -> list[str]:
        return [
            self.sections.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.sections.count())
        ]

    def reload_rights(self) -> None:
        user_id = self.services.user_id
        self.services.read(lambda s: admin_rights(s, user_id), self.set_rights)

    def set_rights(self, rights: AdminRights) -> None:
        if rights == self.rights and self.sections.count():
            return
        self.rights = rights
        self._fill_sections()

    def _on_changed(self, summary: ChangeSummary) -> None:
        if summary.touches(Entity.USER, Entity.ROLE_GROUP):
            self.reload_rights()

    def _fill_sections(self) -> None:
        current = self.current_section()
        keys = admin_sections(self.rights)
        for key in list(self.pages):
            if key not in keys:  # a right lost: the page goes
                page = self.pages.pop(key)
                self.stack.removeWidget(page)
                page.deleteLater()
        titles = self._titles()
        self.sections.blockSignals(True)
        self.sections.clear()
        for key in keys:
            item = QListWidgetItem(common.icon(SECTIONS[key][2], "#37474F"), titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 32))
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        if not keys:
            self.stack.setCurrentWidget(self.none_label)
            return
        self.show_section(current if current in keys else keys[0])

    # --- pages -------------------------------------------------------------------------

    def current_section(self) -> str | None:
        item = self.sections.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_section(self, key: str) -> QWidget | None:
        """Show section ``key`` (made now if new); None if it is not offered."""
        keys = self.visible_sections()
        if key not in keys:
            return None
        row = keys.index(key)
        if self.sections.currentRow() != row:
            self.sections.setCurrentRow(row)  # comes back here through the signal
            return self.pages.get(key)
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        return page

    def page(self, key: str) -> QWidget:
        """Section ``key``'s page, made (its module imported) on first use; a
        note in its place when this build has no such page module."""
        page = self.pages.get(key)
        if page is None:
            module_name, class_name, _icon = SECTIONS[key]
            full_name = f"{__package__}.{module_name}"
            try:
                module = importlib.import_module(full_name)
            except ModuleNotFoundError as exc:
                if exc.name != full_name:
                    raise
                page = QLabel(self.tr("This part of the administration is not available yet."))
                page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            else:
                page = getattr(module, class_name)(self.services, self)
            page.setObjectName(f"adminPage_{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
            if isinstance(page, AdminPage):
                page.reload()
        return page

    def _section_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.sections.item(row).data(Qt.ItemDataRole.UserRole)
        self.stack.setCurrentWidget(self.page(key))
