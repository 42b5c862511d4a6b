"""Row checks: what of a file's rows may be imported, and why not.

A bad row is listed with its row number and reason and left out; the good
rows import. Reasons (:class:`Reason`): no name, broken encoding (U+FFFD or
UTF-8 read as Windows-1252), a cell over :data:`CELL_CAP` characters, a value
longer than its field, a formula (``=HYPERLINK(…)``, ``+SUM(…)``, ``@CMD|…``:
refused, not imported as text a spreadsheet would run when exported again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from .mapping import CONTACT_FIELDS, FIELDS, RECORD_FIELDS
from .reading import Table

# No import cell is longer (the notes' limit); a 50 MB cell is a bad row.
CELL_CAP = 20_000
LIMITS = {
    "name": 200, "street": 200, "postal_code": 20, "city": 100, "country": 2, "phone": 50,
    "email": 254, "website": 254, "industry": 100, "notes": 20_000,
    "contact_salutation": 30, "contact_title": 50, "contact_first_name": 100,
    "contact_last_name": 100, "contact_position": 100, "contact_phone": 50,
    "contact_mobile": 50, "contact_email": 254,
}  # fmt: skip

# A formula: "=" anything; "+", "-" or "@" followed by a function call, a cell
# reference or DDE ("cmd|"); a leading tab or CR before one of those.
_FORMULA = re.compile(
    r"^[\t\r ]*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(!|]|[+\-@]\s*[A-Za-z]{1,3}\d+\s*[:+\-*/])"
)
_FORMULA_START = frozenset("=+-@")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf¤¶¼Ÿ„–œ]|â‚¬|Ã©")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Country names to ISO codes (what a German file has in "Land").
COUNTRIES = {
    "deutschland": "DE", "germany": "DE", "österreich": "AT", "austria": "AT",
    "schweiz": "CH", "switzerland": "CH", "niederlande": "NL", "netherlands": "NL",
    "frankreich": "FR", "france": "FR", "italien": "IT", "italy": "IT", "belgien": "BE",
    "luxemburg": "LU", "dänemark": "DK", "polen": "PL", "spanien": "ES",
    "vereinigtes königreich": "GB", "united kingdom": "GB", "usa": "US",
    "vereinigte staaten": "US", "united states": "US", "united states of america": "US",
}  # fmt: skip


class Reason(Enum):
    """Why a row is not imported (German, English)."""

    MISSING_NAME = (
        "Kein Name (weder Firma noch Nachname)",
        "No name (neither company nor last name)",
    )
    BROKEN_ENCODING = ("Zeichenkodierung defekt in „{column}“", "Broken encoding in “{column}”")
    CELL_TOO_LONG = (
        "Zelle „{column}“ ist zu lang ({length} Zeichen, höchstens {limit})",
        "Cell “{column}” is too long ({length} characters, at most {limit})",
    )
    FORMULA = (
        "Formel in „{column}“ abgelehnt (Schutz vor Formel-Einschleusung)",
        "Formula in “{column}” refused (formula injection protection)",
    )
    CONTROL = ("Steuerzeichen in „{column}“", "Control characters in “{column}”")
    DUPLICATE_IN_FILE = ("Dublette von Zeile {row}", "Duplicate of row {row}")


@dataclass(frozen=True)
class BadRow:
    row: int  # the file's row number
    reason: Reason
    column: str = ""
    details: Mapping[str, object] | None = None

    def message(self, lang: str = "de") -> str:
        de, en = self.reason.value
        values = {"column": self.column, **(self.details or {})}
        return (de if lang == "de" else en).format(**values)


@dataclass(frozen=True)
class Candidate:
    """A good row: the record's fields and the contact person's (if any)."""

    index: int  # position among the table's rows
    row: int  # the file's row number
    record: Mapping[str, str]  # record field -> value (name always set)
    contact: Mapping[str, str] | None  # ContactData field (without "contact_") -> value
    kind: str = "company"


def check_cell(value: str, column: str, fld: str) -> tuple[Reason, dict] | None:
    """The reason a cell is refused (without the row number), or None."""
    # The cheap tests first (a million cells): the regular expressions only
    # where a first character, a suspicious letter or a control character is.
    if len(value) > CELL_CAP:
        return (Reason.CELL_TOO_LONG, {"length": len(value), "limit": CELL_CAP})
    if "\ufffd" in value or (("Ã" in value or "â" in value) and _MOJIBAKE.search(value)):
        return (Reason.BROKEN_ENCODING, {})
    if value.lstrip(" \t\r")[:1] in _FORMULA_START and _FORMULA.match(value):
        return (Reason.FORMULA, {})
    text = value.strip()
    if not text.isprintable() and _CONTROL.search(text.replace("\n", "").replace("\t", "")):
        return (Reason.CONTROL, {})
    limit = LIMITS.get(fld)
    if limit is not None and len(text) > limit:
        return (Reason.CELL_TOO_LONG, {"length": len(text), "limit": limit})
    return None


def _country(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper()
    code = COUNTRIES.get(text.lower())
    return code  # unknown country names are dropped (the record's field is ISO 3166)


def validate(table: Table, mapping: Mapping[int, str]) -> tuple[list[Candidate], list[BadRow]]:
    """The good rows as :class:`Candidate`s and the bad ones with reasons."""
    columns = {i: f for i, f in mapping.items() if f in FIELDS and 0 <= i < len(table.headers)}
    good: list[Candidate] = []
    bad: list[BadRow] = []
    for index, cells in enumerate(table.rows):
        number = table.row_number(index)
        values: dict[str, str] = {}
        refusal: BadRow | None = None
        for i, fld in columns.items():
            raw = cells[i] if i < len(cells) else ""
            if not raw:
                continue
            problem = check_cell(raw, table.headers[i], fld)
            if problem is not None:
                reason, details = problem
                refusal = BadRow(number, reason, table.headers[i], details)
                break
            text = " ".join(raw.split()) if fld != "notes" else raw.strip()
            if fld == "country":
                code = _country(text)
                if code is None:
                    continue
                text = code
            if text:
                values[fld] = text
        if refusal is None:
            # Other (unmapped) cells: a formula or 50 MB anywhere is still refused.
            for i, raw in enumerate(cells):
                if i in columns or not raw:
                    continue
                if len(raw) > CELL_CAP:
                    refusal = BadRow(
                        number,
                        Reason.CELL_TOO_LONG,
                        table.headers[i],
                        {"length": len(raw), "limit": CELL_CAP},
                    )
                    break
        if refusal is not None:
            bad.append(refusal)
            continue
        contact = {f.removeprefix("contact_"): values[f] for f in CONTACT_FIELDS if f in values}
        record = {f: values[f] for f in RECORD_FIELDS if f in values}
        kind = "company"
        if "name" not in record:
            person = " ".join(p for p in (contact.get("first_name"), contact.get("last_name")) if p)
            if not contact.get("last_name"):
                bad.append(BadRow(number, Reason.MISSING_NAME))
                continue
            record["name"] = person[: LIMITS["name"]]
            kind = "person"
        if contact and "last_name" not in contact:
            # A contact person needs a last name: only a first name is kept in the notes.
            contact = {}
        # No contact e-mail/phone given: the record's belong to the contact too.
        good.append(Candidate(index, number, record, contact or None, kind))
    return good, bad
