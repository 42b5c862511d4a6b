"""Which column goes to which field: the fields an import can fill, guesses
from German and English headers (Excel, Outlook, vCard), and the mapping file
of the headless import (``--mapping MAPPING.json``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# Field key -> (German label, English label). ``contact_*`` fill the contact
# person; the rest the record.
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("Firma / Name", "Company / name"),
    "street": ("Straße", "Street"),
    "postal_code": ("PLZ", "Postal code"),
    "city": ("Ort", "City"),
    "country": ("Land", "Country"),
    "phone": ("Telefon", "Phone"),
    "email": ("E-Mail", "E-mail"),
    "website": ("Webseite", "Website"),
    "industry": ("Branche", "Industry"),
    "notes": ("Notizen", "Notes"),
    "contact_salutation": ("Anrede", "Salutation"),
    "contact_title": ("Titel", "Title"),
    "contact_first_name": ("Vorname", "First name"),
    "contact_last_name": ("Nachname", "Last name"),
    "contact_position": ("Position", "Position"),
    "contact_phone": ("Telefon (Ansprechpartner)", "Phone (contact)"),
    "contact_mobile": ("Mobil", "Mobile"),
    "contact_email": ("E-Mail (Ansprechpartner)", "E-mail (contact)"),
}
RECORD_FIELDS = tuple(k for k in FIELDS if not k.startswith("contact_"))
CONTACT_FIELDS = tuple(k for k in FIELDS if k.startswith("contact_"))

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "firma", "firmenname", "unternehmen", "name", "company", "companyname", "organisation",
        "organization", "org", "kunde", "kundenname", "account", "accountname", "firma1",
    ),
    "street": (
        "strasse", "str", "strassehausnummer", "adresse", "anschrift", "street", "address",
        "streetaddress", "strassegeschaeftlich", "businessstreet", "address1",
    ),
    "postal_code": (
        "plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode",
        "postleitzahlgeschaeftlich", "businesspostalcode",
    ),
    "city": ("ort", "stadt", "city", "town", "ortgeschaeftlich", "businesscity", "wohnort"),
    "country": (
        "land", "country", "landregiongeschaeftlich", "businesscountryregion", "countryregion",
    ),
    "phone": (
        "telefon", "tel", "telefonnummer", "phone", "phonenumber", "telephone",
        "telefongeschaeftlich", "businessphone", "telefonzentrale", "companymainphone",
        "telefonfirma", "festnetz",
    ),
    "email": ("email", "mail", "emailadresse", "emailaddress", "emailfirma"),
    "website": ("webseite", "website", "web", "internet", "homepage", "url", "webpage"),
    "industry": ("branche", "industry", "sector", "sektor"),
    "notes": ("notizen", "notiz", "bemerkung", "bemerkungen", "notes", "note", "kommentar",
              "comment", "comments", "info"),
    "contact_salutation": ("anrede", "salutation", "prefix"),
    "contact_title": ("titel", "title", "akademischertitel"),
    "contact_first_name": ("vorname", "firstname", "givenname", "vornamen"),
    "contact_last_name": (
        "nachname", "lastname", "surname", "familyname", "ansprechpartner", "kontakt",
        "contact", "contactname", "ansprechpartnername",
    ),
    "contact_position": (
        "position", "funktion", "jobtitle", "jobtitel", "rolle",
    ),
    "contact_phone": ("telefonansprechpartner", "contactphone", "durchwahl", "direktwahl"),
    "contact_mobile": (
        "mobil", "mobiltelefon", "handy", "mobile", "mobilephone", "cell", "cellphone",
        "mobilnummer",
    ),
    "contact_email": (
        "emailansprechpartner", "contactemail", "email2", "emailadresse2", "e-mail2",
    ),
}  # fmt: skip
_BY_KEY = {syn: key for key, syns in _SYNONYMS.items() for syn in syns}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def header_key(header: str) -> str:
    """``"Straße geschäftlich"`` -> ``"strassegeschaeftlich"``."""
    return re.sub(r"[^a-z0-9]", "", header.strip().lower().translate(_FOLD))


def guess_field(header: str) -> str | None:
    """The field a header names, or None. Exact synonyms first, then the
    field keys themselves (a vCard's columns), then a close spelling."""
    key = header_key(header)
    if not key:
        return None
    if header.strip() in FIELDS:
        return header.strip()
    if key in _BY_KEY:
        return _BY_KEY[key]
    from rapidfuzz import fuzz, process

    found = process.extractOne(key, list(_BY_KEY), scorer=fuzz.ratio, score_cutoff=88)
    return _BY_KEY[found[0]] if found else None


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index -> field for the headers recognised; each field once (the
    first column wins; a second e-mail or phone column goes to the contact)."""
    taken: dict[str, int] = {}
    for index, header in enumerate(headers):
        fld = guess_field(header)
        if fld is None:
            continue
        if fld in taken:
            second = {"email": "contact_email", "phone": "contact_phone"}.get(fld)
            if second is None or second in taken:
                continue
            fld = second
        taken[fld] = index
    return {index: fld for fld, index in taken.items()}


@dataclass(frozen=True)
class FirstFollowUp:
    """The first follow-up of every imported record: a date, or ``days`` after
    today; for ``assignee_id`` (None: the record's owner)."""

    due_date: date | None = None
    days: int = 7
    assignee_id: int | None = None
    instruction: str = ""

    def due(self, today: date) -> date:
        from datetime import timedelta

        return self.due_date or today + timedelta(days=self.days)


@dataclass(frozen=True)
class ImportSettings:
    """What every imported record gets, and how the file is read."""

    campaign_id: int
    status_id: int | None = None  # None: the campaign's start status
    owner_id: int | None = None  # None: the importing user
    first_follow_up: FirstFollowUp = field(default_factory=FirstFollowUp)
    subject: str = "Import"
    # Default decision for a duplicate: "skip", "merge" or "import".
    duplicates: str = "skip"


@dataclass(frozen=True)
class MappingFile:
    """The headless import's ``MAPPING.json``::

        {"columns": {"Firma": "name", "PLZ": "postal_code", ...},   # header -> field
         "campaign": "Neukunden", "status": "Lead", "owner": "sales",
         "follow_up": {"days": 7} | {"date": "2030-07-01"}, "assignee": "sales",
         "duplicates": "skip" | "merge" | "import",
         "encoding": "cp1252", "delimiter": ";", "sheet": "Tabelle1"}

    Headers not named in ``columns`` are guessed unless ``"guess": false``.
    Names (campaign, status, owner) may be given as ids too.
    """

    columns: Mapping[str, str | None]
    campaign: str | int
    status: str | int | None = None
    owner: str | int | None = None
    assignee: str | int | None = None
    follow_up_days: int = 7
    follow_up_date: date | None = None
    duplicates: str = "skip"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    guess: bool = True

    @classmethod
    def load(cls, path: str | Path) -> MappingFile:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> MappingFile:
        if not isinstance(raw, Mapping) or "campaign" not in raw:
            raise ValueError("mapping: an object with at least 'campaign' is needed")
        columns = raw.get("columns") or {}
        unknown = {v for v in columns.values() if v is not None and v not in FIELDS}
        if unknown:
            raise ValueError(f"mapping: unknown fields {sorted(unknown)}; known: {list(FIELDS)}")
        fu = raw.get("follow_up") or {}
        duplicates = raw.get("duplicates", "skip")
        if duplicates not in {"skip", "merge", "import"}:
            raise ValueError("mapping: duplicates must be skip, merge or import")
        return cls(
            columns=dict(columns),
            campaign=raw["campaign"],
            status=raw.get("status"),
            owner=raw.get("owner"),
            assignee=raw.get("assignee"),
            follow_up_days=int(fu.get("days", 7)),
            follow_up_date=date.fromisoformat(fu["date"]) if fu.get("date") else None,
            duplicates=duplicates,
            encoding=raw.get("encoding"),
            delimiter=raw.get("delimiter"),
            sheet=raw.get("sheet"),
            guess=bool(raw.get("guess", True)),
        )

    def column_mapping(self, headers: Sequence[str]) -> dict[int, str]:
        mapping = guess_mapping(headers) if self.guess else {}
        by_header = {h.strip(): i for i, h in enumerate(headers)}
        for header, fld in self.columns.items():
            index = by_header.get(header.strip())
            if index is None:
                continue
            mapping = {i: f for i, f in mapping.items() if i != index and f != fld}
            if fld is not None:
                mapping[index] = fld
        return mapping
