"""The rekapitulasi data kinerja of a collection: per unit and indicator the period's
target, the realisasi, the capaian and predikat, the analysis, obstacles and follow-up.

The capaian is computed as the Capaian page computes it
(`measurement.selectors.achievement_table`): the engine's `compute_achievement`
with the indicator's polarity and the agency's cap, rated on the government's
scale for the year. The target is the row's (the period's Rencana Aksi or PK
target copied when the collection was created); the realisasi is the row's
current value, which is the period's own figure: a cumulative indicator's TW
value is that quarter's amount, as the engine's TW period is the quarter alone,
so it is measured as it is, with nothing added across quarters.

A constant number of queries whatever the size (see `recap_build`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.collection.recap_access import recap_viewer
from kinerja.core.errors import NotFound
from kinerja.measurement.domain import achievement as engine
from kinerja.measurement.selectors import (
    ENGINE_POLARITY,
    PERIOD_LABELS,
    AchievementShown,
    RatingCount,
    rating_scale_for,
)
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Employee, OrgUnit, Position, RoleKey
from kinerja.organizations.selectors import holders_by_position
from kinerja.planning.models import Indicator, Polarity


@dataclass(frozen=True)
class RecapRow(AchievementShown):
    """One indicator of one unit: target, realisasi, capaian, predikat and the unit's words."""

    indicator: Indicator
    target: Decimal | engine.TargetRange | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    achievement: engine.Achievement
    rating: str | None
    analysis: str
    obstacles: str
    follow_up: str
    data_holder: Employee | None


@dataclass(frozen=True)
class RecapUnit:
    """One unit's worksheet in the recap, with its count of indicators per predikat."""

    unit: OrgUnit
    worksheet_id: int
    status: str
    revision: int
    rows: tuple[RecapRow, ...]
    rating_counts: tuple[RatingCount, ...]
    not_computable: int

    @property
    def status_label(self) -> str:
        return str(Worksheet.Status(self.status).label)

    @property
    def is_approved(self) -> bool:
        return self.status == Worksheet.Status.APPROVED


@dataclass(frozen=True)
class RecapTable:
    collection: Collection
    agency: Agency
    year: int
    period: engine.Period
    scale: engine.RatingScale
    units: tuple[RecapUnit, ...]
    #: indicators per predikat over every unit, in the scale's order (zeros included)
    rating_counts: tuple[RatingCount, ...]
    not_computable: int
    generated_at: datetime.datetime
    #: the day of `generated_at` in the agency's time zone (printed on the recap)
    generated_on: datetime.date

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])

    @property
    def indicator_count(self) -> int:
        return sum(len(unit.rows) for unit in self.units)

    @property
    def is_final(self) -> bool:
        """Every worksheet is approved: the recap holds only approved data."""
        return bool(self.units) and all(unit.is_approved for unit in self.units)


@dataclass(frozen=True)
class Signatory:
    """Who signs for the agency: the Kepala Dinas (or the Plt/Plh acting for them)."""

    title: str
    name: str
    nip: str


def _count_ratings(
    scale: engine.RatingScale, ratings: Iterable[str | None]
) -> tuple[RatingCount, ...]:
    counts = dict.fromkeys((band.label for band in scale.bands), 0)
    for rating in ratings:
        if rating is not None:
            counts[rating] += 1
    return tuple(RatingCount(label=label, count=count) for label, count in counts.items())


def row_target(row: WorksheetRow) -> Decimal | engine.TargetRange | None:
    """The row's stored target in the shape the engine expects for the indicator's polarity.

    A range target on an indicator whose polarity has since changed (or a single
    target missing on a range indicator) measures nothing rather than crashing.
    """
    polarity = ENGINE_POLARITY[Polarity(row.indicator.polarity)]
    low, high, value = row.target_low, row.target_high, row.target_value
    if polarity is engine.Polarity.RANGE:
        if low is not None and high is not None:
            return engine.TargetRange(low=low, high=high)
        return None if value is None else engine.TargetRange(low=value, high=value)
    return value


def _recap_row(
    row: WorksheetRow,
    entry: Entry | None,
    *,
    scale: engine.RatingScale,
    cap: Decimal | None,
) -> RecapRow:
    value = entry.value if entry is not None else None
    result = engine.compute_achievement(
        polarity=ENGINE_POLARITY[Polarity(row.indicator.polarity)],
        target=row_target(row),
        realization=value,
        cap=cap,
    )
    return RecapRow(
        indicator=row.indicator,
        target=row_target(row),
        value=value,
        numerator=entry.numerator if entry is not None else None,
        denominator=entry.denominator if entry is not None else None,
        achievement=result,
        rating=scale.rate(result.rounded()),
        analysis=entry.analysis if entry is not None else "",
        obstacles=entry.obstacles if entry is not None else "",
        follow_up=entry.follow_up if entry is not None else "",
        data_holder=row.data_holder,
    )


def recap_build(*, scope: UserScope, collection: Collection) -> RecapTable:
    """The collection's recap as the user may see it (NotFound outside `recap_access`).

    Five queries whatever the size (eight for a coordinating agency's staff):
    access, worksheets, rows, current entries, rating scale. A coordinating
    agency sees the table only while it still shows what was sent: every
    worksheet approved and none changed since the newest sent recap was
    generated (NotFound otherwise). After a reopening and a new approval the
    data may differ from the files sent; they see those files until a new recap
    is sent.
    """
    viewer = recap_viewer(scope=scope, collection=collection)
    collection = viewer.collection
    agency = collection.agency
    worksheets = list(
        Worksheet.objects.filter(collection=collection)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name", "pk")
    )
    rows_by_sheet: dict[int, list[WorksheetRow]] = {}
    for row in (
        WorksheetRow.objects.filter(worksheet__collection=collection)
        .select_related("indicator", "data_holder")
        .order_by("sort_order", "pk")
    ):
        rows_by_sheet.setdefault(row.worksheet_id, []).append(row)
    newest = Entry.objects.filter(row=OuterRef("row")).order_by("-version").values("version")[:1]
    current = {
        entry.row_id: entry
        for entry in Entry.objects.filter(
            row__worksheet__collection=collection, version=Subquery(newest)
        )
    }
    scale = rating_scale_for(government_id=agency.government_id, year=collection.year)
    units = []
    for worksheet in worksheets:
        rows = tuple(
            _recap_row(row, current.get(row.pk), scale=scale, cap=agency.achievement_cap)
            for row in rows_by_sheet.get(worksheet.pk, [])
        )
        units.append(
            RecapUnit(
                unit=worksheet.unit,
                worksheet_id=worksheet.pk,
                status=worksheet.status,
                revision=worksheet.revision,
                rows=rows,
                rating_counts=_count_ratings(scale, (row.rating for row in rows)),
                not_computable=sum(1 for row in rows if not row.achievement.computable),
            )
        )
    every_row = [row for unit in units for row in unit.rows]
    generated_at = timezone.now()
    table = RecapTable(
        collection=collection,
        agency=agency,
        year=collection.year,
        period=collection.engine_period,
        scale=scale,
        units=tuple(units),
        rating_counts=_count_ratings(scale, (row.rating for row in every_row)),
        not_computable=sum(1 for row in every_row if not row.achievement.computable),
        generated_at=generated_at,
        generated_on=timezone.localdate(
            generated_at, timezone=ZoneInfo(agency.government.time_zone)
        ),
    )
    if not viewer.internal and not (
        table.is_final and not _changed_since(worksheets, viewer.sent_generated_at)
    ):
        raise NotFound("recap")
    return table


def _changed_since(worksheets: Iterable[Worksheet], moment: datetime.datetime | None) -> bool:
    """Whether a worksheet changed (its data, its status) after `moment` (None: unknown)."""
    return moment is None or any(worksheet.updated_at > moment for worksheet in worksheets)


def agency_head(*, agency: Agency) -> Signatory | None:
    """Who signs for the agency today: the holder of its kepala_dinas position (a Plh
    before a Plt before the definitive holder); None when nobody holds it (two queries)."""
    positions = list(
        Position.objects.filter(
            agency=agency, role_key=RoleKey.KEPALA_DINAS, archived_at__isnull=True
        ).order_by("sort_order", "pk")
    )
    holders = holders_by_position(
        positions=Position.objects.filter(pk__in=[position.pk for position in positions])
    )
    for position in positions:
        holder = holders.get(position.pk)
        if holder is not None:
            return Signatory(
                title=f"{holder.title_prefix}{position.title}",
                name=holder.employee.name,
                nip=holder.employee.nip or "",
            )
    return None
