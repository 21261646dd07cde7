"""Indonesian number notation: comma for decimals, dot for thousands.

Users type numbers the way Indonesian office documents write them ("85,5",
"1.234,5", "85,5 %"). A plain "1.5" is ambiguous; following Indonesian usage a
dot followed by exactly three digits is a thousands separator, any other single
dot is read as a decimal point (so values pasted from English software still
work).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN_COMMA = re.compile(r"^\d+(,\d+)?$")
_PLAIN_DOT = re.compile(r"^\d*\.\d+$|^\d+$")


class NumberFormatError(ValueError):
    """The text is not a number in any notation we accept."""


def parse_number(text: str) -> Decimal | None:
    """Parse Indonesian-formatted text into a Decimal; blank gives None."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if cleaned == "":
        return None
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    if _GROUPED.match(cleaned):
        normal = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN_COMMA.match(cleaned):
        normal = cleaned.replace(",", ".")
    elif _PLAIN_DOT.match(cleaned):
        normal = cleaned
    else:
        raise NumberFormatError(text)
    try:
        return Decimal(sign + normal)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise NumberFormatError(text) from exc


def format_number(value: Decimal | int | None, *, places: int | None = None) -> str:
    """Render a number the Indonesian way: "1.234,5". `places` fixes the decimals (half-up)."""
    if value is None:
        return "–"
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        # Stored decimals carry trailing zeros ("85.5000"); show what is meaningful.
        number = number.normalize()
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    if fraction:
        result += "," + fraction
    return sign + result
