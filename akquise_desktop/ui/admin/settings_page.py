"""Verwaltung › Systemeinstellungen: the default days of a new follow-up,
recurring follow-ups on or off, the working days and holiday region (where
default due dates land), the default language and the company name.

Saved with the version shown: a change by someone else meanwhile is refused
(``concurrency.stale``), the message says so, the input stays, and *Reload*
shows what is stored now. A change arriving while the form has unsaved input
does not overwrite it either; the page offers *Reload* instead.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import SettingsData
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries import admin as qa

from ..common import icon
from ..holiday_region import RegionCombo
from ..services import Services
from .campaigns.dialogs import form_row
from .page import AdminPage

LANGUAGES = (("de", "Deutsch"), ("en", "English"))


class SettingsPage(AdminPage):
    """The system settings, one form."""

    WATCHED = (Entity.SETTINGS,)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.setObjectName("adminSettings")
        self.version = 0
        self.stored: qa.SettingsRow | None = None
        self._filling = False

        self.company_edit = QLineEdit()
        self.company_edit.setMaxLength(200)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setSuffix(self.tr(" days"))
        self.recurring_check = QCheckBox(self.tr("&Recurring follow-ups can be set"))
        locale = QLocale()
        #: ISO weekday (1 = Monday … 7 = Sunday) -> its check box.
        self.day_checks: dict[int, QCheckBox] = {}
        days_row = QHBoxLayout()
        for iso in range(1, 8):
            check = QCheckBox(locale.dayName(iso, QLocale.FormatType.ShortFormat))
            check.setToolTip(locale.dayName(iso, QLocale.FormatType.LongFormat))
            self.day_checks[iso] = check
            days_row.addWidget(check)
        days_row.addStretch(1)
        self.region_combo = RegionCombo()
        self.region_combo.setMinimumContentsLength(28)
        line = self.region_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("none: no public holidays skipped"))
        self.language_combo = QComboBox()
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.phone_region_combo = QComboBox()
        for code, name in self._phone_regions():
            self.phone_region_combo.addItem(f"{name} ({code})", code)
        self.phone_region_combo.setToolTip(
            self.tr(
                "Phone numbers without a country code (0221 …) are read as numbers of this "
                "country when their record has no country; the search finds every number by "
                "its digits in any format."
            )
        )

        follow_ups = QGroupBox(self.tr("Follow-ups"))
        form = QFormLayout(follow_ups)
        form_row(form, self.tr("&Default due in:"), self.days_spin)
        form.addRow("", self.recurring_check)
        form.addRow(self.tr("Working days:"), days_row)
        form_row(form, self.tr("&Holiday region:"), self.region_combo)
        hint = QLabel(
            self.tr(
                "Default due dates of new follow-ups land on a working day that is no "
                "public holiday of the region."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        form.addRow("", hint)
        general = QGroupBox(self.tr("General"))
        form2 = QFormLayout(general)
        form2.addRow(self.tr("&Company name:"), self.company_edit)
        form_row(form2, self.tr("Default &language:"), self.language_combo)
        form_row(form2, self.tr("&Phone numbers of:"), self.phone_region_combo)

        self.save_button = QPushButton(icon("mdi6.content-save-outline"), self.tr("&Save"))
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.reload_button = QPushButton(icon("mdi6.refresh"), self.tr("&Reload"))
        self.reload_button.setToolTip(self.tr("Show the stored settings (your input is lost)"))
        self.reload_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(general)
        layout.addWidget(follow_ups)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for check in (self.recurring_check, *self.day_checks.values()):
            check.toggled.connect(self._edited)
        self.days_spin.valueChanged.connect(self._edited)
        self.company_edit.textEdited.connect(self._edited)
        self.region_combo.currentTextChanged.connect(self._edited)
        self.language_combo.currentIndexChanged.connect(self._edited)
        self.phone_region_combo.currentIndexChanged.connect(self._edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.force_reload)
        self.reload_button.clicked.connect(self.force_reload)
        self._update_buttons()
        self.reload()

    def _phone_regions(self) -> list[tuple[str, str]]:
        """The countries offered for phone numbers: German-speaking first, then
        the neighbours."""
        return [
            ("DE", self.tr("Germany")),
            ("AT", self.tr("Austria")),
            ("CH", self.tr("Switzerland")),
            ("LU", self.tr("Luxembourg")),
            ("NL", self.tr("Netherlands")),
            ("BE", self.tr("Belgium")),
            ("FR", self.tr("France")),
            ("IT", self.tr("Italy")),
            ("PL", self.tr("Poland")),
            ("DK", self.tr("Denmark")),
            ("GB", self.tr("United Kingdom")),
        ]

    # --- reading ---------------------------------------------------------------------

    def reload(self) -> None:
        self.read(qa.system_settings, self._arrived)

    def force_reload(self) -> None:
        """Show the stored settings, dropping the input."""
        self.hide_message()
        self.read(qa.system_settings, lambda row: self._arrived(row, force=True))

    def _arrived(self, row: qa.SettingsRow, *, force: bool = False) -> None:
        if self.dirty() and not force:
            if row.version != self.version:  # changed elsewhere under the input
                self.show_message(
                    self.tr(
                        "The settings were changed elsewhere meanwhile. Your input is kept; "
                        "Reload shows the stored settings."
                    ),
                    error=True,
                )
                self.reload_button.show()
            return
        self.stored = row
        self.version = row.version
        self._fill(row)
        self.reload_button.hide()
        self._update_buttons()

    def _fill(self, row: qa.SettingsRow) -> None:
        self._filling = True
        self.company_edit.setText(row.company_name or "")
        self.days_spin.setValue(row.default_follow_up_days)
        self.recurring_check.setChecked(row.recurring_follow_ups)
        for iso, check in self.day_checks.items():
            check.setChecked(iso - 1 in row.working_days)
        self.region_combo.set_region(row.holiday_region or "")
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(row.default_language))
        )
        if self.phone_region_combo.findData(row.phone_region) < 0:  # set elsewhere (a script)
            self.phone_region_combo.addItem(row.phone_region, row.phone_region)
        self.phone_region_combo.setCurrentIndex(self.phone_region_combo.findData(row.phone_region))
        self._filling = False

    # --- the input -------------------------------------------------------------------

    def data(self) -> SettingsData:
        return SettingsData(
            company_name=self.company_edit.text().strip() or None,
            default_follow_up_days=self.days_spin.value(),
            recurring_follow_ups=self.recurring_check.isChecked(),
            working_days=frozenset(iso - 1 for iso, c in self.day_checks.items() if c.isChecked()),
            holiday_region=self.region_combo.region() or None,
            default_language=self.language_combo.currentData(),
            phone_region=self.phone_region_combo.currentData() or "DE",
        )

    def dirty(self) -> bool:
        if self.stored is None:
            return False
        s = self.stored
        return self.data() != SettingsData(
            company_name=s.company_name or None,
            default_follow_up_days=s.default_follow_up_days,
            recurring_follow_ups=s.recurring_follow_ups,
            working_days=frozenset(s.working_days),
            holiday_region=s.holiday_region or None,
            default_language=s.default_language,
            phone_region=s.phone_region,
        )

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    # --- saving ----------------------------------------------------------------------

    def save(self) -> None:
        data, version = self.data(), self.version
        self.hide_message()
        self.services.change(
            lambda c: c.update_system_settings(data, expected_version=version),
            self._saved,
            self._refused,
        )

    def _saved(self, _summary: ChangeSummary) -> None:
        self.stored = None  # the next read fills the form
        self.show_message(self.tr("The settings were saved."))
        self.reload_button.hide()
        self.read(qa.system_settings, self._arrived)

    def _refused(self, exc: BaseException) -> None:
        self.show_error(exc)
        if getattr(exc, "rule_id", None) == "concurrency.stale":
            self.reload_button.show()
