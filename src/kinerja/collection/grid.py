"""Reads of the collection pages: lists, who may open or fill in a worksheet, evidence.

Worksheets are narrower than the rest of the agency's data: a unit's staff
open only their own unit's worksheet; the agency's planners (who coordinate
and review the collection) open every worksheet; a row's data holder opens
the worksheet that row is on. Anyone else gets NotFound, as if it did not exist.
"""

from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from kinerja.collection.models import Collection, Evidence, Worksheet, WorksheetRow
from kinerja.collection.selectors import worksheet_get
from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Assignment, Employee
from kinerja.organizations.selectors import agency_list
from kinerja.workflow.models import SopVersion
from kinerja.workflow.selectors import sop_versions

#: the code that marks an agency's Pengumpulan Data Kinerja SOP (docs/sop-format.md)
COLLECTION_SOP_CODE = "pengumpulan-data-kinerja"


def collection_list(*, scope: UserScope, agency: Agency) -> QuerySet[Collection]:
    """The agency's current collections, newest year first."""
    if not agency_list(scope=scope).filter(pk=agency.pk).exists():
        raise NotFound("agency")
    return (
        Collection.objects.filter(agency=agency, archived_at__isnull=True)
        .select_related("process")
        .order_by("-year", "period")
    )


def collection_sops(*, scope: UserScope, agency: Agency) -> list[SopVersion]:
    """Every version of the agency's Pengumpulan Data Kinerja SOP, newest version first."""
    return list(
        sop_versions(scope=scope, agency=agency)
        .filter(code=COLLECTION_SOP_CODE)
        .order_by("name", "-version")
    )


def is_editable(worksheet: Worksheet) -> bool:
    """Values may still change: the unit has not submitted and the collection is not locked."""
    return (
        worksheet.status in Worksheet.EDITABLE
        and worksheet.collection.status != Collection.Status.LOCKED
    )


def can_view_worksheet(scope: UserScope, worksheet: Worksheet) -> bool:
    """Planners of the agency, staff of the unit (or above it), and data holders of its rows."""
    if scope.can_plan_agency(worksheet.collection.agency):
        return True
    if worksheet.unit_id in scope.unit_ids:
        return True
    return (
        scope.employee_id is not None
        and worksheet.collection.agency_id in scope.agency_ids
        and WorksheetRow.objects.filter(
            worksheet=worksheet, data_holder_id=scope.employee_id
        ).exists()
    )


def worksheet_for_page(*, scope: UserScope, worksheet_id: int) -> Worksheet:
    worksheet = worksheet_get(scope=scope, worksheet_id=worksheet_id)
    if not can_view_worksheet(scope, worksheet):
        raise NotFound("worksheet")
    return worksheet


def viewable_worksheet_ids(
    *, scope: UserScope, collection: Collection, worksheets: list[Worksheet]
) -> set[int]:
    """Which of the collection's worksheets the user may open (one query at most)."""
    if scope.can_plan_agency(collection.agency):
        return {worksheet.pk for worksheet in worksheets}
    held: set[int] = set()
    if scope.employee_id is not None:
        held = set(
            WorksheetRow.objects.filter(
                worksheet__in=worksheets, data_holder_id=scope.employee_id
            ).values_list("worksheet_id", flat=True)
        )
    return {ws.pk for ws in worksheets if ws.unit_id in scope.unit_ids or ws.pk in held}


def evidence_by_row(*, rows: list[WorksheetRow]) -> dict[int, list[Evidence]]:
    """row id → its current evidence with the document (one query)."""
    found: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in Evidence.objects.filter(row__in=rows, archived_at__isnull=True).select_related(
        "document"
    ):
        found[evidence.row_id].append(evidence)
    return found


def evidence_get(*, scope: UserScope, evidence_id: int) -> Evidence:
    """Current evidence on a worksheet the user may open (NotFound otherwise)."""
    evidence = (
        Evidence.objects.filter(
            pk=evidence_id,
            archived_at__isnull=True,
            row__worksheet__collection__agency__in=agency_list(scope=scope),
            row__worksheet__collection__archived_at__isnull=True,
        )
        .select_related(
            "row__worksheet__collection__agency__government",
            "row__worksheet__unit__agency",
            "row__indicator",
        )
        .first()
    )
    if evidence is None or not can_view_worksheet(scope, evidence.row.worksheet):
        raise NotFound("evidence")
    return evidence


def data_holder_choices(*, agency: Agency) -> QuerySet[Employee]:
    """Who may hold a row's data: the agency's employees working there today."""
    working = Assignment.objects.active_on(timezone.localdate()).filter(
        position__agency=agency, archived_at__isnull=True
    )
    return Employee.objects.filter(
        pk__in=working.values("employee_id"), archived_at__isnull=True
    ).order_by("name")
