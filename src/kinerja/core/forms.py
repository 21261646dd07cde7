"""Form fields shared by every app's pages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.core.domain.numbers import NumberFormatError, format_number, parse_number


class NumberField(forms.CharField):
    """A number typed the Indonesian way ("85,5", "1.234,5", "85,5 %") → Decimal."""

    def __init__(self, *, max_digits: int = 20, decimal_places: int = 4, **kwargs: Any) -> None:
        self.max_whole_digits = max_digits - decimal_places
        self.decimal_places = decimal_places
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_number(value) if isinstance(value, Decimal) else value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = parse_number(text)
        except NumberFormatError:
            raise ValidationError(
                _("Enter a number the Indonesian way, such as 85,5 or 1.234,5."), code="invalid"
            ) from None
        if number is None:
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise ValidationError(
                _("Use at most %(places)s decimal places."),
                code="decimal_places",
                params={"places": self.decimal_places},
            )
        if abs(number) >= Decimal(10) ** self.max_whole_digits:
            raise ValidationError(_("This number is too large."), code="max_value")
        return number
