"""Choosing a holiday region (e.g. ``DE-NW``): weekends only, Germany and its
federal states offered; any other ISO 3166 code (``AT-9``) can be typed in.
The controller checks the code (:func:`akquise_desktop.core.holidays_calendar.normalize_region`)."""

from __future__ import annotations

import holidays
from PySide6.QtWidgets import QComboBox, QWidget

from akquise_desktop.core.holidays_calendar import WEEKENDS_ONLY

DEFAULT_REGION = "DE-NW"


def region_choices() -> list[tuple[str, str]]:
    """(code, name) of the offered regions: weekends only, Germany, its states."""
    german = holidays.country_holidays("DE")
    names = {code: name for name, code in german.subdivisions_aliases.items()}
    choices = [(WEEKENDS_ONLY, ""), ("DE", "Deutschland")]
    for code in sorted(c for c in holidays.list_supported_countries()["DE"] if len(c) == 2):
        choices.append((f"DE-{code}", names.get(code, "")))
    return choices


class RegionCombo(QComboBox):
    """An editable combo box of holiday regions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regionCombo")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, name in region_choices():
            if code == WEEKENDS_ONLY:
                text = self.tr("{code} — weekends only, no holidays").format(code=code)
            else:
                text = f"{code} — {name}" if name else code
            self.addItem(text, code)
        self.set_region(DEFAULT_REGION)
        self.setToolTip(
            self.tr(
                "Weekends and this region's public holidays are skipped; any ISO code, e.g. AT-9"
            )
        )

    def set_region(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(code)

    def region(self) -> str:
        """The chosen entry's code, or what was typed (its first word)."""
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return self.itemData(index)
        return text.split(" ")[0] if text else ""
