"""Achievement selectors: which target each period uses, predikat, objectives, scope, queries."""

import datetime
from decimal import Decimal

import pytest

from kinerja.core.errors import AccessDenied, NotFound, ValidationFailed
from kinerja.measurement import selectors
from kinerja.measurement.domain.achievement import (
    DEFAULT_RATING_SCALE,
    AchievementStatus,
    Period,
    TargetRange,
)
from kinerja.measurement.models import RatingScale
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from kinerja.planning.models import Aggregation, PerformanceAgreement, Polarity
from tests.api import scenario
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope(agency):
    return scope_for(staff(agency=agency, role_key=RoleKey.KASUBBAG_PROGRAM))


@pytest.fixture
def goal(agency):
    return scenario.objective(scenario.renstra(agency), code="S1")


def table(scope, agency, period=Period.ANNUAL, year=scenario.YEAR):
    return selectors.achievement_table(scope=scope, agency=agency, year=year, period=period)


def only_row(result):
    [group] = result.objectives
    [row] = group.indicators
    return row


def test_annual_capaian_is_measured_against_the_pk_target(agency, scope, goal):
    item = scenario.indicator(goal, annual_target=70)
    pk = scenario.agreement(agency)
    scenario.pk_line(pk, item, target=75, quarterly=(20, 40, 60, 75))
    scenario.realize(item, {1: 30, 4: 85})

    row = only_row(table(scope, agency))

    assert row.target == Decimal(75)
    assert row.target_source == "pk"
    assert row.realization == Decimal(85)
    assert row.achievement.display() == "113,33%"
    assert row.rating == "Sangat Tinggi"
    assert row.rating_css == "rating-sangat-tinggi"


def test_a_quarter_is_measured_against_its_rencana_aksi_target(agency, scope, goal):
    item = scenario.indicator(goal, aggregation=Aggregation.CUMULATIVE)
    scenario.pk_line(scenario.agreement(agency), item, target=100, quarterly=(10, 40, 25, 25))
    scenario.realize(item, {1: 12, 2: 30})

    tw2 = only_row(table(scope, agency, Period.TW2))
    tw1 = only_row(table(scope, agency, Period.TW1))

    assert (tw2.target, tw2.realization, tw2.target_source) == (40, 30, "rencana_aksi")
    assert tw2.achievement.display() == "75,00%"
    assert tw2.rating == "Sedang"
    assert tw1.achievement.display() == "120,00%"


def test_semester_one_aggregates_tw1_and_tw2_targets(agency, scope, goal):
    item = scenario.indicator(goal, aggregation=Aggregation.CUMULATIVE)
    scenario.pk_line(scenario.agreement(agency), item, target=100, quarterly=(10, 40, 25, 25))
    scenario.realize(item, {1: 12, 2: 30, 3: 50})

    s1 = only_row(table(scope, agency, Period.S1))
    s2 = only_row(table(scope, agency, Period.S2))

    assert (s1.target, s1.realization) == (50, 42)
    assert s1.achievement.display() == "84,00%"
    assert (s2.target, s2.realization, s2.target_source) == (100, 92, "pk")
    assert s2.achievement.display() == "92,00%"


def test_without_a_pk_line_the_year_falls_back_to_the_renstra_target(agency, scope, goal):
    item = scenario.indicator(goal, annual_target=50)
    scenario.realize(item, {1: 10, 4: 40})

    annual = only_row(table(scope, agency))
    quarter = only_row(table(scope, agency, Period.TW1))

    assert (annual.target, annual.target_source) == (50, "renstra")
    assert annual.achievement.display() == "80,00%"
    assert quarter.target is None
    assert quarter.achievement.status is AchievementStatus.NO_TARGET
    assert quarter.rating is None


def test_a_pk_revision_applies_from_its_effective_date(agency, scope, goal):
    item = scenario.indicator(goal)
    original = scenario.agreement(agency)
    scenario.pk_line(original, item, target=80, quarterly=(20, 40, 60, 80))
    revision = scenario.agreement(
        agency, version=2, supersedes=original, effective_date=datetime.date(2025, 7, 1)
    )
    scenario.pk_line(revision, item, target=60, quarterly=(20, 40, 50, 60))
    scenario.realize(item, {2: 40, 3: 50, 4: 60})

    assert only_row(table(scope, agency, Period.TW3)).target == 50
    assert only_row(table(scope, agency, Period.S1)).target == 40
    assert only_row(table(scope, agency, Period.ANNUAL)).target == 60
    assert only_row(table(scope, agency, Period.ANNUAL)).achievement.display() == "100,00%"


def test_a_draft_revision_is_not_yet_in_force(agency, scope, goal):
    item = scenario.indicator(goal)
    original = scenario.agreement(agency)
    scenario.pk_line(original, item, target=80)
    draft = scenario.agreement(
        agency,
        version=2,
        supersedes=original,
        effective_date=datetime.date(2025, 7, 1),
        status=PerformanceAgreement.Status.DRAFT,
    )
    scenario.pk_line(draft, item, target=60)

    assert only_row(table(scope, agency)).target == 80


def test_a_pk_signed_after_the_quarter_still_gives_that_quarter_its_target(agency, scope, goal):
    item = scenario.indicator(goal)
    late = scenario.agreement(agency, effective_date=datetime.date(2025, 5, 2))
    scenario.pk_line(late, item, target=80, quarterly=(20, 40, 60, 80))
    scenario.realize(item, {1: 20})

    assert only_row(table(scope, agency, Period.TW1)).achievement.display() == "100,00%"


def test_range_and_lower_is_better_indicators(agency, scope, goal):
    in_range = scenario.indicator(goal, polarity=Polarity.RANGE, code="A")
    lower = scenario.indicator(goal, polarity=Polarity.LOWER_IS_BETTER, code="B")
    pk = scenario.agreement(agency)
    scenario.pk_line(pk, in_range, low=10, high=20, quarterly=((1, 2), (3, 4), (5, 6), (10, 20)))
    scenario.pk_line(pk, lower, target=10)
    scenario.realize(in_range, {4: 15, 2: 6})
    scenario.realize(lower, {4: 8})

    first, second = table(scope, agency).objectives[0].indicators
    tw2 = table(scope, agency, Period.TW2).objectives[0].indicators[0]

    assert first.target == TargetRange(low=Decimal(10), high=Decimal(20))
    assert first.target_is_range
    assert first.achievement.display() == "100,00%"
    assert second.achievement.display() == "120,00%"
    assert tw2.achievement.display() == "150,00%"  # 6 above the TW II range [3, 4]


def test_the_agency_cap_limits_capaian(agency, scope, goal):
    agency.achievement_cap = Decimal(110)
    agency.save()
    item = scenario.indicator(goal)
    scenario.pk_line(scenario.agreement(agency), item, target=50)
    scenario.realize(item, {4: 100})

    assert only_row(table(scope, agency)).achievement.display() == "110,00%"


def test_the_predikat_is_given_to_the_rounded_value(agency, scope, goal):
    item = scenario.indicator(goal)
    scenario.pk_line(scenario.agreement(agency), item, target=1000)
    scenario.realize(item, {4: "909.96"})  # 90.996 % shows as 91,00 %

    row = only_row(table(scope, agency))

    assert row.achievement.display() == "91,00%"
    assert row.rating == "Sangat Tinggi"


def test_the_governments_own_scale_is_used_for_its_year(agency, scope, goal):
    RatingScale.objects.create(
        government=agency.government,
        year=2025,
        bands=[{"min": "100", "label": "Baik"}, {"min": 0, "label": "Kurang"}],
    )
    item = scenario.indicator(goal)
    scenario.pk_line(scenario.agreement(agency), item, target=100)
    scenario.realize(item, {4: 95})

    result = table(scope, agency)

    assert only_row(result).rating == "Kurang"
    assert [(c.label, c.count) for c in result.rating_counts] == [("Baik", 0), ("Kurang", 1)]
    assert table(scope, agency, year=2024).scale == DEFAULT_RATING_SCALE


def test_a_broken_stored_scale_falls_back_to_the_default(agency):
    RatingScale.objects.create(government=agency.government, year=2025, bands={"min": 1})

    scale = selectors.rating_scale_for(government_id=agency.government_id, year=2025)

    assert scale == DEFAULT_RATING_SCALE


def test_objectives_take_the_mean_and_counts_cover_every_band(agency, scope):
    plan = scenario.renstra(agency)
    first, empty = scenario.objective(plan, code="S1"), scenario.objective(plan, code="S2")
    pk = scenario.agreement(agency)
    a, b = scenario.indicator(first, code="A"), scenario.indicator(first, code="B")
    c = scenario.indicator(empty, code="C")
    scenario.pk_line(pk, a, target=100)
    scenario.pk_line(pk, b, target=100)
    scenario.pk_line(pk, c, target=0)
    scenario.realize(a, {4: 100})
    scenario.realize(b, {4: 70})
    scenario.realize(c, {4: 5})

    result = table(scope, agency)
    one, two = result.objectives

    assert one.achievement.display() == "85,00%"
    assert one.rating == "Tinggi"
    assert two.achievement.status is AchievementStatus.NO_COMPUTABLE_INDICATOR
    assert two.indicators[0].achievement.status is AchievementStatus.ZERO_TARGET
    assert two.reason
    counts = {item.label: item.count for item in result.rating_counts}
    assert counts == {
        "Sangat Tinggi": 1,
        "Tinggi": 0,
        "Sedang": 1,
        "Rendah": 0,
        "Sangat Rendah": 0,
    }
    assert result.not_computable == 1
    assert result.indicator_count == 3


def test_archived_pks_and_other_years_are_ignored(agency, scope, goal):
    item = scenario.indicator(goal)
    old = scenario.agreement(agency, year=2024)
    scenario.pk_line(old, item, target=10)
    archived = scenario.agreement(agency)
    scenario.pk_line(archived, item, target=10)
    archived.archived_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    archived.save()
    scenario.realize(item, {4: 10}, year=2024)

    row = only_row(table(scope, agency))

    assert row.target is None
    assert row.realization is None
    assert row.achievement.status is AchievementStatus.NO_TARGET


def test_averages_are_listed_with_at_most_four_places(agency, scope, goal):
    item = scenario.indicator(goal, aggregation=Aggregation.AVERAGE)
    scenario.pk_line(scenario.agreement(agency), item, target=10)
    scenario.realize(item, {1: 10, 2: 10, 3: 11})

    row = only_row(table(scope, agency))

    assert row.realization == Decimal("10.3333")
    assert row.achievement.display() == "103,33%"


def test_another_agencys_user_is_refused(agency, other_agency, goal):
    outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

    with pytest.raises(AccessDenied):
        table(outsider, agency)


def test_a_government_administrator_sees_every_agency_of_the_government(agency):
    admin = UserFactory(administered_government=agency.government)
    scenario.planned_agency(agency, indicators=1)

    result = table(scope_for(admin), agency)

    assert result.indicator_count == 1


@pytest.mark.parametrize("size", [1, 6])
def test_the_table_takes_a_constant_number_of_queries(
    agency, scope, size, django_assert_max_num_queries
):
    scenario.planned_agency(agency, indicators=size, objectives=size)

    with django_assert_max_num_queries(6):
        result = table(scope, agency)

    assert result.indicator_count == size * size
    assert all(
        row.achievement.display() == "112,50%"
        for group in result.objectives
        for row in group.indicators
    )


def test_realization_history_lists_every_version(agency, scope, goal):
    item = scenario.indicator(goal)
    scenario.realize(item, {2: 5, 1: 10})
    scenario.realize(item, {1: 12})

    history = list(selectors.realization_history(scope=scope, indicator=item, year=2025))

    assert [(r.realization.quarter, r.version, r.value, r.previous_value) for r in history] == [
        (1, 1, 10, None),
        (1, 2, 12, 10),
        (2, 1, 5, None),
    ]


def test_realization_history_outside_the_scope_is_not_found(agency, other_agency, goal):
    item = scenario.indicator(goal)
    outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

    with pytest.raises(NotFound):
        selectors.realization_history(scope=outsider, indicator=item, year=2025)


@pytest.mark.parametrize(
    ("text", "period"),
    [(None, Period.ANNUAL), ("", Period.ANNUAL), ("tw1", Period.TW1), ("S2", Period.S2)],
)
def test_parse_period(text, period):
    assert selectors.parse_period(text) is period
    assert selectors.parse_period(selectors.period_param(period)) is period


@pytest.mark.parametrize("text", ["tw5", "q1", "2025"])
def test_parse_period_rejects_unknown_periods(text):
    with pytest.raises(ValidationFailed) as caught:
        selectors.parse_period(text)
    assert "period" in caught.value.errors


@pytest.mark.parametrize("text", ["abc", "1999", "2101", "20.5"])
def test_parse_year_rejects_bad_years(text):
    with pytest.raises(ValidationFailed) as caught:
        selectors.parse_year(text)
    assert "year" in caught.value.errors


def test_parse_year_accepts_years_and_blank():
    assert selectors.parse_year("2025") == 2025
    assert selectors.parse_year(2030) == 2030
    assert selectors.parse_year("") is None
