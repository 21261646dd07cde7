"""A small agency for the planning tests: a head, a planner, two Bidang with their heads and staff.

Built with the shared factories; PKs are drafted through the real services so
the tests exercise the same path the pages take.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import (
    Agency,
    Employee,
    OrgUnit,
    Position,
    RoleKey,
    User,
)
from kinerja.planning import services
from kinerja.planning.domain.action_plan import Target
from kinerja.planning.models import (
    Aggregation,
    AgreementLine,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    Polarity,
)
from tests.factories import (
    AssignmentFactory,
    EmployeeFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PositionFactory,
    StrategicPlanFactory,
)

D = Decimal
YEAR = 2025


class IndividualIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndividualIndicator

    year = YEAR
    name = factory.Sequence(lambda n: f"Jumlah laporan pembinaan {n}")
    unit_of_measure = "laporan"
    value = D("4")


@dataclass
class World:
    agency: Agency
    unit: OrgUnit
    other_unit: OrgUnit
    head_position: Position
    planner_position: Position
    unit_head_position: Position
    staff_position: Position
    other_unit_head_position: Position
    head: Employee
    planner_employee: Employee
    unit_head: Employee
    staff_member: Employee
    other_unit_head: Employee
    objective: Objective
    cumulative: Indicator
    last_value: Indicator
    ranged: Indicator

    @property
    def planner(self) -> User:
        return self.planner_employee.user

    @property
    def planner_scope(self) -> UserScope:
        return scope_for(self.planner)

    @property
    def unit_head_scope(self) -> UserScope:
        return scope_for(self.unit_head.user)

    @property
    def reader(self) -> User:
        """A staff member of the unit: reads everything of the agency, writes nothing."""
        return self.staff_member.user

    @property
    def reader_scope(self) -> UserScope:
        return scope_for(self.reader)

    @property
    def other_unit_head_scope(self) -> UserScope:
        return scope_for(self.other_unit_head.user)


def _holder(position: Position, name: str, nip: str, **kwargs) -> Employee:
    employee = EmployeeFactory(name=name, nip=nip)
    AssignmentFactory(employee=employee, position=position, **kwargs)
    return employee


def build_world(agency: Agency) -> World:
    unit = OrgUnitFactory(agency=agency, name="Bidang Koperasi", sort_order=1)
    other_unit = OrgUnitFactory(agency=agency, name="Bidang UMKM", sort_order=2)
    head_position = PositionFactory(
        agency=agency, title="Kepala Dinas", role_key=RoleKey.KEPALA_DINAS, sort_order=1
    )
    planner_position = PositionFactory(
        agency=agency,
        title="Kepala Sub Bagian Program",
        role_key=RoleKey.KASUBBAG_PROGRAM,
        superior=head_position,
        sort_order=2,
    )
    unit_head_position = PositionFactory(
        agency=agency,
        unit=unit,
        title="Kepala Bidang Koperasi",
        role_key=RoleKey.KEPALA_BIDANG,
        superior=head_position,
        sort_order=3,
    )
    staff_position = PositionFactory(
        agency=agency,
        unit=unit,
        title="Pengawas Koperasi",
        role_key=RoleKey.STAF,
        superior=unit_head_position,
        sort_order=4,
    )
    other_unit_head_position = PositionFactory(
        agency=agency,
        unit=other_unit,
        title="Kepala Bidang UMKM",
        role_key=RoleKey.KEPALA_BIDANG,
        superior=head_position,
        sort_order=5,
    )
    plan = StrategicPlanFactory(agency=agency, start_year=2021, end_year=2026)
    objective = ObjectiveFactory(plan=plan, code="S1", statement="Meningkatnya koperasi sehat")
    return World(
        agency=agency,
        unit=unit,
        other_unit=other_unit,
        head_position=head_position,
        planner_position=planner_position,
        unit_head_position=unit_head_position,
        staff_position=staff_position,
        other_unit_head_position=other_unit_head_position,
        head=_holder(head_position, "Dr. Ir. Siti Aminah, M.Si", "197704152005012001"),
        planner_employee=_holder(planner_position, "Budi Santoso, S.E.", "198001012006041002"),
        unit_head=_holder(unit_head_position, "Ahmad Yani, S.Sos", "198203032008011003"),
        staff_member=_holder(staff_position, "Rina Wati", "199005052015032004"),
        other_unit_head=_holder(
            other_unit_head_position, "Made Sudana, S.T.", "198506062010011005"
        ),
        objective=objective,
        cumulative=IndicatorFactory(
            objective=objective,
            code="IK1",
            name="Jumlah koperasi yang dibina",
            unit_of_measure="koperasi",
            aggregation=Aggregation.CUMULATIVE,
            responsible_unit=unit,
            sort_order=1,
        ),
        last_value=IndicatorFactory(
            objective=objective,
            code="IK2",
            name="Persentase koperasi sehat",
            unit_of_measure="%",
            aggregation=Aggregation.LAST_VALUE,
            responsible_unit=unit,
            sort_order=2,
        ),
        ranged=IndicatorFactory(
            objective=objective,
            code="IK3",
            name="Rasio kredit macet",
            unit_of_measure="%",
            polarity=Polarity.RANGE,
            aggregation=Aggregation.LAST_VALUE,
            sort_order=3,
        ),
    )


def draft_agreement(
    world: World,
    *,
    position: Position | None = None,
    lines: dict[Indicator, Decimal] | None = None,
) -> PerformanceAgreement:
    """A draft PK (of the Kepala Bidang by default) with lines drafted by the planner."""
    scope = world.planner_scope
    agreement = services.agreement_create(
        actor=scope,
        position=position or world.unit_head_position,
        year=YEAR,
        effective_date=datetime.date(YEAR, 1, 2),
    )
    for indicator, value in (lines or {}).items():
        services.agreement_line_add(
            actor=scope, agreement=agreement, indicator=indicator, value=value
        )
    return agreement


def fill_quarters(world: World, line: AgreementLine, values: list[str]) -> None:
    for quarter, value in enumerate(values, start=1):
        services.quarterly_target_set(
            actor=world.planner_scope, line=line, quarter=quarter, value=D(value)
        )


def signed_agreement(world: World) -> PerformanceAgreement:
    """The Kepala Bidang's signed PK: cumulative line 100, last-value line 80, consistent."""
    agreement = draft_agreement(
        world, lines={world.cumulative: D("100"), world.last_value: D("80")}
    )
    cumulative, last = agreement.lines.order_by("sort_order")
    fill_quarters(world, cumulative, ["10", "20", "30", "40"])
    fill_quarters(world, last, ["50", "60", "70", "80"])
    services.agreement_program_add(
        actor=world.planner_scope,
        agreement=agreement,
        name="Program Pengawasan Koperasi",
        budget=D("1250000000"),
    )
    return services.agreement_sign(actor=world.planner_scope, agreement=agreement)


GOVERNOR = services.ExternalParty(
    name="Drs. H. Abdul Rahman Tahir, M.Si.", title="Gubernur Sulawesi Tengah"
)


def head_agreement(
    world: World, *, party: services.ExternalParty = GOVERNOR, sign: bool = True
) -> PerformanceAgreement:
    """The Kepala Dinas's PK (one consistent line) with an external second party, signed."""
    agreement = services.agreement_create(
        actor=world.planner_scope,
        position=world.head_position,
        year=YEAR,
        effective_date=datetime.date(YEAR, 1, 2),
        external_party=party,
    )
    line = services.agreement_line_add(
        actor=world.planner_scope, agreement=agreement, indicator=world.last_value, value=D("80")
    )
    fill_quarters(world, line, ["50", "60", "70", "80"])
    if not sign:
        return agreement
    return services.agreement_sign(actor=world.planner_scope, agreement=agreement)


def seen(value: str | None) -> Target:
    return Target(value=D(value) if value is not None else None)
