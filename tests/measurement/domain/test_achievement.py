"""Worked examples and properties of the capaian kinerja engine (pure Python, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.measurement.domain.achievement import (
    DEFAULT_RATING_SCALE,
    NOT_COMPUTABLE_TEXT,
    Achievement,
    AchievementStatus,
    AggregationMethod,
    ObjectiveMethod,
    Period,
    Polarity,
    RatingScale,
    TargetRange,
    aggregate_realization,
    aggregate_target,
    compute_achievement,
    format_percent,
    objective_achievement,
    period_achievement,
    period_realization,
    period_target,
    quarters_in,
)

D = Decimal
HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
RANGE = Polarity.RANGE
COMPUTED = AchievementStatus.COMPUTED
NO_TARGET = AchievementStatus.NO_TARGET
NO_REALIZATION = AchievementStatus.NO_REALIZATION
ZERO_TARGET = AchievementStatus.ZERO_TARGET
INVALID_TARGET = AchievementStatus.INVALID_TARGET
CUMULATIVE = AggregationMethod.CUMULATIVE
LAST_VALUE = AggregationMethod.LAST_VALUE
AVERAGE = AggregationMethod.AVERAGE


def computed(value: str) -> Achievement:
    return Achievement(D(value), COMPUTED)


def not_computable(status: AchievementStatus) -> Achievement:
    return Achievement(None, status)


# --- compute_achievement --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "realization", "expected"),
    [
        # realisasi / target x 100
        pytest.param(HIGHER, D(300), D(340), computed(str(D(34000) / D(300))), id="higher-above"),
        pytest.param(HIGHER, D(100), D(85), computed("85"), id="higher-below"),
        pytest.param(HIGHER, D(100), D(100), computed("100"), id="higher-on-target"),
        pytest.param(HIGHER, D(100), D(0), computed("0"), id="higher-zero-realization"),
        pytest.param(HIGHER, D(100), D(-10), computed("0"), id="higher-negative-floored"),
        pytest.param(HIGHER, D(0), D(5), not_computable(ZERO_TARGET), id="higher-zero-target"),
        pytest.param(HIGHER, D(0), D(0), not_computable(ZERO_TARGET), id="higher-zero-zero"),
        pytest.param(HIGHER, D(-5), D(5), not_computable(INVALID_TARGET), id="higher-negative-tgt"),
        pytest.param(HIGHER, None, D(5), not_computable(NO_TARGET), id="higher-no-target"),
        pytest.param(HIGHER, D(100), None, not_computable(NO_REALIZATION), id="higher-no-real"),
        pytest.param(HIGHER, None, None, not_computable(NO_TARGET), id="higher-nothing"),
        # (2 x target - realisasi) / target x 100, floored at 0
        pytest.param(LOWER, D(10), D(8), computed("120"), id="lower-better"),
        pytest.param(LOWER, D(10), D(10), computed("100"), id="lower-on-target"),
        pytest.param(LOWER, D(10), D(15), computed("50"), id="lower-worse"),
        pytest.param(LOWER, D(10), D(20), computed("0"), id="lower-double-target"),
        pytest.param(LOWER, D(10), D(25), computed("0"), id="lower-floored"),
        pytest.param(LOWER, D(10), D(-5), computed("250"), id="lower-negative-realization"),
        pytest.param(LOWER, D(3), D(2), computed(str(D(400) / D(3))), id="lower-full-precision"),
        pytest.param(LOWER, D(0), D(0), computed("100"), id="lower-zero-target-zero-real"),
        pytest.param(LOWER, D(0), D(1), not_computable(ZERO_TARGET), id="lower-zero-target"),
        pytest.param(LOWER, D(0), D(-1), not_computable(ZERO_TARGET), id="lower-zero-tgt-neg"),
        pytest.param(LOWER, D(0), None, not_computable(NO_REALIZATION), id="lower-zero-no-real"),
        pytest.param(LOWER, D(-1), D(0), not_computable(INVALID_TARGET), id="lower-negative-tgt"),
        pytest.param(LOWER, None, D(3), not_computable(NO_TARGET), id="lower-no-target"),
        # 100 inside [low, high]; above: realisasi / high; below: realisasi / low
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(85), computed("100"), id="range-inside"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(80), computed("100"), id="range-at-low"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(90), computed("100"), id="range-at-high"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(99), computed("110"), id="range-above"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(72), computed("90"), id="range-below"),
        pytest.param(
            RANGE,
            TargetRange(D(80), D(90)),
            D("90.01"),
            computed(str(D(9001) / D(90))),
            id="range-just-above",
        ),
        pytest.param(
            RANGE, TargetRange(D(80), D(90)), D("79.99"), computed("99.9875"), id="range-just-below"
        ),
        pytest.param(
            RANGE, TargetRange(D(80), D(90)), D(-8), computed("0"), id="range-neg-floored"
        ),
        pytest.param(RANGE, TargetRange(D(5), D(5)), D(5), computed("100"), id="range-point"),
        pytest.param(RANGE, TargetRange(D(0), D(0)), D(0), computed("100"), id="range-zero-zero"),
        pytest.param(
            RANGE, TargetRange(D(0), D(0)), D(5), not_computable(ZERO_TARGET), id="range-zero-above"
        ),
        pytest.param(RANGE, TargetRange(D(0), D(10)), D(0), computed("100"), id="range-low0-at-0"),
        pytest.param(
            RANGE, TargetRange(D(0), D(10)), D(20), computed("200"), id="range-low0-above"
        ),
        pytest.param(
            RANGE,
            TargetRange(D(0), D(10)),
            D(-1),
            not_computable(ZERO_TARGET),
            id="range-low0-below",
        ),
        pytest.param(
            RANGE,
            TargetRange(D(10), D(5)),
            D(7),
            not_computable(INVALID_TARGET),
            id="range-inverted",
        ),
        pytest.param(
            RANGE,
            TargetRange(D(-5), D(10)),
            D(7),
            not_computable(INVALID_TARGET),
            id="range-negative-low",
        ),
        pytest.param(RANGE, None, D(7), not_computable(NO_TARGET), id="range-no-target"),
        pytest.param(
            RANGE,
            TargetRange(D(80), D(90)),
            None,
            not_computable(NO_REALIZATION),
            id="range-no-realization",
        ),
    ],
)
def test_compute_achievement(polarity, target, realization, expected):
    assert (
        compute_achievement(polarity=polarity, target=target, realization=realization) == expected
    )


@pytest.mark.parametrize(
    ("polarity", "target", "realization", "cap", "expected"),
    [
        pytest.param(HIGHER, D(100), D(150), D(120), D(120), id="higher-capped"),
        pytest.param(HIGHER, D(100), D(110), D(120), D(110), id="higher-under-cap"),
        pytest.param(HIGHER, D(100), D(120), D(120), D(120), id="higher-at-cap"),
        pytest.param(HIGHER, D(100), D(150), None, D(150), id="no-cap-by-default"),
        pytest.param(LOWER, D(10), D(0), D(120), D(120), id="lower-capped"),
        pytest.param(LOWER, D(0), D(0), D(90), D(90), id="lower-zero-zero-capped"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(180), D(120), D(120), id="range-capped"),
        pytest.param(RANGE, TargetRange(D(80), D(90)), D(85), D(120), D(100), id="range-inside"),
        pytest.param(HIGHER, D(100), D(-10), D(120), D(0), id="floor-then-cap"),
    ],
)
def test_cap_applies_after_computing(polarity, target, realization, cap, expected):
    result = compute_achievement(polarity=polarity, target=target, realization=realization, cap=cap)
    assert result == Achievement(expected, COMPUTED)


def test_cap_does_not_make_a_missing_value_computable():
    result = compute_achievement(polarity=HIGHER, target=D(0), realization=D(5), cap=D(120))
    assert result == not_computable(ZERO_TARGET)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        pytest.param(
            {"polarity": HIGHER, "target": D(1), "realization": D(1), "cap": D(-1)},
            ValueError,
            "cap",
            id="negative-cap",
        ),
        pytest.param(
            {"polarity": HIGHER, "target": D(1), "realization": D(1), "cap": D("Infinity")},
            ValueError,
            "cap",
            id="infinite-cap",
        ),
        pytest.param(
            {"polarity": HIGHER, "target": D("NaN"), "realization": D(1)},
            ValueError,
            "finite",
            id="nan-target",
        ),
        pytest.param(
            {"polarity": LOWER, "target": D(1), "realization": D("-Infinity")},
            ValueError,
            "finite",
            id="infinite-realization",
        ),
        pytest.param(
            {"polarity": RANGE, "target": D(1), "realization": D(1)},
            TypeError,
            "range",
            id="range-needs-target-range",
        ),
        pytest.param(
            {"polarity": HIGHER, "target": TargetRange(D(1), D(2)), "realization": D(1)},
            TypeError,
            "higher_is_better",
            id="higher-rejects-target-range",
        ),
    ],
)
def test_compute_achievement_rejects_programming_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        compute_achievement(**kwargs)


# --- Achievement and display ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(D("113.3333"), "113,33%", id="two-places"),
        pytest.param(D("1234.5"), "1.234,50%", id="thousands-dot"),
        pytest.param(D("1234567.891"), "1.234.567,89%", id="millions"),
        pytest.param(D("99.995"), "100,00%", id="half-up-carry"),
        pytest.param(D("99.994"), "99,99%", id="below-half"),
        pytest.param(D("0.005"), "0,01%", id="half-up-small"),
        pytest.param(D("999.995"), "1.000,00%", id="carry-into-thousands"),
        pytest.param(D("100"), "100,00%", id="integer"),
        pytest.param(D("0"), "0,00%", id="zero"),
        pytest.param(D("-0.001"), "0,00%", id="no-negative-zero"),
        pytest.param(D("-12.345"), "-12,35%", id="negative-half-up-away-from-zero"),
        pytest.param(D("1E+30"), "1.000.000.000.000.000.000.000.000.000.000,00%", id="huge"),
        pytest.param(None, "tidak dapat dihitung", id="not-computable"),
    ],
)
def test_format_percent(value, expected):
    assert format_percent(value) == expected


@pytest.mark.parametrize(
    ("achievement", "rounded", "display"),
    [
        pytest.param(computed("113.3333"), D("113.33"), "113,33%", id="computed"),
        pytest.param(computed("99.995"), D("100.00"), "100,00%", id="half-up"),
        pytest.param(computed("75.125"), D("75.13"), "75,13%", id="half-up-not-even"),
        pytest.param(not_computable(ZERO_TARGET), None, NOT_COMPUTABLE_TEXT, id="zero-target"),
        pytest.param(not_computable(NO_REALIZATION), None, NOT_COMPUTABLE_TEXT, id="no-real"),
    ],
)
def test_achievement_rounding_and_display(achievement, rounded, display):
    assert achievement.rounded() == rounded
    assert achievement.display() == display
    assert achievement.computable is (rounded is not None)


def test_achievement_keeps_full_precision():
    result = compute_achievement(polarity=HIGHER, target=D(300), realization=D(340))
    assert result.value == D(34000) / D(300)
    assert str(result.rounded()) == "113.33"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        pytest.param(None, COMPUTED, id="computed-without-value"),
        pytest.param(D(1), NO_TARGET, id="value-with-not-computable-status"),
    ],
)
def test_achievement_rejects_inconsistent_state(value, status):
    with pytest.raises(ValueError, match="does not match"):
        Achievement(value, status)


# --- aggregation and periods ----------------------------------------------------------------------

GAPPY = [D(10), None, D(30), None]


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        pytest.param([D(10), D(20), D(30), D(40)], CUMULATIVE, D(100), id="cumulative"),
        pytest.param([D(10), D(20), D(30), D(40)], LAST_VALUE, D(40), id="last"),
        pytest.param([D(10), D(20), D(30), D(40)], AVERAGE, D(25), id="average"),
        pytest.param(GAPPY, CUMULATIVE, D(40), id="cumulative-gaps"),
        pytest.param(GAPPY, LAST_VALUE, D(30), id="last-skips-trailing-gap"),
        pytest.param(GAPPY, AVERAGE, D(20), id="average-of-present-only"),
        pytest.param([D(1), D(2), D(2)], AVERAGE, D(5) / D(3), id="average-full-precision"),
        pytest.param([D(5), D(0)], LAST_VALUE, D(0), id="last-zero-is-a-value"),
        pytest.param([D("-3"), D(5)], CUMULATIVE, D(2), id="cumulative-negative"),
        pytest.param([None, None, None, None], CUMULATIVE, None, id="cumulative-none-present"),
        pytest.param([None, None], LAST_VALUE, None, id="last-none-present"),
        pytest.param([None], AVERAGE, None, id="average-none-present"),
        pytest.param([], CUMULATIVE, None, id="empty"),
    ],
)
def test_aggregate_realization(values, method, expected):
    assert aggregate_realization(values=values, method=method) == expected


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        pytest.param([D(25), D(30)], CUMULATIVE, D(55), id="cumulative-tw1-tw2"),
        pytest.param([D(25), D(30)], LAST_VALUE, D(30), id="last-period-target"),
        pytest.param([D(25), D(30)], AVERAGE, D("27.5"), id="average"),
        pytest.param([D(25), None], LAST_VALUE, D(25), id="last-planned-target"),
        pytest.param([None, None], CUMULATIVE, None, id="no-target"),
    ],
)
def test_aggregate_target(values, method, expected):
    assert aggregate_target(values=values, method=method) == expected


@pytest.mark.parametrize(
    ("period", "quarters"),
    [
        pytest.param(Period.TW1, (1,), id="tw1"),
        pytest.param(Period.TW2, (2,), id="tw2"),
        pytest.param(Period.TW3, (3,), id="tw3"),
        pytest.param(Period.TW4, (4,), id="tw4"),
        pytest.param(Period.S1, (1, 2), id="s1"),
        pytest.param(Period.S2, (1, 2, 3, 4), id="s2-cumulative-to-year-end"),
        pytest.param(Period.ANNUAL, (1, 2, 3, 4), id="annual"),
    ],
)
def test_quarters_in(period, quarters):
    assert quarters_in(period) == quarters


REALIZATIONS = {1: D(10), 2: D(20), 3: None, 4: D(40)}


@pytest.mark.parametrize(
    ("values_by_quarter", "period", "method", "expected"),
    [
        pytest.param(REALIZATIONS, Period.TW1, CUMULATIVE, D(10), id="tw1"),
        pytest.param(REALIZATIONS, Period.TW3, CUMULATIVE, None, id="tw3-not-reported"),
        pytest.param(REALIZATIONS, Period.TW4, AVERAGE, D(40), id="tw4-average-is-itself"),
        pytest.param(REALIZATIONS, Period.S1, CUMULATIVE, D(30), id="s1-cumulative"),
        pytest.param(REALIZATIONS, Period.S1, LAST_VALUE, D(20), id="s1-last"),
        pytest.param(REALIZATIONS, Period.S1, AVERAGE, D(15), id="s1-average"),
        pytest.param(REALIZATIONS, Period.S2, CUMULATIVE, D(70), id="s2-cumulative"),
        pytest.param(REALIZATIONS, Period.S2, LAST_VALUE, D(40), id="s2-last"),
        pytest.param(REALIZATIONS, Period.ANNUAL, CUMULATIVE, D(70), id="annual-cumulative"),
        pytest.param(REALIZATIONS, Period.ANNUAL, AVERAGE, D(70) / D(3), id="annual-average"),
        pytest.param({1: D(10)}, Period.ANNUAL, LAST_VALUE, D(10), id="absent-quarters"),
        pytest.param({5: D(99)}, Period.ANNUAL, CUMULATIVE, None, id="ignores-non-quarters"),
        pytest.param({}, Period.S1, CUMULATIVE, None, id="nothing-reported"),
    ],
)
def test_period_realization(values_by_quarter, period, method, expected):
    assert (
        period_realization(values_by_quarter=values_by_quarter, period=period, method=method)
        == expected
    )


@pytest.mark.parametrize(
    ("period", "method", "expected"),
    [
        pytest.param(Period.TW2, CUMULATIVE, D(30), id="tw2"),
        pytest.param(Period.S1, CUMULATIVE, D(50), id="s1-cumulative"),
        pytest.param(Period.S1, LAST_VALUE, D(30), id="s1-last"),
        pytest.param(Period.ANNUAL, CUMULATIVE, D(100), id="annual-cumulative"),
        pytest.param(Period.ANNUAL, AVERAGE, D(25), id="annual-average"),
    ],
)
def test_period_target(period, method, expected):
    targets = {1: D(20), 2: D(30), 3: D(25), 4: D(25)}
    assert period_target(targets_by_quarter=targets, period=period, method=method) == expected


@pytest.mark.parametrize(
    ("period", "target_for_period", "expected"),
    [
        pytest.param(Period.TW2, D(25), computed("80"), id="quarter-vs-rencana-aksi"),
        pytest.param(Period.S1, D(40), computed("75"), id="semester-vs-aggregated-ra"),
        pytest.param(Period.ANNUAL, D(125), computed("80"), id="year-vs-pk"),
        pytest.param(Period.S2, D(125), computed("80"), id="s2-vs-pk"),
        pytest.param(Period.ANNUAL, None, not_computable(NO_TARGET), id="no-pk-target"),
    ],
)
def test_period_achievement(period, target_for_period, expected):
    realizations = {1: D(10), 2: D(20), 3: D(30), 4: D(40)}
    result = period_achievement(
        period=period,
        realizations_by_quarter=realizations,
        target_for_period=target_for_period,
        polarity=HIGHER,
        method=CUMULATIVE,
    )
    assert result == expected


def test_period_achievement_without_realization():
    result = period_achievement(
        period=Period.TW3,
        realizations_by_quarter={1: D(10)},
        target_for_period=D(25),
        polarity=HIGHER,
        method=CUMULATIVE,
    )
    assert result == not_computable(NO_REALIZATION)


# --- predikat -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        pytest.param(D(150), "Sangat Tinggi", id="150"),
        pytest.param(D(91), "Sangat Tinggi", id="91"),
        pytest.param(D("90.99"), "Tinggi", id="90.99"),
        pytest.param(D("90.5"), "Tinggi", id="90.5"),
        pytest.param(D(76), "Tinggi", id="76"),
        pytest.param(D("75.99"), "Sedang", id="75.99"),
        pytest.param(D("75.5"), "Sedang", id="75.5"),
        pytest.param(D(66), "Sedang", id="66"),
        pytest.param(D("65.99"), "Rendah", id="65.99"),
        pytest.param(D(51), "Rendah", id="51"),
        pytest.param(D("50.99"), "Sangat Rendah", id="50.99"),
        pytest.param(D("50.5"), "Sangat Rendah", id="50.5"),
        pytest.param(D(50), "Sangat Rendah", id="50"),
        pytest.param(D(0), "Sangat Rendah", id="0"),
        pytest.param(D(-5), "Sangat Rendah", id="below-lowest-bound"),
        pytest.param(None, None, id="not-computable"),
    ],
)
def test_default_rating_scale(value, label):
    assert DEFAULT_RATING_SCALE.rate(value) == label


def test_custom_scale_from_json_like_bands():
    scale = RatingScale.from_bands([("85.5", "AA"), (70, "A"), (D(0), "B")])
    assert [band.lower_bound for band in scale.bands] == [D("85.5"), D(70), D(0)]
    assert scale.rate(D("85.5")) == "AA"
    assert scale.rate(D("85.49")) == "A"
    assert scale.rate(D(12)) == "B"


@pytest.mark.parametrize(
    ("bands", "match"),
    [
        pytest.param([], "at least one band", id="empty"),
        pytest.param([(80, "A"), (80, "B")], "strictly descending", id="equal-bounds"),
        pytest.param([(50, "B"), (80, "A")], "strictly descending", id="ascending"),
        pytest.param([(80, "A"), (50, "  ")], "empty label", id="blank-label"),
        pytest.param([(80, "")], "empty label", id="empty-label"),
        pytest.param([("abc", "A")], "not a number", id="not-a-number"),
        pytest.param([(80.5, "A")], "Decimal, int or numeric string", id="float-bound"),
        pytest.param([("NaN", "A")], "non-finite", id="nan-bound"),
    ],
)
def test_invalid_rating_scale(bands, match):
    with pytest.raises(ValueError, match=match):
        RatingScale.from_bands(bands)


# --- objective (sasaran) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicators", "method", "weights", "expected"),
    [
        pytest.param(
            [computed("80"), computed("100")],
            ObjectiveMethod.MEAN,
            None,
            computed("90"),
            id="mean",
        ),
        pytest.param(
            [computed("80"), not_computable(ZERO_TARGET), computed("100")],
            ObjectiveMethod.MEAN,
            None,
            computed("90"),
            id="mean-ignores-not-computable",
        ),
        pytest.param(
            [computed("80"), computed("100"), computed("100")],
            ObjectiveMethod.MEAN,
            None,
            Achievement(D(280) / D(3), COMPUTED),
            id="mean-full-precision",
        ),
        pytest.param(
            [computed("80"), not_computable(NO_TARGET), computed("100")],
            ObjectiveMethod.MINIMUM,
            None,
            computed("80"),
            id="minimum",
        ),
        pytest.param(
            [computed("80"), computed("100")],
            ObjectiveMethod.MEAN,
            [D(1), D(3)],
            computed("95"),
            id="weighted",
        ),
        pytest.param(
            [computed("80"), not_computable(NO_REALIZATION), computed("100")],
            ObjectiveMethod.MEAN,
            [D(1), D(5), D(1)],
            computed("90"),
            id="weighted-drops-not-computable",
        ),
        pytest.param(
            [computed("80"), computed("100")],
            ObjectiveMethod.MEAN,
            [D(0), D(2)],
            computed("100"),
            id="zero-weight-left-out",
        ),
        pytest.param(
            [not_computable(ZERO_TARGET), not_computable(NO_TARGET)],
            ObjectiveMethod.MEAN,
            None,
            not_computable(AchievementStatus.NO_COMPUTABLE_INDICATOR),
            id="none-computable",
        ),
        pytest.param(
            [],
            ObjectiveMethod.MINIMUM,
            None,
            not_computable(AchievementStatus.NO_COMPUTABLE_INDICATOR),
            id="no-indicators",
        ),
    ],
)
def test_objective_achievement(indicators, method, weights, expected):
    assert objective_achievement(indicators=indicators, method=method, weights=weights) == expected


def test_objective_defaults_to_mean():
    assert objective_achievement(indicators=[computed("60"), computed("90")]) == computed("75")


@pytest.mark.parametrize(
    ("method", "weights", "match"),
    [
        pytest.param(ObjectiveMethod.MINIMUM, [D(1), D(1)], "only apply", id="weights-with-min"),
        pytest.param(ObjectiveMethod.MEAN, [D(1)], "1 weights given for 2", id="length-mismatch"),
        pytest.param(ObjectiveMethod.MEAN, [D(1), D(-1)], "negative", id="negative-weight"),
        pytest.param(ObjectiveMethod.MEAN, [D(1), D("NaN")], "finite", id="nan-weight"),
    ],
)
def test_objective_rejects_bad_weights(method, weights, match):
    with pytest.raises(ValueError, match=match):
        objective_achievement(
            indicators=[computed("80"), computed("100")], method=method, weights=weights
        )


# --- properties -----------------------------------------------------------------------------------

LIMIT = Decimal(10) ** 12


def decimals(min_value: Decimal = -LIMIT, max_value: Decimal = LIMIT) -> st.SearchStrategy:
    return st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=min_value, max_value=max_value
    )


amounts = decimals()
non_negative = decimals(min_value=D(0))
caps = st.none() | decimals(min_value=D(0), max_value=D(1000))
target_ranges = st.builds(TargetRange, amounts, amounts)


@st.composite
def targets_for(draw: st.DrawFn, polarity: Polarity) -> Decimal | TargetRange | None:
    return draw(st.none() | (target_ranges if polarity is RANGE else amounts))


@st.composite
def any_inputs(draw: st.DrawFn) -> dict:
    polarity = draw(st.sampled_from(Polarity))
    return {
        "polarity": polarity,
        "target": draw(targets_for(polarity)),
        "realization": draw(st.none() | amounts),
        "cap": draw(caps),
    }


@given(any_inputs())
def test_never_raises_never_negative_never_above_cap(inputs):
    result = compute_achievement(**inputs)
    assert result.display()
    if result.value is not None:
        assert result.value >= 0
        if inputs["cap"] is not None:
            assert result.value <= inputs["cap"]


@given(target=amounts, first=amounts, second=amounts)
def test_higher_is_better_is_monotonic_non_decreasing(target, first, second):
    low, high = sorted([first, second])
    at_low = compute_achievement(polarity=HIGHER, target=target, realization=low)
    at_high = compute_achievement(polarity=HIGHER, target=target, realization=high)
    assert at_low.status == at_high.status
    if at_low.value is not None and at_high.value is not None:
        assert at_low.value <= at_high.value


@given(target=amounts, first=amounts, second=amounts)
def test_lower_is_better_is_monotonic_non_increasing(target, first, second):
    low, high = sorted([first, second])
    at_low = compute_achievement(polarity=LOWER, target=target, realization=low)
    at_high = compute_achievement(polarity=LOWER, target=target, realization=high)
    if at_low.value is not None and at_high.value is not None:
        assert at_low.value >= at_high.value


@given(bounds=st.lists(non_negative, min_size=2, max_size=2), data=st.data())
def test_range_is_exactly_100_inside_the_range(bounds, data):
    low, high = sorted(bounds)
    realization = data.draw(decimals(min_value=low, max_value=high))
    result = compute_achievement(
        polarity=RANGE, target=TargetRange(low, high), realization=realization
    )
    assert result == computed("100")


@given(st.lists(st.none() | non_negative, max_size=8))
def test_cumulative_of_non_negative_values_is_at_least_each_value(values):
    total = aggregate_realization(values=values, method=CUMULATIVE)
    present = [value for value in values if value is not None]
    assert (total is None) == (not present)
    assert all(value <= total for value in present)


LABELS = [band.label for band in DEFAULT_RATING_SCALE.bands]


@given(
    first=decimals(min_value=D(-100), max_value=D(300)),
    second=decimals(min_value=D(-100), max_value=D(300)),
)
def test_rating_is_monotonic_in_value(first, second):
    low, high = sorted([first, second])
    rank_low = LABELS.index(DEFAULT_RATING_SCALE.rate(low))
    rank_high = LABELS.index(DEFAULT_RATING_SCALE.rate(high))
    assert rank_high <= rank_low  # bands are listed best first
