"""The main window: navigation between the views, the record view, menus
with a shortcut for every action, and a status bar with database and user.

Window size, splitters, column layout and the last view are remembered
(:class:`~akquise_desktop.ui.settings.Settings`).

Only the view shown first is built (and queried) at start; every other view
— its module imported, its widgets made, its first query run, its remembered
state restored — when it is first shown or asked for (the ``record_list``,
``record_view`` … properties). A view not built yet has nothing to refresh:
it reads the database when it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity

from . import common, help_dialogs, views
from .i18n import current_language
from .services import Services
from .settings import LANGUAGES, Settings
from .views import ADMIN_PAGE, RECORD_PAGE

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from akquise_desktop.queries.admin import AdminRights
    from akquise_desktop.queries.records import RecordCriteria

    from .activity_stream import ActivityStreamView
    from .campaigns_view import CampaignsView
    from .dead_records import DeadRecordsView
    from .follow_up_list import FollowUpListView
    from .lookup_store import LookupStore
    from .power_tools import PowerTools
    from .record_list import RecordListView
    from .record_view import RecordView

VIEW_KEYS = ("follow_ups", "records", "stream", "dead", "campaigns")
# Verwaltung: last in the navigation, shown to who may use a part of it
# (ui/admin/view.py admin_sections), never the view a start opens with.
NAV_KEYS = (*VIEW_KEYS, ADMIN_PAGE)
ICONS = {
    ADMIN_PAGE: "mdi6.cog-outline",
    "follow_ups": "mdi6.calendar-check-outline",
    "records": "mdi6.card-account-details-outline",
    "stream": "mdi6.timeline-text-outline",
    "dead": "mdi6.skull-outline",
    "campaigns": "mdi6.flag-outline",
}


class MainWindow(QMainWindow):
    """Navigation on the left, the current view on the right."""

    language_change_requested = Signal(str)
    connection_change_requested = Signal()
    closed = Signal()  # really closed (not kept in the tray)

    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        db_description: str,
        user_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.services = services
        self.settings = settings
        self.setWindowIcon(common.icon("mdi6.handshake-outline", "#1565C0"))
        self._lookup_store: LookupStore | None = None
        self._power_tools: PowerTools | None = None
        self._previous_page: str | None = None
        # The tray (ui/tray.py): whether closing keeps the app in the tray;
        # File > Quit always ends it.
        self.keep_in_tray: Callable[[], bool] | None = None
        self._quitting = False
        self._follow_up_to_select: tuple[int, int] | None = None
        self.admin_rights: AdminRights | None = None  # None: not asked yet
        self._build_views()
        self._build_navigation()
        self._build_menus()
        self._build_status_bar(db_description, user_name)
        self._build_call_bar()
        # Who may see "Verwaltung": asked once the first screen is answered.
        services.bus.changed.connect(self._admin_rights_changed)
        if services.worker.pending():
            services.worker.idle.connect(self._load_admin_rights_when_idle)
        else:
            self.load_admin_rights()
        self.resize(1280, 800)
        self.restore_state()

    # --- views ------------------------------------------------------------------------

    def _build_views(self) -> None:
        self.pages: dict[str, QWidget] = {}  # the views built so far
        self.stack = QStackedWidget(self)
        # The view shown first is built before anything else, so its queries
        # are the first in the worker's queue.
        first = self.settings.last_view
        self.page(first if first in VIEW_KEYS else VIEW_KEYS[0])

    def page(self, key: str) -> QWidget:
        """The view ``key`` (one of VIEW_KEYS or RECORD_PAGE), built on first use."""
        page = self.pages.get(key)
        if page is None:
            page = self._make_page(key)
            self.pages[key] = page
            self.stack.addWidget(page)
            if hasattr(page, "restore_state"):
                page.restore_state(self.settings)
        return page

    def _make_page(self, key: str) -> QWidget:
        return views.make_page(self, key)

    def is_built(self, key: str) -> bool:
        return key in self.pages

    @property
    def follow_up_list(self) -> FollowUpListView:
        return self.page("follow_ups")  # type: ignore[return-value]

    @property
    def record_list(self) -> RecordListView:
        return self.page("records")  # type: ignore[return-value]

    @property
    def activity_stream(self) -> ActivityStreamView:
        return self.page("stream")  # type: ignore[return-value]

    @property
    def dead_records(self) -> DeadRecordsView:
        return self.page("dead")  # type: ignore[return-value]

    @property
    def campaigns(self) -> CampaignsView:
        return self.page("campaigns")  # type: ignore[return-value]

    @property
    def record_view(self) -> RecordView:
        return self.page(RECORD_PAGE)  # type: ignore[return-value]

    @property
    def lookup_store(self) -> LookupStore:
        """The reference lists of the record list and the record view, loaded
        when the first of them is built."""
        if self._lookup_store is None:
            from .lookup_store import LookupStore

            self._lookup_store = LookupStore(self.services, self)
            self._lookup_store.refresh()
        return self._lookup_store

    @property
    def power_tools(self) -> PowerTools:
        assert self._power_tools is not None
        return self._power_tools

    def _titles(self) -> dict[str, str]:
        return {
            "follow_ups": self.tr("My follow-ups"),
            "records": self.tr("Records"),
            "stream": self.tr("Activity stream"),
            "dead": self.tr("Dead records"),
            "campaigns": self.tr("Campaigns"),
            ADMIN_PAGE: self.tr("Administration"),
        }

    def _build_navigation(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        titles = self._titles()
        for number, key in enumerate(NAV_KEYS, start=1):
            item = QListWidgetItem(common.icon(ICONS[key], "#37474F"), titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{titles[key]} (Ctrl+{number})")
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
        self.nav.item(NAV_KEYS.index(ADMIN_PAGE)).setHidden(True)  # until the rights are known
        self.nav.setMinimumWidth(170)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([190, 1090])
        self.setCentralWidget(self.splitter)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_record_action = self._action(
            self.tr("&New record …"), "Ctrl+Shift+N", self.new_record, "mdi6.domain-plus"
        )
        file_menu.addAction(self.new_record_action)
        # The call in progress (ui/calls.py): log it as a Telefonat.
        from .calls import LOG_CALL_KEYS

        self.log_call_action = self._action(
            self.tr("&Log phone call …"), LOG_CALL_KEYS, self.log_call, "mdi6.phone-log"
        )
        self.log_call_action.setEnabled(self.services.calls.current is not None)
        file_menu.addAction(self.log_call_action)
        file_menu.addSeparator()
        self.switch_connection_action = self._action(
            self.tr("Switch &connection …"), None, self.connection_change_requested.emit,
            "mdi6.database-arrow-right-outline",
        )  # fmt: skip
        file_menu.addAction(self.switch_connection_action)
        file_menu.addSeparator()
        self.quit_action = self._action(
            self.tr("&Quit"), QKeySequence(QKeySequence.StandardKey.Quit), self.quit
        )
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu(self.tr("&View"))
        self.view_actions: dict[str, QAction] = {}
        titles = self._titles()
        for number, key in enumerate(NAV_KEYS, start=1):
            action = self._action(
                titles[key], f"Ctrl+{number}", lambda _=False, k=key: self.show_view(k), ICONS[key]
            )
            self.view_actions[key] = action
            view_menu.addAction(action)
        self.view_actions[ADMIN_PAGE].setVisible(False)
        view_menu.addSeparator()
        self.find_action = self._action(
            self.tr("&Find record"), QKeySequence(QKeySequence.StandardKey.Find), self.find_record,
            "mdi6.magnify",
        )  # fmt: skip
        self.find_action.setShortcuts([QKeySequence("Ctrl+F")])
        view_menu.addAction(self.find_action)
        self.back_action = self._action(
            self.tr("&Back"), QKeySequence("Alt+Left"), self.go_back, "mdi6.arrow-left"
        )
        view_menu.addAction(self.back_action)
        self.refresh_action = self._action(
            self.tr("&Refresh"), QKeySequence("F5"), self.refresh_current, "mdi6.refresh"
        )
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, name in (("de", "&Deutsch"), ("en", "&English")):
            action = QAction(name, self, checkable=True)
            action.setChecked(current_language() == lang)
            action.triggered.connect(lambda _=False, code=lang: self.set_language(code))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[lang] = action

        # Follow-up power tools (issue 5, ui/power_tools.py): bulk editing,
        # rebooking, calendar export — an "Extras" menu and list context menus.
        from .power_tools import PowerTools

        self._power_tools = PowerTools(
            self.services, self, record_list=self.pages.get("records"),
            follow_up_list=self.pages.get("follow_ups"), current_view=self.stack.currentWidget,
        )  # fmt: skip
        bar.addMenu(self._power_tools.menu)
        # Export and backups (issue 16, ui/data_tools.py).
        from .data_tools import install

        self.data_tools = install(
            self, self.services, self.settings, file_menu, self._power_tools.menu,
            before=self.switch_connection_action,
        )  # fmt: skip

        help_menu = bar.addMenu(self.tr("&Help"))
        self.shortcuts_action = self._action(
            self.tr("&Keyboard shortcuts"), QKeySequence("F1"), self.show_shortcuts,
            "mdi6.keyboard-outline",
        )  # fmt: skip
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self._action(self.tr("&About AkquiseDesktop"), None, self.show_about))

    def _action(self, text: str, shortcut, slot, icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(common.icon(icon_name, "#37474F"))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_status_bar(self, db_description: str, user_name: str) -> None:
        bar = self.statusBar()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setToolTip(self.tr("Working on the database …"))
        self.busy.hide()
        self.db_label = QLabel(self)
        self.db_label.setObjectName("db_label")
        self.db_label.setText(self.tr("Database: %1").replace("%1", db_description))
        self.user_label = QLabel(self)
        self.user_label.setObjectName("user_label")
        self.set_user(user_name)
        self.tls_label = QLabel(self)
        self.tls_label.setObjectName("tls_label")
        self.tls_label.hide()  # (a local file: nothing to encrypt)
        from .live import LinkStatus

        self.link_status = LinkStatus(self.services.link, self)
        bar.addPermanentWidget(self.link_status)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.tls_label)
        bar.addPermanentWidget(self.db_label)
        bar.addPermanentWidget(self.user_label)
        self.services.worker.busy_changed.connect(self.busy.setVisible)

    def _build_call_bar(self) -> None:
        from .calls import CallBar

        self.call_bar = CallBar(self.services, self)
        self.call_bar.log_requested.connect(self.log_call)
        self.add_banner(self.call_bar)
        self.services.calls.changed.connect(self._call_changed)

    def _call_changed(self) -> None:
        self.log_call_action.setEnabled(self.services.calls.current is not None)

    def log_call(self):
        """The call in progress as an activity: its record shown, the activity
        dialog with type *Telefonat*, contact person and duration filled in.
        Returns the dialog (None: no call in progress)."""
        call = self.services.calls.current
        if call is None:
            self.statusBar().showMessage(self.tr("No call in progress."), 4000)
            return None
        if self.current_page() != RECORD_PAGE or self.record_view.record_id != call.record_id:
            self.open_record(call.record_id)
        return self.record_view.log_activity(call=call)

    def set_encryption(self, encrypted: bool | None) -> None:
        """Show whether the server connection is encrypted (None: a local file)."""
        self.tls_label.setVisible(encrypted is not None)
        if encrypted is None:
            return
        name, color = ("mdi6.lock", "#2E7D32") if encrypted else ("mdi6.lock-open-alert", "#C62828")
        self.tls_label.setPixmap(common.icon(name, color).pixmap(16, 16))
        self.tls_label.setToolTip(
            self.tr("The connection to the server is encrypted (TLS).")
            if encrypted
            else self.tr("The connection to the server is NOT encrypted.")
        )
        self.tls_label.setAccessibleName(self.tls_label.toolTip())

    def set_user(self, user_name: str) -> None:
        self.user_name = user_name
        self.user_label.setText(self.tr("User: %1").replace("%1", user_name))
        self.setWindowTitle(self.tr("AkquiseDesktop – %1").replace("%1", user_name))

    # --- navigation ------------------------------------------------------------------

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next(key for key, page in self.pages.items() if page is widget)

    def show_view(self, key: str) -> None:
        if key not in NAV_KEYS or (key == ADMIN_PAGE and not self.may_administer()):
            key = VIEW_KEYS[0]
        row = NAV_KEYS.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # -> _nav_changed
        else:
            self._show_page(key)

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(NAV_KEYS):
            self._show_page(NAV_KEYS[row])

    # --- administration --------------------------------------------------------------

    def load_admin_rights(self) -> None:
        """Ask (on the worker) which parts of the administration the user may
        use; at start once the first screen's queries are answered."""
        from akquise_desktop.queries.admin import admin_rights

        user_id = self.services.user_id
        self.services.read(lambda s: admin_rights(s, user_id), self.set_admin_rights)

    def _load_admin_rights_when_idle(self) -> None:
        self.services.worker.idle.disconnect(self._load_admin_rights_when_idle)
        self.load_admin_rights()

    def set_admin_rights(self, rights: AdminRights) -> None:
        self.admin_rights = rights
        allowed = self.may_administer()
        self.nav.item(NAV_KEYS.index(ADMIN_PAGE)).setHidden(not allowed)
        self.view_actions[ADMIN_PAGE].setVisible(allowed)
        if not allowed and self.current_page() == ADMIN_PAGE:
            self.show_view(VIEW_KEYS[0])

    def may_administer(self) -> bool:
        if self.admin_rights is None:
            return False
        from .admin.view import admin_sections

        return bool(admin_sections(self.admin_rights))

    def _admin_rights_changed(self, summary: ChangeSummary) -> None:
        if self.admin_rights is not None and summary.touches(Entity.USER, Entity.ROLE_GROUP):
            self.load_admin_rights()
        if self.services.user_id in summary.ids(Entity.USER):  # e.g. renamed in Verwaltung
            self.load_user_name()

    def load_user_name(self) -> None:
        """Read the acting user's display name again (title and status bar)."""
        from akquise_desktop.queries.users import display_name

        user_id = self.services.user_id
        self.services.read(lambda s: display_name(s, user_id), self._user_name_read)

    def _user_name_read(self, name: str | None) -> None:
        if name:
            self.set_user(name)

    def _show_page(self, key: str) -> None:
        page = self.page(key)
        if self.stack.currentWidget() is not page:
            self.stack.setCurrentWidget(page)
            # The list takes the keyboard, not the first control above it (a
            # Down arrow on "Wessen" would switch to the team's follow-ups).
            listing = getattr(page, "table", None) or getattr(page, "tree", None)
            if isinstance(listing, QWidget):
                listing.setFocus(Qt.FocusReason.OtherFocusReason)
        if key in VIEW_KEYS and self.settings.last_view != key:
            # (only a change: a write, even of the same value, has the settings
            # file written again, at every start)
            self.settings.last_view = key
        self.back_action.setEnabled(key == RECORD_PAGE)

    def open_record(self, record_id: int) -> None:
        """Show a record in the record view (Back returns to where the user was)."""
        current = self.current_page()
        if current != RECORD_PAGE:
            self._previous_page = current
        self.record_view.load(record_id)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(VIEW_KEYS.index("records"))
        self.nav.blockSignals(False)
        self._show_page(RECORD_PAGE)
        self.record_view.follow_ups.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_follow_up(self, record_id: int, follow_up_id: int) -> None:
        """Show the record with the follow-up current in its list and in the detail."""
        self._follow_up_to_select = (record_id, follow_up_id)
        self.open_record(record_id)

    def _select_follow_up(self, record_id: int) -> None:
        wanted, self._follow_up_to_select = self._follow_up_to_select, None
        if wanted is None or wanted[0] != record_id:
            return
        view = self.record_view
        view.follow_up_panel.select_follow_up(wanted[1])
        if not view.timeline.select_entry("follow_up", wanted[1]):
            view.entry_detail.show_entry("follow_up", wanted[1])

    def add_banner(self, banner: QWidget) -> None:
        """A bar above the views (the reminders where there is no tray)."""
        central = self.centralWidget()
        if central is self.splitter:
            central = QWidget(self)
            central.setObjectName("central")
            layout = QVBoxLayout(central)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(0)
            self.takeCentralWidget()
            layout.addWidget(self.splitter)
            self.setCentralWidget(central)
        assert central is not None
        box = central.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(0, banner)

    def go_back(self) -> None:
        if self.current_page() != RECORD_PAGE:
            return
        target = self._previous_page or "records"
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(VIEW_KEYS.index(target))
        self.nav.blockSignals(False)
        self._show_page(target)

    def find_record(self) -> None:
        self.show_view("records")
        self.record_list.focus_search()

    def show_records(self, criteria: RecordCriteria) -> None:
        self.show_view("records")
        self.record_list.set_criteria(criteria)

    def _show_status_records(self, campaign_id: int, status_id: int) -> None:
        from akquise_desktop.queries.records import RecordCriteria

        self.show_records(RecordCriteria(campaign_id=campaign_id, status_id=status_id))

    def refresh_current(self) -> None:
        key = self.current_page()
        page = self.pages[key]
        if key == RECORD_PAGE:
            self.record_view.reload()
            if self.record_view.record_id is not None:
                self.record_view.timeline.timeline.load(self.record_view.record_id)
        elif key == "records":
            self.record_list.model.reload()  # refetches the rows shown
            self.record_list.load_saved_searches()
        elif hasattr(page, "refresh"):
            page.refresh()

    def new_record(self, phone: str | None = None):
        """*Neuer Datensatz* (``phone`` filled in: a caller no record has);
        returns the dialog, open."""
        from .new_record_dialog import NewRecordDialog

        dialog = NewRecordDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if phone:
            dialog.phone.setText(phone)
            dialog.name.setFocus()

        def open_created() -> None:
            if dialog.created_id:
                self.open_record(dialog.created_id)

        dialog.accepted.connect(open_created)
        dialog.open()
        self.new_record_dialog = dialog
        return dialog

    def load_demo_data(self) -> None:
        """Fill the empty database with demo data (the record list's empty state)."""
        from .demo_loader import load_demo_data

        self.demo_loader = load_demo_data(self.services, self)

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            return
        self.settings.language = lang
        if lang != current_language():
            self.language_change_requested.emit(lang)

    # --- help (ui/help_dialogs.py) ------------------------------------------------------

    def shortcut_list(self) -> list[tuple[str, str]]:
        return help_dialogs.shortcut_list(self)

    def show_shortcuts(self) -> None:
        help_dialogs.show_shortcuts(self)

    def show_about(self) -> None:
        help_dialogs.show_about(self)

    # --- state -----------------------------------------------------------------------

    def restore_state(self) -> None:
        s = self.settings
        if (geometry := s.state("main/geometry")) is not None:
            self.restoreGeometry(geometry)
        if (state := s.state("main/window")) is not None:
            self.restoreState(state)
        if (splitter := s.state("main/splitter")) is not None:
            self.splitter.restoreState(splitter)
        # (each view restores its own state when it is built: page())
        self.show_view(s.last_view)

    def save_state(self) -> None:
        s = self.settings
        s.set_state("main/geometry", self.saveGeometry())
        s.set_state("main/window", self.saveState())
        s.set_state("main/splitter", self.splitter.saveState())
        for page in self.pages.values():  # views not built have nothing new to save
            if hasattr(page, "save_state"):
                page.save_state(s)
        s.sync()

    def quit(self) -> None:
        """Close for good, also when closing would keep the app in the tray."""
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if not self._quitting and self.keep_in_tray is not None and self.keep_in_tray():
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)
        self.closed.emit()
