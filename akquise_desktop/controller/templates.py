"""Ready campaign templates, offered by the first-run wizard and the campaign
administration: statuses with colours, progress and allowed next statuses
(the first next status is the default), the last ones final."""

from __future__ import annotations

from dataclasses import dataclass

from .commands import StatusSpec


@dataclass(frozen=True)
class CampaignTemplate:
    key: str
    name_de: str
    name_en: str
    statuses: tuple[StatusSpec, ...]

    def name(self, lang: str = "de") -> str:
        return self.name_de if lang == "de" else self.name_en


ACQUISITION = CampaignTemplate(
    "acquisition",
    "Neukundengewinnung",
    "New customer acquisition",
    (
        StatusSpec("Neu", "#9E9E9E", 0, is_start=True,
                   next=("Erstkontakt", "Kein Interesse", "Wünscht keinen Kontakt")),
        StatusSpec("Erstkontakt", "#42A5F5", 15,
                   next=("Bedarfsanalyse", "Kein Interesse", "Wünscht keinen Kontakt")),
        StatusSpec("Bedarfsanalyse", "#26A69A", 35,
                   next=("Angebotsphase", "Kein Interesse", "Wünscht keinen Kontakt")),
        StatusSpec("Angebotsphase", "#FFA726", 60,
                   next=("Verhandlung", "Kunde", "Kein Interesse")),
        StatusSpec("Verhandlung", "#EF6C00", 80,
                   next=("Kunde", "Angebotsphase", "Kein Interesse")),
        StatusSpec("Kunde", "#2E7D32", 100, is_final=True),
        StatusSpec("Kein Interesse", "#B71C1C", 0, is_final=True, next=("Erstkontakt",)),
        StatusSpec("Wünscht keinen Kontakt", "#4A148C", 0, is_final=True),
    ),
)  # fmt: skip

CUSTOMER_CARE = CampaignTemplate(
    "customer_care",
    "Bestandskundenpflege",
    "Customer care",
    (
        StatusSpec("Aktiv", "#66BB6A", 50, is_start=True, next=("Cross-Selling", "Gefährdet")),
        StatusSpec("Cross-Selling", "#29B6F6", 70, next=("Aktiv", "Gefährdet")),
        StatusSpec("Gefährdet", "#FF7043", 30, next=("Aktiv", "Verloren")),
        StatusSpec("Verloren", "#616161", 0, is_final=True, next=("Aktiv",)),
    ),
)

TEMPLATES: tuple[CampaignTemplate, ...] = (ACQUISITION, CUSTOMER_CARE)


def template(key: str) -> CampaignTemplate:
    for found in TEMPLATES:
        if found.key == key:
            return found
    raise KeyError(key)
