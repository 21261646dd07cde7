"""Planning reads: each returns only what the scope may see, in the shape the pages need."""

import datetime
from decimal import Decimal

import pytest

from kinerja.core.errors import NotFound
from kinerja.organizations.access import scope_for
from kinerja.planning import selectors, services
from kinerja.planning.models import AnnualTarget
from tests.factories import (
    AssignmentFactory,
    EmployeeFactory,
    IndicatorFactory,
    ObjectiveFactory,
    StrategicPlanFactory,
    staff,
)
from tests.planning.world import (
    YEAR,
    IndividualIndicatorFactory,
    build_world,
    draft_agreement,
    fill_quarters,
    signed_agreement,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency):
    return build_world(agency)


@pytest.fixture
def outsider_scope(other_agency):
    return scope_for(staff(agency=other_agency, role_key="kasubbag_program"))


def test_indicator_list_carries_the_years_targets_and_pk_lines(world):
    AnnualTarget.objects.create(indicator=world.cumulative, year=YEAR, value=D("90"))
    AnnualTarget.objects.create(indicator=world.cumulative, year=YEAR + 1, value=D("95"))
    signed_agreement(world)

    indicators = {
        i.code: i
        for i in selectors.indicator_list(scope=world.reader_scope, agency=world.agency, year=YEAR)
    }

    assert list(indicators) == ["IK1", "IK2", "IK3"]
    assert [t.value for t in indicators["IK1"].year_targets] == [D("90")]
    [line] = indicators["IK1"].year_lines
    assert [q.value for q in line.quarterly_targets.all()] == [
        D(v) for v in ("10", "20", "30", "40")
    ]


def test_indicator_list_is_empty_outside_the_scope_and_outside_the_renstra(world, outsider_scope):
    assert not selectors.indicator_list(
        scope=outsider_scope, agency=world.agency, year=YEAR
    ).exists()
    assert not selectors.indicator_list(
        scope=world.reader_scope, agency=world.agency, year=2030
    ).exists()


@pytest.mark.parametrize(
    "read",
    [
        lambda w, o, s: selectors.indicator_get(scope=s, indicator_id=w.cumulative.pk),
        lambda w, o, s: selectors.agreement_get(scope=s, agreement_id=o["agreement"].pk),
        lambda w, o, s: selectors.agreement_line_get(
            scope=s, line_id=o["agreement"].lines.first().pk
        ),
        lambda w, o, s: selectors.individual_indicator_get(
            scope=s, individual_indicator_id=o["iki"].pk
        ),
    ],
)
def test_single_objects_outside_the_scope_are_not_found(world, outsider_scope, read):
    agreement = signed_agreement(world)
    iki = IndividualIndicatorFactory(
        employee=world.staff_member,
        position=world.staff_position,
        parent_line=agreement.lines.first(),
    )
    objects = {"agreement": agreement, "iki": iki}

    assert read(world, objects, world.reader_scope).pk
    with pytest.raises(NotFound):
        read(world, objects, outsider_scope)


def test_current_agreements_and_versions(world):
    old = signed_agreement(world)
    new = services.agreement_revise(
        actor=world.planner_scope,
        agreement=old,
        effective_date=datetime.date(YEAR, 7, 1),
        reason="Mutasi",
    )
    draft_agreement(world, position=world.other_unit_head_position)

    current = selectors.current_agreements(scope=world.reader_scope, agency=world.agency, year=YEAR)

    assert [(a.position.title, a.version) for a in current] == [
        ("Kepala Bidang Koperasi", 2),
        ("Kepala Bidang UMKM", 1),
    ]
    assert [
        v.pk for v in selectors.agreement_versions(scope=world.reader_scope, agreement=new)
    ] == [old.pk, new.pk]


def test_action_plan_rows_pair_each_quarter_with_its_cell_and_the_lines_problems(world):
    agreement = draft_agreement(
        world, lines={world.cumulative: D("100"), world.last_value: D("80")}
    )
    cumulative, last = agreement.lines.order_by("sort_order")
    fill_quarters(world, cumulative, ["25", "25", "25", "25"])
    services.quarterly_target_set(actor=world.planner_scope, line=last, quarter=4, value=D("70"))

    rows = selectors.action_plan_rows(lines=selectors.agreement_lines(agreement=agreement))

    assert [c.name for c in rows[0].cells] == ["TW I", "TW II", "TW III", "TW IV"]
    assert rows[0].problems == []
    assert [c.target is None for c in rows[1].cells] == [True, True, True, False]
    assert rows[1].cells[3].seen == {"value": "70.0000", "low": "", "high": ""}
    assert rows[1].problems and "TW I, TW II, TW III" in rows[1].problems[0]


def test_indicators_for_agreement_leave_out_those_already_in_it(world):
    agreement = draft_agreement(world, lines={world.cumulative: D("100")})
    other_plan = StrategicPlanFactory(agency=world.agency, start_year=2027, end_year=2031)
    IndicatorFactory(objective=ObjectiveFactory(plan=other_plan))

    codes = [
        i.code
        for i in selectors.indicators_for_agreement(scope=world.planner_scope, agreement=agreement)
    ]

    assert codes == ["IK2", "IK3"]


def test_objectives_of_the_year_only(world):
    other_plan = StrategicPlanFactory(agency=world.agency, start_year=2027, end_year=2031)
    ObjectiveFactory(plan=other_plan, code="S9")

    scope = world.planner_scope
    assert [
        o.code for o in selectors.objective_list(scope=scope, agency=world.agency, year=YEAR)
    ] == ["S1"]
    assert len(selectors.objective_list(scope=scope, agency=world.agency)) == 2


def test_individual_indicators_of_the_agency_and_year(world, other_agency):
    line = signed_agreement(world).lines.first()
    mine = IndividualIndicatorFactory(
        employee=world.staff_member, position=world.staff_position, parent_line=line
    )
    IndividualIndicatorFactory(
        employee=world.staff_member, position=world.staff_position, parent_line=line, year=YEAR + 1
    )

    assert list(
        selectors.individual_indicator_list(
            scope=world.reader_scope, agency=world.agency, year=YEAR
        )
    ) == [mine]
    outsider = scope_for(staff(agency=other_agency, role_key="kasubbag_program"))
    assert not selectors.individual_indicator_list(
        scope=outsider, agency=world.agency, year=YEAR
    ).exists()


def test_assignments_offered_for_an_iki(world):
    left = EmployeeFactory(name="Sudah Pensiun")
    AssignmentFactory(
        employee=left,
        position=world.staff_position,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(YEAR - 1, 12, 31),
    )

    def offered(scope):
        return {
            a.employee.name
            for a in selectors.assignments_in_year(scope=scope, agency=world.agency, year=YEAR)
        }

    assert offered(world.unit_head_scope) == {"Ahmad Yani, S.Sos", "Rina Wati"}
    assert "Made Sudana, S.T." in offered(world.planner_scope)
    assert "Sudah Pensiun" not in offered(world.planner_scope)
    assert left.name in {
        a.employee.name
        for a in selectors.assignments_in_year(
            scope=world.planner_scope, agency=world.agency, year=YEAR - 1
        )
    }


def test_cascade_lines_are_the_agencys_pk_lines_of_the_year(world):
    signed_agreement(world)
    draft_agreement(world, position=world.head_position, lines={world.last_value: D("80")})

    lines = selectors.cascade_lines(scope=world.reader_scope, agency=world.agency, year=YEAR)

    assert sorted((line.agreement.position.title, line.indicator.code) for line in lines) == [
        ("Kepala Bidang Koperasi", "IK1"),
        ("Kepala Bidang Koperasi", "IK2"),
        ("Kepala Dinas", "IK2"),
    ]
    assert not selectors.cascade_lines(
        scope=world.reader_scope, agency=world.agency, year=YEAR + 1
    ).exists()
