"""Template filters of the planning pages: a target as the PK writes it."""

from typing import Any

from django import template

from kinerja.planning.consistency import as_target, format_target
from kinerja.planning.models import TargetValue

register = template.Library()


@register.filter
def target(value: Any) -> str:
    """A TargetValue as "85,5" or "10–20" (a range); "–" when empty or missing."""
    return format_target(as_target(value if isinstance(value, TargetValue) else None))
