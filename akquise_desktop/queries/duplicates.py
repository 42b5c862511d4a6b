"""Possible duplicates of new records among the existing ones, narrowed in SQL.

The caller gives the keys of its new records (:class:`DuplicateKeys`: the last
eight digits of phone numbers, e-mail addresses, e-mail and web domains, the
first letters of names); one statement returns only the records that share
one of them (a scan computing the keys, joined to the given sets), never the
whole table. The exact decision — normalised phone, similar name — is the
caller's (:mod:`akquise_desktop.imports.duplicates`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

NAME_BLOCK = 5  # characters of a name's beginning that must agree
PHONE_TAIL = 8  # digits at the end of a phone number that must agree
_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TO_LOWER = str.maketrans(_ASCII_UPPER, _ASCII_UPPER.lower())


_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_FOLD = str.maketrans(_UMLAUTS)


def name_block(name: str) -> str:
    """The name's first letters, umlauts spelt out, ASCII-lowercased (as both
    databases compute it): "Bäckerei" and "Baeckerei" share "baeck"."""
    return name.strip()[: NAME_BLOCK * 2].translate(_FOLD)[:NAME_BLOCK].translate(_TO_LOWER)


def _sql_block(column: str, lower: str) -> str:
    folded = f"substr({column}, 1, {NAME_BLOCK * 2})"
    for umlaut, spelt in _UMLAUTS.items():
        folded = f"replace({folded}, '{umlaut}', '{spelt}')"
    return lower.format(f"substr({folded}, 1, {NAME_BLOCK})")


def phone_tail(phone: str) -> str | None:
    digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
    return digits[-PHONE_TAIL:] if len(digits) >= 6 else None


@dataclass(frozen=True)
class DuplicateKeys:
    names: frozenset[str] = frozenset()  # name_block()s
    phones: frozenset[str] = frozenset()  # phone_tail()s
    emails: frozenset[str] = frozenset()  # lower-case addresses
    domains: frozenset[str] = frozenset()  # e-mail and web domains

    @property
    def empty(self) -> bool:
        return not (self.names or self.phones or self.emails or self.domains)


@dataclass(frozen=True)
class ExistingRecord:
    id: int
    name: str
    phone: str | None
    email: str | None
    website: str | None
    postal_code: str | None
    city: str | None
    version: int


_PG_LOWER = f"translate({{}}, '{_ASCII_UPPER}', '{_ASCII_UPPER.lower()}')"
_DIGITS_SQLITE = "phone"
for _ch in (" ", "-", "/", "(", ")", ".", "+"):
    _DIGITS_SQLITE = f"replace({_DIGITS_SQLITE}, '{_ch}', '')"
_WEB_SQLITE = "replace(replace(replace(lower(website), 'https://', ''), 'http://', ''), 'www.', '')"

_SQLITE = f"""
SELECT id, name, phone, email, website, postal_code, city, version FROM record
 WHERE {_sql_block("trim(name)", "lower({})")} IN (SELECT value FROM json_each(:names))
    OR (phone IS NOT NULL AND substr({_DIGITS_SQLITE}, -{PHONE_TAIL})
        IN (SELECT value FROM json_each(:phones)))
    OR (email IS NOT NULL AND lower(email) IN (SELECT value FROM json_each(:emails)))
    OR (email IS NOT NULL AND substr(lower(email), instr(email, '@') + 1)
        IN (SELECT value FROM json_each(:domains)))
    OR (website IS NOT NULL AND (CASE WHEN instr({_WEB_SQLITE}, '/') > 0
             THEN substr({_WEB_SQLITE}, 1, instr({_WEB_SQLITE}, '/') - 1)
             ELSE {_WEB_SQLITE} END) IN (SELECT value FROM json_each(:domains)))
"""
_PG = f"""
SELECT id, name, phone, email, website, postal_code, city, version FROM record
 WHERE {_sql_block("btrim(name)", _PG_LOWER)}
       IN (SELECT jsonb_array_elements_text(CAST(:names AS jsonb)))
    OR right(regexp_replace(phone, '[^0-9]', '', 'g'), {PHONE_TAIL})
       IN (SELECT jsonb_array_elements_text(CAST(:phones AS jsonb)))
    OR lower(email) IN (SELECT jsonb_array_elements_text(CAST(:emails AS jsonb)))
    OR split_part(lower(email), '@', 2)
       IN (SELECT jsonb_array_elements_text(CAST(:domains AS jsonb)))
    OR split_part(regexp_replace(lower(website), '^(https?://)?(www\\.)?', ''), '/', 1)
       IN (SELECT jsonb_array_elements_text(CAST(:domains AS jsonb)))
"""


def duplicate_candidates(session: Session, keys: DuplicateKeys) -> list[ExistingRecord]:
    """The visible records sharing at least one key with ``keys``."""
    if keys.empty:
        return []
    sql = _SQLITE if session.get_bind().dialect.name == "sqlite" else _PG
    params = {
        "names": json.dumps(sorted(keys.names)),
        "phones": json.dumps(sorted(keys.phones)),
        "emails": json.dumps(sorted(keys.emails)),
        "domains": json.dumps(sorted(keys.domains)),
    }
    return [ExistingRecord(*row) for row in session.execute(text(sql), params)]
