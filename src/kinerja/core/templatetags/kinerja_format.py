"""Template filters for Indonesian numbers, percentages and dates (built in everywhere)."""

import datetime
from decimal import Decimal

from django import template
from django.utils import formats

from kinerja.core.domain.numbers import format_number

register = template.Library()


@register.filter
def angka(value: Decimal | int | None, places: int | None = None) -> str:
    """1234.5 → "1.234,5"; with an argument, that many decimals."""
    if value is None or value == "":
        return "–"
    return format_number(Decimal(value), places=places)


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Budget in Rupiah: "Rp 1.250.000.000"."""
    if value is None:
        return "–"
    return "Rp " + format_number(Decimal(value), places=0)


@register.filter(expects_localtime=True)
def tanggal(value: datetime.date | None, fmt: str = "j F Y") -> str:
    """A date the Indonesian way: "21 November 2026" (month names from the id catalogue)."""
    if not value:
        return "–"
    return formats.date_format(value, fmt)


@register.filter
def nip(value: str | None) -> str:
    """Group an 18-digit NIP: "19770415 199612 2 001"."""
    from kinerja.organizations.domain.nip import format_nip

    return format_nip(value) if value else "–"
