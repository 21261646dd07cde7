"""NIP parsing and printing: PNS and PPPK accepted, every rejection named."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kinerja.organizations.domain.nip import (
    EmployeeKind,
    InvalidNip,
    NipProblem,
    format_nip,
    normalize_nip,
    parse_nip,
)
from kinerja.organizations.validators import NIP_MESSAGES, validate_nip


@pytest.mark.parametrize(
    ("text", "kind", "birth", "year", "gender"),
    [
        ("197704152000121001", EmployeeKind.PNS, datetime.date(1977, 4, 15), 2000, 1),
        ("19770415 199612 2 001", EmployeeKind.PNS, datetime.date(1977, 4, 15), 1996, 2),
        (" 19770415  199612 2 001 ", EmployeeKind.PNS, datetime.date(1977, 4, 15), 1996, 2),
        ("196001011985031999", EmployeeKind.PNS, datetime.date(1960, 1, 1), 1985, 1),
        ("20000229 202201 2 123", EmployeeKind.PNS, datetime.date(2000, 2, 29), 2022, 2),
        # PPPK: year of appointment in digits 9–12, code 2 in digit 13
        ("198503122021211005", EmployeeKind.PPPK, datetime.date(1985, 3, 12), 2021, 1),
        ("19900701 2023 2 1 2 017", EmployeeKind.PPPK, datetime.date(1990, 7, 1), 2023, 2),
    ],
)
def test_valid_nips_are_decoded(text, kind, birth, year, gender):
    nip = parse_nip(text)
    assert nip.kind is kind
    assert nip.birth_date == birth
    assert nip.appointment_year == year
    assert nip.gender == gender
    assert nip.digits == normalize_nip(text)
    validate_nip(text)  # no error


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", NipProblem.NOT_18_DIGITS),
        ("19770415", NipProblem.NOT_18_DIGITS),
        ("19770415199612200", NipProblem.NOT_18_DIGITS),  # 17 digits
        ("1977041519961220011", NipProblem.NOT_18_DIGITS),  # 19 digits
        ("19770415 1996I2 2 001", NipProblem.NOT_18_DIGITS),  # a letter I for a one
        ("19770415-199612-2-001", NipProblem.NOT_18_DIGITS),
        ("19771315 199612 2 001", NipProblem.BAD_BIRTH_DATE),  # month 13
        ("19770230 199612 2 001", NipProblem.BAD_BIRTH_DATE),  # 30 February
        ("19770400 199612 2 001", NipProblem.BAD_BIRTH_DATE),  # day 0
        ("18990101 192001 1 001", NipProblem.BAD_BIRTH_DATE),  # before 1900
        ("19770415 199600 2 001", NipProblem.BAD_TMT),  # TMT month 00
        ("19770415 199613 2 001", NipProblem.BAD_TMT),  # TMT month 13
        ("19770415 199001 1 001", NipProblem.TMT_BEFORE_ADULTHOOD),  # appointed at 12
        ("19850312 2001 2 1 1 005", NipProblem.TMT_BEFORE_ADULTHOOD),  # PPPK at 16
        ("19770415 199612 3 001", NipProblem.BAD_GENDER),
        ("19770415 199612 0 001", NipProblem.BAD_GENDER),
        ("19850312 2021 2 1 9 005", NipProblem.BAD_GENDER),  # PPPK gender digit 15
        ("19770415 199612 1 000", NipProblem.BAD_SEQUENCE),
        ("19850312 2021 2 1 1 000", NipProblem.BAD_SEQUENCE),
    ],
)
def test_invalid_nips_name_their_problem(text, problem):
    with pytest.raises(InvalidNip) as caught:
        parse_nip(text)
    assert caught.value.problem is problem
    with pytest.raises(ValidationError) as invalid:
        validate_nip(text)
    assert invalid.value.code == problem.value
    assert invalid.value.messages == [str(NIP_MESSAGES[problem])]


def test_every_problem_has_a_message_that_points_at_the_digits():
    assert set(NIP_MESSAGES) == set(NipProblem)
    assert "18" in str(NIP_MESSAGES[NipProblem.NOT_18_DIGITS])
    assert "1–8" in str(NIP_MESSAGES[NipProblem.BAD_BIRTH_DATE])
    assert "9–14" in str(NIP_MESSAGES[NipProblem.BAD_TMT])
    assert "15" in str(NIP_MESSAGES[NipProblem.BAD_GENDER])


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("197704151996122001", "19770415 199612 2 001"),
        ("19770415 199612 2 001", "19770415 199612 2 001"),
        ("1977 0415 1996 1220 01", "19770415 199612 2 001"),
        ("198503122021211005", "19850312 202121 1 005"),
        ("12345", "12345"),  # not a NIP: shown as typed
    ],
)
def test_format_nip_groups_8_6_1_3(text, printed):
    assert format_nip(text) == printed


# --- properties ------------------------------------------------------------------------

birth_dates = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2006, 12, 31))


@st.composite
def pns_nips(draw):
    birth = draw(birth_dates)
    year = draw(st.integers(min_value=birth.year + 17, max_value=birth.year + 50))
    month = draw(st.integers(min_value=1, max_value=12))
    gender = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}"


@st.composite
def pppk_nips(draw):
    birth = draw(birth_dates)
    year = draw(st.integers(min_value=birth.year + 17, max_value=birth.year + 50))
    extra = draw(st.sampled_from("0123456789"))
    gender = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}2{extra}{gender}{sequence:03d}"


@given(pns_nips())
def test_every_well_formed_pns_nip_is_accepted(digits):
    nip = parse_nip(digits)
    assert nip.kind is EmployeeKind.PNS
    assert nip.birth_date.strftime("%Y%m%d") == digits[:8]
    assert nip.appointment_year == int(digits[8:12])
    assert nip.gender == int(digits[14])


@given(pppk_nips())
def test_every_well_formed_pppk_nip_is_accepted(digits):
    nip = parse_nip(digits)
    assert nip.kind is EmployeeKind.PPPK
    assert nip.appointment_year == int(digits[8:12])


@given(st.one_of(pns_nips(), pppk_nips()))
def test_printing_and_parsing_round_trip(digits):
    printed = format_nip(digits)
    assert [len(group) for group in printed.split(" ")] == [8, 6, 1, 3]
    assert parse_nip(printed) == parse_nip(digits)
    assert str(parse_nip(digits)) == printed


@given(st.text(alphabet="0123456789 ", max_size=30))
def test_any_digit_string_is_either_a_nip_or_names_a_problem(text):
    try:
        nip = parse_nip(text)
    except InvalidNip as exc:
        assert exc.problem in NipProblem
        if len(normalize_nip(text)) != 18:
            assert exc.problem is NipProblem.NOT_18_DIGITS
    else:
        assert len(nip.digits) == 18
        assert nip.gender in (1, 2)


@given(pns_nips(), st.sampled_from("03456789"))
def test_a_wrong_gender_digit_is_always_rejected(digits, wrong):
    with pytest.raises(InvalidNip) as caught:
        parse_nip(digits[:14] + wrong + digits[15:])
    assert caught.value.problem is NipProblem.BAD_GENDER
