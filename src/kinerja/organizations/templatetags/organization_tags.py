"""Template helpers of the organisation pages: permissions and acting titles."""

from django import template

from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Assignment

register = template.Library()


@register.filter
def can_plan(scope: UserScope | None, agency: Agency) -> bool:
    """`{% if scope|can_plan:agency %}`: show the buttons that change the organisation."""
    return bool(scope) and scope.can_plan_agency(agency)  # type: ignore[union-attr]


@register.filter
def holder_title(assignment: Assignment) -> str:
    """ "Plt. Kepala Bidang Koperasi" — the title as signed, with the acting prefix."""
    return f"{assignment.title_prefix}{assignment.position.title}"
