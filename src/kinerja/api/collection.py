"""The data collection in API v1: collections, worksheet status, values with every version,
and the recap.

Visibility is the pages': collections through `collection.selectors` (the whole
agency), a worksheet's values through `collection.grid.worksheet_for_page` (its
unit, the agency's planners and its rows' data holders; 404 for anyone else), the
recap through `collection.recap_access` (the agency's planners and reviewers, and
coordinating agencies once a final recap was sent to them).
Each endpoint takes a constant number of queries whatever the size.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest
from ninja import Router

from kinerja.api.schemas import AchievementFields, ErrorOut, TargetOut, decimal_str
from kinerja.api.schemas_collection import (
    CollectionDetailOut,
    CollectionOut,
    RecapOut,
    WorksheetValuesOut,
)
from kinerja.collection import grid, selectors
from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.collection.recap import RecapRow, RecapTable, recap_build
from kinerja.collection.recap_access import recap_collection_get
from kinerja.collection.selectors import RowView
from kinerja.measurement.selectors import PERIOD_LABELS, parse_period, parse_year, period_param
from kinerja.organizations.models import Employee, User
from kinerja.organizations.selectors import agency_get
from kinerja.planning.models import Indicator

router = Router(tags=["collections"])


# ---------------------------------------------------------------- reads


def _status_counts(collection_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """collection id → worksheet status → count (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for collection_id, status, count in (
        Worksheet.objects.filter(collection_id__in=list(collection_ids))
        .order_by()
        .values_list("collection_id", "status")
        .annotate(count=Count("pk"))
    ):
        counts[collection_id][status] = count
    return counts


def _filled_counts(collection: Collection) -> dict[int, int]:
    """worksheet id → rows whose current version holds a realisation (one query)."""
    newest = Entry.objects.filter(row=OuterRef("pk")).order_by("-version").values("value")[:1]
    return dict(
        WorksheetRow.objects.filter(worksheet__collection=collection)
        .alias(current_value=Subquery(newest))
        .filter(current_value__isnull=False)
        .order_by()
        .values_list("worksheet_id")
        .annotate(count=Count("pk"))
    )


def _versions_by_row(worksheet: Worksheet) -> dict[int, list[Entry]]:
    """row id → every version of its data, oldest first, with who entered it (one query)."""
    versions: dict[int, list[Entry]] = defaultdict(list)
    for entry in (
        Entry.objects.filter(row__worksheet=worksheet)
        .select_related("entered_by__employee")
        .order_by("row_id", "version")
    ):
        versions[entry.row_id].append(entry)
    return versions


# ---------------------------------------------------------------- shapes


def _collection_out(collection: Collection, counts: dict[str, int]) -> dict:
    return {
        "id": collection.pk,
        "agency": collection.agency.code,
        "year": collection.year,
        "period": collection.period,
        "period_label": str(PERIOD_LABELS[collection.engine_period]),
        "status": collection.status,
        "process_id": collection.process_id,
        "worksheet_counts": {
            **{status: counts.get(status, 0) for status in Worksheet.Status.values},
            "total": sum(counts.values()),
        },
    }


def _worksheet_status_out(worksheet: Worksheet, filled: dict[int, int]) -> dict:
    return {
        "id": worksheet.pk,
        "unit": {"code": worksheet.unit.code, "name": worksheet.unit.name},
        "status": worksheet.status,
        "deadline": worksheet.deadline,
        "first_submitted_at": worksheet.first_submitted_at,
        "submitted_at": worksheet.submitted_at,
        "revision": worksheet.revision,
        "submission_count": worksheet.submission_count,
        "row_count": worksheet.row_count,  # type: ignore[attr-defined]
        "filled_count": filled.get(worksheet.pk, 0),
    }


def _user_out(user: User | None) -> dict | None:
    if user is None:
        return None
    employee: Employee | None = getattr(user, "employee", None)
    name = employee.name if employee is not None else user.get_full_name()
    return {"username": user.username, "name": name or user.username}


def _indicator_out(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
    }


def _holder_out(holder: Employee | None) -> dict | None:
    return {"name": holder.name, "nip": holder.nip} if holder is not None else None


def _entry_out(entry: Entry, *, current_version: int) -> dict:
    return {
        "version": entry.version,
        "is_current": entry.version == current_version,
        "value": decimal_str(entry.value),
        "numerator": decimal_str(entry.numerator),
        "denominator": decimal_str(entry.denominator),
        "analysis": entry.analysis,
        "obstacles": entry.obstacles,
        "follow_up": entry.follow_up,
        "entered_by": _user_out(entry.entered_by),
        "entered_at": entry.entered_at,
        "submission_no": entry.submission_no,
    }


def _row_out(view: RowView, versions: list[Entry]) -> dict:
    row = view.row
    target = {
        "value": decimal_str(row.target_value),
        "low": decimal_str(row.target_low),
        "high": decimal_str(row.target_high),
    }
    return {
        "id": row.pk,
        "indicator": _indicator_out(row.indicator),
        "target": target if any(value is not None for value in target.values()) else None,
        "data_holder": _holder_out(row.data_holder),
        "current_version": view.version or None,
        "versions": [_entry_out(entry, current_version=view.version) for entry in versions],
    }


def _recap_row_out(item: RecapRow) -> dict:
    return {
        **AchievementFields.of(item.achievement, item.rating),
        "indicator": _indicator_out(item.indicator),
        "target": TargetOut.of_target(item.target),
        "realization": decimal_str(item.value),
        "numerator": decimal_str(item.numerator),
        "denominator": decimal_str(item.denominator),
        "analysis": item.analysis,
        "obstacles": item.obstacles,
        "follow_up": item.follow_up,
        "data_holder": _holder_out(item.data_holder),
    }


def _recap_out(table: RecapTable) -> dict:
    return {
        "collection_id": table.collection.pk,
        "agency": table.agency.code,
        "year": table.year,
        "period": period_param(table.period),
        "period_label": table.period_label,
        "is_final": table.is_final,
        "generated_at": table.generated_at,
        "achievement_cap": decimal_str(table.agency.achievement_cap),
        "rating_scale": [
            {"min": decimal_str(band.lower_bound), "label": band.label}
            for band in table.scale.bands
        ],
        "units": [
            {
                "unit": {"code": unit.unit.code, "name": unit.unit.name},
                "worksheet_id": unit.worksheet_id,
                "worksheet_status": unit.status,
                "rows": [_recap_row_out(item) for item in unit.rows],
                "rating_counts": [
                    {"label": item.label, "count": item.count} for item in unit.rating_counts
                ],
                "not_computable": unit.not_computable,
            }
            for unit in table.units
        ],
        "rating_counts": [
            {"label": item.label, "count": item.count} for item in table.rating_counts
        ],
        "not_computable": table.not_computable,
    }


# ---------------------------------------------------------------- endpoints


@router.get(
    "/agencies/{code}/collections",
    response={200: list[CollectionOut], 404: ErrorOut, 422: ErrorOut},
    summary="Data collections of an agency, with their worksheets counted per status",
)
def list_collections(
    request: HttpRequest,
    code: str,
    year: int | None = None,
    period: str | None = None,
) -> list[dict]:
    """Newest year first. `year` and `period` (tw1…tw4, s1, s2, annual) narrow the list."""
    scope = request.scope  # type: ignore[attr-defined]
    agency = agency_get(scope=scope, code=code)
    collections = grid.collection_list(scope=scope, agency=agency)
    chosen_year = parse_year(year)
    if chosen_year is not None:
        collections = collections.filter(year=chosen_year)
    if period:
        collections = collections.filter(period=period_param(parse_period(period)))
    found = list(collections)
    counts = _status_counts(collection.pk for collection in found)
    for collection in found:
        collection.agency = agency  # already loaded: no query per collection
    return [_collection_out(collection, counts.get(collection.pk, {})) for collection in found]


@router.get(
    "/collections/{collection_id}",
    response={200: CollectionDetailOut, 404: ErrorOut},
    summary="One data collection with the status of each unit's worksheet",
)
def get_collection(request: HttpRequest, collection_id: int) -> dict:
    scope = request.scope  # type: ignore[attr-defined]
    collection = selectors.collection_get(scope=scope, collection_id=collection_id)
    worksheets = selectors.worksheets_for(scope=scope, collection=collection)
    counts: dict[str, int] = defaultdict(int)
    for worksheet in worksheets:
        counts[worksheet.status] += 1
    filled = _filled_counts(collection)
    return {
        **_collection_out(collection, counts),
        "worksheets": [_worksheet_status_out(worksheet, filled) for worksheet in worksheets],
    }


@router.get(
    "/worksheets/{worksheet_id}/values",
    response={200: WorksheetValuesOut, 404: ErrorOut},
    summary="A worksheet's rows with every version of their values",
)
def get_worksheet_values(request: HttpRequest, worksheet_id: int) -> dict:
    """Visible to the worksheet's unit, the agency's planners and its rows' data holders."""
    scope = request.scope  # type: ignore[attr-defined]
    worksheet = grid.worksheet_for_page(scope=scope, worksheet_id=worksheet_id)
    views = selectors.worksheet_rows(scope=scope, worksheet=worksheet)
    versions = _versions_by_row(worksheet)
    return {
        "id": worksheet.pk,
        "collection_id": worksheet.collection_id,
        "unit": {"code": worksheet.unit.code, "name": worksheet.unit.name},
        "status": worksheet.status,
        "revision": worksheet.revision,
        "submission_count": worksheet.submission_count,
        "rows": [_row_out(view, versions.get(view.row.pk, [])) for view in views],
    }


@router.get(
    "/collections/{collection_id}/recap",
    response={200: RecapOut, 404: ErrorOut},
    summary="The recap (rekapitulasi data kinerja): capaian and predikat per unit and indicator",
)
def get_recap(request: HttpRequest, collection_id: int) -> dict:
    """The agency's planners and reviewers see it at any time (`is_final` says whether
    every worksheet is approved; the agency's other staff get 404); a coordinating agency
    of the same government only once a final recap has been sent to it, and only while
    no worksheet changed since."""
    scope = request.scope  # type: ignore[attr-defined]
    viewer = recap_collection_get(scope=scope, collection_id=collection_id)
    return _recap_out(recap_build(scope=scope, collection=viewer.collection))
