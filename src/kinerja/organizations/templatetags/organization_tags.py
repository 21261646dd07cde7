"""Template helpers of the organisation pages: permissions and acting titles."""

from django import template

from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Assignment

register = template.Library()


@register.filter
def can_organize(scope: UserScope | None, agency: Agency) -> bool:
    """`{% if scope|can_organize:agency %}`: show the buttons that change the organisation
    (the same rule as `access_agency_for_organization` in the services)."""
    return isinstance(scope, UserScope) and scope.can_organize_agency(agency)


@register.filter
def holder_title(assignment: Assignment) -> str:
    """ "Plt. Kepala Bidang Koperasi" — the title as signed, with the acting prefix."""
    return f"{assignment.title_prefix}{assignment.position.title}"
