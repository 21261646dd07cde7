"""Reads of measurement: capaian and predikat per indicator and objective, realisasi history.

The web pages and the API both call these. Which target a period is measured
against (DESIGN.md "Achievement rules"):

- TW I–IV: that quarter's Rencana Aksi target (QuarterlyTarget of the PK line);
- S1: the TW I–II Rencana Aksi targets aggregated with the indicator's method;
- S2 and the year: the PK line's target; an indicator without a PK line in
  that year falls back to its Renstra AnnualTarget.

The PK line used is the one of the newest PK version in force at the end of the
period (a PK Perubahan applies from its effective date); see `applicable_line`.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.errors import NotFound, ValidationFailed
from kinerja.measurement.domain import achievement as engine
from kinerja.measurement.models import RatingScale as StoredRatingScale
from kinerja.measurement.models import Realization, RealizationRevision
from kinerja.organizations.access import UserScope, access_agency_for_view
from kinerja.organizations.models import Agency
from kinerja.planning.models import (
    Aggregation,
    AgreementLine,
    AnnualTarget,
    Indicator,
    Objective,
    PerformanceAgreement,
    Polarity,
    TargetValue,
)
from kinerja.planning.selectors import indicator_list, visible_indicators

logger = logging.getLogger(__name__)

#: query parameter value → period, in the order the filter bar offers them
PERIOD_PARAMS: dict[str, engine.Period] = {
    "tw1": engine.Period.TW1,
    "tw2": engine.Period.TW2,
    "tw3": engine.Period.TW3,
    "tw4": engine.Period.TW4,
    "s1": engine.Period.S1,
    "s2": engine.Period.S2,
    "annual": engine.Period.ANNUAL,
}
PERIOD_LABELS = {
    engine.Period.TW1: gettext_lazy("Quarter I"),
    engine.Period.TW2: gettext_lazy("Quarter II"),
    engine.Period.TW3: gettext_lazy("Quarter III"),
    engine.Period.TW4: gettext_lazy("Quarter IV"),
    engine.Period.S1: gettext_lazy("Semester I"),
    engine.Period.S2: gettext_lazy("Semester II"),
    engine.Period.ANNUAL: gettext_lazy("Annual"),
}
#: why a capaian is not computed, shown next to "tidak dapat dihitung"
STATUS_REASONS = {
    engine.AchievementStatus.NO_TARGET: gettext_lazy("no target for this period"),
    engine.AchievementStatus.NO_REALIZATION: gettext_lazy("no realisation yet"),
    engine.AchievementStatus.ZERO_TARGET: gettext_lazy("the target is zero"),
    engine.AchievementStatus.INVALID_TARGET: gettext_lazy("the target is invalid"),
    engine.AchievementStatus.NO_COMPUTABLE_INDICATOR: gettext_lazy("no indicator can be computed"),
}
#: the last day (month, day) each period reports on
_PERIOD_END = {
    engine.Period.TW1: (3, 31),
    engine.Period.TW2: (6, 30),
    engine.Period.TW3: (9, 30),
    engine.Period.TW4: (12, 31),
    engine.Period.S1: (6, 30),
    engine.Period.S2: (12, 31),
    engine.Period.ANNUAL: (12, 31),
}
#: planning's polarity → the achievement engine's
ENGINE_POLARITY = {
    Polarity.HIGHER_IS_BETTER: engine.Polarity.HIGHER_IS_BETTER,
    Polarity.LOWER_IS_BETTER: engine.Polarity.LOWER_IS_BETTER,
    Polarity.RANGE: engine.Polarity.RANGE,
}
_AGGREGATION = {
    Aggregation.CUMULATIVE: engine.AggregationMethod.CUMULATIVE,
    Aggregation.LAST_VALUE: engine.AggregationMethod.LAST_VALUE,
    Aggregation.AVERAGE: engine.AggregationMethod.AVERAGE,
}
YEAR_MIN, YEAR_MAX = 2000, 2100
_STORED_PLACES = Decimal("0.0001")


# --- parsing the shared query parameters (page and API) -------------------------------


def period_param(period: engine.Period) -> str:
    """The query-parameter spelling of a period ("tw1", "s2", "annual")."""
    return next(param for param, value in PERIOD_PARAMS.items() if value is period)


def parse_period(value: str | None) -> engine.Period:
    """Read "tw1"…"tw4", "s1", "s2" or "annual" (any case); blank means the year."""
    if not value:
        return engine.Period.ANNUAL
    period = PERIOD_PARAMS.get(value.strip().lower())
    if period is None:
        raise ValidationFailed(
            {"period": [_("Choose a period: tw1, tw2, tw3, tw4, s1, s2 or annual.")]}
        )
    return period


def parse_year(value: str | int | None) -> int | None:
    """A year between 2000 and 2100; blank gives None (the caller picks the default)."""
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationFailed(
            {
                "year": [
                    _("The year must be a number from %(min)s to %(max)s.")
                    % {"min": YEAR_MIN, "max": YEAR_MAX}
                ]
            }
        )
    return year


def period_end(*, year: int, period: engine.Period) -> datetime.date:
    month, day = _PERIOD_END[period]
    return datetime.date(year, month, day)


# --- years --------------------------------------------------------------------------


# --- rating scale -------------------------------------------------------------------


def rating_scale_for(*, government_id: int, year: int) -> engine.RatingScale:
    """The government's predikat scale for the year, or the default five-level scale."""
    stored = StoredRatingScale.objects.filter(government_id=government_id, year=year).first()
    if stored is None:
        return engine.DEFAULT_RATING_SCALE
    try:
        return rating_scale_from_bands(stored.bands)
    except (KeyError, TypeError, ValueError):
        # The admin form validates the bands; a scale broken behind its back must
        # not take every achievement page down, so say so in the log and go on.
        logger.warning("Rating scale %s is invalid; using the default scale", stored.pk)
        return engine.DEFAULT_RATING_SCALE


def rating_scale_from_bands(bands: object) -> engine.RatingScale:
    """[{"min": "91", "label": "Sangat Tinggi"}, …] → scale; raises Key/Type/ValueError."""
    if not isinstance(bands, list):
        raise TypeError("bands must be a list")
    return engine.RatingScale.from_bands((str(band["min"]), str(band["label"])) for band in bands)


def rating_css_class(label: str | None) -> str:
    """ "Sangat Tinggi" → "rating-sangat-tinggi" (the classes in kinerja.css)."""
    return f"rating-{slugify(label)}" if label else ""


# --- which target applies -------------------------------------------------------------


def applicable_line(lines: Sequence[AgreementLine], *, on: datetime.date) -> AgreementLine | None:
    """The PK line in force on `on` among one indicator's lines of one year.

    The newest agreement already effective wins: a signed one over a draft (a
    PK Perubahan still being drafted is not yet in force), then the latest
    effective date, then the highest version. When none is effective yet (the
    original PK was signed after the period ended) the earliest one applies: the
    original PK covers the whole year.
    """
    if not lines:
        return None

    def newest(line: AgreementLine) -> tuple[bool, datetime.date, int, int]:
        agreement = line.agreement
        return (
            agreement.status == PerformanceAgreement.Status.SIGNED,
            agreement.effective_date,
            agreement.version,
            agreement.pk,
        )

    in_force = [line for line in lines if line.agreement.effective_date <= on]
    if in_force:
        return max(in_force, key=newest)
    return min(lines, key=lambda line: (line.agreement.effective_date, line.agreement.version))


def prefetched_targets(indicator: Indicator) -> tuple[list[AgreementLine], AnnualTarget | None]:
    """The year's PK lines and Renstra target that `indicator_list` prefetched."""
    lines: list[AgreementLine] = indicator.year_lines  # type: ignore[attr-defined]
    annual: list[AnnualTarget] = indicator.year_targets  # type: ignore[attr-defined]
    return lines, (annual[0] if annual else None)


def _target(
    polarity: engine.Polarity, value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> Decimal | engine.TargetRange | None:
    """A stored target in the shape the engine expects for the indicator's polarity."""
    if polarity is engine.Polarity.RANGE:
        if low is not None and high is not None:
            return engine.TargetRange(low=low, high=high)
        return None if value is None else engine.TargetRange(low=value, high=value)
    return value


def _stored_target(
    polarity: engine.Polarity, stored: TargetValue | None
) -> Decimal | engine.TargetRange | None:
    return None if stored is None else _target(polarity, stored.value, stored.low, stored.high)


class TargetSource:
    """Where a period's target came from (shown in the API)."""

    ACTION_PLAN = "rencana_aksi"
    AGREEMENT = "pk"
    STRATEGIC_PLAN = "renstra"


def period_target_for(
    indicator: Indicator, *, year: int, period: engine.Period
) -> tuple[Decimal | engine.TargetRange | None, str | None, AgreementLine | None]:
    """(target, source, PK line) of `indicator` (from `indicator_list`) for the period."""
    polarity = ENGINE_POLARITY[Polarity(indicator.polarity)]
    lines, annual = prefetched_targets(indicator)
    line = applicable_line(lines, on=period_end(year=year, period=period))
    if period in (engine.Period.S2, engine.Period.ANNUAL):
        if line is not None:
            target = _stored_target(polarity, line)
            return target, (TargetSource.AGREEMENT if target is not None else None), line
        target = _stored_target(polarity, annual)
        return target, (TargetSource.STRATEGIC_PLAN if target is not None else None), None
    if line is None:
        return None, None, None
    quarters = {qt.quarter: qt for qt in line.quarterly_targets.all()}
    method = _AGGREGATION[Aggregation(indicator.aggregation)]

    def combined(attribute: str) -> Decimal | None:
        return engine.period_target(
            targets_by_quarter={q: getattr(t, attribute) for q, t in quarters.items()},
            period=period,
            method=method,
        )

    target = _target(polarity, combined("value"), combined("low"), combined("high"))
    return target, (TargetSource.ACTION_PLAN if target is not None else None), line


# --- the achievement table --------------------------------------------------------------


class AchievementShown:
    """How a row with a target, a capaian and a predikat is shown (Capaian page, recap)."""

    target: Decimal | engine.TargetRange | None
    achievement: engine.Achievement
    rating: str | None

    @property
    def target_is_range(self) -> bool:
        return isinstance(self.target, engine.TargetRange)

    @property
    def reason(self) -> str:
        """Why the capaian cannot be computed ("" when it can)."""
        return str(STATUS_REASONS.get(self.achievement.status, ""))

    @property
    def rating_css(self) -> str:
        return rating_css_class(self.rating)


@dataclass(frozen=True)
class IndicatorAchievement(AchievementShown):
    indicator: Indicator
    target: Decimal | engine.TargetRange | None
    target_source: str | None
    realization: Decimal | None
    achievement: engine.Achievement
    rating: str | None


@dataclass(frozen=True)
class ObjectiveAchievement:
    objective: Objective
    indicators: tuple[IndicatorAchievement, ...]
    achievement: engine.Achievement
    rating: str | None

    @property
    def rating_css(self) -> str:
        return rating_css_class(self.rating)

    @property
    def reason(self) -> str:
        return str(STATUS_REASONS.get(self.achievement.status, ""))


@dataclass(frozen=True)
class RatingCount:
    label: str
    count: int

    @property
    def css(self) -> str:
        return rating_css_class(self.label)


@dataclass(frozen=True)
class AchievementTable:
    agency: Agency
    year: int
    period: engine.Period
    objectives: tuple[ObjectiveAchievement, ...]
    scale: engine.RatingScale
    #: indicators per predikat, in the scale's order (zero counts included)
    rating_counts: tuple[RatingCount, ...]
    #: indicators whose capaian cannot be computed
    not_computable: int

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])

    @property
    def indicator_count(self) -> int:
        return sum(len(objective.indicators) for objective in self.objectives)


def achievement_table(
    *,
    scope: UserScope,
    agency: Agency,
    year: int,
    period: engine.Period,
    objective_method: engine.ObjectiveMethod = engine.ObjectiveMethod.MEAN,
) -> AchievementTable:
    """Capaian and predikat of every indicator and objective of the agency for a period.

    A constant number of queries: the indicators with their targets (4), the
    realisasi (1) and the rating scale (1). Raises AccessDenied outside the scope.
    """
    access_agency_for_view(scope, agency)
    indicators = list(indicator_list(scope=scope, agency=agency, year=year))
    values: dict[int, dict[int, Decimal | None]] = {}
    for indicator_id, quarter, value in Realization.objects.filter(
        indicator_id__in=[indicator.pk for indicator in indicators], year=year
    ).values_list("indicator_id", "quarter", "value"):
        values.setdefault(indicator_id, {})[quarter] = value
    scale = rating_scale_for(government_id=agency.government_id, year=year)
    cap = agency.achievement_cap

    grouped: dict[int, tuple[Objective, list[IndicatorAchievement]]] = {}
    for indicator in indicators:
        row = _indicator_row(
            indicator,
            year=year,
            period=period,
            values=values.get(indicator.pk, {}),
            scale=scale,
            cap=cap,
        )
        grouped.setdefault(indicator.objective_id, (indicator.objective, []))[1].append(row)

    objectives = []
    for objective, rows in grouped.values():
        result = engine.objective_achievement(
            indicators=[row.achievement for row in rows], method=objective_method
        )
        objectives.append(
            ObjectiveAchievement(
                objective=objective,
                indicators=tuple(rows),
                achievement=result,
                rating=scale.rate(result.rounded()),
            )
        )
    all_rows = [row for objective in objectives for row in objective.indicators]
    return AchievementTable(
        agency=agency,
        year=year,
        period=period,
        objectives=tuple(objectives),
        scale=scale,
        rating_counts=_count_ratings(scale, (row.rating for row in all_rows)),
        not_computable=sum(1 for row in all_rows if not row.achievement.computable),
    )


def _indicator_row(
    indicator: Indicator,
    *,
    year: int,
    period: engine.Period,
    values: dict[int, Decimal | None],
    scale: engine.RatingScale,
    cap: Decimal | None,
) -> IndicatorAchievement:
    polarity = ENGINE_POLARITY[Polarity(indicator.polarity)]
    method = _AGGREGATION[Aggregation(indicator.aggregation)]
    target, source, _line = period_target_for(indicator, year=year, period=period)
    realization = engine.period_realization(values_by_quarter=values, period=period, method=method)
    result = engine.compute_achievement(
        polarity=polarity, target=target, realization=realization, cap=cap
    )
    return IndicatorAchievement(
        indicator=indicator,
        target=_shown_target(target),
        target_source=source,
        realization=_shown(realization),
        achievement=result,
        rating=scale.rate(result.rounded()),
    )


def _shown(value: Decimal | None) -> Decimal | None:
    """A figure as listed: at most the 4 places it is stored with, no trailing zeros.

    Only averages carry more places; the capaian is computed before this.
    """
    if value is None:
        return None
    return value.quantize(_STORED_PLACES, rounding=ROUND_HALF_UP).normalize()


def _shown_target(
    target: Decimal | engine.TargetRange | None,
) -> Decimal | engine.TargetRange | None:
    if isinstance(target, engine.TargetRange):
        return engine.TargetRange(low=_shown(target.low), high=_shown(target.high))  # type: ignore[arg-type]
    return _shown(target)


def _count_ratings(
    scale: engine.RatingScale, ratings: Iterable[str | None]
) -> tuple[RatingCount, ...]:
    counts = dict.fromkeys((band.label for band in scale.bands), 0)
    for rating in ratings:
        if rating is not None:
            counts[rating] += 1
    return tuple(RatingCount(label=label, count=count) for label, count in counts.items())


# --- history ------------------------------------------------------------------------


def realization_history(
    *, scope: UserScope, indicator: Indicator, year: int
) -> QuerySet[RealizationRevision]:
    """Every recorded version of the indicator's realisasi in `year`, by quarter then version.

    NotFound when the indicator is outside the scope.
    """
    if not visible_indicators(scope=scope).filter(pk=indicator.pk).exists():
        raise NotFound(_("Indicator not found."))
    return (
        RealizationRevision.objects.filter(realization__indicator=indicator, realization__year=year)
        .select_related("realization", "recorded_by")
        .order_by("realization__quarter", "version")
    )
