"""File sizes the Indonesian way: 900 → "900 B", 1536 → "1,5 KB", 20971520 → "20 MB"."""

from decimal import Decimal

from kinerja.core.domain.numbers import format_number

_UNITS = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))


def format_size(size: int) -> str:
    for factor, unit in _UNITS:
        if size >= factor:
            value = (Decimal(size) / factor).quantize(Decimal("0.1"))
            return f"{format_number(value)} {unit}"
    return f"{format_number(size)} B"
