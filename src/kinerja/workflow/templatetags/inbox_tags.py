"""Template helpers of the inbox: the menu's open-task count and working time as text."""

from typing import Any

from django import template
from django.utils.translation import ngettext

from kinerja.workflow.domain.definition import MINUTES_PER_WORKING_DAY
from kinerja.workflow.inbox_selectors import open_task_count as _open_task_count

register = template.Library()


@register.simple_tag(takes_context=True)
def open_task_count(context: dict[str, Any]) -> int:
    """How many tasks wait in the user's "Tugas Saya" (one query; 0 without a scope)."""
    request = context.get("request")
    scope = getattr(request, "scope", None)
    if scope is None or not scope.is_authenticated:
        return 0
    return _open_task_count(scope=scope)


@register.filter
def working_time(minutes: int | None) -> str:
    """Working minutes as days (480 minutes), hours and minutes: "1 hari 2 jam 15 menit"."""
    if minutes is None:
        return "–"
    days, rest = divmod(int(minutes), MINUTES_PER_WORKING_DAY)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if mins or not parts:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", mins) % {"count": mins})
    return " ".join(parts)
