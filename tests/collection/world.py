"""A small agency ready for a data collection: units, a coordinator, indicators with PKs."""

from dataclasses import dataclass

from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, Employee, OrgUnit, RoleKey
from kinerja.planning.models import Aggregation, Indicator
from tests.api.scenario import agreement, indicator, objective, pk_line, renstra
from tests.factories import AssignmentFactory, PositionFactory
from tests.workflow.sop_world import SmallAgency, small_agency


@dataclass
class CollectionWorld:
    """Bidang A holds two indicators (one with a pemegang data), Bidang B one, UPT C one
    without a PK line in the year; the coordinator is the Kasubbag Program."""

    small: SmallAgency
    coordinator: UserScope
    data_holder: Employee
    cumulative: Indicator
    last_value: Indicator
    bidang_b: Indicator
    no_pk: Indicator

    @property
    def agency(self) -> Agency:
        return self.small.agency

    @property
    def units(self) -> list[OrgUnit]:
        return self.small.units


def collection_world(agency: Agency, *, extra_indicators: int = 0) -> CollectionWorld:
    small = small_agency(agency)
    bidang_a, bidang_b, upt_c = small.units
    data_holder = AssignmentFactory(
        position=PositionFactory(agency=agency, unit=bidang_a, role_key=RoleKey.PEMEGANG_DATA)
    ).employee
    goal = objective(renstra(agency))
    pk = agreement(agency)
    cumulative = indicator(goal, aggregation=Aggregation.CUMULATIVE, responsible_unit=bidang_a)
    pk_line(pk, cumulative, target=100, quarterly=[10, 20, 30, 40])
    last_value = indicator(goal, responsible_unit=bidang_a, sort_order=1)
    pk_line(pk, last_value, target=80, quarterly=[20, 40, 60, 80])
    in_b = indicator(goal, responsible_unit=bidang_b, sort_order=2)
    pk_line(pk, in_b, target=5)
    no_pk = indicator(goal, responsible_unit=upt_c, annual_target=7, sort_order=3)
    for number in range(extra_indicators):
        extra = indicator(goal, responsible_unit=small.units[number % 2], sort_order=10 + number)
        pk_line(pk, extra, target=number + 1, quarterly=[1, 2, 3, 4])
    return CollectionWorld(
        small=small,
        coordinator=scope_for(small.kasubbag.user),
        data_holder=data_holder,
        cumulative=cumulative,
        last_value=last_value,
        bidang_b=in_b,
        no_pk=no_pk,
    )
