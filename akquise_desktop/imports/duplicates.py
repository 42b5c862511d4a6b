"""The duplicate check: a new record against the existing ones and against
the rows of the same file before it.

Two records are taken for the same when they have the same phone number
(normalised with ``phonenumbers``, default region DE), the same e-mail
address, the same e-mail or web domain (free-mail domains do not count), or a
similar name (``rapidfuzz`` token-sort ratio of the names without legal form
and punctuation, at least :data:`NAME_SCORE`). The existing records come from
:func:`akquise_desktop.queries.duplicates.duplicate_candidates`, narrowed in
SQL to those sharing a key; the comparison here runs in memory on them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from akquise_desktop.core.phones import normal_phone
from akquise_desktop.queries.duplicates import (
    DuplicateKeys,
    ExistingRecord,
    duplicate_candidates,
    name_block,
    phone_tail,
)

NAME_SCORE = 90
_FREE = (
    "gmail.com googlemail.com gmx.de gmx.net gmx.at gmx.ch web.de t-online.de freenet.de "
    "yahoo.com yahoo.de hotmail.com hotmail.de outlook.com outlook.de live.com live.de "
    "icloud.com me.com mac.com aol.com aol.de posteo.de mailbox.org mail.de arcor.de "
    "protonmail.com proton.me online.de email.de kabelmail.de vodafone.de"
)
FREE_MAIL = frozenset(_FREE.split())
_LEGAL = re.compile(
    r"\b(gmbh|mbh|ag|kg|kgaa|ohg|gbr|ug|e\.?\s?k\.?|e\.?\s?v\.?|co|und|und co|ltd|inc|llc|"
    r"se|haftungsbeschränkt|limited|gesellschaft)\b"
)
_DIGITS = re.compile(r"\d+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})


def normal_name(name: str) -> str:
    """``"Müller & Co. GmbH"`` -> ``"mueller"``: lower case, umlauts folded,
    legal forms and punctuation dropped."""
    text = name.lower().translate(_FOLD)
    text = re.sub(r"[&+.,;:()\"'/\\-]", " ", text)
    text = _LEGAL.sub(" ", text)
    return " ".join(text.split())


def email_domain(email: str) -> str | None:
    _, at, domain = email.strip().lower().rpartition("@")
    if not at or not domain or domain in FREE_MAIL:
        return None
    return domain


def web_domain(website: str) -> str | None:
    text = website.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.")
    domain = re.split(r"[/:?#]", text, maxsplit=1)[0]
    return domain if "." in domain and domain not in FREE_MAIL else None


@dataclass(frozen=True)
class NewRecord:
    """What the check compares of a new record."""

    name: str
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    phones: tuple[str, ...] = ()  # further numbers (the contact's)
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A possible duplicate: an existing record (``record_id``) or an earlier
    row of the same file (``other_index``), and why."""

    index: int  # the new record's position
    reasons: tuple[str, ...]  # "phone", "email", "domain", "name"
    record_id: int | None = None
    record_name: str = ""
    record_version: int | None = None
    other_index: int | None = None
    score: float = 0.0


@dataclass
class _Keys:
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    name: str = ""
    block: str = ""


def _keys(rec: NewRecord | ExistingRecord) -> _Keys:
    name = normal_name(rec.name)
    # Tokens sorted once (the ratio of sorted tokens is token_sort_ratio), and
    # the block refined by the name's numbers ("Filiale 1" is not "Filiale 2").
    sorted_name = " ".join(sorted(name.split()))
    block = f"{name_block(rec.name)}|{'.'.join(_DIGITS.findall(name))}"
    keys = _Keys(name=sorted_name, block=block)
    phones = [rec.phone, *getattr(rec, "phones", ())]
    emails = [rec.email, *getattr(rec, "emails", ())]
    for phone in phones:
        if phone and (p := normal_phone(phone)):
            keys.phones.add(p)
    for email in emails:
        if email and "@" in email:
            keys.emails.add(email.strip().lower())
            if d := email_domain(email):
                keys.domains.add(d)
    if rec.website and (d := web_domain(rec.website)):
        keys.domains.add(d)
    return keys


def sql_keys(records: Iterable[NewRecord]) -> DuplicateKeys:
    """What :func:`duplicate_candidates` narrows by."""
    names: set[str] = set()
    phones: set[str] = set()
    emails: set[str] = set()
    domains: set[str] = set()
    for rec in records:
        if rec.name.strip():
            names.add(name_block(rec.name))
        for phone in (rec.phone, *rec.phones):
            if phone and (tail := phone_tail(phone)):
                phones.add(tail)
        for email in (rec.email, *rec.emails):
            if email and "@" in email:
                emails.add(email.strip().lower())
                if d := email_domain(email):
                    domains.add(d)
        if rec.website and (d := web_domain(rec.website)):
            domains.add(d)
    return DuplicateKeys(frozenset(names), frozenset(phones), frozenset(emails), frozenset(domains))


class _Index:
    """Records (existing or earlier rows) by key, for exact look-ups, and
    their normalised names by name block for the similarity."""

    def __init__(self) -> None:
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_domain: dict[str, list[int]] = defaultdict(list)
        self.blocks: dict[str, list[tuple[str, int]]] = defaultdict(list)

    def add(self, ident: int, keys: _Keys) -> None:
        for p in keys.phones:
            self.by_phone[p].append(ident)
        for e in keys.emails:
            self.by_email[e].append(ident)
        for d in keys.domains:
            self.by_domain[d].append(ident)
        if keys.name:
            self.blocks[keys.block].append((keys.name, ident))

    def find(self, keys: _Keys) -> dict[int, tuple[set[str], float]]:
        found: dict[int, tuple[set[str], float]] = {}

        def hit(ident: int, reason: str, score: float = 100.0) -> None:
            reasons, best = found.setdefault(ident, (set(), 0.0))
            reasons.add(reason)
            found[ident] = (reasons, max(best, score))

        for p in keys.phones:
            for ident in self.by_phone.get(p, ()):
                hit(ident, "phone")
        for e in keys.emails:
            for ident in self.by_email.get(e, ()):
                hit(ident, "email")
        for d in keys.domains:
            for ident in self.by_domain.get(d, ()):
                hit(ident, "domain")
        block = self.blocks.get(keys.block)
        if block and keys.name:
            from rapidfuzz import fuzz, process

            names = [n for n, _ in block]
            for _, score, pos in process.extract(
                keys.name, names, scorer=fuzz.ratio, score_cutoff=NAME_SCORE, limit=5
            ):
                hit(block[pos][1], "name", score)
        return found


def find_duplicates(
    records: Sequence[NewRecord],
    existing: Sequence[ExistingRecord],
    *,
    within: bool = True,
) -> list[Match]:
    """For each new record (by position) its best match: an existing record
    first, else (``within``) an earlier new record. One match per record."""
    known = _Index()
    by_id: Mapping[int, ExistingRecord] = {r.id: r for r in existing}
    for old in existing:
        known.add(old.id, _keys(old))
    earlier = _Index()
    matches: list[Match] = []
    for index, rec in enumerate(records):
        keys = _keys(rec)
        found = known.find(keys)
        if found:
            best = max(found, key=lambda i: (len(found[i][0]), found[i][1], -i))
            reasons, score = found[best]
            hit = by_id[best]
            matches.append(
                Match(index, tuple(sorted(reasons)), best, hit.name, hit.version, score=score)
            )
        elif within:
            same = earlier.find(keys)
            if same:
                first = min(same)
                reasons, score = same[first]
                matches.append(
                    Match(
                        index,
                        tuple(sorted(reasons)),
                        record_name=records[first].name,
                        other_index=first,
                        score=score,
                    )
                )
        if within:
            earlier.add(index, keys)
    return matches


def possible_duplicates(session: Session, record: NewRecord) -> list[Match]:
    """The existing records one new record may duplicate (the new-record
    dialog's warning): a query function for ``services.read``."""
    existing = duplicate_candidates(session, sql_keys([record]))
    known = _Index()
    by_id = {r.id: r for r in existing}
    for rec in existing:
        known.add(rec.id, _keys(rec))
    found = known.find(_keys(record))
    ordered = sorted(found, key=lambda i: (-len(found[i][0]), -found[i][1], i))
    return [
        Match(0, tuple(sorted(found[i][0])), i, by_id[i].name, by_id[i].version, score=found[i][1])
        for i in ordered[:10]
    ]
