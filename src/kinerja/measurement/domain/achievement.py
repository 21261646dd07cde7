"""Capaian kinerja: the SAKIP achievement engine (standard library only).

Everything here is `Decimal`. Values keep full precision; rounding happens only
when a number is shown (`Achievement.rounded`, `format_percent`). A figure that
cannot be computed (missing or zero target, missing realisasi) is an explicit
`AchievementStatus`, never an exception and never a fake number.

Inputs must be finite: NaN or Infinity (which no Django `DecimalField` accepts)
raise `ValueError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import StrEnum
from typing import assert_never

NOT_COMPUTABLE_TEXT = "tidak dapat dihitung"

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_TO_INDONESIAN = str.maketrans({",": ".", ".": ","})


def _round_to_cent(value: Decimal) -> Decimal:
    # Precision sized to the value (plus one digit for a carry such as 99.995 -> 100.00),
    # so quantize never exceeds the context precision however large the value is.
    precision = max(value.adjusted(), 0) + 4
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=Context(prec=precision))


def _require_finite(*values: Decimal | None) -> None:
    for value in values:
        if value is not None and not value.is_finite():
            raise ValueError(f"expected a finite number, got {value}")


def _to_decimal(bound: Decimal | int | str) -> Decimal:
    if isinstance(bound, float):
        raise ValueError(f"rating bound {bound!r} must be a Decimal, int or numeric string")
    try:
        return Decimal(bound)
    except InvalidOperation as exc:
        raise ValueError(f"rating bound {bound!r} is not a number") from exc


class Polarity(StrEnum):
    """How realisasi compares with the target; chosen per indicator at planning time."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    RANGE = "range"


class AchievementStatus(StrEnum):
    COMPUTED = "computed"
    NO_TARGET = "no_target"
    NO_REALIZATION = "no_realization"
    ZERO_TARGET = "zero_target"
    INVALID_TARGET = "invalid_target"
    """A negative target, or a range whose low bound is above its high bound."""
    NO_COMPUTABLE_INDICATOR = "no_computable_indicator"
    """An objective none of whose indicators has a computable achievement."""


class AggregationMethod(StrEnum):
    """How an indicator's quarterly figures combine into one figure for a longer period."""

    CUMULATIVE = "cumulative"
    LAST_VALUE = "last_value"
    AVERAGE = "average"


class Period(StrEnum):
    """Reporting periods: quarters (triwulan), semesters and the year; see `quarters_in`."""

    TW1 = "TW1"
    TW2 = "TW2"
    TW3 = "TW3"
    TW4 = "TW4"
    S1 = "S1"
    S2 = "S2"
    ANNUAL = "ANNUAL"


class ObjectiveMethod(StrEnum):
    """How a sasaran's achievement is derived from its indicators' achievements."""

    MEAN = "mean"
    MINIMUM = "minimum"


@dataclass(frozen=True, slots=True)
class TargetRange:
    """Target of a RANGE indicator: anything in [low, high] (inclusive) is on target."""

    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class Achievement:
    """An achievement percentage (full precision), or why there is none.

    `value` is set exactly when `status` is COMPUTED.
    """

    value: Decimal | None
    status: AchievementStatus

    def __post_init__(self) -> None:
        if (self.value is None) == (self.status is AchievementStatus.COMPUTED):
            raise ValueError(f"value {self.value!r} does not match status {self.status}")

    @property
    def computable(self) -> bool:
        return self.value is not None

    def rounded(self) -> Decimal | None:
        """The value rounded half-up to 0.01, as shown to users."""
        return None if self.value is None else _round_to_cent(self.value)

    def display(self) -> str:
        return format_percent(self.value)


def format_percent(value: Decimal | None) -> str:
    """Indonesian notation, half-up to 2 places: 1234.5 -> "1.234,50%".

    None (not computable) gives NOT_COMPUTABLE_TEXT.
    """
    if value is None:
        return NOT_COMPUTABLE_TEXT
    rounded = _round_to_cent(value)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never show "-0,00%"
    return f"{rounded:,.2f}".translate(_TO_INDONESIAN) + "%"


def compute_achievement(
    *,
    polarity: Polarity,
    target: Decimal | TargetRange | None,
    realization: Decimal | None,
    cap: Decimal | None = None,
) -> Achievement:
    """Capaian of one realisasi against the target of the same period.

    The caller chooses the target: a quarter is measured against that quarter's
    Rencana Aksi target, the year against the annual Perjanjian Kinerja target
    (see `period_achievement`). RANGE indicators take a `TargetRange`, the other
    polarities a `Decimal`; a mismatch is a programming error (TypeError).

    - HIGHER_IS_BETTER: realisasi / target x 100.
    - LOWER_IS_BETTER: (2 x target - realisasi) / target x 100; target 0 with
      realisasi 0 is 100.
    - RANGE: 100 inside [low, high]; above it realisasi / high x 100, below it
      realisasi / low x 100. Landing outside a range whose nearest bound is 0
      (e.g. [0, 0] with realisasi 5) divides by zero: ZERO_TARGET.

    Any other zero target is ZERO_TARGET, a negative target INVALID_TARGET.
    Results are floored at 0 (negative realisasi still computes), then capped
    at `cap` when the agency sets one (None: no cap).
    """
    if cap is not None and (not cap.is_finite() or cap < 0):
        raise ValueError(f"cap must be a non-negative finite number, got {cap}")
    if target is None:
        return Achievement(None, AchievementStatus.NO_TARGET)
    if isinstance(target, TargetRange) != (polarity is Polarity.RANGE):
        raise TypeError(f"{polarity} indicators cannot use target {target!r}")
    low, high = (target.low, target.high) if isinstance(target, TargetRange) else (target, target)
    _require_finite(low, high, realization)
    if low < 0 or low > high:
        return Achievement(None, AchievementStatus.INVALID_TARGET)
    if realization is None:
        return Achievement(None, AchievementStatus.NO_REALIZATION)

    raw = _raw_achievement(polarity=polarity, target=target, realization=realization)
    if raw is None:
        return Achievement(None, AchievementStatus.ZERO_TARGET)
    value = raw if raw > 0 else ZERO
    if cap is not None:
        value = min(value, cap)
    return Achievement(value, AchievementStatus.COMPUTED)


def _raw_achievement(
    *, polarity: Polarity, target: Decimal | TargetRange, realization: Decimal
) -> Decimal | None:
    """The unfloored, uncapped percentage; None when it would divide by zero."""
    if isinstance(target, TargetRange):
        if target.low <= realization <= target.high:
            return HUNDRED
        bound = target.high if realization > target.high else target.low
        return None if bound == 0 else realization * HUNDRED / bound
    if polarity is Polarity.LOWER_IS_BETTER:
        if target == 0:
            return HUNDRED if realization == 0 else None
        return (2 * target - realization) * HUNDRED / target
    return None if target == 0 else realization * HUNDRED / target


def aggregate_realization(
    *, values: Sequence[Decimal | None], method: AggregationMethod
) -> Decimal | None:
    """Combine quarterly realisasi in quarter order; None entries (not yet reported) are skipped.

    CUMULATIVE sums the present values, LAST_VALUE takes the latest present one,
    AVERAGE their mean. None when no value is present.
    """
    present = [value for value in values if value is not None]
    if not present:
        return None
    match method:
        case AggregationMethod.CUMULATIVE:
            return sum(present, ZERO)
        case AggregationMethod.LAST_VALUE:
            return present[-1]
        case AggregationMethod.AVERAGE:
            return sum(present, ZERO) / len(present)
        case _:
            assert_never(method)


def aggregate_target(
    *, values: Sequence[Decimal | None], method: AggregationMethod
) -> Decimal | None:
    """Combine quarterly Rencana Aksi targets with the indicator's method.

    Same rules as `aggregate_realization`: the cumulative target for TW I-II is
    TW I + TW II, LAST_VALUE is the last planned quarter's target, AVERAGE the
    mean. A quarter without a target is skipped (no target planned for it).
    """
    return aggregate_realization(values=values, method=method)


_QUARTERS: dict[Period, tuple[int, ...]] = {
    Period.TW1: (1,),
    Period.TW2: (2,),
    Period.TW3: (3,),
    Period.TW4: (4,),
    Period.S1: (1, 2),
    Period.S2: (1, 2, 3, 4),
    Period.ANNUAL: (1, 2, 3, 4),
}


def quarters_in(period: Period) -> tuple[int, ...]:
    """The quarters (1-4) whose figures a period reports on.

    S2 covers TW1-TW4, the same as ANNUAL, not just TW3-TW4: in SAKIP practice
    the semester 2 report is cumulative to the end of the year.
    """
    return _QUARTERS[period]


def period_realization(
    *,
    values_by_quarter: Mapping[int, Decimal | None],
    period: Period,
    method: AggregationMethod,
) -> Decimal | None:
    """Realisasi of a period from {quarter: realisasi}; absent quarters count as not reported."""
    values = [values_by_quarter.get(quarter) for quarter in quarters_in(period)]
    return aggregate_realization(values=values, method=method)


def period_target(
    *,
    targets_by_quarter: Mapping[int, Decimal | None],
    period: Period,
    method: AggregationMethod,
) -> Decimal | None:
    """Rencana Aksi target of a period from {quarter: target}, as `aggregate_target`."""
    values = [targets_by_quarter.get(quarter) for quarter in quarters_in(period)]
    return aggregate_target(values=values, method=method)


def period_achievement(
    *,
    period: Period,
    realizations_by_quarter: Mapping[int, Decimal | None],
    target_for_period: Decimal | TargetRange | None,
    polarity: Polarity,
    method: AggregationMethod,
    cap: Decimal | None = None,
) -> Achievement:
    """Capaian of a period: its aggregated realisasi against `target_for_period`.

    `target_for_period` must be the target of exactly that period: the quarter's
    Rencana Aksi target for TW1-TW4, `period_target(...)` over the Rencana Aksi
    targets for S1, and the annual Perjanjian Kinerja (PK) target for S2 and
    ANNUAL. It is passed in rather than derived because the PK target is a
    separate commitment, not the sum of the quarterly plan.
    """
    realization = period_realization(
        values_by_quarter=realizations_by_quarter, period=period, method=method
    )
    return compute_achievement(
        polarity=polarity, target=target_for_period, realization=realization, cap=cap
    )


@dataclass(frozen=True, slots=True)
class RatingBand:
    lower_bound: Decimal
    """Inclusive."""
    label: str


@dataclass(frozen=True, slots=True)
class RatingScale:
    """A predikat scale: bands ordered by strictly descending lower bound.

    A value gets the label of the first band whose lower bound it reaches, so a
    value between the integer bounds of a printed scale ("76-90", "91+") falls to
    the band below: 90.5 is "Tinggi", not "Sangat Tinggi". The lowest band also
    takes anything below its own bound, so every number gets a predikat.
    """

    bands: tuple[RatingBand, ...]

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError("a rating scale needs at least one band")
        for position, band in enumerate(self.bands, start=1):
            if not band.label.strip():
                raise ValueError(f"band {position} has an empty label")
            if not band.lower_bound.is_finite():
                raise ValueError(f"band {position} ({band.label!r}) has a non-finite lower bound")
        for upper, lower in zip(self.bands, self.bands[1:], strict=False):
            if lower.lower_bound >= upper.lower_bound:
                raise ValueError(
                    "band lower bounds must be strictly descending: "
                    f"{lower.label!r} ({lower.lower_bound}) comes after "
                    f"{upper.label!r} ({upper.lower_bound})"
                )

    @classmethod
    def from_bands(cls, bands: Iterable[tuple[Decimal | int | str, str]]) -> RatingScale:
        """Build from (lower bound, label) pairs, highest first, e.g. from JSON config.

        Bounds may be Decimal, int or numeric strings; load JSON with
        `json.loads(text, parse_float=Decimal)` so fractional bounds stay exact.
        """
        return cls(tuple(RatingBand(_to_decimal(bound), label) for bound, label in bands))

    def rate(self, value: Decimal | None) -> str | None:
        """The predikat of an achievement value; None for a missing value.

        Rates `value` as given: pass `Achievement.rounded()` for a predikat that
        agrees with the displayed figure (90.996 shows as "91,00%").
        """
        if value is None:
            return None
        for band in self.bands:
            if value >= band.lower_bound:
                return band.label
        return self.bands[-1].label


DEFAULT_RATING_SCALE = RatingScale.from_bands(
    [
        (91, "Sangat Tinggi"),
        (76, "Tinggi"),
        (66, "Sedang"),
        (51, "Rendah"),
        (0, "Sangat Rendah"),
    ]
)


def objective_achievement(
    *,
    indicators: Sequence[Achievement],
    method: ObjectiveMethod = ObjectiveMethod.MEAN,
    weights: Sequence[Decimal] | None = None,
) -> Achievement:
    """Achievement of a sasaran from its indicators' achievements.

    Not-computable indicators are left out (so are zero-weight ones); with none
    left the result is NO_COMPUTABLE_INDICATOR. MEAN is a weighted mean when
    `weights` (one per indicator, non-negative) are given; weights only make
    sense with MEAN.
    """
    if weights is None:
        weights = [ONE] * len(indicators)
    elif method is not ObjectiveMethod.MEAN:
        raise ValueError(f"weights only apply to {ObjectiveMethod.MEAN}, not {method}")
    elif len(weights) != len(indicators):
        raise ValueError(f"{len(weights)} weights given for {len(indicators)} indicators")
    _require_finite(*weights)
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")

    counted = [
        (indicator.value, weight)
        for indicator, weight in zip(indicators, weights, strict=True)
        if indicator.value is not None and weight > 0
    ]
    if not counted:
        return Achievement(None, AchievementStatus.NO_COMPUTABLE_INDICATOR)
    match method:
        case ObjectiveMethod.MEAN:
            total_weight = sum((weight for _, weight in counted), ZERO)
            value = sum((value * weight for value, weight in counted), ZERO) / total_weight
        case ObjectiveMethod.MINIMUM:
            value = min(value for value, _ in counted)
        case _:
            assert_never(method)
    return Achievement(value, AchievementStatus.COMPUTED)
