"""Response shapes of API v1. Every number is a decimal string ("80", "113.33"), never a float."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from kinerja.measurement.domain.achievement import Achievement, TargetRange
from kinerja.planning.models import TargetValue


def decimal_str(value: Decimal | None) -> str | None:
    """80.0000 → "80", 85.5000 → "85.5" (no exponent, no float on the way)."""
    if value is None:
        return None
    return f"{value.normalize():f}"


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class GovernmentOut(Schema):
    code: str
    name: str
    level: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    is_coordinating: bool
    government: GovernmentOut
    achievement_cap: str | None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None


class AgencyDetailOut(AgencyOut):
    address: str
    phone: str
    email: str
    website: str
    units: list[UnitOut]


class TargetOut(Schema):
    """One number (`value`) or, for a range indicator, `low`–`high`."""

    value: str | None
    low: str | None
    high: str | None

    @staticmethod
    def fields_of(stored: TargetValue) -> dict[str, str | None]:
        return {
            "value": decimal_str(stored.value),
            "low": decimal_str(stored.low),
            "high": decimal_str(stored.high),
        }

    @classmethod
    def of_target(cls, target: Decimal | TargetRange | None) -> "TargetOut | None":
        if target is None:
            return None
        if isinstance(target, TargetRange):
            return cls(value=None, low=decimal_str(target.low), high=decimal_str(target.high))
        return cls(value=decimal_str(target), low=None, high=None)


class QuarterlyTargetOut(TargetOut):
    quarter: int
    action: str


class AgreementTargetOut(TargetOut):
    """The PK line in force at the end of the year."""

    agreement_version: int
    effective_date: datetime.date
    status: str


class ObjectiveRefOut(Schema):
    code: str
    statement: str
    level: str


class UnitRefOut(Schema):
    code: str
    name: str


class IndicatorOut(Schema):
    code: str
    name: str
    objective: ObjectiveRefOut
    unit_of_measure: str
    polarity: str
    aggregation: str
    is_key: bool
    responsible_unit: UnitRefOut | None
    baseline: str | None
    annual_target: TargetOut | None
    agreement_target: AgreementTargetOut | None
    quarterly_targets: list[QuarterlyTargetOut]


class AchievementFields(Schema):
    achievement: str | None = Field(
        description='Capaian in percent, half-up to 2 places ("113.33"); null when not computable.'
    )
    achievement_display: str = Field(
        description='As shown in Indonesian: "113,33%" or "tidak dapat dihitung".'
    )
    status: str = Field(
        description="computed, no_target, no_realization, zero_target, invalid_target "
        "or no_computable_indicator."
    )
    rating: str | None = Field(description="Predikat, from the rounded capaian.")

    @staticmethod
    def of(achievement: Achievement, rating: str | None) -> dict[str, str | None]:
        rounded = achievement.rounded()
        return {
            "achievement": None if rounded is None else f"{rounded:f}",
            "achievement_display": achievement.display(),
            "status": str(achievement.status),
            "rating": rating,
        }


class IndicatorAchievementOut(AchievementFields):
    code: str
    name: str
    unit_of_measure: str
    is_key: bool
    target: TargetOut | None
    target_source: str | None
    realization: str | None


class ObjectiveAchievementOut(AchievementFields):
    code: str
    statement: str
    level: str
    indicators: list[IndicatorAchievementOut]


class RatingBandOut(Schema):
    min: str
    label: str


class RatingCountOut(Schema):
    label: str
    count: int


class AchievementTableOut(Schema):
    agency: str
    year: int
    period: str
    period_label: str
    achievement_cap: str | None
    rating_scale: list[RatingBandOut]
    objectives: list[ObjectiveAchievementOut]
    rating_counts: list[RatingCountOut]
    not_computable: int
