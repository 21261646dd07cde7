"""Document numbers from a pattern: placeholders, Roman months, padding, agency codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.documents.domain.numbering import (
    DEFAULT_PATTERNS,
    FALLBACK_PATTERN,
    InvalidPattern,
    agency_code,
    check_pattern,
    format_document_number,
    to_roman,
)


def test_the_example_of_the_issue():
    number = format_document_number(
        "000.1.2/{seq}/{code}/{month_roman}/{year}", seq=15, code="DKUKM", month=11, year=2026
    )

    assert number == "000.1.2/015/DKUKM/XI/2026"


@pytest.mark.parametrize(("seq", "text"), [(1, "001"), (99, "099"), (999, "999"), (1234, "1234")])
def test_the_running_number_has_at_least_three_digits(seq, text):
    assert format_document_number("{seq}", seq=seq, code="", month=1, year=2026) == text


@pytest.mark.parametrize(
    ("month", "roman"),
    [
        (1, "I"),
        (2, "II"),
        (3, "III"),
        (4, "IV"),
        (5, "V"),
        (6, "VI"),
        (7, "VII"),
        (8, "VIII"),
        (9, "IX"),
        (10, "X"),
        (11, "XI"),
        (12, "XII"),
    ],
)
def test_months_in_roman_numerals(month, roman):
    assert to_roman(month) == roman


@given(st.integers(min_value=1, max_value=3999))
def test_roman_numerals_read_back(number):
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    roman = to_roman(number)
    total = 0
    for letter, following in zip(roman, [*roman[1:], "I"], strict=True):
        total += -values[letter] if values[letter] < values[following] else values[letter]
    assert total == number


def test_roman_numerals_start_at_one():
    with pytest.raises(ValueError):
        to_roman(0)


@pytest.mark.parametrize(
    "pattern", ["{nomor}/{code}/{year}", "{code}/{year}", "{}/{seq}", "{seq.__class__}"]
)
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(InvalidPattern):
        check_pattern(pattern)
    with pytest.raises(InvalidPattern):
        format_document_number(pattern, seq=1, code="X", month=1, year=2026)


def test_every_default_pattern_is_valid_and_they_differ():
    for pattern in [*DEFAULT_PATTERNS.values(), FALLBACK_PATTERN]:
        check_pattern(pattern)
    numbers = {
        format_document_number(p, seq=1, code="D", month=1, year=2026)
        for p in [*DEFAULT_PATTERNS.values(), FALLBACK_PATTERN]
    }
    assert len(numbers) == len(DEFAULT_PATTERNS) + 1


@pytest.mark.parametrize(
    ("short_name", "code"),
    [
        ("Dinas Koperasi dan UKM", "DKUKM"),
        ("DPMPTSP", "DPMPTSP"),
        ("Disperinaker", "DISPERINAKER"),
        ("Biro Organisasi", "BO"),
        ("BAPPEDA", "BAPPEDA"),
    ],
)
def test_agency_codes_from_short_names(short_name, code):
    assert agency_code(short_name) == code
