"""Reads of the organisation, always limited to what the scope may see."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Assignment, Employee, Position


def agency_list(*, scope: UserScope) -> QuerySet[Agency]:
    """The agencies the user may see, with their government."""
    agencies = Agency.objects.filter(archived_at__isnull=True).select_related("government")
    if scope.sees_all():
        return agencies
    return agencies.filter(
        Q(pk__in=scope.agency_ids) | Q(government_id__in=scope.admin_government_ids)
    )


def agency_get(*, scope: UserScope, agency_id: int | None = None, code: str | None = None) -> Agency:
    """One visible agency by id or code; NotFound otherwise (existence is not revealed)."""
    lookup = {"pk": agency_id} if agency_id is not None else {"code": code}
    agency = agency_list(scope=scope).filter(**lookup).first()
    if agency is None:
        raise NotFound("agency")
    return agency


def default_agency(*, scope: UserScope) -> Agency | None:
    """The agency a user works in (the first one if several), for pages that need one."""
    return agency_list(scope=scope).order_by("pk").first()


def position_holder(*, position: Position, day: datetime.date | None = None) -> Assignment | None:
    """Who acts for `position` on `day`: Plh before Plt before the definitive holder."""
    day = day or timezone.localdate()
    candidates = Assignment.objects.active_on(day).filter(
        position=position, archived_at__isnull=True
    ).select_related("employee")
    return min(
        candidates,
        key=lambda a: (Assignment.PRECEDENCE[Assignment.Kind(a.kind)], -a.start_date.toordinal()),
        default=None,
    )


def holders_by_position(
    *, positions: QuerySet[Position], day: datetime.date | None = None
) -> dict[int, Assignment]:
    """`position_holder` for many positions in one query."""
    day = day or timezone.localdate()
    result: dict[int, Assignment] = {}
    assignments = Assignment.objects.active_on(day).filter(
        position__in=positions, archived_at__isnull=True
    ).select_related("employee")
    for assignment in sorted(
        assignments,
        key=lambda a: (Assignment.PRECEDENCE[Assignment.Kind(a.kind)], -a.start_date.toordinal()),
    ):
        result.setdefault(assignment.position_id, assignment)
    return result


def employee_for_user(*, user_id: int) -> Employee | None:
    return (
        Employee.objects.filter(user_id=user_id)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active_on(timezone.localdate()).select_related(
                    "position__agency", "position__unit"
                ),
                to_attr="current_assignments",
            )
        )
        .first()
    )
