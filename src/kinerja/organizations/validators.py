"""Model-field validators that turn domain problems into Indonesian messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.organizations.domain.nip import InvalidNip, NipProblem, parse_nip

NIP_MESSAGES = {
    NipProblem.NOT_18_DIGITS: _("A NIP has exactly 18 digits."),
    NipProblem.BAD_BIRTH_DATE: _("Digits 1–8 of the NIP must be a valid birth date (YYYYMMDD)."),
    NipProblem.BAD_TMT: _(
        "Digits 9–14 of a civil servant's NIP must be the appointment month (YYYYMM); "
        "for a PPPK digit 13 must be 2."
    ),
    NipProblem.TMT_BEFORE_ADULTHOOD: _(
        "The appointment year in the NIP (digits 9–12) is earlier than the age of 17."
    ),
    NipProblem.BAD_GENDER: _("Digit 15 of the NIP must be 1 (male) or 2 (female)."),
    NipProblem.BAD_SEQUENCE: _("The last three digits of the NIP (sequence) cannot be 000."),
}


def validate_nip(value: str) -> None:
    try:
        parse_nip(value)
    except InvalidNip as exc:
        raise ValidationError(NIP_MESSAGES[exc.problem], code=exc.problem.value) from exc
