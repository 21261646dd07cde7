"""Indonesian number input and output."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.domain.numbers import NumberFormatError, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85,5", Decimal("85.5")),
        ("1.234,5", Decimal("1234.5")),
        ("85,5 %", Decimal("85.5")),
        ("85,5%", Decimal("85.5")),
        ("1.234.567", Decimal("1234567")),
        ("1.234", Decimal("1234")),
        ("0,25", Decimal("0.25")),
        ("12", Decimal("12")),
        ("-3,5", Decimal("-3.5")),
        ("1.5", Decimal("1.5")),
        ("  76,61 ", Decimal("76.61")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.23.4", "12,5,0", "--1", "1,234.5", "%"])
def test_parse_number_rejects_garbage(text):
    if text == "%":
        assert parse_number(text) is None
        return
    with pytest.raises(NumberFormatError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("113.3333"), 2, "113,33"),
        (Decimal("99.995"), 2, "100,00"),
        (Decimal("1000000"), None, "1.000.000"),
        (Decimal("80.0000"), None, "80"),
        (Decimal("-1234.5"), None, "-1.234,5"),
        (Decimal("0.5"), 0, "1"),
        (None, None, "–"),
    ],
)
def test_format_number(value, places, expected):
    assert format_number(value, places=places) == expected


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_format_then_parse_round_trips(value):
    assert parse_number(format_number(value)) == value
