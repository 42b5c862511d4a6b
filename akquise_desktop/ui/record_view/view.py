"""The record view: master data and contact persons (editable), campaign
memberships, the open follow-ups and the timeline with its detail pane — each
a widget of its own (:mod:`.forms`, :mod:`.tabs`, :mod:`.follow_ups`,
:mod:`.timeline`) that the view composes, loads and saves for.

Edits go through the controller with the version they were based on; a
refusal (a rule, a stale version) is shown next to the form and the input
stays. Changes reported on the bus reload only this record's parts, and
never overwrite unsaved input.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.queries import records as q
from akquise_desktop.queries import timeline as tl
from akquise_desktop.queries.lookups import Lookups

from .. import common
from ..lookup_store import LookupStore
from ..services import Services
from .follow_ups import FollowUpPanel
from .forms import RECORD_FIELDS, MasterDataForm
from .tabs import ContactsTab, MembershipsTab
from .timeline import TimelinePanel

if TYPE_CHECKING:
    from ..activity_dialog import ActivityDialog
    from ..calls import Call

log = logging.getLogger(__name__)


# Kinds whose change without ids may concern the open record.
WHOLE_RECORD = (
    Entity.RECORD, Entity.CONTACT, Entity.ACTIVITY, Entity.FOLLOW_UP, Entity.MEMBERSHIP,
    Entity.STATUS_CHANGE, Entity.CAMPAIGN, Entity.CAMPAIGN_STATUS, Entity.USER,
)  # fmt: skip


class RecordView(QWidget):
    """Everything about one record."""

    back_requested = Signal()
    record_loaded = Signal(int)
    record_gone = Signal(int)

    def __init__(
        self, services: Services, lookup_store: LookupStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("record_view")
        self.services = services
        self.lookup_store = lookup_store
        self.record_id: int | None = None
        self.detail: q.RecordDetail | None = None
        self.version: int | None = None
        self.dialog: ActivityDialog | None = None  # the activity dialog open, if any
        self._generation = 0
        self._build()
        self._actions()
        self._update_follow_up_buttons()
        services.bus.changed.connect(self._on_changed)
        lookup_store.changed.connect(self._lookups_changed)

    # --- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton(common.icon("mdi6.arrow-left"), self.tr("&Back"), self)
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.title = QLabel(self)
        self.title.setObjectName("record_title")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(self)
        self.facts.setObjectName("record_facts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.log_button = QPushButton(
            common.icon("mdi6.pencil-plus", "#1565C0"), self.tr("&Log activity …"), self
        )
        self.log_button.setObjectName("log_activity")
        self.log_button.setToolTip(self.tr("Log an activity (Ctrl+N)"))
        self.log_button.setDefault(False)
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.facts)
        header.addLayout(titles, 1)
        self._build_shortcut_button()
        self._build_call_button()
        header.addWidget(self.shortcut_button)
        header.addWidget(self.call_button)
        header.addWidget(self.log_button)

        # Left: master data, contacts, campaigns. (The parts' lists and buttons
        # keep their names on the view: the main window and the tests use them.)
        self.tabs = QTabWidget(self)
        self.master = MasterDataForm(self)
        self.tabs.addTab(self.master, common.icon("mdi6.card-account-details-outline"), "")
        self.contacts_tab = ContactsTab(self)
        self.contacts = self.contacts_tab.contacts
        self.contact_form = self.contacts_tab.contact_form
        self.tabs.addTab(self.contacts_tab, common.icon("mdi6.account-multiple-outline"), "")
        self.memberships = MembershipsTab(self)
        self.tabs.addTab(self.memberships, common.icon("mdi6.flag-outline"), "")
        self._set_tab_titles()

        # Right: open follow-ups, timeline, detail.
        self.follow_up_panel = FollowUpPanel(self.services.clock, self)
        self.follow_ups = self.follow_up_panel.follow_ups
        self.complete_button = self.follow_up_panel.complete_button
        self.source_button = self.follow_up_panel.source_button
        self.no_follow_up = self.follow_up_panel.no_follow_up

        self.timeline_panel = TimelinePanel(self.services, self)
        self.timeline = self.timeline_panel.timeline
        self.entry_detail = self.timeline_panel.entry_detail
        self.timeline_splitter = self.timeline_panel.timeline_splitter

        self.right_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.right_splitter.setObjectName("record_right_splitter")
        self.right_splitter.addWidget(self.follow_up_panel)
        self.right_splitter.addWidget(self.timeline_panel)
        self.right_splitter.setStretchFactor(1, 1)
        self.right_splitter.setSizes([170, 500])

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("record_splitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.right_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([460, 800])

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self.splitter, 1)

        self.back_button.clicked.connect(self.back_requested)
        self.log_button.clicked.connect(lambda: self.log_activity())
        self.follow_up_panel.complete_requested.connect(self.complete_selected)
        self.follow_up_panel.source_requested.connect(self.show_source_activity)
        self.follow_up_panel.selection_changed.connect(self._update_follow_up_buttons)
        self.follow_ups.currentItemChanged.connect(self._follow_up_selected)
        self.master.save_button.clicked.connect(self.save_master_data)
        self.master.discard_button.clicked.connect(self._discard_master_data)
        self.master.reload_button.clicked.connect(self.reload)
        self.contact_form.save_button.clicked.connect(self.save_contact)
        self.master.call_requested.connect(lambda number: self.dial(number))
        self.contacts_tab.dial_requested.connect(self.dial)

        self.setTabOrder(self.back_button, self.log_button)
        self.setTabOrder(self.log_button, self.tabs)
        self.setTabOrder(self.tabs, self.follow_ups)
        self.setTabOrder(self.follow_ups, self.source_button)
        self.setTabOrder(self.source_button, self.complete_button)
        self.setTabOrder(self.complete_button, self.timeline)
        self.setTabOrder(self.timeline, self.entry_detail)

    def _build_shortcut_button(self) -> None:
        """ "Desktop-Verknüpfung anlegen": a shortcut file that opens this
        record (:func:`akquise_desktop.ui.links.create_desktop_shortcut`)."""
        self.shortcut_button = QPushButton(
            common.icon("mdi6.monitor-arrow-down-variant"), self.tr("Desktop shortcut"), self
        )
        self.shortcut_button.setObjectName("desktop_shortcut")
        self.shortcut_button.setToolTip(
            self.tr("Create a desktop shortcut that opens this record directly")
        )
        self.shortcut_directory: str | None = None  # None: the desktop (tests give a folder)
        self.shortcut_button.clicked.connect(self.create_desktop_shortcut)

    def _build_call_button(self) -> None:
        """ "Anrufen": the record's phone (the arrow: every number of the record
        and its contact persons), through the OS's dialler."""
        from PySide6.QtWidgets import QMenu, QToolButton

        self.call_button = QToolButton(self)
        self.call_button.setObjectName("call")
        self.call_button.setIcon(common.icon("mdi6.phone", "#2E7D32"))
        self.call_button.setText(self.tr("Call"))
        self.call_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.call_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.call_menu = QMenu(self.call_button)
        self.call_button.setMenu(self.call_menu)
        self.call_button.setEnabled(False)
        self.call_button.clicked.connect(self._call_default)
        self.facts.linkActivated.connect(self._dial_link)

    def create_desktop_shortcut(self) -> None:
        if self.record_id is None or self.detail is None:
            return
        from ..links import create_desktop_shortcut

        self.shortcut_box = create_desktop_shortcut(
            self, self.services, self.record_id, self.detail.name,
            directory=self.shortcut_directory,
        )  # fmt: skip

    def _set_tab_titles(self) -> None:
        n_contacts = self.contacts.topLevelItemCount()
        n_campaigns = self.memberships.topLevelItemCount()
        self.tabs.setTabText(0, self.tr("Master &data"))
        self.tabs.setTabText(1, self.tr("&Contact persons (%1)").replace("%1", str(n_contacts)))
        self.tabs.setTabText(2, self.tr("Campai&gns (%1)").replace("%1", str(n_campaigns)))

    def _actions(self) -> None:
        """Shortcuts of this view. Back (Alt+Left) and Refresh (F5) belong to the
        main window, which routes them here."""

        def add(text: str, keys, slot) -> QAction:
            action = QAction(text, self)
            action.setShortcuts(keys if isinstance(keys, list) else [keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.log_action = add(self.tr("Log activity"), QKeySequence("Ctrl+N"), self.log_activity)
        self.complete_action = add(
            self.tr("Complete follow-up"), QKeySequence("Ctrl+E"), self.complete_selected
        )
        self.save_action = add(
            self.tr("Save"), QKeySequence(QKeySequence.StandardKey.Save), self._save_current
        )

    # --- loading ------------------------------------------------------------------------

    def load(self, record_id: int) -> None:
        """Show ``record_id`` (from scratch: input of another record is dropped)."""
        if record_id != self.record_id:
            self.detail = self.follow_up_panel.detail = self.contacts_tab.detail = None
            self.master.baseline = {}
            self.contact_form.edit(None)
            self.entry_detail.show_placeholder()
            self.title.setText("…")
            self.facts.setText("")
            self._fill_call_menu()
        self.record_id = record_id
        self.reload(with_timeline=True)

    def reload(self, *, with_timeline: bool = False) -> None:
        """Read the record again; ``with_timeline``: its timeline's first page too,
        in the same job (one transaction, one trip to the worker)."""
        if self.record_id is None:
            return
        self._generation += 1
        record_id = self.record_id
        show = partial(self._detail_arrived, self._generation, record_id)
        if not with_timeline:
            self.services.read(lambda s: q.record_detail(s, record_id), show)
            return
        timeline = self.timeline.timeline
        handover = timeline.expect(record_id)

        def arrived(result: tuple[q.RecordDetail | None, tl.TimelinePage]) -> None:
            detail, page = result
            timeline.first_page_arrived(handover, page)
            show(detail)

        def failed(error: BaseException) -> None:
            timeline.first_page_failed(handover)
            log.error("record %s not read: %s", record_id, error)

        self.services.read(
            lambda s: q.record_view(s, record_id),
            arrived,
            failed,
        )

    def _detail_arrived(
        self, generation: int, record_id: int, detail: q.RecordDetail | None
    ) -> None:
        if generation != self._generation or record_id != self.record_id:
            return
        if detail is None:
            self.title.setText(self.tr("Record #%1 no longer exists").replace("%1", str(record_id)))
            self.record_gone.emit(record_id)
            return
        previous = self.detail
        self.detail = detail
        self._show_header(detail)
        self._show_master(detail, previous)
        self.contacts_tab.show_contacts(detail)
        self.memberships.show_memberships(detail)
        self.follow_up_panel.show_follow_ups(detail)
        self._set_tab_titles()
        self._fill_call_menu()
        self.record_loaded.emit(record_id)

    def _lookups_changed(self, data: Lookups) -> None:
        owner = self.detail.owner_id if self.detail else None
        dirty = self.master.dirty
        self.master.set_users(data, owner)
        if not dirty and self.detail is not None:
            self.master.set_values(self._master_values(self.detail))

    @staticmethod
    def _master_values(d: q.RecordDetail) -> dict[str, Any]:
        return {name: getattr(d, name) for name in RECORD_FIELDS}

    def _show_header(self, d: q.RecordDetail) -> None:
        self.title.setText(d.name)
        today = self.services.clock.today()
        parts = []
        place = " ".join(p for p in (d.postal_code, d.city) if p)
        if place:
            parts.append(place)
        if d.phone:
            from ..calls import link_html

            parts.append(link_html(d.phone))
        if d.owner:
            parts.append(self.tr("Account manager: %1").replace("%1", d.owner))
        days = common.days_since(d.last_activity_at, today)
        color = common.inactivity_color(days).name()
        inactivity = (
            self.tr("no activity yet")
            if days is None
            else self.tr("last activity %n day(s) ago", "", days)
        )
        parts.append(f"<span style='color:{color}; font-weight:bold'>{inactivity}</span>")
        for mem in d.memberships:
            parts.append(
                f"{mem.campaign}: <span style='color:{mem.color}'>■</span> <b>{mem.status}</b>"
            )
        self.facts.setText(" · ".join(parts))

    def _show_master(self, d: q.RecordDetail, previous: q.RecordDetail | None) -> None:
        data = self.lookup_store.current
        if data is not None:
            self.master.set_users(data, d.owner_id)
        elif self.master.inputs["owner_id"].findData(d.owner_id) < 0:  # type: ignore[attr-defined]
            combo: QComboBox = self.master.inputs["owner_id"]  # type: ignore[assignment]
            combo.addItem(d.owner or "", d.owner_id)
        if self.master.dirty and previous is not None:
            # Keep the user's input. If only derived columns changed, the input
            # can still be saved on the new version; if someone else edited the
            # master data, keep the old version so saving is refused as stale.
            if self._master_values(previous) == self._master_values(d):
                self.version = d.version
            else:
                self.master.show_message(
                    self.tr(
                        "Someone else changed this record meanwhile. Your input is kept; "
                        "reload to see their changes."
                    )
                )
                self.master.reload_button.show()
            return
        self.version = d.version
        self.master.set_values(self._master_values(d))
        self.master.mark_invalid(set())
        self.master.reload_button.hide()

    # --- follow-ups ------------------------------------------------------------------

    def selected_follow_up(self) -> q.OpenFollowUp | None:
        return self.follow_up_panel.selected_follow_up()

    def _follow_up_selected(self, *_args) -> None:
        fu = self.selected_follow_up()
        if fu is not None and self.follow_ups.hasFocus():
            self.entry_detail.show_entry(tl.FOLLOW_UP, fu.id)

    def _update_follow_up_buttons(self) -> None:
        self.complete_action.setEnabled(self.selected_follow_up() is not None)

    def show_source_activity(self) -> None:
        """Show the selected follow-up with its source activity in the detail pane."""
        fu = self.selected_follow_up()
        if fu is None:
            return
        if fu.source_activity_id is not None and self.timeline.select_entry(
            tl.ACTIVITY, fu.source_activity_id
        ):
            self.timeline.setFocus()
            return
        self.entry_detail.show_entry(tl.FOLLOW_UP, fu.id)

    def complete_selected(self) -> None:
        fu = self.selected_follow_up()
        if fu is not None:
            self.log_activity(complete_follow_up_id=fu.id)

    def log_activity(
        self, complete_follow_up_id: int | None = None, *, call: Call | None = None
    ) -> ActivityDialog | None:
        """Open the activity dialog for this record (completing a follow-up;
        ``call``: the phone call in progress, filled in — its save ends it)."""
        if self.record_id is None:
            return None
        from ..activity_dialog import ActivityDialog

        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog = ActivityDialog(
            self.services, self.record_id, complete_follow_up_id=complete_follow_up_id,
            call=call, parent=self,
        )  # fmt: skip
        if call is not None:
            dialog.saved.connect(lambda _summary: self.services.calls.end(call))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._dialog_gone)
        dialog.open()
        return dialog

    # --- calls (ui/calls.py) -----------------------------------------------------------

    def phone_numbers(self) -> list[tuple[str, str, int | None, str | None]]:
        """The numbers of the record shown: (label, number, contact id, contact
        name) — its own phone first, then each contact person's phone and mobile."""
        d = self.detail
        if d is None:
            return []
        numbers: list[tuple[str, str, int | None, str | None]] = []
        if d.phone:
            numbers.append((self.tr("Record: %1").replace("%1", d.phone), d.phone, None, None))
        own, mobile = self.tr("%1: %2"), self.tr("%1 (mobile): %2")
        for c in d.contacts:
            for number, text in ((c.phone, own), (c.mobile, mobile)):
                if number:
                    label = text.replace("%1", c.full_name).replace("%2", number)
                    numbers.append((label, number, c.id, c.full_name))
        return numbers

    def dial(self, number: str | None, contact_id: int | None = None) -> None:
        """Dial ``number`` of this record (of the contact person ``contact_id``)."""
        d = self.detail
        if d is None or not number:
            return
        contact = next((c for c in d.contacts if c.id == contact_id), None)
        self.services.calls.dial(
            number, d.id, d.name, contact_id=contact.id if contact else None,
            contact_name=contact.full_name if contact else None, parent=self,
        )  # fmt: skip

    def _dial_link(self, url: str) -> None:
        """A tel: link in the header: the record's own phone."""
        if self.detail is not None and self.detail.phone:
            self.dial(self.detail.phone)

    def _fill_call_menu(self) -> None:
        numbers = self.phone_numbers()
        self.call_button.setEnabled(bool(numbers))
        menu = self.call_menu
        menu.clear()
        for label, number, contact_id, _name in numbers:
            action = menu.addAction(common.icon("mdi6.phone", "#37474F"), label)
            action.triggered.connect(partial(self.dial, number, contact_id))
        first = numbers[0] if numbers else None
        self.call_button.setToolTip(
            self.tr("Call %1").replace("%1", first[1]) if first else self.tr("No phone number")
        )

    def _call_default(self) -> None:
        numbers = self.phone_numbers()
        if numbers:
            _label, number, contact_id, _name = numbers[0]
            self.dial(number, contact_id)

    def _dialog_gone(self, *_args) -> None:
        self.dialog = None

    # --- saving ----------------------------------------------------------------------

    def _save_current(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.save_contact()
        else:
            self.save_master_data()

    def save_master_data(self) -> None:
        if self.record_id is None or self.version is None or not self.master.dirty:
            return
        problems = self.master.validate()
        self.master.mark_invalid({name for name, _ in problems})
        if problems:
            self.master.show_message("\n".join(text for _, text in problems))
            self.master.inputs[problems[0][0]].setFocus()
            return
        record_id, version, data = self.record_id, self.version, self.master.record_data()
        self.master.save_button.setEnabled(False)
        self.services.change(
            lambda ctl: ctl.update_record(record_id, data, expected_version=version),
            self._master_saved,
            self._master_refused,
        )

    def _master_saved(self, _summary: ChangeSummary) -> None:
        self.master.baseline = self.master.values()
        self.master.show_message(self.tr("Saved."), error=False)
        self.master.reload_button.hide()
        self.master.changed.emit()
        self.reload()

    def _master_refused(self, error: BaseException) -> None:
        self.master.show_message(self.master.refusal_text(error))
        if isinstance(error, DomainError) and error.rule is Rule.STALE:
            self.master.reload_button.show()
        self.master.changed.emit()

    def _discard_master_data(self) -> None:
        if self.detail is not None:
            self.version = self.detail.version
            self.master.set_values(self._master_values(self.detail))
            self.master.mark_invalid(set())
            self.master.show_message("")
            self.master.reload_button.hide()

    def new_contact(self) -> None:
        self.contacts_tab.new_contact()

    def save_contact(self) -> None:
        form = self.contact_form
        if self.record_id is None or not form.dirty:
            return
        problems = form.validate()
        form.mark_invalid({name for name, _ in problems})
        if problems:
            form.show_message("\n".join(text for _, text in problems))
            form.inputs[problems[0][0]].setFocus()
            return
        data, record_id = form.contact_data(), self.record_id
        contact_id, version = form.contact_id, form.version
        if contact_id is None:

            def call(ctl):
                return ctl.add_contact(record_id, data)
        else:

            def call(ctl):
                return ctl.update_contact(contact_id, data, expected_version=version)

        form.save_button.setEnabled(False)
        self.services.change(call, self._contact_saved, self._contact_refused)

    def _contact_saved(self, summary: ChangeSummary) -> None:
        form = self.contact_form
        form.contact_id = summary.result_id
        form.baseline = form.values()
        form.show_message(self.tr("Saved."), error=False)
        form.changed.emit()
        self.reload()

    def _contact_refused(self, error: BaseException) -> None:
        self.contact_form.show_message(self.contact_form.refusal_text(error))
        self.contact_form.changed.emit()

    # --- changes from elsewhere -----------------------------------------------------

    def _on_changed(self, summary: ChangeSummary) -> None:
        record_id = self.record_id
        if record_id is None:
            return
        if record_id in summary.deleted.get(Entity.RECORD, frozenset()):
            self.reload()
            return
        if summary.unknown(*WHOLE_RECORD):
            # A colleague's change without ids (or everything, after a lost
            # connection): the record anew.
            self._maybe_reload(record_id, summary, True)
            return
        self.services.read(
            lambda s: record_id in q.records_touched(s, summary),
            partial(self._maybe_reload, record_id, summary),
        )

    def _maybe_reload(self, record_id: int, summary: ChangeSummary, touched: bool) -> None:
        if not touched or record_id != self.record_id:
            return
        timeline = summary.touches(Entity.ACTIVITY, Entity.FOLLOW_UP, Entity.STATUS_CHANGE)
        self.reload(with_timeline=timeline)
        if timeline:
            shown = self.entry_detail.shown
            if shown is not None:
                QTimer.singleShot(0, partial(self._reselect, shown))

    def _reselect(self, shown: tuple[str, int]) -> None:
        if not self.timeline.select_entry(*shown):
            self.entry_detail.show_entry(*shown)

    # --- window state ------------------------------------------------------------------

    def save_state(self, settings) -> None:
        settings.set_state("record_view/splitter", self.splitter.saveState())
        settings.set_state("record_view/right_splitter", self.right_splitter.saveState())
        settings.set_state("record_view/timeline_splitter", self.timeline_splitter.saveState())
        settings.set_state("record_view/timeline_header", self.timeline.header().saveState())

    def restore_state(self, settings) -> None:
        for name, splitter in (
            ("record_view/splitter", self.splitter),
            ("record_view/right_splitter", self.right_splitter),
            ("record_view/timeline_splitter", self.timeline_splitter),
        ):
            if (state := settings.state(name)) is not None:
                splitter.restoreState(state)
        if (state := settings.state("record_view/timeline_header")) is not None:
            self.timeline.header().restoreState(state)
