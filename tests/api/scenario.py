"""Planned agencies with PKs, Rencana Aksi and realisasi, for the achievement and API tests."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kinerja.measurement.services import realization_record
from kinerja.organizations.access import ANONYMOUS
from kinerja.organizations.models import Agency, RoleKey
from kinerja.planning.models import (
    Aggregation,
    Indicator,
    Objective,
    PerformanceAgreement,
    Polarity,
    StrategicPlan,
)
from tests.factories import (
    AgreementLineFactory,
    AnnualTargetFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PerformanceAgreementFactory,
    PositionFactory,
    QuarterlyTargetFactory,
    StrategicPlanFactory,
)

YEAR = 2025
Number = Decimal | str | int | None


def _d(value: Number) -> Decimal | None:
    return None if value is None else Decimal(value)


def renstra(agency: Agency) -> StrategicPlan:
    return StrategicPlanFactory(agency=agency, start_year=2021, end_year=2026)


def objective(plan: StrategicPlan, **kwargs) -> Objective:
    return ObjectiveFactory(plan=plan, **kwargs)


def agreement(
    agency: Agency,
    *,
    year: int = YEAR,
    version: int = 1,
    effective_date: datetime.date | None = None,
    status: str = PerformanceAgreement.Status.SIGNED,
    supersedes: PerformanceAgreement | None = None,
) -> PerformanceAgreement:
    """A PK of the agency head (a new position unless `supersedes` gives one)."""
    position = (
        supersedes.position
        if supersedes
        else PositionFactory(agency=agency, role_key=RoleKey.KEPALA_DINAS)
    )
    return PerformanceAgreementFactory(
        position=position,
        year=year,
        version=version,
        supersedes=supersedes,
        effective_date=effective_date or datetime.date(year, 1, 2),
        status=status,
    )


def pk_line(
    pk: PerformanceAgreement,
    indicator: Indicator,
    *,
    target: Number = None,
    low: Number = None,
    high: Number = None,
    quarterly: Sequence[Number] | Sequence[tuple[Number, Number]] = (),
) -> None:
    """A PK line with its Rencana Aksi: `quarterly` lists TW I–IV targets (or (low, high))."""
    line = AgreementLineFactory(
        agreement=pk, indicator=indicator, value=_d(target), low=_d(low), high=_d(high)
    )
    for quarter, value in enumerate(quarterly, start=1):
        if value is None:
            continue
        if isinstance(value, tuple):
            QuarterlyTargetFactory(
                line=line, quarter=quarter, value=None, low=_d(value[0]), high=_d(value[1])
            )
        else:
            QuarterlyTargetFactory(line=line, quarter=quarter, value=_d(value))


def indicator(
    goal: Objective,
    *,
    polarity: str = Polarity.HIGHER_IS_BETTER,
    aggregation: str = Aggregation.LAST_VALUE,
    annual_target: Number = None,
    year: int = YEAR,
    **kwargs,
) -> Indicator:
    created = IndicatorFactory(objective=goal, polarity=polarity, aggregation=aggregation, **kwargs)
    if annual_target is not None:
        AnnualTargetFactory(indicator=created, year=year, value=_d(annual_target))
    return created


def realize(item: Indicator, values: Mapping[int, Number], *, year: int = YEAR) -> None:
    """Record realisasi per quarter through the real service (so versions are kept)."""
    for quarter, value in values.items():
        realization_record(
            actor=ANONYMOUS,
            indicator=item,
            year=year,
            quarter=quarter,
            value=_d(value),
            check_access=False,
        )


def planned_agency(agency: Agency, *, indicators: int = 2, objectives: int = 1) -> list[Indicator]:
    """`objectives` objectives with `indicators` indicators each, PK + Rencana Aksi + realisasi.

    Every indicator: PK target 80 (TW I–IV: 20, 40, 60, 80, last value), realisasi
    TW I–IV 20, 40, 60, 90 → annual capaian 112,5%.
    """
    plan = renstra(agency)
    pk = agreement(agency)
    created = []
    for _ in range(objectives):
        goal = objective(plan)
        for _ in range(indicators):
            item = indicator(goal, annual_target=75)
            pk_line(pk, item, target=80, quarterly=(20, 40, 60, 80))
            realize(item, {1: 20, 2: 40, 3: 60, 4: 90})
            created.append(item)
    return created
