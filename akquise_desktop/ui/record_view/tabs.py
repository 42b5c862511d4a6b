"""The record view's tabs besides the master data: the contact persons (the
list and the form of the chosen one) and the campaign memberships."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.queries import records as q

from .. import common
from .forms import ContactForm

IdRole = Qt.ItemDataRole.UserRole + 1  # a row's contact id (column 0)
PHONE_COLUMN = 2


class ContactsTab(QWidget):
    """The record's contact persons; choosing one edits it in the form below
    (the record view saves it). Their numbers are links: a click, the context
    menu's *Anrufen* or the form's phone button asks to dial (:attr:`dial_requested`)."""

    dial_requested = Signal(str, object)  # the number, the contact id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: q.RecordDetail | None = None  # the record shown, None while loading

        self.contacts = QTreeWidget(self)
        self.contacts.setObjectName("contacts")
        self.contacts.setRootIsDecorated(False)
        self.contacts.setHeaderLabels(
            [self.tr("Name"), self.tr("Position"), self.tr("Phone"), self.tr("E-mail")]
        )
        contacts_header = self.contacts.header()
        contacts_header.setStretchLastSection(True)
        for column, width in enumerate((140, 140, 105)):
            contacts_header.resizeSection(column, width)
        self.contact_form = ContactForm(self)
        contacts_layout = QVBoxLayout(self)
        contacts_layout.addWidget(self.contacts, 1)
        contacts_layout.addWidget(self.contact_form)
        self.contacts.currentItemChanged.connect(self._contact_selected)
        self.contact_form.new_button.clicked.connect(self.new_contact)
        self.contact_form.call_requested.connect(
            lambda number: self.dial_requested.emit(number, self.contact_form.contact_id)
        )
        from ..calls import PhoneLinks

        self.phone_links = PhoneLinks(self.contacts, PHONE_COLUMN, self._link_clicked)
        self.contacts.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.contacts.customContextMenuRequested.connect(self._context_menu)
        self.menu: QMenu | None = None

    def show_contacts(self, d: q.RecordDetail) -> None:
        """Show the contacts of ``d``; unsaved input in the form stays."""
        self.detail = d
        current = self.contact_form.contact_id
        self.contacts.blockSignals(True)
        self.contacts.clear()
        from ..calls import LINK_COLOR, link_font

        for c in d.contacts:
            number = c.phone or c.mobile or ""  # (the mobile when there is no phone)
            item = QTreeWidgetItem([c.full_name, c.position or "", number, c.email or ""])
            item.setData(0, IdRole, c.id)
            item.setIcon(0, common.icon("mdi6.account-outline", "#607D8B"))
            if number:
                item.setForeground(PHONE_COLUMN, QColor(LINK_COLOR))
                item.setFont(PHONE_COLUMN, link_font(self.contacts.font()))
                item.setToolTip(PHONE_COLUMN, self.tr("Call %1").replace("%1", number))
            self.contacts.addTopLevelItem(item)
            if c.id == current:
                self.contacts.setCurrentItem(item)
        self.contacts.blockSignals(False)
        if current is not None and not self.contact_form.dirty:
            row = next((c for c in d.contacts if c.id == current), None)
            self.contact_form.edit(row)

    def contact(self, contact_id: int | None) -> q.ContactRow | None:
        if self.detail is None:
            return None
        return next((c for c in self.detail.contacts if c.id == contact_id), None)

    def _link_clicked(self, index: QModelIndex) -> None:
        contact = self.contact(index.siblingAtColumn(0).data(IdRole))
        if contact is not None:
            self.dial_requested.emit(index.data(), contact.id)

    def call_actions(self, contact: q.ContactRow, menu: QMenu) -> None:
        """*Anrufen* for each number of ``contact``, in ``menu``."""
        for number, text in (
            (contact.phone, self.tr("Call %1")),
            (contact.mobile, self.tr("Call %1 (mobile)")),
        ):
            if number:
                action = menu.addAction(
                    common.icon("mdi6.phone", "#2E7D32"), text.replace("%1", number)
                )
                action.triggered.connect(
                    lambda _=False, n=number, cid=contact.id: self.dial_requested.emit(n, cid)
                )

    def _context_menu(self, pos: QPoint) -> None:
        item = self.contacts.itemAt(pos)
        contact = self.contact(item.data(0, IdRole)) if item is not None else None
        if contact is None:
            return
        menu = QMenu(self.contacts)
        self.call_actions(contact, menu)
        if menu.isEmpty():
            action = menu.addAction(self.tr("No phone number"))
            action.setEnabled(False)
        self.menu = menu
        menu.popup(self.contacts.viewport().mapToGlobal(pos))

    def _contact_selected(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is None or self.detail is None:
            return
        cid = item.data(0, IdRole)
        contact = next((c for c in self.detail.contacts if c.id == cid), None)
        self.contact_form.edit(contact)

    def new_contact(self) -> None:
        self.contacts.clearSelection()
        self.contacts.setCurrentIndex(QModelIndex())
        self.contact_form.edit(None)
        self.contact_form.inputs["first_name"].setFocus()


class MembershipsTab(QTreeWidget):
    """The record's campaign memberships: status, progress, since when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberships")
        self.setRootIsDecorated(False)
        self.setHeaderLabels(
            [self.tr("Campaign"), self.tr("Status"), self.tr("Progress"), self.tr("Since")]
        )
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def show_memberships(self, d: q.RecordDetail) -> None:
        self.clear()
        for mem in d.memberships:
            name = (
                mem.campaign
                if mem.campaign_active
                else self.tr("%1 (inactive)").replace("%1", mem.campaign)
            )
            status = mem.status + (self.tr(" (final)") if mem.is_final else "")
            item = QTreeWidgetItem(
                [name, status, f"{mem.progress} %", common.format_date(mem.since)]
            )
            item.setIcon(1, common.status_swatch(mem.color))
            self.addTopLevelItem(item)
