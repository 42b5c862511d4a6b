"""Phone numbers: the stored normal form and the forms a search word may take.

Every stored number (a record's phone, a contact person's phone and mobile) is
also kept in E.164 (``+492213712306``), parsed with ``phonenumbers`` in the
region of its record's country, else the default region of the settings (DE);
a number that cannot be parsed is kept as typed (:func:`stored_form`). The
search index holds the digits of that form, so a search word that looks like a
phone number (:func:`number_forms`) matches by its digits whatever the
formatting — ``0221 3712306``, ``02213712306``, ``+49 221 3712306``,
``0049 221 3712306``, ``+49 (0)221 3712306``, ``0221/371 23 06`` — and a tail of
four or more digits (``2306``, a caller's extension) matches too.
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_REGION = "DE"
MIN_TAIL = 4  # digits a search word needs to be taken for (part of) a number
_PLAIN_PHONE = re.compile(r"^\+?[\d\s/().-]+$")
# A number written with blanks in a search text: starts a word with "+", "0" or
# "(0", goes on with digits, blanks and "/ - . ( )", ends with a digit.
_SPACED_NUMBER = re.compile(r"(?<!\S)(?:\+|\(?0)(?:[ \t]*[\d()/.\-])*[\d)](?!\S)")
_NUMBER_WORD = re.compile(r"^[+(]?[\d()/.\-]*\d[\d()/.\-]*$")
# Regions checked without loading phonenumbers' tables; any other asks it.
_KNOWN_REGIONS = frozenset({"DE", "AT", "CH", "NL", "BE", "LU", "FR", "IT", "PL", "DK", "GB"})


def region_or_default(region: str | None, default: str = DEFAULT_REGION) -> str:
    """``region`` (a country code such as a record's ``country``) when
    ``phonenumbers`` knows it, else ``default``."""
    code = (region or "").strip().upper()
    if code in _KNOWN_REGIONS:
        return code
    if len(code) == 2 and code.isalpha():
        import phonenumbers

        if code in phonenumbers.SUPPORTED_REGIONS:
            return code
    return default


INTERNATIONAL, NATIONAL = "international", "national"


def split_prefix(number: str) -> tuple[str, str]:
    """``number``'s dialling prefix and its digits after it: ``+49 (0)221 …`` and
    ``0049 221 …`` are (:data:`INTERNATIONAL`, ``"49221…"``), ``0221 …`` and
    ``(0221) …`` (:data:`NATIONAL`, ``"221…"``), anything else ("", its digits).
    A ``(0)`` after the country code is no digit of the number."""
    text = number.strip().replace("(0)", "").lstrip("(")
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if text.startswith("+"):
        return INTERNATIONAL, digits
    if digits.startswith("00"):
        return INTERNATIONAL, digits[2:]
    if digits.startswith("0"):
        return NATIONAL, digits[1:]
    return "", digits


@lru_cache(maxsize=200_000)
def normal_phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 (``+492211234567``), or None when it is no possible number.

    Plain German shapes (digits, blanks, ``/ - ( ) .``, a leading ``+`` or
    ``00``) are worked out directly — what ``phonenumbers`` answers for them,
    at a fraction of its time (100,000 rows); anything else (letters,
    extensions, other regions) goes to ``phonenumbers``."""
    text = raw.strip()
    if region == "DE" and _PLAIN_PHONE.match(text):
        prefix, rest = split_prefix(text)
        full = {INTERNATIONAL: rest, NATIONAL: "49" + rest}.get(prefix, "")
        if full.startswith("49") and 9 <= len(full) <= 15:
            return "+" + full
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def stored_form(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """What a stored number is also kept as: E.164, or the number as typed
    when it is none (an extension in words, a typo); None for no number."""
    text = (raw or "").strip()
    if not text:
        return None
    return normal_phone(text, region) or text[:50]


def join_spaced_numbers(text: str) -> str:
    """``text`` with phone numbers written with blanks (``+49 221 3712306``,
    ``0221 37 12 306``) closed up into one word each, so they are searched as
    one number and not as unrelated pieces. Only what starts like a number
    (``+``, ``0``, ``(0``) is joined: ``Hauptstr 12 50667`` stays three words."""
    return _SPACED_NUMBER.sub(lambda m: re.sub(r"[ \t]+", "", m.group(0)), text)


def number_forms(word: str) -> tuple[str, ...]:
    """The digit strings a search ``word`` that looks like (part of) a phone
    number is looked for as among the digits of the stored numbers' E.164
    forms: its own digits (a tail, ``3712306``), and for a number written
    nationally or internationally its digits after the prefix — ``0221…`` as
    ``221…``, ``+49 221…``, ``0049 221…`` and ``+49 (0)221…`` as ``49221…``.
    (A national number's digits without the leading 0 are its E.164 digits
    without the country code: no region needed.) Empty when ``word`` is no
    number (letters, fewer than :data:`MIN_TAIL` digits)."""
    if not _NUMBER_WORD.match(word):
        return ()
    digits = "".join(ch for ch in word if ch.isdigit())
    if len(digits) < MIN_TAIL:
        return ()
    prefix, rest = split_prefix(word)
    return (digits, rest) if prefix and rest != digits else (digits,)
