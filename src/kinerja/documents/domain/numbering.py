"""Official document numbers ("nomor naskah dinas") from a pattern.

A pattern is text with placeholders: `{seq}` (the running number of the year,
at least three digits), `{code}` (the agency's code), `{month_roman}` (the
month in Roman numerals) and `{year}`. The archive classification code
(kode klasifikasi arsip) is written into the pattern as literal text, e.g.
"000.1.2/{seq}/{code}/{month_roman}/{year}" gives "000.1.2/015/DKUKM/XI/2026".
"""

import re

PLACEHOLDERS = frozenset({"seq", "code", "month_roman", "year"})
SEQ_WIDTH = 3
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
#: the pattern each kind of document starts with, until the agency sets its own
DEFAULT_PATTERNS = {
    "surat": "{seq}/{code}/{month_roman}/{year}",
    "disposisi": "{seq}/DISP/{code}/{month_roman}/{year}",
    "undangan": "{seq}/UND/{code}/{month_roman}/{year}",
    "notula": "{seq}/NOT/{code}/{month_roman}/{year}",
    "daftar_hadir": "{seq}/DH/{code}/{month_roman}/{year}",
    "lembar_persetujuan": "{seq}/LP/{code}/{month_roman}/{year}",
    "surat_perintah_tugas": "{seq}/SPT/{code}/{month_roman}/{year}",
    "sk": "{seq}/SK/{code}/{year}",
}
FALLBACK_PATTERN = "{seq}/DOK/{code}/{month_roman}/{year}"


class InvalidPattern(ValueError):
    """The pattern names an unknown placeholder or has no `{seq}`."""


def to_roman(number: int) -> str:
    """1 → "I", 11 → "XI" (months and other small positive numbers)."""
    if number < 1:
        raise ValueError("Roman numerals start at 1")
    parts = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def check_pattern(pattern: str) -> None:
    """Raise InvalidPattern unless every placeholder is known and `{seq}` is present."""
    names = set(_PLACEHOLDER.findall(pattern))
    unknown = names - PLACEHOLDERS
    if unknown:
        raise InvalidPattern(f"unknown placeholders: {', '.join(sorted(unknown))}")
    if "seq" not in names:
        raise InvalidPattern("a pattern needs {seq}, or every number would be the same")


def format_document_number(pattern: str, *, seq: int, code: str, month: int, year: int) -> str:
    """Fill in a pattern: seq 15, code "DKUKM", month 11, year 2026 → "015/DKUKM/XI/2026"."""
    check_pattern(pattern)
    values = {
        "seq": f"{seq:0{SEQ_WIDTH}d}",
        "code": code,
        "month_roman": to_roman(month),
        "year": str(year),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], pattern)


def agency_code(short_name: str) -> str:
    """A numbering code from an agency's short name.

    One word is kept whole ("Disperinaker" → "DISPERINAKER"); of several, an
    all-capitals word is kept whole and any other capitalised word gives its
    initial, while small words are left out ("Dinas Koperasi dan UKM" → "DKUKM").
    """
    words = short_name.split()
    if len(words) == 1:
        return words[0].upper()
    parts = [word if word.isupper() else word[0] for word in words if word[:1].isupper()]
    return "".join(parts).upper()
