"""Reading an import file into a plain table: CSV (delimiter and encoding
detected, both overridable), Excel ``.xlsx`` (openpyxl, read-only) and vCard
3.0/4.0 (vobject: one row per card, with the columns of :data:`VCARD_COLUMNS`).

A file that is not a table (empty, binary, a zip that is no workbook, no data
row) raises :class:`NotATableError` with a message in German and English;
nothing is read further and nothing is written. Cells are kept as text, as
they are: what a cell may hold is decided by :mod:`.validate`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Bigger files are refused (a contact list of a million rows is ~200 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
DELIMITERS = (";", ",", "\t", "|")
# The columns a vCard becomes (keys of :data:`.mapping.FIELDS`).
VCARD_COLUMNS = (
    "name",
    "contact_salutation",
    "contact_title",
    "contact_first_name",
    "contact_last_name",
    "contact_position",
    "phone",
    "contact_mobile",
    "contact_email",
    "street",
    "postal_code",
    "city",
    "country",
    "website",
    "notes",
)


class NotATableError(Exception):
    """The file cannot be read as a table; nothing was imported."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_de = message_de
        self.message_en = message_en

    def message(self, lang: str = "de") -> str:
        return self.message_de if lang == "de" else self.message_en


@dataclass(frozen=True)
class Table:
    """A file's header and data rows (text cells; rows padded to the header)."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    kind: str  # "csv", "xlsx" or "vcard"
    encoding: str | None = None
    delimiter: str | None = None
    # The file's row number (1 = the header) of each data row.
    row_numbers: Sequence[int] = field(default_factory=tuple)

    def row_number(self, index: int) -> int:
        return self.row_numbers[index] if self.row_numbers else index + 2


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read ``path`` by its content (not its name): xlsx, vCard or CSV."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NotATableError(
                f"Die Datei ist zu groß ({size // 2**20} MB, höchstens "
                f"{MAX_FILE_BYTES // 2**20} MB).",
                f"The file is too large ({size // 2**20} MB, at most "
                f"{MAX_FILE_BYTES // 2**20} MB).",
            )
        data = p.read_bytes()
    except OSError as exc:
        raise NotATableError(
            f"Die Datei kann nicht gelesen werden: {exc.strerror or exc}",
            f"The file cannot be read: {exc.strerror or exc}",
        ) from None
    return read_bytes(data, encoding=encoding, delimiter=delimiter, sheet=sheet)


def read_bytes(
    data: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    if not data.strip():
        raise _not_a_table("Die Datei ist leer.", "The file is empty.")
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, sheet=sheet)
    text = decode(data, encoding)
    head = text.lstrip("\ufeff").lstrip()[:200].upper()
    if head.startswith("BEGIN:VCARD"):
        return read_vcard(text, encoding=text_encoding(data, encoding))
    return read_csv(text, delimiter=delimiter, encoding=text_encoding(data, encoding))


def _not_a_table(de: str, en: str) -> NotATableError:
    return NotATableError(
        f"Die Datei ist keine Tabelle: {de} Erwartet: CSV, Excel (.xlsx) oder vCard.",
        f"The file is not a table: {en} Expected: CSV, Excel (.xlsx) or vCard.",
    )


# --- text ----------------------------------------------------------------------------------


def text_encoding(data: bytes, override: str | None = None) -> str:
    """The encoding to read ``data`` with: the override, UTF-8 (with or without
    BOM) if it decodes, else the best guess of charset-normalizer (Windows-1252
    for the Latin family: what German Excel writes)."""
    if override:
        return override
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262_144]).best()
    name = (best.encoding if best is not None else "cp1252").lower().replace("-", "_")
    if name in {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1252", "windows_1252"}:
        return "cp1252"
    return name


def decode(data: bytes, override: str | None = None) -> str:
    """``data`` as text; undecodable bytes become U+FFFD (reported per row)."""
    name = text_encoding(data, override)
    try:
        text = data.decode(name, errors="replace")
    except LookupError:
        raise NotATableError(
            f"Unbekannte Zeichenkodierung „{name}“.", f"Unknown encoding “{name}”."
        ) from None
    if "\x00" in text[:65_536]:
        raise _not_a_table("Sie enthält Binärdaten.", "It holds binary data.")
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (ties:
    ``;`` first, German Excel's)."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1.0
    for candidate in DELIMITERS:
        counts = [line.count(candidate) for line in lines]
        if not counts or max(counts) == 0:
            continue
        top = max(set(counts), key=counts.count)
        consistent = counts.count(top) / len(counts)
        score = consistent * 10 + min(top, 50) / 50
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(text: str, *, delimiter: str | None = None, encoding: str | None = None) -> Table:
    text = text.lstrip("\ufeff")
    if len(_CONTROL.findall(text[:65_536])) > 8:
        raise _not_a_table("Sie enthält Binärdaten.", "It holds binary data.")
    sep = delimiter or guess_delimiter(text)
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    headers: tuple[str, ...] | None = None
    try:
        for raw in reader:
            if not any(cell.strip() for cell in raw):
                continue
            if headers is None:
                headers = tuple(cell.strip() for cell in raw)
                continue
            rows.append(_fit(raw, len(headers)))
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise _not_a_table(
            f"Zeile {reader.line_num}: {exc}", f"line {reader.line_num}: {exc}"
        ) from None
    return _table(headers, rows, "csv", encoding, sep, numbers)


def _fit(raw: Sequence[str], width: int) -> tuple[str, ...]:
    """A row as wide as the header: missing cells empty, extra ones joined to
    the last (kept, so validation sees them)."""
    cells = list(raw)
    if len(cells) < width:
        cells += [""] * (width - len(cells))
    elif len(cells) > width and width > 0:
        extra = [c for c in cells[width:] if c.strip()]
        cells = cells[:width]
        if extra:
            cells[-1] = " ".join([cells[-1], *extra]).strip()
    return tuple(cells)


def _table(
    headers: tuple[str, ...] | None,
    rows: list[tuple[str, ...]],
    kind: str,
    encoding: str | None,
    delimiter: str | None,
    numbers: list[int],
) -> Table:
    if headers is None or not any(headers):
        raise _not_a_table("Sie hat keine Kopfzeile.", "It has no header row.")
    if not rows:
        raise _not_a_table(
            "Unter der Kopfzeile steht keine Zeile.", "There is no row below the header."
        )
    width = len(headers)
    if width == 1 and kind == "csv" and len(headers[0]) > 200:
        raise _not_a_table("Sie hat keine Spalten.", "It has no columns.")
    names = tuple(h or f"#{i + 1}" for i, h in enumerate(headers))
    return Table(names, rows, kind, encoding, delimiter, tuple(numbers))


# --- Excel ---------------------------------------------------------------------------------


def read_xlsx(data: bytes, *, sheet: str | None = None) -> Table:
    """The first (or the named) worksheet of an ``.xlsx``; cells as text
    (formulas as their text: openpyxl does not calculate, and validation
    refuses them)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _not_a_table(
            f"Die Zip-Datei ist keine Excel-Mappe ({exc}).",
            f"The zip file is no Excel workbook ({exc}).",
        ) from None
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        headers: tuple[str, ...] | None = None
        rows: list[tuple[str, ...]] = []
        numbers: list[int] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = tuple(_cell_text(v) for v in values)
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = tuple(c.strip() for c in cells)
                while headers and not headers[-1]:
                    headers = headers[:-1]
                continue
            rows.append(_fit(cells, len(headers)))
            numbers.append(number)
    except (KeyError, IndexError):
        raise _not_a_table("Das Tabellenblatt fehlt.", "The worksheet is missing.") from None
    finally:
        book.close()
    return _table(headers, rows, "xlsx", None, None, numbers)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


# --- vCard ---------------------------------------------------------------------------------


def read_vcard(text: str, *, encoding: str | None = None) -> Table:
    """One row per card (3.0 and 4.0; folded lines unfolded by vobject; photos
    and other binary properties ignored)."""
    import vobject

    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    try:
        for index, card in enumerate(vobject.readComponents(text, ignoreUnreadable=True)):
            if card.name.upper() != "VCARD":
                continue
            rows.append(_card_row(card))
            numbers.append(index + 1)
    except Exception as exc:  # vobject raises many kinds on malformed input
        raise _not_a_table(
            f"Die vCard-Datei ist fehlerhaft ({exc}).", f"The vCard file is malformed ({exc})."
        ) from None
    if not rows:
        raise _not_a_table("Sie enthält keine vCard.", "It holds no vCard.")
    return Table(VCARD_COLUMNS, rows, "vcard", encoding, None, tuple(numbers))


def _values(card, key: str) -> list:
    return [c for c in card.contents.get(key, []) if c is not None]


def _typed(card, key: str, wanted: Sequence[str], avoid: Sequence[str] = ()) -> str:
    """The value of the first ``key`` property with one of the ``wanted`` types
    (then the first not of an ``avoid`` type)."""
    props = _values(card, key)

    def types(p) -> set[str]:
        found = {t.lower() for t in p.params.get("TYPE", [])}
        return {part for t in found for part in t.split(",")}

    for p in props:
        if types(p) & set(wanted):
            return _text(p.value)
    for p in props:
        if not types(p) & set(avoid):
            return _text(p.value)
    return ""


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if v).strip()
    return str(value or "").strip()


def _card_row(card) -> tuple[str, ...]:
    values = dict.fromkeys(VCARD_COLUMNS, "")
    n = _values(card, "n")
    if n:
        name = n[0].value
        values["contact_last_name"] = _text(getattr(name, "family", ""))
        values["contact_first_name"] = _text(getattr(name, "given", ""))
        values["contact_salutation"] = _text(getattr(name, "prefix", ""))
    if not values["contact_last_name"]:
        fn = _values(card, "fn")
        full = _text(fn[0].value) if fn else ""
        first, _, last = full.rpartition(" ")
        values["contact_first_name"] = values["contact_first_name"] or first
        values["contact_last_name"] = last
    org = _values(card, "org")
    if org:
        value = org[0].value
        values["name"] = _text(value[0] if isinstance(value, list) and value else value)
    for key, column in (("title", "contact_position"), ("note", "notes"), ("url", "website")):
        props = _values(card, key)
        if props:
            values[column] = _text(props[0].value)
    values["phone"] = _typed(card, "tel", ("work", "voice", "main"), avoid=("cell", "fax"))
    values["contact_mobile"] = _typed(card, "tel", ("cell",), avoid=("work", "home", "fax"))
    if values["contact_mobile"] == values["phone"]:
        values["contact_mobile"] = ""
    values["contact_email"] = _typed(card, "email", ("work", "internet", "pref"))
    adr = _values(card, "adr")
    if adr:
        a = adr[0].value
        values["street"] = _text(getattr(a, "street", ""))
        values["postal_code"] = _text(getattr(a, "code", ""))
        values["city"] = _text(getattr(a, "city", ""))
        values["country"] = _text(getattr(a, "country", ""))
    return tuple(values[c] for c in VCARD_COLUMNS)
