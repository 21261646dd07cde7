"""Who may change a PK's content or an IKI; shared by the services (raise) and the pages (buttons).

A PK of a position inside a unit (Kepala Bidang, Kepala Seksi, …) may be
drafted by that unit's heads and data holders as well as by the agency's
planners; the PK of the head of the agency only by the planners. The same
goes for the IKI of a position. Signing and revising stay with the planners.
"""

from django.utils.translation import gettext as _

from kinerja.core.errors import Conflict
from kinerja.organizations.access import (
    UserScope,
    access_agency_for_planning,
    access_unit_for_edit,
)
from kinerja.organizations.models import UNIT_ROLES, Agency, Position
from kinerja.planning.models import PerformanceAgreement


def can_edit_position(scope: UserScope, position: Position) -> bool:
    if position.unit is not None:
        return scope.can_edit_unit(position.unit)
    return scope.can_plan_agency(position.agency)


def access_position_for_edit(scope: UserScope, position: Position) -> Position:
    if position.unit is not None:
        access_unit_for_edit(scope, position.unit)
    else:
        access_agency_for_planning(scope, position.agency)
    return position


def access_agreement_for_edit(
    scope: UserScope, agreement: PerformanceAgreement
) -> PerformanceAgreement:
    access_position_for_edit(scope, agreement.position)
    return agreement


def can_draft_individual_indicators(scope: UserScope, agency: Agency) -> bool:
    """Planners, and unit roles for the positions of their own units."""
    if scope.can_plan_agency(agency):
        return True
    roles = scope.roles_by_agency.get(agency.pk, frozenset())
    return bool(roles & UNIT_ROLES) and bool(scope.unit_ids)


def access_individual_indicators_for_edit(scope: UserScope, agency: Agency) -> Agency:
    if not can_draft_individual_indicators(scope, agency):
        access_agency_for_planning(scope, agency)
    return agency


def ensure_draft(agreement: PerformanceAgreement) -> PerformanceAgreement:
    """Signed PKs never change: raise Conflict for anything but a draft."""
    if agreement.status != PerformanceAgreement.Status.DRAFT:
        raise Conflict(
            _("This performance agreement is signed and can no longer change; make a PK Perubahan.")
        )
    return agreement
