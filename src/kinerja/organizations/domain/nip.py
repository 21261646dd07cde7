"""NIP (Nomor Induk Pegawai): the 18-digit civil-servant number.

PNS:  YYYYMMDD (birth) YYYYMM (TMT CPNS) G (1 male, 2 female) NNN (sequence)
PPPK: YYYYMMDD (birth) YYYY (year of appointment) 2 (PPPK code) X G NNN

Digit 13 tells them apart: for a PNS it is the first digit of the TMT month
(0 or 1), for a PPPK it is always 2. Both print as "19770415 199612 2 001".
"""

import datetime
import enum
from dataclasses import dataclass


class NipProblem(enum.Enum):
    """Why a NIP was rejected; the web layer turns each into an Indonesian message."""

    NOT_18_DIGITS = "not_18_digits"
    BAD_BIRTH_DATE = "bad_birth_date"
    BAD_TMT = "bad_tmt"
    TMT_BEFORE_ADULTHOOD = "tmt_before_adulthood"
    BAD_GENDER = "bad_gender"
    BAD_SEQUENCE = "bad_sequence"


class EmployeeKind(enum.Enum):
    PNS = "pns"
    PPPK = "pppk"


class InvalidNip(ValueError):
    def __init__(self, problem: NipProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Nip:
    digits: str
    kind: EmployeeKind
    birth_date: datetime.date
    appointment_year: int
    gender: int

    def __str__(self) -> str:
        return format_nip(self.digits)


MINIMUM_AGE_AT_APPOINTMENT = 17


def normalize_nip(text: str) -> str:
    """Strip the spaces people type between the groups."""
    return "".join(text.split())


def parse_nip(text: str) -> Nip:
    """Validate and decode a NIP; raises InvalidNip naming the first problem found."""
    digits = normalize_nip(text)
    if len(digits) != 18 or not digits.isdigit():
        raise InvalidNip(NipProblem.NOT_18_DIGITS)
    try:
        birth = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise InvalidNip(NipProblem.BAD_BIRTH_DATE) from exc
    if birth.year < 1900:
        raise InvalidNip(NipProblem.BAD_BIRTH_DATE)
    year = int(digits[8:12])
    if digits[12] == "2":
        kind, gender_digit = EmployeeKind.PPPK, digits[14]
    else:
        month = int(digits[12:14])
        if not 1 <= month <= 12:
            raise InvalidNip(NipProblem.BAD_TMT)
        kind, gender_digit = EmployeeKind.PNS, digits[14]
    if year < birth.year + MINIMUM_AGE_AT_APPOINTMENT:
        raise InvalidNip(NipProblem.TMT_BEFORE_ADULTHOOD)
    if gender_digit not in "12":
        raise InvalidNip(NipProblem.BAD_GENDER)
    if digits[15:18] == "000":
        raise InvalidNip(NipProblem.BAD_SEQUENCE)
    return Nip(
        digits=digits, kind=kind, birth_date=birth, appointment_year=year, gender=int(gender_digit)
    )


def format_nip(text: str) -> str:
    """Group the digits 8-6-1-3 as printed on Indonesian documents."""
    digits = normalize_nip(text)
    if len(digits) != 18:
        return text
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
