"""Reads of the data collection, limited to what the scope may see (NotFound outside it).

Reading is open to the whole agency, like every other plan and measurement.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery

from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.core.errors import NotFound
from kinerja.measurement.domain.achievement import Period
from kinerja.measurement.models import Realization
from kinerja.organizations.access import UserScope
from kinerja.organizations.selectors import agency_list
from kinerja.planning.models import Aggregation

#: the quarter before each period's first quarter (within the year)
_PREVIOUS_QUARTER: dict[Period, int | None] = {
    Period.TW1: None,
    Period.TW2: 1,
    Period.TW3: 2,
    Period.TW4: 3,
    Period.S1: None,
    Period.S2: 2,
    Period.ANNUAL: None,
}


def _visible_collections(scope: UserScope) -> QuerySet[Collection]:
    return Collection.objects.filter(
        agency__in=agency_list(scope=scope), archived_at__isnull=True
    ).select_related("agency__government", "process")


def _require_visible(scope: UserScope, collection: Collection) -> None:
    if not _visible_collections(scope).filter(pk=collection.pk).exists():
        raise NotFound("collection")


def collection_get(*, scope: UserScope, collection_id: int) -> Collection:
    collection = _visible_collections(scope).filter(pk=collection_id).first()
    if collection is None:
        raise NotFound("collection")
    return collection


def worksheets_for(*, scope: UserScope, collection: Collection) -> list[Worksheet]:
    """The collection's worksheets by unit order, each with `row_count` (two queries)."""
    _require_visible(scope, collection)
    return list(
        Worksheet.objects.filter(collection=collection)
        .select_related("unit")
        .annotate(row_count=Count("rows"))
        .order_by("unit__sort_order", "unit__name")
    )


def worksheet_get(*, scope: UserScope, worksheet_id: int) -> Worksheet:
    worksheet = (
        Worksheet.objects.filter(
            pk=worksheet_id,
            collection__agency__in=agency_list(scope=scope),
            collection__archived_at__isnull=True,
        )
        .select_related("collection__agency__government", "unit__agency")
        .first()
    )
    if worksheet is None:
        raise NotFound("worksheet")
    return worksheet


def worksheet_row_get(*, scope: UserScope, row_id: int) -> WorksheetRow:
    row = (
        WorksheetRow.objects.filter(
            pk=row_id,
            worksheet__collection__agency__in=agency_list(scope=scope),
            worksheet__collection__archived_at__isnull=True,
        )
        .select_related(
            "worksheet__collection__agency__government", "worksheet__unit__agency", "indicator"
        )
        .first()
    )
    if row is None:
        raise NotFound("row")
    return row


@dataclass(frozen=True)
class RowView:
    """A worksheet row with its current data, the previous quarter's realisasi and the
    total of the year's earlier quarters (what a cumulative indicator adds this quarter to)."""

    row: WorksheetRow
    current: Entry | None
    previous_value: Decimal | None
    earlier_total: Decimal | None = None

    @property
    def is_cumulative(self) -> bool:
        return self.row.indicator.aggregation == Aggregation.CUMULATIVE

    @property
    def running_total(self) -> Decimal | None:
        """The year-to-date (s.d. this quarter) figure of a cumulative indicator."""
        value = self.current.value if self.current is not None else None
        if value is None and self.earlier_total is None:
            return None
        return (self.earlier_total or Decimal(0)) + (value or Decimal(0))

    @property
    def version(self) -> int:
        """The version to send back as `expected_version` when changing the row."""
        return self.current.version if self.current is not None else 0


def worksheet_rows(
    *, scope: UserScope, worksheet: Worksheet, row_ids: list[int] | None = None
) -> list[RowView]:
    """The worksheet's rows in order (only `row_ids` when given), each with its current
    entry and the previous quarter's recorded realisasi (four queries whatever the size)."""
    collection = worksheet.collection
    _require_visible(scope, collection)
    chosen = WorksheetRow.objects.filter(worksheet=worksheet)
    entries = Entry.objects.filter(row__worksheet=worksheet)
    if row_ids is not None:
        chosen, entries = chosen.filter(pk__in=row_ids), entries.filter(row_id__in=row_ids)
    rows = list(chosen.select_related("indicator", "data_holder").order_by("sort_order", "pk"))
    newest = Entry.objects.filter(row=OuterRef("row")).order_by("-version").values("version")[:1]
    current = {
        entry.row_id: entry
        for entry in entries.filter(version=Subquery(newest)).select_related("entered_by")
    }
    quarter = _PREVIOUS_QUARTER[collection.engine_period]
    previous: dict[int, Decimal | None] = {}
    earlier: dict[int, Decimal] = {}
    if quarter is not None:
        for indicator_id, number, value in Realization.objects.filter(
            indicator_id__in=chosen.values("indicator_id"),
            year=collection.year,
            quarter__lte=quarter,
        ).values_list("indicator_id", "quarter", "value"):
            if number == quarter:
                previous[indicator_id] = value
            if value is not None:
                earlier[indicator_id] = earlier.get(indicator_id, Decimal(0)) + value
    return [
        RowView(
            row=row,
            current=current.get(row.pk),
            previous_value=previous.get(row.indicator_id),
            earlier_total=earlier.get(row.indicator_id),
        )
        for row in rows
    ]


def entry_history(*, scope: UserScope, row: WorksheetRow) -> list[Entry]:
    """Every version of the row's data, oldest first, with who entered it (two queries)."""
    _require_visible(scope, row.worksheet.collection)
    return list(Entry.objects.filter(row=row).select_related("entered_by").order_by("version"))
