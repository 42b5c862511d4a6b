"""Links to records and follow-ups: ``akquise://record/<id>?db=<database id>``.

The URL scheme
--------------

``akquise://record/12?db=sqlite-3f2a…`` opens record 12, ``akquise://followup/7?db=…``
opens follow-up 7's record, in the database the ``db`` parameter names. Without
``db`` (typed by hand: ``akquise-desktop akquise://record/12``) a link means the
database of the instance that opens it.

The database identity
---------------------

``db`` is a *stable id*, not a location: :func:`database_id` is

* ``sqlite-`` and 16 hex digits of the SHA-256 of the file's absolute, resolved
  (symlinks followed) and case-normalised path — the same file gives the same id
  however it was named on the command line;
* ``pg-`` and 16 hex digits of the SHA-256 of ``host:port/database`` (host in
  lower case, port 5432 when none is given) — the login (user, password, TLS
  settings) is not part of it: colleagues on one server share links.

Why a hash and not the path or the server address: a link is an input from
outside (a web page, a mail may hold one), and the app must never be made to
open or *create* a database where a link says. A link can only select among the
databases this user already has (the local file, the connection profiles:
:func:`matching_profile`); it never carries a password, a user name, or a path
that tells others where a user's files are. The shortcut file names the
database for people (its title and comment), the URL only for the program.
``localhost`` and ``127.0.0.1`` are different ids (the text is hashed, not the
address).

Strict parsing
--------------

:func:`parse` accepts exactly ``akquise://<kind>/<id>`` with an optional single
trailing ``/`` (Windows and browsers add one) and the one optional query
parameter ``db``; the scheme and the kind are case-insensitive (a URL's host
part is), the id is a positive decimal without sign, spaces or leading zeros,
below 2**63. Everything else is refused with a :class:`LinkError` whose
:attr:`~LinkError.problem` says why (malformed, unknown kind, bad id, another
database), in German and English (:meth:`LinkError.message`).

Calls
-----

``akquise://call/<number>`` (the number percent-encoded, :func:`call_url`) is
the message ``akquise-desktop call NUMBER`` hands to the running instance: look
the caller up. It carries no ``db``: a phone system does not know the database,
the instance that takes it answers for its own. :func:`phone_number` is the one
check of a number from outside (a phone system, a ``tel:`` link): digits with
``+ ( ) / - .`` and spaces, nothing else. :func:`tel_url` makes the ``tel:`` link
(RFC 3966) the OS's dialler opens.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from akquise_desktop.core.phones import INTERNATIONAL, split_prefix

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from .profiles import ConnectionProfile

SCHEME = "akquise"
MAX_ID = 2**63 - 1
MAX_LENGTH = 300  # far longer than any link this program makes


class Kind(StrEnum):
    RECORD = "record"
    FOLLOW_UP = "followup"


class Problem(StrEnum):
    """Why a link opens nothing."""

    MALFORMED = "malformed"
    UNKNOWN_KIND = "unknown_kind"
    BAD_ID = "bad_id"
    OTHER_DATABASE = "other_database"
    NOT_FOUND = "not_found"  # (when opening: no such record or follow-up)
    NO_RIGHT = "no_right"  # (when opening: the user may not see it)


_MESSAGES = {
    Problem.MALFORMED: (
        "Der Link ist ungültig ({detail}). Erwartet: akquise://record/<Nr.>.",
        "The link is malformed ({detail}). Expected: akquise://record/<no.>.",
    ),
    Problem.UNKNOWN_KIND: (
        "Der Link zeigt auf {detail!r}; geöffnet werden können nur Datensätze (record) "
        "und Wiedervorlagen (followup).",
        "The link points to {detail!r}; only records (record) and follow-ups (followup) "
        "can be opened.",
    ),
    Problem.BAD_ID: (
        "Die Nummer im Link ist ungültig: {detail!r}.",
        "The number in the link is not valid: {detail!r}.",
    ),
    Problem.OTHER_DATABASE: (
        "Der Link gehört zu einer anderen Datenbank als der geöffneten ({detail}).",
        "The link belongs to another database than the one open ({detail}).",
    ),
    Problem.NOT_FOUND: (
        "{detail} gibt es nicht (mehr).",
        "{detail} does not exist (any more).",
    ),
    Problem.NO_RIGHT: (
        "Sie haben kein Recht, {detail} zu sehen.",
        "You have no right to see {detail}.",
    ),
}


class LinkError(ValueError):
    """A link that opens nothing; :attr:`problem` says why."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(self.message("en"))

    def message(self, lang: str = "de") -> str:
        de, en = _MESSAGES[self.problem]
        return (de if lang == "de" else en).format(detail=self.detail)


@dataclass(frozen=True)
class Link:
    kind: Kind
    id: int
    db: str | None = None  # a database_id(); None: the database that opens it

    def url(self) -> str:
        return format_url(self.kind, self.id, self.db)

    def check_database(self, current_db: str, current_name: str = "") -> None:
        """Refuse (:attr:`Problem.OTHER_DATABASE`, naming the open one:
        ``current_name``) a link made for another database."""
        if self.db is not None and self.db != current_db:
            raise LinkError(Problem.OTHER_DATABASE, current_name or current_db)


# --- the database identity ---------------------------------------------------------------

_DB_ID = re.compile(r"(?:sqlite|pg)-[0-9a-f]{16}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sqlite_id(path: str | os.PathLike[str]) -> str:
    resolved = os.path.normcase(str(Path(path).expanduser().resolve()))
    return f"sqlite-{_digest(resolved)}"


def postgres_id(host: str | None, port: int | None, database: str | None) -> str:
    where = f"{(host or 'localhost').lower()}:{port or 5432}/{database or ''}"
    return f"pg-{_digest(where)}"


def database_id(url: URL) -> str:
    """The stable id of the database at ``url`` (module docstring)."""
    if url.get_backend_name() == "sqlite":
        return sqlite_id(url.database or ":memory:")
    return postgres_id(url.host, url.port, url.database)


def profile_id(profile: ConnectionProfile) -> str:
    """The id of the database a connection profile opens (no password needed)."""
    return database_id(profile.url())


def matching_profile(db: str, profiles: list[ConnectionProfile]) -> ConnectionProfile | None:
    """The user's profile whose database has the id ``db`` (None: no such)."""
    return next((p for p in profiles if profile_id(p) == db), None)


# --- format and parse --------------------------------------------------------------------


def format_url(kind: Kind | str, ident: int, db: str | None = None) -> str:
    kind = Kind(kind)
    if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        raise ValueError(f"bad id {ident!r}")
    if db is not None and not _DB_ID.fullmatch(db):
        raise ValueError(f"bad database id {db!r}")
    query = f"?db={quote(db)}" if db else ""
    return f"{SCHEME}://{kind.value}/{ident}{query}"


def record_url(record_id: int, db: str | None = None) -> str:
    return format_url(Kind.RECORD, record_id, db)


def follow_up_url(follow_up_id: int, db: str | None = None) -> str:
    return format_url(Kind.FOLLOW_UP, follow_up_id, db)


_SHAPE = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<kind>[^/?#]*)/(?P<id>[^/?#]*)/?"
    r"(?:\?(?P<query>[^#]*))?"
)


def is_link(text: str) -> bool:
    """Does ``text`` look meant as one of our links (to pick it out of argv)?"""
    return text[: len(SCHEME) + 1].lower() == f"{SCHEME}:"


def parse(text: str) -> Link:
    """The link in ``text``; :class:`LinkError` with the reason if it is none."""
    if not isinstance(text, str):
        raise LinkError(Problem.MALFORMED, "no text")
    if len(text) > MAX_LENGTH:
        raise LinkError(Problem.MALFORMED, "too long")
    if not text.isprintable() or any(c.isspace() for c in text):
        raise LinkError(Problem.MALFORMED, "spaces or control characters")
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        if not is_link(text):
            raise LinkError(Problem.MALFORMED, "not an akquise:// link")
        raise LinkError(Problem.MALFORMED, "expected akquise://<kind>/<no.>")
    if shape["scheme"].lower() != SCHEME:
        raise LinkError(Problem.MALFORMED, "not an akquise:// link")
    kind_text = shape["kind"].lower()
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise LinkError(Problem.UNKNOWN_KIND, shape["kind"]) from None
    raw_id = shape["id"]
    if not re.fullmatch(r"[1-9][0-9]{0,18}", raw_id) or int(raw_id) > MAX_ID:
        raise LinkError(Problem.BAD_ID, raw_id)
    return Link(kind, int(raw_id), _database(shape["query"]))


def _database(query: str | None) -> str | None:
    if query is None:
        return None
    if query == "":
        raise LinkError(Problem.MALFORMED, "empty query")
    pairs = query.split("&")
    names = [pair.partition("=")[0] for pair in pairs]
    unknown = sorted({n for n in names if n != "db"})
    if unknown:
        raise LinkError(Problem.MALFORMED, f"unknown parameter {unknown[0]!r}")
    if len(pairs) > 1:
        raise LinkError(Problem.MALFORMED, "db given more than once")
    _name, sep, value = pairs[0].partition("=")
    if not sep or not _DB_ID.fullmatch(value):
        raise LinkError(Problem.MALFORMED, "db is not a database id")
    return value


# --- calls: the caller look-up message and tel: links ---------------------------------------

CALL_KIND = "call"
MAX_NUMBER = 50  # as a stored phone number (record.phone, contact.phone)
MIN_DIGITS = 3
_NUMBER = re.compile(r"\+?[0-9 ()/.\-]+")
_PREFIXES = ("tel:", "callto:", "sip:")


class NumberError(ValueError):
    """A text that is no phone number; :meth:`message` says why (German/English)."""

    def __init__(self, de: str, en: str) -> None:
        self.de, self.en = de, en
        super().__init__(en)

    def message(self, lang: str = "de") -> str:
        return self.de if lang == "de" else self.en


def phone_number(text: str) -> str:
    """The phone number in ``text`` as given (outer spaces removed), from a
    phone system or a ``tel:`` / ``callto:`` link (its parameters after ``;``
    dropped); :class:`NumberError` if it is none — an empty or anonymous caller,
    letters, control characters, too long, fewer than three digits."""
    number = text.strip() if isinstance(text, str) else ""
    lowered = number.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            number = unquote(number[len(prefix) :].split(";", 1)[0]).strip()
            if prefix == "sip:":
                number = number.split("@", 1)[0]
            break
    if not number:
        raise NumberError(
            "Keine Rufnummer übermittelt (unterdrückte Nummer?).",
            "No phone number given (a withheld number?).",
        )
    if len(number) > MAX_NUMBER:
        raise NumberError(
            f"Die Rufnummer ist zu lang (höchstens {MAX_NUMBER} Zeichen).",
            f"The phone number is too long (at most {MAX_NUMBER} characters).",
        )
    if not _NUMBER.fullmatch(number):
        raise NumberError(
            f"Keine Rufnummer: {number!r} (erlaubt sind Ziffern, + ( ) / - . und Leerzeichen).",
            f"Not a phone number: {number!r} (digits, + ( ) / - . and spaces are allowed).",
        )
    if sum(ch.isdigit() for ch in number) < MIN_DIGITS:
        raise NumberError(
            f"Keine Rufnummer: {number!r} (zu wenige Ziffern).",
            f"Not a phone number: {number!r} (too few digits).",
        )
    return " ".join(number.split())


def call_url(number: str) -> str:
    """The message that asks the running instance to look the caller up."""
    return f"{SCHEME}://{CALL_KIND}/{quote(phone_number(number), safe='')}"


def is_call(text: str) -> bool:
    """Is ``text`` meant as a call message (:func:`call_url`)?"""
    head = f"{SCHEME}://{CALL_KIND}/"
    return isinstance(text, str) and text[: len(head)].lower() == head


def parse_call(text: str) -> str:
    """The number of a call message; :class:`NumberError` if it holds none."""
    if not is_call(text) or len(text) > MAX_LENGTH:
        raise NumberError("Keine Anruf-Nachricht.", "Not a call message.")
    encoded = text[len(f"{SCHEME}://{CALL_KIND}/") :].removesuffix("/")
    return phone_number(unquote(encoded))


def tel_url(number: str | None) -> str | None:
    """The ``tel:`` link (RFC 3966) of a stored number, for the OS's dialler:
    ``+`` and the digits; a number starting with ``+`` or ``00`` as a global
    number (``tel:+492213712306``; a ``(0)`` after the country code dropped),
    any other as its digits (``0221/3712306`` → ``tel:02213712306``). None when
    the text holds no digits."""
    if not number:
        return None
    prefix, rest = split_prefix(number)
    if prefix == INTERNATIONAL:
        return f"tel:+{rest}" if rest else None
    digits = "".join(ch for ch in number if ch.isascii() and ch.isdigit())
    return f"tel:{digits}" if digits else None
